"""The screening index: built once from the query rows, asked many times.

Retrieval never scans every name. Each word of every name goes into postings (word -> the
names holding it), each with its inverse document frequency, so that "Bureau" counts for
little and "Hikvision" for much. A query word finds names through itself and through the
words one edit away (a deletion neighbourhood, built once), so a typo still retrieves; a
word with no neighbour at all is compared with the words of about its length. The names that
share the most weight with the query are then scored in full (`kg.match.score`).
"""

import datetime as dt
import itertools
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from rapidfuzz import process
from rapidfuzz.distance import OSA

from kg.match.acronyms import FROM, UP_TO, initials
from kg.match.countries import code
from kg.match.evidence import features
from kg.match.model import (
    CUTOFF,
    Candidate,
    Entity,
    Feature,
    Listing,
    OutOfForce,
    Query,
    Release,
    Screening,
    why_unknown_of,
)
from kg.match.normalise import SPELT, WITHOUT_PLACE, Form, Variants, ending_spellings, form
from kg.match.rows import ARTICLE_ONLY, GIVEN_ONLY, Parties, Rows, parties, release_of
from kg.match.score import (
    CONTAINED_PLAIN,
    SAME,
    WITHIN_ASKED,
    NameMatch,
    WordSimilarity,
    begins_plainly,
    best_name,
)

#: The kinds of party whose listed name may begin an affiliate's (score.CONTAINED_PLAIN); a
#: party of unknown kind among them.
ORGANISATIONS = frozenset({"Organization", "Company", "LegalEntity"})
#: Names scored in full per query, after retrieval.
SHORTLIST = 48
#: Least similarity for a word to stand for another (normalised optimal string alignment:
#: a transposition is one edit).
WORD_SIMILARITY = 0.75
#: The most a candidate scores whose name is not the same, whatever its evidence.
BELOW_SAME = 0.99
#: How near another spelling of a name is (normalise.SPELLINGS): as a word one letter off.
SPELLING = 0.9
#: Words shorter than this are matched exactly only: one edit in four letters is another word
#: ("ASPP" is not "ASPC").
FUZZY_FROM = 5
#: Words this long may carry two edits (8 letters, 2 edits: similarity 0.75).
TWO_EDITS_FROM = 8
#: Words in more names than this retrieve nothing on their own ("al", "company", "of").
COMMON = 2500
#: Completions of a begun word first read for suggestions; four times more each time too few
#: of their parties are kept.
SUGGEST_WORDS = 200


@dataclass(frozen=True, slots=True)
class IndexedName:
    entity: int
    text: str
    kind: str
    form: Form


