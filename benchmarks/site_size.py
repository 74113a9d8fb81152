"""Site size: bytes and files of a built site, by kind, as `du -sb` counts them.

    .venv/bin/python benchmarks/site_size.py /tmp/csl/site

Prints the bytes of pages, each RDF format, the rest, the folders (a folder is a 4 KiB
block on ext4: each page is one) and the dumps the site carries (hard links of the build's
compressed dumps, so they cost the build folder nothing more), the totals with and without
them, and the bytes of the files alone (what a static host stores: it keeps no folder blocks).
Target (issue 12): the whole-CSL site under 400 MB without losing a page.
"""

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

KINDS = (".html", ".ttl", ".jsonld", ".nt")


def measure(site: Path) -> tuple[Counter[str], Counter[str]]:
    """Bytes and counts by kind; a file with several links is counted once, as du does."""
    size: Counter[str] = Counter()
    count: Counter[str] = Counter()
    seen: set[int] = set()
    for folder, _, files in os.walk(site):
        size["folders"] += os.lstat(folder).st_size
        count["folders"] += 1
        in_dumps = Path(folder).relative_to(site).parts[:1] == ("dumps",)
        for name in files:
            stat = (Path(folder) / name).lstat()
            if stat.st_ino in seen:
                continue
            seen.add(stat.st_ino)
            kind = "dumps" if in_dumps else next((k for k in KINDS if name.endswith(k)), "other")
            size[kind] += stat.st_size
            count[kind] += 1
    return size, count


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
