"""What the pages show: the named queries' rows (kg.site.queries), grouped by resource.

Each query runs once for the whole site, so that a build with tens of thousands of pages
still makes only a handful of queries; what the sources say of one resource, and what links
to it, are read as its pages ask (kg.site.edges). `describe_query` and
`describe_quads_query` are also here for the server's Linked Data answers, which import them
from this module.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg import iris
from kg.in_force import Window, end_not_known, known_published, review_span, window
from kg.match.countries import code as country_code
from kg.match.id_dates import dated
from kg.match.labels import (
    KINDS_BROADER,
    OTHER,
    Broader,
    Preference,
    broader_of,
    most_telling,
    preference,
)
from kg.match.name_index import COUNTRY_PROPERTIES
from kg.publish.release import RENEWAL_WORDS
from kg.site import codes, queries, versions
from kg.site.edges import Described, Linking, Value
from kg.site.queries import describe_quads_query, describe_query
from kg.store import select, text_rows
from kg.vocab import PREFIXES as NAMESPACES

__all__ = [
    "Facts",
    "Listing",
    "Statement",
    "Value",
    "describe_quads_query",
    "describe_query",
    "gather",
]
ELKG = NAMESPACES["elkg"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


#: One list action, as the ACTIONS query gives it (text or None), with `fields`: the
#: properties an amendment observed between snapshots changed; `values`: what each lost and
#: gained, by (property, "removed" or "added"); and `when`/`when_kind`.
Action = dict[str, Any]

#: What tells namesakes apart, in the order an entity page shows it.
FACTS = [
    *(ELKG + local for local in ("dateOfBirth", "placeOfBirth", "nationality", "citizenship")),
    ELKG + "country",
    "https://schema.org/jobTitle",
    *(ELKG + local for local in ("identifierText", "callSign", "vesselType", "vesselFlag")),
    *(ELKG + local for local in ("vesselOwner", "grossTonnage", "grossRegisteredTonnage")),
    ELKG + "remarks",
]
IDENTIFIER = ELKG + "identifierText"
REMARKS = ELKG + "remarks"
UNPARSED_CITATION = ELKG + "unparsedCitation"
VOID = "http://rdfs.org/ns/void#"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
#: What an entity page shows in a section of its own (kinds, names, facts, organisation,
#: addresses, the same party elsewhere); the rest of what the graph says of it is "Also
#: stated", so that no fact about it is left off its page.
SCHEMA = "https://schema.org/"
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
SHOWN = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    *FACTS,
    *(SCHEMA + local for local in ("name", "alternateName", "address", "parentOrganization")),
    *(SCHEMA + local for local in ("url",)),
    *(ELKG + local for local in ("repairedName", "publishedName", "transliteration")),
    *(ELKG + local for local in ("formerName", "subOrganizationOf", "address")),
    "http://www.w3.org/ns/org#subOrganizationOf",
    SAME_AS,
}
COUNTRY_FACTS = {ELKG + local for local in COUNTRY_PROPERTIES}
#: What a comparison of possibly the same parties shows beside their entries and addresses.
TELLING = [
    *(ELKG + local for local in ("dateOfBirth", "placeOfBirth", "nationality", "citizenship")),
    *(ELKG + local for local in ("country", "vesselFlag")),
]
CANDIDATE = ELKG + "candidate"

KINDS = {ELKG + kind: kind for kind in ("Addition", "Amendment", "Removal")}
#: The names a remark's "Linked To:" may give a listed party by.
NAMED = {SCHEMA + "name", SCHEMA + "alternateName"}
LINKED = "Linked To: "


def linked_spans(text: str) -> list[tuple[int, int]]:
    """Where each name a remark links to stands: after "Linked To: ", up to a ";" or the
    ")" that closes the remark's bracket (a name may hold brackets of its own).

    >>> text = "(Linked To: ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE; Linked To: X)"
    >>> [text[a:b] for a, b in linked_spans(text)]
    ['ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE', 'X']
    """
    spans = []
    at = text.find(LINKED)
    while at >= 0:
        start = end = at + len(LINKED)
        depth = 0
        while end < len(text) and not (text[end] in ");" and depth == 0):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        spans.append((start, end))
        at = text.find(LINKED, end)
    return spans


def when(action: Action) -> tuple[str | None, str]:
    """The date an action is known by, and what that date is: the day it took effect, else
    the day its rule was published, else the snapshot that first showed it, else the year of
    its rule's Federal Register volume. Never the entry's own start date.

    >>> when({"effective": None, "published": None, "observed": "2022-05-06", "year": None})
    ('2022-05-06', 'observed')
    """
    for key, meaning in (
        ("effective", "effective"),
        ("published", "published"),
        ("observed", "observed"),
        ("year", "year of the rule"),
    ):
        if action.get(key):
            return str(action[key]), meaning
    return None, "date not recorded"


KIND_ORDER = {ELKG + "Addition": 0, ELKG + "Amendment": 1, ELKG + "Removal": 2}


def chronological(action: Action) -> tuple[str, bool, str, int, str]:
    """Where an action goes in a history: by its date; one known only by its year after the
    dated actions of that year (it may have been any day of it); an addition before an
    amendment before a removal on the same day; undated last.

    >>> rows = [{"when": "2020", "kind": ELKG + "Amendment", "action": "a"},
    ...         {"when": "2020-06-05", "kind": ELKG + "Addition", "action": "b"},
    ...         {"when": "2019-05-21", "kind": ELKG + "Removal", "action": "c"},
    ...         {"when": None, "kind": ELKG + "Amendment", "action": "d"}]
    >>> [r["action"] for r in sorted(rows, key=chronological)]
    ['c', 'b', 'a', 'd']
    """
    when = str(action["when"] or "9999")
    kind = KIND_ORDER.get(str(action["kind"]), 3)
    return (when[:4], len(when) == 4, when, kind, str(action["action"]))


@dataclass(kw_only=True)
class Listing:
    iri: str
    entity: str
    screening_list: str
    start: str | None
    #: The date of the first snapshot that showed it: an observation, not a start (kg.in_force)
    observed: str | None
    #: A start date the list printed that is no day ("0017-05-26"), as printed
    unparsed_start: str | None = None
    #: The date of the last snapshot that showed it: later partial ones may not have
    last_seen: str | None = None
    end: str | None
    requirement: str | None
    policy: str | None
    policy_text: str | None
    rationales: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    #: Pages inside a rule the entry cites as the list prints them ("84 FR 54004"): the
    #: rule, by its first page, is among `rules`, and the page was not shown (trial 36).
    cited_pages: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    #: The later entries that renew it, and the earlier ones it renews, as (IRI, since):
    #: our reading of a renewed order (kg.sources.history.renewals).
    renewed_by: list[tuple[str, str]] = field(default_factory=list)
    renews: list[tuple[str, str]] = field(default_factory=list)

    @property
    def removal(self) -> Action | None:
        """The removal of this entry observed in a snapshot, if one was."""
        return next((a for a in self.actions if a["kind"] == ELKG + "Removal"), None)

    @property
    def since(self) -> str:
        """Since when it counts, in words: its start date, or the day it was first seen."""
        if self.start:
            return self.start
        given = f"“{self.unparsed_start}”, no date" if self.unparsed_start else "no start date"
        return f"{given}, first observed {self.observed}" if self.observed else given

    @property
    def dates(self) -> Window:
        """Its window by the as-of rule: its dates and the removal seen, if any."""
        removal = self.removal
        removals = [removal["observed"]] if removal and removal["observed"] else []
        return window(start=self.start, observed=self.observed, end=self.end, removals=removals)

    def status(self, day: str, known_to: str = "") -> str:
        """Whether the entry stood on `day` by the as-of rule of kg.in_force (as far as
        known, where no snapshot that day showed it and the day is after `known_to`, the
        day of the last snapshot of the whole lists), and if not, why: ended, removed, not
        known, not yet in force, never observed.

        The earlier of its end and its removal tells: AL NASER WINGS AIRLINES's order of
        2019-06-05 "until 2019-12-03", renewed by another entry, was said "Removed: not in
        the snapshot of 2022-05-06" (trial 36). An end after `known_to`, passed by the day,
        is not known to have come: no snapshot since could show the entry extended.

        >>> order = Listing(iri="x:1", entity="x:e", screening_list="x:dpl", start="2019-06-05",
        ...     observed=None, unparsed_start=None, end="2019-12-03", requirement=None,
        ...     policy=None, policy_text=None)
        >>> order.status("2025-06-25", "2022-05-06"), order.status("2019-12-01", "2022-05-06")
        ('ended', 'in force')
        >>> order.end = "2022-10-04"
        >>> order.status("2025-06-25", "2022-05-06"), order.status("2025-06-25", "2023-01-01")
        ('not known', 'ended')
        >>> order.renewed_by = [("x:2", "2022-10-04")]
        >>> order.status("2025-06-25", "2022-05-06"), order.status("2022-10-01", "2022-05-06")
        ('renewed', 'in force as far as known')
        >>> order.renewed_by, order.end, order.last_seen = [], None, "2022-05-06"
        >>> order.status("2025-06-25", "2022-05-06"), order.status("2022-05-06", "2022-05-06")
        ('in force as far as known', 'in force')
        """
        removal = self.removal
        removed = removal["observed"] if removal else None
        dates = self.dates
        if dates.in_force(day):
            # Unseen on a day after the last snapshot of the whole lists: green "In force" on
            # 2025-06-25, read from the lists of 2022-05-06, was quoted as seen (trial 36).
            unseen = known_to and known_to < day and (self.last_seen or "") < day
            return "in force as far as known" if unseen else "in force"
        if self.end and self.end <= day and (not removed or self.end <= removed):
            # A red "Ended" read as a party off the list until its order's next entry, which
            # renews it (trial 39): said "renewed", as our reading, once that entry began.
            if any(since <= day for _, since in self.renewed_by):
                return "renewed"
            return "not known" if end_not_known(dates, self.end, known_to, day) else "ended"
        if removed and removed <= day:
            return "removed"
        return "not yet in force" if dates.since else "never observed"


@dataclass(kw_only=True)
class Statement:
    iri: str
    speaker: str
    text: str
    language: str | None
    verbatim: bool
    stance: str
    source: str
    role: str | None
    behalf: str | None
    date: str | None
    venue: str | None
    reported: str | None  # when the source that reports it was issued
    quoted_by: str | None
    original: str | None
    concerns: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Facts:
    """Everything the site shows, gathered from the store in a few whole-site queries."""

    labels: dict[str, str]
    out: Mapping[str, list[tuple[str, Value]]]
    incoming: Mapping[str, list[tuple[str, str]]]
    listings: dict[str, Listing]
    statements: dict[str, Statement]
    valuations: list[dict[str, str | None]]
    graphs: dict[str, str]
    #: list IRI -> (entries, distinct entities), as LIST_COUNTS answers over SPARQL
    list_counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: our inferences and the curators' judgements, which no source names (_name_inferences)
    inferences: frozenset[str] = frozenset()
    #: the parties whose kind no source states, only our inference (kg.match.inferred)
    kinds_inferred: frozenset[str] = frozenset()
    #: each of our classes -> those it is narrower than (kg.match.labels.KINDS_BROADER)
    broader: Broader = field(default_factory=dict)
    #: the graphs of the editors' own documents (the curation), whose actions are readings
    editorial: frozenset[str] = frozenset()
    #: our derived graphs, cited for a fact only where no source states it (kg.site.edges)
    derived: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Indexes, so that each page finds its rows without scanning every listing or statement.
        self._listings_of: dict[str, list[Listing]] = defaultdict(list)
        self._on_list: dict[str, list[Listing]] = defaultdict(list)
        self._citing: dict[str, list[Listing]] = defaultdict(list)
        self._citing_rule: dict[str, list[Listing]] = defaultdict(list)
        self.actions: dict[str, Action] = {}
        self._affected: dict[str, list[Listing]] = defaultdict(list)
        for listing in sorted(self.listings.values(), key=lambda x: (x.start or "", x.iri)):
            self._listings_of[listing.entity].append(listing)
            self._on_list[listing.screening_list].append(listing)
            for rationale in listing.rationales:
                self._citing[rationale].append(listing)
            for rule in listing.rules:
                self._citing_rule[rule].append(listing)
            for action in listing.actions:
                self.actions.setdefault(str(action["action"]), action)
                self._affected[str(action["action"])].append(listing)
        for members in self._on_list.values():
            members.sort(key=lambda x: (self.label(x.entity).casefold(), x.iri))
        self._name_listings_and_actions()
        self._name_inferences()
        self.named = self._name_parties()  # for remarks' "Linked To:" (linked)
        self._about: dict[str, list[Statement]] = defaultdict(list)
        self._by: dict[str, list[Statement]] = defaultdict(list)
        for statement in sorted(self.statements.values(), key=lambda s: s.iri):
            for target in statement.concerns:
                self._about[target].append(statement)
            for agent in {statement.speaker, statement.behalf} - {None}:
                self._by[str(agent)].append(statement)
        self._valuations: dict[str, list[dict[str, str | None]]] = defaultdict(list)
        for valuation in self.valuations:
            self._valuations[str(valuation["entity"])].append(valuation)

    def statements_about(self, targets: Iterable[str]) -> list[Statement]:
        found = {s.iri: s for target in targets for s in self._about.get(target, ())}
        return [found[iri] for iri in sorted(found)]

    def statements_by(self, agent: str) -> list[Statement]:
        return self._by.get(agent, [])

    def valuations_of(self, entity: str) -> list[dict[str, str | None]]:
        return self._valuations.get(entity, [])

    def listings_citing(self, rationale: str) -> list[Listing]:
        return sorted(self._citing.get(rationale, ()), key=lambda x: (x.entity, x.iri))

    def label(self, iri: str) -> str:
        return self._known(iri) or codes.last_segment(iri)

    def outside_label(self, iri: str) -> str:
        """An IRI outside the site, by its label, or as codes.outside writes it."""
        return self._known(iri) or codes.outside(iri)

    def _known(self, iri: str) -> str:
        # A namespace ("…/ontology#") is named as the document it ends ("…/ontology").
        known = self.labels.get(iri) or self.labels.get(iri.rstrip("#")) or codes.licence(iri)
        return "" if known == iri else known

    def listings_of(self, entity: str) -> list[Listing]:
        return self._listings_of.get(entity, [])

    def printed_names(self, entity: str) -> list[tuple[str, list[str]]]:
        """(name, the lists whose entries print it) for each name the party's entries print
        (elkg:entryName): AL NASER AIRLINES's page joined the SDN's AL-NASER AIRLINES and two
        DPL spellings and did not say why (trial 50b)."""
        lists: dict[str, set[str]] = defaultdict(set)
        for listing in self.listings_of(entity):
            for p, v in self.out.get(listing.iri, ()):
                if p == ELKG + "entryName":
                    lists[v.text].add(self.abbreviation(listing.screening_list))
        return [(name, sorted(found)) for name, found in sorted(lists.items())]

    def same_party(self, iri: str, base: str) -> list[str]:
        """Every party of ours (under `base`) a curator judged to be this one, directly or
        through another, sorted: owl:sameAs is symmetric and transitive. Rosoboronexport's
        Entity List and ISN parties are each judged the same as the SDN's ROSOBORONEKSPORT
        OAO, so each of the three pages names the two others."""
        seen, todo = {iri}, [iri]
        while todo:
            node = todo.pop()
            linked = [v.iri for p, v in self.out.get(node, []) if p == SAME_AS and v.iri]
            linked += [s for p, s in self.incoming.get(node, []) if p == SAME_AS]
            fresh = {other for other in linked if other.startswith(base)} - seen
            seen |= fresh
            todo += sorted(fresh)
        return sorted(seen - {iri})

    def candidate_matches(self, iri: str) -> list[tuple[str | None, list[str]]]:
        """Our candidate matches that name the party, each with the other parties it names:
        namesakes a list numbers or dates apart, or parties of other lists whose names
        agree; then (with no match of its own) the namesakes paired with those. None is a
        judgement; a page names them so that a screener can tell them apart (the SDN's two
        MINISTRY OF STATE SECURITY, of North Korea and of Luhansk)."""
        direct = [(m, [o for o in self.candidates_in(m) if o != iri]) for m in self._matches(iri)]
        return direct + [(None, [other]) for other in self._namesakes_through(iri, direct)]

    def candidate_matches_apart(
        self, iri: str, judged: Collection[str] = ()
    ) -> tuple[list[tuple[str | None, list[str]]], list[tuple[str | None, list[str]]]]:
        """`candidate_matches`, parted: those of parties possibly one (scored, ours), and
        namesakes the list tells apart (by entry number or date of birth, recorded unscored
        by the ingest; None, a namesake's namesake). The SDN's two MINISTRY OF STATE
        SECURITY read as "possibly the same party" (trial 51b). A match of parties all
        `judged` the same as this one is no longer a possibility: Huawei's CMIC record was
        under both headings (trial 55b)."""
        found = self.candidate_matches(iri)
        apart = [(m, o) for m, o in found if m is None or self.namesakes_match(m)]
        settled = [(m, o) for m, o in found if set(o) <= set(judged)]
        return [pair for pair in found if pair not in apart + settled], apart

    def entailing(self, kind: str, kinds: Sequence[Value]) -> list[str]:
        """The kinds among `kinds` that a source states (not our inferences alone) and that
        are narrower than `kind`: Huawei, a Company by 84 FR 22961, is an Organisation by
        the ontology too, which its page called our inference alone (trial 56b)."""
        return sorted(
            k.iri
            for k in kinds
            if k.iri
            and kind in self.broader.get(k.iri, ())
            and any(source not in self.derived for source in k.sources)
        )

    def judgement_between(self, iri: str, other: str) -> str | None:
        """The curator's judgement of our candidate match of the two parties, if one pairs
        them: a party judged the same through a third has none of its own."""
        for match in self._matches(iri):
            if other in self.candidates_in(match):
                return self.first(match, ELKG + "resolvedBy")
        return None

    def judged_apart(self, iri: str) -> list[tuple[str, list[str]]]:
        """(judgement, the other parties it names) of each curator's judgement that the party
        and another are different parties, but those that resolve a candidate match of the
        party, which its page shows with it: Huawei's judgement against its Vietnamese
        affiliate, whose name is its own alias, was linked from no party's page (56b)."""
        judged = {s for p, s in self.incoming.get(iri, []) if p == JUDGED}
        shown = {self.first(m, ELKG + "resolvedBy") for m in self._matches(iri)}
        apart = sorted(j for j in judged - shown if self.first(j, ELKG + "verdict") == DIFFERENT)
        return [(j, [o for o in self._judged_in(j) if o != iri]) for j in apart]

    def _judged_in(self, judgement: str) -> list[str]:
        return sorted(v.iri for p, v in self.out.get(judgement, ()) if p == JUDGED and v.iri)

    def judged_through(self, iri: str, other: str, judged: Sequence[str]) -> str | None:
        """The party of `judged` through which `other` is judged the same as `iri`, where no
        judgement pairs the two: Rosoboronexport's ISN record listed its EL record as judged
        the same by a curator, who judged each the same as the SDN's (trial 56b)."""
        if self.judgement_between(iri, other):
            return None
        return next(
            (
                middle
                for middle in judged
                if self.judgement_between(iri, middle) and self.judgement_between(middle, other)
            ),
            None,
        )

    def namesakes_match(self, match: str) -> bool:
        """Whether a candidate match pairs namesakes the list tells apart: the ingest's,
        unscored (kg.sources.csl), not ours, which is scored."""
        return self.first(match, ELKG + "matchScore") is None

    def _matches(self, iri: str) -> list[str]:
        return sorted({s for p, s in self.incoming.get(iri, []) if p == CANDIDATE})

    def _namesakes_through(self, iri: str, direct: list[tuple[str, list[str]]]) -> list[str]:
        """Parties of the page's name that a candidate match pairs with one of its namesakes,
        not with it: each AL-AQSA FOUNDATION of the SDN is paired with the first of the
        name, and each page names all four."""
        label = self.label(iri)
        seen = {iri, *(other for _, others in direct for other in others)}
        todo = sorted(other for other in seen - {iri} if self.label(other) == label)
        found = []
        while todo:
            for match in self._matches(todo.pop()):
                fresh = [o for o in self.candidates_in(match) if o not in seen]
                for other in (o for o in fresh if self.label(o) == label):
                    seen.add(other)
                    found.append(other)
                    todo.append(other)
        return sorted(found)

    def matches_among(self, parties: Sequence[str]) -> list[str]:
        """Our candidate matches that pair two of the parties: a remark's name two records
        share may be one party (Rosneft on the Entity List and the SSI list)."""
        wanted = set(parties)
        found = {m for party in parties for m in self._matches(party)}
        return sorted(m for m in found if len(wanted & set(self.candidates_in(m))) >= 2)

    def candidates_in(self, match: str) -> list[str]:
        return sorted(v.iri for p, v in self.out.get(match, []) if p == CANDIDATE and v.iri)

    def comparison(self, parties: list[str]) -> list[tuple[str, list[list[Value]], bool]]:
        """What tells `parties` apart, a row per fact (title, values per party, whether they
        are countries): dates and places of birth, nationalities, countries and addresses.
        A fact none of them states has no row."""
        rows = []
        for predicate in TELLING:
            found = [[v for p, v in self.out.get(x, ()) if p == predicate] for x in parties]
            if any(found):
                title = codes.term(predicate, self.labels)
                rows.append((title[:1].upper() + title[1:], found, predicate in COUNTRY_FACTS))
        addresses = [self.addresses_of(party) for party in parties]
        return rows + ([("Addresses", addresses, False)] if any(addresses) else [])

    def printed_apart(self, listing: Listing) -> list[Listing]:
        """The party's other entries on the list from the same start, which the list prints
        apart (their licence terms or end dates differ)."""
        return [
            x
            for x in self.listings_of(listing.entity)
            if x.screening_list == listing.screening_list
            and x.start == listing.start
            and x.iri != listing.iri
        ]

    def apart_difference(self, listing: Listing) -> str:
        """What differs between an entry and those printed apart from it, in words: "licence
        terms" that differ in punctuation or spacing only were said to differ (trial 48b: NBC
        Navegan Bar's "…EAR)" and "…EAR).")."""
        others = self.printed_apart(listing)
        ends = any(x.end != listing.end for x in others)
        terms = [(x.requirement, x.policy_text) for x in (listing, *others)]
        if len(set(terms)) == 1:
            return "end dates" if ends else "licence terms"
        folded = {tuple(_letters(text) for text in pair) for pair in terms}
        said = "licence terms" + (" (in punctuation or spacing only)" if len(folded) == 1 else "")
        return f"{said} and end dates" if ends else said

    def told_apart(self, iri: str) -> str:
        """What tells the entry from those printed apart from it, for a link to it: the 2021
        entry of MAHMOUD AMINI linked one of its two renewing entries of 2023-10-31 (48b)."""
        listing = self.listings.get(iri)
        return self._told_apart(listing) if listing else ""

    def _told_apart(self, listing: Listing) -> str:
        """What tells an entry from those the list prints apart from it, for its name: its
        end, else an address only its rows print. The two entries of MAHMOUD AMINI of
        2023-10-31 had one title and one citation (48b), and NBC Navegan Bar's two (49a)."""
        others = self.printed_apart(listing)
        if not others:
            return ""
        if listing.end and all(x.end != listing.end for x in others):
            return f", until {listing.end}"
        theirs = {a.text for x in others for a in self.entry_addresses(x.iri)}
        own = [a.text for a in self.entry_addresses(listing.iri) if a.text not in theirs]
        return f", at {own[0]}" if own else ""

    def rows_printed(self, listing: str) -> int:
        """The most rows one snapshot prints the entry in (a record id each): the ids of all
        snapshots together counted NBC Navegan Bar's one row of 2022 and one of 2023 as "2
        rows" (trial 48b)."""
        ids = [v for p, v in self.out.get(listing, ()) if p == ELKG + "cslId"]
        return max(Counter(g for v in ids for g in v.sources).values(), default=0)

    def entry_addresses(self, listing: str) -> list[Value]:
        """The addresses the list prints with an entry: entries of one party printed apart
        are told by them (trial 47b: AMINI's entry ending 2024-10-20 showed none)."""
        return self.addresses_of(listing, ELKG + "entryAddress")

    def addresses_of(self, iri: str, link: str = ELKG + "address") -> list[Value]:
        """The party's addresses as written in full, each with the sources of its link (or
        of the node's `link`)."""
        return [
            Value(text.text, sources=node.sources)
            for p, node in self.out.get(iri, ())
            if p == link and node.iri
            for q, text in self.out.get(node.iri, ())
            if q == ELKG + "fullAddress"
        ]

    def listings_on(self, screening_list: str) -> list[Listing]:
        """The entries of a list, by their entity's name."""
        return self._on_list.get(screening_list, [])

    def listings_citing_rule(self, rule: str) -> list[Listing]:
        return self._citing_rule.get(rule, [])

    def cited_in_no_action(self, rule: str) -> list[Listing]:
        """The entries citing a rule with actions that none of them affects: NetPosa,
        SenseNets and FiberHome among the 31 citing 84 FR 54002, which added 28 (trial 41)."""
        actions = [s for p, s in self.incoming.get(rule, ()) if p == ELKG + "madeBy"]
        affected = {x.iri for action in actions for x in self.affected_by(action)}
        citing = self.listings_citing_rule(rule)
        return [x for x in citing if x.iri not in affected] if actions else []

    def pages_inside(self, rule: str) -> list[tuple[Listing, str]]:
        """The entries citing the rule by a page inside it, with that page as the list
        prints it ("84 FR 54004" of 84 FR 54002): as the ingest read it, the page is in the
        rule's volume, and the rule is the one of the entry's there whose first page comes
        last before it (kg.citations.pinned)."""
        found = []
        for listing in self.listings_citing_rule(rule):
            for page in listing.cited_pages:
                volume, _, number = page.partition(" FR ")
                if not number.isdigit():
                    continue
                starts = {
                    at[1]: r for r in listing.rules if (at := self._fr_page(r)) and at[0] == volume
                }
                before = [first for first in starts if first <= int(number)]
                if before and starts[max(before)] == rule:
                    found.append((listing, page))
        return found

    def published(self, rule: str) -> str | None:
        """A rule's day of publication, where known: beside each rule an entry cites, so that
        a reader sees the renewals between two orders of a denied party (trial 43b)."""
        return self.first(rule, ELKG + "publicationDate")

    def unparsed_citations(self, listing: str) -> list[tuple[str, str]]:
        """What the list prints among an entry's rules that is no whole citation ("5/18/2022",
        its rule left out: the rules cell left it out unsaid, trial 45), each with the
        document we read it as where we do ("87 30173 5/18/2022", 87 FR 30173's IRI: the one
        the entry cites whose elkg:readFromCitation is the text), else ""."""
        texts = sorted(v.text for p, v in self.out.get(listing, ()) if p == UNPARSED_CITATION)
        read = {
            printed.text: rule.iri
            for p, rule in self.out.get(listing, ())
            if p == ELKG + "citesInstrument" and rule.iri
            for q, printed in self.out.get(rule.iri, ())
            if q == ELKG + "readFromCitation"
        }
        return [(text, read.get(text, "")) for text in texts]

    def reading_sources(self, listing: str, rule: str) -> tuple[str, ...]:
        """The graphs that read a damaged citation the entry prints as the rule (ours), which
        "which we read as" cites: the list's own citation of the rule in another row of the
        entry is the list's, not our reading (trial 52c)."""
        return tuple(sorted(self._readings(listing).get(rule, ())))

    def _readings(self, listing: str) -> dict[str, set[str]]:
        """Rule -> the graphs that read a damaged citation the entry prints as that rule."""
        read_from = ELKG + "readFromCitation"
        found: dict[str, set[str]] = defaultdict(set)
        for text, rule in self.unparsed_citations(listing):
            for p, v in self.out.get(rule, ()) if rule else ():
                if p == read_from and v.text == text:
                    found[rule].update(v.sources)
        return found

    def read_damaged(self, rule: str, entries: Iterable[str]) -> str:
        """The damaged citation one of the entries prints that we read as the rule, where no
        source states that the entry cites it: a renewal's documents, "As of a day" and the
        rule's table of entries gave our reading of "87 30173 5/18/2022" as the list's own
        (trial 52c)."""
        for entry in entries:
            printed = next(
                (text for text, read in self.unparsed_citations(entry) if read == rule), ""
            )
            if printed and not set(self.rule_sources(entry, rule)) & set(self.graphs.values()):
                return printed
        return ""

    def spellings(self, values: Sequence[Value]) -> list[tuple[Value, list[Value]]]:
        """Names by their letters whatever their case, each with the others spelt so:
        Transneft's aliases read "AK TRANSNEFT OAO", "AK Transneft OAO", ... twelve lines of
        seven names, one list printing them in capitals, another not (trial 55b; 157 parties
        of the whole 2022 CSL)."""
        alike: dict[str, list[Value]] = {}
        for found in values:
            alike.setdefault(found.text.casefold(), []).append(found)
        return [(first, others) for first, *others in alike.values()]

    def versions(self, values: Sequence[Value]) -> list[tuple[Value, list[Value]]]:
        """The values of a fact, long texts alike folded under the longest (kg.site.versions)."""
        return versions.versions(values)

    def renewal_rules(self, earlier: Listing, later: str) -> list[tuple[str, str]]:
        """(rule, day) for the rules the entry `later`, which renews `earlier`, cites that were
        published between the two, by day: only screening said them, and a reader compared
        two lists of 22 and 25 rules by eye to find MAHMOUD AMINI's renewals (trial 45)."""
        renewing = self.listings.get(later)
        if renewing is None:
            return []
        dated = ((rule, self.published(rule) or "") for rule in renewing.rules)
        between = [
            (rule, day)
            for rule, day in dated
            if len(day) == 10 and (earlier.end or "") < day < (renewing.start or "")
        ]
        return sorted(between, key=lambda found: (found[1], found[0]))

    def rules_between(self, earlier: Listing) -> list[tuple[str, str]]:
        """`renewal_rules` of every entry renewing `earlier`, each once: MAHMOUD AMINI's two
        entries of 2023-10-31 cite the same."""
        found = {r for later, _ in earlier.renewed_by for r in self.renewal_rules(earlier, later)}
        return sorted(found, key=lambda r: (r[1], r[0]))

    def review_spans(self, iri: str, known_to: str = "") -> list[tuple[str, str, str]]:
        """(from, until, why): the days on which the entry, not in force by its dates, may have
        been, by screening's readings (kg.in_force: end_not_known, review_span); `until` ""
        for no end, `known_to` the day of the last snapshot of the whole lists. "As of a
        day" dropped MAHMOUD AMINI from the DPL between his orders of 2021 and 2023, whose
        page says the first was renewed in between (trial 50b)."""
        listing = self.listings.get(iri)
        if listing is None:
            return []
        # A renewal's documents in between are no reason where the end is already in doubt.
        spans = self._end_in_doubt(listing, known_to) or self._renewed_in_between(listing)
        return sorted([*spans, *self._earlier_order(listing)])

    def _end_in_doubt(self, listing: Listing, known_to: str) -> list[tuple[str, str, str]]:
        """An end after the last snapshot of the whole lists (kg.in_force.end_not_known)."""
        renewing = min((since for _, since in listing.renewed_by), default="")
        end = listing.end or ""
        # From its end, the first day the rule's test holds, until the renewing entry begins.
        if not end_not_known(listing.dates, end, known_to, end) or (renewing and renewing <= end):
            return []
        why = (
            f"its list gave its end as {end}, after the last snapshot of the whole lists "
            f"({known_to}), which cannot show whether it was extended"
        )
        if renewing:
            why += f"; its entry from {renewing} renews it (our reading)"
            between = self.rules_between(listing)
            if between:
                # The notice two days after AMINI's end was on his page, not here (50c).
                said = self._said(between, [later for later, _ in listing.renewed_by])
                cites = _documents(len(between))  # one is no "documents" (trial 51a)
                why += f" and cites {cites} published in between: {said}"
        return [(end, renewing, why)]

    def _renewed_in_between(self, listing: Listing) -> list[tuple[str, str, str]]:
        """An order ended whose renewing entry cites a document published in between."""
        found = {}
        for later, since in listing.renewed_by:
            between = self.renewal_rules(listing, later)
            span = review_span((day for _, day in between), listing.end or "", since)
            if span and span not in found:
                # Every one, as the entry's page lists them, not the first alone (trial 51c).
                found[span] = (
                    f"its list gave its end as {listing.end}; its entry from {since} renews it "
                    f"(our reading) and cites {_documents(len(between))} published in between: "
                    f"{self._said(between, [later])}; it may have been renewed to cover the day"
                )
        return [(*span, why) for span, why in found.items()]

    def _earlier_order(self, listing: Listing) -> list[tuple[str, str, str]]:
        """An entry whose start follows documents it cites, unless it renews one we read."""
        if not listing.start or listing.renews:
            return []
        dated = sorted((self._published_or_year(r), r) for r in listing.rules)
        span = review_span((day for day, _ in dated), "", listing.start)
        if not span:
            return []
        # Every one, not the oldest alone: MAHAN AIRWAYS' orders of 2008 on read as one (50c).
        before = [(r, d) for d, r in dated if d and span[0] <= known_published(d) < span[1]]
        return [
            (
                *span,
                f"its list gives it the start {listing.start}, but it cites "
                f"{_documents(len(before))} published before: {self._said(before, [listing.iri])}"
                "; that start may be a renewed or amended order's, and an earlier one may have "
                "covered the day",
            )
        ]

    def _said(self, documents: list[tuple[str, str]], entries: list[str], most: int = 6) -> str:
        """Documents and their days, oldest first; past `most`, the first and the latest.
        One the entries cite only by a damaged citation says so."""
        said = []
        for rule, day in documents:
            printed = self.read_damaged(rule, entries)
            read = f"; our reading of “{printed}”, as the list prints it" if printed else ""
            said.append(f"{self.label(rule)} ({day}{read})")
        if len(said) <= most:
            return ", ".join(said)
        return f"{', '.join(said[: most - 1])}, … and the latest, {said[-1]}"

    def _published_or_year(self, rule: str) -> str:
        return self.published(rule) or self.first(rule, ELKG + "frYear") or ""

    def abbreviations_in(self, iri: str) -> list[tuple[str, str]]:
        """The abbreviations the party's facts use that we explain (codes.ABBREVIATIONS)."""
        return codes.abbreviations(v.text for _, found, _ in self.facts_of(iri) for v in found)

    def citing_notes(self, rule: str) -> dict[str, str]:
        """Listing IRI -> what the rule page's table of the entries citing it says beside the
        entry: that it is in none of the rule's actions, or cites a page inside it. The page
        said so in a sentence above the table alone, where a reader of the table's rows
        missed it (trial 42)."""
        notes: dict[str, list[str]] = defaultdict(list)
        for listing in self.cited_in_no_action(rule):
            notes[listing.iri].append("in no action of this rule above")
        for listing, page in self.pages_inside(rule):
            notes[listing.iri].append(f"cites {page}, a page inside this rule")
        for listing, earlier in self.renewed_over(rule):
            notes[listing.iri].append(
                f"published after its entry from {earlier.since} ended ({earlier.end}), which"
                " this one renews (our reading)"
            )
        for listing in self.listings_citing_rule(rule):
            if printed := self.read_damaged(rule, [listing.iri]):
                notes[listing.iri].append(
                    f"the list prints “{printed}”, which we read as this document (our reading"
                    " of a damaged citation)"
                )
        return {iri: "; ".join(said) for iri, said in notes.items()}

    def renewed_over(self, rule: str) -> list[tuple[Listing, Listing]]:
        """(entry, the earlier entry it renews) where the entry cites the rule and the rule
        was published between the two: 87 FR 68123 (2022-11-14), cited by entries starting
        2023-10-31 and nothing said of the orders of 2021 they renew (trial 45)."""
        return [
            (listing, self.listings[earlier])
            for listing in self.listings_citing_rule(rule)
            for earlier, _ in listing.renews
            if any(r == rule for r, _ in self.renewal_rules(self.listings[earlier], listing.iri))
        ]

    def out_of_order(self, rule: str) -> list[str]:
        """The documents of the rule's volume whose day the rule's page and day cannot both
        agree with, where it is the likely misprint (graph/citation-order): a page of
        "84 FR 437789" on a rule page offered links to a document that is not the one."""
        return self._linked(rule, ELKG + "outOfOrderWith")

    def misprinted_for(self, rule: str) -> str | None:
        """The document of the same day one digit from an out-of-order rule's page, which
        its citation likely misprints (86 FR 28540, for "86 F.R. 29540 5/27/2021")."""
        return next(iter(self._linked(rule, ELKG + "likelyMisprintOf")), None)

    def _linked(self, subject: str, predicate: str) -> list[str]:
        """The IRIs the predicate links the subject to, in number order."""
        found = {v.iri for p, v in self.out.get(subject, ()) if p == predicate and v.iri}
        return sorted(found, key=in_number_order)

    def _fr_page(self, rule: str) -> tuple[str, int] | None:
        """A rule's Federal Register volume and first page."""
        volume, page = self.first(rule, ELKG + "frVolume"), self.first(rule, ELKG + "frPage")
        return (volume, int(page)) if volume and page else None

    def affected_by(self, action: str) -> list[Listing]:
        return self._affected.get(action, [])

    def history_of(self, entity: str) -> list[tuple[Listing, Action]]:
        """Every action on the entity's entries, oldest first; undated ones last."""
        rows = [(x, a) for x in self.listings_of(entity) for a in x.actions]
        return sorted(rows, key=lambda r: chronological(r[1]))

    def cited_without_action(self, entity: str) -> list[str]:
        """The rules the entity's entries cite that no action of its History is by: the list
        prints an entry's Federal Register citations, not what each did to it."""
        listings = self.listings_of(entity)
        acting = {str(a["rule"]) for x in listings for a in x.actions if a["rule"]}
        cited = {rule for x in listings for rule in x.rules if rule not in acting}
        return sorted(cited, key=in_number_order)

    def history_of_listing(self, iri: str) -> list[tuple[Listing, Action]]:
        listing = self.listings[iri]
        return [(listing, action) for action in listing.actions]

    def countries(self, iri: str) -> list[str]:
        """The party's countries as ISO codes, as screening reads them: an address's country,
        a vessel's flag, a person's nationality and citizenship (the lists write the last
        three by name: "Iran", "St. Kitts & Nevis"); a flag that names no country ("None
        Identified") is none. The search's filter, the home page's counts and the list
        pages' country column read these."""
        found = self.out.get(iri, ())
        coded = {country_code(v.text) for p, v in found if p in COUNTRY_FACTS}
        return sorted(code for code in coded if code)

    def linked(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """The text in pieces, a party it names by "Linked To:" with the IRIs of the listed
        parties of that name or alias: the SDN's DILBAR is "(Linked To: USMANOV, Alisher
        Burhanovich)", whose page a reader follows. A name several parties have (two MINISTRY
        OF STATE SECURITY, of North Korea and of Ukraine) is given all of them, for the page
        to say so; an unknown name stays text.

        >>> facts = Facts(labels={}, out={}, incoming={}, listings={}, statements={},
        ...               valuations=[], graphs={})
        >>> facts.named = {"hizballah": ["x:h"], "mss": ["x:m", "x:m2"]}
        >>> facts.linked("(Linked To: HIZBALLAH; Linked To: NOBODY; Linked To: MSS)")
        ... # doctest: +NORMALIZE_WHITESPACE
        [('(Linked To: ', ()), ('HIZBALLAH', ('x:h',)), ('; Linked To: NOBODY; Linked To: ', ()),
         ('MSS', ('x:m', 'x:m2')), (')', ())]
        """
        pieces: list[tuple[str, tuple[str, ...]]] = []
        done = 0
        for start, end in linked_spans(text):
            found = self.named.get(text[start:end].strip().casefold(), [])
            if found:
                pieces += [(text[done:start], ()), (text[start:end], tuple(found))]
                done = end
        return [piece for piece in [*pieces, (text[done:], ())] if piece[0]]

    def _name_parties(self) -> dict[str, list[str]]:
        """Each listed party under its names and aliases, folded by case."""
        named: dict[str, set[str]] = defaultdict(set)
        for entity in self._listings_of:
            for predicate, value in self.out.get(entity, ()):
                if predicate in NAMED:
                    named[value.text.strip().casefold()].add(entity)
        return {name: sorted(parties) for name, parties in named.items()}

    def entry_number(self, listing: str) -> str | None:
        """The number the list gives the entry (the SDN's uid), which tells namesakes apart."""
        return self.first(listing, ELKG + "entityNumber")

    def entry_name(self, listing: str) -> str | None:
        """The name the list prints for the entry (elkg:entryName)."""
        return self.first(listing, ELKG + "entryName")

    def first(self, iri: str, predicate: str) -> str | None:
        return next((v.text for p, v in self.out.get(iri, ()) if p == predicate), None)

    def dataset_size(self, dataset: str) -> tuple[int, int, int] | None:
        """(distinct triples, quads, graphs) as the dataset's description states them (VoID):
        the downloads page said neither, and a researcher opened description.ttl (trial 46b)."""
        triples = self.first(dataset, VOID + "triples")
        graphs = [v.iri for p, v in self.out.get(dataset, ()) if p == VOID + "subset" and v.iri]
        if triples is None or not graphs:
            return None
        quads = sum(int(self.first(graph, VOID + "triples") or 0) for graph in graphs)
        return int(triples), quads, len(graphs)

    def facts_of(self, iri: str) -> list[tuple[str, list[Value], bool]]:
        """The entity's facts in FACTS order: (title, values, whether they are countries).

        The dates the lists put among the identifiers ("03 Jun 2021, Listing Date (CMIC)")
        are facts of their own, titled as the list names them, before the identifiers; so are
        the sanctions notes put there ("Subject to Secondary Sanctions, Additional Sanctions
        Information -"), before the remarks."""
        found: dict[str, list[Value]] = defaultdict(list)
        dates: dict[str, list[Value]] = defaultdict(list)
        notes: dict[str, list[Value]] = defaultdict(list)
        for predicate, value in self.out.get(iri, ()):
            day = dated(value.text) if predicate == IDENTIFIER else None
            remark = codes.note(value.text) if predicate == IDENTIFIER and not day else None
            if day:
                _add_once(dates[day[0]], Value(day[1], datatype=XSD_DATE, sources=value.sources))
            elif remark:
                _add_once(notes[remark[0]], Value(remark[1], sources=value.sources))
            elif predicate in FACTS:
                found[predicate].append(value)
        rows = []
        for predicate in FACTS:
            if predicate == IDENTIFIER:
                rows += [(kind, days, False) for kind, days in sorted(dates.items())]
            if predicate == REMARKS:
                rows += [(kind, texts, False) for kind, texts in sorted(notes.items())]
            if predicate in found:
                title = codes.term(predicate, self.labels)
                rows.append(
                    (title[:1].upper() + title[1:], found[predicate], predicate in COUNTRY_FACTS)
                )
        return rows

    def dates_among_ids(self, iri: str, listing: Listing) -> list[tuple[str, str]]:
        """The dates the entity's identifiers give for an entry of a list ("Listing Date
        (CMIC)", 2021-06-03), which the list states there, not in its start date column. Its
        Listing Date is the entry's start date (kg.sources.csl.listing_date); a page says
        which date that is, and what the others are."""
        marker = f"({self.abbreviation(listing.screening_list)})"
        found = (dated(v.text) for p, v in self.out.get(iri, ()) if p == IDENTIFIER)
        return sorted({day for day in found if day and marker in day[0]})

    def cited(self, iri: str) -> list[str]:
        """The graphs, one per source, that state anything of the resource, as its page
        numbers them (sorted: a CSV snapshot's graphs by date) for the values to cite: with
        those that state a body under it and an action in its History, whose rows cite
        them too (they were the only rows of a page without a source, trial 35)."""
        found = self._stating(iri)
        for listing in self.listings_of(iri):  # its entries' rationale, rules and licence terms
            found.update(self.stated_sources(listing.iri, LISTING_CITED))
            found.update(self._reading_sources(listing))
        for child in self.children(iri):
            found.update(self.edge_sources(child, SUB_ORGANIZATION_OF, iri))
        for _, action in self.history_of(iri):
            found.update(self.action_sources(action["action"]))
        # A judgement stated of another party that it is this one, cited in the same-party
        # list.
        for p, other in self.incoming.get(iri, ()):
            if p == SAME_AS:
                found.update(self.stated_sources(other, [SAME_AS], iri))
        return sorted(found)

    def _stating(self, iri: str) -> set[str]:
        """The graphs that state anything of the resource itself."""
        return {graph for _, value in self.out.get(iri, ()) for graph in value.sources}

    def is_reading(self, action: str) -> bool:
        """Whether only the editors state the action: their reading of the rules an entry
        cites, shown as such beside the list's and the rules' own actions (trial 35)."""
        sources = self.action_sources(action)
        return bool(sources) and set(sources) <= self.editorial

    def cited_entry(self, listing: str) -> list[str]:
        """The graphs an entry's page cites: those of its facts and of its actions."""
        found = self._stating(listing) | self._reading_sources(self.listings[listing])
        for action in self.listings[listing].actions:
            found.update(self.action_sources(str(action["action"])))
        return sorted(found)

    def _reading_sources(self, listing: Listing) -> set[str]:
        """The graphs of our readings of the entry's citations, which its rules cell cites: a
        citation likely a misprint of another (kg.graph.citation_order), a damaged one read
        as a rule (kg.citations)."""
        misprint = (ELKG + "likelyMisprintOf",)
        found = {g for rule in listing.rules for g in self.stated_sources(rule, misprint)}
        return found.union(*self._readings(listing.iri).values())

    def children(self, iri: str) -> list[str]:
        """The bodies that sources state are part of this one."""
        return [s for p, s in self.incoming.get(iri, ()) if p == SUB_ORGANIZATION_OF]

    def edge_sources(self, subject: str, predicate: str, target: str) -> tuple[str, ...]:
        """The graphs that state one link between two resources."""
        return self.stated_sources(subject, (predicate,), target)

    def rule_sources(self, listing: str, rule: str) -> tuple[str, ...]:
        """The graphs that state that the entry cites the rule, or is by it."""
        return self.stated_sources(listing, RULES_OF, rule)

    def stated_sources(
        self, subject: str, predicates: Iterable[str], target: str | None = None
    ) -> tuple[str, ...]:
        """The graphs that state any of the predicates of the subject (with the value
        `target` alone, where given), sorted: an entry's rationale, rules and licence terms
        in an entity's Listings table cited none (trial 36)."""
        wanted = set(predicates)
        return tuple(
            sorted(
                {
                    graph
                    for p, v in self.out.get(subject, ())
                    if p in wanted and (target is None or v.iri == target)
                    for graph in v.sources
                }
            )
        )

    def sameness_sources(self, one: str, other: str) -> tuple[str, ...]:
        """The graphs that state two parties the same (owl:sameAs, from either side): the
        same-party list cited no source, though its graph was numbered among the page's
        sources (trial 56b)."""
        found = {*self.stated_sources(one, [SAME_AS], other)}
        return tuple(sorted(found | {*self.stated_sources(other, [SAME_AS], one)}))

    def action_sources(self, action: str) -> tuple[str, ...]:
        """The graphs that state an action: a snapshot's comparison, a rule's text, or the
        editors' reading (whose rdfs:comment says so)."""
        return tuple(
            sorted({g for p, v in self.out.get(action, ()) if p == RDF_TYPE for g in v.sources})
        )

    def other_facts_of(self, iri: str) -> list[tuple[str, list[Value]]]:
        """What the graph says of the entity that no section of its page shows (a source's
        description of it, a post it holds...), by property, titled by the property's label."""
        found: dict[str, list[Value]] = defaultdict(list)
        for predicate, value in self.out.get(iri, ()):
            if predicate not in SHOWN:
                found[predicate].append(value)
        titled = [
            (codes.term(predicate, self.labels), values) for predicate, values in found.items()
        ]
        return sorted((title[:1].upper() + title[1:], values) for title, values in titled)

    def lists_of(self, entity: str) -> list[str]:
        """The abbreviations of the lists its entries are on, each once, in order."""
        found = (self.abbreviation(x.screening_list) for x in self.listings_of(entity))
        return sorted(set(found))

    def abbreviation(self, screening_list: str) -> str:
        return self.first(screening_list, ELKG + "abbreviation") or self.label(screening_list)

    def _name_listings_and_actions(self) -> None:
        """An entry or an action on one entry is named by its entity, where no source names
        it: "Hikvision on the Entity List", not a date or an IRI."""
        for listing in self.listings.values():
            if listing.iri not in self.labels:
                since = f", from {listing.start}" if listing.start else ""
                self.labels[listing.iri] = (
                    f"{self.label(listing.entity)} on the {self.label(listing.screening_list)}"
                    f"{since}{self._told_apart(listing)}"
                )
        for iri, action in self.actions.items():
            affected = self._affected[iri]
            if len(affected) == 1 and (action["snapshot"] or iri not in self.labels):
                listing = affected[0]
                kind = KINDS[str(action["kind"])]
                # Told apart as the entry is: MAHMOUD AMINI's two additions of 2023-10-31
                # had one title (trial 50c).
                self.labels[iri] = (
                    f"{kind} of {self.label(listing.entity)} "
                    f"({self.abbreviation(listing.screening_list)}){_renewal(kind, listing)}"
                    f"{self._told_apart(listing)}"
                )

    def _name_inferences(self) -> None:
        """Our kind inferences and candidate matches, and the curators' identity judgements,
        which no source names, by the parties they are about: "A.H. Shamnad, inferred to be
        a person", not a slug or a hash."""
        for iri in self.inferences:
            if iri in self.labels:
                continue
            about: dict[str, list[str]] = defaultdict(list)
            for predicate, value in self.out.get(iri, ()):
                if value.iri and predicate.removeprefix(ELKG) in INFERENCE_PARTS:
                    about[predicate.removeprefix(ELKG)].append(self.label(value.iri))
            named = sorted(about["candidate"] or about["judgedParty"])
            alike = len(named) > 1 and len(set(named)) == 1
            parties = f"two parties named {named[0]}" if alike else " and ".join(named)
            if about["classifiedParty"] and about["inferredKind"]:
                kind = about["inferredKind"][0].lower()
                article = "an" if kind[:1] in "aeiou" else "a"
                name = f"{about['classifiedParty'][0]}, inferred to be {article} {kind}"
            elif about["candidate"] and self.namesakes_match(iri):
                # Unscored: namesakes the list tells apart, no possible match (trial 51c).
                name = f"Namesakes the list tells apart: {parties}"
            elif about["candidate"]:
                name = f"Possible match: {parties}"
            elif about["judgedParty"] and about["verdict"]:
                name = f"Identity of {parties}: {about['verdict'][0]}"
            else:
                continue
            self.labels[iri] = name

    def kind_of(self, iri: str) -> str:
        """The most telling type of a resource, as /search names it too."""
        return most_telling(self.types(iri), self.broader)

    def types(self, iri: str) -> list[str]:
        return sorted(v.iri or "" for p, v in self.out.get(iri, ()) if p == RDF_TYPE)


def _letters(text: str | None) -> str:
    """The letters and digits of a text, in lower case: what a difference of punctuation,
    spacing or case leaves alone.

    >>> _letters("For all items subject to the EAR. (See §744.11 of the EAR).")
    'forallitemssubjecttotheearsee74411oftheear'
    """
    return re.sub(r"[\W_]+", "", (text or "").casefold())


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUB_ORGANIZATION_OF = ELKG + "subOrganizationOf"
#: What an entity's page shows of each of its entries beside their dates and status, each
#: cited: rationale, rules (kg.site.queries.LISTING_RULES) and licence terms.
RULES_OF = tuple(ELKG + name for name in ("citesInstrument", "createdBy", "amendedBy"))
LISTING_CITED = (
    ELKG + "rationale",
    *RULES_OF,
    ELKG + "citedPage",
    ELKG + "licenceRequirement",
    ELKG + "licenceReviewPolicy",
    ELKG + "licenceReviewPolicyText",
)

#: A curator's verdict that two records name different parties.
DIFFERENT = ELKG + "DifferentParty"
JUDGED = ELKG + "judgedParty"
#: The properties (of elkg:) that name an inference or a judgement by what it is about.
INFERENCE_PARTS = {"classifiedParty", "inferredKind", "candidate", "judgedParty", "verdict"}


def _text(term: Term | None) -> str | None:
    if term is None:
        return None
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def _rows(store: ox.Store, query: str) -> Iterable[dict[str, str | None]]:
    """Rows as text; an unbound variable reads as None."""
    for row in select(store, query):
        yield defaultdict(lambda: None, {name: _text(term) for name, term in row.items()})


def gather(store: ox.Store, base: str) -> Facts:
    ignored = frozenset(
        ox.NamedNode(iris.graph(name, base))
        for name in (iris.ENTAILED_GRAPH, iris.ENTAILED_FROM_OURS_GRAPH)
    )
    entailed = ", ".join(str(graph) for graph in sorted(ignored, key=lambda g: g.value))
    labels, statements = _labels(store), _statements(store)
    derived = frozenset(str(r["graph"]) for r in _rows(store, queries.DERIVED_GRAPHS))
    # A statement has no name of its own: it is titled as its page is, wherever it is linked
    # or cited (its IRI's last part, "2019-10-07-wilbur-ross", was).
    for iri, statement in statements.items():
        labels.setdefault(iri, statement_title(statement, labels.get(statement.speaker, "")))
    return Facts(
        labels=labels,
        out=Described(
            store.quads_for_pattern, _iris(store, queries.SUBJECTS, entailed), ignored, derived
        ),
        incoming=Linking(
            store.quads_for_pattern, _iris(store, queries.OBJECTS, entailed), ignored, derived
        ),
        inferences=_iris(store, queries.INFERENCES, entailed),
        listings=_listings(store),
        statements=statements,
        valuations=sorted(_rows(store, queries.VALUATIONS), key=lambda r: str(r["valuation"])),
        graphs={str(r["document"]): str(r["graph"]) for r in _rows(store, queries.SOURCE_GRAPHS)},
        list_counts=_list_counts(store),
        kinds_inferred=frozenset(
            str(_text(r["entity"])) for r in select(store, queries.KINDS_INFERRED)
        ),
        broader=broader_of(text_rows(store, KINDS_BROADER)),
        editorial=frozenset(str(r["graph"]) for r in _rows(store, queries.EDITORIAL_GRAPHS)),
        derived=derived,
    )


def _add_once(found: list[Value], read: Value) -> None:
    """A date or a note read from a party's identifiers, once whichever way the lists print
    it, cited to both printings: GAZPROMBANK's "Effective Date (EO 14024 Directive 3)" read
    "2022-03-26 [1] 2022-03-26 [1]" where one row printed "26 Mar 2022" (trial 54a), and
    ROSOBORONEKSPORT OAO's "Subject to Directive 3" stood twice, printed before its kind in
    2022 and after it in 2023 (trial 56b)."""
    for at, known in enumerate(found):
        if known.text == read.text:
            found[at] = known._replace(sources=tuple(sorted({*known.sources, *read.sources})))
            return
    found.append(read)


def _iris(store: ox.Store, query: str, entailed: str) -> frozenset[str]:
    """The IRIs a one-variable query selects (`entailed`: the entailed graphs, listed)."""
    found = select(store, query.replace("ENTAILED", entailed), union=False)
    return frozenset(str(_text(term)) for row in found for term in row.values())


def _labels(store: ox.Store) -> dict[str, str]:
    best: dict[str, Preference] = {}
    for row in select(store, queries.LABELS):
        subject, label, rank = row["s"], row["label"], row["rank"]
        if isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal):
            key = preference(int(_text(rank) or OTHER), label.value)
            if subject.value not in best or key < best[subject.value]:
                best[subject.value] = key
    return {iri: label for iri, (*_, label) in best.items()}


def _listings(store: ox.Store) -> dict[str, Listing]:
    listings: dict[str, Listing] = {}
    for r in _rows(store, queries.LISTINGS):
        iri = str(r["listing"])
        if iri not in listings:
            listings[iri] = Listing(
                iri=iri,
                entity=str(r["entity"]),
                screening_list=str(r["list"]),
                start=r["start"],
                observed=r["observed"],
                unparsed_start=r["unparsedStart"],
                end=r["end"],
                requirement=r["requirement"],
                policy=r["policy"],
                policy_text=r["policyText"],
            )
    for r in _rows(store, queries.LISTINGS_SEEN):
        if str(r["listing"]) in listings:
            listings[str(r["listing"])].last_seen = r["seen"]
    for query, attribute, key in (
        (queries.LISTING_RATIONALES, "rationales", "rationale"),
        (queries.LISTING_PROGRAMMES, "programmes", "programme"),
        (queries.LISTING_RULES, "rules", "rule"),
        (queries.LISTING_CITED_PAGES, "cited_pages", "page"),
    ):
        for r in _rows(store, query):
            if str(r["listing"]) in listings:
                getattr(listings[str(r["listing"])], attribute).append(str(r[key]))
    fields: dict[str, list[str]] = defaultdict(list)
    for r in _rows(store, queries.ACTION_FIELDS):
        fields[str(r["action"])].append(str(r["field"]))
    values = _action_values(store)
    for r in _rows(store, queries.ACTIONS):
        if str(r["listing"]) in listings:
            action: Action = r  # a defaultdict: an unbound variable reads as None
            action["fields"] = sorted(fields.get(str(r["action"]), ()))
            action["values"] = values.get(str(r["action"]), {})
            action["when"], action["when_kind"] = when(action)
            listings[str(r["listing"])].actions.append(action)
    for r in _rows(store, queries.LISTING_RENEWALS):
        earlier, later = listings.get(str(r["listing"])), listings.get(str(r["later"]))
        if earlier is not None and later is not None:
            earlier.renewed_by.append((later.iri, later.since))
            later.renews.append((earlier.iri, earlier.since))
    for listing in listings.values():
        listing.renewed_by.sort(key=lambda r: (r[1], r[0]))
        listing.renews.sort(key=lambda r: (r[1], r[0]))
        listing.rationales.sort()
        listing.programmes.sort()
        listing.rules.sort(key=in_number_order)
        listing.cited_pages.sort(key=in_number_order)
        # Dated actions in order; actions known by no date come last.
        listing.actions.sort(key=chronological)
    return listings


def _renewal(kind: str, listing: Listing) -> str:
    """What an action's name says of a renewed order's entry: "Removal of AL NASER WINGS
    AIRLINES (DPL)" headed its History as if the party were taken off (trial 40)."""
    renewal = {"Removal": listing.renewed_by, "Addition": listing.renews}.get(kind)
    return f", {RENEWAL_WORDS[kind]}" if renewal else ""


def in_number_order(iri: str) -> tuple[tuple[int, str], ...]:
    """A key that orders numbers in IRIs by value: 78 FR 9359 before 78 FR 48138.

    >>> sorted(["rule/78-fr-48138", "rule/78-fr-9359", "rule/77-fr-1"], key=in_number_order)
    ['rule/77-fr-1', 'rule/78-fr-9359', 'rule/78-fr-48138']
    """
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in _NUMBERS.split(iri))


