"""The static site's name search: a prebuilt index, sharded so that a browser loads only the
few small files a query needs, whatever the number of names.

The words of every name are read by `kg.match.words`, the code the server's `/search` uses,
so the site finds what the server finds. The browser (`site/static/search.js`) only folds
the query the same way and looks its words up; it never reads a name itself.

Files, under `entities/search/`:

- `meta.json`: the number of entities, the chunk size of the records, the shards that exist,
  the filters (lists, kinds, countries with their counts) and the legal forms;
- `w/<key>.json`: the words that begin with `<key>` (`shard_key`): each word's postings as
  flat triples (entity number, name number, distinct words of that name but its legal
  forms, `kg.match.words.naming`; name 0 is the entity's label), the spellings in that
  shard read as another word (`aliases`), and for a Latin key the records of the first
  page of results of the query that is the key itself (`first`: the first keystroke or
  two, whose hits are spread over the whole list, need no records file), and the postings
  of the acronyms of 3 to 6 letters in that shard that a run of a name's words could be
  written as (`initials`, kg.match.acronyms: "psb" for public security bureau);
- `r/<n>.json`: what a result shows (label, path, kind, list codes, countries, start date,
  names, 1 where the kind is our inference, dates of birth) of entities `n * CHUNK` to
  `(n + 1) * CHUNK - 1`;
- `f/<facet>/<code>.json`: the sorted entity numbers that a filter keeps;
- `f/values.json`: for each filter, each entity's values, as their places in `meta.json`'s
  list of them, by which the menus count what a query's results hold (read once a query
  is asked).

Entities are numbered in the order of (label, path), which is also the order in which the
server breaks ties between equal scores.
"""

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kg.match import acronyms
from kg.match.labels import name_order
from kg.match.normalise import LEGAL_FORMS
from kg.match.score import JOINED_FROM
from kg.match.words import Variants, fold, naming
from kg.site import codes

CHUNK = 64  # entities per records file: small, as a page of results reads several
PAGE = 20  # results on the first page, as search.js shows them
_LATIN_PREFIX = re.compile(r"[a-z0-9]{1,2}")


@dataclass(frozen=True, kw_only=True)
class Searchable:
    """One organisation, person or party as the search finds and shows it."""

    path: str
    label: str
    names: tuple[str, ...]  # every other name: aliases, transliterations, former names
    transliterations: tuple[str, ...]  # those names that transliterate the label
    kind: tuple[str, str]  # (code, label)
    inferred: bool = False  # the kind is our inference: the list does not state it
    # The kind filters it answers: its kind, and the broader kinds it is of too
    # (a company, a police bureau and an agency are each an organisation).
    broader: tuple[tuple[str, str], ...] = ()
    lists: tuple[tuple[str, str], ...]  # (code, label)
    countries: tuple[str, ...]
    since: str
    births: tuple[str, ...] = ()  # dates of birth, which tell namesakes apart


def shard_key(word: str) -> str:
    """The shard that holds a word: its first two letters or digits where they are ASCII,
    else the block of 128 code points its first character is in.

    >>> [shard_key(w) for w in ("huawei", "h", "a1", "海", "москва")]
    ['hu', 'h', 'a1', 'u-da', 'u-8']
    """
    latin = _LATIN_PREFIX.match(word)
    return latin.group() if latin else f"u-{ord(word[0]) >> 7:x}"


def learnt_variants(entities: Iterable[Searchable]) -> Variants:
    """The romanisation classes, with those the data shows (a label beside its
    transliteration), learnt in a fixed order so the index does not depend on row order."""
    return Variants.learnt((e.label, t) for e in entities for t in e.transliterations)


