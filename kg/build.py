"""The pipeline: sources -> graph -> store -> SHACL validation -> entailment -> outputs
(dumps, the persistent store the server opens, the site).

The store is filled once, before validation: the validator queries it, and what passes is
what is published (dumps, description, site). It is on disk, in the staging folder, and
removed before the site: the persistent store, written from the published dumps
(kg.publish.persistent) so that it holds what they say, is what the site is rendered from,
as the server answers from it.
"""

import datetime as dt
import gc
import logging
import os
import resource
import shutil
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox

from kg.config import PROJECT_DIR, Settings
from kg.errors import InvalidGraphError
from kg.graph.assemble import Assembly, Ingested, assemble
from kg.graph.census import add_counts
from kg.graph.citation_order import add_citation_order
from kg.graph.entail import add_entailed_graph
from kg.graph.identity import resolve
from kg.graph.ingest import IngestOptions, ingest
from kg.graph.load import from_assembly
from kg.graph.redirects import add_redirects
from kg.publish import checksums, indexes, persistent
from kg.publish import release as releases
from kg.publish.checksums import release_digest
from kg.publish.describe import dataset_iri, describe
from kg.publish.dumps import DumpFile, stable_turtle, write_checksums, write_dumps, write_file
from kg.publish.files import (
    CHANGELOG,
    DESCRIPTION,
    DUMPS,
    INDEXES,
    INGEST_REPORT,
    NTRIPLES,
    ONTOLOGY_FILE,
    SHAPES_FILE,
    SITE,
    STORE,
    STORE_DATABASE,
    VALIDATION_REPORT,
    WORKING_STORE,
)
from kg.publish.staging import check_target, staged
from kg.remote_store import checked_url
from kg.site.context import Release
from kg.site.downloads import carry_dumps
from kg.site.from_server import render_from_server
from kg.site.ontology_doc import document
from kg.site.writer import render_site
from kg.sources.catalog import as_curated, load_catalog, load_dataset, snapshot
from kg.sources.source_toml import SourceSpec
from kg.sources.turtle import ONTOLOGY_MISSING, parse_turtle
from kg.store import rdflib_graph, settle
from kg.validate.literals import check_literals
from kg.validate.report import Report
from kg.validate.run import load_turtle, validate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StageTiming:
    name: str
    seconds: float
    peak_mib: float  # the process's peak resident memory when the stage ended
    #: CPU seconds (user and system) of the build and the children it waited for: on a
    #: shared machine the steadier figure, since wall time counts other people's work.
    cpu: float = 0.0
    #: Of `cpu`, the kernel's (system time): writing files and reading the page cache, which
    #: grows with the size of folders and files where the build's own work may not.
    system: float = 0.0


@dataclass(frozen=True, kw_only=True)
class BuildResult:
    out_dir: Path
    quads: int  # in the dumps' graphs, one per source
    #: In the persistent store (what /health counts): those, the ontology and the description.
    store_quads: int
    dumps: tuple[DumpFile, ...]
    report: Report
    timings: tuple[StageTiming, ...] = ()
    pages: int = 0


