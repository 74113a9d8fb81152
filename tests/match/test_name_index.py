"""Name search: folding, word order, transliteration variants, Chinese script, ranking."""

import sqlite3
from pathlib import Path

from kg.match import normalise
from kg.match.name_index import (
    Entry,
    NameIndex,
    Variants,
    fold,
    from_rows,
    open_names,
    write_names,
)

ENTRIES = [
    Entry(
        "x:hik",
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "Organization",
    ),
    Entry(
        "x:hik",
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "杭州海康威视数字技术股份有限公司",
        "Organization",
    ),
    Entry("x:dahua", "Dahua Technology", "Dahua Technology", "Organization"),
    Entry("x:dahua", "Dahua Technology", "浙江大华技术股份有限公司", "Organization"),
    Entry(
        "x:urumqi",
        "Urumqi Municipal Public Security Bureau",
        "Urumqi Municipal Public Security Bureau",
        "Organization",
    ),
    Entry(
        "x:kel",
        "Kelamayi Municipality Public Security Bureau",
        "Kelamayi Municipality Public Security Bureau",
        "Organization",
    ),
    Entry(
        "x:kel",
        "Kelamayi Municipality Public Security Bureau",
        "Qaramay Municipality Public Security Bureau",
        "Organization",
    ),
    Entry("x:cafe", "Café Müller", "Café Müller", "Organization"),
    Entry("x:shamnad", "A.H. Shamnad", "A.H. Shamnad", "Person", kind_inferred=True),
]


def index() -> NameIndex:
    variants = Variants(())
    variants.learn(
        "Kelamayi Municipality Public Security Bureau",
        "Qaramay Municipality Public Security Bureau",
    )
    return NameIndex(ENTRIES, variants)


def first(query: str, built: NameIndex | None = None) -> str | None:
    hits = (built or index()).search(query)
    return hits[0].iri if hits else None


def test_fold() -> None:
    assert fold("Café-Müller, LTD.") == ["cafe", "muller", "ltd"]


def test_chinese_script_by_characters() -> None:
    assert first("海康") == "x:hik"
    assert first("大华") == "x:dahua"
    assert first("海华") is None  # every character must be in the same name


def test_case_diacritics_punctuation_word_order() -> None:
    assert first("cafe muller") == "x:cafe"
    assert first("MÜLLER, café") == "x:cafe"
    assert first("digital hikvision") == "x:hik"


def test_prefixes_match() -> None:
    assert first("hikv") == "x:hik"


def test_variants_learnt_from_the_data() -> None:
    assert first("qaramay") == "x:kel"
    assert first("kelamayi") == "x:kel"


def test_editorial_variants() -> None:
    assert first("wulumuqi", NameIndex(ENTRIES)) == "x:urumqi"


def test_legal_forms_do_not_count_in_how_much_of_a_name_a_query_covers() -> None:
    """The query "huawei" ranked the CMIC's HUAWEI TECHNOLOGIES CO., LTD. 43rd on the whole CSL,
    after every affiliate of two or three words ("Huawei Cloud Beijing"): its Co. and Ltd.
    counted as words the query left out."""
    names = ("Huawei Cloud Beijing", "HUAWEI TECHNOLOGIES CO., LTD.", "Huawei Tech Kenya Co Ltd")
    built = NameIndex([Entry(f"x:{n}", n, n, "Organization") for n in names], Variants(()))
    assert [hit.label for hit in built.search("huawei")] == [
        "HUAWEI TECHNOLOGIES CO., LTD.",
        "Huawei Cloud Beijing",
        "Huawei Tech Kenya Co Ltd",
    ]
    # Nor in the query: the name asked whole comes first, by more than its length.
    hits = built.search("huawei technologies co ltd")
    assert [hit.label for hit in hits] == ["HUAWEI TECHNOLOGIES CO., LTD."]
    assert hits[0].score == 1.4


def test_neighbours_the_index_holds_as_one_word_are_read_as_it_too() -> None:
    """ "Hik-Vision" found nothing, where screening read it as Hikvision (trial 26): "hik"
    begins hikvision, and no Hikvision name holds "vision". Both readings are searched."""
    names = ("Hikvision", "CETC HIK Group", "SenseTime Group Limited", "Sense Time Studio")
    built = NameIndex([Entry(f"x:{n}", n, n, "Organization") for n in names], Variants(()))
    assert [hit.label for hit in built.search("Hik-Vision")] == ["Hikvision"]
    assert {hit.label for hit in built.search("sense time")} == {
        "SenseTime Group Limited",
        "Sense Time Studio",
    }
    assert [hit.label for hit in built.search("hik group")] == ["CETC HIK Group"]


