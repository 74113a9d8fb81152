"""How to cite a page of the dataset: a line of text and a BibTeX entry."""

from dataclasses import dataclass

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


@dataclass(frozen=True, kw_only=True)
class Citation:
    """A page's citation with its label apart, which the page marks as the cited title; the
    page's script (static/cite.js) writes the BibTeX entry from it, under `key`."""

    before: str
    label: str
    after: str
    key: str

    def __str__(self) -> str:
        return f"{self.before}“{self.label}”{self.after}"


def citation(iri: str, label: str, spec: DatasetSpec, date: str) -> Citation:
    """
    >>> from types import SimpleNamespace
    >>> spec = SimpleNamespace(title="KG", version="1.0", publisher="Us")
    >>> str(citation("https://example.org/id/org/x", "X", spec, "2026-11-24"))
    'Us. “X”. KG, version 1.0, 2026-11-24. https://example.org/id/org/x'
    """
    return Citation(
        before=f"{spec.publisher}. ",
        label=label,
        after=f". {spec.title}, version {spec.version}, {date}. {iri}",
        key=bibtex_key(iri),
    )


def bibtex_key(iri: str) -> str:
    parts = iri.rstrip("/").split("/")
    return "elkg-" + slug("-".join(parts[-2:]))[:60]


def bibtex(iri: str, label: str, spec: DatasetSpec, date: str, accessed: str) -> str:
    """The BibTeX entry of a page, as static/cite.js writes it in the browser from the page's
    citation (the tests hold the two to the same text): `date` is the release's, `accessed`
    the day the page was read (biblatex's `urldate`, which was the release's date)."""
    key = bibtex_key(iri)
    return (
        f"@misc{{{key},\n"
        f"  title = {{{_escape(label)}}},\n"
        f"  author = {{{{{_escape(spec.publisher)}}}}},\n"
        f"  howpublished = {{\\url{{{iri}}}}},\n"
        f"  note = {{{_escape(spec.title)}, version {_escape(spec.version)}}},\n"
        f"  year = {{{date[:4]}}},\n"
        f"  date = {{{date}}},\n"
        f"  urldate = {{{accessed}}}\n"
        "}"
    )
