"""How alike two names are, from 0 to 1, and in words why.

Graded on purpose, so that scores rank: only the same name scores 1.0; the same words but
for a legal form 0.98, the same name with a word in another spelling the matcher knows as
one (Kashi and Kashgar, Technologies and Technology) 0.97, in another order 0.96;
otherwise a weighted overlap of words (a soft Dice coefficient: each word weighs its
rarity, a misspelt word counts for its similarity), scaled to at most 0.95. A name read
from Chinese through pinyin and a glossary is an approximation and scores at most 0.9;
Chinese characters compared as written can score 1.0, and a company's Chinese trade name
(字号) alone 0.85.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein

from kg.match.acronyms import spelled_out
from kg.match.countries import code
from kg.match.normalise import BRACKETED, Form, form, known_spelling, trade_name

SAME, LEGAL_FORM, RESPELT, WORD_ORDER = 1.0, 0.98, 0.97, 0.96
#: The most a name can score without the same words: every word paired, some misspelt
#: (SIMILAR); some words of either name unpaired (PARTIAL); the same letters in other words.
SIMILAR, PARTIAL, JOINED = 0.95, 0.9, 0.9
#: Fewest letters for "the same letters, spaced differently" (one edit apart: twice as many):
#: "Lin Da" is not "LINDA", nor "Group W" "Group".
JOINED_FROM = 6
#: A listed name whole within a longer company name asked ("Hikvision USA Inc." holds
#: HIKVISION): a sign to review, an affiliate's or a branch's name, not the same name. Only
#: where the name asked has a legal form (Inc., Ltd.), and a word of the listed name is rare
#: (RARE_WEIGHT: in about 30 of the index's 33,000 names or fewer) and of RARE_FROM letters
#: or more, so that "Bank", a given name (the alias JONAS in "Jónas Haraldsson") or an
#: acronym (TOM in "Tom Cotton") within a longer name is not.
CONTAINED, RARE_WEIGHT, RARE_FROM = 0.8, 7.0, 5
#: How such a match is said; the evidence reads it (kg.match.index.abroad).
WITHIN_ASKED = "the listed name whole within the name asked"
#: An organisation's listed name that begins a name asked, with or without a legal form:
#: "Hikvision USA", "Aeroflot Russian Airlines" and "Huawei USA" were cleared, as client
#: files leave the legal form out (trial 38), and so was "Gazprom Marketing & Trading Ltd"
#: (trial 39). A possible match, below a name with a
#: legal form and a rare word (CONTAINED). Either the list names the party by one word
#: alone, no legal form beside it, of RARE_FROM letters or more and in BRAND_WEIGHT's 370
#: names or fewer (HUAWEI, GAZPROM: a brand), or a word of the listed name is rare
#: (RARE_WEIGHT, of RARE_FROM letters or more); and the name asked adds only countries or
#: common words (a place, a trade), not a surname, nor "Coastal" after INTER. Not "United
#: Airlines" for OJSC UNITED COMPANY nor "Center Trading" for LLC Center: a common word and
#: a legal form is no brand. Never a name in a bracket, which may be a place, and only an
#: organisation's: a name that begins with a person's alias (JONAS) is another person's,
#: nor is "Sierra Lopez" the vessel SIERRA.
CONTAINED_PLAIN, BRAND_WEIGHT = 0.75, 4.5
#: A brand (above) that begins a name asked which adds another word ("Gazprom Germania
#: GmbH", which scored 0.31 and was named nowhere, trial 39): a candidate to name, below the
#: threshold, as "Inter-Coastal Electronics" is not INTERCONTINENTAL DE AVIACION (INTER).
BRAND_BEGUN = 0.6
#: Every word of the name asked within a longer listed name, one of them rare as above: the
#: name shortened as people write it ("Meiya Pico" for Xiamen Meiya Pico Information Co.
#: Ltd., "Nicolas Maduro" for MADURO MOROS, Nicolas), which scored 0.64-0.70, below the
#: threshold. From SHORTENED up to CONTAINED, as the words asked weigh in the listed name.
SHORTENED = 0.7
#: A company name asked (it has a legal form) of GENERIC_WORDS words or fewer, none of them
#: rare, found in a longer listed name that adds a distinctive word (DISTINCT_WEIGHT: in
#: about 230 of the index's 33,000 names or fewer): a generic name, a place and a trade,
#: without the word that names the party ("Shenzhen Technology Co., Ltd." matched SHENZHEN
#: HUAWEI TECHNOLOGIES at 0.72, as "huawei" is in 165 names). At most GENERIC, below a name
#: shortened. A listed name that adds only common words is nearly the name asked ("Global
#: Trading LLC", GLOBAL TRADING GROUP); more common words together say more (the XPCC's
#: bureau, seven words, read from Chinese); a person's name, no legal form, scores as is.
GENERIC, GENERIC_WORDS, DISTINCT_WEIGHT = 0.65, 2, 5.0
#: A name asked that is a place alone (Form.places: a country, or a locality or region of a
#: listed address) names no party: "Moscow", "Dubai" and "Tianjin" scored 0.75-0.78 against
#: BANK OF MOSCOW, DUBAI TRADING COMPANY and Tianjin University (trial 41b). At most GENERIC,
#: but for the same words. Nor is a place a rare word that names the party in a generic
#: name: "Suzhou Electronics Co., Ltd." scored 0.78 against Suzhou Eric Mechanics and
#: Electronics, "suzhou" being in 18 names.
PLACE_ALONE = "a place alone, which names no party"
#: A person asked by given name and surname, listed "SURNAME, Given Middle...": "Viktor Bout"
#: for BOUT, Viktor Anatolijevitch scored 0.69, below the threshold, where the surname was
#: too short to count as rare (trial 33). The name as people write it, so a possible match
#: whatever the words weigh: "Ali Mahmoud" for MAHMOUD, Ali Habib is one to review.
MIDDLE_NAMES = 0.78
#: The same with the given name spelt otherwise ("Victor Bout" for BOUT, Viktor
#: Anatolijevitch scored 0.65, trial 35): a given name at least this similar, each point of
#: similarity it lacks costing a quarter point (victor as viktor, 0.83: 0.74).
GIVEN_SPELT_FROM, GIVEN_SPELT_COST = 0.8, 0.25
#: A person's name asked with initials for names the list writes whole: "Bout, Viktor A."
#: for BOUT, Viktor Anatolijevitch (0.61) and "Deripaska, O.V." for DERIPASKA, Oleg
#: Vladimirovich, the layout of many client files, were missed (trial 36). Every listed word
#: is there, whole or by its first letter (a middle name may be left out: DROPPED), in the
#: list's order or with the surname last; the surname whole. With a given name whole, a
#: little above the name without its middle names (MIDDLE_NAMES), as the initial agrees;
#: with initials alone, below it.
INITIALS, ONLY_INITIALS, MOST_INITIALS = 0.8, 0.75, 3
#: What each middle name left out costs a name asked with initials: "ROTENBERG, B." for the
#: SDN's two ROTENBERG, Boris... found nothing (trial 37).
DROPPED = 0.03
#: A person's surname asked alone, as the list writes it before the comma ("Rotenberg" for
#: the SDN's eight ROTENBERG, ...): a candidate to name, not a match. It scored 0.44 against
#: each, below the cutoff, so a row asked so said nothing at all (trial 38).
SURNAME_ALONE = 0.6
#: Articles a name may be asked with and listed without ("El Chapo", the alias GUZMAN, Chapo).
ARTICLES = frozenset({"el", "la", "los", "las", "the"})
#: The most a name read from Chinese (pinyin and glossary) can score against a Latin one.
TRANSLATED = 0.9
#: Chinese characters that differ: their similarity, scaled.
CJK_SIMILAR = 0.95
#: A company's Chinese trade name (字号) without its place, trade or legal form: a strong
#: sign, not the whole name. Only in a company's name (公司), where the place is a prefix:
#: "乌鲁木齐" alone is a city, not the Urumqi public security bureau. Two characters at least.
TRADE_NAME, COMPANY, TRADE_NAME_FROM = 0.85, "公司", 2


class WordSource(Protocol):
    def similar_words(self, word: str) -> dict[str, float]: ...


class Pairing(Protocol):
    def pair(self, word: str, other: str) -> float: ...


class WordSimilarity:
    """The index's words near each query word, looked up once per query."""

    def __init__(self, source: WordSource) -> None:
        self._source = source
        self._cache: dict[str, dict[str, float]] = {}

    def __getitem__(self, word: str) -> dict[str, float]:
        found = self._cache.get(word)
        if found is None:
            found = self._cache[word] = self._source.similar_words(word)
        return found

    def pair(self, word: str, other: str) -> float:
        return 1.0 if word == other else self[word].get(other, 0.0)