class MatchIndex:
    """Parties, their names and listings, and the postings that find them.

    Built in memory from query rows (`from_rows`), or opened from the file the build wrote
    (`kg.match.index_file`): the same tables either way, so the same answers.
    """

    release: Release
    lists: dict[str, tuple[str, str]]
    variants: Variants
    entities: Sequence[Entity]
    #: The lists' records the parties stand for: more than the parties where a curator
    #: judged two records one party (Huawei's on the Entity List and the CMIC list).
    records: int
    names: Sequence[IndexedName]
    #: the places a word asked may name (_places), folded
    places: frozenset[str]
    #: word -> the positions of the names holding it; word -> its weight
    _postings: Mapping[str, Sequence[int]]
    weights: Mapping[str, float]
    _cjk: Mapping[str, Sequence[int]]
    #: initials -> the positions of the names with a run of words they stand for (acronyms)
    _acronyms: Mapping[str, Sequence[int]]
    _name_weight: "NameWeights"
    #: a word less one letter -> the words it comes from; length -> the words of that length
    _deletions: Mapping[str, Sequence[str]]
    _by_length: Mapping[int, Sequence[str]]
    _vocabulary: "Vocabulary"
    _by_iri: "EntitiesByIri"

    def __init__(self, found: Parties, release: Release, variants: Variants | None = None):
        self.release = release
        self.entities = found.entities
        self.records = sum(1 + len(entity.referents) for entity in self.entities)
        self.lists = found.lists
        self.variants = variants or Variants()
        self.names = names = [
            IndexedName(entity, text, kind, form(text, self.variants))
            for entity, text, kind in found.names
        ]
        self.places = _places(found.places, names, self.entities)
        postings: dict[str, list[int]] = defaultdict(list)
        cjk: dict[str, list[int]] = defaultdict(list)
        for position, name in enumerate(names):
            for word in {*name.form.tokens, name.form.joined}:
                postings[word].append(position)
            for pair in _bigrams(name.form.cjk):
                cjk[pair].append(position)
        self._postings, self._cjk = dict(postings), dict(cjk)
        acronyms: dict[str, list[int]] = defaultdict(list)
        for position, name in enumerate(names):
            for letters in sorted(initials(name.form.tokens)):
                acronyms[letters].append(position)
        self._acronyms = dict(acronyms)
        total = len(names) + 1
        self.weights = {
            word: math.log(total / (len(held) + 0.5)) for word, held in postings.items()
        }
        self._name_weight = Weights(sum(map(self.weight, name.form.tokens)) for name in names)
        # Words only: a name's joined letters are looked up as they are, never mistyped. And
        # the words as the lists write them, which a typo is one letter from: "technolgies"
        # is three from "technology", the index's word for Technologies.
        words = {word for name in names for word in (*name.form.tokens, *name.form.spelt)}
        self._deletions = _deletions(words)
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in sorted(words):
            by_length[len(word)].append(word)
        self._by_length = dict(by_length)
        self._vocabulary = SortedWords(sorted(postings))
        self._by_iri = {entity.iri: entity for entity in self.entities}
        # A party a curator judged one with another is found by its own IRI too.
        for entity in self.entities:
            for referent in entity.referents:
                self._by_iri.setdefault(referent, entity)

    @classmethod
    def from_rows(cls, rows: Mapping[str, Rows], nquads_sha256: str) -> "MatchIndex":
        return cls(parties(rows), release_of(rows.get("release", ()), nquads_sha256))

    def __len__(self) -> int:
        return len(self.entities)

    def placed(self, asked: Form) -> Form:
        """The name asked, with the words of it that name a place: a country, or a locality
        or region of a listed address (kg.match.score.PLACE_ALONE)."""
        if self._is_place(" ".join(asked.tokens)):
            return replace(asked, places=asked.tokens)
        return replace(asked, places=tuple(w for w in asked.tokens if self._is_place(w)))

    def _is_place(self, words: str) -> bool:
        return words in self.places or (len(words) > 2 and code(words) is not None)

    def weight(self, word: str) -> float:
        """A word's inverse document frequency; an unknown word weighs as the rarest."""
        return self.weights.get(word, math.log(len(self.names) + 2))

    def distinctive(self, name: str) -> bool:
        """Whether a name says which party it is without a country or an identifier: a word
        in RARE_NAMES names or fewer, and two words, or one of DISTINCT_LETTERS letters or
        more. OpenRefine took "Apex" as the Entity List's APEX (Russia) and "Global Trading
        Group" as the SDN's alias GLOBAL TRADING GROUP (Belgium), unasked (trial 36). A
        count, not a weight: a word of a small index weighs little however rare."""
        tokens = form(name, self.variants).tokens
        if not any(len(self._postings.get(word, ())) <= RARE_NAMES for word in tokens):
            return False
        return len(tokens) > 1 or len(tokens[0]) >= DISTINCT_LETTERS

    def similar_words(self, word: str) -> dict[str, float]:
        """Words of the index that could be this one mistyped, with their similarity: to the
        word as a listed name writes it, where the index holds it otherwise."""
        found: dict[str, float] = {}
        for other, similarity in self._like(word).items():
            held = other if other in self._postings else self.variants.canonical(other)
            if held in self._postings:
                found[held] = max(found.get(held, 0.0), similarity)
        return found

    def _like(self, word: str) -> dict[str, float]:
        found = {word: 1.0} if word in self._postings else {}
        # Another spelling of a name (Mohammed for Muhammad, Hezbollah for Hizballah): near,
        # so that the explanation says it is spelt differently, not the same name.
        spellings = SPELT.get(word, frozenset()) | ending_spellings(word)
        found.update((other, SPELLING) for other in spellings if other in self._postings)
        near = set(self._deletions.get(word, ()))  # the index's word has one letter more
        if len(word) < FUZZY_FROM:
            if len(word) == FUZZY_FROM - 1:  # "BAIS" for "BATIS", never "ASPP" for "ASPC"
                found.update((other, OSA.normalized_similarity(word, other)) for other in near)
            return found
        for position in range(len(word)):
            shorter = word[:position] + word[position + 1 :]
            near.update(self._deletions.get(shorter, ()))
            if shorter in self._postings:
                near.add(shorter)
            # A variant one letter away: pinyin "aleitai" is "aletai", which the index holds
            # as the class's word, "altay".
            variant = self.variants.canonical(shorter)
            if variant != shorter and variant in self._postings:
                found[variant] = max(found.get(variant, 0.0), 1 - 1 / len(word))
        for other in near - found.keys():
            similarity = OSA.normalized_similarity(word, other)
            if similarity >= WORD_SIMILARITY:
                found[other] = similarity
        if not found and len(word) >= TWO_EDITS_FROM:
            # Two edits in one word: compare it with the words of about its length.
            found.update(self._fuzzy_by_length(word))
        return found

    def _fuzzy_by_length(self, word: str) -> dict[str, float]:
        pool = [w for n in range(len(word) - 2, len(word) + 3) for w in self._by_length.get(n, [])]
        best = process.extract(
            word,
            pool,
            scorer=OSA.normalized_similarity,
            score_cutoff=WORD_SIMILARITY,
            limit=5,
        )
        return {other: float(similarity) for other, similarity, _ in best}

    def shortlist(self, forms: Sequence[Form], similar: WordSimilarity) -> list[int]:
        """The names sharing the most word weight with any of the query's forms."""
        shares: dict[int, float] = defaultdict(float)
        asked = max((sum(map(self.weight, query.tokens)) for query in forms), default=0.0)
        for query in forms:
            words = [*query.tokens, query.joined] if len(query.tokens) > 1 else query.tokens
            rare = [w for w in words if self._rare(w, similar)] or list(words)
            # Neighbours a listed name writes as one word ("Hangzhou Hik-Vision"), where one
            # does, letter for letter: "almohammed" is two letters from mohammed.
            rare += [
                w
                for w in _neighbours(query.tokens)
                if w in self._postings and self._rare(w, similar)
            ]
            self._share(shares, rare, similar)
            self._spelled_out(shares, query.tokens)
            # A common word finds no name on its own, but it ranks the names the others found:
            # "AL-MOHAMMED, Muhammad" fell behind fifty shorter Muhammads without its "al".
            common = [w for w in words if w not in rare]
            self._share(shares, common, similar, among=set(shares))
            for pair in _bigrams(query.cjk):
                for position in self._cjk.get(pair, ()):
                    shares[position] += 1.0
        # As the score will be: shared weight over the weight of both names, so that among
        # the hundreds of names holding "Huawei" the alias "Huawei" comes first.
        weights = self._name_weight.at(list(shares))  # one read of the file, not one a name
        dice = {
            p: share / (asked + w) for (p, share), w in zip(shares.items(), weights, strict=True)
        }
        return sorted(dice, key=lambda position: (-dice[position], position))[:SHORTLIST]

    def _share(
        self,
        shares: dict[int, float],
        words: Sequence[str],
        similar: WordSimilarity,
        among: set[int] | None = None,
    ) -> None:
        """Add each word's weight to the names holding it or a word like it (only to the
        names `among`, if given)."""
        for word in dict.fromkeys(words):
            for other, similarity in similar[word].items():
                weight = self.weight(other) * similarity
                for position in self._postings.get(other, ()):
                    if among is None or position in among:
                        shares[position] += weight

    def _spelled_out(self, shares: dict[int, float], words: Sequence[str]) -> None:
        """Add each word's weight to the names with a run of words it is the acronym of
        ("Urumqi PSB", "Xinjiang PSB"): only beside another word (kg.match.acronyms)."""
        if len(words) < 2:
            return
        for word in dict.fromkeys(words):
            found = self._acronyms.get(word, ()) if FROM <= len(word) <= UP_TO else ()
            if len(found) <= COMMON:
                weight = self.weight(word)
                for position in found:
                    shares[position] += weight

    def _rare(self, word: str, similar: WordSimilarity) -> bool:
        return all(len(self._postings.get(w, ())) <= COMMON for w in similar[word])

    def screen(
        self,
        query: Query,
        *,
        as_of: dt.date,
        lists: Iterable[str] = (),
        limit: int = 5,
        cutoff: float = CUTOFF,
    ) -> Screening:
        """Candidates for one party, best first, among the entries in force on `as_of`."""
        forms = [self.placed(f) for f in (form(name, self.variants) for name in query.names)]
        forms = [f for f in forms if f.tokens]
        wanted = frozenset(lists)
        similar = WordSimilarity(self)
        best: dict[int, NameMatch] = {}
        for position in self.shortlist(forms, similar):
            name = self.names[position]
            match = best_name(forms, name.text, name.kind, name.form, similar, self.weight)
            if match.score < CONTAINED_PLAIN:
                begun = begins_plainly(forms, name.text, name.kind, name.form, self.weight)
                if (
                    begun is not None
                    and begun.score > match.score
                    and self.entities[name.entity].schema in ORGANISATIONS
                ):
                    match = begun
            match = _weighed(match)
            known = best.get(name.entity)
            if known is None or (match.score, _listed(match)) > (known.score, _listed(known)):
                best[name.entity] = match
        found, outside = [], []
        known_to = self.release.last_complete_snapshot
        for entity, match in best.items():
            candidate = self._candidate(query, self.entities[entity], match, as_of, wanted)
            if candidate is None:
                outside += _out_of_force(
                    query, self.entities[entity], match, wanted, (as_of, known_to), cutoff
                )
            elif candidate is not None and max(candidate.score, match.score) >= cutoff:
                # Evidence against a name lowers it, never hides it: "Viktor Bout" born
                # 1985, 0.78 by name, fell to 0.43 and was cleared (trial 43a).
                found.append(candidate)
        found.sort(key=rank)
        # In the order of those in force: the first of a score is the first `rank` puts, whose
        # reason `ties` says (by name first, a party to review came first where the order of
        # names said another: 53d).
        outside.sort(key=_rank_outside)
        return Screening(
            tuple(found[:limit]),
            len(found),
            as_of,
            tuple(sorted(wanted)),
            tuple(outside[:limit]),
            known_to,
            len(outside),
            tuple(o.score for o in outside if o.unknown),
        )

    def _candidate(
        self, query: Query, entity: Entity, match: NameMatch, day: dt.date, lists: frozenset[str]
    ) -> Candidate | None:
        listings = in_force(entity.listings, day, lists)
        if not listings:
            return None
        others = (
            x for x in entity.listings if x not in listings and (not lists or x.list_iri in lists)
        )
        return _scored(query, entity, match, listings, tuple(others))

    def suggest(
        self, prefix: str, limit: int = 10, keep: Callable[[Entity], bool] = lambda _: True
    ) -> list[Entity]:
        """Parties whose names hold every word of `prefix`, the last one begun (autocomplete),
        of those `keep` keeps."""
        words = form(prefix, self.variants).tokens
        if not words:
            return []
        *whole, begun = words
        # The completions are read a few at a time, more where too few of their parties are
        # kept: "a" on the whole CSL has 7,000, and a day or a list can keep few of the first.
        most = SUGGEST_WORDS
        while True:
            completions = self._vocabulary.starting(begun, most)
            found = self._suggested(completions, whole, limit, keep)
            if len(found) == limit or len(completions) < most:
                return found
            most *= 4

    def _suggested(
        self,
        completions: Sequence[str],
        whole: Sequence[str],
        limit: int,
        keep: Callable[[Entity], bool],
    ) -> list[Entity]:
        """The first `limit` kept parties with a name holding a completion and every whole
        word, shortest names first."""
        matching: set[int] = set()
        for word in completions:
            matching.update(self._postings[word])
        for word in whole:
            matching &= set(self._postings.get(word, ()))
        ranked = sorted(matching, key=lambda p: (len(self.names[p].text), self.names[p].text))
        found: list[Entity] = []
        judged: set[int] = set()
        for position in ranked:
            entity = self.names[position].entity
            if entity in judged:
                continue
            judged.add(entity)
            if keep(self.entities[entity]):
                found.append(self.entities[entity])
                if len(found) == limit:
                    break
        return found

    def entity(self, iri: str) -> Entity | None:
        """The party of the IRI: its own, or that of a party a curator judged it to be."""
        return self._by_iri.get(iri)


