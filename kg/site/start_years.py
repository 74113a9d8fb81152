"""Entries by the year of the start date their list gives them: the lists' own dates, for
every entry in the release, where the timeline's actions are only the rules the sources
identify (29 additions of 2019 for the whole 2022 CSL, whose Entity List dates its entries
from 1997). A table, never bars of additions: a start date is the list's word for the
entry, not an action this release knows of."""

from collections import Counter
from dataclasses import dataclass

from kg.site.pages import Facts


@dataclass(frozen=True)
class StartYears:
    lists: list[str]  # the lists that date their entries, by abbreviation
    rows: list[tuple[str, list[int], int]]  # year, its entries on each list, all of them
    undated: list[tuple[str, int]]  # each list with entries it gives no start, how many


def start_years(facts: Facts) -> StartYears:
    """The entries of each list by the year it says they start, and those it gives none."""
    dated: Counter[tuple[str, str]] = Counter()
    undated: Counter[str] = Counter()
    for listing in facts.listings.values():
        if listing.start:
            dated[(listing.start[:4], listing.screening_list)] += 1
        else:
            undated[listing.screening_list] += 1
    lists = sorted({iri for _, iri in dated}, key=facts.abbreviation)
    years = sorted({year for year, _ in dated})
    rows = []
    for year in years:
        counts = [dated[(year, iri)] for iri in lists]
        rows.append((year, counts, sum(counts)))
    return StartYears(lists, rows, sorted(undated.items(), key=lambda x: facts.abbreviation(x[0])))
