"""The static reference website: one page per resource, written from the store.

Page paths mirror the IRIs (`<base>id/org/x` is `id/org/x.html`, with `id/org/x.ttl`,
`id/org/x.jsonld` and `id/org/x.nt` beside it) and every link is relative and names the file,
so the folder works as it is on any static host, at any path, with no rewrite rules; the
Linked Data server answers the IRIs themselves.
"""

import functools
import gc
import itertools
import logging
import multiprocessing
import os
import shutil
import signal
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from jinja2 import Environment

from kg.errors import KgError
from kg.in_force import UNDATED
from kg.match.labels import found_by
from kg.processes import die_with_parent
from kg.publish.files import NQUADS
from kg.publish.release import RENEWAL_WORDS
from kg.site import (
    as_of,
    cite,
    codes,
    list_letters,
    programmes,
    queries,
    rdf_files,
    redirects,
    schema_org,
)
from kg.site.changes import snapshots
from kg.site.context import Release
from kg.site.entity_index import write_entity_index
from kg.site.pages import Facts, gather
from kg.site.programmes import write_programme_pages
from kg.site.queries import describe_query
from kg.site.render import NO_PAGE, PAGE, SITE_DIR, compact, environment, site_path
from kg.site.time_pages import write_time_pages
from kg.site.timeline import cited_rules, events, latest_start
from kg.store import query as run_query
from kg.store import select
from kg.vocab import PREFIXES, prefixes

log = logging.getLogger(__name__)

KIND_TEMPLATES = {
    "org": "entity.html",
    "person": "entity.html",
    "party": "entity.html",  # a party of unknown kind: listed, but neither person nor org
    "vessel": "entity.html",  # listed as parties are: the same listings, history and facts
    "aircraft": "entity.html",
    "rule": "rule.html",
    "statement": "statement.html",
    "rationale": "rationale.html",
    "source": "source.html",
    "list": "list.html",
    "list-count": "list_count.html",  # our count of a list's entries from a day (kg.graph.census)
    "candidate-match": "candidate.html",  # our inference that two parties might be one
}
FORK_ABOVE = 2000  # resources; below this, starting processes costs more than it saves
MAX_WORKERS = 4


