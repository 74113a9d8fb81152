"""The kind of a party the list does not type: a person, an organisation, or unknown.

Six of the thirteen lists of the Consolidated Screening List (EL, DPL, DTC, MEU, ISN, UVL)
leave `type` empty on every row. Such a row is a party of unknown kind unless evidence
decides, and the evidence is recorded with the kind (`Inference`). In order:

1. **typed elsewhere**: the same normalised name (words folded, in any order, so that
   "KHAN, Abdul Qadeer" is "Abdul Qadeer Khan") is typed Individual or Entity on another list
   of the same snapshot, and never both;
2. **person facts**: a date or place of birth, a citizenship or a title (`title` column);
3. **a title in the name**: "Colonel Elyazgi", "Dr. ...";
4. **organisation words**: "Co.", "Ltd", "Institute", "Bureau", "University", "GmbH", ...,
   or a digit in the name;
5. **a person-name pattern**: two to five name-like words and nothing else ("Ma Yunong",
   "Aaron De Leon", "SURNAME, Given"), no acronym among them: no word without a vowel
   ("KZ"), and, in a name written in mixed case without a comma, no word of two to four
   capitals ("AGCU Scientech", "Cybernet MEA"; the Entity List writes a person's name in
   mixed case, and a word in capitals there is an initialism), and on a list that writes
   names in mixed case (`MIXED_CASE_LISTS`), not a name wholly in capitals ("MPI VOLNA").

`python -m kg.sources.kinds CSL_FILE` measures the classifier on the rows that are typed
(SDN and the other Treasury lists): it hides the type, classifies and compares. On the 2022
CSL, type hidden: person precision 0.960 (5,201/5,418), organisation precision 0.999
(3,689/3,692), 2.1% unknown. On its untyped Denied Persons (462 rows) and Debarred Parties
(727), 1,018 rows are persons and 152 organisations by evidence, 19 unknown.
"""

import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PERSON = "person"
ORGANISATION = "org"
UNKNOWN = "party"


