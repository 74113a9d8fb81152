"""The timeline page, one "what changed" page per snapshot, and the list of those pages."""

import dataclasses
import itertools
from collections.abc import Mapping, Sequence

from kg.site.as_of import Read
from kg.site.changes import CHANGES, SECTIONS, Snapshot, uncounted
from kg.site.charts import bar_chart
from kg.site.page_writer import PageWriter
from kg.site.start_years import start_years
from kg.site.timeline import KINDS, CitedYear, Event, Period, periods


def write_time_pages(
    site: PageWriter,
    events: Sequence[Event],
    snapshots: Sequence[Snapshot],
    read: Sequence[Read] = (),
    cited: Sequence[CitedYear] = (),
) -> None:
    """`read`: every snapshot read, whole or partial, those that showed no change too."""
    read = sorted(read, key=lambda snapshot: (snapshot.issued, snapshot.iri))
    before = {later.iri: earlier for earlier, later in itertools.pairwise(read)}
    sections = []
    for observed, title in ((False, "Federal Register rules"), (True, "Snapshots of the list")):
        mine = [e for e in events if e.observed == observed]
        years, months = periods(mine, 4, observed), periods(mine, 7, observed)
        if observed:
            years, months = (_annotated(p, read, before, snapshots) for p in (years, months))
        ident = "observed" if observed else "rules"
        sections.append(
            {
                "ident": ident,
                "title": title,
                "events": mine,
                "years": years,
                "months": months,
                "year_chart": bar_chart(years, f"{title}: entries by year", f"{ident}-years"),
                "month_chart": bar_chart(months, f"{title}: entries by month", f"{ident}-months"),
                "year_only": sum(e.listings for e in mine if len(e.date) == 4),
                "uncounted": [
                    f"{period.label}, {kind.lower()}s: {why}"
                    for period in years
                    for kind, why in zip(KINDS, period.uncounted, strict=False)
                    if why
                ],
                "unobserved": [period.label for period in years if period.unobserved],
                "undated": sum(e.listings for e in mine if not e.date),
                "renewals": sum(e.renewals for e in mine),
            }
        )
    starts = start_years(site.facts)
    site.write(
        "timeline/", "timeline.html", sections=sections, kinds=KINDS, cited=cited, starts=starts
    )
    # Each page names the snapshot it compares with, and the list the first, which nothing
    # came before: "compared with the snapshot before it" left the reader to work out which
    # (a partial sample, so no addition was counted), and the first was not listed (trial 25).
    for snapshot in snapshots:
        site.write(
            snapshot.path,
            "changes.html",
            snapshot=snapshot,
            sections=SECTIONS,
            before=before.get(snapshot.iri),
            uncounted=uncounted,
        )
    first = read[0] if read else None
    site.write(
        CHANGES,
        "changes_index.html",
        snapshots=snapshots,
        sections=SECTIONS,
        first=first,
        before=before,
        uncounted=uncounted,
    )


def _annotated(
    found: Sequence[Period],
    read: Sequence[Read],
    before: Mapping[str, Read],
    snapshots: Sequence[Snapshot],
) -> list[Period]:
    """The periods of observed changes, each kind a snapshot of the period does not count
    said (as the changes pages say it), and a period without a snapshot marked: the
    timeline gave 2022's additions and 2023's removals as 0, and 2024 an empty bar, where
    /changes/ said "not counted" (trial 31).

    >>> read = [Read(iri=f"s{y}", issued=f"{y}-06-01", complete=y != 23) for y in (22, 23, 25)]
    >>> years = [Period(label=str(y), counts=(0, 0, 0)) for y in (22, 23, 24, 25)]
    >>> before = {"s23": read[0], "s25": read[1]}
    >>> for p in _annotated(years, read, before, [])[1:]:
    ...     print(p.label, p.unobserved, [bool(why) for why in p.uncounted])
    23 False [False, False, True]
    24 True [False, False, False]
    25 False [True, False, False]
    """
    shown = {snapshot.iri: snapshot for snapshot in snapshots}
    annotated = []
    for period in found:
        mine = [r for r in read if r.issued.startswith(period.label) and r.iri in before]
        compared = [
            shown.get(r.iri)
            or Snapshot(iri=r.iri, issued=r.issued, path="", changes={}, complete=r.complete)
            for r in mine
        ]
        why = tuple(
            next(filter(None, (uncounted(s, before[s.iri], kind) for s in compared)), "")
            for kind in KINDS
        )
        annotated.append(dataclasses.replace(period, uncounted=why, unobserved=not mine))
    return annotated
