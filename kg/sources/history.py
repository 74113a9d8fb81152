"""What changed between two snapshots of the list: additions, removals, amendments.

An entry is one (list, entity, start date), the same key the listing IRIs are minted from,
so an entry keeps its identity from one snapshot to the next although the CSL record ids do
not. Two kinds of time are kept apart: a change is observed in the newer snapshot and not in
the older one; the day a rule took legal effect is only known where the rule is.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg import iris
from kg.sources.csl import COLUMN_PROPERTIES, KINDS, LISTS, list_iri, list_name, list_title
from kg.sources.csl_read import Row
from kg.vocab import ELKG, SCHEMA

ENTITY_TYPES = {
    folder: tuple(t for t in types if t is not None) for folder, *types in KINDS.values()
}

# Columns that are not facts about the entry: record ids change with every download.
IGNORED = {"_id"}


@dataclass(frozen=True, order=True)
class Key:
    list: str
    entity: str
    start: str

    def describe(self) -> str:
        return f"{self.list}: {self.entity}{f' (from {self.start})' if self.start else ''}"


@dataclass(frozen=True)
class Change:
    kind: str  # "Addition", "Removal", "Amendment"
    key: Key
    fields: tuple[str, ...] = ()
    name: str = ""  # the published name, so that a removed entry is still named


def entries(rows: list[Row]) -> dict[Key, dict[str, frozenset[str]]]:
    """Every entry of a snapshot, with the values of each column over the rows it merges."""
    found: dict[Key, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        f = row.fields
        if f["source"] not in LISTS or not f["name"].strip():
            continue
        kind = KINDS.get(f["type"].strip().lower(), KINDS[""])[0]
        key = Key(
            LISTS[f["source"]], f"{kind}/{iris.slug(f['name'].strip())}", f["start_date"].strip()
        )
        for column, value in f.items():
            if column not in IGNORED and value.strip():
                found[key][column].add(value.strip())
    return {key: {c: frozenset(v) for c, v in columns.items()} for key, columns in found.items()}


def diff(
    old: dict[Key, dict[str, frozenset[str]]], new: dict[Key, dict[str, frozenset[str]]]
) -> list[Change]:
    def name(entry: dict[str, frozenset[str]]) -> str:
        return min(entry.get("name", frozenset({""})))

    changes = [Change("Addition", key, name=name(new[key])) for key in new.keys() - old.keys()]
    changes += [Change("Removal", key, name=name(old[key])) for key in old.keys() - new.keys()]
    for key in old.keys() & new.keys():
        changed = sorted(
            c for c in old[key].keys() | new[key].keys() if old[key].get(c) != new[key].get(c)
        )
        if changed:
            changes.append(Change("Amendment", key, tuple(changed), name(new[key])))
    return sorted(changes, key=lambda change: (change.key, change.kind))


def describe(changes: list[Change]) -> str:
    """The changes for people: one line each, grouped by kind."""
    lines = []
    for kind in ("Addition", "Removal", "Amendment"):
        these = [c for c in changes if c.kind == kind]
        lines.append(f"{len(these)} {kind.lower()}s")
        lines += [
            f"  {'+-~'[('Addition', 'Removal', 'Amendment').index(kind)]} {c.key.describe()}"
            + (f"  [{', '.join(c.fields)}]" if c.fields else "")
            for c in these
        ]
    return "\n".join(lines)


def changes_graph(
    changes: list[Change], old_date: dt.date, new_snapshot: URIRef, base: str
) -> Graph:
    """The changes as list actions, each observed in the newer snapshot and not in the older."""
    graph = Graph()
    for change in changes:
        entity = URIRef(f"{base}id/{change.key.entity}")
        screening_list = list_iri(change.key.list, base)
        listing = URIRef(
            iris.listing(
                screening_list.rsplit("/", 1)[1],
                entity.rsplit("/", 1)[1],
                change.key.start or "undated",
                base,
            )
        )
        action = URIRef(
            f"{listing}/{change.kind.lower()}-observed-{new_snapshot.rsplit('/', 1)[1]}"
        )
        graph.add((action, RDF.type, ELKG[change.kind]))
        graph.add(
            (
                action,
                RDFS.label,
                Literal(f"{change.kind} observed: {change.key.describe()}", lang="en"),
            )
        )
        graph.add((action, ELKG.affectsListing, listing))
        graph.add((action, ELKG.observedIn, new_snapshot))
        graph.add((action, ELKG.notObservedIn, Literal(old_date.isoformat(), datatype=XSD.date)))
        for column in change.fields:
            graph.add((action, ELKG.changedProperty, COLUMN_PROPERTIES[column]))
        # A removed entry is not in the newer snapshot: state what identifies it here.
        folder = change.key.entity.split("/", 1)[0]
        for entity_type in ENTITY_TYPES[folder]:
            graph.add((entity, RDF.type, entity_type))
        graph.add((entity, ELKG.publishedName, Literal(change.name)))
        graph.add((entity, SCHEMA.name, Literal(change.name)))
        graph.add((screening_list, RDF.type, ELKG.ScreeningList))
        graph.add((screening_list, SCHEMA.name, Literal(list_title(list_name(change.key.list)))))
        graph.add((listing, RDF.type, ELKG.Listing))
        graph.add((listing, ELKG.listedEntity, entity))
        graph.add((listing, ELKG.onList, screening_list))
        if change.key.start:
            graph.add((listing, ELKG.startDate, Literal(change.key.start, datatype=XSD.date)))
    return graph
