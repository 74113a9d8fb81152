"""What /match and /reconcile answer, as OpenAPI describes it.

The routes write plain JSON (kg.match.answers), never through these models: they are the
answers' documentation, which the tests check real answers against (an empty schema told a
client nothing: trial 28).
"""

from typing import Any

from pydantic import BaseModel, Field, RootModel

_NULLABLE_DAY = Field(description="ISO date, or null where none is known")


class Rule(BaseModel):
    id: str = Field(description="the rule's IRI")
    citation: str = Field(description="its Federal Register citation, 84 FR 54002")
    published: str | None = Field(description="its day, or its volume's year where unknown")


class ListingAnswer(BaseModel):
    """An entry of the party on a list."""

    id: str = Field(description="the entry's IRI")
    list_: str = Field(alias="list", description="the list's IRI")
    list_name: str
    abbreviation: str = Field(description="EL, SDN, ...")
    entry_number: str | None = Field(
        None,
        description="the number the list gives the entry (the SDN's uid), where it gives one: "
        "what tells namesakes apart (MINISTRY OF STATE SECURITY 20129 and 25437)",
    )
    name: str | None = Field(
        None,
        description="the name the list prints on the entry: one party's spellings on two "
        "lists may differ (AL-NASER AIRLINES on the SDN, AL NASER AIRLINES on the DPL)",
    )
    start: str | None = _NULLABLE_DAY
    first_observed: str | None = Field(description="the first snapshot that showed it")
    in_force_from: str | None = Field(description="its start, or else its first observation")
    in_force_until: str | None = Field(description="its end or first removal seen (excluded)")
    end: str | None = _NULLABLE_DAY
    renewed_by: str | None = Field(
        None,
        description="the start of the party's later entry on the list that renews it: our "
        "reading of the snapshots, not the list's",
    )
    removal_seen: bool = Field(
        False, description="in_force_until is the day of the first snapshot that showed it removed"
    )
    seen_before_removal: str | None = Field(
        None,
        description="the day of the snapshot before that one, which still showed it: it left "
        "the list between the two",
    )
    rules: list[Rule]


_UNKNOWN = Field(description="it may have been in force that day: nothing we read says not")
_WHY_UNKNOWN = Field(
    description="why: undated and first observed later, or an end date after the last "
    "snapshot of the whole lists, which cannot show it extended"
)


class ListingNotInForce(ListingAnswer):
    unknown_on_day: bool = _UNKNOWN
    unknown_why: str | None = _WHY_UNKNOWN


class Explanation(BaseModel):
    effect: float = Field(description="what the feature adds to the score, or takes away")
    detail: str = Field(description="why, in words")
    query: list[str] = Field(description="the values asked")
    candidate: list[str] = Field(description="the party's values they were compared with")


class CandidateMatchAnswer(BaseModel):
    """Another party the candidate may be, by our candidate match (kg.graph.identity)."""

    id: str = Field(description="the other party's IRI")
    caption: str = Field(description="its name, as this answer gives it where it is in it")
    datasets: list[str] = Field(description="the lists of its entries")
    in_answer: bool = Field(description="it is among this query's results or not_in_force")
    namesake: bool = Field(
        description="a namesake the list tells apart, by entry number or date of birth "
        "(no score): separate parties of the list, which does not say whether they are "
        "related; a reminder to tell them apart"
    )
    score: float | None = Field(
        description="how far our evidence says they are one, 0 to 1; none for a namesake"
    )
    evidence: list[str] = Field(
        description="why they may be one party, or what tells namesakes apart, in words"
    )
    entries: list[str] = Field(
        description='the other party\'s numbered entries, "SDN no. 7637": which of a '
        "namesake's entry numbers is the other's"
    )
    countries: list[str] = Field(
        description="the other party's countries, codes: what tells namesakes apart where "
        "their entry numbers say nothing of it (the SDN's two MINISTRY OF STATE SECURITY, KP "
        "and UA)"
    )
    candidate_match: str | None = Field(
        description="the candidate match's IRI, which no curator has judged; none for a "
        "namesake of a namesake, which no match pairs with this party itself (the four "
        "AL-AQSA FOUNDATION of the SDN are each paired with the first)"
    )


class MatchResult(BaseModel):
    """A candidate, as yente gives it, with explanations and listings added."""

    id: str = Field(description="the party's IRI")
    caption: str
    schema_: str = Field(alias="schema", description="its FollowTheMoney kind")
    schema_inferred: bool = Field(description="the list does not state the kind: we inferred it")
    referents: list[str] = Field(description="other IRIs a curator judged the same party")
    candidate_matches: list[CandidateMatchAnswer] = Field(
        description="other parties it may be, by our candidate matches, which no curator has "
        "judged: possibly one party, to review together"
    )
    score: float
    match: bool = Field(description="score at or above the threshold")
    in_force: bool = Field(
        description="an entry of it is in force that day; false for a party whose entries "
        "may be, and nothing we read says not (each of its `not_in_force` says why)"
    )
    unknown_on_day: bool = Field(
        description="with `in_force` false: its entries may have been in force that day, and "
        "nothing we read says they were not; review it before clearing the party"
    )
    unknown_why: str | None = Field(
        description="why, in words; null where `unknown_on_day` is false"
    )
    matched_name: str = Field(description="the listed name that matched best")
    features: dict[str, float] = Field(description="each feature's effect on the score")
    explanations: dict[str, Explanation]
    properties: dict[str, list[str]] = Field(description="name, country, birthDate")
    datasets: list[str] = Field(
        description="the lists of its entries in force that day (with `in_force` false, of "
        "those that may be)"
    )
    listings: list[ListingAnswer] = Field(description="its entries in force that day")
    not_in_force: list[ListingNotInForce] = Field(description="its other entries asked")


