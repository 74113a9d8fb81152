"""The dumps over HTTP: gzip as gzip, a listing, and a damaged dump refused at start."""

import gzip
import re
import shutil
import subprocess
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


def test_the_check_the_downloads_page_gives_passes_on_what_it_offers(
    server: str, tmp_path: Path
) -> None:
    """`sha256sum -c SHA256SUMS`, as the page said, failed on the files the page does not
    offer (the uncompressed dumps), which SHA256SUMS lists too (trial 25)."""
    page = httpx.get(f"{server}/downloads/").text
    found = re.search(r"<code>(sha256sum -c [^<]*)</code>", page)
    assert found, "no check on the page"
    sums = httpx.get(f"{server}/dumps/SHA256SUMS")
    assert sums.headers["content-type"] == "text/plain; charset=utf-8"
    (tmp_path / "SHA256SUMS").write_bytes(sums.content)
    offered = re.findall(r'<a href="[^"]*dumps/([^"/]+\.gz)">', page)
    assert len(offered) >= 5
    for name in offered:
        (tmp_path / name).write_bytes(httpx.get(f"{server}/dumps/{name}").content)
    checked = subprocess.run(found[1].split(), cwd=tmp_path, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": OK") == len(offered)


def test_a_file_the_build_has_not_is_named_with_where_the_files_are(server: str) -> None:
    missing = httpx.get(f"{server}/dumps/entitylist-kg.ttl.bz2")
    assert missing.status_code == 404
    assert missing.text == "this build has no dump file 'entitylist-kg.ttl.bz2': /dumps/ lists them"


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
