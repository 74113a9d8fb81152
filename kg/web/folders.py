"""What the site holds under an address that is a folder of it, for the page that says no
page is there: a reader who shortens an entry's address to its party's folder
(`/id/listing/denied-persons-list/al-naser-wings-airlines/`) or to `/id/` met a bare
"nothing is known" with nowhere to go."""

import html
import re
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import fuzz, process

#: The most links the page gives; the rest are counted.
SHOWN = 200
PAGE = ".html"


class Under(NamedTuple):
    """What the site has under a folder's address: its pages and folders as (name, link), at
    most SHOWN; how many there are; and, for a party's folder of entries, the party's page."""

    found: list[tuple[str, str]]
    total: int
    party: str | None


def under(site_dir: Path | None, url_path: str) -> Under:
    """What the site has under its folder at `url_path`, in name order; nothing where it is
    no folder of the site.

    >>> import tempfile
    >>> site = Path(tempfile.mkdtemp())
    >>> for folder in ("id/listing/dpl/amini", "id/person", "id/org"):
    ...     (site / folder).mkdir(parents=True)
    >>> for name in ("id/person/amini.html", "id/person/amini.ttl"):
    ...     _ = (site / name).write_text("")
    >>> under(site, "/id/person").found, under(site, "/id/../..")
    ([('amini', '/id/person/amini.html')], Under(found=[], total=0, party=None))
    >>> under(site, "/id/listing/dpl/amini/").party, under(site, "/id/listing/dpl/").party
    ('/id/person/amini.html', None)
    """
    folder = _folder(site_dir, url_path)
    if site_dir is None or folder is None:
        return Under([], 0, None)
    # A page by its name alone: /id/org/ holds some 50,000 files, each stat a cost.
    found = sorted(
        (child.stem, child.name) if child.suffix == PAGE else (child.name + "/",) * 2
        for child in folder.iterdir()
        if child.suffix == PAGE or (not child.suffix and child.is_dir())
    )
    parts = [part for part in url_path.split("/") if part]
    base = "".join(f"/{part}" for part in parts) + "/"
    links = [(name, base + link) for name, link in found[:SHOWN]]
    return Under(links, len(found), _party_page(site_dir, parts))


#: The most pages a missing page's address is said to be near, and how near (rapidfuzz's
#: WRatio, 0 to 100): "hikvisoin" is 86 near "hangzhou-hikvision-digital-technology-co-ltd".
NEAREST, NEAR_ENOUGH = 5, 80


def nearest(site_dir: Path | None, url_path: str) -> list[tuple[str, str]]:
    """The pages of the folder a missing page's address is in whose names are nearest its
    own, best first: /id/org/hikvisoin said "nothing is known" and nothing else, where the
    folder holds 7,639 parties (note 54).

    >>> import tempfile
    >>> site = Path(tempfile.mkdtemp())
    >>> (site / "id/org").mkdir(parents=True)
    >>> for name in ("hangzhou-hikvision-co.html", "huawei.html", "hikvision.ttl"):
    ...     _ = (site / "id/org" / name).write_text("<title>Hikvision &amp; Co — KG</title>")
    >>> nearest(site, "/id/org/hikvisoin"), nearest(site, "/id/zzz/hikvisoin")
    ([('Hikvision & Co', '/id/org/hangzhou-hikvision-co.html')], [])
    """
    folder, _, name = url_path.rstrip("/").rpartition("/")
    where = _folder(site_dir, folder)
    stem = name.split(".", 1)[0]
    if where is None or not stem:
        return []
    pages = [child.stem for child in where.iterdir() if child.suffix == PAGE]
    found = process.extract(
        stem, pages, scorer=fuzz.WRatio, limit=NEAREST, score_cutoff=NEAR_ENOUGH
    )
    return [
        (_title(where / f"{page}{PAGE}") or page, f"{folder}/{page}{PAGE}") for page, _, _ in found
    ]


def words_of(url_path: str) -> str:
    """The words of a missing page's name, to search for: "/id/org/hikvisoin.html" ->
    "hikvisoin"; "" for an address that names no page of a party's folder.

    >>> words_of("/id/org/al-naser-wings.html"), words_of("/id/"), words_of("/about/x")
    ('al naser wings', '', '')
    >>> words_of("/id/listing/entity-list/hikvisoin/2019-10-09")  # the party's, not the day
    'hikvisoin'
    """
    parts = [part for part in url_path.split("/") if part]
    if len(parts) < 3 or parts[0] != "id":
        return ""
    name = parts[3] if parts[1] == "listing" and len(parts) > 3 else parts[-1]
    return " ".join(name.split(".", 1)[0].replace("-", " ").split())


_TITLE = re.compile(r"<title>(.*?)(?: — [^<]*)?</title>", re.S)


def _title(page: Path) -> str | None:
    """A page's title without the site's name, as its text: the 404 named a party by its
    address alone, "hangzhou-hikvision-digital-technology-co-ltd" (trial 50a)."""
    with page.open("rb") as head:
        found = _TITLE.search(head.read(4096).decode("utf-8", "replace"))
    return html.unescape(found.group(1)) if found else None


def _party_page(site_dir: Path, parts: list[str]) -> str | None:
    """The page of the party whose entries on a list a folder holds
    (/id/listing/<list>/<party>/): it lies in the folder of its kind, unknown here."""
    if len(parts) != 4 or parts[:2] != ["id", "listing"]:
        return None
    kinds = sorted(k.name for k in (site_dir / "id").iterdir() if k.name != "listing")
    found = (f"/id/{kind}/{parts[3]}{PAGE}" for kind in kinds)
    return next((link for link in found if (site_dir / link[1:]).is_file()), None)


def _folder(site_dir: Path | None, url_path: str) -> Path | None:
    """The site's folder at the path, if it is one inside the site (not the site itself)."""
    if site_dir is None:
        return None
    parts = [part for part in url_path.split("/") if part]
    if not parts or any(part in (".", "..") or "\0" in part for part in parts):
        return None
    folder = site_dir.joinpath(*parts)
    try:
        inside = folder.resolve().is_relative_to(site_dir.resolve())
        return folder if inside and folder.is_dir() else None
    except OSError:  # a name longer than a file name may be
        return None