class NameWeights(Protocol):
    def at(self, positions: Sequence[int]) -> list[float]:
        """The weights of the names at positions, in that order."""
        ...


class Weights(list[float]):
    """Each name's weight, by position, in memory."""

    def at(self, positions: Sequence[int]) -> list[float]:
        return [self[position] for position in positions]


class Vocabulary(Protocol):
    def starting(self, prefix: str, most: int) -> list[str]:
        """The first `most` words (in code-point order) that begin with `prefix`."""
        ...


class EntitiesByIri(Protocol):
    def get(self, iri: str, /) -> Entity | None: ...


class SortedWords:
    """The index's words in order, in memory."""

    def __init__(self, words: list[str]) -> None:
        self.words = words

    def starting(self, prefix: str, most: int) -> list[str]:
        start = bisect_left(self.words, prefix)
        found = []
        for word in self.words[start : start + most]:
            if not word.startswith(prefix):
                break
            found.append(word)
        return found


#: The fewest letters of a place read alone: listed addresses give "Al" and "1A" as localities.
PLACE_LETTERS = 4


def _places(
    places: Iterable[str], names: Sequence[IndexedName], entities: Sequence[Entity]
) -> frozenset[str]:
    """The places a word asked may name: the localities and regions of listed addresses, of
    PLACE_LETTERS letters or more, but a word a listed person is named by (Vargas, Mendoza
    and Anthony are localities too)."""
    named = {
        word
        for name in names
        if entities[name.entity].schema == "Person"
        for word in name.form.tokens
    }
    return frozenset(
        place
        for place in places
        if len(place) >= PLACE_LETTERS and place.replace(" ", "").isalpha() and place not in named
    )


