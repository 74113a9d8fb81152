"""User mistakes get a message naming the file and what to do, and an exit code; no traceback."""

import gzip
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PROJECT, SHARED, run_kg

FULL_CSL = SHARED / "data" / "csl_watchman" / "consolidated_2022-05.csv.gz"


def quiet_kg(*args: str) -> subprocess.CompletedProcess[str]:
    return run_kg("-q", *args)


def _ontology(tmp_path: Path, extra_shapes: str) -> Path:
    folder = tmp_path / "ontology"
    shutil.copytree(PROJECT / "ontology", folder)
    with (folder / "shapes.ttl").open("a", encoding="utf-8") as shapes:
        shapes.write(extra_shapes)
    return folder


def _assert_clear(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert "what to do:" in result.stderr
    for word in words:
        assert word in result.stderr


def test_shapes_with_bad_turtle_name_the_file_and_line(tmp_path: Path) -> None:
    folder = _ontology(tmp_path, "\nthis is not turtle .\n")
    line = len((folder / "shapes.ttl").read_text(encoding="utf-8").splitlines())
    _assert_clear(
        quiet_kg("validate", "--ontology", str(folder)), 1, f"shapes.ttl:{line}", "Turtle syntax"
    )


def test_a_missing_ontology_folder_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    _assert_clear(
        quiet_kg("validate", "--ontology", str(missing)), 1, str(missing), "file not found"
    )


def test_an_unsupported_shacl_term_is_named(tmp_path: Path) -> None:
    folder = _ontology(
        tmp_path,
        "\n<urn:x:s> a <http://www.w3.org/ns/shacl#NodeShape> ;\n"
        "  <http://www.w3.org/ns/shacl#targetClass> <urn:x:C> ;\n"
        "  <http://www.w3.org/ns/shacl#closed> true .\n",
    )
    _assert_clear(
        quiet_kg("validate", "--ontology", str(folder)), 1, "does not implement", "shacl#closed"
    )


def test_a_truncated_gzip_snapshot_is_named(tmp_path: Path) -> None:
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(FULL_CSL.read_bytes()[:200_000])
    with pytest.raises(EOFError):  # the file really is cut short
        gzip.decompress(cut.read_bytes())
    result = quiet_kg("build", "--csl", f"{cut}@2022-05-06", "--out", str(tmp_path / "out"))
    _assert_clear(result, 1, str(cut), "ends early")
    assert not (tmp_path / "out").exists()


def test_an_empty_snapshot_is_named(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    result = quiet_kg("build", "--csl", f"{empty}@2022-05-06", "--out", str(tmp_path / "out"))
    _assert_clear(result, 1, str(empty), "empty")


def test_a_missing_snapshot_folder_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-snapshot"
    result = quiet_kg("build", "--csl", str(missing), "--out", str(tmp_path / "out"))
    _assert_clear(result, 1, str(missing), "no such file or folder")
