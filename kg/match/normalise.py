"""Names in every script, reduced to comparable tokens: the one place that says how.

A name becomes a `Form`: its words folded (case, diacritics, punctuation, apostrophes and the
CSL's `?` damage, runs of initials), transliterated to Latin where written in another script
(Cyrillic, Arabic, Greek, ... through anyascii; Chinese through pinyin and a glossary of
administrative and company words), legal forms set apart ("Co., Ltd.", "OOO", "GmbH"), and
spelling variants of one place name made one word (Kashgar and Kashi, Urumqi and Wulumuqi).
Chinese characters are also kept as they are, for matching Chinese against Chinese.

The matcher (`kg.match.index`) and, later, an identity resolver read names only through here,
so that a query and the list are always folded the same way.
"""

import re
import unicodedata
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import opencc
from anyascii import anyascii
from pypinyin import Style, lazy_pinyin

from kg.match.countries import code

#: Romanisations of one place name (Uyghur-derived, pinyin, older forms), one class a line;
#: the first word of each class is the one every other is read as.
VARIANTS: tuple[tuple[str, ...], ...] = (
    ("urumqi", "wulumuqi", "urumchi"),
    ("kashgar", "kashi", "kashkar"),
    ("uighur", "uyghur", "uigur", "weiwuer"),
    ("xinjiang", "sinkiang"),
    ("turpan", "turfan", "tulufan"),
    ("hotan", "hetian", "khotan"),
    ("aksu", "akesu", "aqsu"),
    ("karamay", "kelamayi", "qaramay"),
    ("altay", "aletai"),
    ("ili", "yili"),
    ("kumul", "hami", "qumul"),
    ("bortala", "boertala"),
    ("tumxuk", "tumushuke"),
    ("kezilsu", "kezilesu", "kizilsu"),
    ("bayingolin", "bayinguoleng"),
    ("municipal", "municipality", "city"),
    ("technology", "technologies", "tech"),
    # An airline's word: "Mahan Airways" scored 0.50 against the SDN's MAHAN AIR (trial 37).
    ("airlines", "airline", "airways", "air"),
    ("prefecture", "district"),  # two renderings of 地区
    ("changji", "sanji"),
)

#: Arabic and Persian names as the lists romanise them (every spelling here but a few a
#: reader types, hizbollah, is in the 2022 CSL; Muhammad in eight): one word to the name
#: search, so that "muhammad" finds MOHAMMAD, Haji Baz (kg.match.words). Screening reads
#: them as near, not as one (`SPELT`), so that it says they are spelt differently: an edit
#: distance missed most (Mohammed and Muhammad are two edits apart).
SPELLINGS: tuple[tuple[str, ...], ...] = (
    ("muhammad", "mohammad", "mohammed", "mohamed", "mohamad", "muhammed", "muhamad", "muhamed"),
    ("ahmad", "ahmed"),
    ("husayn", "hussein", "hossein", "hosein", "hussain", "hussayn", "husain", "hoseyn"),
    ("hasan", "hassan"),
    ("yusuf", "yousef", "youssef", "yusef", "yousuf", "yosef", "yussef", "yosuf"),
    ("abdullah", "abdallah", "abdulla", "abdalla", "abdulah"),
    ("mustafa", "mustapha", "moustapha"),
    ("usama", "osama"),
    ("umar", "omar"),
    ("uthman", "othman", "osman"),
    ("qaida", "qaeda"),
    ("hizballah", "hezbollah", "hizbullah", "hizbulah", "hezballah", "hizbollah", "hisbollah"),
    ("khalid", "khaled"),
    ("ibrahim", "ebrahim"),
    ("mahmud", "mahmoud", "mahmood", "mehmood", "mahmod"),
    ("qasim", "qassim", "kassem", "qasem", "qassem"),
    ("sulayman", "sulaiman", "suleiman", "solaiman", "suleyman", "suleman", "soleiman"),
    ("walid", "waleed"),
    ("rashid", "rasheed", "rashed"),
    ("ladin", "laden"),
)
#: Each spelling -> the other spellings of its name.
SPELT: dict[str, frozenset[str]] = {
    word: frozenset(group) - {word} for group in SPELLINGS for word in group
}

#: The endings by which romanisations write a name's final ta marbuta (Haniyeh, Haniyah,
#: Haniya), after a stem of STEM_FROM letters or more.
ENDINGS, STEM_FROM = ("eh", "ah", "a"), 4


