"""What the codes on the pages mean, in words: programmes, countries, vocabulary terms, licences.

List names and abbreviations come from the graph (`schema:name`, `elkg:abbreviation`) and
our terms' labels from the ontology (`rdfs:label`); this module holds only what neither
carries. Every name here is shown beside its code, so a reader can check it against the
source; a code we hold no name for is shown as it was published.
"""

import re
from collections.abc import Iterable

from kg.match.countries import NAMES as COUNTRY_NAMES
from kg.vocab import PREFIXES

#: OFAC's and the State Department's programme tags as the Consolidated Screening List
#: publishes them, with the name of the programme (OFAC, "Program Tag Definitions").
PROGRAMMES = {
    "561-Related": "Iranian Financial Sanctions Regulations, section 561",
    "BALKANS": "Western Balkans stabilisation (EO 13219)",
    "BALKANS-EO14033": "Western Balkans (EO 14033)",
    "BELARUS": "Belarus (EO 13405)",
    "BELARUS-EO14038": "Belarus (EO 14038)",
    "BURMA-EO14014": "Burma (EO 14014)",
    "CAATSA - IRAN": "Countering America's Adversaries Through Sanctions Act: Iran",
    "CAATSA - RUSSIA": "Countering America's Adversaries Through Sanctions Act: Russia",
    "CAR": "Central African Republic",
    "CMIC-EO13959": "Chinese Military-Industrial Complex Companies (EO 13959, EO 14032)",
    "CUBA": "Cuban Assets Control Regulations",
    "CYBER2": "Malicious cyber-enabled activities (EO 13694, EO 13757)",
    "DARFUR": "Darfur (EO 13400)",
    "DPRK": "North Korea Sanctions Regulations",
    "DPRK-NKSPEA": "North Korea Sanctions and Policy Enhancement Act",
    "DPRK2": "North Korea (EO 13687)",
    "DPRK3": "North Korea (EO 13722)",
    "DPRK4": "North Korea (EO 13810)",
    "DRCONGO": "Democratic Republic of the Congo",
    "E.O. 12938": "Proliferation of weapons of mass destruction (EO 12938)",
    "E.O. 13382": "Proliferators of weapons of mass destruction (EO 13382)",
    "ELECTION-EO13848": "Foreign interference in US elections (EO 13848)",
    "ETHIOPIA-EO14046": "Ethiopia (EO 14046)",
    "FSE-IR": "Foreign Sanctions Evaders: Iran (EO 13608)",
    "FSE-SY": "Foreign Sanctions Evaders: Syria (EO 13608)",
    "FTO": "Foreign Terrorist Organization",
    "GLOMAG": "Global Magnitsky: human-rights abuse and corruption (EO 13818)",
    "HIFPAA": "Hizballah International Financing Prevention Amendments Act",
    "HK-EO13936": "Hong Kong normalisation (EO 13936)",
    "HRIT-IR": "Human-rights abuses through information technology: Iran (EO 13606)",
    "HRIT-SY": "Human-rights abuses through information technology: Syria (EO 13606)",
    "IFCA": "Iran Freedom and Counter-Proliferation Act",
    "IFSR": "Iranian Financial Sanctions Regulations",
    "ILLICIT-DRUGS-EO": "International illicit drug trade (EO 14059)",
    "INKSNA": "Iran, North Korea, and Syria Nonproliferation Act",
    "IRAN": "Iranian Transactions and Sanctions Regulations",
    "IRAN-CON-ARMS-EO": "Iran conventional arms (EO 13949)",
    "IRAN-EO13846": "Iran (EO 13846)",
    "IRAN-EO13871": "Iran: iron, steel, aluminium and copper sectors (EO 13871)",
    "IRAN-EO13876": "Iran: the Supreme Leader's office (EO 13876)",
    "IRAN-EO13902": "Iran: further economic sectors (EO 13902)",
    "IRAN-HR": "Iran human-rights abuses (EO 13553)",
    "IRAN-TRA": "Iran Threat Reduction and Syria Human Rights Act",
    "IRAQ2": "Iraq (EO 13315)",
    "IRAQ3": "Iraq (EO 13438)",
    "IRGC": "Islamic Revolutionary Guard Corps",
    "ISA": "Iran Sanctions Act",
    "LEBANON": "Lebanon (EO 13441)",
    "LIBYA2": "Libya (EO 13566)",
    "LIBYA3": "Libya (EO 13726)",
    "MAGNIT": "Sergei Magnitsky Rule of Law Accountability Act",
    "MALI-EO13882": "Mali (EO 13882)",
    "MBS": "Non-SDN menu-based sanctions",
    "NICARAGUA": "Nicaragua (EO 13851)",
    "NICARAGUA-NHRAA": "Nicaragua Human Rights and Anticorruption Act",
    "NPWMD": "Non-proliferation of weapons of mass destruction (EO 13382)",
    "NS-PLC": "Non-SDN Palestinian Legislative Council",
    "PEESA": "Protecting Europe's Energy Security Act",
    "PEESA-EO14039": "Protecting Europe's Energy Security Act (EO 14039)",
    "RUSSIA-EO14024": "Russia: harmful foreign activities (EO 14024)",
    "SDGT": "Specially Designated Global Terrorist (EO 13224)",
    "SDNT": "Specially Designated Narcotics Trafficker (EO 12978)",
    "SDNTK": "Foreign Narcotics Kingpin Designation Act",
    "SOMALIA": "Somalia (EO 13536)",
    "SOUTH SUDAN": "South Sudan (EO 13664)",
    "SYRIA": "Syria (EO 13338 and others)",
    "SYRIA-CAESAR": "Caesar Syria Civilian Protection Act",
    "SYRIA-EO13894": "Syria (EO 13894)",
    "TCO": "Transnational criminal organisations (EO 13581)",
    "UKRAINE-EO13660": "Ukraine (EO 13660)",
    "UKRAINE-EO13661": "Ukraine: Russian government officials and arms sector (EO 13661)",
    "UKRAINE-EO13662": "Ukraine: Russian economic sectors (EO 13662)",
    "UKRAINE-EO13685": "Crimea (EO 13685)",
    "VENEZUELA": "Venezuela (EO 13692)",
    "VENEZUELA-EO13850": "Venezuela (EO 13850)",
    "VENEZUELA-EO13884": "Venezuela: government of Venezuela (EO 13884)",
    "YEMEN": "Yemen (EO 13611)",
    "ZIMBABWE": "Zimbabwe (EO 13288)",
}

