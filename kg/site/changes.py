"""What changed in each snapshot of the list: the entries it showed added, removed and amended
(with the fields that changed), as the snapshot history states them (`elkg:observedIn`)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Protocol

import pyoxigraph as ox

from kg.iris import local_name
from kg.publish.release import RENEWAL
from kg.site import codes
from kg.site.pages import Facts
from kg.site.queries import PREFIXES
from kg.site.render import printable, words_reordered
from kg.store import text_rows

OBSERVED = (
    PREFIXES
    + """
SELECT ?snapshot ?issued ?action ?kind ?entity ?list ?before (SAMPLE(?previous) AS ?was)
       (SAMPLE(?listing) AS ?entry)
       (GROUP_CONCAT(DISTINCT STR(?property); separator=" ") AS ?fields)
       (MIN(?starts) AS ?start) (MIN(?ends) AS ?end) (MIN(?later) AS ?renewedFrom)
       (MIN(?earlier) AS ?renewsFrom) WHERE {
  VALUES ?kind { elkg:Addition elkg:Amendment elkg:Removal }
  ?action a ?kind ; elkg:observedIn ?snapshot ; elkg:affectsListing ?listing .
  ?snapshot dcterms:issued ?issued .
  ?listing elkg:listedEntity ?entity ; elkg:onList ?list .
  OPTIONAL { ?action elkg:notObservedIn ?before }
  OPTIONAL { ?action elkg:changedProperty ?property }
  OPTIONAL { ?action elkg:previousName ?previous }
  OPTIONAL { ?listing elkg:startDate ?starts }
  OPTIONAL { ?listing elkg:endDate ?ends }
  # A renewed order's entries: the later one that renews this one, the earlier it renews.
  OPTIONAL { ?listing ^elkg:renews/elkg:startDate ?later }
  OPTIONAL { ?listing elkg:renews/elkg:startDate ?earlier }
}
GROUP BY ?snapshot ?issued ?action ?kind ?entity ?list ?before"""
)

#: The snapshots that hold only some of the lists' entries (a sample, a subset).
PARTIAL = PREFIXES + "SELECT ?snapshot WHERE { ?snapshot elkg:completeSnapshot false }"


#: Section headings and anchors, in the order the page shows them.
SECTIONS = (("Addition", "added", "Added"), ("Removal", "removed", "Removed"),
            ("Amendment", "amended", "Amended"))  # fmt: skip


@dataclass(frozen=True, order=True, kw_only=True)
class Change:
    """One entry that a snapshot showed added, removed or amended."""

    entity_label: str
    entity: str
    list_label: str
    screening_list: str
    action: str
    not_seen: str  # the last date the change was not yet seen
    #: Labels of the changed properties (amendments), after "renamed (was ...)" for a rename,
    #: which may change no other field (the same words in another order).
    fields: tuple[str, ...]
    #: The entry's start and end dates as the list gives them (empty: none): which of a
    #: party's entries changed, where a party has several (a renewed denial order).
    start: str = ""
    end: str = ""
    #: The start of the other entry of a renewal (kg.sources.history.renewals): a removed
    #: entry's later one that renews it, an added entry's earlier one it renews.
    renewal: str = ""
    #: The entry changed: its renewals are linked (Facts.listings).
    listing: str = ""
    #: How many entries of the party on the list from that start changed alike here: the
    #: list prints one order as several entries where their end dates or terms differ
    #: (MAHMOUD AMINI's of 2023-10-31, ending 2024-10-20 and 2024-10-30), two rows that read
    #: as two additions (trial 43b).
    apart: int = 1

    def ended_by(self, day: str) -> bool:
        """A removal of an entry whose own end date came by the day, not renewed: it ended,
        and the list then dropped it."""
        return bool(self.end and self.end <= day and not self.renewal)


@dataclass(frozen=True, kw_only=True)
class Snapshot:
    iri: str
    issued: str
    path: str  # of its "what changed" page
    changes: dict[str, list[Change]]  # by kind, sorted by entity name
    complete: bool = True  # false: a sample or a subset, which shows no removal

    @property
    def total(self) -> int:
        return sum(len(found) for found in self.changes.values())

    def renewals(self, kind: str) -> int:
        """How many of a kind of change are of a renewed order's entries."""
        return sum(1 for change in self.changes.get(kind, []) if change.renewal)

    def parties(self, kind: str) -> int:
        """How many parties a kind of change is of: entries counted as parties overcounted
        MAHMOUD AMINI's order, printed as two entries (trial 47b)."""
        return len({change.entity for change in self.changes.get(kind, [])})

    def expired(self, kind: str) -> int:
        """How many removals are of entries that had ended by their own dates: Adrian Manuel
        Hernandez's order, ended 2020-10-13, read among the removals of 2022-05-06 as a party
        taken off (trial 46b)."""
        if kind != "Removal":
            return 0
        return sum(1 for change in self.changes.get(kind, []) if change.ended_by(self.issued))


