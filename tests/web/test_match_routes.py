"""POST /match and /match/{dataset} over the bundled build, in yente's shape."""

from pathlib import Path
from typing import Any

import pytest
from screening_client import HIKVISION, AppClient, screening_client

from kg.web import match_routes


@pytest.fixture(scope="module")
def client(built: Path) -> AppClient:
    return screening_client(built, match_routes.router)


def test_match_answers_in_yentes_shape_pinned_to_the_release(
    client: AppClient, built: Path
) -> None:
    body = {
        "queries": {
            "q1": {"schema": "Company", "properties": {"name": ["Hikvision"], "country": ["cn"]}}
        }
    }
    answer = client.post("/match", json=body, params={"as_of": "2019-10-10"}).json()
    result = answer["responses"]["q1"]["results"][0]
    assert result["id"] == HIKVISION and result["match"] is True and result["score"] == 1.0
    assert set(result["explanations"]) == {"name", "country"}
    assert [listing["abbreviation"] for listing in result["listings"]] == ["EL"]
    rules = {rule["citation"]: rule["published"] for rule in result["listings"][0]["rules"]}
    assert rules["84 FR 54002"] == "2019-10-09"
    sums = dict(
        line.split()[::-1] for line in (built / "dumps" / "SHA256SUMS").read_text().splitlines()
    )
    assert answer["screened_against"]["sha256"] == sums["entitylist-kg.nq"]
    assert answer["screened_against"]["release"].startswith(
        "https://w3id.org/entitylist-kg/dataset/"
    )
    assert answer["as_of"] == "2019-10-10"
    assert answer["screened_against"]["first_complete_snapshot"] == "2022-05-06"
    assert answer["screened_against"]["last_complete_snapshot"] == "2022-05-06"
    # Before the first snapshot of the whole lists: an undated entry may be missing.
    [warning] = answer["warnings"]
    assert "before the first snapshot of the whole lists in this release (2022-05-06)" in warning
    on_the_day = client.post("/match", json=body, params={"as_of": "2022-05-06"}).json()
    assert on_the_day["warnings"] == []


def test_a_day_after_the_last_complete_snapshot_is_warned_of(client: AppClient) -> None:
    """Today, by default: the bundled lists end on 2022-05-06, and a screener must know."""
    body = {"queries": {"q": {"schema": "Company", "properties": {"name": ["Hikvision"]}}}}
    answer = client.post("/match", json=body).json()
    assert answer["as_of"] > "2022-05-06"
    [warning] = answer["warnings"]
    assert f"screened as of {answer['as_of']}" in warning
    assert "last snapshot of the whole lists in this release is of 2022-05-06" in warning
    assert answer["responses"]["q"]["results"][0]["id"] == HIKVISION  # still answered


def test_a_value_may_be_one_string_as_yente_takes_it(client: AppClient) -> None:
    """{"name": "Hikvision"} was a 422, "Input should be a valid list" (trial 28)."""
    one = {"queries": {"q": {"properties": {"name": "Hikvision", "country": "cn"}}}}
    listed = {"queries": {"q": {"properties": {"name": ["Hikvision"], "country": ["cn"]}}}}
    answer = client.post("/match", json=one, params={"as_of": "2022-05-06"})
    assert answer.status_code == 200
    same = client.post("/match", json=listed, params={"as_of": "2022-05-06"}).json()
    assert answer.json()["responses"] == same["responses"]
    assert answer.json()["responses"]["q"]["results"][0]["id"] == HIKVISION
    too_long = {"queries": {"q": {"properties": {"name": "x" * 501}}}}
    [error] = client.post("/match", json=too_long).json()["detail"]
    assert error["loc"] == ["body", "queries", "q", "properties", "name", 0]


def test_a_name_read_letter_for_letter_is_warned_of(client: AppClient) -> None:
    """حزب الله found nothing, unsaid, on /match, where /screen and kg screen warn (trial 28)."""
    body = {
        "queries": {
            "arabic": {"properties": {"name": ["Hikvision"], "alias": ["حزب الله"]}},
            "latin": {"properties": {"name": ["Hikvision"]}},
        }
    }
    answer = client.post("/match", json=body).json()["responses"]
    [warning] = answer["arabic"]["warnings"]
    assert warning.startswith("a name in Arabic, Persian or Hebrew script is read letter for")
    assert "(“حزب الله” as “hzb llh”)" in warning and "screen the Latin spelling too" in warning
    assert answer["latin"]["warnings"] == []