#: The fewest letters of a name of one word that says which party it is (`distinctive`):
#: "Apex" and "Ural" are words and places; "Megvii" and "Hikvision" are names.
DISTINCT_LETTERS = 6
#: The most names a rare word is in (kg.match.score.RARE_WEIGHT's, in the 2022 CSL).
RARE_NAMES = 30


def in_force(
    listings: Iterable[Listing], day: dt.date, lists: frozenset[str]
) -> tuple[Listing, ...]:
    """The listings in force on the day, on the lists asked for (every list if none)."""
    return tuple(
        listing
        for listing in listings
        if listing.in_force(day) and (not lists or listing.list_iri in lists)
    )


def _listed(match: NameMatch) -> bool:
    """Whether a list, a rule or a graph of ours gives the name matched."""
    return GIVEN_ONLY not in match.kind


def unlisted_name(candidate: Candidate) -> str:
    """The name the candidate matched by, with its kind, where no list gives it, only the
    news article or our curation ("SenseTime Group Ltd (alias given only by a news
    article)"); "" where a list, a rule or a graph of ours gives it."""
    listed = (c for f in candidate.features if f.name == "name" for c in f.candidate)
    return next((name for name in listed if GIVEN_ONLY in name), "")


def _by_other_name(candidate: Candidate) -> bool:
    """Whether the candidate matched by an alias or another name than its own, not by its
    name: at one score, after a party the list names so ("Al Naser Wings Airlines" put the
    SDN's AL-NASER AIRLINES, whose alias it is, before the DPL's AL NASER WINGS AIRLINES:
    trial 49a)."""
    return not any(name.endswith(("(name)", "(repaired name)")) for name in _listed_as(candidate))