#: Terms of other vocabularies the pages show, labelled as their vocabularies label them.
TERMS = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "type",
    "http://www.w3.org/2000/01/rdf-schema#label": "label",
    "http://www.w3.org/2000/01/rdf-schema#comment": "comment",
    "http://www.w3.org/2000/01/rdf-schema#seeAlso": "see also",
    "http://www.w3.org/2002/07/owl#sameAs": "same as",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "preferred label",
    "http://www.w3.org/2004/02/skos/core#altLabel": "alternative label",
    "http://www.w3.org/2004/02/skos/core#definition": "definition",
    "http://www.w3.org/2004/02/skos/core#notation": "notation",
    "http://www.w3.org/2004/02/skos/core#inScheme": "is in scheme",
    "http://www.w3.org/2004/02/skos/core#broader": "has broader",
    "http://www.w3.org/2004/02/skos/core#topConceptOf": "is top concept in scheme",
    "http://www.w3.org/2004/02/skos/core#hasTopConcept": "has top concept",
    "http://purl.org/dc/terms/title": "title",
    "http://purl.org/dc/terms/bibliographicCitation": "bibliographic citation",
    "http://purl.org/dc/terms/license": "licence",
    "http://purl.org/dc/terms/issued": "date issued",
    "http://purl.org/dc/terms/date": "date",
    "http://purl.org/dc/terms/publisher": "publisher",
    "http://purl.org/dc/terms/creator": "creator",
    "http://purl.org/dc/terms/source": "source",
    "http://purl.org/dc/terms/identifier": "identifier",
    "http://purl.org/dc/terms/spatial": "spatial coverage",
    "http://www.w3.org/ns/prov#wasDerivedFrom": "was derived from",
    "http://www.w3.org/ns/prov#wasGeneratedBy": "was generated by",
    "http://www.w3.org/ns/prov#wasAttributedTo": "was attributed to",
    "http://www.w3.org/ns/prov#wasAssociatedWith": "was associated with",
    "http://www.w3.org/ns/prov#used": "used",
    "http://www.w3.org/ns/org#subOrganizationOf": "sub-organization of",
    "http://www.w3.org/ns/org#holds": "holds",
    "http://www.w3.org/ns/org#postIn": "post in",
    "https://schema.org/name": "name",
    "https://schema.org/alternateName": "alternate name",
    "https://schema.org/description": "description",
    "https://schema.org/url": "URL",
    "https://schema.org/address": "address",
    "https://schema.org/jobTitle": "job title",
    "https://schema.org/maintainer": "maintainer",
    "https://schema.org/about": "about",
    "https://schema.org/text": "text",
    "https://schema.org/value": "value",
    "https://schema.org/currency": "currency",
    "https://schema.org/organizer": "organizer",
    "https://schema.org/areaServed": "area served",
    "https://schema.org/parentOrganization": "parent organization",
    "https://schema.org/startDate": "start date",
    "https://schema.org/endDate": "end date",
    "https://schema.org/streetAddress": "street address",
    "https://schema.org/addressLocality": "locality",
    "https://schema.org/addressRegion": "region",
    "https://schema.org/postalCode": "postal code",
    "https://schema.org/addressCountry": "country",
}