def test_an_entry_not_yet_in_force_is_said_and_known_to_be_so(client: AppClient) -> None:
    """Hikvision's EL entry starts on 2019-10-09: out of force before, and known to be (an
    undated entry first observed later would say `unknown_on_day`: tests/match)."""
    body = {"queries": {"q": {"schema": "Company", "properties": {"name": ["Hikvision"]}}}}
    el = client.post("/match", json=body, params={"as_of": "2019-10-01", "lists": "EL"})
    [not_yet] = el.json()["responses"]["q"]["not_in_force"]
    assert not_yet["unknown_on_day"] is False and not_yet["in_force"] == "2019-10-09"


def test_as_of_a_day_before_the_listing_finds_nothing(client: AppClient) -> None:
    body = {"queries": {"q": {"schema": "Company", "properties": {"name": ["Hikvision"]}}}}
    answer = client.post("/match/default", json=body, params={"as_of": "2019-10-08"}).json()
    assert answer["responses"]["q"]["results"] == []


def test_yentes_dataset_paths_are_taken_and_a_wrong_one_is_the_paths(client: AppClient) -> None:
    body = {"queries": {"q": {"schema": "Company", "properties": {"name": ["Hikvision"]}}}}
    for dataset in ("sanctions", "default", "EL"):
        answer = client.post(f"/match/{dataset}", json=body, params={"as_of": "2019-10-10"})
        assert answer.json()["responses"]["q"]["results"][0]["id"] == HIKVISION, dataset
    wrong = client.post("/match/peps", json=body)
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["path", "dataset"]
    assert wrong.json()["detail"][0]["msg"].startswith("'peps' is not a list: give one of")


def test_an_exact_name_on_another_country_is_not_one(client: AppClient) -> None:
    body = {
        "queries": {
            "q": {"schema": "Company", "properties": {"name": ["Hikvision"], "country": ["fr"]}}
        }
    }
    result = client.post("/match", json=body).json()["responses"]["q"]["results"][0]
    assert 0.7 <= result["score"] < 1.0
    assert result["explanations"]["country"]["detail"] == "different country"


@pytest.mark.parametrize(
    ("body", "params", "location"),
    [
        (
            {"queries": {"q": {"properties": {"name": [""]}}}},
            {},
            ["body", "queries", "q", "properties", "name"],
        ),
        (
            {"queries": {"q": {"properties": {"name": ["x"], "country": ["Atlantis"]}}}},
            {},
            ["body", "queries", "q", "properties", "country", 0],
        ),
        (
            {"queries": {"q": {"properties": {"name": ["x"], "birthDate": ["1962-13-01"]}}}},
            {},
            ["body", "queries", "q", "properties", "birthDate", 0],
        ),
        (
            {"queries": {"q": {"schema": "Ship", "properties": {"name": ["x"]}}}},
            {},
            ["body", "queries", "q", "schema"],
        ),
        (
            {"queries": {"q": {"properties": {"name": ["x"]}}}},
            {"as_of": "2019-02-30"},
            ["query", "as_of"],
        ),
        ({"queries": {"q": {"properties": {"name": ["x"]}}}}, {"lists": "XYZ"}, ["query", "lists"]),
        (
            {"as_of": "2021-01-01", "queries": {"q": {"properties": {"name": ["x"]}}}},
            {},
            ["body"],
        ),
        (
            {"queries": {f"q{i}": {"properties": {"name": ["x"]}} for i in range(101)}},
            {},
            ["body", "queries"],
        ),
    ],
)
def test_bad_input_is_422_naming_the_field(
    client: AppClient, body: Any, params: Any, location: list[Any]
) -> None:
    answer = client.post("/match", json=body, params=params)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == location
    if params.get("as_of") == "2019-02-30":  # written as a day, but none: said so
        assert (
            answer.json()["detail"][0]["msg"] == "'2019-02-30' is no day: February 2019 has no 30th"
        )
    if "as_of" in body:  # screened today unawares, if it were let through
        assert answer.json()["detail"][0]["msg"] == (
            "as_of goes in the query string (/match?as_of=...), not in the body"
        )


def test_every_bad_value_of_a_request_is_said(client: AppClient) -> None:
    """A client fixed the first bad value only to be told of the next."""
    properties = {"name": ["x"], "country": ["Atlantis", "CN", "Lemuria"], "birthDate": ["1-2"]}
    body = {
        "queries": {
            "a": {"schema": "Ship", "properties": properties},
            "b": {"properties": {"name": [" "]}},
        }
    }
    answer = client.post("/match", json=body, params={"as_of": "2019-02-30", "lists": "XYZ"})
    assert answer.status_code == 422
    assert [tuple(d["loc"]) for d in answer.json()["detail"]] == [
        ("query", "as_of"),
        ("query", "lists"),
        ("body", "queries", "a", "schema"),
        ("body", "queries", "a", "properties", "country", 0),
        ("body", "queries", "a", "properties", "country", 2),
        ("body", "queries", "a", "properties", "birthDate", 0),
        ("body", "queries", "b", "properties", "name"),
    ]


