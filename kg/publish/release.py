"""Releases: each build is a dated release in a DCAT dataset series, with the list actions
that are new since the previous release, as RDF and as an Atom feed people can subscribe to.

The previous release is read from the output folder the build replaces (its
`dumps/release.json`). Rebuilding the same release keeps the same baseline, so the same
sources still give byte-identical output.
"""

import json
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, XSD

from kg.iris import local_name
from kg.publish import persistent
from kg.publish.files import STORE
from kg.store import select
from kg.vocab import (
    DCAT_DATASET_SERIES,
    DCAT_IN_SERIES,
    DCAT_LAST,
    DCAT_PREV,
    DCAT_VERSION,
    ELKG,
    named,
    sparql_prefixes,
)

log = logging.getLogger(__name__)

MANIFEST = "release.json"
FEED = "changes.atom"
FEED_ENTRIES = 1000  # the newest actions; the RDF changelog holds them all
#: A build with less than this share of the statements (or list actions) of the build it
#: replaces is warned of.
SHRINK_WARNING = 0.5
#: The least count of each kind a shrink is judged on.
MIN_JUDGED = {"statements": 1000, "list actions": 100}
ATOM = "http://www.w3.org/2005/Atom"

ACTIONS = (
    sparql_prefixes("elkg", "rdfs", "dcterms", "schema")
    + """
SELECT ?action ?kind ?label ?effective ?published ?observed ?entity ?name ?rule ?stating
       ?editorial ?ended ?started ?renewedFrom ?renewsFrom WHERE {
    VALUES ?kind { elkg:Addition elkg:Removal elkg:Amendment }
    ?action a ?kind .
    OPTIONAL { ?action rdfs:label ?label FILTER (lang(?label) = "en" || lang(?label) = "") }
    OPTIONAL { ?action elkg:effectiveDate ?effective }
    OPTIONAL { ?action elkg:publicationDate ?published }
    # The snapshot's own date: its retrieval (the release's day) dated removals (trial 35).
    OPTIONAL { ?action elkg:observedIn/dcterms:issued ?observed }
    OPTIONAL { ?action elkg:affectsListing/elkg:endDate ?ended }
    OPTIONAL { ?action elkg:affectsListing/elkg:startDate ?started }
    # A renewed order's entries (elkg:renews): the later one's start, the earlier one's.
    OPTIONAL { ?action elkg:affectsListing/^elkg:renews/elkg:startDate ?renewedFrom }
    OPTIONAL { ?action elkg:affectsListing/elkg:renews/elkg:startDate ?renewsFrom }
    OPTIONAL {
      ?action elkg:affectsListing/elkg:listedEntity ?entity
      OPTIONAL { ?entity schema:name ?name }
    }
    OPTIONAL { ?action elkg:madeBy ?rule }
    # Who states it: the editors' reading was dated and told as news (trial 36).
    OPTIONAL {
      GRAPH ?stating { ?action a ?kind }
      OPTIONAL { ?stating dcterms:source/a ?editorial FILTER (?editorial = elkg:EditorialCuration) }
    }
}"""
)
#: An action's date, by what it is, in the order an action is dated by.
DATE_KINDS = ("effective", "published", "observed")
#: The date of its entry the list gives that an observed action is told with, by its kind.
GIVEN = {"Removal": "ended", "Addition": "started"}
#: The other entry of a renewal an observed action is told with, by its kind: the variable
#: of its start in the feed's query and the changes pages' (kg.site.changes).
RENEWAL = {"Removal": "renewedFrom", "Addition": "renewsFrom"}
#: How an observed removal or addition of a renewed order's entry is said, by its kind: in
#: the feed's titles, which feed readers show, and on the site's pages.
RENEWAL_WORDS = {"Removal": "renewed by a later entry", "Addition": "renewing an earlier entry"}
#: The entities a feed entry names; the rest are counted.
NAMED_ENTITIES = 5


