"""Federal Register citations as the Consolidated Screening List writes them.

The field holds one or several citations in a dozen styles: "84 FR 54002; 85 FR 44159",
"84 FR 22961, 5/21/19", "82 F.R. 48792 10/20/2017", "85 FR 83416 (12/22/20)", "75 FR 1701 No. 9",
"Vol. 88, No. 151, 08/08/2023", "82 F.R. 16788, 16789 4/6/2017" (a rule and a later page of it).
Each is read into a volume and a page (or an issue number), with the publication date where the
text gives one. A damaged part of the field costs only that part: every well-formed citation
beside it is still read.

A page is not always a rule: "84 FR 54004" is a page inside 84 FR 54002. Where the first page
of the rule is known, the citation is kept as a page of that rule (`first_page`), never as a
rule of its own.
"""

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from rapidfuzz.distance import Levenshtein

from kg.errors import KgError

#: The Federal Register prints one volume a year; volume 1 is 1936 (84 is 2019).
FIRST_VOLUME_YEAR = 1935
#: How many pages after a known first page a cited page is still read as a page of that rule.
#: Rules adding entries run to a few pages (84 FR 54002 to 54009; the list cites 54004); two
#: documents about the same entry within ten pages of each other would be printed the same day.
PIN_SPAN = 10

_DATE = r"(\d{1,2})/(\d{1,2})/(\d{2,4})"
_FR = re.compile(
    rf"(?P<volume>\d{{1,3}})\s*\.?\s*F\.?\s?R\.?\s*(?:no\.\s*(?P<front_issue>\d+)\s*pg\.\s*)?"
    rf"(?P<page>\d{{1,6}})(?![\d/])"  # "72 F.R. 1/30/07" has a date, not page 1
    # "16788, 16789": a further page of the same rule (never a date, never the next volume)
    rf"(?:\s*,\s*(?P<more>\d{{3,6}})(?![\d/]|\s*\.?\s*F\.?\s?R))?"
    rf"(?:\s*(?:,\s*|\(|)\s*(?:no\.\s*\d+\s*\)?\s*)?(?P<date>{_DATE})?\)?)?"
    rf"(?:\s*\(?no\.\s*(?P<issue>\d+)\)?)?",
    re.IGNORECASE,
)
_ISSUE = re.compile(
    rf"(?:Notice\s+\d+,\s*)?(?:Vol\.\s*(?P<volume>\d+)|(?P<fr_volume>\d+)\s*FR)\s*,?\s*"
    rf"No\.\s*(?P<issue>\d+)\s*,?\s*\(?(?P<date>{_DATE})\)?",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"^[\s,;.]*(?:and[\s,;.]*)?$", re.IGNORECASE)
#: Citations the list prints without "F.R." ("87 30173 5/18/2022") or without the volume
#: ("F.R. 30078 5/10/2023"), each with a day: read only where the day says the volume.
_NO_FR = re.compile(rf"(?<![\d/])(?P<volume>\d{{2,3}})\s+(?P<page>\d{{3,6}})\s+(?P<date>{_DATE})")
_NO_VOLUME = re.compile(
    rf"(?<![\d.\w])F\.?\s?R\.?\s*(?P<page>\d{{3,6}})\s+(?P<date>{_DATE})", re.IGNORECASE
)
#: How such a citation is read, for the graph of our readings (kg.graph.ingest.DERIVED).
REPAIR_METHOD = (
    "A citation the list prints without 'F.R.' (\"87 30173 5/18/2022\") is read as volume, "
    "page and day where the day is of the volume's year (87 is 2022); one printed without "
    'its volume ("F.R. 30078 5/10/2023") takes the volume of the day\'s year (88). Either '
    "is read only as a document other rows of the snapshots cite whole with that day. The "
    "list's text stays elkg:unparsedCitation; the reading is ours, and dates no document "
    "(kg.citations, kg.sources.csl)."
)


