"""The downloads the static site carries: the compressed dumps and what the description names."""

import gzip
import hashlib
import subprocess
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT

from kg.publish.dumps import FORMATS
from kg.publish.files import STEM

IANA = "https://www.iana.org/assignments/media-types/"


def test_the_site_carries_each_dump_compressed_and_not_its_twin(built: Path) -> None:
    carried = {p.name for p in (built / "site" / "dumps").iterdir()}
    for dump in FORMATS:
        assert f"{STEM}.{dump.suffix}.gz" in carried
        assert f"{STEM}.{dump.suffix}" not in carried
        assert (built / "dumps" / f"{STEM}.{dump.suffix}").is_file()  # the build keeps it
    assert {"description.ttl", "entitylist.ttl", "shapes.ttl", "SHA256SUMS"} <= carried
    # Hard links: no byte of a dump is written twice.
    site_gz = built / "site" / "dumps" / f"{STEM}.nq.gz"
    assert site_gz.stat().st_ino == (built / "dumps" / f"{STEM}.nq.gz").stat().st_ino


def test_the_site_checksums_name_exactly_what_it_carries(built: Path) -> None:
    folder = built / "site" / "dumps"
    lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    named = {line.split("  ", 1)[1] for line in lines}
    assert named == {p.name for p in folder.iterdir()} - {"SHA256SUMS"}
    checked = subprocess.run(
        ["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=folder, capture_output=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_each_distribution_is_a_file_the_site_carries(built: Path) -> None:
    folder = built / "site" / "dumps"
    description = Graph().parse(folder / "description.ttl")
    distributions = list(description.subjects(DCAT.downloadURL, None))
    # Every file but SHA256SUMS and the description itself.
    assert len(distributions) == len(list(folder.iterdir())) - 2
    for distribution in distributions:
        url = description.value(distribution, DCAT.downloadURL)
        payload = (folder / str(url).rsplit("/", 1)[1]).read_bytes()
        size = description.value(distribution, DCAT.byteSize)
        assert size is not None and int(size) == len(payload)
        compressed = description.value(distribution, DCAT.compressFormat)
        media = str(description.value(distribution, DCAT.mediaType))
        if str(url).endswith(".gz"):
            # DCAT 2/3: mediaType is the format of the data, compressFormat the compression.
            assert compressed == URIRef(IANA + "application/gzip")
            assert media.removeprefix(IANA) in {d.media_type for d in FORMATS}
            assert gzip.decompress(payload)
        else:
            assert compressed is None
        digest = hashlib.sha256(payload).hexdigest()
        assert digest in (folder / "SHA256SUMS").read_text(encoding="utf-8")


def test_the_dataset_is_cited_with_its_data_s_checksum(built: Path) -> None:
    """Two builds of one date from other snapshots were cited alike (trial 27): the citation
    names the N-Quads dump's SHA-256, the digest the build's SHA256SUMS gives it."""
    sums = (built / "dumps" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    [digest] = [line.split("  ")[0] for line in sums if line.endswith(f"  {STEM}.nq")]
    page = (built / "site" / "downloads" / "index.html").read_text(encoding="utf-8")
    assert f"(N-Quads dump SHA-256 <code>{digest}</code>)." in page
    # Which file's it is: the table lists the .gz, whose digest differs (trial 28).
    assert f"<code>{STEM}.nq</code> (<code>gunzip</code> of <code>{STEM}.nq.gz</code>" in page


def test_the_downloads_page_states_the_dataset_s_size_as_the_dumps_hold_it(built: Path) -> None:
    """The page said no figure; a researcher opened description.ttl (trial 46b)."""
    page = (built / "site" / "downloads" / "index.html").read_text(encoding="utf-8")
    with gzip.open(built / "dumps" / f"{STEM}.nq.gz", "rt", encoding="utf-8") as dump:
        quads = [line for line in dump if line.strip()]
    graphs = {line.rsplit(" ", 2)[-2] for line in quads}
    with gzip.open(built / "dumps" / f"{STEM}.nt.gz", "rt", encoding="utf-8") as dump:
        triples = sum(1 for line in dump if line.strip())
    assert (
        f"The dataset holds {len(quads):,} quads in {len(graphs)} named graphs, one per source "
        f"and our own (the N-Quads, TriG and JSON-LD dumps), and {triples:,} distinct triples"
    ) in page