@dataclass(frozen=True, order=True)
class Action:
    date: str
    iri: str
    kind: str
    label: str
    entities: tuple[str, ...]  # by name (their IRI where they have none)
    rule: str
    basis: str = ""  # which date it is: effective, published or observed ("" undated)
    #: The date the list gave the entry: a removal's end date, an addition's start date.
    given: str = ""
    editorial: bool = False  # stated only by the editors' curation: their reading
    #: The start of the other entry of a renewal: a removal's later entry renewing it, an
    #: addition's earlier entry it renews (kg.sources.history.renewals).
    renewal: str = ""
    until: str = ""  # an addition's end date, where the list gives one

    def when(self) -> str:
        """The date as the feed says it.

        >>> Action("2022-05-06", "a", "Removal", "", (), "", "observed").when()
        'observed in the snapshot of 2022-05-06 (the list gives no date)'
        >>> Action("2022-05-06", "a", "Removal", "", (), "", "observed", given="2020-10-13").when()
        'observed in the snapshot of 2022-05-06 (the list gave the entry the end date 2020-10-13)'
        >>> added = Action("2023-11-30", "a", "Addition", "", (), "", "observed", "2023-10-31")
        >>> added.when().endswith("(the list gives the entry the start date 2023-10-31)")
        True
        >>> Action("2023-11-30", "a", "Addition", "", (), "", "observed", "2023-10-31",
        ...     until="2024-10-30").when().endswith("and the end date 2024-10-30)")
        True
        >>> ended = Action("2022-05-06", "a", "Removal", "", (), "", "observed", "2019-12-03",
        ...     renewal="2021-11-17")
        >>> ended.when().endswith("end date 2019-12-03; its entry from 2021-11-17 renews it)")
        True
        """
        if self.basis == "observed":
            # The list's date where it gave one: "gives no date" was said of removed entries
            # whose rows ended on a day (trial 36), and of added ones that start on one (37).
            return f"observed in the snapshot of {self.date} (the list {self._given()})"
        return f"{self.basis} {self.date}"

    def _given(self) -> str:
        if not self.given:
            return "gives no date"
        if self.kind == "Removal":
            renewed = f"; its entry from {self.renewal} renews it" if self.renewal else ""
            return f"gave the entry the end date {self.given}{renewed}"
        renews = f", renewing its entry from {self.renewal}" if self.renewal else ""
        # The end date tells apart the entries of an order printed with two (trial 42).
        until = f" and the end date {self.until}" if self.until else ""
        return f"gives the entry the start date {self.given}{until}{renews}"


@dataclass(frozen=True, kw_only=True)
class ReleasePlan:
    version: str
    iri: str
    previous: str | None  # the previous release's version
    new: tuple[Action, ...]  # list actions not in the previous release, newest first
    all_actions: tuple[str, ...]
    baseline: tuple[str, ...]  # the previous release's actions
    quads: int = 0  # statements in the build's store, for the next build's shrink warning


def release_iri(base: str, version: str) -> str:
    return f"{base}dataset/{version}"


def list_actions(store: ox.Store) -> list[Action]:
    rows: dict[str, list[dict[str, str]]] = {}
    for row in select(store, ACTIONS):
        text = {name: str(getattr(term, "value", term)) for name, term in row.items()}
        rows.setdefault(text["action"], []).append(text)
    return sorted(_action(iri, found) for iri, found in rows.items())


def _action(iri: str, rows: list[dict[str, str]]) -> Action:
    """One action from its rows: every entity it affects, each value its least (a
    deterministic choice where a source states two)."""

    def least(name: str) -> str:
        return min((row[name] for row in rows if row.get(name)), default="")

    kind = local_name(rows[0]["kind"])
    basis = next((name for name in DATE_KINDS if least(name)), "")
    names: dict[str, str] = {}
    for row in rows:
        if row.get("entity"):
            name = row.get("name") or row["entity"]
            names[row["entity"]] = min(names.get(row["entity"], name), name)
    stating = {row["stating"]: bool(row.get("editorial")) for row in rows if row.get("stating")}
    return Action(
        least(basis) if basis else "",
        iri,
        kind,
        least("label") or kind,
        tuple(sorted(names.values())),
        least("rule"),
        basis,
        editorial=bool(stating) and all(stating.values()),
        given=least(GIVEN[kind]) if kind in GIVEN else "",
        until=least("ended") if kind == "Addition" else "",
        renewal=least(RENEWAL[kind]) if kind in RENEWAL else "",
    )


def plan(store: ox.Store, previous_out: Path, base: str, version: str) -> ReleasePlan:
    """This release against the one in the folder the build will replace."""
    actions = list_actions(store)
    manifest = _read_manifest(previous_out / "dumps" / MANIFEST)
    previous: str | None
    if manifest is None:
        previous, baseline = None, ()
    elif manifest["version"] == version:  # a rebuild of the same release
        previous, baseline = manifest.get("previous"), tuple(manifest["baseline"])
    else:
        previous, baseline = manifest["version"], tuple(manifest["actions"])
    if manifest is not None:
        # A release.json of before it recorded statements: the store's own count instead.
        before = manifest.get("quads") or persistent.recorded_quads(previous_out / STORE)
        sizes = {
            "statements": (before, len(store)),
            "list actions": (len(manifest["actions"]), len(actions)),
        }
        _warn_if_shrunk(sizes, previous_out)
    known: set[str] = set(baseline)
    new = tuple(sorted((a for a in actions if a.iri not in known), reverse=True))
    log.info(
        "release %s: %d list actions, %d new since %s",
        version,
        len(actions),
        len(new),
        previous or "no earlier release (the first here)",
    )
    return ReleasePlan(
        version=version,
        iri=release_iri(base, version),
        previous=previous,
        new=new,
        all_actions=tuple(a.iri for a in actions),
        baseline=baseline,
        quads=len(store),
    )


