"""A build killed at each of its stages: the previous output stays whole, and the next build
cleans up after the killed one."""

import signal
import subprocess
from pathlib import Path

import pytest
from test_build import tree_digest

from conftest import KG, PROJECT, copy_tree

STAGES = [
    "reading sources",
    "SHACL validation",
    "RDFS entailment",
    "writing dumps",
    "describing the dataset (VoID, DCAT)",
    "writing the persistent store",
    "rendering the site",
]


def _kill_at(stage: str, out: Path) -> None:
    """Start a build and SIGKILL it as it logs the start of `stage`."""
    with subprocess.Popen(
        [*KG, "build", "--out", str(out), "--date", "2031-01-01"],
        cwd=PROJECT,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:
            if f"{stage} ..." in line:
                process.send_signal(signal.SIGKILL)
                break
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, f"the build ended before {stage}"


@pytest.mark.parametrize("stage", STAGES)
def test_a_build_killed_at_each_stage_leaves_the_old_output(
    built: Path, tmp_path: Path, stage: str
) -> None:
    out = copy_tree(built, tmp_path / "build")
    before = tree_digest(out)
    _kill_at(stage, out)
    assert tree_digest(out) == before
    again = subprocess.run(
        [*KG, "-q", "build", "--out", str(out)], cwd=PROJECT, capture_output=True, timeout=300
    )
    assert again.returncode == 0, again.stderr
    assert not list(tmp_path.glob(".build.staging-*")), "the killed build's staging stayed"