class Timings:
    """The stages of one build, timed: logged as they end, returned with the build."""

    def __init__(self) -> None:
        self.stages: list[StageTiming] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Log the start and the duration of a step, so that long builds show progress."""
        log.info("%s ...", name)
        started, (cpu, system) = time.perf_counter(), _cpu_seconds()
        yield
        now, (cpu_now, system_now) = time.perf_counter(), _cpu_seconds()
        elapsed, used, kernel = now - started, cpu_now - cpu, system_now - system
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stages.append(StageTiming(name, elapsed, peak, used, kernel))
        log.info(
            "%s done in %.2f s (CPU %.2f s, of which system %.2f s, peak memory %.0f MiB)",
            name,
            elapsed,
            used,
            kernel,
            peak,
        )


#: The cyclic collector's thresholds for a build (mypy's, for the same reason): a build keeps
#: millions of objects alive, which Python's defaults (700, 10, 10) scan again and again.
#: On the ingest of 8 times the 2022 CSL: 31 full collections, 148 s of CPU against 129 s
#: with these (0 full collections), at the same peak memory; 16 s against 13.5 s at 1x.
BUILD_GC_THRESHOLDS = (200_000, 30, 30)


@contextmanager
def _batch_collection() -> Iterator[None]:
    """The collector tuned for a build while it runs, then as it was (tests build in-process)."""
    before = gc.get_threshold()
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _cpu_seconds() -> tuple[float, float]:
    """User and system time of this process and of the children it has waited for, and the
    system time alone."""
    times = os.times()
    system = times.system + times.children_system
    return times.user + times.children_user + system, system


@dataclass(frozen=True)
class Checked:
    """What validation made and read: the sources, the store, the report, the ontology."""

    assembly: Assembly
    store: ox.Store
    report: Report
    ontology: set[ox.Triple]


def check(settings: Settings) -> tuple[Assembly, ox.Store, Report]:
    """Read every source into a store (in memory) and validate it; publish nothing."""
    checked = _check(settings, Timings(), ox.Store())
    return checked.assembly, checked.store, checked.report


def _check(settings: Settings, timings: Timings, store: ox.Store) -> Checked:
    """Read every source into `store` (empty) and validate what it holds."""
    with timings.stage("reading sources"):
        sources = load_catalog(settings.data_dir, settings.sources)
        assembly = assemble(sources, settings.base_iri)
    if settings.csl:
        with timings.stage("ingesting Consolidated Screening List snapshots"):
            ingested = _ingest(settings, assembly, sources, store)
            assembly = replace(assembly, ingested=ingested)
    shapes = load_turtle([settings.ontology_dir / SHAPES_FILE])
    with timings.stage("checking literals as written"):
        check_literals(assembly, shapes, settings.ontology_dir / ONTOLOGY_FILE)
    with timings.stage("loading the store"):
        store = from_assembly(assembly, store)
    if assembly.ingested:  # in the store now, which every later stage (pyshacl too) reads
        assembly = replace(assembly, ingested=assembly.ingested.loaded())
    with timings.stage("identity across lists, replaced IRIs"):
        resolve(store, settings.base_iri)
        add_redirects(store, settings.base_iri)
    with timings.stage("Federal Register documents dated out of order"):
        add_citation_order(store, settings.base_iri)
    with timings.stage("counting each list's entries, day by day"):
        add_counts(store, settings.base_iri)
    with timings.stage("SHACL validation"):
        # Parsed once, for entailment and the site's store; kg.validate's engine and pyshacl
        # read rdflib terms, so validation gets a copy.
        ontology = parse_turtle(settings.ontology_dir / ONTOLOGY_FILE, None, ONTOLOGY_MISSING)
        report = validate(assembly, store, rdflib_graph(ontology), shapes, settings.shacl_engine)
    return Checked(assembly, store, report, ontology)


def _ingest(
    settings: Settings, assembly: Assembly, sources: list[SourceSpec], store: ox.Store
) -> Ingested:
    today = settings.build_date or dt.date.today()  # only for a download's date
    options = IngestOptions(
        base=settings.base_iri, cache=settings.cache_dir, today=today, strict=settings.strict
    )
    snapshots = [as_curated(snapshot(spec, today), sources, PROJECT_DIR) for spec in settings.csl]
    return ingest(snapshots, assembly.graphs, options, store)


def build(settings: Settings) -> BuildResult:
    """Validate, then write every output into a staged folder that replaces the old one."""
    timings = Timings()
    check_target(settings.out_dir)  # before the work: a refusal after minutes helps nobody
    if settings.site_from:
        checked_url(settings.site_from, "--site-from")
    # The digests taken as the files are written are remembered: kg serve trusts them while
    # the files stay as they are, so that it starts without reading every byte again.
    with (
        staged(settings.out_dir) as folder,
        checksums.remembering(settings.cache_dir),
        _batch_collection(),
    ):
        published = _publish(settings, timings, folder)
        # Closed when _publish returned (it held the store), so removed whole; the site
        # reads the persistent store.
        shutil.rmtree(folder / WORKING_STORE)
        with timings.stage("rendering the site"):
            pages = _render(folder, settings, published.release)
    log.info("build written to %s", settings.out_dir)
    return BuildResult(
        out_dir=settings.out_dir,
        quads=published.quads,
        store_quads=published.store_quads,
        dumps=tuple(f for f in published.release.dumps if f.name != DESCRIPTION),
        report=published.release.report,
        timings=tuple(timings.stages),
        pages=pages,
    )


@dataclass(frozen=True)
class Published:
    """What the build published before its site: the release, and its quads in their graphs."""

    release: Release
    quads: int
    store_quads: int


def _publish(settings: Settings, timings: Timings, folder: Path) -> Published:
    """Read and validate the sources, then write the dumps, the persistent store and the
    indexes into `folder`.

    The build works on a store on disk (in `folder`, under WORKING_STORE): in memory it took
    about 400 bytes a quad, most of a build's peak at 24 times the 2022 CSL. It is closed
    before this returns or raises: open, its threads may still write files into the staging
    folder while a failed build removes it (a Ctrl-C left the folder behind).
    """
    store = ox.Store(str(folder / WORKING_STORE))
    try:
        return _publish_from(store, settings, timings, folder)
    except BaseException as error:
        traceback.clear_frames(error.__traceback__)  # their references to the store
        raise
    finally:
        del store
        gc.collect()


def _publish_from(store: ox.Store, settings: Settings, timings: Timings, folder: Path) -> Published:
    spec = load_dataset(settings.data_dir)
    checked = _check(settings, timings, store)
    if checked.report.violated:  # warnings and notes are reported, not fatal
        raise InvalidGraphError(
            checked.report.describe(),
            where=str(settings.data_dir),
            hint="fix the facts at the places given; nothing was published",
        )
    with timings.stage("RDFS entailment"):
        added = add_entailed_graph(checked.store, checked.ontology, settings.base_iri)
        log.info("%d statements entailed", added)
        settle(checked.store)  # the updates' memory, held for the rest of the build else
    release_date = settings.build_date or spec.issued
    with timings.stage("writing dumps"):
        files, series = _write_dumps(checked, settings, folder / DUMPS, release_date)
    with timings.stage("describing the dataset (VoID, DCAT)"):
        merge = folder / DUMPS / NTRIPLES
        description = describe(spec, checked.store, files, settings.base_iri, release_date, merge)
        files.append(
            write_file(
                folder / DUMPS / DESCRIPTION,
                stable_turtle(description | series),
                "text/turtle",
                "VoID and DCAT description of the dataset",
            )
        )
        write_checksums(folder / DUMPS, files)
    with timings.stage("writing the persistent store"):
        store_quads = persistent.write(folder / STORE, folder / DUMPS, settings.base_iri)
    with timings.stage("writing the name and screening indexes"):
        indexes.write(folder / INDEXES, folder / STORE / STORE_DATABASE, folder / DUMPS)
    release = Release(
        spec=spec,
        date=release_date.isoformat(),
        dumps=tuple(files),
        report=checked.report,
        ontology=tuple(document(folder / DUMPS / ONTOLOGY_FILE)),
        shapes=(folder / DUMPS / SHAPES_FILE).read_text(encoding="utf-8"),
    )
    return Published(release, len(checked.store), store_quads)


def _write_dumps(
    checked: Checked, settings: Settings, dumps_dir: Path, release_date: dt.date
) -> tuple[list[DumpFile], set[ox.Triple]]:
    """Every dump file but the description, and the release series graph it will include."""
    base, store = settings.base_iri, checked.store
    files = write_dumps(store, dumps_dir, base)
    files += _copy_model(settings.ontology_dir, dumps_dir)
    if checked.assembly.ingested is not None:
        files.append(
            write_file(
                dumps_dir / INGEST_REPORT,
                checked.assembly.ingested.report.to_json().encode(),
                "application/json",
                "Ingest report: rows, problems and changes per snapshot",
            )
        )
    spec = load_dataset(settings.data_dir)
    changes = releases.plan(store, settings.out_dir, base, release_date.isoformat())
    series = releases.series_graph(changes, dataset_iri(base), base, release_date.isoformat())
    files += _release_files(changes, series, dumps_dir, release_date, spec.title, base)
    report_graph = checked.report.to_graph(f"{base}dumps/validation-report")
    files.append(
        write_file(
            dumps_dir / VALIDATION_REPORT,
            stable_turtle(report_graph),
            "text/turtle",
            "SHACL validation report of this build",
        )
    )
    return files, series


def _render(folder: Path, settings: Settings, release: Release) -> int:
    """The site, from what the server holds: the persistent store (the data, the ontology,
    the description, and their merge); or, with --site-from, from the release a SPARQL
    server holds."""
    base, dumps_dir = settings.base_iri, folder / DUMPS
    if settings.site_from:
        digest = release_digest(dumps_dir)
        pages = render_from_server(settings.site_from, folder / SITE, base, release, digest)
    else:
        store = ox.Store.read_only(str(folder / STORE / STORE_DATABASE))
        pages = render_site(store, folder / SITE, base, release)
    # The site carries its downloads, so that the folder alone works on any host.
    carry_dumps(dumps_dir, folder / SITE / DUMPS, release.dumps)
    return pages


def _release_files(
    changes: releases.ReleasePlan,
    series: set[ox.Triple],
    folder: Path,
    day: dt.date,
    title: str,
    base: str,
) -> list[DumpFile]:
    """The changelog of this release: as RDF, as an Atom feed, and the manifest the next
    release is compared with."""
    return [
        write_file(
            folder / CHANGELOG,
            stable_turtle(series),
            "text/turtle",
            f"Changelog: the {len(changes.new)} list actions new in release {changes.version}",
        ),
        write_file(
            folder / releases.FEED,
            releases.atom_feed(changes, base, day.isoformat(), title),
            "application/atom+xml",
            "Atom feed of the list actions new in this release",
        ),
        write_file(
            folder / releases.MANIFEST,
            releases.manifest(changes),
            "application/json",
            "Release manifest: this release's list actions, for the next release's changelog",
        ),
    ]


def _copy_model(ontology_dir: Path, dumps_dir: Path) -> list[DumpFile]:
    return [
        write_file(dumps_dir / name, (ontology_dir / name).read_bytes(), "text/turtle", title)
        for name, title in (
            (ONTOLOGY_FILE, "The ontology (OWL, Turtle)"),
            (SHAPES_FILE, "The SHACL shapes (Turtle)"),
        )
    ]
