"""The as-of rule: whether an entry was in force on a day. Its one definition.

The README's "As of" section, the query page's examples (`kg.web.examples`), the matcher
(`kg.match`) and the site's "as of" view (`kg.site.as_of`) all take the rule from here: the
SPARQL pattern `PATTERN`, or the `Window` an entry's dates give.

An entry (a listing) is in force on day D when

- it started on or before D. Most of the Consolidated Screening List publishes no start date
  (SDN, SSI, ITAR, CMIC...): such an entry counts only from the first list snapshot that
  showed it (`elkg:firstObservedIn`). That day is an observation, not a start: the entry may
  have been listed earlier, and nothing we read says when. An entry with neither a start nor
  an observation is never counted;
- it has no end date on or before D;
- no snapshot taken on or before D showed its removal.
"""

from collections.abc import Iterable
from dataclasses import dataclass

#: What the date of an entry without a start date means, for every answer and page that
#: shows one.
UNDATED = (
    "An entry whose list gives no start date is counted from the first list snapshot that "
    "showed it: that date is when it was observed, not when it was listed, which may be "
    "earlier."
)

#: The rule's test of ?listing's dates, once ?start, ?observed and ?end are bound (or not).
_IN_ITS_DATES = "FILTER (COALESCE(?start, ?observed) <= ?day && (!BOUND(?end) || ?end > ?day))"

#: The rule as a SPARQL group: binds ?listing's dates and keeps it when in force on ?day.
#: The caller binds ?listing (and ?day, an xsd:date) and declares the prefixes elkg: and
#: dcterms:. Each part is a lookup on ?listing: the form for one entry or a few (a name's).
PATTERN = f"""OPTIONAL {{ ?listing elkg:startDate ?start }}
  OPTIONAL {{ ?listing elkg:firstObservedIn/dcterms:issued ?observed }}
  OPTIONAL {{ ?listing elkg:endDate ?end }}
  {_IN_ITS_DATES}
  FILTER NOT EXISTS {{ ?removal a elkg:Removal ; elkg:affectsListing ?listing ;
                               elkg:observedIn/dcterms:issued ?seen . FILTER (?seen <= ?day) }}"""

#: The same rule for every entry of a list, or of all lists. Each date is read whole by a
#: subquery, which Oxigraph evaluates on its own and joins by hash, where PATTERN looks each
#: entry up: a lookup costs more as the store outgrows the engine's cache, and at 8 times
#: the CSL "how many entries each list held" took 3.2 s against 0.54 s this way (0.34 and
#: 0.05 s on the CSL itself). The first removal seen stands for "a removal seen by ?day".
EVERY_ENTRY_PATTERN = (
    """OPTIONAL { SELECT ?listing ?start WHERE { ?listing elkg:startDate ?start } }
  OPTIONAL { SELECT ?listing ?observed WHERE {
    ?listing elkg:firstObservedIn ?snapshot .
    { SELECT ?snapshot ?observed WHERE { ?snapshot dcterms:issued ?observed } } } }
  OPTIONAL { SELECT ?listing ?end WHERE { ?listing elkg:endDate ?end } }
  OPTIONAL { SELECT ?listing (MIN(?seen) AS ?removed) WHERE {
    ?removal a elkg:Removal ; elkg:affectsListing ?listing ; elkg:observedIn ?snapshot .
    { SELECT ?snapshot ?seen WHERE { ?snapshot dcterms:issued ?seen } } } GROUP BY ?listing }
  """
    + _IN_ITS_DATES
    + """
  FILTER (!BOUND(?removed) || ?removed > ?day)"""
)