def _place_dropped(candidate: Candidate) -> bool:
    """Whether the candidate matched by its name without the place the list writes after
    it (kg.match.normalise.without_place): at one score, after a party whose name the list
    gives so, as its parent's ("Huawei Technolgies" put the branch "Huawei Technologies Co.
    Ltd., Tsim Sha Tsui" first, tied with Huawei)."""
    return any(WITHOUT_PLACE in name for name in _listed_as(candidate))


def _listed_as(candidate: Candidate) -> list[str]:
    """The listed names the candidate's name feature matched, each with its kind."""
    return [c for f in candidate.features if f.name == "name" for c in f.candidate]


#: How much less a name only the news article gives counts than the same name a list gives,
#: so that the list's own name comes first: "Megvii Technology Ltd" put the Entity List's
#: party, by the article's alias (1.0), above the CMIC's MEGVII TECHNOLOGY LIMITED (0.99)
#: (trial 41b). yente likewise matches no weak alias. Our curation's names (the Chinese
#: ones) have a method and a source of their own, and count as a list's.
UNLISTED = 0.05


def _article_only(match: NameMatch) -> bool:
    """Whether only the news article gives the name matched."""
    return match.kind.endswith(ARTICLE_ONLY)


def _weighed(match: NameMatch) -> NameMatch:
    """The match, UNLISTED less where only the news article gives the name matched."""
    if not _article_only(match):
        return match
    return replace(match, score=round(max(0.0, match.score - UNLISTED), 4))