def test_numbers_out_of_bounds_are_said_with_the_rest(client: AppClient) -> None:
    body = {"queries": {"a": {"properties": {"name": ["x"], "country": ["Atlantis"]}}}}
    params = {"limit": "-1", "threshold": "2", "cutoff": "abc", "as_of": "2019-02-30"}
    answer = client.post("/match", json=body, params=params)
    assert answer.status_code == 422
    assert [(tuple(d["loc"]), d["msg"]) for d in answer.json()["detail"]] == [
        (("query", "limit"), "'-1' is not a whole number from 1 to 100"),
        (("query", "threshold"), "'2' is not a score: give a number from 0 to 1"),
        (("query", "cutoff"), "'abc' is not a score: give a number from 0 to 1"),
        (("query", "as_of"), "'2019-02-30' is no day: February 2019 has no 30th"),
        (
            ("body", "queries", "a", "properties", "country", 0),
            "'Atlantis' is not a country: give an ISO code or a name",
        ),
    ]
    good = client.post(
        "/match",
        json={"queries": {"a": {"properties": {"name": ["Public Security Bureau"]}}}},
        params={"limit": "2", "threshold": ".9", "cutoff": "0"},
    )
    assert good.status_code == 200
    assert (good.json()["limit"], good.json()["threshold"], good.json()["cutoff"]) == (2, 0.9, 0)
    assert len(good.json()["responses"]["a"]["results"]) == 2


def test_an_option_misspelt_or_in_the_body_is_said_not_ignored(client: AppClient) -> None:
    """ "as_off" and "treshold" were ignored: screened as of today at 0.7, unsaid; as_of in
    the body was said to be "JSON but not an object" (trial 27)."""
    body = {"queries": {"a": {"properties": {"name": ["Hikvision"]}}}}
    answer = client.post("/match", json=body, params={"as_off": "2019-10-08", "treshold": ".9"})
    assert answer.status_code == 422
    assert [(tuple(d["loc"]), d["msg"]) for d in answer.json()["detail"]] == [
        (
            ("query", "as_off"),
            "as_off is no parameter of /match: did you mean as_of? it takes as_of, lists, "
            "limit, threshold, cutoff",
        ),
        (
            ("query", "treshold"),
            "treshold is no parameter of /match: did you mean threshold? it takes as_of, "
            "lists, limit, threshold, cutoff",
        ),
    ]
    # yente's own options are taken, as clients written for it send them.
    yente = client.post(
        "/match",
        json=body,
        params={"algorithm": "logic-v1", "topics": "sanction", "as_of": "2022-05-06"},
    )
    assert yente.status_code == 200
    # And said not to be applied, in the answer (the README alone said it).
    [warning] = yente.json()["warnings"]
    assert warning.startswith("not applied: algorithm, topics (yente's options, taken so that")
    misplaced = client.post("/match", json={**body, "as_of": "2019-10-08"})
    assert misplaced.status_code == 422
    [said] = misplaced.json()["detail"]
    assert said["msg"] == "as_of goes in the query string (/match?as_of=...), not in the body"
    # A schema in lower case is told the one meant (trial 50a).
    lower = {"queries": {"a": {"schema": "company", "properties": {"name": ["Hikvision"]}}}}
    [said] = client.post("/match", json=lower).json()["detail"]
    assert said["msg"].startswith("'company' is no schema: did you mean Company? schema is")
    # A property of the party in the query string is said to belong in the body (49a).
    country = client.post("/match", json=body, params={"country": "ir"})
    assert country.status_code == 422
    [said] = country.json()["detail"]
    assert (tuple(said["loc"]), said["msg"]) == (
        ("query", "country"),
        "country is a property of the party screened, not an option of /match: send it in the"
        ' body, in each query\'s properties ({"queries": {"q1": {"schema": "Thing", '
        '"properties": {"name": ["..."], "country": ["..."]}}}}); the query string takes '
        "as_of, lists, limit, threshold, cutoff",
    )


