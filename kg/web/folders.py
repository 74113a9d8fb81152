"""What the site holds under an address that is a folder of it, for the page that says no
page is there: a reader who shortens an entry's address to its party's folder
(`/id/listing/denied-persons-list/al-naser-wings-airlines/`) or to `/id/` met a bare
"nothing is known" with nowhere to go."""

from pathlib import Path

#: The most links the page gives; the rest are counted.
SHOWN = 200
PAGE = ".html"


def under(site_dir: Path | None, url_path: str) -> tuple[list[tuple[str, str]], int]:
    """The folders and pages under the site's folder at `url_path`, as (name, link) in name
    order (at most SHOWN), and how many there are; none where it is no folder of the site.

    >>> import tempfile
    >>> site = Path(tempfile.mkdtemp())
    >>> (site / "id" / "org").mkdir(parents=True)
    >>> for name in ("huawei.html", "huawei.ttl"):
    ...     _ = (site / "id" / "org" / name).write_text("")
    >>> under(site, "/id/"), under(site, "/id/org"), under(site, "/id/../..")
    (([('org/', '/id/org/')], 1), ([('huawei', '/id/org/huawei.html')], 1), ([], 0))
    """
    folder = _folder(site_dir, url_path)
    if folder is None:
        return [], 0
    # A page by its name alone: /id/org/ holds some 50,000 files, each stat a cost.
    found = sorted(
        (child.stem, child.name) if child.suffix == PAGE else (child.name + "/",) * 2
        for child in folder.iterdir()
        if child.suffix == PAGE or (not child.suffix and child.is_dir())
    )
    base = "".join(f"/{part}" for part in url_path.split("/") if part) + "/"
    return [(name, base + link) for name, link in found[:SHOWN]], len(found)


def party_page(site_dir: Path | None, url_path: str) -> str | None:
    """The link to the page of the party whose entries on a list a folder holds
    (/id/listing/<list>/<party>/): its page lies in the folder of its kind, unknown here.

    >>> import tempfile
    >>> site = Path(tempfile.mkdtemp())
    >>> for folder in ("id/listing/dpl/amini", "id/person", "id/org"):
    ...     (site / folder).mkdir(parents=True)
    >>> _ = (site / "id/person/amini.html").write_text("")
    >>> party_page(site, "/id/listing/dpl/amini/"), party_page(site, "/id/listing/dpl/")
    ('/id/person/amini.html', None)
    """
    parts = [part for part in url_path.split("/") if part]
    if site_dir is None or len(parts) != 4 or parts[:2] != ["id", "listing"]:
        return None
    if _folder(site_dir, url_path) is None:
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
