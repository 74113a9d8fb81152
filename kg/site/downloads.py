"""The downloads the static site carries: the published dumps (kg.publish.dumps.published),
hard-linked from the build's `dumps/`, and a SHA256SUMS that names exactly those files.

A static host serves files as they are, so the site carries each dump compressed and not its
uncompressed twin as well (together they were a third of the whole-CSL site); `kg serve`
serves both from the build folder.
"""

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from kg.publish.dumps import DumpFile, published, write_checksums


def carry_dumps(dumps_dir: Path, target: Path, files: Iterable[DumpFile]) -> list[DumpFile]:
    """Link (or copy) the published files of `dumps_dir` into `target`, with their SHA256SUMS."""
    carried = published(files)
    target.mkdir(parents=True, exist_ok=True)
    for dump in carried:
        _link_or_copy(dumps_dir / dump.name, target / dump.name)
    write_checksums(target, carried)
    return carried


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the file system allows one: no dump is written twice, and neither
    copy changes once written."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