def test_a_body_of_the_wrong_shape_is_said_with_the_query_strings_problems(
    client: AppClient,
) -> None:
    """FastAPI refuses such a body before the handler reads the query string."""
    answer = client.post(
        "/match/XYZ", json={"queries": {"a": {"properties": "Hikvision"}}}, params={"limit": "0"}
    )
    assert answer.status_code == 422
    assert [tuple(d["loc"]) for d in answer.json()["detail"]] == [
        ("body", "queries", "a", "properties"),
        ("query", "limit"),
        ("path", "dataset"),
    ]
    # A path's list that names nothing is said with the rest, not alone.
    wrong = client.post(
        "/match/XYZ", json={"queries": {"a": {"properties": {"name": ["x"]}}}},
        params={"as_of": "2019-02-30"},
    )  # fmt: skip
    assert [tuple(d["loc"]) for d in wrong.json()["detail"]] == [
        ("query", "as_of"),
        ("path", "dataset"),
    ]
    # Said once, where FastAPI already said it (a limit longer than 20 characters).
    long = client.post("/match", json={"queries": 1}, params={"limit": "9" * 21})
    assert [tuple(d["loc"]) for d in long.json()["detail"]] == [
        ("query", "limit"),
        ("body", "queries"),
    ]


def test_a_get_is_told_to_post(client: AppClient) -> None:
    """GET /match answered the static site's 404, "There is no page at this address"."""
    for path in ("/match", "/match/EL"):
        answer = client.get(path)
        assert answer.status_code == 405 and answer.headers["allow"] == "POST"
        assert "POST" in answer.text and "/screen" in answer.text


def test_a_party_that_may_be_in_force_is_among_the_results(csl_built: Path) -> None:
    """A client of yente's reads `results` alone: PJSC AEROFLOT, whose order "until
    2022-10-04" may have been extended since the last snapshot of the whole lists
    (2022-05-06), was only in `not_in_force`, and the results were empty (trial 37)."""
    csl = screening_client(csl_built, match_routes.router)
    body = {"queries": {"q": {"schema": "Company", "properties": {"name": ["PJSC Aeroflot"]}}}}
    answer = csl.post("/match", json=body, params={"as_of": "2026-12-01"}).json()["responses"]["q"]
    first = answer["results"][0]
    assert (first["caption"], first["score"], first["match"], first["in_force"]) == (
        "PJSC AEROFLOT",
        1.0,
        True,
        False,
    )
    assert first["listings"] == [] and first["not_in_force"][0]["unknown_on_day"] is True
    assert first["datasets"] == ["DPL"]  # a client of yente's showed it on no list (trial 38)
    assert first["not_in_force"][0]["unknown_why"].startswith("its list gave its end as 2022-10-04")
    # Said on the result too: `in_force` false read as "listed, not in force" (trial 50a).
    assert first["unknown_on_day"] is True
    assert first["unknown_why"] == first["not_in_force"][0]["unknown_why"]
    assert answer["total"]["value"] == len(answer["results"])
    before = csl.post("/match", json=body, params={"as_of": "2022-06-01"}).json()
    assert before["responses"]["q"]["results"][0]["in_force"] is True
    assert before["responses"]["q"]["results"][0]["unknown_on_day"] is False
    # A match in force comes first: a client taking the first result took the DPL's MAHAN
    # AIRWAYS, not known to be in force (1.0), for the SDN's MAHAN AIR, in force (0.99)
    # (trial 42).
    mahan = {"schema": "Company", "properties": {"name": ["Mahan Airways"], "country": ["IR"]}}
    asked = {"queries": {"m": mahan}}
    results = csl.post("/match", json=asked, params={"as_of": "2026-12-01"}).json()
    found = [
        (r["caption"], r["score"], r["in_force"]) for r in results["responses"]["m"]["results"]
    ]
    assert found[0] == ("MAHAN AIR", 0.99, True)
    assert ("MAHAN AIRWAYS", 1.0, False) in found[1:]
    # ... and is said beside the results, as /reconcile says it (trial 43a).
    said = results["responses"]["m"]["warnings"]
    assert any(
        w.startswith("MAHAN AIRWAYS (score 1.0000) matches, but is not known to be in force on")
        for w in said
    ), said


def test_a_property_or_field_not_read_is_said(client: AppClient) -> None:
    """A misspelt "countyr" screened without the country, unsaid (trial 37); yente lets such
    fields through, and so do we, with a warning."""
    body = {
        "queries": {
            "q": {"properties": {"name": ["Hikvision"], "countyr": ["CN"]}, "colour": "red"}
        }
    }
    answer = client.post("/match", json=body)
    assert answer.status_code == 200
    warnings = answer.json()["responses"]["q"]["warnings"]
    assert warnings == [
        "the property 'countyr' is not read (did you mean country?): screened without it",
        "the field 'colour' is not read: screened without it",
    ]