def volume_year(volume: int) -> int:
    """The year a Federal Register volume was printed.

    >>> volume_year(84), volume_year(85)
    (2019, 2020)
    """
    return volume + FIRST_VOLUME_YEAR


@dataclass(frozen=True, order=True, kw_only=True)
class Citation:
    volume: int
    page: int | None
    issue: int | None
    date: dt.date | None
    text: str
    first_page: int | None = None  # the page is inside the rule that starts here
    #: How we read a citation the list damaged ("" for one it prints whole): the reading
    #: is ours, not the list's (REPAIR_METHOD).
    repair: str = ""

    @property
    def key(self) -> str:
        """What identifies the instrument: "84 FR 54002", or "88 FR No. 151" for an issue."""
        if self.page is None:
            return f"{self.volume} FR No. {self.issue}"
        return f"{self.volume} FR {self.first_page or self.page}"

    @property
    def cited_page(self) -> str | None:
        """The page cited inside its rule ("84 FR 54004"), where it is not the first page."""
        if self.first_page is None or self.first_page == self.page:
            return None
        return f"{self.volume} FR {self.page}"

    @property
    def year(self) -> int:
        return volume_year(self.volume)


@dataclass(frozen=True)
class CitationReading:
    """What a field holds: its citations, and each part that is not one, as written, with
    why where a part is one but for it (`reasons`, "" otherwise: not a citation at all)."""

    citations: list[Citation]
    damaged: list[str]
    reasons: list[str]


class CitationError(KgError, ValueError):
    """Text in the field that is not a citation we can read."""


def read_citations(text: str) -> CitationReading:
    """Every well-formed citation in the field, and every damaged part beside them.

    >>> reading = read_citations("76 FR 78146 (12/16/11) 77 FR")
    >>> [c.key for c in reading.citations], reading.damaged
    (['76 FR 78146'], ['77 FR'])
    >>> reading = read_citations("82 F.R. 16788, 16789 4/6/2017")
    >>> [(c.key, c.cited_page) for c in reading.citations]
    [('82 FR 16788', None), ('82 FR 16788', '82 FR 16789')]
    >>> reading = read_citations("86 F.R. 28540 5/27/2021, 87 30173 5/18/2022, F.R. 30078 5/10/23")
    >>> [c.key for c in reading.citations], reading.damaged
    (['86 FR 28540', '87 FR 30173', '88 FR 30078'], [])
    >>> print(reading.citations[2].repair)
    'F.R. 30078 5/10/23' read as 88 FR 30078: printed without its volume, the volume of 2023 ...
    >>> read_citations("87 30173 5/18/2021").damaged  # not a day of volume 87's year
    ['87 30173 5/18/2021']
    >>> reading = read_citations("86 F.R. 66277 11/22/201")  # the year is cut short
    >>> [(c.key, c.date) for c in reading.citations], reading.damaged, reading.reasons
    ([('86 FR 66277', None)], ['11/22/201'], ['not a day of 2021, the year of volume 86'])
    """
    found: list[Citation] = []
    damaged: list[tuple[str, str]] = []  # (as written, why)
    rest = text
    for pattern in (_ISSUE, _FR):
        for match in pattern.finditer(rest):
            found += _citations(match, damaged)
        rest = pattern.sub(" ; ", rest)
    for pattern in (_NO_FR, _NO_VOLUME):
        rest = pattern.sub(lambda match: _repaired(match, found), rest)
    damaged += [(p.strip(), "") for p in re.split(r"[;,]", rest) if not _SEPARATORS.match(p)]
    return CitationReading(
        sorted(found, key=lambda c: (c.volume, c.page or 0, c.issue or 0, c.text)),
        [written for written, _ in damaged],
        [why for _, why in damaged],
    )


