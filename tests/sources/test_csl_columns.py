"""The CSL columns, written once, are those of the official downloads, each published under
a property of its own."""

import csv
import gzip

import pytest

from conftest import CSL_2019_SAMPLE, SHARED
from kg.sources.csl_columns import COLUMN_PROPERTIES, COLUMNS

DOWNLOADS = SHARED / "data" / "csl_watchman"


@pytest.mark.parametrize(
    "name", ["consolidated_2022-05.csv.gz", "csl_subset_2023-11.csv.gz", "csl_sample_2025-06.csv"]
)
def test_the_columns_are_a_downloads_header_in_order(name: str) -> None:
    raw = (DOWNLOADS / name).read_bytes()
    text = (gzip.decompress(raw) if name.endswith(".gz") else raw).decode("utf-8")
    header = next(csv.reader(text.splitlines()))
    assert tuple(header) == COLUMNS


def test_the_2019_layout_lacks_only_the_record_id() -> None:
    with CSL_2019_SAMPLE.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert set(COLUMNS) - set(header) == {"_id"}


def test_no_two_columns_share_a_property() -> None:
    properties = list(COLUMN_PROPERTIES.values())
    assert len(set(properties)) == len(properties) == 29