@dataclass(frozen=True, slots=True)
class NameMatch:
    score: float
    how: str
    query: str  # the query's name, folded
    matched: str  # the name or alias it matched, as published
    kind: str  # name, alias, transliteration, ...


def best_name(
    forms: Sequence[Form],
    text: str,
    kind: str,
    name: Form,
    similar: WordSimilarity,
    weight: Callable[[str], float],
) -> NameMatch:
    """The best of the query's names against one name of a party."""
    best = NameMatch(0.0, "no similar name", "", text, kind)
    for query in forms:
        score, how = similarity(query, name, similar, weight)
        if score == WORD_ORDER and _surname_first(text, query.tokens, name.tokens):
            score, how = SAME, "same name, which the list writes surname first"
        if score < INITIALS and not query.legal:
            score, how = max(
                (score, how),
                _without_middle(text, query, name, similar),
                _initials(text, query, name, similar),
                _surname_alone(text, query),
            )
        if GENERIC < score < WORD_ORDER and set(query.tokens) <= set(query.places):
            score, how = GENERIC, f"{how}: {PLACE_ALONE}"
        if score > best.score:
            best = NameMatch(round(score, 4), how, query.folded, text, kind)
    return best


def similarity(
    query: Form, name: Form, similar: WordSimilarity, weight: Callable[[str], float]
) -> tuple[float, str]:
    """The similarity of two names, and how it was found."""
    written = _cjk(query, name)
    if written[0] == SAME:
        return written
    score, how = _words(query, name, similar, weight)
    if query.translated != name.translated and score > TRANSLATED:
        score = TRANSLATED
    if query.translated != name.translated:
        how = f"read from Chinese (pinyin and glossary): {how}"
    return max(written, (score, how))