def ending_spellings(word: str) -> frozenset[str]:
    """The word with the other endings of a final ta marbuta: the PLC's HANIYA, Ismail was
    not found for "Ismail Haniyeh", as the SDN writes him (trial 36).

    >>> sorted(ending_spellings("haniyeh")), ending_spellings("hamas")
    (['haniya', 'haniyah'], frozenset())
    """
    for ending in ENDINGS:
        stem = word.removesuffix(ending)
        if stem != word and len(stem) >= STEM_FROM and stem[-1] not in "aeh":
            return frozenset(stem + other for other in ENDINGS if other != ending)
    return frozenset()


def known_spelling(word: str, other: str) -> bool:
    """Whether two words are spellings of one name that the matcher knows (SPELT and
    ending_spellings), said to be spelt differently, never mistyped."""
    return other in SPELT.get(word, ()) or other in ending_spellings(word)


#: Legal forms and company-type words, as folded tokens. They are kept apart from a name's
#: distinctive words: "Hikvision Co., Ltd." and "Hikvision" are the same name, nearly.
LEGAL_FORMS = frozenset(
    [
        "co",
        "ltd",
        "limited",
        "company",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "llc",
        "llp",
        "lp",
        "plc",
        "pllc",
        "gmbh",
        "mbh",
        "ag",
        "kg",
        "ohg",
        "ug",
        "ev",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "sl",
        "bv",
        "nv",
        "ab",
        "oy",
        "oyj",
        "as",
        "asa",
        "aps",
        "sro",
        "zoo",
        "ooo",
        "oao",
        "zao",
        "pao",
        "ao",
        "jsc",
        "ojsc",
        "cjsc",
        "pjsc",
        "tov",
        "pat",
        "fgup",
        "gup",
        "mup",
        "nko",
        "ltda",
        "eireli",
        "cia",
        "pte",
        "pvt",
        "pty",
        "bhd",
        "sdn",
        "tbk",
        # Perseroan Terbatas, Indonesia's limited company: "Huawei Tech Investment, PT" was
        # 0.68 for "Huawei Tech Investment", the form read as a word of the name (52a).
        "pt",
        "fze",
        "fzc",
        "fzco",
        "fzllc",
        "dmcc",
        "wll",
        "spc",
        "saog",
        "saoc",
        "kft",
        "zrt",
        "nyrt",
        "doo",
        "dd",
        "ad",
        "ead",
        "eood",
        "ood",
        "sp",
        "sc",
        "scs",
        "snc",
        "sca",
        "kk",
        "yk",
        "gk",
        "cv",
        "sad",
        "ek",
    ]
)

#: Chinese words that are translated rather than spelled in pinyin, longest first when read:
#: "喀什地区公安局" is "kashi prefecture public security bureau", which the list spells
#: "Kashgar Prefecture Public Security Bureau". Place names stay pinyin, read as one word.
GLOSSARY: dict[str, str] = {
    "股份有限公司": "co ltd",
    "有限责任公司": "co ltd",
    "有限公司": "co ltd",
    "集团": "group",
    "公司": "company",
    "公安局": "public security bureau",
    "公安厅": "public security bureau",
    "自治区": "autonomous region",
    "自治州": "autonomous prefecture",
    "自治县": "autonomous county",
    "人民政府": "peoples government",
    "政府": "government",
    "地区": "prefecture",
    "市": "municipal",
    "省": "province",
    "县": "county",
    "警察学院": "police college",
    "学院": "college",
    "大学": "university",
    "研究所": "research institute",
    "研究院": "research institute",
    "研究": "research",
    "中心": "center",
    "生产建设兵团": "production and construction corps",
    "维吾尔": "uighur",
    "蒙古": "mongolian",
    "哈萨克": "kazakh",
    "柯尔克孜": "kyrgyz",
    "回族": "hui",
    "科学技术": "science and technology",
    "科技": "science technology",
    "技术": "technology",
    "信息": "information",
    "数字": "digital",
    "开发": "development",
    "网络": "network",
    "电子": "electronics",
    "通信": "communication",
    "工业": "industry",
    "工程": "engineering",
    "国际": "international",
    "贸易": "trading",
    "进出口": "import export",
    "控股": "holdings",
    "航空": "aviation",
    "航天": "aerospace",
    "半导体": "semiconductor",
    "设备": "equipment",
    "仪器": "instrument",
    "中国": "china",
    "北京": "beijing",
    "上海": "shanghai",
    "杭州": "hangzhou",
    "深圳": "shenzhen",
    "广州": "guangzhou",
    "天津": "tianjin",
    "厦门": "xiamen",
    "南京": "nanjing",
    "武汉": "wuhan",
    "成都": "chengdu",
    "西安": "xian",
    "浙江": "zhejiang",
    "江苏": "jiangsu",
    "广东": "guangdong",
    "新疆": "xinjiang",
    "香港": "hong kong",
}
_GLOSSARY_LONGEST = max(len(word) for word in GLOSSARY)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
#: An apostrophe, or the `?` the CSL has where a non-ASCII letter was, inside a word.
_INNER_MARK = re.compile("(?<=\\w)['\u2019\u2018`\u00b4?](?=\\w)")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Form:
    """A name, ready to compare: distinctive words, legal forms, and its Chinese characters."""

    tokens: tuple[str, ...]  # distinctive words, in order, variants made one
    legal: tuple[str, ...]  # legal-form words set apart
    cjk: str  # the name's Chinese characters, in their simplified forms ("" if none)
    translated: bool  # tokens come from Chinese (pinyin and glossary): an approximation
    # The distinctive words as written, before variants were made one ("technologies"
    # where tokens have "technology"); none where unknown (an index written before).
    spelt: tuple[str, ...] = ()
    # The words of a name asked that name a place (MatchIndex.placed): a query's only.
    places: tuple[str, ...] = ()

    @property
    def folded(self) -> str:
        """Every word, legal forms included: equal for names that differ only in writing."""
        return " ".join((*self.tokens, *self.legal))

    @property
    def joined(self) -> str:
        """The distinctive words run together: "Hik Vision" and "Hikvision" are one."""
        return "".join(self.tokens)


