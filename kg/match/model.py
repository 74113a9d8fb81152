"""What screening reads and answers: parties, their listings, a query, a scored candidate."""

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.in_force import Window, end_not_known, review_span, window
from kg.match.labels import NAME, best

#: The kinds of party a query may ask for (yente's FollowTheMoney schema names).
#: The kinds a query may ask for, as FollowTheMoney names them; Thing is any kind (a vessel or
#: an aircraft too, which a LegalEntity is not).
SCHEMAS = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane", "Thing")


@dataclass(frozen=True)
class Release:
    """The release screened against: enough to reproduce and cite an answer later."""

    iri: str
    date: str
    nquads_sha256: str
    dump: str = "entitylist-kg.nq"
    #: The days of the first and the last snapshot of the whole lists the release read (a
    #: partial one shows no removal): what it knows of the lists lies between. Empty in an
    #: index written before they were recorded.
    first_complete_snapshot: str = ""
    last_complete_snapshot: str = ""
    #: The day of the last snapshot, partial or whole: a partial one after the last whole
    #: one shows entries added since, never one removed. Empty in an older index.
    last_snapshot: str = ""
    #: The day of the first snapshot, partial or whole: a partial one before the first whole
    #: one shows some entries earlier. Empty in an older index.
    first_snapshot: str = ""

    def as_json(self) -> dict[str, str]:
        return {
            "release": self.iri,
            "date": self.date,
            "dump": self.dump,
            "sha256": self.nquads_sha256,
            "first_complete_snapshot": self.first_complete_snapshot,
            "last_complete_snapshot": self.last_complete_snapshot,
            "last_snapshot": self.last_snapshot,
            "first_snapshot": self.first_snapshot,
        }

    def caveat(self, day: dt.date) -> str | None:
        """A warning when `day` is outside what the release knows of the lists: after its last
        snapshot of the whole lists, changes since are unknown; before its first, an entry
        without a start date is known only from the snapshot that first showed it.

        >>> known = Release("r", "2026-11-24", "0", first_complete_snapshot="2022-05-06",
        ...                 last_complete_snapshot="2022-05-06")
        >>> known.caveat(dt.date(2022, 5, 6)) is None
        True
        >>> print(known.caveat(dt.date(2026, 12, 4))[:80])
        screened as of 2026-12-04, but the last snapshot of the whole lists in this rele
        >>> print(known.caveat(dt.date(2021, 1, 1))[:79])
        screened as of 2021-01-01, before the first snapshot of the whole lists in this
        >>> later = Release("r", "2026-11-24", "0", last_complete_snapshot="2022-05-06",
        ...                 last_snapshot="2025-06-25")
        >>> print(later.caveat(dt.date(2026, 12, 4)).split("(")[1].split(")")[0])
        the last of them is of 2025-06-25
        >>> sampled = Release("r", "2026-11-24", "0", first_complete_snapshot="2022-05-06",
        ...                   first_snapshot="2019-12-03")
        >>> print(sampled.caveat(dt.date(2020, 1, 1)).split("(")[2].split(")")[0])
        some from a partial snapshot before it, the first of 2019-12-03
        """
        asked, side = day.isoformat(), self._outside(day)
        first, last = self.first_complete_snapshot, self.last_complete_snapshot
        if side == "after":
            return (
                f"screened as of {asked}, but the last snapshot of the whole lists in this "
                f"release is of {last}: {self._since_whole_lists()}; screen against a newer "
                "release for the lists as they are now"
            )
        if side == "before":
            earlier = self.first_snapshot
            # The 2019 sample of the history was not said (trial 31).
            partial = (
                f" (some from a partial snapshot before it, the first of {earlier})"
                if earlier and earlier < first
                else ""
            )
            return (
                f"screened as of {asked}, before the first snapshot of the whole lists in this "
                f"release ({first}): an entry whose list gives no start date is known only from "
                f"the snapshot that first showed it{partial}, so one in force that day may be "
                "missing here, and an entry removed before then is not known"
            )
        return None

    def caveat_brief(self, day: dt.date) -> str | None:
        """caveat() in a line, where a page folds the rest under it.

        >>> known = Release("r", "2026-11-24", "0", first_complete_snapshot="2022-05-06",
        ...                 last_complete_snapshot="2022-05-06")
        >>> known.caveat_brief(dt.date(2021, 1, 1))
        'an entry in force on 2021-01-01 may be missing here'
        >>> known.caveat_brief(dt.date(2026, 12, 4))
        'what changed after 2022-05-06 is not known here'
        >>> known.caveat_brief(dt.date(2022, 5, 6)) is None
        True
        """
        side = self._outside(day)
        if side == "after":
            return f"what changed after {self.last_complete_snapshot} is not known here"
        if side == "before":
            return f"an entry in force on {day.isoformat()} may be missing here"
        return None

    def _outside(self, day: dt.date) -> str | None:
        """Whether `day` is "after" the last snapshot of the whole lists, "before" the first,
        or (None) within what the release knows of them."""
        asked = day.isoformat()
        if self.last_complete_snapshot and asked > self.last_complete_snapshot:
            return "after"
        if self.first_complete_snapshot and asked < self.first_complete_snapshot:
            return "before"
        return None

    def _since_whole_lists(self) -> str:
        """What the release knows of the lists after its last snapshot of them whole."""
        later = self.last_snapshot
        if later and later > self.last_complete_snapshot:
            return (
                "of the changes since then, only the entries added that later partial "
                f"snapshots show are known (the last of them is of {later}), and no removal"
            )
        return "entries added or removed since then are not known"


