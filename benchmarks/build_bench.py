"""Build benchmark: each stage of `kg build` as a user runs it, and what the build costs.

    .venv/bin/python benchmarks/build_bench.py                 # the bundled sources
    .venv/bin/python benchmarks/build_bench.py --data DIR      # any sources folder
    .venv/bin/python benchmarks/build_bench.py --csl data/csl/csl-2022-05   # the whole CSL

Prints per stage its wall and CPU time and the peak memory (PSS) of the build's whole
process tree while it ran (the site is rendered by forked processes); then the whole
build's wall and CPU time (user and system, children included), peak memory, files and
bytes written, pages per second, and the time to remove the output (what a rebuild
removes in the background).
Targets (issues): the whole build under 60 s and 2 GB; rendering at least 500 pages a second.
The machine's load average before and after is printed too: figures from a shared machine
mean little without it.
"""

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import BuildRun, run_build

KG = [sys.executable, "-m", "kg.cli"]


def print_run(run: BuildRun) -> None:
    print(f"{'stage':<48} {'seconds':>8} {'CPU s':>8} {'system s':>9} {'peak MiB':>9}")
    for stage in run.stages:
        print(
            f"{stage.name:<48} {stage.seconds:>8.2f} {stage.cpu:>8.2f} {stage.system:>9.2f} "
            f"{stage.peak_mib:>9.0f}"
        )
    print(
        f"\nwhole build: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU (user+system, children "
        f"included), peak memory {run.peak_mib:.0f} MiB (PSS of every process)"
    )
    print(f"written: {run.files} files, {run.bytes / 2**20:.0f} MiB on disk")
    print(f"removing the output: {run.removal:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, help="sources folder (default: the bundled data/)")
    parser.add_argument("--csl", action="append", default=[], help="a CSL snapshot (kg build)")
    args = parser.parse_args()
    command = [*KG, "build"]
    if args.data:
        command += ["--data", str(args.data)]
    for snapshot in args.csl:
        command += ["--csl", snapshot]
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="build-bench-") as scratch:
        out = Path(scratch) / "build"
        run = run_build([*command, "--out", str(out)], out)
    print_run(run)
    print(
        f"machine load (1, 5, 15 min): before {_load(load_before)}, after {_load(os.getloadavg())}"
    )
    pages = re.search(r"(\d+) pages", run.log)
    render = next((s for s in run.stages if s.name == "rendering the site"), None)
    if pages and render:
        rate = int(pages[1]) / render.seconds
        print(f"site: {pages[1]} pages, {rate:.0f} pages/s (target >= 500)")
    print(f"(targets: whole build < 60 s, peak < 2048 MiB; {run.wall:.1f} s, {run.peak_mib:.0f})")


def _load(averages: tuple[float, float, float]) -> str:
    return " ".join(f"{a:.2f}" for a in averages)


if __name__ == "__main__":
    main()
