"""The one Jinja2 environment: autoescaped, strict about undefined values."""

import re
from pathlib import Path
from typing import TypeVar, cast

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape

from kg.config import PROJECT_DIR
from kg.site import federal_register

SITE_DIR = PROJECT_DIR / "site"

#: What pages may load: no inline script anywhere (the scripts are files; JSON-LD is data).
#: The site carries it as a <meta> element, where frame-ancestors is ignored, and the server
#: and static hosts send it as a header (README, "Static hosting").
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)


# C1 control characters are forbidden in HTML; in the lists they are Windows-1252 characters
# read as Latin-1 ("Xi\x92an" for "Xi\u2019an"), so a page shows the character they stand for
# (as browsers do for such bytes). Other control characters, which HTML and XML refuse, are
# U+FFFD. The RDF files keep the text as published.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SHOWN_AS = {c: bytes([c]).decode("cp1252", errors="replace") for c in range(0x80, 0xA0)} | {
    c: "\ufffd" for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)
}
T = TypeVar("T")


def printable(value: T) -> T:
    """A value as a page may show it: C1 controls as the Windows-1252 characters they were,
    other control characters as U+FFFD (the changes pages showed U+FFFD for "Gui\x92an",
    where its own page showed "Gui\u2019an": trial 25).

    >>> printable("Xi\x92an Aero-Engine") == "Xi\u2019an Aero-Engine", printable(7)
    (True, 7)
    >>> printable("a\x07b\x81c")
    'a\ufffdb\ufffdc'
    """
    if isinstance(value, str) and not isinstance(value, Markup) and _UNPRINTABLE.search(value):
        return cast(T, value.translate(_SHOWN_AS))
    return value


def words_reordered(was: str, name: str) -> bool:
    """Whether a name is an earlier one's words in another order, as the lists reprint a
    person's name ("HANIYA, Ismail" for "Ismail HANIYA"): no new name (trial 57b).

    >>> words_reordered("HANIYA, Ismail", "Ismail HANIYA"), words_reordered("A B", "A C")
    (True, False)
    """
    return sorted(was.casefold().replace(",", " ").split()) == sorted(
        name.casefold().replace(",", " ").split()
    )


def environment(base_iri: str, site_dir: Path = SITE_DIR) -> Environment:
    """Templates from site/templates; `local` turns one of our IRIs into a path on this host."""
    env = Environment(
        loader=FileSystemLoader(site_dir / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=printable,
    )
    env.filters["local"] = lambda iri: local_path(str(iri), base_iri)
    # JSON-LD without the spaces after separators: every page embeds its resource.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}

    @pass_context
    def href(context: Context, iri: str, suffix: str = "") -> str:
        """A link to one of our IRIs from the page, or with `suffix` to its RDF file (".ttl").

        From a page of the site (`here`), the shortest relative link; elsewhere (the
        server's own pages) `root` and the path."""
        path = site_path(iri, base_iri)
        if path is None:
            return iri
        if suffix and path.endswith(PAGE):
            path = path.removesuffix(PAGE) + suffix
        fragment = iri.partition("#")[2]  # a part of a page: an address, an ontology term
        here = context.get("here")
        link = relative(here, path) if here is not None else f"{context.get('root', '/')}{path}"
        return f"{link}{'#' + fragment if fragment else ''}"

    env.globals["href"] = href
    env.filters["days"] = whole_days
    # Our constant, not data: its quotes need no escaping inside a double-quoted attribute
    # (escaped, each page carried 40 bytes of "&#39;").
    env.globals["content_security_policy"] = Markup(CONTENT_SECURITY_POLICY)
    env.globals["site_path"] = lambda iri: site_path(iri, base_iri)
    env.globals["federal_register"] = federal_register.readings
    env.globals["words_reordered"] = words_reordered
    return env


#: A resource's page is its IRI's path with this suffix, beside its RDF files (`x.ttl`...).
PAGE = ".html"
#: What the 404 page says: the site's own 404.html, and kg serve's answer for a path the site
#: has no page for.
NO_PAGE = "There is no page at this address."


_INDENT = re.compile(r"\n\s+")
_PREFORMATTED = re.compile(r"<pre[^>]*>(?!</pre>)|<textarea")  # an empty <pre> is filled by script


def compact(html: str) -> str:
    r"""A page without the templates' indentation and blank lines (in a browser, one newline
    is as much space as a newline and an indent); a page with preformatted text as it is.

    >>> compact("<ul>\n  <li>a</li>\n\n  <li>b</li>\n</ul>")
    '<ul>\n<li>a</li>\n<li>b</li>\n</ul>'
    >>> compact("<pre>a\n  b</pre>")
    '<pre>a\n  b</pre>'
    """
    if _PREFORMATTED.search(html):
        return html
    return _INDENT.sub("\n", html)


_DAY = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")


def whole_days(text: object) -> Markup:
    r"""Text with each ISO date in it as a <time> element, which the stylesheet keeps whole: a
    narrow table cell otherwise breaks "2019-10-09" at a hyphen.

    >>> whole_days("no start date, first observed 2022-05-06 <b>")
    Markup('no start date, first observed <time>2022-05-06</time> &lt;b&gt;')
    """
    return Markup(_DAY.sub(r"<time>\g<0></time>", str(escape(printable(text)))))


def site_path(iri: str, base: str) -> str | None:
    """The page of an IRI, relative to the site root, or None.

    A file beside the resource's RDF files, not a folder of its own (`x/index.html` cost a
    4 KiB folder block per page on ext4, a third of the whole-CSL site), as static Linked
    Data publishing on w3id.org lays it out; hosts that want the IRI itself to answer add a
    rewrite rule (README, "Static hosting").

    >>> site_path("https://example.org/id/org/x#address-1", "https://example.org/")
    'id/org/x.html'
    >>> site_path("https://example.org/dumps/a.nt.gz", "https://example.org/")
    'dumps/a.nt.gz'
    >>> site_path("https://example.org/ontology#Listing", "https://example.org/")
    'ontology/'
    """
    if not iri.startswith(base) or iri == base:
        return None
    rest = iri[len(base) :].split("#", 1)[0]
    if rest.startswith("dumps/"):
        return rest  # the download files themselves, not pages about them
    if rest == "ontology":
        return "ontology/"  # one page documents every term, at the site's own page
    return f"{rest}{PAGE}" if rest else None


def relative(here: str, target: str) -> str:
    """A path of the site (`target`) as a link from the page at `here`, both from the site
    root; a folder ends in "/". The shortest link: a whole-CSL site has millions of them.

    >>> relative("id/org/x.html", "id/org/y.html"), relative("id/org/x.html", "id/org/x.ttl")
    ('y.html', 'x.ttl')
    >>> relative("id/org/x.html", "id/list/l.html"), relative("id/org/x.html", "")
    ('../list/l.html', '../../')
    >>> relative("entities/", "entities/"), relative("", "id/org/x.html")
    ('./', 'id/org/x.html')
    """
    folder = here.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < min(len(folder), len(parts) - 1) and folder[common] == parts[common]:
        common += 1
    return "../" * (len(folder) - common) + "/".join(parts[common:]) or "./"


def local_path(iri: str, base_iri: str) -> str:
    """'/id/org/x' for an IRI under our base, so that a local run can be browsed link by link."""
    return "/" + iri[len(base_iri) :] if iri.startswith(base_iri) else iri