def _repaired(match: re.Match[str], found: list[Citation]) -> str:
    """What stays of the text for a citation the list damaged: " ; " where it is read into
    `found` (the day says the volume), the text as it was where not."""
    groups = match.groupdict()
    month, day, year = (int(part) for part in re.findall(r"\d+", groups["date"]))
    try:
        date = dt.date(_full_year(year), month, day)
    except ValueError:
        return match.group(0)
    text = match.group(0).strip()
    if groups.get("volume") is None:
        volume, how = date.year - FIRST_VOLUME_YEAR, "without its volume, the volume of"
    elif volume_year(volume := int(groups["volume"])) == date.year:
        how = "without 'F.R.', by volume, page and a day of"
    else:
        return match.group(0)
    page = int(groups["page"])
    repair = f"{text!r} read as {volume} FR {page}: printed {how} {date.year} (our reading)"
    found.append(
        Citation(volume=volume, page=page, issue=None, date=date, text=text, repair=repair)
    )
    return " ; "


def _citations(match: re.Match[str], damaged: list[tuple[str, str]]) -> list[Citation]:
    groups = match.groupdict()
    volume = int(str(match.group("volume") or groups.get("fr_volume")))
    page = int(groups["page"]) if groups.get("page") else None
    issue = groups.get("issue") or groups.get("front_issue")
    citation = Citation(
        volume=volume,
        page=page,
        issue=int(issue) if issue else None,
        date=_date(match, volume, damaged),
        text=match.group(0).strip(),
    )
    more = groups.get("more")
    if not more or page is None:
        return [citation]
    if not page < int(more) <= page + PIN_SPAN:
        damaged.append((more, f"not a page of {volume} FR {page}"))
        return [citation]
    # A page range: the further page is a page of the same rule, not a rule of its own.
    return [citation, replace(citation, page=int(more), first_page=page)]


def _date(match: re.Match[str], volume: int, damaged: list[tuple[str, str]]) -> dt.date | None:
    """The publication date the text gives, if it is a day of the volume's year.

    A date outside that year is not the rule's: a typo, or another date copied in.
    """
    text = match.group("date")
    if not text:
        return None
    month, day, year = (int(part) for part in re.findall(r"\d+", text))
    try:
        date = dt.date(_full_year(year), month, day)
    except ValueError:
        damaged.append((text, "not a date"))
        return None
    if date.year != volume_year(volume):
        damaged.append((text, f"not a day of {volume_year(volume)}, the year of volume {volume}"))
        return None
    return date


def _full_year(year: int) -> int:
    """A year printed in two digits, "5/4/84", in four."""
    if year >= 100:
        return year
    return year + (1900 if year > 50 else 2000)


def pinned(citation: Citation, first_pages: Mapping[int, Sequence[int]]) -> Citation:
    """The citation as a page of a known rule, where it falls within PIN_SPAN pages after one.

    >>> c, = parse_citations("84 FR 54004")
    >>> pinned(c, {84: [22961, 54002]}).key, pinned(c, {84: [22961, 54002]}).cited_page
    ('84 FR 54002', '84 FR 54004')
    >>> pinned(c, {84: [53990]}).key  # too far after: another document
    '84 FR 54004'
    """
    if citation.page is None or citation.first_page is not None:
        return citation
    starts = [
        first
        for first in first_pages.get(citation.volume, ())
        if first <= citation.page <= first + PIN_SPAN
    ]
    if not starts:
        return citation
    return replace(citation, first_page=max(starts))