class Total(BaseModel):
    value: int
    relation: str = Field(description="eq: the count is exact")


class NameNotInForce(BaseModel):
    """A party whose name matches but none of whose entries is in force that day."""

    id: str
    caption: str
    score: float
    name_score: float
    in_force: str = Field(description="when its entries count, in words")
    unknown_on_day: bool = _UNKNOWN
    unknown_why: str | None = _WHY_UNKNOWN


class QueryAnswer(BaseModel):
    status: int = Field(description="200")
    results: list[MatchResult] = Field(description="best first, down to the cut-off")
    total: Total
    not_in_force: list[NameNotInForce]
    query: dict[str, Any] = Field(description="the query as read")
    warnings: list[str] = Field(description="how its names were read, where it matters")


class Matcher(BaseModel):
    name: str
    version: str


class ScreenedAgainst(BaseModel):
    """The release screened against: enough to reproduce and cite the answer."""

    release: str = Field(description="the release's IRI")
    date: str
    dump: str = Field(description="the dump file the digest is of")
    sha256: str
    first_complete_snapshot: str = Field(description="empty in an older index")
    last_complete_snapshot: str = Field(description="entries since are known only partly")
    last_snapshot: str = Field(
        description="the last snapshot, maybe partial: it shows entries added, never removed"
    )
    first_snapshot: str = Field(description="the first snapshot, maybe partial")


class MatchAnswer(BaseModel):
    responses: dict[str, QueryAnswer] = Field(description="one per query, by its key")
    matcher: Matcher
    limit: int
    threshold: float
    cutoff: float
    as_of: str = Field(description="the day screened")
    undated_entries: str = Field(description="how an entry without a start date counts")
    warnings: list[str] = Field(
        description="the day is outside what the release knows; yente's options not applied"
    )
    lists: list[str] = Field(description="the lists asked; empty for every list")
    screened_against: ScreenedAgainst


class ReconcileType(BaseModel):
    id: str
    name: str


class ReconcileFeature(BaseModel):
    id: str
    value: float


class ReconcileCandidate(BaseModel):
    id: str = Field(description="the IRI after the manifest's identifierSpace")
    name: str
    description: str = Field(description="lists and start dates, countries, date of birth")
    score: float
    match: bool = Field(description="OpenRefine takes it without asking")
    features: list[ReconcileFeature]
    type: list[ReconcileType]


class ReconcileResult(BaseModel):
    result: list[ReconcileCandidate]
    warnings: list[str] = Field(
        [], description="ours, beside the API's: how the name was read, where it matters"
    )


class ReconcileManifest(BaseModel):
    """The service manifest (no `queries` or `extend` given)."""

    versions: list[str]
    name: str
    identifierSpace: str  # noqa: N815 (the API's names)
    schemaSpace: str  # noqa: N815


class ReconcileExtension(BaseModel):
    """A data extension's rows (`extend`)."""

    meta: list[ReconcileType]
    rows: dict[str, dict[str, list[dict[str, Any]]]]


class ReconcileAnswer(
    RootModel[ReconcileManifest | dict[str, ReconcileResult] | ReconcileExtension]
):
    """The manifest; or each query's candidates, by its key; or a data extension."""


class ReconcileProperties(BaseModel):
    """The properties a data extension offers (the Reconciliation API's propose_properties)."""

    properties: list[ReconcileType]
    type: str | None = Field(None, description="the type asked, as given")
    limit: int | None = Field(None, description="the limit asked, as given")


class Suggested(BaseModel):
    id: str = Field(description="the IRI after the manifest's identifierSpace")
    name: str
    description: str
    notable: list[ReconcileType]


class Suggestions(BaseModel):
    """Parties whose names begin with the prefix asked (OpenRefine's autocomplete)."""

    result: list[Suggested]


class Health(BaseModel):
    """Whether the server answers, and what it serves."""

    status: str = Field(
        description="ok; degraded (a query worker is down); no query worker; under --store: "
        "SPARQL server unreachable; no release on the SPARQL server"
    )
    queries: bool = Field(description="whether SPARQL queries and documents are answered now")
    workers: int = Field(description="query workers alive")
    capacity: str = Field(description="alive/started")
    quads: int = Field(description="quads in the store served")
    names: int = Field(description="names the search holds")
    build: str = Field(description="the build served, by its digest")
    version: str