def _cjk(query: Form, name: Form) -> tuple[float, str]:
    if not query.cjk or not name.cjk:
        return (0.0, "")
    if query.cjk == name.cjk:
        return (SAME, "same Chinese characters")
    ratio = fuzz.ratio(query.cjk, name.cjk) / 100
    similar = (CJK_SIMILAR * ratio, "similar Chinese characters")
    # "海康威视" for "杭州海康威视数字技术股份有限公司": the company by its trade name.
    trade = trade_name(name.cjk) if COMPANY in name.cjk else ""
    if len(trade) >= TRADE_NAME_FROM and trade_name(query.cjk) == trade:
        return max(similar, (TRADE_NAME, "same trade name (字号) in Chinese characters"))
    return similar


def _words(
    query: Form, name: Form, similar: WordSimilarity, weight: Callable[[str], float]
) -> tuple[float, str]:
    if query.tokens == name.tokens:
        if respelt := _respelt(query, name):
            legal = "" if query.legal == name.legal else ", and the legal form"
            return (RESPELT, f"same name but for the spelling of {respelt}{legal}")
        if query.folded == name.folded:
            return (SAME, "same name")
        return (LEGAL_FORM, "same name but for the legal form")
    if sorted(query.tokens) == sorted(name.tokens):
        return (WORD_ORDER, "same words in another order")
    asked, listed = spaced_alike(query.tokens, name.tokens), spaced_alike(name.tokens, query.tokens)
    readings = [_respaced(query.tokens, asked), _respaced(name.tokens, listed)]
    asked, spelt = spelled_out(asked, listed)
    listed, spelt_listed = spelled_out(listed, asked)
    dice, pairs = soft_dice(asked, listed, _AsWritten(similar, name), _unarticled(weight))
    every_word = len(pairs) == len(asked) == len(listed)
    score = (SIMILAR if every_word else PARTIAL) * dice
    how = _paired(pairs, len(asked), listed, name)
    if (
        query.legal
        and len(pairs) == len(asked)
        and score > GENERIC
        and _generic(asked, listed, weight, query.places)
    ):
        score, how = GENERIC, f"{how}: a generic name, without the listed one's distinctive word"
    read = "".join(f", {said}" for said in (*readings, spelt, spelt_listed) if said)
    # "Hik Vision" for HIKVISION, "PSB" for Public Security Bureau: no more than a reading
    if read:
        score = min(score, JOINED)
    if score < CONTAINED and _contained(query, name, weight):
        extra = ", ".join(word for word in query.tokens if word not in name.tokens)
        return (CONTAINED, f"{WITHIN_ASKED}, which adds {extra}")
    shortened = SHORTENED + (CONTAINED - SHORTENED) * dice
    # "El Chapo" for the alias GUZMAN, Chapo: an article the listed name lacks is no word
    bare = tuple(word for word in asked if word not in ARTICLES or word in listed)
    if score < shortened and _within(bare, listed, weight, query.places):
        extra = ", ".join(word for word in listed if word not in bare)
        but = "".join(f" but {word}" for word in asked if word not in bare)
        return (
            shortened,
            f"every word asked{but} within the listed name, which adds {extra}{read}",
        )
    how += read
    # "Hik Vision" and "Hikvision": the same letters, at most one apart, in other words.
    if len(query.tokens) != len(name.tokens) and score < JOINED:
        shortest = min(len(query.joined), len(name.joined))
        edits = Levenshtein.distance(query.joined, name.joined, score_cutoff=1)
        if shortest >= JOINED_FROM * (1 + edits) and edits <= 1:
            return (JOINED, "the same letters, spaced differently")
    return (score, how)


def _unarticled(weight: Callable[[str], float]) -> Callable[[str], float]:
    """The words' weights, an article's none: "El Chapo" scored 0.83 against the alias EL
    CHAYO by the article and a respelling, above GUZMAN, Chapo (trial 36)."""
    return lambda word: 0.0 if word in ARTICLES else weight(word)


