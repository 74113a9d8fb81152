"""User mistakes get a message naming the file and what to do, and an exit code; no traceback."""

import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT, SHARED, free_port, run_kg

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


def test_validate_takes_snapshots_as_build_does() -> None:
    sample = SHARED / "data" / "csl_watchman" / "csl_sample_2019-12.csv"
    result = quiet_kg("validate", "--csl", f"{sample}@2019-12-15")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "The graph conforms to the shapes."
    missing = sample.with_name("no-such-snapshot.csv")
    _assert_clear(quiet_kg("validate", "--csl", f"{missing}@2019-12-15"), 1, str(missing))


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


def test_a_name_in_chinese_only_does_not_stop_the_build(tmp_path: Path) -> None:
    rows = tmp_path / "cjk.csv"
    rows.write_text(
        "name,source,type\n海康威视,Entity List (EL) - Bureau of Industry and Security,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = quiet_kg("build", "--csl", f"{rows}@2022-05-06", "--out", str(out))
    assert result.returncode == 0, result.stderr
    dump = (out / "dumps" / "entitylist-kg.nt").read_text(encoding="utf-8")
    # The kind (org/, person/, party/) is the kinds' business; the name is spelled in pinyin.
    assert re.search(r'/id/[a-z]+/hai-kang-wei-shi> <https://schema.org/name> "海康威视"', dump)


def test_the_build_says_both_totals_and_which_is_which(tmp_path: Path) -> None:
    """The dumps' quads and the store's, which /health gives: a user saw two totals."""
    out = tmp_path / "out"
    result = quiet_kg("build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    said = re.fullmatch(
        r"built ([\d,]+) quads into .*/dumps \((\d+) files\); with the ontology and the dataset's "
        r"description, the store \(and kg serve's /health\) holds ([\d,]+)\n",
        result.stdout,
    )
    assert said is not None, result.stdout
    dumped, files, stored = (int(total.replace(",", "")) for total in said.groups())
    assert files == len(list((out / "dumps").iterdir()))  # what a reader counts there
    with gzip.open(out / "dumps" / "entitylist-kg.nq.gz", "rt", encoding="utf-8") as quads:
        assert dumped == sum(1 for _ in quads)
    assert stored == json.loads((out / "store" / "store.json").read_text())["quads"] > dumped


@pytest.mark.parametrize("date", ["1900-01-01", "2999-01-01"])
def test_an_implausible_release_date_is_refused(tmp_path: Path, date: str) -> None:
    result = quiet_kg("build", "--date", date, "--out", str(tmp_path / "out"))
    _assert_clear(result, 1, date, "release date lies between")
    assert not (tmp_path / "out").exists()


def test_kg_diff_with_old_and_new_swapped_is_refused(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("name,source\nX,Entity List (EL) - Bureau of Industry and Security\n")
    result = quiet_kg("diff", f"{rows}@2023-01-01", f"{rows}@2022-01-01")
    _assert_clear(result, 1, "the older snapshot comes first")


def test_a_busy_port_fails_before_anything_is_loaded(built: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = run_kg("serve", "--out", str(built), "--port", str(port))  # logs at INFO
    _assert_clear(result, 1, f"cannot listen on 127.0.0.1:{port}", "Address already in use")
    # Nothing was loaded: no worker started, no index built (each logs when it is ready).
    assert "query workers ready" not in result.stderr
    assert "name index" not in result.stderr


def test_a_memory_limit_below_what_a_worker_holds_is_refused_at_start(built: Path) -> None:
    # Before, such a limit made the workers' threads fail to start and the server hang.
    port = str(free_port())
    result = run_kg("serve", "--out", str(built), "--port", port, "--worker-memory-mb", "100")
    _assert_clear(result, 1, "--worker-memory-mb 100 leaves a query worker no room")
    held = re.search(r"it holds (\d+) MiB of address space", result.stderr)
    least = re.search(r"give at least (\d+) MiB", result.stderr)
    assert held and least, result.stderr
    assert int(least[1]) == int(held[1]) + 256
    assert "Started server process" in result.stderr  # it stopped once the workers said why
    # A server's lines, uvicorn's among them, carry the time (UTC): read long after.
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (INFO|WARNING|ERROR) "
    lines = [line for line in result.stderr.splitlines() if re.match(r"\S+ (INFO|ERROR) ", line)]
    assert lines and all(re.match(stamp, line) for line in lines), result.stderr
    assert any(" INFO uvicorn.error: Started server process" in line for line in lines)


def test_a_password_without_a_user_is_refused_before_the_server_starts(built: Path) -> None:
    """The refusal came after "Application startup complete": a supervisor or a reader of
    the log saw a server start first (trial 36)."""
    port = str(free_port())
    result = run_kg(
        "serve", "--out", str(built), "--port", port, "--store", "http://127.0.0.1:9/q",
        env={"KG_STORE_PASSWORD": "s3cret", "KG_STORE_USER": ""},
    )  # fmt: skip
    _assert_clear(result, 1, "a password is set", "but no user is")
    assert "set KG_STORE_USER too" in result.stderr
    assert "startup complete" not in result.stderr and "serving" not in result.stderr
    assert "s3cret" not in result.stderr + result.stdout


def test_a_port_out_of_range_is_refused_by_the_option_parser() -> None:
    result = quiet_kg("serve", "--port", "99999")
    assert result.returncode == 1  # bad input; 2 is kept for "does not conform"
    assert "99999 is not a port (1 to 65535)" in result.stderr


def test_every_server_limit_has_a_flag_and_a_line_in_security_md() -> None:
    from kg.cli import SERVE_LIMITS
    from kg.config import DOCUMENTED

    security = (PROJECT / "SECURITY.md").read_text(encoding="utf-8")
    help_text = run_kg("serve", "--help").stdout
    for name in SERVE_LIMITS:
        flag = f"--{name.replace('_', '-')}"
        assert flag in help_text
        assert f"| `{flag}` | `{DOCUMENTED[name][0]}` |" in security


FULL_DISK = """
set -e
mount -t tmpfs -o size=9m tmpfs "$1"
"$2" -q build --out "$1/out"
sha256sum "$1/out/dumps/SHA256SUMS" > "$1/../before"
set +e
"$2" -q build --out "$1/out" 2> "$1/../stderr"
echo $? > "$1/../code"
sha256sum "$1/out/dumps/SHA256SUMS" > "$1/../after"
ls -a "$1" > "$1/../listing"
"""


def test_a_full_disk_is_a_message_and_the_previous_output_stays(tmp_path: Path) -> None:
    """On a 9 MB tmpfs one build of the bundled data (6 MB) fits, a second beside it not."""
    if not shutil.which("unshare") or os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs in a mount namespace of its own")
    disk = tmp_path / "disk"
    disk.mkdir()
    kg = str(Path(sys.executable).with_name("kg"))
    subprocess.run(
        ["unshare", "-m", "sh", "-c", FULL_DISK, "sh", str(disk), kg], check=True, timeout=300
    )
    assert (tmp_path / "code").read_text().strip() == "1"
    stderr = (tmp_path / "stderr").read_text()
    assert "No space left on device" in stderr and "Traceback" not in stderr
    assert "the previous output is untouched" in stderr
    assert (tmp_path / "before").read_text() == (tmp_path / "after").read_text()
    assert "staging" not in (tmp_path / "listing").read_text()


def test_kg_diff_shows_what_an_amendment_removed_and_added(tmp_path: Path) -> None:
    header = "name,source,addresses\n"
    el = "Entity List (EL) - Bureau of Industry and Security"
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_text(f'{header}Acme,{el},"1 Road, Town, CN; 2 Lane, City, CN"\n')
    new.write_text(f'{header}Acme,{el},"2 Lane, City, CN; 3 Street, Village, CN"\n')
    result = quiet_kg("diff", f"{old}@2022-01-01", f"{new}@2023-01-01")
    assert result.returncode == 0, result.stderr
    assert "1 amendments\n  ~ EL: party/acme  [addresses]\n" in result.stdout
    assert result.stdout.endswith(
        "      addresses - 1 Road, Town, CN\n      addresses + 3 Street, Village, CN\n"
    )


def test_kg_diff_reads_a_part_of_the_list_as_a_build_does(tmp_path: Path) -> None:
    """A subset removes nothing when marked :partial; read as complete, it is refused."""
    el = "Entity List (EL) - Bureau of Industry and Security"
    whole, part = tmp_path / "whole.csv", tmp_path / "part.csv"
    whole.write_text("name,source\n" + "".join(f"Acme {n},{el}\n" for n in range(10)))
    part.write_text(f"name,source\nAcme 3,{el}\nNewco,{el}\n")
    result = quiet_kg("diff", f"{whole}@2022-01-01", f"{part}@2023-01-01:partial")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 additions\n  + EL: party/newco\n0 removals\n0 amendments")
    result = quiet_kg("diff", f"{whole}@2022-01-01", f"{part}@2023-01-01")
    _assert_clear(result, 1, "would remove 9 of the 10 entries of the Entity List", ":partial")
    accepted = quiet_kg("diff", f"{whole}@2022-01-01", f"{part}@2023-01-01:accept-shrink")
    assert accepted.returncode == 0 and "9 removals" in accepted.stdout
    # A part of the list first: most of the whole is 'added', which the warning questions.
    result = quiet_kg("diff", f"{part}@2021-01-01", f"{whole}@2022-01-01")
    assert result.returncode == 0 and "9 additions" in result.stdout
    assert "adds 9 of the 10 entries of the Entity List" in result.stderr
    assert "write it FILE@DATE:partial" in result.stderr
    result = quiet_kg("diff", f"{part}@2021-01-01:partial", f"{whole}@2022-01-01")
    assert result.stdout.startswith("0 additions") and result.stderr == ""


def test_kg_diff_writes_over_its_own_rdf_but_never_over_another_file(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("name,source\nX,Entity List (EL) - Bureau of Industry and Security\n")
    snapshots = (f"{rows}@2022-01-01", f"{rows}@2023-01-01")
    ours = tmp_path / "changes.ttl"
    for _ in range(2):  # a new path, then its own earlier answer
        assert quiet_kg("diff", *snapshots, "--rdf", str(ours)).returncode == 0
    assert ours.read_text().startswith("# Written by kg diff")
    notes = tmp_path / "notes.ttl"
    notes.write_text("my own notes\n")
    result = quiet_kg("diff", *snapshots, "--rdf", str(notes))
    _assert_clear(result, 1, "kg diff did not write it")
    assert notes.read_text() == "my own notes\n"


def test_kg_diff_reads_files_named_as_kg_build_names_them(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("name,source\nX,Entity List (EL) - Bureau of Industry and Security\n")
    result = quiet_kg("diff", f"{rows}@2022-01-01:partial", f"{rows}@2023-01-01")
    assert result.returncode == 0, result.stderr
