"""How to cite a page of the dataset: a line of text and a BibTeX entry."""

from kg.iris import slug
from kg.sources.catalog import DatasetSpec

_BIBTEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


def _escape(text: str) -> str:
    """Text safe inside a brace-delimited BibTeX field."""
    return "".join(_BIBTEX.get(character, character) for character in text)


def citation(iri: str, label: str, spec: DatasetSpec, date: str) -> str:
    return f"{spec.publisher}. “{label}”. {spec.title}, version {spec.version}, {date}. {iri}"


def bibtex(iri: str, label: str, spec: DatasetSpec, date: str) -> str:
    parts = iri.rstrip("/").split("/")
    key = "elkg-" + slug("-".join(parts[-2:]))[:60]
    return (
        f"@misc{{{key},\n"
        f"  title = {{{_escape(label)}}},\n"
        f"  author = {{{{{_escape(spec.publisher)}}}}},\n"
        f"  howpublished = {{\\url{{{iri}}}}},\n"
        f"  note = {{{_escape(spec.title)}, version {_escape(spec.version)}}},\n"
        f"  year = {{{date[:4]}}},\n"
        f"  urldate = {{{date}}}\n"
        "}"
    )