def test_an_acronym_beside_another_word_finds_the_words_it_stands_for(tmp_path: Path) -> None:
    """ "Xinjiang PSB" found nothing, where screening read it (left from the last round):
    an acronym is read as a run of a name's words, beside another word of the name; alone
    it is no name ("Tom" is not Tehran Oil Manufacturing)."""
    names = (
        "Xinjiang Public Security Bureau",
        "Urumqi Municipal Public Security Bureau",
        "PSB LIZING OOO",
        "Tehran Oil Manufacturing",
        "Xinjiang Press Supervisory Board",
    )
    built = NameIndex([Entry(f"x:{n}", n, n, "Organization") for n in names], Variants(()))
    write_names(built, tmp_path / "names.sqlite")
    opened = open_names(tmp_path / "names.sqlite")
    for index in (built, opened):
        found = {hit.label for hit in index.search("Xinjiang PSB")}
        assert found == {"Xinjiang Public Security Bureau", "Xinjiang Press Supervisory Board"}
        assert [hit.label for hit in index.search("urumqi psb")] == [names[1]]
        assert [hit.label for hit in index.search("psb")] == ["PSB LIZING OOO"]
        assert index.search("tom") == []
    # Whole words still come first: the acronym weighs as a word begun (0.7).
    assert built.search("xinjiang public security bureau")[0].score > found_score(built)
    with sqlite3.connect(tmp_path / "names.sqlite") as older:  # as written before acronyms
        older.execute("DROP TABLE initials")
    assert open_names(tmp_path / "names.sqlite").search("xinjiang psb") == []


def found_score(index: NameIndex) -> float:
    return index.search("xinjiang psb")[0].score


def test_one_hit_per_entity_and_empty_query() -> None:
    hits = index().search("technology")
    assert [h.iri for h in hits].count("x:hik") == 1
    assert index().search("  ,, ") == []


def test_the_file_answers_as_the_index_in_memory(tmp_path: Path) -> None:
    built = index()
    write_names(built, tmp_path / "names.sqlite")
    opened = open_names(tmp_path / "names.sqlite")
    asked = [entry.name for entry in ENTRIES] + ["kelamayi", "qaramay", "hik", "海康", "bu", ""]
    for query in asked:
        assert opened.search(query) == built.search(query), query
    assert first("qaramay public security", opened) == "x:kel"
    assert len(opened) == len(built) == len(ENTRIES)


def test_one_party_found_by_two_names_shows_the_first_in_order() -> None:
    """Ties are broken by the entries' order (from_rows sorts them by IRI and name), not by
    the order of a set."""
    entries = [
        Entry("x:a", "Acme Corporation", "ACME", "Organization"),
        Entry("x:a", "Acme Corporation", "Acme", "Organization"),
    ]
    assert [hit.matched for hit in NameIndex(entries).search("acme")] == ["ACME"]
    assert [hit.matched for hit in NameIndex(entries[::-1]).search("acme")] == ["Acme"]


def test_a_kind_we_inferred_is_said_in_memory_in_the_file_and_not_in_an_older_file(
    tmp_path: Path,
) -> None:
    rows = [
        {"entity": "x:s", "label": "A.H. Shamnad", "rank": "2", "name": "A.H. Shamnad",
         "type": "x#Person", "inferred": "true"},
        {"entity": "x:h", "label": "HANIYA, Ismail", "rank": "2", "name": "HANIYA, Ismail",
         "type": "x#Person"},
    ]  # fmt: skip
    built = from_rows(rows)
    assert [(h.iri, h.kind, h.kind_inferred) for h in built.search("shamnad")] == [
        ("x:s", "Person", True)
    ]
    assert built.search("haniya")[0].kind_inferred is False
    write_names(built, tmp_path / "names.sqlite")
    assert open_names(tmp_path / "names.sqlite").search("shamnad")[0].kind_inferred is True
    with sqlite3.connect(tmp_path / "names.sqlite") as older:  # as written before the flag
        older.execute("ALTER TABLE entries DROP COLUMN inferred")
    assert open_names(tmp_path / "names.sqlite").search("shamnad")[0].kind_inferred is False


