"""Long texts that are versions of one another, shown once with the others folded.

A denied party's remarks are a log the list prints on each of its rows, in each snapshot,
each time a little longer or spelt a little differently: MAHMOUD AMINI's page showed six
such logs of some 500 characters, one after another, above everything else (trial 43b).
Each is a fact as a source states it, so none is dropped: the page shows the longest of
each group and folds the rest under it.
"""

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from kg.site.edges import Value

#: A text leads its versions from this length; a version is at least SHORTEST long (AL NASER
#: WINGS AIRLINES's log of 2019, 104 characters, is the start of its log of 2022: trial
#: 46a). Shorter texts are told apart however alike: "Linked To: AL NASER AIRLINES" and
#: "Linked To: ALNASER AIRLINES" name two parties.
LONG = 200
SHORTEST = 80
#: How alike a long text is to be a version of a longer one it leads: rapidfuzz's partial
#: ratio (0 to 100), the shorter against the best-aligned part of the longer, as a log is
#: the start of its longer versions: AMINI's, 333 to 459 characters, are 93 or more alike.
ALIKE = 90


def versions(values: Sequence[Value]) -> list[tuple[Value, list[Value]]]:
    """Each value with the versions folded under it, in the order of the values: a long text
    leads those alike to it, the longest first, and an identifier leads its printings in
    another order (kg.site.versions.reordered); every other value stands alone (two texts
    shorter than LONG, alike or not).

    >>> log = "F.R. NOTICE ADDED, TDO RENEWAL, " * 8
    >>> found = versions([Value(log[:96]), Value("Linked To: X"), Value(log + "ADDITION")])
    >>> [(lead.text[-8:], [v.text[-8:] for v in rest]) for lead, rest in found]
    [('ADDITION', ['ENEWAL, ']), ('ed To: X', [])]
    >>> [len(lead.text) for lead, _ in versions([Value(log[:96]), Value(log[:150])])]
    [96, 150]
    """
    groups: list[list[Value]] = []
    for value in sorted(values, key=lambda v: (-len(v.text), v.text)):
        group = _alike(groups, value)
        if group is None:
            groups.append([value])
        else:
            group.append(value)
    place = {value: n for n, value in reversed(list(enumerate(values)))}
    groups.sort(key=lambda group: min(place[value] for value in group))
    return [(group[0], group[1:]) for group in groups]


def _alike(groups: list[list[Value]], value: Value) -> list[Value] | None:
    long = len(value.text) >= SHORTEST
    for group in groups:
        lead = group[0].text
        if long and len(lead) >= LONG and fuzz.partial_ratio(value.text, lead) >= ALIKE:
            return group
        if reordered(value.text, lead):
            return group
    return None


def reordered(text: str, lead: str) -> bool:
    """Whether `text` is `lead` printed in another order: the lists of 2022 print a party's
    identifiers value first ("1117746521452, Registration ID"), those of 2023 kind first,
    with a country ("Registration ID, 1117746521452, RU"); ROSOBORONEKSPORT OAO's page
    listed each twice (trial 56b).

    >>> reordered("1117746521452, Registration ID", "Registration ID, 1117746521452, RU")
    True
    >>> reordered("www.roe.ru, Website", "Website, www.roe.ru")
    True
    >>> reordered("7718852163, Tax ID No.", "Registration ID, 7718852163, RU")
    False
    """
    return text != lead and "," in text and _parts(text) == _parts(lead)


def _parts(text: str) -> frozenset[str]:
    """An identifier's parts, without a country code at its end (which 2022 did not print)."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) > 2 and re.fullmatch(r"[A-Z]{2}", parts[-1]):
        parts.pop()
    return frozenset(parts)
