"""The timeline page, one "what changed" page per snapshot, and the list of those pages."""

import itertools
from collections.abc import Sequence

from kg.site.as_of import Read
from kg.site.changes import CHANGES, SECTIONS, Snapshot, uncounted
from kg.site.charts import bar_chart
from kg.site.page_writer import PageWriter
from kg.site.start_years import start_years
from kg.site.timeline import KINDS, CitedYear, Event, periods


def write_time_pages(
    site: PageWriter,
    events: Sequence[Event],
    snapshots: Sequence[Snapshot],
    read: Sequence[Read] = (),
    cited: Sequence[CitedYear] = (),
) -> None:
    """`read`: every snapshot read, whole or partial, those that showed no change too."""
    sections = []
    for observed, title in ((False, "Federal Register rules"), (True, "Snapshots of the list")):
        mine = [e for e in events if e.observed == observed]
        years, months = periods(mine, 4, observed), periods(mine, 7, observed)
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
                "undated": sum(e.listings for e in mine if not e.date),
            }
        )
    starts = start_years(site.facts)
    site.write(
        "timeline/", "timeline.html", sections=sections, kinds=KINDS, cited=cited, starts=starts
    )
    # Each page names the snapshot it compares with, and the list the first, which nothing
    # came before: "compared with the snapshot before it" left the reader to work out which
    # (a partial sample, so no addition was counted), and the first was not listed (trial 25).
    read = sorted(read, key=lambda snapshot: (snapshot.issued, snapshot.iri))
    before = {later.iri: earlier for earlier, later in itertools.pairwise(read)}
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