def _sourced(match: NameMatch) -> str:
    """How the name matched, and, for a name no list gives, who gives it: the article's
    "SenseTime Group Ltd" read as the Entity List's own alias (trial 35).

    >>> said = _sourced(NameMatch(0.95, "same name", "x", "SenseTime Group Ltd",
    ...                           "alias given only by a news article"))
    >>> said.removeprefix("same name; the alias 'SenseTime Group Ltd' is given only by ")
    'a news article, not by a list, so it counts 0.05 less'
    """
    kind, given, source = match.kind.partition(GIVEN_ONLY)
    if not given:
        return match.how
    said = f"{match.how}; the {kind} {match.matched!r} is given only by {source}, not by a list"
    return said + f", so it counts {UNLISTED:.2f} less" * _article_only(match)


def _scored(
    query: Query,
    entity: Entity,
    match: NameMatch,
    listings: tuple[Listing, ...],
    not_in_force: tuple[Listing, ...],
) -> Candidate:
    """The entity as a candidate: its name's score with the evidence's effects."""
    name = Feature(
        "name", match.score, _sourced(match), (match.query,), (f"{match.matched} ({match.kind})",)
    )
    evidence = [
        abroad(f) if match.how.startswith(WITHIN_ASKED) else f for f in features(query, entity)
    ]
    # Only the same name scores 1.0: evidence lifts another (a legal form apart, 0.98, and
    # the same country, +0.02) to just below it.
    highest = 1.0 if match.score >= SAME else BELOW_SAME
    score = min(highest, max(0.0, match.score + sum(f.effect for f in evidence)))
    return Candidate(
        entity,
        round(score, 4),
        match.score,
        match.matched,
        (name, *evidence),
        listings,
        not_in_force,
    )


def abroad(feature: Feature) -> Feature:
    """A country other than the listed party's, not held against a name that holds the
    listed one whole, as an affiliate's or a branch's abroad: "Hikvision USA Inc." (US)
    fell to 0.68 below the threshold, the Entity List's HIKVISION being in China (trial 36).
    Any other feature as it is."""
    if feature.name != "country" or feature.effect >= 0:
        return feature
    said = f"{feature.detail}: not held against a name that holds the listed one, an affiliate's"
    return replace(feature, effect=0.0, detail=said)