@dataclass(frozen=True)
class Rule:
    iri: str
    citation: str
    #: When it was published: its day where known, else its volume's year ("2022").
    published: str | None = None

    @property
    def day(self) -> str | None:
        """Its day of publication, where known (not only its volume's year)."""
        return self.published if self.published and len(self.published) == 10 else None

    def later(self, day: dt.date) -> str:
        """What to say of it beside an entry in force on the day, which may cite a later rule
        that amended it, not yet the law then: "" if it was published by then.

        >>> Rule("x:r", "87 FR 12240", "2022").later(dt.date(2021, 1, 1))
        'published after the day'
        >>> Rule("x:r", "87 FR 12240", "2022").later(dt.date(2022, 1, 1))  # no day known
        'published in 2022, perhaps after the day'
        >>> Rule("x:r", "84 FR 54002", "2019-10-09").later(dt.date(2019, 10, 9))
        ''
        """
        if not self.published:
            return ""
        if len(self.published) == 4:
            year = int(self.published)
            if year == day.year:
                return f"published in {year}, perhaps after the day"
            return "published after the day" if year > day.year else ""
        return "published after the day" if self.published > day.isoformat() else ""


@dataclass(frozen=True)
class Listing:
    """An entry of a party on a list, with what decides whether it is in force on a day."""

    iri: str
    list_iri: str
    list_name: str
    abbreviation: str
    start: str | None
    end: str | None
    rules: tuple[Rule, ...] = ()
    removed: tuple[str, ...] = ()  # dates of the snapshots in which its removal was seen
    observed: str | None = None  # the date of the first snapshot that showed it
    #: The record the entry names: the party's own IRI, or one of its referents where a
    #: curator judged records one party (Huawei's Entity List record and its CMIC record).
    entity: str = ""
    #: The start of the party's later entry on the list that renews it (elkg:renews): our
    #: reading of the snapshots, not the list's.
    renewed_by: str | None = None
    #: The rules that entry cites published between the two (renewal notices, mostly).
    renewal_rules: tuple[Rule, ...] = ()
    #: The day of the snapshot before the one that first showed it removed, which still
    #: showed it (the removal's elkg:notObservedIn): it left the list between the two.
    seen_before_removal: str | None = None
    #: The name the list prints on the entry's rows (elkg:entryName): a party whose
    #: spellings on two lists name one IRI is captioned by one of them.
    name: str | None = None
    #: It renews an earlier entry of the party on the list (elkg:renews): that one, not a
    #: guess at an earlier order, tells of the days before its start.
    renews: bool = False
    #: The number the list gives the entry (elkg:entityNumber, the SDN's uid).
    number: str | None = None

    @property
    def entry(self) -> str:
        """The entry as an analyst records it, "SDN no. 25437"; "" for one not numbered."""
        return f"{self.abbreviation or self.list_name} no. {self.number}" if self.number else ""

    @property
    def window(self) -> Window:
        return window(start=self.start, observed=self.observed, end=self.end, removals=self.removed)

    def in_force(self, day: dt.date) -> bool:
        """The as-of rule (kg.in_force)."""
        return self.window.in_force(day.isoformat())

    def may_be_removed(self, day: dt.date) -> str:
        """Why the entry, in force on the day by the as-of rule, may have been off the list
        then, in words; "" where not: its removal was seen only in a later snapshot, and the
        one before it, which still showed it, is of before the day. ADOLFO FONNEGRA ESPEJO
        TRADING & INVESTMENT was "in force" on 2021-06-01, seen on 2019-12-03 and gone on
        2022-05-06, with nothing said (trial 46b).

        >>> gone = Listing("x:1", "x:sdn", "SDN List", "SDN", None, None, observed="2019-12-03",
        ...                removed=("2022-05-06",), seen_before_removal="2019-12-03")
        >>> print(gone.may_be_removed(dt.date(2021, 6, 1)))
        a snapshot of 2022-05-06 showed it removed, and the one before, of 2019-12-03, still \
showed it: it may have left the list before the day
        >>> gone.may_be_removed(dt.date(2019, 12, 3)), gone.may_be_removed(dt.date(2022, 5, 6))
        ('', '')
        """
        window, asked, last = self.window, day.isoformat(), self.seen_before_removal
        if not (window.removed and last and last < asked and window.in_force(asked)):
            return ""
        return (
            f"a snapshot of {window.until} showed it removed, and the one before, of {last}, "
            "still showed it: it may have left the list before the day"
        )

    def why_unknown(self, day: dt.date, known_to: str = "") -> str:
        """Why the entry, not in force on the day by its dates, may have been, in words; ""
        where its dates decide. `known_to` is the day of the last snapshot of the whole lists.

        - Undated, it was first observed after the day: nothing says it was not listed then.
        - Its list gave an end date after `known_to`, passed by the day: no snapshot since
          could show it extended (kg.in_force.end_not_known).

        >>> order = Listing("x:1", "x:dpl", "Denied Persons List", "DPL", "2022-04-07",
        ...                 "2022-10-04")
        >>> print(order.why_unknown(dt.date(2026, 12, 6), known_to="2022-05-06")[:73])
        its list gave its end as 2022-10-04, after the last snapshot of the whole
        >>> order.why_unknown(dt.date(2026, 12, 6), known_to="2023-01-01")  # seen ended
        ''
        >>> renewed = Listing("x:1", "x:dpl", "Denied Persons List", "DPL", "2021-11-17",
        ...                   "2022-05-16", renewed_by="2023-10-31")
        >>> print(renewed.why_unknown(dt.date(2023, 1, 15), "2022-05-06").split("; ")[1][:43])
        the party's entry from 2023-10-31 renews it
        >>> renewal = (Rule("x:r", "87 FR 68123", "2022-11-14"),)
        >>> known = Listing("x:1", "x:dpl", "DPL", "DPL", "2021-11-17", "2022-05-16",
        ...                 renewed_by="2023-10-31", renewal_rules=renewal)
        >>> print(known.why_unknown(dt.date(2023, 1, 15), "2023-01-01")[:58])
        its list gave its end as 2022-05-16; the party's entry fro
        >>> "a renewal holds from the end" in known.why_unknown(dt.date(2022, 10, 1), "2023-01-01")
        True
        >>> known.why_unknown(dt.date(2022, 5, 15), "2023-01-01")  # before its end: in force
        ''
        >>> undated = Listing("x:2", "x:sdn", "SDN List", "SDN", None, None, observed="2022-05-06")
        >>> print(undated.why_unknown(dt.date(2020, 1, 1))[:65])
        it has no start date and counts from when a snapshot first showed
        >>> cited = (Rule("x:a", "73 FR 1", "2008-03-21"), Rule("x:b", "86 FR 2", "2021-11-22"))
        >>> mahan = Listing("x:3", "x:dpl", "DPL", "DPL", "2021-11-17", "2022-05-16", cited)
        >>> print(mahan.why_unknown(dt.date(2020, 6, 1))[:71])
        its list gives it the start 2021-11-17, but it cites a Federal Register
        """
        window, asked = self.window, day.isoformat()
        if window.observed_since and (window.since or "") > asked:
            return (
                "it has no start date and counts from when a snapshot first showed it, later "
                f"({window.since_text()}); it may have been listed then"
            )
        if _holds(self._earlier_order_span, asked):
            return self._earlier_order(self._cited_by(day))
        if self.renewed_by and self.renewed_by <= asked:
            return ""  # the entry that renews it is in force that day, or says why not
        if end_not_known(window, self.end, known_to, asked):
            return _ends_not_known([self.end or ""], known_to) + self._renewal(day)
        if self._renewed_in_between(day):
            return f"its list gave its end as {self.end}" + self._renewal(day)
        return ""

    def _renewed_in_between(self, day: dt.date) -> bool:
        """Whether it ended before the day, and the entry that renews it cites a rule published
        between its end and the day: AL NASER WINGS AIRLINES's order, "until 2019-12-03", was
        "not in force" on 2020-06-01, where 84 FR 66873 of 2019-12-06 renewed it (trial 48a)."""
        if not (self.renewed_by and self.end and (self.window.since or "") <= self.end):
            return False
        published = (rule.published for rule in self.renewal_rules)
        return _holds(review_span(published, self.end, self.renewed_by), day.isoformat())

    @property
    def _earlier_order_span(self) -> tuple[str, str] | None:
        """The days before its start on which an earlier order may have covered it: from the
        first Federal Register document it cites, unless it renews an entry we read."""
        if self.renews or not self.window.since or self.window.observed_since:
            return None
        return review_span((rule.published for rule in self.rules), "", self.window.since)

    def _cited_by(self, day: dt.date) -> list[Rule]:
        """The rules it cites that were published by the day, earliest first."""
        published = (rule for rule in self.rules if rule.published and not rule.later(day))
        return sorted(published, key=lambda rule: (rule.published or "", rule.citation))

    def _earlier_order(self, earlier: Sequence[Rule]) -> str:
        """An entry that begins after the day but cites rules published by then: a denial
        order's start is its latest renewal's, and MAHAN AIRWAYS, denied since 2008, was "not
        in force" on 2020-06-01 by its DPL start of 2021-11-17 (trial 48a)."""
        some = (
            f"{len(earlier)} Federal Register documents published by the day, from "
            f"{_dated(earlier[:1])} to {_dated(earlier[-1:])}"
            if len(earlier) > 1
            else f"a Federal Register document published by the day, {_dated(earlier)}"
        )
        return (
            f"its list gives it the start {self.window.since}, but it cites {some}: that start "
            "may be a renewed order's, and an earlier order may have covered the day; "
            f"{READ}"
        )

    def _renewal(self, day: dt.date) -> str:
        """What a later entry that renews it says of the gap: MAHMOUD AMINI's order, ended
        2022-05-16 by its dates, was "not known to be in force" on 2023-01-15 with nothing
        of his entry from 2023-10-31, which renews it (trial 42); its rules were said
        without which came by the day, nor what to do (trial 45)."""
        if not self.renewed_by:
            return ""
        said = (
            f"; the party's entry from {self.renewed_by} renews it (our reading of the "
            "snapshots: a later entry of the party on the list)"
        )
        by: list[Rule] = []
        after: list[Rule] = []
        for rule in self.renewal_rules:
            (after if rule.later(day) else by).append(rule)
        if by:
            said += f" and cites Federal Register documents published in between, {_dated(by)}"
            said += " by the day screened"
            said += f" and {_dated(after)} after it" if after else ""
            return f"{said}: one of those by the day may have renewed it to cover the day; {READ}"
        if after:
            said += (
                " and cites Federal Register documents published in between, all after the day: "
            )
            # The first may renew it from its end, before it was published (trial 51a).
            said += f"{_dated(after)}: a renewal holds from the end of the order it renews, "
            said += f"most often before it is published; {READ}"
        return said