#: The licences our sources are under, by the name their publisher gives them.
LICENCES = {
    "https://creativecommons.org/publicdomain/mark/1.0/": "Public Domain Mark 1.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
}

#: Abbreviations the lists' remarks use unexplained, as the remarks write them, with what
#: they stand for: "TDO RENEWAL ADDED" heads MAHMOUD AMINI's remarks, and no page said what a
#: TDO is (trial 41a); "F.R. NOTICE", "F.R NOTICE", "FR NOTICE" and "F.R.NOITCE" alike.
ABBREVIATIONS = {
    "TDO": (
        re.compile(r"(?<![\w.])TDO(?!\w)"),
        "temporary denial order: the Bureau of Industry and Security denies a party's export"
        " privileges for a term the order sets (at most 180 days when it is first issued),"
        " and may renew it (15 CFR 766.24). The Denied Persons List gives each order its"
        " start and end dates, which show its term (a renewal may run longer)",
    ),
    "F.R.": (
        re.compile(r"(?<![\w.])F\.?R\b\.?(?=\s?NO)"),  # NOTICE, and the list's NOITCE
        "the Federal Register, where the US government publishes its rules and notices; the"
        " documents the entry cites are in its row, each with its day of publication where known",
    ),
}


def abbreviations(texts: Iterable[str]) -> list[tuple[str, str]]:
    """The abbreviations of ABBREVIATIONS the texts use, with what each stands for, in their
    order there.

    >>> [a for a, _ in abbreviations(["TDO RENEWAL ADDED, F.R. NOTICE ADDED", "TDOS"])]
    ['TDO', 'F.R.']
    >>> [[a for a, _ in abbreviations([x])] for x in ("FR NOTICE", "F.R.NOITCE", "FR, FRANCE")]
    [['F.R.'], ['F.R.'], []]
    >>> abbreviations(["EFFECTIVE DATE CORRECTED"])
    []
    """
    said = list(texts)
    return [
        (short, meaning)
        for short, (written, meaning) in ABBREVIATIONS.items()
        if any(written.search(text) for text in said)
    ]


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def programme(code: str) -> str:
    """A programme code with its name, or the code alone where we hold none.

    >>> programme("SDGT")
    'SDGT: Specially Designated Global Terrorist (EO 13224)'
    >>> programme("Export-Import Bank Act")
    'Export-Import Bank Act'
    """
    name = PROGRAMMES.get(code)
    return f"{code}: {name}" if name else code


def country(code: str) -> str:
    """A country code as its name, with the code; text that is not a code stays as it is.
    Two capitals that name no country are said to be none: the list has "NM" where a
    country stands in an address of Anthony, New Mexico, and we do not guess.

    >>> country("DZ"), country("Meftah, Algeria"), country("NM")
    ('Algeria (DZ)', 'Meftah, Algeria', 'NM (not a country code)')
    """
    if len(code) != 2:
        return code
    name = COUNTRY_NAMES.get(code)
    if name:
        return f"{name} ({code})"
    return f"{code} (not a country code)" if code.isalpha() and code.isupper() else code


def term(iri: str, labels: dict[str, str]) -> str:
    """A property or class in words: its label in the graph, a vocabulary's, or its name in
    words ("bibliographicCitation" reads "bibliographic citation").

    >>> term("https://schema.org/postalCode", {})
    'postal code'
    >>> term("https://example.org/v#someNewTerm", {})
    'some new term'
    """
    if iri in labels:
        return labels[iri]
    if iri in TERMS:
        return TERMS[iri]
    local = iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return _CAMEL.sub(" ", local).lower()


