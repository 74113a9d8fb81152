"""The JSON-LD each page embeds: its resource in schema.org terms, for search engines and tools."""

from typing import Any

from kg import iris
from kg.site.context import Release
from kg.site.pages import Facts

SCHEMA = "https://schema.org/"
ELKG = "https://w3id.org/entitylist-kg/ontology#"
TYPES = {
    f"{ELKG}Company": "Corporation",
    f"{ELKG}PublicSecurityBureau": "GovernmentOrganization",
    f"{ELKG}PoliceCollege": "CollegeOrUniversity",
    f"{ELKG}Agency": "GovernmentOrganization",
    f"{ELKG}GovernmentBody": "GovernmentOrganization",
    f"{ELKG}NewsOrganization": "NewsMediaOrganization",
    f"{ELKG}Person": "Person",
}


def _values(facts: Facts, iri: str, *predicates: str) -> list[str]:
    return sorted({v.text for p, v in facts.out.get(iri, ()) if p in predicates})


def describe(iri: str, kind: str, facts: Facts, release: Release) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@context": "https://schema.org",
        "@id": iri,
        "name": facts.label(iri),
        "url": iri,
    }
    if kind in ("org", "person"):
        types = [TYPES[t] for t in facts.types(iri) if t in TYPES]
        node["@type"] = types[0] if types else ("Person" if kind == "person" else "Organization")
        node["alternateName"] = [
            n
            for n in _values(facts, iri, SCHEMA + "alternateName", ELKG + "transliteration")
            if n != node["name"]
        ]
        node["sameAs"] = _values(facts, iri, "http://www.w3.org/2002/07/owl#sameAs")
        node["address"] = _addresses(facts, iri)
        node["areaServed"] = _values(facts, iri, ELKG + "country")
    elif kind == "rule":
        node["@type"] = "Legislation"
        node["legislationIdentifier"] = _values(
            facts, iri, "http://purl.org/dc/terms/bibliographicCitation"
        )
        node["datePublished"] = _values(facts, iri, ELKG + "publicationDate")
        node["legislationDate"] = _values(facts, iri, ELKG + "effectiveDate")
    elif kind == "statement" and iri in facts.statements:
        statement = facts.statements[iri]
        node.update(
            {
                "@type": "Quotation" if statement.verbatim else "CreativeWork",
                "text": statement.text,
                "inLanguage": statement.language,
                "creator": {"@id": statement.speaker, "name": facts.label(statement.speaker)},
                "dateCreated": statement.date,
                "isBasedOn": statement.source,
            }
        )
    elif kind == "rationale":
        node.update(
            {
                "@type": "DefinedTerm",
                "description": " ".join(
                    _values(facts, iri, "http://www.w3.org/2004/02/skos/core#definition")
                ),
            }
        )
    else:
        node["@type"] = "CreativeWork" if kind == "source" else "Thing"
    node["isPartOf"] = {
        "@type": "Dataset",
        "name": release.spec.title,
        "version": release.spec.version,
    }
    return {key: value for key, value in node.items() if value not in (None, [], "")}


#: A PostalAddress's parts, from the address's own: the parts the CSL's one line could be
#: split into, or else the line as published as its street address.
PARTS = {
    "streetAddress": SCHEMA + "streetAddress",
    "addressLocality": SCHEMA + "addressLocality",
    "addressRegion": SCHEMA + "addressRegion",
    "postalCode": SCHEMA + "postalCode",
    "addressCountry": ELKG + "country",
}


def _addresses(facts: Facts, iri: str) -> list[dict[str, str]]:
    found = []
    for predicate, value in facts.out.get(iri, ()):
        if predicate != ELKG + "address" or not value.iri:
            continue
        parts = {key: " ".join(_values(facts, value.iri, p)) for key, p in PARTS.items()}
        address = {key: text for key, text in parts.items() if text}
        if set(address) <= {"addressCountry"}:  # not split: the line as published
            address["streetAddress"] = " ".join(_values(facts, value.iri, ELKG + "fullAddress"))
        found.append({"@type": "PostalAddress", **address})
    return sorted(found, key=lambda a: sorted(a.items()))


def dataset(release: Release, base: str) -> dict[str, Any]:
    spec = release.spec
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": iris.dataset(base),
        "name": spec.title,
        "description": spec.description,
        "version": spec.version,
        "license": spec.licence,
        "url": spec.homepage,
        "keywords": list(spec.keywords),
        "dateModified": release.date,
        "creator": {"@type": "Organization", "name": spec.publisher},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": dump.title,
                # What the file is: a gzip file (schema.org has no compressFormat; the name
                # says what it holds, as the description's dcat:mediaType does).
                "encodingFormat": "application/gzip" if dump.compressed else dump.media_type,
                "contentUrl": f"{base}dumps/{dump.name}",
                "contentSize": dump.size,
                "sha256": dump.sha256,
            }
            for dump in release.downloads
        ],
    }
