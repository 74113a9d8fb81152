"""The one reader of source.toml, dispatching on `kind`, and where each kind may be used."""

from pathlib import Path

import pytest

from conftest import PROJECT
from kg.errors import SourceError
from kg.sources.catalog import load_catalog, snapshot
from kg.sources.source_toml import Snapshot, SourceSpec, load_source

CURATED = PROJECT / "data" / "sources"
SNAPSHOT = PROJECT / "data" / "csl" / "csl-2022-05"


def test_a_curated_source_and_a_snapshot_are_read_by_their_kind() -> None:
    curated = load_source(next(p for p in sorted(CURATED.iterdir()) if p.is_dir()))
    assert isinstance(curated, SourceSpec) and curated.kind == "turtle"
    listed = load_source(SNAPSHOT)
    assert isinstance(listed, Snapshot) and listed.complete
    assert listed.expected_rows["Entity List (EL) - Bureau of Industry and Security"] == 2001
    assert Path(listed.location).name == "consolidated_2022-05.csv.gz"


def test_an_unknown_kind_names_the_file_and_the_kinds(tmp_path: Path) -> None:
    (tmp_path / "source.toml").write_text('kind = "xlsx"\n')
    with pytest.raises(SourceError, match="unknown kind 'xlsx'") as caught:
        load_source(tmp_path)
    assert caught.value.where == str(tmp_path / "source.toml")
    assert "csl, turtle" in caught.value.hint


def test_a_snapshot_among_the_curated_sources_is_refused(tmp_path: Path) -> None:
    (tmp_path / "dataset.toml").write_text("")
    folder = tmp_path / "sources" / "csl"
    folder.mkdir(parents=True)
    (folder / "source.toml").write_bytes((SNAPSHOT / "source.toml").read_bytes())
    with pytest.raises(SourceError, match="list snapshot among the curated") as caught:
        load_catalog(tmp_path)
    assert "--csl" in caught.value.hint


def test_a_curated_folder_given_as_a_snapshot_is_refused() -> None:
    folder = next(p for p in sorted(CURATED.iterdir()) if p.is_dir())
    with pytest.raises(SourceError, match=r"not a list snapshot: its source\.toml has kind"):
        snapshot(str(folder))