@dataclass(frozen=True)
class _AsWritten:
    """A typo of a word as near as it is to the word the listed name writes, or, where it is
    nearer another spelling of that word, to that one at a respelling's cost (RESPELT): the
    index finds a typo's similarity once for every spelling of a word, and "Huawei
    Technolgies" tied the two Huawei Technology records with Huawei Technologies (trial 30).
    A known spelling of a name (Mohammed for Muhammad) keeps its similarity.

    >>> from kg.match.normalise import form
    >>> class Near:
    ...     def pair(self, word, other): return 0.9167 if word != other else 1.0
    >>> technology = _AsWritten(Near(), form("Huawei Technology"))
    >>> round(technology.pair("technolgies", "technology"), 4)
    0.8892
    >>> technologies = _AsWritten(Near(), form("Huawei Technologies"))
    >>> round(technologies.pair("technolgies", "technology"), 4)
    0.9167
    """

    similar: Pairing
    name: Form

    def pair(self, word: str, other: str) -> float:
        found = self.similar.pair(word, other)
        if found in (0.0, 1.0) or known_spelling(word, other):
            return found
        direct = OSA.normalized_similarity(word, _as_written(self.name, other))
        return found if direct >= found else max(direct, found * RESPELT)


def _as_written(name: Form, word: str) -> str:
    """A word of the listed name as the list writes it ("technologies" where the matcher
    reads "technology"); the word itself where its spelling is unknown or it is no word of
    the name (one read from an acronym, or two joined). Looked up only for a word paired
    otherwise than whole: no table is built per name compared."""
    if len(name.spelt) == len(name.tokens) and word in name.tokens:
        return name.spelt[name.tokens.index(word)]
    return word


def _contained(query: Form, name: Form, weight: Callable[[str], float]) -> bool:
    """Whether every word of the listed name is in the longer company name asked, one of
    them rare.

    >>> from kg.match.normalise import form
    >>> rare = {"hikvision": 8.7, "usa": 8.3}.get
    >>> asked, listed = form("Hikvision USA Inc."), form("HIKVISION")
    >>> _contained(asked, listed, lambda w: rare(w, 4.0)), _contained(listed, asked, rare)
    (True, False)
    >>> _contained(form("Bank of America Inc."), form("BANK"), lambda w: 4.3)
    False
    >>> _contained(form("Hikvision USA"), listed, lambda w: rare(w, 4.0))  # no legal form
    False

    Or a listed name of two words or more that begins the name asked, as an affiliate's
    name begins with its parent's, one of them distinctive (DISTINCT_WEIGHT) and of
    RARE_FROM letters or more: "Huawei Technologies USA Inc." (US) was cleared, no candidate
    named, "huawei" being in 165 listed names, the Entity List's Huawei affiliates among
    them (trial 37). Inside the name, "Sierra Technical Services, Inc." was flagged as the
    alias TECHNICAL SERVICES.

    >>> known = {"huawei": 5.3, "technology": 3.8, "usa": 6.0, "technical": 5.5}
    >>> weights = lambda word: known.get(word, 4.0)
    >>> _contained(form("Huawei Technology USA Inc."), form("Huawei Technology"), weights)
    True
    >>> _contained(form("Sierra Technical Services Inc."), form("Technical Services"), weights)
    False
    >>> _contained(form("Trading Group USA Inc."), form("Trading Group"), lambda w: 4.3)
    False
    """
    if not query.legal:
        return False
    listed, asked = name.tokens, query.tokens
    if _within(listed, asked, weight):
        return _names_it(listed, asked, weight)
    begins = 1 < len(listed) < len(asked) and asked[: len(listed)] == listed
    distinct = max((weight(w) for w in listed if len(w) >= RARE_FROM), default=0.0)
    return begins and distinct >= DISTINCT_WEIGHT


def _names_it(listed: Sequence[str], asked: Sequence[str], weight: Callable[[str], float]) -> bool:
    """Whether the listed name, within the name asked, is what names it: no word the name
    asked adds is rarer than the listed name's rarest, but a country. The SDN's LIMITED
    LIABILITY COMPANY DIGITAL TECHNOLOGIES ("digital" is in 22 names) scored 0.80 within
    "Hangzhou Hik-Vision Digital Technology Co Ltd", which adds "vision" (13 names) and
    "hangzhou" (17) (trial 39).

    >>> weights = {"digital": 7.3, "technology": 3.8, "vision": 7.8, "hikvision": 8.7}.get
    >>> _names_it(["digital", "technology"], ["hik", "vision", "digital", "technology"], weights)
    False
    >>> _names_it(["hikvision"], ["hikvision", "digital", "technology"], weights)
    True
    >>> _names_it(["hikvision"], ["hikvision", "germany"], lambda word: 9.0)  # a country
    True
    """
    own = max((weight(w) for w in listed if len(w) >= RARE_FROM), default=0.0)
    added = (w for w in asked if w not in listed and len(w) >= RARE_FROM and not code(w))
    return max((weight(w) for w in added), default=0.0) <= own