def _holds(span: tuple[str, str] | None, day: str) -> bool:
    return bool(span and span[0] <= day < span[1])


READ = "read them before clearing the party"
#: What to do of a party not known to be in force, where its reason does not say it.
REVIEW_HOW = (
    "the lists as published nearer the day, or the Federal Register, say whether it was in "
    "force then"
)
REVIEW = f"Review it before clearing the party: {REVIEW_HOW}"


@dataclass(frozen=True)
class Reason:
    """Why some entries of a party not in force on a day may have been, and the lists of
    those entries where a party's reasons name them (none: a party on one list)."""

    text: str
    lists: tuple[str, ...] = ()

    def __str__(self) -> str:
        return _whose(self.lists, self.text) if self.lists else self.text


def why_unknown_of(listings: Sequence[Listing], day: dt.date, known_to: str) -> tuple[Reason, ...]:
    """Why a party's entries not in force on the day may have been, each reason once: the
    ends of several entries no snapshot could show extended are one clause (MAHMOUD
    AMINI's two of 2023-10-31 said it twice, but for the date: trial 46b).

    >>> orders = [Listing(f"x:{end}", "x:dpl", "DPL", "DPL", "2023-10-31", end)
    ...           for end in ("2024-10-30", "2024-10-20")]
    >>> print(said(why_unknown_of(orders, dt.date(2026, 12, 6), "2022-05-06")))
    its list gave their ends as 2024-10-20 and 2024-10-30, after the last snapshot of the \
whole lists (2022-05-06), which cannot show whether they were extended
    >>> dpl = Listing("x:d", "x:dpl", "DPL", "DPL", "2019-06-05", "2020-06-01")
    >>> sdn = Listing("x:s", "x:sdn", "SDN List", "SDN", None, None, observed="2022-05-06")
    >>> print(said(why_unknown_of([dpl, sdn], dt.date(2021, 1, 1), "2019-12-03"))[:42])
    its DPL entry: its list gave its end as 20

    Entries on several lists for one reason are named together:

    >>> ssi = Listing("x:i", "x:ssi", "SSI List", "SSI", None, None, observed="2022-05-06")
    >>> why_unknown_of([sdn, ssi], dt.date(2020, 1, 1), "2022-05-06")[0].lists
    ('SDN', 'SSI')
    """
    reasons = [(x.end or "", x.why_unknown(day, known_to)) for x in listings]
    # Whether an entry's one reason is that no snapshot could show its end extended.
    alone = [why == _ends_not_known([end], known_to) for end, why in reasons]
    ended = sorted({end for (end, _), only in zip(reasons, alone, strict=True) if only})
    found = [Reason(_ends_not_known(ended, known_to))] if len(ended) > 1 else []
    # Reasons of entries on several lists each name their list: an SDN's and a DPL's, both
    # "it ...", read as one entry's (trial 49a).
    lists = {x.abbreviation for x, (_, why) in zip(listings, reasons, strict=True) if why}
    # One reason several lists' entries share is said once, naming them all: Sberbank's CAP,
    # SSI and SDN entries each said the same two lines (trial 53b).
    sharing: dict[str, list[str]] = {}
    for x, (_, why), only in zip(listings, reasons, alone, strict=True):
        if why and (len(ended) < 2 or not only):
            sharing.setdefault(why, []).append(x.abbreviation)
    found += [
        Reason(why, tuple(dict.fromkeys(names)) if len(lists) > 1 else ())
        for why, names in sharing.items()
    ]
    return tuple(dict.fromkeys(found))


