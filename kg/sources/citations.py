"""Federal Register citations as the Consolidated Screening List writes them.

The field holds one or several citations in a dozen styles: "84 FR 54002; 85 FR 44159",
"84 FR 22961, 5/21/19", "82 F.R. 48792 10/20/2017", "85 FR 83416 (12/22/20)", "75 FR 1701 No. 9",
"Vol. 88, No. 151, 08/08/2023". Each is read into a volume and a page (or an issue number),
with the publication date where the text gives one.
"""

import datetime as dt
import re
from dataclasses import dataclass

from kg.errors import KgError

_DATE = r"(\d{1,2})/(\d{1,2})/(\d{2,4})"
_FR = re.compile(
    rf"(?P<volume>\d{{1,3}})\s*\.?\s*F\.?\s?R\.?\s*(?P<page>\d{{1,6}})"
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


@dataclass(frozen=True, order=True)
class Citation:
    volume: int
    page: int | None
    issue: int | None
    date: dt.date | None
    text: str

    @property
    def key(self) -> str:
        """What identifies the instrument: "84 FR 54002", or "88 FR No. 151" for an issue."""
        return (
            f"{self.volume} FR {self.page}"
            if self.page is not None
            else f"{self.volume} FR No. {self.issue}"
        )


class CitationError(KgError, ValueError):
    """Text in the field that is not a citation we can read."""


def _date(match: re.Match[str]) -> dt.date | None:
    if not match.group("date"):
        return None
    month, day, year = (int(part) for part in re.findall(r"\d+", match.group("date")))
    if year < 100:
        year += 1900 if year > 50 else 2000
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise CitationError(f"{match.group('date')!r} is not a date") from error


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
    >>> parse_citations("")
    []
    >>> try:
    ...     parse_citations("see the notice")
    ... except CitationError as error:
    ...     print(error)
    cannot read 'see the notice' as a Federal Register citation
    """
    found: list[Citation] = []
    rest = text
    for pattern in (_ISSUE, _FR):
        for match in pattern.finditer(rest):
            page = match.groupdict().get("page")
            issue = match.groupdict().get("issue")
            volume = match.group("volume") or match.groupdict().get("fr_volume")
            found.append(
                Citation(
                    int(str(volume)),
                    int(page) if page else None,
                    int(issue) if issue else None,
                    _date(match),
                    match.group(0).strip(),
                )
            )
        rest = pattern.sub(" ; ", rest)
    leftover = [part for part in re.split(r"[;,]", rest) if not _SEPARATORS.match(part)]
    if leftover:
        raise CitationError(
            f"cannot read {' '.join(p.strip() for p in leftover)!r} as a Federal Register citation"
        )
    return sorted(found, key=lambda c: (c.volume, c.page or 0, c.issue or 0))
