"""The timeline of list actions as an SVG bar chart, drawn at build time (no JavaScript)."""

from collections import Counter
from dataclasses import dataclass, replace
from xml.sax.saxutils import escape


@dataclass(frozen=True, order=True)
class Event:
    date: str
    kind: str
    iri: str
    label: str
    rule: str
    listings: int

    def counted(self) -> "Event":
        return replace(self, listings=self.listings + 1)


COLOURS = {"Addition": "#0b5394", "Amendment": "#7f6000", "Removal": "#990000"}


def timeline_svg(events: list[Event], width: int = 720, height: int = 240) -> str:
    """Entries added, amended and removed per year, one group of bars a year."""
    per_year: Counter[tuple[str, str]] = Counter()
    for event in events:
        per_year[(event.date[:4], event.kind)] += event.listings
    years = sorted({year for year, _ in per_year})
    kinds = [k for k in COLOURS if any(kind == k for _, kind in per_year)]
    top = max(per_year.values(), default=1)
    plot_h, left, bottom = height - 60, 40, height - 30
    slot = (width - left - 10) / max(1, len(years))
    bar = slot / max(1, len(kinds)) * 0.8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="timeline-title timeline-desc">',
        '<title id="timeline-title">Entity List entries affected by list actions, per year</title>',
        f'<desc id="timeline-desc">{escape(_describe(per_year))}</desc>',
        f'<line x1="{left}" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="#333"/>',
    ]
    for i, year in enumerate(years):
        x0 = left + i * slot
        parts.append(
            f'<text x="{x0 + slot / 2:.1f}" y="{bottom + 18}" text-anchor="middle" '
            f'font-size="12">{year}</text>'
        )
        for j, kind in enumerate(kinds):
            count = per_year[(year, kind)]
            if not count:
                continue
            h = plot_h * count / top
            x = x0 + slot * 0.1 + j * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[kind]}"><title>{year}: {count} {kind.lower()}s</title></rect>'
            )
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{bottom - h - 4:.1f}" text-anchor="middle" '
                f'font-size="11">{count}</text>'
            )
    for j, kind in enumerate(kinds):
        parts.append(
            f'<rect x="{left + j * 120}" y="6" width="12" height="12" fill="{COLOURS[kind]}"/>'
            f'<text x="{left + j * 120 + 16}" y="16" font-size="12">{kind}s</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _describe(per_year: Counter[tuple[str, str]]) -> str:
    return "; ".join(
        f"{year}: {count} {kind.lower()}s" for (year, kind), count in sorted(per_year.items())
    )
