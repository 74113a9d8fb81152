"""Stacked bar charts as SVG, drawn at build time: no script, readable without colour (each
bar has its figures as a tooltip, and every chart has a table beside it)."""

from collections.abc import Sequence
from xml.sax.saxutils import escape

from kg.publish.release import RENEWAL_WORDS
from kg.site.timeline import KINDS, Period

#: Colours told apart by readers with the common colour-vision deficiencies, each at least
#: 4.5:1 against white.
COLOURS = {"Addition": "#0b5394", "Amendment": "#8a5a00", "Removal": "#a61c00"}
WIDTH, HEIGHT, LEFT, BOTTOM_MARGIN, TOP = 720, 260, 56, 40, 16


def bar_chart(periods: Sequence[Period], title: str, ident: str) -> str:
    """One bar per period, stacked by kind, with a y axis of round figures."""
    top = _nice(max((p.total for p in periods), default=1))
    plot_h, bottom = HEIGHT - BOTTOM_MARGIN - TOP, HEIGHT - BOTTOM_MARGIN
    slot = min(60.0, (WIDTH - LEFT - 8) / max(1, len(periods)))  # one year is not a wall
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(_describe(periods))}</desc>',
    ]
    for tick in (0, top // 2, top):
        y = bottom - plot_h * tick / top
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" stroke="#ccc"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12">{tick}</text>'
        )
    every = max(1, round(len(periods) / 12))  # at most about twelve labels on the axis
    for i, period in enumerate(periods):
        x = LEFT + i * slot
        if i % every == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{bottom + 18}" text-anchor="middle" '
                f'font-size="12">{period.label}</text>'
            )
        parts.append(_bar(period, x + slot * 0.1, slot * 0.8, bottom, plot_h / top))
    parts.append("</svg>")
    return "".join(parts)


def _bar(period: Period, x: float, width: float, bottom: float, scale: float) -> str:
    if not period.total:
        return ""
    out = [f"<g><title>{escape(_figures(period))}</title>"]
    y = bottom
    for kind, count in zip(KINDS, period.counts, strict=True):
        if count:
            h = max(count * scale, 1.0)  # a single entry stays visible beside thousands
            y -= h
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[kind]}"/>'
            )
    out.append("</g>")
    return "".join(out)


def _figures(period: Period) -> str:
    renewals = period.renewals or (0,) * len(KINDS)
    shown = [
        f"{count} {kind.lower()}{'' if count == 1 else 's'}"
        + (f" ({renewed} {RENEWAL_WORDS[kind]})" if renewed else "")
        for kind, count, renewed in zip(KINDS, period.counts, renewals, strict=True)
        if count
    ]
    return f"{period.label}: {', '.join(shown)}"


def _describe(periods: Sequence[Period]) -> str:
    busy = [_figures(p) for p in periods if p.total]
    return "; ".join(busy) if busy else "No entries."


def _nice(value: int) -> int:
    """The smallest of 2, 4 or 10 times a power of ten at or above value: the top of the axis,
    whose half is round too.

    >>> [_nice(n) for n in (1, 7, 34, 14037)]
    [2, 10, 40, 20000]
    """
    step = 1
    while True:
        for factor in (2, 4, 10):
            if step * factor >= value:
                return step * factor
        step *= 10
