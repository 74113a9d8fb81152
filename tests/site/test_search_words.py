"""The browser folds a query as the Python folds a name: search-words.js against
kg.match.words and kg.site.search_index, run in Node on the same strings."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from browser import need

from conftest import PROJECT
from kg.match.words import fold
from kg.site.search_index import shard_key

SCRIPT = PROJECT / "site" / "static" / "search-words.js"
TRICKY = [
    "Ürümqi  Municipal P.S.B.",
    "海康威视 Hikvision",
    "People?s Government of Xi?an",
    "Co”peratief Straße STRASSE",
    "ΟΔΥΣΣΕΥΣ Σίσυφος",
    "\u041e\u041e\u041e \u00ab\u0420\u043e\u043c\u0430\u0448\u043a\u0430\u00bb",  # Cyrillic
    "Société Générale d'Équipement",
    "ﬁnance Ⅻ ①",
    "İstanbul ŞİRKETİ",
    "𠀀 extension B",
    "AL-QA'IDA / 'ABD AL-HAMID",
    "  ",
]


def in_node(strings: list[str]) -> list[list[object]]:
    program = (
        f"const w = require({json.dumps(str(SCRIPT))});"
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(input.map((s) => "
        "[w.fold(s), w.fold(s).map(w.shardKey)])));"
    )
    done = subprocess.run(
        ["node", "-e", program],
        input=json.dumps(strings),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    answer: list[list[object]] = json.loads(done.stdout)
    return answer


def python(strings: list[str]) -> list[list[object]]:
    return [[fold(s), [shard_key(w) for w in fold(s)]] for s in strings]


@pytest.fixture(scope="module")
def node() -> None:
    need(("node", shutil.which("node") is not None))


@pytest.mark.usefixtures("node")
def test_tricky_names_fold_alike() -> None:
    assert in_node(TRICKY) == python(TRICKY)


@pytest.mark.usefixtures("node")
def test_every_name_of_the_build_folds_alike(built: Path) -> None:
    names = sorted(
        {
            name
            for chunk in (built / "site" / "entities" / "search" / "r").glob("*.json")
            for record in json.loads(chunk.read_text(encoding="utf-8"))
            for name in record[6]
        }
    )
    assert len(names) > 50
    assert in_node(names) == python(names)