def begins_plainly(
    forms: Sequence[Form], text: str, kind: str, name: Form, weight: Callable[[str], float]
) -> NameMatch | None:
    """The listed name beginning a name asked, as CONTAINED_PLAIN says; None where it does
    not begin one.

    >>> known = {"hikvision": 8.7, "usa": 8.3, "haraldsson": 10.4, "center": 5.05}
    >>> weights = lambda word: known.get(word, 4.0)
    >>> listed = form("HIKVISION")
    >>> begins_plainly([form("Hikvision USA")], "HIKVISION", "alias", listed, weights).how
    'the listed name whole within the name asked, at its beginning, which adds usa'
    >>> begins_plainly([form("USA Hikvision")], "", "alias", listed, weights) is None
    True
    >>> begins_plainly([form("Hikvision USA Inc.")], "", "alias", listed, weights).score
    0.75
    >>> begins_plainly([form("Hikvision USA")], "", "alias, in its bracket", listed, weights)
    >>> center = form("LLC Center")  # a word and a legal form: no brand
    >>> begins_plainly([form("Center Trading")], "LLC Center", "name", center, weights)
    >>> alone = form("Center")  # named by the word alone: a brand
    >>> begins_plainly([form("Center Trading")], "Center", "alias", alone, weights).score
    0.75
    >>> known["center"] = 8.0  # rare, it is a sign with a legal form too, not beside a surname
    >>> begins_plainly([form("Center Trading")], "", "name", center, weights).score
    0.75
    >>> begins_plainly([form("Center Haraldsson")], "", "alias", alone, weights).score
    0.6
    >>> begins_plainly([form("Center Haraldsson")], "", "name", center, weights)
    """
    # A bracket's name may be a place: "Shenzhen Technology Co., Ltd." is not Corad
    # Technology (Shenzhen) Ltd.
    if kind.endswith(BRACKETED):
        return None
    listed = name.tokens
    distinct = max((weight(w) for w in listed if len(w) >= RARE_FROM), default=0.0)
    brand = len(listed) == 1 and not name.legal and distinct >= BRAND_WEIGHT
    if not brand and distinct < RARE_WEIGHT:
        return None
    for query in forms:
        asked = query.tokens
        added = asked[len(listed) :]
        if not added or asked[: len(listed)] != listed:
            continue
        how = f"{WITHIN_ASKED}, at its beginning, which adds {', '.join(added)}"
        if _plain(added, weight):
            return NameMatch(CONTAINED_PLAIN, how, query.folded, text, kind)
        if brand:
            return NameMatch(BRAND_BEGUN, f"{how}: a name to review", query.folded, text, kind)
    return _first_word_shared(forms, text, kind, listed, weight)


def _first_word_shared(
    forms: Sequence[Form],
    text: str,
    kind: str,
    listed: Sequence[str],
    weight: Callable[[str], float],
) -> NameMatch | None:
    """A rare first word both names begin with, each adding to it only common words or
    countries: "Sensetime Hong Kong" named the CMIC's SENSETIME GROUP LIMITED nowhere, while
    the Entity List's SenseTime took it at 0.75 by a news article's alias (trial 41). A name
    to review, below the threshold (BRAND_BEGUN), as a brand followed by another word is; a
    place is no brand (PLACE_ALONE).

    >>> weights = {"sensetime": 8.6, "group": 4.2, "hong": 6.5, "kong": 6.8, "vision": 7.8}
    >>> shared = lambda asked, listed: _first_word_shared(
    ...     [form(asked)], "", "name", form(listed).tokens, lambda w: weights.get(w, 4.0))
    >>> shared("Sensetime Hong Kong", "SENSETIME GROUP LIMITED").how.split(":")[0]
    'the first word of both names, sensetime, each adding only common words or countries'
    >>> shared("Sensetime Vision", "SENSETIME GROUP LIMITED") is None  # a rare word added
    True
    """
    first = listed[0] if len(listed) > 1 else ""
    if len(first) < RARE_FROM or weight(first) < RARE_WEIGHT:
        return None
    if any(weight(word) >= RARE_WEIGHT for word in listed[1:]):
        return None
    for query in forms:
        asked = query.tokens
        if len(asked) < 2 or asked[0] != first or asked[1:] == listed[1:] or first in query.places:
            continue
        if _plain(asked[1:], weight):
            how = (
                f"the first word of both names, {first}, each adding only common words or "
                "countries: a name to review"
            )
            return NameMatch(BRAND_BEGUN, how, query.folded, text, kind)
    return None


def _plain(words: Sequence[str], weight: Callable[[str], float]) -> bool:
    """Whether the words are only common ones (a place, a trade) or countries."""
    return all(weight(word) < RARE_WEIGHT or code(word) for word in words)


def _within(
    asked: Sequence[str],
    listed: Sequence[str],
    weight: Callable[[str], float],
    places: Sequence[str] = (),
) -> bool:
    """Whether every word of the shorter name `asked` is in the longer `listed`, one of them
    rare and no place (PLACE_ALONE) (the name asked within a listed one; or, swapped, a
    listed name within the name asked, as _contained reads it).

    >>> rare = {"meiya": 8.9, "pico": 9.2}.get
    >>> _within(["meiya", "pico"], ["xiamen", "meiya", "pico"], lambda w: rare(w, 4.0))
    True
    >>> _within(["ali", "hassan"], ["khalil", "ali", "hassan"], lambda w: 4.5)
    False
    """
    if not (len(asked) < len(listed) and set(asked) <= set(listed)):
        return False
    return _rare(asked, weight, places)