#: What the lists put among the identifiers that describes rather than identifies.
_DESCRIPTIVE = {"Gender", "Target Type", "Issuer Name"}


def note(identifier: str) -> tuple[str, str] | None:
    """An entry of the identifiers column that is a remark, as (what it is, the text); None
    for a true identifier. OFAC puts its sanctions notes there, the text first and its kind
    last, ending in a colon or a dash ("Subject to Secondary Sanctions, Additional Sanctions
    Information -"), and some descriptions ("Male, Gender").

    >>> note("Subject to Secondary Sanctions, Additional Sanctions Information -")
    ('Additional Sanctions Information', 'Subject to Secondary Sanctions')
    >>> note("section 1(b) of Executive Order 13224, as amended, Secondary sanctions risk:")
    ('Secondary sanctions risk', 'section 1(b) of Executive Order 13224, as amended')
    >>> note("Male, Gender"), note("CN, 91110000MA005UCQ5P, Unified Social Credit Code (USCC)")
    (('Gender', 'Male'), None)

    The lists of 2023 print the kind first, "Secondary sanctions risk:, Ukraine-/Russia-
    Related Sanctions Regulations, ..." (377 parties of the subset of 2023-11-30 read as
    identifiers: trial 55b):

    >>> note("Secondary sanctions risk:, Ukraine-/Russia-Related Sanctions Regulations, 31 CFR")
    ('Secondary sanctions risk', 'Ukraine-/Russia-Related Sanctions Regulations, 31 CFR')
    >>> note("Target Type, Public Company"), note("Tax ID No., 7706061801, RU")
    (('Target Type', 'Public Company'), None)
    """
    text, _, kind = identifier.rpartition(",")
    if text.strip() and _is_note_kind(kind.strip()):
        return kind.strip().rstrip(":-").strip(), text.strip()
    kind, _, text = identifier.partition(",")
    if text.strip() and _is_note_kind(kind.strip()):
        return kind.strip().rstrip(":-").strip(), text.strip()
    return None


def _is_note_kind(kind: str) -> bool:
    """Whether a part of an identifier names a remark's kind: a sanctions note's ends in a
    colon or a dash, or is "... Information"; a description's is one of _DESCRIPTIVE."""
    return (
        kind.endswith((":", " -")) or kind.lower().endswith("information") or kind in _DESCRIPTIVE
    )


def licence(iri: str) -> str:
    """A licence by the name its publisher gives it, or its IRI.

    >>> licence("https://creativecommons.org/licenses/by/4.0/")
    'CC BY 4.0'
    """
    return LICENCES.get(iri, iri)


_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"


def outside(iri: str) -> str:
    """An outside IRI that no label names, as a reader would write it: a web page by its
    address without the scheme (the lists' "http://bit.ly/1MLgpye" read "1MLgpye" on 10,026
    pages, the Federal Register's page of a rule its slug), a media type by its name, a
    vocabulary's term by its own.

    >>> outside("http://bit.ly/1MLgpye"), outside(_MEDIA_TYPES + "text/turtle")
    ('bit.ly/1MLgpye', 'text/turtle')
    >>> outside("http://rdfs.org/ns/void#Dataset"), outside("http://spdx.org/rdf/terms#Checksum")
    ('Dataset', 'Checksum')
    """
    if iri.startswith(_MEDIA_TYPES):
        return iri.removeprefix(_MEDIA_TYPES)
    if "#" in iri or any(iri.startswith(namespace) for namespace in PREFIXES.values()):
        return last_segment(iri)
    return re.sub(r"^[a-z]+://", "", iri).rstrip("/") or iri


def last_segment(iri: str) -> str:
    """An IRI's last path segment or fragment, its local name ("…/void#Dataset": Dataset)."""
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri


def money(amount: float, currency: str | None) -> str:
    """An amount as a reader says it.

    >>> money(42e9, "USD"), money(3.2e9, "USD"), money(450e6, "CNY"), money(12500, "USD")
    ('$42 billion', '$3.2 billion', 'CNY 450 million', '$12,500')
    """
    sign = "$" if currency == "USD" else f"{currency} " if currency else ""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(amount) >= size:
            return f"{sign}{amount / size:,.1f}".removesuffix(".0") + f" {word}"
    return f"{sign}{amount:,.0f}"