def said(reasons: Sequence[Reason]) -> str:
    """Reasons in words, "; " between them."""
    return "; ".join(map(str, reasons))


def _whose(lists: Sequence[str], why: str) -> str:
    if len(lists) == 1:
        return f"its {lists[0]} entry: {why}"
    named = f"{', '.join(lists[:-1])} and {lists[-1]}"
    return f"its {named} entries, the same for each: {why}"


def _ends_not_known(ends: Sequence[str], known_to: str) -> str:
    days = f"{', '.join(ends[:-1])} and {ends[-1]}" if len(ends) > 1 else ends[0]
    whose, they = ("their ends", "they were") if len(ends) > 1 else ("its end", "it was")
    return (
        f"its list gave {whose} as {days}, after the last snapshot of the whole lists "
        f"({known_to}), which cannot show whether {they} extended"
    )


def _dated(rules: Sequence[Rule]) -> str:
    return ", ".join(f"{rule.citation} ({rule.published})" for rule in rules)


@dataclass(frozen=True)
class CandidateMatch:
    """Our candidate match of a party with another (kg.graph.identity): two records that
    might be one party, which no curator has judged. The SDN's AL-NASER AIRLINES gives the
    DPL's ALNASER AIRLINES as an alias, and screening showed the two unrelated (49a)."""

    iri: str
    other: str  # the other party, as screened (its IRI, or the curated party's)
    caption: str  # the other party's
    lists: tuple[str, ...]  # the abbreviations of the other party's lists
    score: float | None
    evidence: tuple[str, ...]
    #: The other party's numbered entries, "SDN no. 7637": what tells a namesake's note of
    #: "entries 7637 and 7643 of the SDN" which entry is the other's (trial 51e).
    entries: tuple[str, ...] = ()
    #: The other party's countries, codes: what tells the SDN's two MINISTRY OF STATE
    #: SECURITY apart (KP, UA), which their entry numbers do not say (trial 52a).
    countries: tuple[str, ...] = ()

    @property
    def listed(self) -> tuple[str, ...]:
        """Its lists, each by its numbered entries where it has some.

        >>> CandidateMatch("m", "p", "AL NASER AIRLINES", ("DPL", "SDN"), 0.87, (),
        ...                ("SDN no. 18133",)).listed
        ('DPL', 'SDN no. 18133')
        """
        found = [
            entry
            for abbreviation in self.lists
            for entry in [e for e in self.entries if e.startswith(f"{abbreviation} no. ")]
            or [abbreviation]
        ]
        return tuple(dict.fromkeys([*found, *self.entries]))

    @property
    def namesake(self) -> bool:
        """A namesake the list tells apart, by entry number or date of birth: the ingest
        records it unscored (kg.sources.csl), "entries 20129 and 25437 of the SDN". Screening
        called the North Korean and the Luhansk MINISTRY OF STATE SECURITY "possibly the same
        party" (trial 51b)."""
        return self.score is None