def _generic(
    asked: Sequence[str],
    listed: Sequence[str],
    weight: Callable[[str], float],
    places: Sequence[str] = (),
) -> bool:
    """Whether the name asked, every word of it found in the listed name, is generic: a few
    words, none rare but a place (PLACE_ALONE), and the listed name adds a distinctive one
    (GENERIC).

    >>> weights = {"shenzhen": 6.5, "technology": 3.8, "huawei": 5.3, "group": 4.2}.get
    >>> _generic(["shenzhen", "technology"], ["shenzhen", "huawei", "technology"], weights)
    True
    >>> _generic(["shenzhen", "technology"], ["shenzhen", "technology", "group"], weights)
    False
    >>> _generic(["suzhou", "electronics"], ["suzhou", "eric", "electronics"], {"suzhou": 7.5,
    ...          "eric": 8.1, "electronics": 5.2}.get, places=["suzhou"])
    True
    """
    few = len(asked) <= GENERIC_WORDS and len(asked) < len(listed)
    adds = max((weight(word) for word in listed if word not in asked), default=0.0)
    return few and adds >= DISTINCT_WEIGHT and not _rare(asked, weight, places)


def _rare(words: Sequence[str], weight: Callable[[str], float], places: Sequence[str] = ()) -> bool:
    """Whether one of the words, no place, is rare (RARE_WEIGHT) and long enough (RARE_FROM)."""
    named = (weight(w) for w in words if len(w) >= RARE_FROM and w not in places)
    return max(named, default=0.0) >= RARE_WEIGHT


def spaced_alike(words: Sequence[str], other: Sequence[str]) -> tuple[str, ...]:
    """The words, with each two neighbours that the other name writes as one word of
    JOINED_FROM letters or more joined ("Lin Da" is not LINDA).

    >>> spaced_alike(["hangzhou", "hik", "vision"], ["hangzhou", "hikvision", "digital"])
    ('hangzhou', 'hikvision')
    >>> spaced_alike(["hikvision"], ["hik", "vision"]), spaced_alike(["lin", "da"], ["linda"])
    (('hikvision',), ('lin', 'da'))
    """
    joined: list[str] = []
    held = set(other)
    for word in words:
        pair = joined[-1] + word if joined else ""
        if len(pair) >= JOINED_FROM and joined[-1] not in held and pair in held:
            joined[-1] = pair
        else:
            joined.append(word)
    return tuple(joined)


def _respaced(before: Sequence[str], after: Sequence[str]) -> str:
    """The neighbours of `before` that `after` (from spaced_alike) joins, in words.

    >>> _respaced(["hangzhou", "hik", "vision"], ["hangzhou", "hikvision"])
    'hik vision as hikvision'
    """
    said, words = [], iter(before)
    for word in after:
        parts = [next(words)]
        while "".join(parts) != word:
            parts.append(next(words))
        if len(parts) > 1:
            said.append(f"{' '.join(parts)} as {word}")
    return ", ".join(said)


def _surname_first(text: str, asked: Sequence[str], listed: Sequence[str]) -> bool:
    """Whether a name the list writes "SURNAME, Given" is the name asked, given name first:
    "Vladimir Putin" scored 0.96 against PUTIN, Vladimir, "another order" (trial 26).

    >>> _surname_first("PUTIN, Vladimir", ["vladimir", "putin"], ["putin", "vladimir"])
    True
    >>> _surname_first("Putin Vladimir", ["vladimir", "putin"], ["putin", "vladimir"])
    False
    """
    if text.count(",") != 1:
        return False
    turned = (tuple(listed[n:]) + tuple(listed[:n]) for n in range(1, len(listed)))
    return tuple(asked) in turned


def _surname_alone(text: str, query: Form) -> tuple[float, str]:
    """The score of a name asked that is the surname of a name the list writes "SURNAME,
    Given", without its given names (SURNAME_ALONE); (0, "") where it is not so.

    >>> _surname_alone("ROTENBERG, Arkady Romanovich", form("Rotenberg"))
    (0.6, 'the surname alone, without the given names Arkady Romanovich')
    >>> _surname_alone("ROTENBERG HOLDINGS", form("Rotenberg"))
    (0.0, '')
    """
    if text.count(",") != 1:
        return 0.0, ""
    surname, given = text.split(",")
    if not form(given).tokens or query.tokens != form(surname).tokens:
        return 0.0, ""
    return SURNAME_ALONE, f"the surname alone, without the given names {given.strip()}"


def _without_middle(
    text: str, query: Form, name: Form, similar: WordSimilarity
) -> tuple[float, str]:
    """The score of a person's name asked without the middle names the list writes, the
    given name as listed or spelt otherwise; (0, "") where it is not so."""
    middle = _middle(text, query, name)
    if middle is None:
        return 0.0, ""
    rest, asked, given, written = middle
    # The first letter as listed: "kjong" is one letter from "jong", another name.
    near = 1.0 if asked == given else similar.pair(asked, given) * (asked[0] == given[0])
    if near < GIVEN_SPELT_FROM:
        return 0.0, ""
    spelt = f", and {asked} as {written}" if asked != given else ""
    score = MIDDLE_NAMES - GIVEN_SPELT_COST * (1 - near)
    return score, f"given name and surname, without the middle {rest}{spelt}"