class Site:
    def __init__(self, store: ox.Store, folder: Path, base: str, release: Release) -> None:
        self.store, self.folder, self.base, self.release = store, folder, base, release
        self.facts: Facts = gather(store, base)
        self.programmes = programmes.programmes(self.facts)
        programme_paths = {p.code: p.path for p in self.programmes}
        self.env: Environment = environment(base)
        self.env.globals.update(
            facts=self.facts,
            release=release,
            base=base,
            changes_pages={},
            renewal_words=RENEWAL_WORDS,
        )
        self.read = as_of.snapshots_read(store)  # the snapshots, whole or partial, by date
        whole = [read.issued for read in self.read if read.complete]
        until = max(whole, default="")
        self.whole_lists_until = until
        last = max((read.issued for read in self.read), default=release.date)
        # The day an entry's status is read on: the last a snapshot shows, not the release's,
        # years later ("In force" on 2026-11-24, in green, from the lists of 2022-05-06, read
        # as today's: trial 25). The "as of a day" page opens on it too.
        self.status_day = min(last, release.date)
        self.env.globals.update(
            # What the release knows of the lists ends at its last snapshot of the whole
            # lists: a status on the release day later than that is said to be read so.
            whole_lists_until=until,
            status_day=self.status_day,
            # Samples or subsets after it: what they show of the lists since, and no removal.
            partial_after=sorted(
                read.issued for read in self.read if not read.complete and read.issued > until
            ),
            whole_lists_from=min(whole, default=""),  # a count before it is a lower bound
            previous_count=lambda iri: self.previous_counts.get(iri),
            counts_of=lambda iri: self.counts_by_list.get(iri, []),
            letters_of=self.letters_of,
            term_label=lambda iri: codes.term(iri, self.facts.labels),
            programme=codes.programme,
            programme_path=programme_paths.get,
            country=codes.country,
            money=codes.money,
        )
        self.prefixes = prefixes(base)
        self.pages: list[str] = []
        self._folders: set[Path] = set()
        self.replaced = redirects.replaced(store)  # old IRIs: a redirect page, not a resource
        self.moved: set[str | None] = set()

    def write(self, relative: str, template: str, **context: Any) -> None:
        """Render template into `relative` (a folder ending in / gets index.html)."""
        root = "../" * relative.count("/")
        html = compact(self.env.get_template(template).render(root=root, here=relative, **context))
        is_folder = relative == "" or relative.endswith("/")
        self.write_file(relative + "index.html" if is_folder else relative, html.encode())
        self.pages.append(relative)

    def write_file(self, relative: str, payload: bytes) -> None:
        """Write a file of the site, making its folder first.

        Straight system calls: a site has four files and a folder per resource, and Python's
        open() adds several calls per file (buffer size, terminal check); without them one
        process renders the whole CSL a fifth faster. Mode 0o666, less the umask, as open()
        gives.
        """
        target = self.folder / relative
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)

    @functools.cached_property
    def resources(self) -> list[str]:
        """Every IRI under our base that the store says anything about, but the ontology's terms
        (documented together on the ontology page) and IRIs with a fragment."""
        ontology = f"{self.base}ontology"
        dumps = f"{self.base}dumps/"
        return sorted(
            iri
            for iri in self.facts.out
            if site_path(iri, self.base)
            and "#" not in iri
            and not iri.startswith((ontology, dumps))
            and iri not in self.replaced
        )

    @functools.cached_property
    def counts_by_list(self) -> dict[str, list[str]]:
        """A list's IRI -> its counts (`id/list-count/<list>/<day>`), oldest first (the days
        are ISO dates)."""
        by_list: dict[str, list[str]] = {}
        folder = f"{self.base}id/list-count/"
        for iri in self.resources:
            if iri.startswith(folder):
                listed = f"{self.base}id/list/{iri[len(folder) :].split('/', 1)[0]}"
                by_list.setdefault(listed, []).append(iri)
        return {listed: sorted(counts) for listed, counts in by_list.items()}

    @functools.cached_property
    def previous_counts(self) -> dict[str, str]:
        """A list's count -> the count before it, if any: the same list's count of the latest
        day before."""
        return {
            later: earlier
            for counts in self.counts_by_list.values()
            for earlier, later in itertools.pairwise(counts)
        }

    def render(self) -> int:
        started = time.perf_counter()
        shutil.copytree(SITE_DIR / "static", self.folder / "static")
        # Before the resource pages: a snapshot's page links to its "what changed" page.
        self.snapshots = snapshots(self.store, self.facts)
        self.env.globals["changes_pages"] = {s.iri: s.path for s in self.snapshots}
        self.resource_pages(self.resources)
        self.letter_pages()
        self.action_folder_pages()
        for old, news in self.replaced.items():
            targets = redirects.targets(news, self.base, self.facts.labels)
            self.write(site_path(old, self.base) or "", "redirect.html", iri=old, targets=targets)
        self.moved |= {site_path(old, self.base) for old in self.replaced}  # not in the sitemap
        self.index_pages()
        self.write_text("sitemap.xml", self.sitemap())
        self.write_text("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {self.base}sitemap.xml\n")
        elapsed = time.perf_counter() - started
        log.info(
            "site: %d pages in %.2f s (%.0f pages/s)",
            len(self.pages),
            elapsed,
            len(self.pages) / max(elapsed, 1e-9),
        )
        return len(self.pages)

    @functools.cache  # noqa: B019 - one Site per build: its cache dies with it
    def letters_of(self, screening_list: str) -> list[list_letters.Letter]:
        return list_letters.letters(self.facts, screening_list)

    def letter_pages(self) -> None:
        """The pages of a long list, a first letter each (kg.site.list_letters), the page
        of its letters above them (for a shorter list, a page that leads to the list's), and
        the page of every list above those, so that no address a reader shortens is
        missing."""
        lettered = []
        for screening_list in sorted({x.screening_list for x in self.facts.listings.values()}):
            shown = self.letters_of(screening_list)
            folder = list_letters.folder(screening_list)
            if shown:
                lettered.append((screening_list, folder))
                total = sum(len(x.entries) for x in shown)
                self.write(
                    folder, "list_letters.html", iri=screening_list, letters=shown, total=total
                )
            else:  # its entries are on its page: the address leads there, not in the sitemap
                self.write(folder, "list_whole.html", iri=screening_list)
                self.moved.add(folder)
            for letter in shown:
                self.write(
                    letter.path,
                    "list_letter.html",
                    iri=screening_list,
                    letter=letter,
                    letters=shown,
                )
        self.write("lists/", "lists.html", lists=self.lists_by_size(), lettered=lettered)

    def action_folder_pages(self) -> None:
        """A page for each folder of the list actions by one rule, `id/action/<rule>`, that
        names them and the rule: the address, shortened by hand from an action's, was a 404
        (trial 36). It names no resource of the graph: no RDF, not in the sitemap."""
        prefix = f"{self.base}id/action/"
        folders: dict[str, list[str]] = defaultdict(list)
        for action in self.facts.actions:
            slug, _, rest = action.removeprefix(prefix).partition("/")
            if action.startswith(prefix) and rest:
                folders[slug].append(action)
        for slug, actions in sorted(folders.items()):
            rule = f"{self.base}id/rule/{slug}"
            page = f"id/action/{slug}.html"
            known = rule if rule in self.facts.out else None
            self.write(page, "action_folder.html", actions=sorted(actions), rule=known, slug=slug)
            self.moved.add(page)

    def lists_by_size(self) -> list[tuple[str, tuple[int, int]]]:
        """Every list with its entries and parties, the most parties first."""
        return sorted(self.facts.list_counts.items(), key=lambda item: -item[1][1])

    def resource_pages(self, resources: list[str]) -> None:
        """Every resource's page and RDF files, shared among forked processes on big sites.

        A forked child inherits the store and the gathered facts as they are, so each one
        renders its share with no copying; the pages do not depend on one another. The
        build's own process renders a share too, beside one child fewer. The build gives the
        persistent store, opened read-only: its reads go through the page cache, which the
        processes share (an in-memory store is copied into each child that reads it: the
        engine writes to its pages as it reads, about 300 MiB per multiple of the 2022 CSL).
        Forking it is safe as for the server's copies (kg.web.forked): a read-only store's
        own threads hold no lock.
        """
        workers = min(os.cpu_count() or 1, MAX_WORKERS) if len(resources) >= FORK_ABOVE else 1
        if workers == 1:
            self.resource_share(resources, 0, 1)
            return
        context = multiprocessing.get_context("fork")
        parent = os.getpid()
        children = [
            context.Process(target=self.forked_share, args=(parent, resources, n, workers))
            for n in range(1, workers)
        ]
        # The facts' objects stay out of the children's garbage collections: a collection
        # writes to every object it visits, and each page it writes to is copied.
        gc.freeze()
        mark, started = len(self.pages), []
        try:
            for child in children:
                child.start()
                started.append(child)
            self.resource_share(resources, 0, workers)
        except BaseException:
            for child in started:
                child.terminate()  # their pages are of no use now
            raise
        finally:
            for child in started:
                child.join()
            gc.unfreeze()
        failed = [child.exitcode for child in children if child.exitcode != 0]
        if failed:
            raise KgError(
                f"{len(failed)} of {workers - 1} site rendering processes failed (exit {failed})",
                hint="the error is logged above; nothing was published",
            )
        self.pages[mark:] = [site_path(iri, self.base) or "" for iri in resources]

    def forked_share(self, parent: int, resources: list[str], share: int, shares: int) -> None:
        """resource_share in a forked process, which ends when the build does, even killed."""
        die_with_parent(parent)
        # The build's SIGTERM handler is the parent's: a renderer ends as a process does.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        self.resource_share(resources, share, shares)

    def resource_share(self, resources: list[str], share: int, shares: int) -> None:
        mine = resources[share::shares]
        for number, iri in enumerate(mine, start=1):
            self.resource_page(iri)
            if number % 5000 == 0:
                log.info("process %d rendered %d of %d resource pages", share, number, len(mine))

    def write_text(self, relative: str, text: str) -> None:
        self.write_file(relative, text.encode())

    def resource_page(self, iri: str) -> None:
        path = site_path(iri, self.base)
        assert path is not None
        kind = path.split("/")[1] if path.startswith("id/") else "generic"
        template = KIND_TEMPLATES.get(kind, "resource.html")
        # Entries and the actions on them live under several paths (an action seen between
        # two snapshots is under its entry's): they are known by what they are.
        if iri in self.facts.listings:
            template = "listing.html"
        elif iri in self.facts.actions:
            template = "action.html"
        self.write(
            path,
            template,
            iri=iri,
            kind=kind,
            holds=self.holdings(iri) if iri.startswith(f"{self.base}graph/") else None,
            jsonld=schema_org.describe(iri, kind, self.facts, self.release),
            citation=cite.citation(
                iri,
                self.facts.label(iri),
                self.release.spec,
                self.release.date,
                self.release.nquads_sha256,
            ),
        )
        self.rdf_files(iri, path.removesuffix(PAGE))

    def holdings(self, graph: str) -> list[tuple[str, int]]:
        """The resources a named graph states something of, with how many statements each:
        a graph's page said only where to download it, so the editors' curation could not
        be read on the site (trial 35)."""
        query = queries.GRAPH_HOLDS.replace("GRAPH_IRI", graph)
        return [
            (str(row["subject"].value), int(row["statements"].value))  # type: ignore[union-attr]
            for row in select(self.store, query)
        ]

    def rdf_files(self, iri: str, stem: str) -> None:
        query = describe_query(iri)
        answer = run_query(self.store, query)  # the merge: each triple once
        assert isinstance(answer, ox.QueryTriples)
        triples = sorted(
            set(answer), key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
        )
        for suffix, write in rdf_files.FORMATS:
            self.write_file(f"{stem}{suffix}", write(triples, self.prefixes))
        for suffix, same in rdf_files.TWINS.items():
            os.link(self.folder / f"{stem}{same}", self.folder / f"{stem}{suffix}")

    def index_pages(self) -> None:
        entities = self.entity_rows()
        # The home page counts what the lists name; the index also holds people and bodies
        # the sources only describe (a minister, an agency).
        listed = [row for row in entities if row["lists"]]
        counts = {
            name: Counter(v for row in listed for v in row[key])
            for name, key in (
                ("country", "countries"),
                ("rationale", "rationales"),
            )
        }
        timeline = events(self.store)
        self.write(
            "",
            "home.html",
            counts=counts,
            lists=self.lists_by_size(),
            events=timeline[-10:][::-1],
            latest_start=latest_start(self.store),
            entities=len(listed),
        )
        write_entity_index(self, entities)
        write_time_pages(self, timeline, self.snapshots, self.read, cited_rules(self.store))
        write_programme_pages(self, self.programmes)
        views = as_of.gather(self.store, self.facts.label)
        self.write(
            as_of.FOLDER,
            "as_of.html",
            views=views,
            day=self.status_day,  # the release's was another default than the pages' (trial 26)
            undated=UNDATED,
            read=self.read,
        )
        spans = functools.partial(self.facts.review_spans, known_to=self.whole_lists_until)
        for name, payload in as_of.files(views, self.facts.label, self.base, spans).items():
            self.write_text(as_of.FOLDER + name, payload)
        self.write(
            "downloads/",
            "downloads.html",
            jsonld=schema_org.dataset(self.release, self.base),
            nquads=NQUADS,
        )
        self.write("about/", "about.html")
        self.write("validation/", "validation.html", report=self.release.report)
        self.write(
            "ontology/", "ontology.html", terms=self.release.ontology, shapes=self.release.shapes
        )
        self.write("404.html", "404.html", message=NO_PAGE)

    def entity_rows(self) -> list[dict[str, Any]]:
        """One row per listed or described organisation, person, vessel, aircraft or party of
        unknown kind: the index and its search. A vessel's country is its flag."""
        rows = []
        for iri in self.resources:
            path = site_path(iri, self.base) or ""
            if not path.startswith(LISTED_PATHS):
                continue
            listings = self.facts.listings_of(iri)
            names = sorted({v.text for p, v in self.facts.out.get(iri, ()) if p in NAME_PROPERTIES})
            kinds = found_by(self.facts.types(iri), self.facts.broader) or [""]
            rows.append(
                {
                    "iri": iri,
                    "path": path,
                    "label": self.facts.label(iri),
                    "names": names,
                    "type": self.facts.label(kinds[0]),
                    # the kind is ours, not the list's: said wherever the kind is shown
                    "inferred": iri in self.facts.kinds_inferred,
                    # found by the filters of the kinds it is of too: a public security
                    # bureau by Government body and Organisation
                    "broader": sorted(self.facts.label(kind) for kind in kinds[1:]),
                    "countries": self.facts.countries(iri),
                    "lists": sorted({self.facts.label(x.screening_list) for x in listings}),
                    "rationales": sorted(
                        {self.facts.label(r) for x in listings for r in x.rationales}
                    ),
                    "start": min((x.start for x in listings if x.start), default=""),
                }
            )
        return rows

    def sitemap(self) -> str:
        # The pages' own addresses, which answer on any host (an IRI answers where the host
        # rewrites it, README "Static hosting"); not the error page nor moved addresses.
        urls = "".join(
            f"<url><loc>{self.base}{page}</loc></url>\n"
            for page in sorted(self.pages)
            if page != "404.html" and page not in self.moved
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n"
        )


LISTED_PATHS = ("id/org/", "id/person/", "id/party/", "id/vessel/", "id/aircraft/")
NAME_PROPERTIES = {
    "https://schema.org/name",
    "https://schema.org/alternateName",
    PREFIXES["elkg"] + "publishedName",
    PREFIXES["elkg"] + "transliteration",
    PREFIXES["elkg"] + "repairedName",
    PREFIXES["elkg"] + "formerName",
}


def render_site(store: ox.Store, folder: Path, base: str, release: Release) -> int:
    return Site(store, folder, base, release).render()