@dataclass(frozen=True)
class Entity:
    iri: str
    caption: str
    schema: str  # Person, Organization, Company, Vessel or Airplane
    countries: frozenset[str]
    birth_dates: tuple[str, ...]
    ids: frozenset[str]  # identifiers folded by kg.match.evidence.id_key
    listings: tuple[Listing, ...]
    #: The other entities a curator judged to be this party (owl:sameAs), as yente's
    #: `referents` name the records merged into one entity.
    referents: tuple[str, ...] = ()
    #: The list does not state the kind (`schema`): we inferred it (an elkg:KindInference).
    kind_inferred: bool = False
    #: Our candidate matches with other parties screened, which no curator has settled.
    candidate_matches: tuple[CandidateMatch, ...] = ()


@dataclass(frozen=True)
class Query:
    """One party to screen: names in any script and what else is known of it."""

    names: tuple[str, ...]
    schema: str = "LegalEntity"
    countries: tuple[str, ...] = ()  # ISO codes
    birth_dates: tuple[str, ...] = ()  # YYYY, YYYY-MM or YYYY-MM-DD
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feature:
    """One line of an explanation: what was compared, what it added to the score, and why."""

    name: str  # name, country, birthDate, idNumber, schema
    effect: float
    detail: str
    query: tuple[str, ...] = ()
    candidate: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "effect": self.effect,
            "detail": self.detail,
            "query": list(self.query),
            "candidate": list(self.candidate),
        }