def _initials(text: str, query: Form, name: Form, similar: WordSimilarity) -> tuple[float, str]:
    """The score of a person's name asked with initials for some of the names the list
    writes whole (INITIALS); (0, "") where it is not so. A word asked of MOST_INITIALS
    letters or fewer may be initials run together, as "O.V." is read ("ov").

    >>> from kg.match.normalise import form
    >>> class Same:
    ...     def pair(self, word, other): return 1.0 if word == other else 0.0
    >>> listed = "DERIPASKA, Oleg Vladimirovich"
    >>> _initials(listed, form("Deripaska, O.V."), form(listed), Same())
    (0.75, 'surname and initials: o for oleg, v for vladimirovich')
    >>> _initials(listed, form("Oleg V. Deripaska"), form(listed), Same())
    (0.8, 'surname and given name, with initials: v for vladimirovich')
    >>> _initials(listed, form("O. Deripaska"), form(listed), Same())  # a middle name left out
    (0.72, 'surname and initials: o for oleg, without the middle name vladimirovich')
    >>> _initials(listed, form("V. Deripaska"), form(listed), Same())  # not the first given
    (0.0, '')
    >>> _initials(listed, form("D. Oleg Vladimirovich"), form(listed), Same())  # surname
    (0.0, '')
    """
    short = any(len(word) <= MOST_INITIALS for word in query.tokens)
    if not short or text.count(",") != 1:
        return 0.0, ""  # before the surname's form: this is asked of every name compared
    surname = len(form(text.partition(",")[0]).tokens)
    listed, written = (
        name.tokens,
        name.spelt if len(name.spelt) == len(name.tokens) else name.tokens,
    )
    for turn in (0, surname):  # as the list writes it, or the surname last
        order = list(range(turn, len(listed))) + list(range(turn))
        middle = {j for j, i in enumerate(order) if i > surname}  # given names but the first
        found = _aligned(query.tokens, [listed[i] for i in order], similar, middle)
        if found is None:
            continue
        dropped = [written[order[j]] for w, j, how in found if how == "dropped"]
        found = [each for each in found if each[2] != "dropped"]
        initials = [(w, written[order[j]]) for w, j, how in found if how == "initial"]
        same = {order[j] for w, j, how in found if how == "same"}
        if not initials or not set(range(surname)) <= same:
            continue  # the surname as the list writes it, or nothing ("Boot, Viktor A.")
        given = any(order[j] >= surname for w, j, how in found if how != "initial")
        cost = sum(GIVEN_SPELT_COST * (1 - s) for w, j, s in found if isinstance(s, float))
        cost += DROPPED * len(dropped)
        said = ", ".join(f"{w} for {word}" for w, word in initials)
        if dropped:
            said += f", without the middle name{'s' * (len(dropped) > 1)} {', '.join(dropped)}"
        if given:
            return INITIALS - cost, f"surname and given name, with initials: {said}"
        return ONLY_INITIALS - cost, f"surname and initials: {said}"
    return 0.0, ""


def _aligned(
    asked: Sequence[str], listed: Sequence[str], similar: WordSimilarity, middle: set[int]
) -> list[tuple[str, int, str | float]] | None:
    """Each word asked against the listed words in order: the same word ("same"), a word
    spelt otherwise with the same first letter (its similarity), or initials, one letter
    for each of the next words ("initial", for each letter); a listed middle name (at a
    position in `middle`) may be left out ("dropped"); None unless every word asked and
    every other listed word is paired."""
    found: list[tuple[str, int, str | float]] = []
    at = 0
    for word in asked:
        paired = _paired_word(word, listed, at, similar)
        while paired is None and at in middle:
            found.append(("", at, "dropped"))
            at += 1
            paired = _paired_word(word, listed, at, similar)
        if paired is None:
            return None
        found += paired
        at += len(paired)
    while at in middle:
        found.append(("", at, "dropped"))
        at += 1
    return found if at == len(listed) else None


def _paired_word(
    word: str, listed: Sequence[str], at: int, similar: WordSimilarity
) -> list[tuple[str, int, str | float]] | None:
    """The word asked paired with the listed word at `at`, or with the next words by its
    letters as initials (_aligned); None if it is neither."""
    if at < len(listed) and word == listed[at]:
        return [(word, at, "same")]
    run = listed[at : at + len(word)]
    if (
        len(word) <= MOST_INITIALS
        and len(run) == len(word)
        and all(
            len(whole) > 1 and whole[0] == letter for letter, whole in zip(word, run, strict=True)
        )
    ):
        return [(letter, at + k, "initial") for k, letter in enumerate(word)]
    near = similar.pair(word, listed[at]) if at < len(listed) else 0.0
    if near < GIVEN_SPELT_FROM or word[0] != listed[at][0]:
        return None
    return [(word, at, near)]