def _warn_if_shrunk(sizes: dict[str, tuple[int, int]], previous_out: Path) -> None:
    """A build that replaces a much larger one is most often a command that forgot its
    sources (`kg build` without `--csl` over a whole-CSL build): say so before readers see
    it. Nothing is refused: dropping sources on purpose is a user's right. `sizes`: what
    was counted (statements; list actions, which an older release.json alone holds), before
    and now; counts too small to judge are skipped."""
    for what, (before, after) in sizes.items():
        if before >= MIN_JUDGED[what] and after < before * SHRINK_WARNING:
            log.warning(
                "%s held %d %s; this build has %d. If that is not meant, rebuild with the "
                "same sources (--csl ...) as before",
                previous_out,
                before,
                what,
                after,
            )
            return


def _read_manifest(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(manifest, dict) and {"version", "actions", "baseline"} <= manifest.keys()
        return manifest
    except (ValueError, AssertionError):
        log.warning("%s is not a release manifest; this release is compared with none", path)
        return None


def manifest(release: ReleasePlan) -> bytes:
    document = {
        "version": release.version,
        "previous": release.previous,
        "actions": list(release.all_actions),
        "baseline": list(release.baseline),
        "quads": release.quads,
    }
    return (json.dumps(document, indent=1, sort_keys=True) + "\n").encode()


def series_graph(
    release: ReleasePlan, series: ox.NamedNode, base: str, issued: str
) -> set[ox.Triple]:
    """The release as a dcat:Dataset in the series, with its changelog as RDF."""
    this = ox.NamedNode(release.iri)
    stated: list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]] = [
        (series, RDF.type, named(DCAT_DATASET_SERIES)),
        (series, DCAT_LAST, this),
        (this, RDF.type, named(DCAT.Dataset)),
        (this, DCAT_IN_SERIES, series),
        (this, DCAT_VERSION, ox.Literal(release.version)),
        (this, DCTERMS.issued, ox.Literal(issued, datatype=named(XSD.date))),
        (this, RDFS.label, ox.Literal(f"Release {release.version}", language="en")),
    ]
    if release.previous:
        earlier = ox.NamedNode(release_iri(base, str(release.previous)))
        stated += [(this, DCAT_PREV, earlier), (this, PROV.wasRevisionOf, earlier)]
    stated += [(this, ELKG.newAction, ox.NamedNode(action.iri)) for action in release.new]
    count = ox.Literal(str(len(release.new)), datatype=named(XSD.integer))
    stated.append((this, ELKG.newActionCount, count))
    return {ox.Triple(s, named(p), o) for s, p, o in stated}


def atom_feed(release: ReleasePlan, base: str, issued: str, title: str) -> bytes:
    """The newest dated list actions of the release as an Atom 1.0 feed (RFC 4287)."""
    ET.register_namespace("", ATOM)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> None:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        element.text = text

    # An action the sources give no date has no place in time: dated the release day, a
    # reader showed six 2020 amendments as the newest news (trial 41). The timeline and the
    # RDF changelog hold them.
    dated = [action for action in release.new if action.date]
    undated = len(release.new) - len(dated)
    feed = ET.Element(f"{{{ATOM}}}feed")
    add(feed, "id", f"{base}dumps/{FEED}")
    add(feed, "title", f"{title}: list actions")
    left_out = (
        f"; {undated} whose date the sources do not give are not here: they are on the "
        f"timeline, {base}timeline/"
        if undated
        else ""
    )
    add(
        feed,
        "subtitle",
        f"Additions, removals and amendments new in release {release.version}{left_out}",
    )
    add(feed, "updated", f"{issued}T00:00:00Z")
    add(feed, "link", rel="self", href=f"{base}dumps/{FEED}")
    add(feed, "link", rel="related", href=release.iri)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    add(author, "name", title)
    for action in dated[:FEED_ENTRIES]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        add(entry, "id", action.iri)
        reading = " (the editors' reading)" if action.editorial else ""
        words = RENEWAL_WORDS.get(action.kind) if action.renewal else None
        renewal = f", {words}" if words else ""
        # An observed action's name begins with its kind ("Removal observed: ..."): said twice,
        # "Removal: Removal observed" (trial 40).
        observed = action.basis == "observed" and action.label.startswith(action.kind)
        head = action.label if observed else f"{action.kind}{reading}: {action.label}"
        add(entry, "title", f"{head}{renewal}")
        add(entry, "updated", f"{action.date}T00:00:00Z")
        add(entry, "link", rel="alternate", href=action.iri)
        add(entry, "category", term=action.kind)
        add(entry, "summary", _summary(action))
    ET.indent(feed)
    written: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return written + b"\n"


def _summary(action: Action) -> str:
    """What the action did, when, and to which entries: an addition of 28 named one."""
    parts = [f"{action.kind}, {action.when()}"]
    if action.editorial:
        parts[0] += " (the editors' reading of the rules the list cites, not the list's word)"
    entities = action.entities
    if entities:
        named_here = ", ".join(entities[:NAMED_ENTITIES])
        more = len(entities) - NAMED_ENTITIES
        tail = f" and {more} more" if more > 0 else ""
        count = f"{len(entities)} entities" if len(entities) > 1 else "entity"
        parts.append(f"{count}: {named_here}{tail}")
    if action.rule:
        parts.append(f"made by {action.rule}")
    return "; ".join(parts) + "."