@dataclass(frozen=True)
class Candidate:
    entity: Entity
    score: float
    name_score: float
    matched_name: str
    features: tuple[Feature, ...]
    listings: tuple[Listing, ...]  # those in force on the day screened, on the lists asked
    #: Its other entries on the lists asked, not in force that day: said, never dropped.
    not_in_force: tuple[Listing, ...] = ()

    @property
    def caption(self) -> str:
        """Its name as its entries that count print it (caption_of)."""
        return caption_of(self.entity, self.listings or self.not_in_force)


def caption_of(entity: Entity, listings: Sequence[Listing]) -> str:
    """The party's caption, unless it is a spelling of another list than those of
    `listings`: then the name they print. AL-NASER AIRLINES, in force on the SDN, was
    captioned by the DPL's AL NASER AIRLINES, an entry that had ended (trial 46a). A caption
    no entry prints (a repaired name, a mixed-case one) stands.

    >>> sdn = Listing("x:1", "x:sdn", "SDN List", "SDN", None, None, name="AL-NASER AIRLINES")
    >>> dpl = Listing("x:2", "x:dpl", "DPL", "DPL", None, None, name="AL NASER AIRLINES")
    >>> party = Entity("x:p", "AL NASER AIRLINES", "Company", frozenset(), (), frozenset(),
    ...                (sdn, dpl))
    >>> caption_of(party, [sdn]), caption_of(party, [dpl, sdn])
    ('AL-NASER AIRLINES', 'AL NASER AIRLINES')
    """
    printed = {x.name for x in listings if x.name}
    if not printed or entity.caption in printed:
        return entity.caption
    if entity.caption not in {x.name for x in entity.listings}:
        return entity.caption
    return best((NAME, name) for name in printed)


