"""Build benchmark: time and peak memory of each stage of `kg build`, and pages per second.

    .venv/bin/python benchmarks/build_bench.py                 # the bundled sources
    .venv/bin/python benchmarks/build_bench.py --data DIR      # any sources folder
    .venv/bin/python benchmarks/build_bench.py --csl data/csl/csl-2022-05   # the whole CSL

Targets (issues): the whole build under 60 s and 2 GB; rendering at least 500 pages a second.
"""

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg.build import build
from kg.config import Settings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, help="sources folder (default: the bundled data/)")
    parser.add_argument("--csl", action="append", help="a CSL snapshot, as for kg build --csl")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    settings = Settings.from_env()
    with tempfile.TemporaryDirectory() as scratch:
        settings = settings.with_options(
            out_dir=Path(scratch) / "build", data_dir=args.data, csl=args.csl
        )
        started = time.perf_counter()
        result = build(settings)
        total = time.perf_counter() - started
    print(f"{'stage':<40} {'seconds':>8} {'peak MiB':>9}")
    for timing in result.timings:
        print(f"{timing.name:<40} {timing.seconds:>8.2f} {timing.peak_mib:>9.0f}")
    render = next(t for t in result.timings if t.name == "rendering the site")
    peak = max(t.peak_mib for t in result.timings)
    print(
        f"\nwhole build: {total:.1f} s (target < 60 s), peak memory {peak:.0f} MiB (target < 2048)"
    )
    print(
        f"site: {result.pages} pages in {render.seconds:.2f} s = "
        f"{result.pages / render.seconds:.0f} pages/s (target >= 500; includes each "
        "resource's Turtle, JSON-LD and N-Triples files)"
    )
    print(f"quads: {result.quads}")


if __name__ == "__main__":
    main()
