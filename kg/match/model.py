"""What screening reads and answers: parties, their listings, a query, a scored candidate."""

import datetime as dt
from dataclasses import dataclass, field

from kg.in_force import Window, window

#: The kinds of party a query may ask for (yente's FollowTheMoney schema names).
SCHEMAS = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")


@dataclass(frozen=True)
class Release:
    """The release screened against: enough to reproduce and cite an answer later."""

    iri: str
    date: str
    nquads_sha256: str
    dump: str = "entitylist-kg.nq"
    #: The day of the newest list snapshot the release read: what it knows of the lists
    #: ends there. Empty in an index written before it was recorded.
    newest_snapshot: str = ""

    def as_json(self) -> dict[str, str]:
        return {
            "release": self.iri,
            "date": self.date,
            "dump": self.dump,
            "sha256": self.nquads_sha256,
            "newest_snapshot": self.newest_snapshot,
        }

    def unseen_after(self, day: dt.date) -> str | None:
        """A warning when `day` is after the newest snapshot: a screener asking about today
        must know that entries added or removed since that snapshot are not in this release.

        >>> Release("r", "2026-11-24", "0", newest_snapshot="2022-05-06").unseen_after(
        ...     dt.date(2022, 5, 6)) is None
        True
        >>> Release("r", "2026-11-24", "0", newest_snapshot="2022-05-06").unseen_after(
        ...     dt.date(2026, 12, 4))[:88]
        'screened as of 2026-12-04, but the newest list snapshot in this release is of 2022-05-06'
        """
        if not self.newest_snapshot or day.isoformat() <= self.newest_snapshot:
            return None
        return (
            f"screened as of {day.isoformat()}, but the newest list snapshot in this release "
            f"is of {self.newest_snapshot}: entries added or removed since then are not "
            "known; screen against a newer release for the lists as they are now"
        )


@dataclass(frozen=True)
class Rule:
    iri: str
    citation: str


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

    @property
    def window(self) -> Window:
        return window(start=self.start, observed=self.observed, end=self.end, removals=self.removed)

    def in_force(self, day: dt.date) -> bool:
        """The as-of rule (kg.in_force)."""
        return self.window.in_force(day.isoformat())


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


@dataclass(frozen=True)
class OutOfForce:
    """A name matched at or above the cut-off whose entries were not in force on the day."""

    iri: str
    caption: str
    name_score: float
    window: str  # when its first entry counts, in words (kg.in_force.Window.since_text)