#: The least score at which a party is named a candidate: below it, an answer names none,
#: but one whose name alone reaches it (the evidence lowered it).
CUTOFF = 0.5


@dataclass(frozen=True)
class Screening:
    """The answer to one query: candidates at or above the cut-off, best first; and the
    entities whose names match as well but whose entries are not in force on `as_of` (an
    entry without a start date counts only from the first snapshot that showed it), so that
    an answer never hides them silently."""

    candidates: tuple[Candidate, ...]
    total: int
    as_of: dt.date
    lists: tuple[str, ...] = field(default=())
    outside: tuple["OutOfForce", ...] = field(default=())
    #: The day of the last snapshot of the whole lists the release read: an end date after
    #: it may have been extended since (Listing.why_unknown).
    known_to: str = ""
    #: How many matched not in force, of which `outside` holds the first (a page of 10 of
    #: Sberbank's 16, as of 2020-01-01, said nothing of the 6 more: trial 53c).
    outside_total: int = 0
    #: The score of every party not counted that may have been in force that day, `outside`
    #: cut or not: what a heading counts ("7 weaker candidates not known to be in force"
    #: counted a page's of Sberbank's 13: trial 54c).
    unknown_scores: tuple[float, ...] = ()

    def why_unknown(self, listing: Listing) -> str:
        """Why an entry not in force on the day screened may have been; "" if it was not."""
        return listing.why_unknown(self.as_of, self.known_to)

    @functools.cached_property
    def shown_as(self) -> dict[str, str]:
        """The parties the answer names, its candidates and those not in force that day, by
        the captions it gives them (a candidate match names a party by its answer's)."""
        return {c.entity.iri: c.caption for c in self.candidates} | {
            o.iri: o.caption for o in self.outside
        }


@dataclass(frozen=True)
class OutOfForce:
    """A name matched at or above the cut-off whose entries were not in force on the day."""

    iri: str
    caption: str
    name_score: float
    #: When each of its entries counts, in words, earliest first, "; " between them
    #: (kg.in_force.Window.span_text).
    window: str
    #: An entry may have been in force on the day, and nothing we read says it was not
    #: (Listing.why_unknown): not "not in force". Why, in words, in `why`.
    unknown: bool = False
    #: The party scored as a candidate is (name and evidence), every entry of it on the lists
    #: asked for not in force: for an answer that describes it (kg screen's columns, where
    #: nothing in force matched as well).
    candidate: Candidate | None = None
    reasons: tuple[Reason, ...] = ()

    @property
    def why(self) -> str:
        """Its reasons, in words; "" where it is known not to be in force."""
        return said(self.reasons)

    @property
    def why_alone(self) -> str:
        """Its reason without the lists it names, where one holds for all its entries: a
        spreadsheet's explanation said Sberbank's reason four times, once for each set of
        lists its subsidiaries are on (trial 56a)."""
        return self.reasons[0].text if len(self.reasons) == 1 else self.why

    @property
    def next_step(self) -> str:
        """What to do of it before clearing the party, where `why` does not say it already
        (a renewal's reason does: READ); "" where it is known not to be in force.

        >>> ended = OutOfForce("x:p", "P", 1.0, "…", True, reasons=(Reason("…"),))
        >>> renewed = OutOfForce("x:p", "P", 1.0, "…", True, reasons=(Reason(READ),))
        >>> ended.next_step[:30], renewed.next_step
        ('Review it before clearing the ', '')
        """
        return REVIEW if self.unknown and READ not in self.why else ""

    @property
    def score(self) -> float:
        """Its score with the evidence, as a candidate's (its name's, where not scored so):
        the SDN's North Korean MINISTRY OF STATE SECURITY asked with the country UA, 0.88."""
        return self.candidate.score if self.candidate is not None else self.name_score