_NUMBERS = re.compile(r"(\d+)")


def _action_values(store: ox.Store) -> dict[str, dict[tuple[str, str], list[str]]]:
    """Per amendment, the values each field lost ("removed") and gained ("added"), sorted."""
    values: dict[str, dict[tuple[str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in _rows(store, queries.ACTION_VALUES):
        values[str(r["action"])][(str(r["field"]), str(r["side"]))].append(str(r["value"]))
    for found in values.values():
        for listed in found.values():
            listed.sort()
    return values


def _list_counts(store: ox.Store) -> dict[str, tuple[int, int]]:
    return {
        str(r["list"]): (int(str(r["entries"])), int(str(r["entities"])))
        for r in _rows(store, queries.LIST_COUNTS)
    }


#: Words of a statement in its title.
EXCERPT_WORDS = 6


def statement_title(statement: Statement, speaker: str) -> str:
    """A statement's title, as it is linked and cited: its speaker, its date where a source
    says, and its first words, which tell two statements of one speaker apart (the source
    page listed "Statement by Wilbur Ross" twice)."""
    words = statement.text.split()
    excerpt = " ".join(words[:EXCERPT_WORDS]) + ("…" if len(words) > EXCERPT_WORDS else "")
    said = f"“{excerpt}”" if statement.verbatim else excerpt
    return (
        f"Statement by {speaker}" + (f", {statement.date}" if statement.date else "") + f": {said}"
    )


def _statements(store: ox.Store) -> dict[str, Statement]:
    statements: dict[str, Statement] = {}
    for row in select(store, queries.STATEMENTS):
        r: dict[str, str | None] = defaultdict(lambda: None, {k: _text(v) for k, v in row.items()})
        text = row["text"]
        language = text.language if isinstance(text, ox.Literal) else None
        statements[str(r["statement"])] = Statement(
            iri=str(r["statement"]),
            speaker=str(r["speaker"]),
            text=str(r["text"]),
            language=language,
            verbatim=r["verbatim"] == "true",
            stance=str(r["stance"]),
            source=str(r["source"]),
            role=r["role"],
            behalf=r["behalf"],
            date=r["date"],
            venue=r["venue"],
            reported=r["reported"],
            quoted_by=r["quotedBy"],
            original=r["original"],
        )
    for r in _rows(store, queries.CONCERNS):
        if str(r["statement"]) in statements:
            statements[str(r["statement"])].concerns.append(str(r["target"]))
    for statement in statements.values():
        statement.concerns.sort()
    return statements


def _documents(n: int) -> str:
    return "a Federal Register document" if n == 1 else f"{n} Federal Register documents"
