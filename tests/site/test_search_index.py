"""The prebuilt search index: every name's words in the shard their first letters name,
spellings read as one word, filters, and the same bytes whatever the order of the rows."""

import json
import random
from pathlib import Path

from kg.site.search_index import CHUNK, Searchable, search_files, shard_key


def entity(label: str, *names: str, **fields: object) -> Searchable:
    defaults: dict[str, object] = {
        "path": f"id/org/{label.lower().replace(' ', '-')}.html",
        "label": label,
        "names": names,
        "transliterations": (),
        "kind": ("organization", "Organization"),
        "lists": (("entity-list", "Entity List"),),
        "countries": ("CN",),
        "since": "2019-10-09",
    }
    return Searchable(**{**defaults, **fields})  # type: ignore[arg-type]


ENTITIES = [
    entity("Kashgar Prefecture Public Security Bureau", "喀什地区公安局"),
    entity("Huawei Technologies Co., Ltd.", "Huawei", since="2019-05-21"),
    entity(
        "Shache County PSB",
        transliterations=("Yarkand County PSB",),
        names=("Yarkand County PSB",),
    ),
    entity(
        "Ahmad Ali",
        kind=("person", "Person"),
        lists=(("sdn", "Specially Designated Nationals"),),
        countries=("IR", "IQ"),
        since="",
    ),
]


def files() -> dict[str, object]:
    return {name: json.loads(payload) for name, payload in search_files(ENTITIES).items()}


def test_every_word_is_in_the_shard_its_first_letters_name() -> None:
    found = files()
    # Entities are numbered by label: Ahmad 0, Huawei 1, Kashgar 2, Shache 3.
    hu = found["w/hu.json"]
    # (entity, name, distinct words but legal forms: Huawei Technologies) twice
    assert hu["words"]["huawei"] == [1, 0, 2, 1, 1, 1]
    assert found["w/u-ab.json"]["words"]["喀"] == [2, 1, 7]
    ka = found["w/ka.json"]
    assert ka["words"]["kashgar"] == [2, 0, 5]
    # The romanisation table and what the data shows: one word, stored once.
    assert ka["aliases"]["kashi"] == "kashgar" and "kashi" not in ka["words"]
    assert found["w/ya.json"]["aliases"]["yarkand"] == "shache"
    assert all(
        shard_key(word) == name[2:-5]
        for name, shard in found.items()
        if name.startswith("w/")
        for word in shard["words"]
    )  # type: ignore[union-attr]


def test_an_acronym_a_run_of_a_names_words_could_be_written_as_is_in_its_shard() -> None:
    """As the server's /search reads them (kg.match.name_index): "psb" for public security
    bureau, with the name's postings, in the shard of its first letters."""
    found = files()
    # Kashgar Prefecture Public Security Bureau: entity 2, name 0, five words.
    assert found["w/ps.json"]["initials"]["psb"] == [2, 0, 5]
    assert found["w/pp.json"]["initials"]["ppsb"] == [2, 0, 5]
    assert "ht" not in found.get("w/ht.json", {}).get("initials", {})  # two letters: no acronym


def test_records_filters_and_meta() -> None:
    found = files()
    records = found["r/0.json"]
    assert records[1][:6] == [  # type: ignore[index]
        "Huawei Technologies Co., Ltd.",
        "id/org/huawei-technologies-co.,-ltd..html",
        "organization",
        ["entity-list"],
        ["CN"],
        "2019-05-21",
    ]
    assert records[1][6] == ["Huawei Technologies Co., Ltd.", "Huawei"]  # type: ignore[index]
    assert found["f/list/sdn.json"] == [0]
    assert found["f/country/CN.json"] == [1, 2, 3]
    assert found["f/kind/person.json"] == [0]
    meta = found["meta.json"]
    assert meta["chunk"] == CHUNK and meta["entities"] == 4  # type: ignore[index]
    assert ["sdn", "Specially Designated Nationals", 1] in meta["facets"]["list"]  # type: ignore[index]
    assert {"co", "ltd", "gmbh"} < set(meta["legal"])  # type: ignore[index]
    assert set(meta["shards"]) == {n[2:-5] for n in found if n.startswith("w/")}  # type: ignore[index]
    # Countries by name, with the code the list gives: what the filter and the results show.
    assert meta["facets"]["country"] == [  # type: ignore[index]
        ["CN", "China (CN)", 3],
        ["IR", "Iran (IR)", 1],
        ["IQ", "Iraq (IQ)", 1],
    ]


def test_a_latin_shard_carries_the_records_of_its_first_page() -> None:
    found = files()
    # The query "hu" finds Huawei alone; its record travels with the shard.
    first = found["w/hu.json"]["first"]  # type: ignore[index]
    assert first == [[1, found["r/0.json"][1]]]  # type: ignore[index]
    assert "first" not in found["w/u-ab.json"]  # type: ignore[operator]
    # The query "co": Huawei holds the whole word ("Co."), Shache a word it begins ("County").
    co = [number for number, _ in found["w/co.json"]["first"]]  # type: ignore[index]
    assert co == [1, 3]


def test_the_same_bytes_whatever_the_order_of_the_rows() -> None:
    shuffled = ENTITIES[:]
    random.Random(7).shuffle(shuffled)
    assert search_files(shuffled) == search_files(ENTITIES)


def test_the_built_site_has_the_index_and_no_whole_list_file(built: Path) -> None:
    folder = built / "site" / "entities" / "search"
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["entities"] >= 29
    assert not (built / "site" / "entities" / "search-index.json").exists()
    letters = (built / "site" / "entities" / "h" / "index.html").read_text(encoding="utf-8")
    assert "Hangzhou Hikvision Digital Technology Co., Ltd." in letters


def test_a_company_is_found_by_the_organisation_filter_too() -> None:
    """One kind for a reader: the Organisation filter keeps companies, bureaus and agencies,
    each of which keeps its own, narrower filter."""
    company = entity(
        "Hikvision",
        kind=("company", "Company"),
        broader=(("organization", "Organization"),),
    )
    found = {name: json.loads(payload) for name, payload in search_files([company]).items()}
    assert found["f/kind/company.json"] == [0]
    assert found["f/kind/organization.json"] == [0]
    assert found["r/0.json"][0][2] == "company"  # the result says what it is exactly


def test_each_entitys_values_are_those_of_the_filters_files() -> None:
    """What the menus count a query's results by (f/values.json) is what each filter keeps."""
    found = files()
    values, facets = found["f/values.json"], found["meta.json"]["facets"]  # type: ignore[index]
    # Ahmad Ali, the first entity: Iran and Iraq, second and third of the countries.
    assert values["country"][0] == [1, 2]  # type: ignore[index]
    for facet in ("list", "kind", "country"):
        for place, (code, _, count) in enumerate(facets[facet]):  # type: ignore[index]
            holding = [n for n, held in enumerate(values[facet]) if place in held]  # type: ignore[index]
            assert holding == found[f"f/{facet}/{code}.json"] and len(holding) == count