def _middle(text: str, query: Form, name: Form) -> tuple[str, str, str, str] | None:
    """Where a name the list writes "SURNAME, Given Middle" is the name asked as its first
    given name and surname (either first): the middle names it adds, in words, and the
    given name as asked, as listed (the same, or spelt otherwise) and as the list writes it;
    None if it is not so.

    >>> _middle("BOUT, Viktor Anatolijevitch", form("Viktor Bout"),
    ...         form("BOUT, Viktor Anatolijevitch"))
    ('name anatolijevitch', 'viktor', 'viktor', 'viktor')
    >>> _middle("BOUT, Viktor Anatolijevitch", form("Victor Bout"),
    ...         form("BOUT, Viktor Anatolijevitch"))
    ('name anatolijevitch', 'victor', 'viktor', 'viktor')
    >>> _middle("Bout Viktor Anatolijevitch", form("Viktor Bout"),
    ...         form("Bout Viktor Anatolijevitch")) is None
    True
    >>> _middle("AL-AHMAD, Mahmud Dhiyab", form("Mahmud Ahmad"),
    ...         form("AL-AHMAD, Mahmud Dhiyab")) is None
    True
    >>> _middle("AL-AHMAD, Mahmud Dhiyab", form("Mahmud Al-Ahmad"),
    ...         form("AL-AHMAD, Mahmud Dhiyab"))
    ('name dhiyab', 'mahmud', 'mahmud', 'mahmud')
    """
    asked, listed = query.tokens, name.tokens
    surname = len(asked) - 1
    if text.count(",") != 1 or not 0 < surname < len(listed) - 1:
        return None
    given, family = listed[surname], tuple(listed[:surname])
    if tuple(asked[1:]) == family:
        first = asked[0]
    elif tuple(asked[:surname]) == family:
        first = asked[-1]
    else:
        return None
    if len(form(text.partition(",")[0]).tokens) != surname:
        return None  # the comma is not after the surname
    # Said as the list writes them: "mihaulauna", not the variant "mikhailovna" it is read as.
    written = name.spelt if len(name.spelt) == len(listed) else listed
    rest = written[surname + 1 :]
    return f"name{'s' if len(rest) > 1 else ''} {', '.join(rest)}", first, given, written[surname]


def _respelt(query: Form, name: Form) -> str:
    """The words two names of the same tokens spell otherwise ("technologies" and
    "technology"), in words; none where either name's spelling is unknown."""
    if not (query.spelt and name.spelt) or len(query.spelt) != len(name.spelt):
        return ""
    pairs = [(a, b) for a, b in zip(query.spelt, name.spelt, strict=True) if a != b]
    return ", ".join(f"{a!r} as {b!r}" for a, b in pairs)


def _paired(
    pairs: Sequence[tuple[str, str, float]], asked: int, listed: Sequence[str], name: Form
) -> str:
    """How the words paired, in words: the words each misspelt one was read as, as the list
    writes them, and the listed words left over ("1 of 1 words in common" for maduro and
    MAURO, or for a name without the listed one's "huawei", said neither: trial 25). A
    misspelt word is found, not had in common (trial 28 read "in common" as the same).

    >>> from kg.match.normalise import form
    >>> _paired([("maduro", "mauro", 0.83)], 1, ("mauro",), form("MAURO"))
    '1 of 1 words found, 1 of them spelt differently (maduro as mauro)'
    >>> listed = form("Shenzhen Huawei Technologies")
    >>> _paired([("shenzhen", "shenzhen", 1.0), ("technology", "technology", 1.0)], 2,
    ...         listed.tokens, listed)
    '2 of 2 words found, and the listed name adds huawei'
    """
    how = f"{len(pairs)} of {asked} words found"
    respelt = [f"{a} as {_as_written(name, b)}" for a, b, score in pairs if score < 1.0]
    if respelt:
        how += f", {len(respelt)} of them spelt differently ({', '.join(respelt)})"
    left = list(listed)
    for _, word, _ in pairs:
        left.remove(word)
    if pairs and left:
        how += f", and the listed name adds {', '.join(_as_written(name, w) for w in left)}"
    return how


def soft_dice(
    query: Sequence[str],
    name: Sequence[str],
    similar: Pairing,
    weight: Callable[[str], float],
) -> tuple[float, list[tuple[str, str, float]]]:
    """Weighted word overlap: 2 x matched weight / (weight of both names); each query word
    pairs with at most one word of the name, a misspelt one counting for its similarity.
    Returns the coefficient and the pairs: each query word, the name's word and their
    similarity."""
    remaining = list(name)
    matched = 0.0
    pairs: list[tuple[str, str, float]] = []
    for word in query:
        if word in remaining:
            best, score = word, 1.0
        else:
            best, score = max(
                ((other, similar.pair(word, other)) for other in remaining),
                key=lambda pair: pair[1],
                default=("", 0.0),
            )
        if score <= 0.0:
            continue
        matched += score * (weight(word) + weight(best)) / 2
        remaining.remove(best)
        pairs.append((word, best, score))
    total = sum(map(weight, query)) + sum(map(weight, name))
    return (2 * matched / total if total else 0.0, pairs)