@dataclass(frozen=True, kw_only=True)
class Window:
    """The days an entry is in force: from `since` (included) to `until` (excluded).

    >>> w = window(start=None, observed="2022-05-06", end=None, removals=())
    >>> w.in_force("2020-01-01"), w.in_force("2022-05-06"), w.observed_since
    (False, True, True)
    >>> window(start="2019-10-09", observed=None, end=None, removals=["2023-11-30"]).until
    '2023-11-30'
    """

    since: str | None  # ISO date: the start, or the first observation; None: never counted
    observed_since: bool  # `since` is when a snapshot first showed it, not a start date
    until: str | None  # the end date or the first removal observed, whichever comes first
    #: `until` is the day of the first snapshot that showed it removed, not an end date: "until
    #: 2022-05-06" read as an end the list gave (trial 46b).
    removed: bool = False

    def in_force(self, day: str) -> bool:
        """On the ISO day: since on or before it, and not yet ended or removed."""
        return (
            self.since is not None
            and self.since <= day
            and (self.until is None or day < self.until)
        )

    def since_text(self) -> str:
        """The start for people: the date, or what the date of an undated entry is."""
        if self.since is None:
            return "no start date, never observed"
        return f"no start date, first observed {self.since}" if self.observed_since else self.since

    def until_text(self) -> str:
        """Its end for people: a date the list gave, or the snapshot that showed it gone.

        >>> gone = window(start="2019-01-01", observed=None, end=None, removals=["2022-05-06"])
        >>> gone.until_text()
        'until a snapshot showed it removed (2022-05-06)'
        """
        if self.until is None:
            return ""
        if self.removed:
            return f"until a snapshot showed it removed ({self.until})"
        return f"until {self.until}"

    def span_text(self) -> str:
        """Its start for people, and its end if it has one.

        >>> Window(since="2019-01-01", observed_since=False, until="2021-01-01").span_text()
        '2019-01-01, until 2021-01-01'
        """
        return self.since_text() + (f", {self.until_text()}" if self.until else "")


def window(
    *, start: str | None, observed: str | None, end: str | None, removals: Iterable[str]
) -> Window:
    """The window of an entry from its dates (ISO text, which compares as dates do)."""
    until = min((d for d in (end, *removals) if d), default=None)
    removed = until is not None and until != end  # a removal seen before any end date
    return Window(
        since=start or observed,
        observed_since=not start and bool(observed),
        until=until,
        removed=removed,
    )


def end_not_known(window: Window, end: str | None, known_to: str, day: str) -> bool:
    """Whether the entry's own end date, passed by the ISO `day`, came after `known_to`, the
    day of the last snapshot of the whole lists: no snapshot since could show the entry
    extended, so it is not known to have ended. The DPL's temporary denial order of PJSC
    AEROFLOT "until 2022-10-04", in the list of 2022-05-06, was cleared as of 2026 (trial
    36); such an order is renewed by a new one. An end after a removal seen is no end.

    >>> order = window(start="2022-04-07", observed=None, end="2022-10-04", removals=())
    >>> end_not_known(order, "2022-10-04", "2022-05-06", "2026-12-06")
    True
    >>> end_not_known(order, "2022-10-04", "2023-01-01", "2026-12-06")  # seen ended
    False
    """
    return bool(end and known_to and window.until == end and known_to < end <= day)


def known_published(published: str) -> str:
    """The first day a document is known to have been published by: its day, or the day
    after its year where only the year is known (a Federal Register volume's).

    >>> known_published("2019-12-06"), known_published("2008")
    ('2019-12-06', '2009-01-01')
    """
    return f"{int(published) + 1}-01-01" if len(published) == 4 else published


def review_span(published: Iterable[str | None], after: str, until: str) -> tuple[str, str] | None:
    """The days [first, until) on which an entry not in force by its dates may have been, where
    one of the documents it cites (`published`: days or years) is known to have been
    published after `after` and before `until`, when its dates decide again: from `after`
    (an order's end, from which its renewal holds), or, with none, from the first such day.

    Two readings use it, in screening and on the site's "as of" view alike:
    - an order ended before a day, whose renewing entry (starting `until`) cites a document
      published after its end (`after`) by then: the DPL's AL NASER WINGS AIRLINES, "until
      2019-12-03", renewed by 84 FR 66873 of 2019-12-06 (trial 48a);
    - an entry whose list gives it a start (`until`) after documents it cites were published
      (`after` empty): a denial order's start is its latest renewal's, and MAHAN AIRWAYS,
      denied since 2008, starts 2021-11-17 on the DPL (trial 48a).

    >>> review_span(["2019-12-06", "2020-06-04"], "2019-12-03", "2021-11-17")
    ('2019-12-03', '2021-11-17')
    >>> review_span(["2008", "2021-11-22"], "", "2021-11-17"), review_span([None], "", "2020")
    (('2009-01-01', '2021-11-17'), None)
    """
    days = [known_published(p) for p in published if p]
    first = min((day for day in days if after < day < until), default=None)
    # A renewal takes effect as the order it renews ends, most often before it is published:
    # AL NASER WINGS AIRLINES's days 2019-12-03 to 12-05 were in no count nor review (51a).
    return (after or first, until) if first else None
