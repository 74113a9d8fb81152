"""Acronyms: a word of one name that is the initials of a run of words of the other.

People write "Urumqi PSB" for the Entity List's Urumqi Municipal Public Security Bureau, and
the lists write some acronyms themselves ("PUBLIC SECURITY DEPARTMENT OF XUAR", an alias of
the SDN's XINJIANG PUBLIC SECURITY BUREAU). Read as letters, "psb" shares nothing with
"public security bureau": "Urumqi PSB" found the PSB LIZING OOO of the SDN list first.

An acronym is FROM to UP_TO letters, the initials of two words or more in a row, connectors
("of", "and") left out, as "XPCC" is Xinjiang Production and Construction Corps. It never
makes a name on its own: another word of the name must be the other's too, so that "Tom" is
not Tehran Oil Manufacturing, nor "Xinjiang PSB" the SDN's PRESS SUPERVISORY BOARD.
"""

from collections.abc import Iterator, Sequence

#: Words an acronym leaves out, and no run starts or ends with.
CONNECTORS = frozenset({"of", "and", "the", "for", "de", "del", "des", "du", "la", "le", "y"})
#: Letters of an acronym: two are too many words' initials ("AB", "SA" are legal forms).
FROM, UP_TO = 3, 6


def runs(tokens: Sequence[str]) -> Iterator[tuple[str, int, int]]:
    """Each run of words that an acronym could stand for: its initials, start and end.

    >>> [(letters, start, end) for letters, start, end in runs(["bank", "of", "a", "b"])]
    [('bab', 0, 4)]
    >>> [letters for letters, _, _ in runs(["urumqi", "public", "security", "bureau"])]
    ['ups', 'upsb', 'psb']
    """
    for start, first in enumerate(tokens):
        if first in CONNECTORS or not first[0].isalpha():
            continue
        letters = first[0]
        for end in range(start + 1, len(tokens)):
            word = tokens[end]
            if word in CONNECTORS:
                continue
            if not word[0].isalpha() or len(letters) == UP_TO:
                break
            letters += word[0]
            if len(letters) >= FROM:
                yield letters, start, end + 1


def initials(tokens: Sequence[str]) -> set[str]:
    """Every acronym a name's words could be written as (for the index's postings)."""
    return {letters for letters, _, _ in runs(tokens)}


def spelled_out(words: Sequence[str], other: Sequence[str]) -> tuple[tuple[str, ...], str]:
    """`words` with each acronym of a run of `other`'s words read as those words, and what
    was read, in words ("" where nothing was).

    >>> spelled_out(["urumqi", "psb"], ["urumqi", "municipal", "public", "security", "bureau"])
    (('urumqi', 'public', 'security', 'bureau'), 'psb as public security bureau')
    >>> spelled_out(["psb"], ["public", "security", "bureau"])  # never a name on its own
    (('psb',), '')
    >>> spelled_out(["xinjiang", "psb"], ["press", "supervisory", "board"])
    (('xinjiang', 'psb'), '')
    >>> spelled_out(["rim", "of", "pacific"], ["research", "institute", "of", "mechanical"])
    (('rim', 'of', 'pacific'), '')
    """
    held = set(other)
    found: dict[str, tuple[str, ...]] = {}
    for letters, start, end in runs(other):
        found.setdefault(letters, tuple(other[start:end]))
    read: dict[str, tuple[str, ...]] = {}
    asked = set(words)
    for word in words:
        run = found.get(word) if word not in held and FROM <= len(word) <= UP_TO else None
        # A name that writes the words beside their acronym ("Xinjiang Production and
        # Construction Corps (XPCC)") holds them already.
        if run and not set(run) <= asked:
            read[word] = run
    spelt = {w for run in read.values() for w in run} | CONNECTORS
    if not any(w in held - spelt for w in words if w not in read):
        return tuple(words), ""
    out = tuple(w for word in words for w in read.get(word, (word,)))
    return out, ", ".join(f"{word} as {' '.join(run)}" for word, run in read.items())