class Dated(Protocol):
    """A snapshot as `uncounted` reads the one before: a Snapshot, or a snapshot read."""

    @property
    def issued(self) -> str: ...

    @property
    def complete(self) -> bool: ...


def uncounted(snapshot: Snapshot, before: Dated | None, kind: str) -> str:
    """Why a kind of change of a snapshot is not counted, where it is not; else "". "Added
    (0) None." after a partial snapshot read as "nothing added from 2019 to 2022" (trial 28).

    >>> later = Snapshot(iri="s", issued="2022-05-06", path="p", changes={"Addition": []})
    >>> uncounted(later, Snapshot(iri="e", issued="2019-12-03", path="", changes={},
    ...           complete=False), "Addition")[:47]
    'not counted: the snapshot before, of 2019-12-03'
    """
    if snapshot.changes.get(kind):
        return ""
    if kind == "Addition" and before is not None and not before.complete:
        return (
            f"not counted: the snapshot before, of {before.issued}, is partial, so an entry it "
            "does not show may have been listed then"
        )
    if kind == "Removal" and not snapshot.complete:
        return "not counted: this snapshot is partial, so an entry it lacks may still be listed"
    return ""


def snapshots(store: ox.Store, facts: Facts) -> list[Snapshot]:
    """Every snapshot that showed changes, oldest first, with its changes."""
    found: dict[str, dict[str, list[Change]]] = defaultdict(lambda: defaultdict(list))
    issued: dict[str, str] = {}
    for v in text_rows(store, OBSERVED):
        snapshot = v["snapshot"]
        issued[snapshot] = min(v["issued"], issued.get(snapshot, v["issued"]))
        fields = {codes.term(p, facts.labels) for p in v.get("fields", "").split()}
        found[snapshot][local_name(v["kind"])].append(
            Change(
                entity_label=printable(facts.label(v["entity"])),
                entity=v["entity"],
                list_label=facts.label(v["list"]),
                screening_list=v["list"],
                action=v["action"],
                not_seen=v.get("before", ""),
                fields=_renamed(v.get("was", ""), _entry_name(facts, v)) + tuple(sorted(fields)),
                start=v.get("start", ""),
                end=v.get("end", ""),
                renewal=v.get(RENEWAL.get(local_name(v["kind"]), ""), ""),
                listing=v.get("entry", ""),
            )
        )
    partial = {v["snapshot"] for v in text_rows(store, PARTIAL)}
    return sorted(
        (
            Snapshot(
                iri=iri,
                issued=issued[iri],
                complete=iri not in partial,
                path=changes_path(iri),
                changes={kind: _by_name(by_kind.get(kind, [])) for kind, _, _ in SECTIONS},
            )
            for iri, by_kind in found.items()
        ),
        key=lambda s: (s.issued, s.iri),
    )


def _by_name(changes: list[Change]) -> list[Change]:
    """By name as a reader looks one up, whatever its letter case: the OFAC lists write
    names in capitals ("ABDUL ..."), the others not ("Aaron ..."); each with how many
    entries of its party, list and start are among them."""
    apart = Counter(_entry_of_day(change) for change in changes)
    counted = [replace(change, apart=apart[_entry_of_day(change)]) for change in changes]
    return sorted(counted, key=lambda change: (change.entity_label.casefold(), change))


def _entry_of_day(change: Change) -> tuple[str, str, str]:
    """A dated entry of a party on a list; an undated one is each its own."""
    return (change.entity, change.screening_list, change.start or change.action)


def _entry_name(facts: Facts, row: dict[str, str]) -> str:
    """The name the entry prints, as its amendment's page compares it; else its party's."""
    entry = row.get("entry", "")
    return (entry and facts.entry_name(entry)) or facts.label(row["entity"])


def _renamed(was: str, name: str) -> tuple[str, ...]:
    """A rename, said as a reprint where the name's words are only in another order (the
    table said "renamed" of 81 such of the 2023 subset: trial 58b)."""
    if not was:
        return ()
    said = "its words reordered" if words_reordered(was, name) else "renamed"
    return (f"{said} (was {printable(was)})",)


#: The folder of the list of "what changed" pages, one per snapshot under it.
CHANGES = "changes/"


def changes_path(snapshot: str) -> str:
    """The folder of a snapshot's "what changed" page.

    >>> changes_path("https://w3id.org/entitylist-kg/id/source/csl-2022-05")
    'changes/csl-2022-05/'
    """
    return f"{CHANGES}{snapshot.rstrip('/').rsplit('/', 1)[-1]}/"
