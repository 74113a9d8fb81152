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


def citation(iri: str, label: str, spec: DatasetSpec, date: str, dump_sha256: str = "") -> Citation:
    """
    >>> from types import SimpleNamespace
    >>> spec = SimpleNamespace(title="KG", version="1.0", publisher="Us")
    >>> str(citation("https://example.org/id/org/x", "X", spec, "2026-11-24"))
    'Us. “X”. KG, version 1.0, 2026-11-24. https://example.org/id/org/x'
    >>> str(citation("https://example.org/id/org/x", "X", spec, "2026-11-24", "3f2a9c" * 10))
    'Us. “X”. KG, version 1.0 (N-Quads SHA-256 3f2a9c3f2a9c…), 2026-11-24. https://exam...'
    """
    return Citation(
        before=f"{spec.publisher}. ",
        label=label,
        after=f". {spec.title}, {_version(spec, dump_sha256)}, {date}. {iri}",
        key=bibtex_key(iri),
    )


def _version(spec: DatasetSpec, dump_sha256: str) -> str:
    """The version, and the build by the start of its N-Quads dump's checksum: two builds of
    one day, of other snapshots, were cited alike (trial 55b)."""
    build = f" (N-Quads SHA-256 {dump_sha256[:12]}…)" if dump_sha256 else ""
    return f"version {spec.version}{build}"


def bibtex_key(iri: str) -> str:
    parts = iri.rstrip("/").split("/")
    return "elkg-" + slug("-".join(parts[-2:]))[:60]


def bibtex(
    iri: str, label: str, spec: DatasetSpec, date: str, accessed: str, dump_sha256: str = ""
) -> str:
    """The BibTeX entry of a page, as static/cite.js writes it in the browser from the page's
    citation (the tests hold the two to the same text): `date` is the release's, `accessed`
    the day the page was read (biblatex's `urldate`, which was the release's date)."""
    key = bibtex_key(iri)
    return (
        f"@misc{{{key},\n"
        f"  title = {{{_escape(label)}}},\n"
        f"  author = {{{{{_escape(spec.publisher)}}}}},\n"
        f"  howpublished = {{\\url{{{iri}}}}},\n"
        f"  note = {{{_escape(spec.title)}, {_escape(_version(spec, dump_sha256))}}},\n"
        f"  year = {{{date[:4]}}},\n"
        f"  date = {{{date}}},\n"
        f"  urldate = {{{accessed}}}\n"
        "}"
    )
