"""The dumps over HTTP: gzip as gzip, a listing, and a damaged dump refused at start."""

import gzip
import shutil
from pathlib import Path

import httpx
from rdflib import Dataset

from conftest import free_port, run_kg


def test_a_gzipped_dump_is_served_as_gzip_and_unpacks_to_the_dump(server: str) -> None:
    packed = httpx.get(f"{server}/dumps/entitylist-kg.nq.gz")
    assert packed.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in packed.headers
    plain = httpx.get(f"{server}/dumps/entitylist-kg.nq")
    assert plain.headers["content-type"].startswith("application/n-quads")
    assert gzip.decompress(packed.content) == plain.content


def test_rdflib_reads_the_plain_dump_over_http(server: str) -> None:
    dataset = Dataset()
    dataset.parse(f"{server}/dumps/entitylist-kg.nq", format="nquads")
    assert len(dataset) > 1000


def test_the_dumps_folder_lists_every_file_with_its_checksum(server: str, built: Path) -> None:
    files = httpx.get(f"{server}/dumps/", headers={"Accept": "application/json"}).json()["files"]
    by_name = {f["name"]: f for f in files}
    assert by_name["entitylist-kg.nq.gz"]["mediaType"] == "application/gzip"
    sums = (built / "dumps" / "SHA256SUMS").read_text().splitlines()
    assert {f"{f['sha256']}  {f['name']}" for f in files} == set(sums)
    for name in ("entitylist-kg.nq", "description.ttl"):
        assert by_name[name]["bytes"] == (built / "dumps" / name).stat().st_size
    page = httpx.get(f"{server}/dumps/", headers={"Accept": "text/html"})
    assert page.status_code == 303
    assert page.headers["location"] == "/downloads/"


def test_a_dump_cut_at_a_line_boundary_is_refused_at_start(built: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "build"
    shutil.copytree(built, damaged)
    dump = damaged / "dumps" / "entitylist-kg.nq"
    lines = dump.read_bytes().splitlines(keepends=True)
    dump.write_bytes(b"".join(lines[: len(lines) // 2]))  # still valid N-Quads
    result = run_kg("serve", "--out", str(damaged), "--port", str(free_port()))
    assert result.returncode == 1
    assert "entitylist-kg.nq does not match its checksum in SHA256SUMS" in result.stderr
    assert "rebuild it with `kg build`" in result.stderr
    assert "Traceback" not in result.stderr