class Variants:
    """Words that are spellings of one another, joined into classes (union-find)."""

    def __init__(self, groups: Iterable[Sequence[str]] = VARIANTS) -> None:
        self._parent: dict[str, str] = {}
        for group in groups:
            for word in group[1:]:
                self.join(group[0], word)

    def _root(self, word: str) -> str:
        while self._parent.get(word, word) != word:
            word = self._parent[word]
        return word

    def join(self, first: str, second: str) -> None:
        a, b = self._root(first), self._root(second)
        if a != b:
            self._parent[b] = a  # the first class's word stays the name of the class

    def canonical(self, word: str) -> str:
        return self._root(word)


DEFAULT_VARIANTS = Variants()


def fold(text: str) -> list[str]:
    """Latin words without case, diacritics, punctuation; other scripts transliterated.

    >>> fold("Ürümqi  Municipal P.S.B.")
    ['urumqi', 'municipal', 'psb']
    >>> fold("People?s Government")
    ['peoples', 'government']
    >>> fold("\u041e\u041e\u041e \u0420\u043e\u043c\u0430\u0448\u043a\u0430")  # Cyrillic
    ['ooo', 'romashka']
    """
    text = unicodedata.normalize("NFKC", text)
    text = _INNER_MARK.sub("", text)
    if not text.isascii():
        text = _CJK_RUN.sub(lambda run: f" {_pinyin(run.group())} ", text)
        decomposed = unicodedata.normalize("NFKD", text)
        text = anyascii("".join(c for c in decomposed if not unicodedata.combining(c)))
    return _join_initials(_WORD.findall(text.casefold()))


def _join_initials(words: list[str]) -> list[str]:
    """Runs of single letters are one word: "P.S.B." is "psb", "S.A." is "sa"."""
    out: list[str] = []
    run = ""
    for word in words:
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            out.append(run)
            run = ""
        out.append(word)
    if run:
        out.append(run)
    return out


def _pinyin(run: str) -> str:
    """Chinese characters as words: glossary words translated, the rest pinyin, run together.

    >>> _pinyin("喀什地区公安局")
    'kashi prefecture public security bureau'
    """
    return " ".join(
        english or "".join(lazy_pinyin(text, style=Style.NORMAL))
        for text, english in _segments(run)
    )


def _segments(run: str) -> list[tuple[str, str]]:
    """Chinese characters cut into glossary words (with their English) and the runs of
    characters between them (with ""), longest glossary word first."""
    segments: list[tuple[str, str]] = []
    plain = ""
    position = 0
    while position < len(run):
        for size in range(min(_GLOSSARY_LONGEST, len(run) - position), 0, -1):
            english = GLOSSARY.get(run[position : position + size])
            if english:
                break
        else:
            plain += run[position]
            position += 1
            continue
        if plain:
            segments.append((plain, ""))
            plain = ""
        segments.append((run[position : position + size], english))
        position += size
    if plain:
        segments.append((plain, ""))
    return segments