def rank(c: Candidate) -> tuple[float, float, float, bool, bool, bool, str, str]:
    """The order of an answer's candidates: by score, then, at one score, by what `TIES`
    says in words. Past the cap of 1.0, the evidence still orders: the AL-AQSA FOUNDATION
    of the country asked (1.00 + 0.02) before the one of no country (1.00). A name some
    list gives comes before one only the article gives: "SenseTime Group Ltd" put the
    Entity List's subsidiary, by the article's name, before the CMIC's SENSETIME GROUP LTD
    (trial 36)."""
    return (
        -c.score,
        -_uncapped(c),
        -c.name_score,
        _by_other_name(c),
        bool(unlisted_name(c)),
        _place_dropped(c),
        c.entity.caption,
        c.entity.iri,
    )


#: Why a candidate comes before another of its score, by the first part of `rank` after
#: the score in which they differ: bare "Sberbank" put JSC Sberbank (UA) before PJSC
#: Sberbank, both 0.98, without a word (trial 51e).
TIES = (
    "the evidence adds more to its name past the cap of 1.00",
    "its name is nearer the name asked",
    "it matched by its own name, not by an alias or another name",
    "it matched by a name a list gives, not by one only a news article or our curation gives",
    "it matched by its name as the list gives it, not without the place after it",
    "nothing else tells them apart: in the order of their names",
    "nothing else tells them apart: in the order of their pages' web addresses on this site",
)


def tie_break(first: Candidate, second: Candidate) -> str:
    """Why `first` comes before `second`, of one score, in the words of `TIES`."""
    parts = zip(rank(first)[1:], rank(second)[1:], TIES, strict=True)
    return next((words for ours, theirs, words in parts if ours != theirs), TIES[-1])


def _uncapped(candidate: Candidate) -> float:
    """The candidate's score before it is held to 0..1: its name's and the evidence's."""
    return sum(feature.effect for feature in candidate.features)


def _rank_outside(o: OutOfForce) -> tuple[float, float, float, bool, bool, bool, str, str]:
    assert o.candidate is not None, "_out_of_force scores each party it gives"
    return rank(o.candidate)


def _out_of_force(
    query: Query,
    entity: Entity,
    match: NameMatch,
    lists: frozenset[str],
    screened: tuple[dt.date, str],
    cutoff: float,
) -> list[OutOfForce]:
    """The entity, if it has entries on the lists asked for (in force on some other day) and
    scores at the cut-off by its name or with the evidence, as a candidate in force must: the
    IRGC's BASIJ RESISTANCE FORCE, 0.49 by name and 0.51 with the evidence, was in no
    section as of 2020-01-01 where it would have been a weaker candidate in force (54c).
    `screened` is the day asked and the last snapshot of the whole lists (Screening)."""
    asked = [listing for listing in entity.listings if not lists or listing.list_iri in lists]
    if not asked:
        return []
    candidate = _scored(query, entity, match, (), tuple(asked))
    if max(candidate.score, match.score) < cutoff:
        return []
    # Every entry's span, earliest first: the first alone ("2022-04-07, until 2022-10-04")
    # told an analyst the party had left the lists, where a later entry of 2023 ran into 2024
    # (trial 26).
    windows = sorted((listing.window for listing in asked), key=lambda w: w.since or "9999")
    spans = "; ".join(dict.fromkeys(window.span_text() for window in windows))
    why = why_unknown_of(asked, *screened)
    score = round(match.score, 4)
    caption = candidate.caption
    return [OutOfForce(entity.iri, caption, score, spans, bool(why), candidate, why)]


def _neighbours(words: Sequence[str]) -> list[str]:
    """Each two neighbours of three words or more joined (of two, the joined name is one).

    >>> _neighbours(["hangzhou", "hik", "vision"]), _neighbours(["hik", "vision"])
    (['hangzhouhik', 'hikvision'], [])
    """
    return [a + b for a, b in itertools.pairwise(words)] if len(words) > 2 else []


def _bigrams(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)] if len(text) > 1 else list(text)


def _deletions(words: Iterable[str]) -> dict[str, list[str]]:
    """Each word of FUZZY_FROM letters or more under each of its one-letter deletions."""
    found: dict[str, list[str]] = defaultdict(list)
    for word in sorted(words):  # in order, so that the file the build writes is the same
        if len(word) >= FUZZY_FROM:
            for position in range(len(word)):
                found[word[:position] + word[position + 1 :]].append(word)
    return dict(found)
