"""kg build --site-from: the static site rendered from a release on a real Oxigraph server."""

import filecmp
from pathlib import Path

from conftest import oxigraph_serving, publish_options, run_kg
from kg.build import build
from kg.config import Settings


def differences(ours: Path, theirs: Path) -> list[str]:
    """Files that are in one tree and not the other, or whose bytes differ."""
    found: list[str] = []
    compared = filecmp.dircmp(ours, theirs)
    stack = [(compared, "")]
    while stack:
        node, prefix = stack.pop()
        found += [f"{prefix}{name} (one side)" for name in node.left_only + node.right_only]
        _, mismatch, errors = filecmp.cmpfiles(
            node.left, node.right, node.common_files, shallow=False
        )
        found += [f"{prefix}{name}" for name in mismatch + errors]
        stack += [(sub, f"{prefix}{name}/") for name, sub in node.subdirs.items()]
    return sorted(found)


def test_the_site_from_a_server_equals_the_embedded_builds_byte_for_byte(
    built: Path, tmp_path: Path
) -> None:
    with oxigraph_serving(tmp_path / "db") as oxigraph:
        done = run_kg("-q", "publish", "--out", str(built), *publish_options(oxigraph.url))
        assert done.returncode == 0, done.stderr
        out = tmp_path / "from-server"
        result = build(Settings(out_dir=out, site_from=f"{oxigraph.url}/query"))
    assert result.pages > 100
    assert differences(built / "site", out / "site") == []


def test_a_server_holding_another_release_is_refused(built: Path, tmp_path: Path) -> None:
    with oxigraph_serving(tmp_path / "db") as oxigraph:
        done = run_kg("-q", "publish", "--out", str(built), *publish_options(oxigraph.url))
        assert done.returncode == 0, done.stderr
        out = tmp_path / "later"
        other = ("--date", "2026-12-01", "--site-from", f"{oxigraph.url}/query")
        refused = run_kg("build", "--out", str(out), *other)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "the SPARQL server holds release" in refused.stderr
    assert "publish this build first" in refused.stderr
    assert not out.exists()  # nothing published
    early = run_kg("build", "--out", str(out), "--site-from", "ftp://127.0.0.1/query")
    assert early.returncode == 1 and "--site-from: not an http(s) URL" in early.stderr
    assert " done in " not in early.stderr  # refused before any stage of the work