def parse_citations(text: str) -> list[Citation]:
    """Every citation in the field; CitationError names any part that is not one.

    >>> [c.key for c in parse_citations("84 FR 54002; 85 FR 34505; 85 FR 44159")]
    ['84 FR 54002', '85 FR 34505', '85 FR 44159']
    >>> c, = parse_citations("84 FR 22961, 5/21/19"); (c.key, c.date)
    ('84 FR 22961', datetime.date(2019, 5, 21))
    >>> c, = parse_citations("82 F.R. 48792 10/20/2017"); (c.key, c.date.isoformat())
    ('82 FR 48792', '2017-10-20')
    >>> c, = parse_citations("Vol. 88, No. 151, 08/08/2023"); (c.key, c.date.isoformat())
    ('88 FR No. 151', '2023-08-08')
    >>> c, = parse_citations("76 FR no. 242 pg. 78146"); (c.key, c.issue)
    ('76 FR 78146', 242)
    >>> parse_citations("")
    []
    >>> try:
    ...     parse_citations("see the notice")
    ... except CitationError as error:
    ...     print(error)
    cannot read 'see the notice' as a Federal Register citation
    """
    reading = read_citations(text)
    if reading.damaged:
        why = "; ".join(filter(None, reading.reasons))
        raise CitationError(
            f"cannot read {' '.join(reading.damaged)!r} as a Federal Register citation"
            + (f" ({why})" if why else "")
        )
    return reading.citations


Dated = tuple[int, str, str]  # a document's page, its day (YYYY-MM-DD), and what names it


def out_of_order(documents: Sequence[Dated]) -> dict[str, list[Dated]]:
    """The documents of one volume whose page and day cannot both be right, each with those
    it disagrees with: the Federal Register numbers its pages in the order it prints them
    through the year, so a later page is never of an earlier day. The lists print "84 F.R.
    437789 8/22/2019", a page after every page of September to December, and "86 F.R. 29540
    5/27/2021", after 86 FR 29236 of 2021-06-01. The one that disagrees with the most is
    taken out, then the next, until the rest agree; two that disagree only with each other
    are both taken.

    >>> found = out_of_order([(43789, "2019-08-22", "a"), (437789, "2019-08-22", "b"),
    ...                       (47241, "2019-09-09", "c"), (53404, "2019-10-07", "d")])
    >>> {name: [other[2] for other in others] for name, others in found.items()}
    {'b': ['c', 'd']}
    >>> sorted(out_of_order([(29236, "2021-06-01", "e"), (29540, "2021-05-27", "f")]))
    ['e', 'f']
    >>> sorted(out_of_order([(29236, "2021-06-01", "e"), (29540, "2021-05-27", "f"),
    ...                      (28540, "2021-05-27", "g")]))  # 29540 misprints 28540
    ['f']
    """
    left, found = set(documents), dict[str, list[Dated]]()
    while True:
        against = {one: sorted(o for o in left if _crosses(one, o)) for one in sorted(left)}
        worst = max((len(others) for others in against.values()), default=0)
        if not worst:
            return found
        taken = {one: others for one, others in against.items() if len(others) == worst}
        # Of those that disagree alike, the one a page of its own day one digit away
        # explains: "86 F.R. 29540 5/27/2021", 86 FR 28540 being of that day (trial 52b).
        explained = {one for one in taken if misprint_of(one, documents)}
        if explained and len(explained) < len(taken):
            taken = {one: others for one, others in taken.items() if one in explained}
        found.update((one[2], others) for one, others in taken.items())
        left -= taken.keys()


def misprint_of(one: Dated, documents: Sequence[Dated]) -> Dated | None:
    """A document of the same day whose page is one digit from this one's, which this one's
    page likely misprints: 86 FR 28540 for "86 F.R. 29540 5/27/2021".

    >>> misprint_of((29540, "2021-05-27", "a"), [(28540, "2021-05-27", "b")])
    (28540, '2021-05-27', 'b')
    >>> misprint_of((29540, "2021-05-27", "a"), [(28540, "2021-06-01", "b")]) is None
    True
    """
    page = str(one[0])
    return next(
        (
            other
            for other in sorted(documents)
            if other[1] == one[1] and Levenshtein.distance(page, str(other[0])) == 1
        ),
        None,
    )


def _crosses(one: Dated, other: Dated) -> bool:
    """Whether one is on an earlier page of a later day than the other, or the reverse."""
    (page, day), (other_page, other_day) = one[:2], other[:2]
    return (page < other_page and day > other_day) or (page > other_page and day < other_day)