def _words_of(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Methods, as published with each inference (elkg:inferenceMethod).
TYPED_ELSEWHERE = "typed-elsewhere"
PERSON_FACTS = "person-facts"
TITLE_IN_NAME = "title-in-name"
ORGANISATION_WORDS = "organisation-words"
PERSON_NAME = "person-name-pattern"
METHODS = (TYPED_ELSEWHERE, PERSON_FACTS, TITLE_IN_NAME, ORGANISATION_WORDS, PERSON_NAME)

#: The CSL's `type` values that say a kind.
TYPED = {"individual": PERSON, "entity": ORGANISATION}
#: Columns only a natural person has.
PERSON_COLUMNS = ("dates_of_birth", "places_of_birth", "citizenships", "title")

#: Folded words that make a name an organisation's: legal forms (in many languages), bodies
#: of state, institutions, and the trades that company names are made of.
ORGANISATION_WORDS_SET = frozenset(
    _words_of(
        """
    co corp corporation company companies cia ltd ltda limited llc llp lp plc pllc inc
    incorporated gmbh mbh ag kg sa sas sarl srl spa sl bv nv oy oyj pte pty bhd sdn kk
    jsc ojsc cjsc pjsc oao zao pao ooo tov fzc fze fzco fzllc wll sro kft zrt sp zoo
    ao npo npp nii nipi fgup fgbu gup mup ue ip tic sti sal saog
    institute institut instituto institution university universitet universidad
    universite college academy akademiya school center centre bureau ministry department
    agency agencies office organization organisation organizacion administration authority
    directorate commission committee council corps forces army navy guard command regiment
    brigade brigades battalion police government state plant zavod factory works
    laboratory laboratories lab enterprise enterprises establishment foundation association
    society union federation group grupo gruppa holding holdings industries industry
    industrial international intl trading trade traders services service systems system
    solutions technologies technology tech techno electronics electronic electronica
    engineering logistics aviation airlines airline airways aero aerospace avia shipping
    ship ships marine maritime energy oil gas petroleum petrochemical chemical chemicals
    pharmaceutical pharmaceuticals pharma bank exchange investment investments capital
    partners resources development manufacturing manufacture products supply supplies
    import export imports exports impex global network networks telecom telecommunication
    telecommunications communications communication consulting consultants consultancy
    design research scientific science sciences production machinery machine machines
    instruments instrument components devices equipment materials metals metal steel alloy
    alloys titanium aluminium aluminum
    motors automotive automation distribution distributors marketing media construction
    mining nuclear missile missiles defense defence military security project projects firm
    hospital station airport port team front party movement fund trust charity relief
    republic province municipality municipal city county prefecture region district psb
    unit division branch optics optical photonics semiconductor semiconductors
    microelectronics micro software digital data information cloud robotics vision power
    electric electrical tools precision laser avionics aircraft space satellite radio
    technical technological innovation innovations ventures venture associates brothers
    bros sons store stores shop mart travel tours express transport transportation freight
    cargo lines navigation petro commercial commerce general hi high new sino asia euro
    america american europe overseas world worldwide pacific atlantic gulf middle east far
    center centro centr sistemy tekhnologii nauchno proizvodstvennoe obedinenie
    kompaniya obshchestvo predpriyatie kontsern concern zavody doo eu sal sae se ci
    banco banca banque fundacion fondation compania companhia corporacion consultorias
    inmobiliaria inversiones servicios comercial comercializadora distribuidora
    importadora exportadora agropecuaria ganaderia hacienda finca almacen almacenes tienda
    construcciones constructora promotora multiservicios gestores negocios financieras
    frigorifico policia nacional farm farms ranch restaurant cafe hotel mall plaza club
    lounge sushi bakery bakeries sweets megastore market supermarket safaris railway
    railways studio komerc sanat sanaye sanayi tejarat bazargani sharikat sharika shirkat
    muassasat jamaat jamiat harakat hizballah hizbullah kataib liwa jabhat tanzim jaysh
    jund islamiyah mujahidin
    ab as ad ood eood ca sac sia ev anstalt sociedad empresa consorcio compagnie
    asociacion asociacija bonyad air prison cement force properties builders engineers
    cartel lottery servicio estacion electricity generation invest games television
    money exchangers catering boutique contracting computer computers vertrieb vertriebs
    ou sftue uab scientech multicom complect display displays shipyard shipyards verf
    microsystems kompozit kimya makina ithalat lojistik gida tekstil teksti motorlari
    drone drones kiosk finance financial logic empire neft technic tec com motor nasosy
    arcade sanatgaran phase option nouvelle nouveau
    """
    )
)
#: Names of countries (as they stand in the names of branches: "Huawei France") and the
#: names of organisations our curated sources hold (84 FR 54002's 28 and Huawei): a name
#: that holds one is an organisation's.
PLACES_AND_KNOWN_ORGANISATIONS = frozenset(
    _words_of(
        """
    afghanistan algeria argentina armenia australia austria azerbaijan bahrain belarus
    belgium bolivia brasil brazil bulgaria cambodia canada chile china colombia cuba cyprus
    czech denmark ecuador egypt emirates estonia finland france georgia germany greece
    hongkong hungary india indonesia iran iraq ireland israel italia italy japan jordan
    kazakhstan kenya korea kuwait kyrgyzstan latvia lebanon libya lithuania luxembourg
    malaysia malta mexico moldova mongolia morocco myanmar nepal netherlands nigeria norway
    oman pakistan panama liban paraguay peru philippines poland portugal qatar romania russia
    saudi serbia singapore slovakia slovenia spain sudan sweden switzerland syria taiwan
    tajikistan tanzania thailand tunisia turkey turkmenistan uganda ukraine uruguay
    uzbekistan venezuela vietnam yemen zimbabwe openlab moscow beijing shanghai shenzhen
    guangzhou tianjin wuhan chengdu chongqing hangzhou nanjing harbin dalian xiamen
    xinjiang sichuan guangdong zhejiang jiangsu shaanxi hunan hubei changsha hefei
    huawei hikvision dahua iflytek megvii sensetime yitu meiya yixin
    """
    )
)
#: The lists (by the abbreviation in their name) that write names in mixed case: on the 2022
#: CSL, 1,979 of the Entity List's 2,001 names, and every name of DTC, ISN and MEU, 198 of
#: UVL's 201. A name wholly in capitals there is an acronym's or a company's, not a person's.
MIXED_CASE_LISTS = frozenset({"EL", "DTC", "ISN", "MEU", "UVL"})
_LIST_ABBREVIATION = re.compile(r"\(([A-Za-z -]+)\)")

#: Folded words before a name that make it a person's.
TITLES = frozenset(
    _words_of(
        """
    mr mrs ms miss dr prof professor colonel col general gen major maj captain capt
    lieutenant lt admiral adm brigadier commander cmdr sergeant sgt sheikh shaykh sheik
    sayyid sayed mullah imam haji hajji hadji sir madam mme dame lord judge
    """
    )
)
#: Short words inside personal names ("Aaron De Leon", "Abu Bakr al Baghdadi").
PARTICLES = frozenset(
    _words_of("al el ul bin ibn bint abu abd de da del della di du dos das van von der den la le y")
    | {"jr", "sr", "ii", "iii"}
)
_WORD = re.compile(r"[A-Za-z'][A-Za-z'\-.]*")
#: Words that join the parts of an organisation's name, never a person's.
CONNECTIVES = _words_of("in the of for and on at to with")
_DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}")
#: A dash between words ("Rostekh \u2013 Azimuth"): two names of one body.
_DASH = re.compile(r"\s[-\u2013\u2014]\s")
_VOWEL = re.compile(r"[aeiouy]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Inference:
    """A kind with how it was found: the method (one of METHODS) and its evidence in words."""

    kind: str
    method: str
    evidence: str


def fold(text: str) -> str:
    """Lower-case ASCII without accents."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def words(text: str) -> list[str]:
    """The folded words of a name; "Co., Ltd." gives co and ltd.

    >>> words("Hangzhou Hikvision Digital Technology Co., Ltd.")
    ['hangzhou', 'hikvision', 'digital', 'technology', 'co', 'ltd']
    """
    undotted = _DOTTED.sub(lambda match: match.group().replace(".", ""), text)
    return [word for word in _NON_WORD.split(fold(undotted).replace("'", "")) if word]


def name_key(name: str) -> str:
    """A name folded and its words sorted: the same party written in another order.

    >>> name_key("KHAN, Abdul Qadeer") == name_key("Abdul Qadeer Khan")
    True
    """
    return " ".join(sorted(words(name)))


def typed_names(rows: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """Name key -> kind, from the rows typed Individual or Entity (names and aliases); a key
    typed both ways is left out: it decides nothing."""
    seen: dict[str, set[str]] = {}
    for fields in rows:
        kind = TYPED.get(fields.get("type", "").strip().lower())
        if kind is None:
            continue
        for name in [fields.get("name", ""), *_aliases(fields.get("alt_names", ""))]:
            key = name_key(name)
            if key:
                seen.setdefault(key, set()).add(kind)
    return {key: next(iter(kinds)) for key, kinds in seen.items() if len(kinds) == 1}


def _aliases(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def classify(fields: Mapping[str, str], typed: Mapping[str, str] | None = None) -> Inference | None:
    """The kind of an untyped row from its evidence, or None: a party of unknown kind.

    >>> classify({"name": "Ma Yunong"}).method
    'person-name-pattern'
    >>> classify({"name": "Beijing Megvii Technology Co., Ltd."}).method
    'organisation-words'
    >>> classify({"name": "APEX"}) is None
    True
    """
    name = fields.get("name", "").strip()
    key = name_key(name)
    if typed and key in typed:
        kind = typed[key]
        label = "Individual" if kind == PERSON else "Entity"
        return Inference(
            kind, TYPED_ELSEWHERE, f'the same name is typed {label} on another list: "{name}"'
        )
    for column in PERSON_COLUMNS:
        value = fields.get(column, "").strip()
        if value:
            return Inference(PERSON, PERSON_FACTS, f'{column.replace("_", " ")} "{value}"')
    return name_kind(name, mixed_case=_writes_mixed_case(fields.get("source", "")))


def _writes_mixed_case(source: str) -> bool:
    """Whether the list `source` names writes names in mixed case.

    >>> _writes_mixed_case("Entity List (EL) - Bureau of Industry and Security")
    True
    >>> _writes_mixed_case("Denied Persons List (DPL) - Bureau of Industry and Security")
    False
    """
    found = _LIST_ABBREVIATION.search(source)
    return found is not None and found.group(1) in MIXED_CASE_LISTS


def name_kind(name: str, mixed_case: bool = False) -> Inference | None:
    """The kind the name alone shows, or None; `mixed_case` if its list writes names so."""
    folded = words(name)
    if not folded:
        return None
    dotted = _DOTTED.match(name.lstrip())  # "M.R. Ahmadi": initials, not "Mr"
    if folded[0] in TITLES and not dotted and len(folded) >= 2 and not _organisation_words(folded):
        return Inference(PERSON, TITLE_IN_NAME, f'the name "{name}" begins with a title')
    found = _organisation_words(folded)
    if found:
        quoted = ", ".join(f'"{word}"' for word in found[:3])
        return Inference(
            ORGANISATION, ORGANISATION_WORDS, f"the name has the organisation word(s) {quoted}"
        )
    if any(character.isdigit() for character in name):
        return Inference(ORGANISATION, ORGANISATION_WORDS, f'the name "{name}" holds a digit')
    count = _person_name_words(name)
    if count and not (mixed_case and name.isupper()):
        return Inference(
            PERSON,
            PERSON_NAME,
            f'the name "{name}" is {_NUMBERS[count]} name-like words and no organisation word',
        )
    return None


_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five"}


def _organisation_words(folded: list[str]) -> list[str]:
    return [
        word
        for word in folded
        if word in ORGANISATION_WORDS_SET or word in PLACES_AND_KNOWN_ORGANISATIONS
    ]


def _person_name_words(name: str) -> int:
    """How many name words the name has when it is written like a personal name, else 0:
    "Given Family" or "FAMILY, Given", two to five words, particles aside, no acronym."""
    parts = name.split(",")
    if len(parts) > 2 or any(not part.strip() for part in parts) or _DASH.search(name):
        return 0
    written = name.replace(",", " ").split()
    tokens = [fold(word) for word in written]
    if any(not _WORD.fullmatch(token) or token in CONNECTIVES for token in tokens):
        return 0
    names = [
        bare
        for bare, word in zip((token.strip("'") for token in tokens), written, strict=True)
        if bare
        # "Y" in capitals is an initial ("Vyacheslav Y Shillin"), "y" a particle
        and (bare.strip(".") not in PARTICLES or (len(word) == 1 and word.isupper()))
    ]
    if not 2 <= len(names) <= 5:
        return 0
    # Dotted capitals are initials in a name in mixed case ("M.R. Ahmadi"), and mostly a legal
    # form in one in capitals ("S.P.R. DE R.L."): the SDN's are.
    mixed = any(character.islower() for character in name)
    for token in names:
        letters = token.replace(".", "").replace("-", "").replace("'", "")
        if len(letters) == 1 or (mixed and _DOTTED.fullmatch(token)):  # "Ali M Hijazi"
            continue
        if not _VOWEL.search(letters):  # an acronym: "KZ", "NPP"
            return 0
    if _has_initialism(name):
        return 0
    full = [token.strip(".") for token in names if len(token.strip(".")) > 1]
    if len(full) < 2 or all(len(token) <= 2 for token in full):  # two names beside initials
        return 0
    return len(names)


#: Capitals that end a personal name as well as an initialism's: "Jr", "II".
_SUFFIXES = frozenset({"JR", "SR", "II", "III", "IV"})
_CAPITALS = re.compile(r"\b[A-Z]{2,4}\b")


def _has_initialism(name: str) -> bool:
    """Whether a name in mixed case, without a comma, has a word of two to four capitals.

    >>> _has_initialism("AGCU Scientech"), _has_initialism("Sergey IONOV")
    (True, False)
    >>> _has_initialism("ABDUL MAJID SAIDI"), _has_initialism("KHAN, Abdul")
    (False, False)
    """
    if "," in name or not any(character.islower() for character in name):
        return False
    return any(word not in _SUFFIXES for word in _CAPITALS.findall(name))


def evaluate(rows: Iterable[Mapping[str, str]], name_only: bool) -> dict[str, Counter[str]]:
    """Per actual kind, the kinds given to typed rows with their type hidden (and, with
    `name_only`, their person facts too: what an Entity List row looks like). Vessels and
    aircraft are left out, and so are the lists other than SDN; no evidence from other lists
    is used."""
    confusion: dict[str, Counter[str]] = {PERSON: Counter(), ORGANISATION: Counter()}
    for fields in rows:
        actual = TYPED.get(fields.get("type", "").strip().lower())
        if actual is None or not fields.get("source", "").startswith("Specially Designated"):
            continue
        hidden = {"name": fields.get("name", "")} if name_only else dict(fields, type="")
        inference = classify(hidden)
        confusion[actual][inference.kind if inference else UNKNOWN] += 1
    return confusion


def scores(confusion: Mapping[str, Counter[str]]) -> list[str]:
    """Precision and recall per kind, as lines of text."""
    lines = []
    total = sum(sum(counts.values()) for counts in confusion.values())
    for kind in (PERSON, ORGANISATION):
        given = sum(counts[kind] for counts in confusion.values())
        right = confusion[kind][kind]
        actual = sum(confusion[kind].values())
        precision = right / given if given else 0.0
        lines.append(
            f"{kind}: precision {precision:.3f} ({right}/{given}), "
            f"recall {right / actual:.3f} ({right}/{actual})"
        )
    unknown = sum(counts[UNKNOWN] for counts in confusion.values())
    lines.append(
        f"unknown: {unknown} of {total} rows ({unknown / total:.1%}); of them "
        + ", ".join(f"{confusion[kind][UNKNOWN]} {kind}" for kind in (PERSON, ORGANISATION))
    )
    return lines


def main(argv: list[str]) -> int:
    import csv
    import gzip

    if len(argv) != 1:
        print("usage: python -m kg.sources.kinds CSL_FILE.csv[.gz]", file=sys.stderr)
        return 1
    path = argv[0]
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for name_only in (False, True):
        print("name only (person facts hidden too):" if name_only else "type hidden:")
        for line in scores(evaluate(rows, name_only)):
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