@lru_cache(maxsize=4096)
def trade_name(cjk: str) -> str:
    """The distinctive part of a Chinese name: its characters outside the glossary's place
    names, trades and legal forms. A Chinese company's registered name is place, trade name
    (字号), trade, legal form, and people name the company by its trade name alone.

    >>> trade_name("杭州海康威视数字技术股份有限公司")
    '海康威视'
    >>> trade_name("北京市商汤科技开发有限公司")
    '商汤'
    """
    return "".join(text for text, english in _segments(cjk) if not english)


@lru_cache(maxsize=65536)
def form(text: str, variants: Variants = DEFAULT_VARIANTS) -> Form:
    """The comparable form of a name.

    >>> form("Hangzhou Hikvision Digital Technology Co., Ltd.")
    Form(tokens=('hangzhou', 'hikvision', 'digital', 'technology'), legal=('co', 'ltd'), \
cjk='', translated=False, spelt=('hangzhou', 'hikvision', 'digital', 'technology'), places=())
    >>> kashi = form("Kashi Prefecture PSB")
    >>> kashi.tokens, kashi.spelt
    (('kashgar', 'prefecture', 'psb'), ('kashi', 'prefecture', 'psb'))
    >>> form("乌鲁木齐市公安局").tokens
    ('urumqi', 'municipal', 'public', 'security', 'bureau')
    """
    if has_cjk(text):
        text = simplified(text)
    text = without_notes(text)
    written = fold(text)
    words = [variants.canonical(word) for word in written]
    tokens = tuple(word for word in words if word not in LEGAL_FORMS)
    legal = tuple(word for word in words if word in LEGAL_FORMS)
    spelt = tuple(w for w, word in zip(written, words, strict=True) if word not in LEGAL_FORMS)
    if not tokens:  # a name that is all legal form ("Company Limited") keeps its words
        tokens, legal, spelt = legal, (), tuple(written)
    cjk = "".join(_CJK.findall(text))
    return Form(tokens, legal, cjk, translated=bool(cjk), spelt=spelt)


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional Chinese characters in their simplified forms (OpenCC's conversion), as
    the lists and our glossary write them: 華為技術有限公司, as Hong Kong and Taiwan write
    Huawei's name, scored 0.59 against 华为技术有限公司 (trial 35).

    >>> simplified("華為技術有限公司"), simplified("海康威視 Hikvision")
    ('华为技术有限公司', '海康威视 Hikvision')
    """
    converted: str = _to_simplified().convert(text)
    return converted


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


#: Scripts that leave most vowels unwritten: Hebrew, Arabic (Persian, Urdu), Syriac.
_ABJAD = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def unvowelled(text: str) -> bool:
    """Whether a name is written in a script that leaves vowels out, which anyascii reads
    letter for letter: "حزب الله" is "hzb llh", no listed spelling of Hezbollah.

    >>> unvowelled("حزب الله"), unvowelled("Hezbollah"), unvowelled("Путин")
    (True, False, False)
    """
    return _ABJAD.search(text) is not None


def letter_for_letter(name: str) -> str:
    """What to tell a screener of a name in such a script (none for any other): that it was
    read letter for letter, as what, and what to do. Said, not left to an empty answer:
    حزب الله found nothing, unsaid, on the screen page (trial 26) and in kg screen.

    >>> letter_for_letter("Hezbollah")
    ''
    >>> letter_for_letter("حزب الله")[:60]
    'a name in Arabic, Persian or Hebrew script is read letter fo'
    """
    if not unvowelled(name):
        return ""
    return (
        "a name in Arabic, Persian or Hebrew script is read letter for letter, without the "
        f"vowels the script leaves unwritten (“{name}” as “{' '.join(fold(name))}”), so it "
        "finds a listed Latin spelling only by chance: screen the Latin spelling too"
    )


#: How a name in a listed name's closing bracket is said (`parts`).
BRACKETED = "in its bracket"
_TRAILING_BRACKET = re.compile(r"^(.*\S)\s*\(([^()]+)\)\s*$")
_KNOWN_AS = re.compile(r"^(?:[fa]\.?k\.?a\.?|formerly|also known as)\s+", re.IGNORECASE)


#: How a listed name is said without the place it ends with (`without_place`).
WITHOUT_PLACE = "without its place"


def without_place(text: str, places: Container[str]) -> str | None:
    """The name before a place the list writes after its legal form: "Huawei Device (Hong
    Kong) Co., Limited, Tsim Sha Tsui" is the company "Huawei Device (Hong Kong) Co.,
    Limited" at Tsim Sha Tsui, and asked by that name it ranked below its parent (0.79 to
    0.80). A place is a country or one of `places`, folded: the localities and regions of
    the listed addresses. Not a unit after its parent's name ("Tactical Missile
    Corporation, Raduga Design Bureau"), which is no place.

    >>> without_place("Huawei Device (Hong Kong) Co., Limited, Tsim Sha Tsui", {"tsim sha tsui"})
    'Huawei Device (Hong Kong) Co., Limited'
    >>> without_place("Huawei Global Finance (UK) Limited, Great Britain", set())
    'Huawei Global Finance (UK) Limited'
    >>> without_place("Tactical Missile Corporation, Raduga Design Bureau", {"moscow"}) is None
    True
    >>> without_place("Zhejiang Dahua Technology, Hangzhou", {"hangzhou"}) is None  # no form
    True
    """
    head, comma, tail = text.rpartition(",")
    words, place = fold(head), " ".join(fold(tail))
    if not comma or not words or words[-1] not in LEGAL_FORMS or not place:
        return None
    return head.strip() if place in places or code(place) else None


#: What a bracket after a company's name holds that is part of its legal form, not a name:
#: "S.A.L. (Offshore)" and "(Holding)", Lebanese forms, and "(Group)" ("CCCC Dredging
#: (Group)"), read as the aliases "Offshore", "Holding" and "Group" that "Group Ltd" and
#: "Offshore Ltd" matched at 0.98 to 1.0 (trial 43a).
BRACKETED_FORMS = LEGAL_FORMS | {
    *("group", "holding", "holdings", "offshore", "off", "shore", "private", "pvt", "pty")
}
#: How a bracket that is a remark begins: "(including power plants)", "(ALL OF PRECEDING
#: LOCATED IN OR NEAR MIANYANG...)" were aliases that "Including Power Plants" matched at
#: 0.74 (trial 43a).
BRACKETED_NOTE = re.compile(r"(?:including|incl\b|all of|located|see)\b", re.IGNORECASE)
_NOTE_BRACKET = re.compile(rf"\(\s*(?:{BRACKETED_NOTE.pattern})[^()]*\)", re.IGNORECASE)


def without_notes(text: str) -> str:
    """The name without its brackets that are remarks, wherever they are: "Including Power
    Plants" matched at 0.74, every word of it within a name that holds "(including power
    plants)" mid-name (trial 44). A name that is nothing but a remark is kept.

    >>> without_notes("Nuclear reactors (including power plants) not under IAEA safeguards")
    'Nuclear reactors not under IAEA safeguards'
    >>> without_notes("(see Lista Negra)")
    '(see Lista Negra)'
    """
    bare = " ".join(_NOTE_BRACKET.sub(" ", text).split())
    return bare if fold(bare) else text


def parts(text: str, places: Container[str] = ()) -> list[tuple[str, str]]:
    """Names a name holds besides itself: the text before a closing bracket, and the
    bracketed part where it is a name ("(Huawei)", "(f.k.a. Gaztelekom)", an acronym of
    four letters or more) rather than a note ("(a subordinate institute of CETC-7)") or a
    place: a country, or one of `places` (folded; see `without_place`). "Corad Technology
    Ltd. (Shenzhen)" gave the alias "Shenzhen", which "Shenzhen Technology Co., Ltd."
    matched at 0.72 (trial 41).

    >>> parts("Huawei Technologies Co., Ltd. (Huawei)")
    [('Huawei Technologies Co., Ltd.', 'without its bracket'), ('Huawei', 'in its bracket')]
    >>> parts("Aerospace Industries Organization (AIO)")
    [('Aerospace Industries Organization', 'without its bracket')]
    >>> parts("Corad Technology Ltd. (Shenzhen)", {"shenzhen"})
    [('Corad Technology Ltd.', 'without its bracket')]
    >>> parts("Huawei Technologies Japan K.K. (Japan)")
    [('Huawei Technologies Japan K.K.', 'without its bracket')]
    >>> parts("GOLDEN FISH S.A.L. (OFFSHORE)"), parts("CCCC Dredging (Group)")[1:]
    ([('GOLDEN FISH S.A.L.', 'without its bracket')], [])
    >>> parts("Department of Atomic Energy entities (including power plants)")[1:]
    []
    """
    found = _TRAILING_BRACKET.match(text)
    if not found:
        return []
    before, inside = found.group(1).strip(" ,;"), found.group(2).strip()
    result = [(before, "without its bracket")] if len(fold(before)) else []
    named = _KNOWN_AS.sub("", inside)
    place = " ".join(fold(inside))
    if place in places or code(place) or set(fold(inside)) <= BRACKETED_FORMS:
        return result
    if BRACKETED_NOTE.match(inside):
        return result
    if named != inside or (inside[:1].isupper() and sum(c.isalpha() for c in inside) >= 4):
        result.append((named, BRACKETED))
    return result
