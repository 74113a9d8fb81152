"""Deterministic minting of our IRIs: the same name always gives the same IRI.

Published data has no blank nodes; every node is named here from its content.
"""

import hashlib
import re
import unicodedata

DEFAULT_BASE = "https://w3id.org/entitylist-kg/"

_NON_SLUG = re.compile(r"[^a-z0-9]+")
#: Longer slugs are cut (at a hyphen) and made unique by a digest: an IRI's last segment is
#: also a file name of the static site, and file systems refuse names over 255 bytes.
MAX_SLUG = 120


def local_name(iri: str) -> str:
    """The last part of an IRI, after its last `#` or `/`: "Party" of elkg:Party.

    >>> local_name("https://w3id.org/entitylist-kg/ontology#Party"), local_name("https://schema.org/Person")
    ('Party', 'Person')
    """
    return re.split("[#/]", iri)[-1]


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens.

    >>> slug("Hangzhou Hikvision Digital Technology Co., Ltd.")
    'hangzhou-hikvision-digital-technology-co-ltd'
    >>> slug("Xinjiang Uighur Autonomous Region (XUAR) People?s Government")
    'xinjiang-uighur-autonomous-region-xuar-people-s-government'
    >>> len(slug("Ministry of Defence of the Russian Federation, including " * 5)) <= MAX_SLUG
    True

    A name with no ASCII letter or digit is spelled in pinyin where it is Chinese, else named
    by a digest of its text, so that no published name stops a build. Names that have ASCII
    letters keep the slugs they always had: published IRIs do not change.

    >>> slug("海康威视")
    'hai-kang-wei-shi'
    >>> slug("Газпром")
    'u-5b325e08d65b'
    """
    # Imported when first needed: its dictionaries take a third of a second to load, which
    # every process that imports this module (kg serve's query workers) would pay.
    from pypinyin import lazy_pinyin

    result = _ascii_slug(text) or _ascii_slug(" ".join(lazy_pinyin(text)))
    if not result:
        return f"u-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
    if len(result) > MAX_SLUG:
        digest = hashlib.sha256(result.encode()).hexdigest()[:12]
        result = f"{result[: MAX_SLUG - 13].rsplit('-', 1)[0]}-{digest}"
    return result


def _ascii_slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-")


def dataset(base: str = DEFAULT_BASE) -> str:
    """The dataset (the series of releases) and the name of the graph that describes it."""
    return f"{base}dataset"


def entity(kind: str, name: str, base: str = DEFAULT_BASE) -> str:
    """The IRI of a thing of a kind (org, person, post, list, ...) named `name`."""
    return f"{base}id/{kind}/{slug(name)}"


def rule(citation: str, base: str = DEFAULT_BASE) -> str:
    """The IRI of a Federal Register rule, from its citation ("84 FR 54002")."""
    return f"{base}id/rule/{slug(citation)}"


def listing(list_slug: str, entity_slug: str, start: str, base: str = DEFAULT_BASE) -> str:
    """An entry of an entity on a list from a start date: re-listing gives a new IRI."""
    return f"{base}id/listing/{list_slug}/{entity_slug}/{start}"


def address(entity_iri: str, text: str) -> str:
    """An address of an entity, named by its content, so that order in a source does not matter.

    A hash IRI in the entity's document: an address is part of its entity's description
    (its page shows it, dereferencing it gives the entity's triples with the address's), not
    a resource of its own with a page.

    >>> address("https://w3id.org/entitylist-kg/id/org/acme", "1  Road, City, CN")
    'https://w3id.org/entitylist-kg/id/org/acme#address-12ade353f2e580'
    """
    normal = " ".join(text.split()).casefold()
    digest = hashlib.sha256(normal.encode("utf-8")).hexdigest()[:14]
    return f"{entity_iri}#address-{digest}"


#: Graphs of our own inferences, by name (`graph`): the kinds of untyped parties
#: (kg.sources.kinds) and what the ontology entails (kg.graph.entail). A type found only in
#: them is not stated by a source.
INFERRED_KINDS_GRAPH = "inferred-kinds"
#: Names a list damaged, repaired by us (kg.sources.names.repair_name).
REPAIRED_NAMES_GRAPH = "repaired-names"
#: Namesakes a list tells apart by entry number or date of birth, recorded by us.
NAMESAKES_GRAPH = "namesakes"
#: Citations the lists damaged, read by us (kg.citations.REPAIR_METHOD).
REPAIRED_CITATIONS_GRAPH = "repaired-citations"
#: Licence review policies, classified by us from the list's words (kg.sources.licence).
CLASSIFIED_POLICIES_GRAPH = "classified-policies"
ENTAILED_GRAPH = "entailed"
#: What the ontology entails from our inferences alone (kg.graph.entail): ours too.
ENTAILED_FROM_OURS_GRAPH = "entailed-from-ours"


def graph(source_id: str, base: str = DEFAULT_BASE) -> str:
    """The named graph of the facts drawn from one source."""
    return f"{base}graph/{source_id}"


def source(source_id: str, base: str = DEFAULT_BASE) -> str:
    """The source document itself."""
    return f"{base}id/source/{source_id}"