def test_a_party_is_shown_by_the_sites_name_and_kind_in_memory_and_in_the_file(
    tmp_path: Path,
) -> None:
    """/search said "HANGZHOU HIKVISION ..., Organization" where the site says "Hangzhou
    Hikvision ..., Company"; and ties fell apart from the site's order, by the other name."""
    elkg = "https://w3id.org/entitylist-kg/ontology#"
    names = ("Hangzhou Hikvision Digital Technology Co., Ltd.", "HIKVISION")
    labels = ("HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.", names[0])
    ours = {f"{elkg}Organization": "Organisation", f"{elkg}Company": "Company"}
    rows = [
        {"entity": "x:hik", "label": label, "rank": "2", "name": name,
         "type": "https://schema.org/Organization", "ours": kind, "oursLabel": words}
        for label in labels for name in names for kind, words in ours.items()
    ]  # fmt: skip
    rows += [  # a repaired name is shown before the damaged one it repairs
        {"entity": "x:pla", "label": label, "rank": rank, "name": "People?s Hikvision",
         "type": "https://schema.org/Organization"}
        for label, rank in (("People?s Hikvision", "2"), ("People's Hikvision", "1"))
    ]  # fmt: skip
    built = from_rows(rows[::-1])
    assert built.search("hikvision") == from_rows(rows).search("hikvision")
    shown = [(h.iri, h.label, h.kind, h.kind_label) for h in built.search("hikvision")]
    assert shown == [
        ("x:hik", names[0], "Organization", "Company"),
        ("x:pla", "People's Hikvision", "Organization", "Organization"),
    ]
    write_names(built, tmp_path / "names.sqlite")
    assert open_names(tmp_path / "names.sqlite").search("hikvision") == built.search("hikvision")
    with sqlite3.connect(tmp_path / "names.sqlite") as older:  # as written before the label
        for column in ("kind_label", "kinds", "countries"):  # all came after it
            older.execute(f"ALTER TABLE entries DROP COLUMN {column}")
    [first, _] = open_names(tmp_path / "names.sqlite").search("hikvision")
    assert (first.label, first.kind_label) == (names[0], "Organization")


def test_a_record_is_found_by_its_kinds_and_countries_in_memory_in_the_file_and_older(
    tmp_path: Path,
) -> None:
    """/search filtered kinds by screening's schema, where the site filters by the record's
    most telling kind and every kind of ours it is narrower than."""
    elkg = "https://w3id.org/entitylist-kg/ontology#"
    psb, body, org = (
        f"{elkg}{x}" for x in ("PublicSecurityBureau", "GovernmentBody", "Organization")
    )
    words = {psb: "Public security bureau", body: "Government body", org: "Organisation"}
    rows = [
        {"entity": "x:psb", "label": "Kashgar PSB", "rank": "2", "name": "Kashgar PSB",
         "type": "https://schema.org/Organization", "ours": kind, "oursLabel": words[kind]}
        for kind in words
    ]  # fmt: skip
    broader = {psb: frozenset({body, org}), body: frozenset({org})}
    countries = [{"entity": "x:psb", "country": "China"}, {"entity": "x:psb", "country": "XX"}]
    built = from_rows(rows, broader, countries)
    expected = ("Public security bureau", "Government body", "Organisation")
    assert built.search("kashgar")[0].kinds == expected
    assert built.search("kashgar")[0].countries == ("CN",) and built.knows_countries
    assert built.kinds() == sorted(expected)
    write_names(built, tmp_path / "names.sqlite")
    stored = open_names(tmp_path / "names.sqlite")
    assert stored.search("kashgar") == built.search("kashgar") and stored.kinds() == built.kinds()
    with sqlite3.connect(tmp_path / "names.sqlite") as older:  # as written before the kinds
        older.execute("ALTER TABLE entries DROP COLUMN kinds")
        older.execute("ALTER TABLE entries DROP COLUMN countries")
        older.execute("DELETE FROM meta WHERE key = 'kinds'")
    older_index = open_names(tmp_path / "names.sqlite")
    assert older_index.search("kashgar")[0].kinds == ("Public security bureau",)
    assert older_index.kinds() == ["Public security bureau"]
    assert not older_index.knows_countries and older_index.search("kashgar")[0].countries == ()


def test_spellings_of_a_name_find_each_other_whole_and_begun(tmp_path: Path) -> None:
    """Muhammad is spelt eight ways in the 2022 CSL: a search for one found none of the
    others; and a spelling's class must not hide it from a query that only begins it."""
    entries = [
        Entry("x:baz", "MOHAMMAD, Haji Baz", "MOHAMMAD, Haji Baz", "Person"),
        Entry("x:ali", "Mohamed Ali", "Mohamed Ali", "Person"),
        Entry("x:hiz", "HIZBALLAH", "HIZBALLAH", "Organization"),
    ]
    built = NameIndex(entries)
    write_names(built, tmp_path / "names.sqlite")
    opened = open_names(tmp_path / "names.sqlite")
    for index in (built, opened):
        for query in ("muhammad haji baz", "Mohammed Haji", "moham haji", "muham haji"):
            assert [hit.iri for hit in index.search(query)] == ["x:baz"], query
        assert [hit.iri for hit in index.search("moham")] == ["x:ali", "x:baz"]
        assert [hit.iri for hit in index.search("hezbollah")] == ["x:hiz"]
        assert [hit.iri for hit in index.search("hezb")] == ["x:hiz"]
    # Screening keeps its own table: it says such names are spelt differently.
    assert Variants(normalise.VARIANTS).canonical("mohammed") == "mohammed"