def search_files(entities: Sequence[Searchable]) -> dict[str, bytes]:
    """Every file of the index, by its path under the index folder."""
    # Numbered in the order of their names, which breaks ties between equal scores and
    # orders what a filter alone keeps, as /search orders them (kg.match.labels.name_order).
    ordered = sorted(entities, key=lambda e: (*name_order(e.label), e.path))
    variants = learnt_variants(ordered)
    postings: dict[str, list[int]] = defaultdict(list)
    abbreviated: dict[str, list[int]] = defaultdict(list)
    for number, entity in enumerate(ordered):
        for name_number, name in enumerate(_names(entity)):
            written = fold(name)
            words = sorted({variants.canonical(word) for word in written})
            for word in words:
                postings[word] += (number, name_number, len(naming(words)))
            # As the server reads them (kg.match.name_index): from the words as written.
            for letters in sorted(acronyms.initials(written)):
                abbreviated[letters] += (number, name_number, len(naming(words)))
    shards: dict[str, dict[str, Any]] = defaultdict(lambda: {"aliases": {}, "words": {}})
    for word, flat in postings.items():
        shards[shard_key(word)]["words"][word] = flat
    for letters, flat in abbreviated.items():
        shards[shard_key(letters)].setdefault("initials", {})[letters] = flat
    for spelling, word in variants.classes().items():
        shards[shard_key(spelling)]["aliases"][spelling] = word
    for key, shard in shards.items():
        if not key.startswith("u-"):
            # The shard's spellings may be read as words of other shards ("mo": muhammad).
            spellings = shard["aliases"]
            read_as = {w: postings[w] for w in spellings.values() if w in postings}
            top = first_page({**shard["words"], **read_as}, spellings, key)
            shard["first"] = [[number, _record(ordered[number])] for number in top]
    files = {f"w/{key}.json": _json(shard) for key, shard in shards.items()}
    for start in range(0, len(ordered), CHUNK):
        records = [_record(e) for e in ordered[start : start + CHUNK]]
        files[f"r/{start // CHUNK}.json"] = _json(records)
    facets = _facets(ordered)
    for facet, values in facets.items():
        for code, (_, numbers) in values.items():
            files[f"f/{facet}/{code}.json"] = _json(numbers)
    files["f/values.json"] = _json(_values_of_each(len(ordered), facets))
    files["meta.json"] = _json(
        {
            "chunk": CHUNK,
            "entities": len(ordered),
            # Not counted in how much of a name a query covers (kg.match.words.naming).
            "legal": sorted(LEGAL_FORMS),
            # Neighbours held as one word this long or longer are read as it (NameIndex._joined).
            "joined_from": JOINED_FROM,
            "shards": sorted(shards),
            "facets": {
                facet: [[code, label, len(numbers)] for code, (label, numbers) in values.items()]
                for facet, values in facets.items()
            },
        }
    )
    return dict(sorted(files.items()))


def first_page(
    words: Mapping[str, list[int]], spellings: Mapping[str, str], word: str
) -> list[int]:
    """The entities on the first page of results of a one-word query, scored as search.js
    scores them (a whole word 1, a longer word it begins 0.7, as is the word of a spelling
    it begins, then the share of the name's words and a little for the label), best first,
    ties in entity order.

    >>> first_page({"co": [5, 1, 2], "corp": [3, 0, 1, 5, 0, 4]}, {}, "co")
    [5, 3]
    >>> first_page({"muhammad": [7, 0, 2]}, {"mohammed": "muhammad"}, "mo")
    [7]
    """
    found: dict[tuple[int, int], tuple[float, int]] = {}
    matches = [(word, 1.0)] if word in words else []
    if len(word) >= 2:
        matches += [
            (other, 0.7) for other in sorted(words) if other.startswith(word) and other != word
        ]
        read_as = (spellings[s] for s in sorted(spellings) if s.startswith(word))
        matches += [(other, 0.7) for other in dict.fromkeys(read_as) if other in words]
    for other, weight in matches:
        flat = words[other]
        for i in range(0, len(flat), 3):
            found.setdefault((flat[i], flat[i + 1]), (weight, flat[i + 2]))
    best: dict[int, float] = {}
    for (entity, name), (weight, size) in found.items():
        value = round(weight + 0.3 / max(1, size) + (0.1 if name == 0 else 0), 4)
        best[entity] = max(best.get(entity, 0.0), value)
    return sorted(best, key=lambda entity: (-best[entity], entity))[:PAGE]


def _names(entity: Searchable) -> list[str]:
    """The label first (name 0: the server ranks a match on it a little higher), then every
    other name once."""
    return [entity.label, *sorted(set(entity.names) - {entity.label})]


def _record(entity: Searchable) -> list[Any]:
    return [
        entity.label,
        entity.path,
        entity.kind[0],
        [code for code, _ in entity.lists],
        list(entity.countries),
        entity.since,
        _names(entity),
        int(entity.inferred),
        list(entity.births),
    ]


def _facets(ordered: Sequence[Searchable]) -> dict[str, dict[str, tuple[str, list[int]]]]:
    """For each filter, each value's label and the entities it keeps, by code."""
    found: dict[str, dict[str, tuple[str, list[int]]]] = {"list": {}, "kind": {}, "country": {}}
    for number, entity in enumerate(ordered):
        pairs = {
            "list": entity.lists,
            "kind": (entity.kind, *entity.broader),
            "country": tuple((c, codes.country(c)) for c in entity.countries),
        }
        for facet, values in pairs.items():
            for code, label in values:
                found[facet].setdefault(code, (label, []))[1].append(number)
    # Countries by their names, as a reader looks for them; lists and kinds by code.
    return {
        facet: dict(
            sorted(values.items(), key=lambda v: (v[1][0], v[0]) if facet == "country" else v[0])
        )
        for facet, values in found.items()
    }


def _values_of_each(
    count: int, facets: Mapping[str, Mapping[str, tuple[str, list[int]]]]
) -> dict[str, list[list[int]]]:
    """For each filter, each entity's values, as their places in the filter's values.

    >>> _values_of_each(3, {"list": {"el": ("EL", [0, 2]), "sdn": ("SDN", [2])}})
    {'list': [[0], [], [0, 1]]}
    """
    found: dict[str, list[list[int]]] = {facet: [[] for _ in range(count)] for facet in facets}
    for facet, values in facets.items():
        for place, (_, numbers) in enumerate(values.values()):
            for number in numbers:
                found[facet][number].append(place)
    return found


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
