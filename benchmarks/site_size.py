"""Site size: bytes and files of a built site, by kind, as `du -sb` counts them.

    .venv/bin/python benchmarks/site_size.py /tmp/csl/site

Prints the bytes of pages, each RDF format, the rest, the folders (a folder is a 4 KiB
block on ext4: each page is one) and the dumps the site carries (hard links of the build's
compressed dumps, so they cost the build folder nothing more), the totals with and without
them, and the bytes of the files alone (what a static host stores: it keeps no folder blocks).
Target (issue 12): the whole-CSL site under 400 MB without losing a page. A file with several
names (each resource's Turtle is its N-Triples, hard-linked) counts its bytes once, under the
first of its names that KINDS lists, and its names under each kind.

The whole 2022 CSL (`kg build --csl data/csl/csl-2022-05`), 2026-12-02, 33,478 pages (33,973
on 2026-12-04):

| layout | pages | Turtle | JSON-LD | N-Triples | folders | du -sb | files only |
|---|---:|---:|---:|---:|---:|---:|---:|
| a folder per page, Turtle apart (2ed505d) | 178.8 | 50.2 | 46.4 | 106.8 | 199.5 | 611.1 | 411.5 |
| x.html beside x.ttl, trimmed pages | 153.9 | (= .nt) | 42.5 | 103.0 | 62.8 | 391.8 | 329.0 |
| the same, 2026-12-04, pages saying more | 195.4 | (= .nt) | 43.3 | 104.6 | 62.9 | 436.1 | 373.2 |

(MB; the rest is 10.8 MB of search index and as-of files and 18.9 MB of dumps.)
"""

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

KINDS = (".html", ".nt", ".ttl", ".jsonld")


def measure(site: Path) -> tuple[Counter[str], Counter[str]]:
    """Bytes and counts by kind; a file with several links is counted once, as du does."""
    size: Counter[str] = Counter()
    count: Counter[str] = Counter()
    seen: set[int] = set()
    for folder, _, files in os.walk(site):
        size["folders"] += os.lstat(folder).st_size
        count["folders"] += 1
        in_dumps = Path(folder).relative_to(site).parts[:1] == ("dumps",)
        for name in sorted(files, key=_rank):
            stat = (Path(folder) / name).lstat()
            kind = "dumps" if in_dumps else next((k for k in KINDS if name.endswith(k)), "other")
            count[kind] += 1
            if stat.st_ino not in seen:
                seen.add(stat.st_ino)
                size[kind] += stat.st_size
    return size, count


def _rank(name: str) -> int:
    """A name's place in KINDS: the bytes of a linked file go to its first kind."""
    return next((n for n, kind in enumerate(KINDS) if name.endswith(kind)), len(KINDS))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("site", type=Path, help="a built site folder (BUILD/site)")
    site = parser.parse_args().site
    if not (site / "index.html").is_file():
        sys.exit(f"{site} is not a built site (no index.html): give BUILD/site")
    size, count = measure(site)
    for kind in (*KINDS, "other", "folders", "dumps"):
        print(f"{kind:>8}  {count[kind]:>8,} items  {size[kind] / 1e6:>8.1f} MB")
    total = sum(size.values())
    files = sum(n for kind, n in count.items() if kind != "folders")
    print(f"{'total':>8}  {files:>8,} files  {total / 1e6:>8.1f} MB (du -sb)")
    own, bytes_own = files - count["dumps"], (total - size["dumps"]) / 1e6
    print(f"{'no dumps':>8}  {own:>8,} files  {bytes_own:>8.1f} MB")
    # What a static host stores and serves: the files (a folder is a name in a path there).
    print(f"{'files':>8}  {files:>8,} files  {(total - size['folders']) / 1e6:>8.1f} MB")


if __name__ == "__main__":
    main()
