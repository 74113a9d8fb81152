"""POST /match, /reconcile and /screen over the bundled build, each answer checked against
yente's shape or the W3C Reconciliation API 0.2 JSON Schemas (../shared/conformance)."""

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import jsonschema_rs
import pytest
from fastapi import FastAPI

from conftest import SHARED
from kg.config import Settings
from kg.screen import open_index
from kg.site.render import environment
from kg.web import match_routes

SCHEMAS = SHARED / "conformance" / "reconciliation-0.2" / "schemas"
HIKVISION = "https://w3id.org/entitylist-kg/id/org/hangzhou-hikvision-digital-technology-co-ltd"


class AppClient:
    """Requests straight into the app (Starlette's AppClient warns about its httpx)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def get(self, url: str, **options: Any) -> httpx.Response:
        return asyncio.run(self._send("GET", url, **options))

    def post(self, url: str, **options: Any) -> httpx.Response:
        return asyncio.run(self._send("POST", url, **options))

    async def _send(self, method: str, url: str, **options: Any) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.request(method, url, **options)


@pytest.fixture(scope="module")
def client(built: Path) -> Iterator[AppClient]:
    """The screening routes over the bundled build, in an app of their own."""
    settings = Settings(out_dir=built)
    app = FastAPI()
    app.state.kg = SimpleNamespace(
        settings=settings, templates=environment(settings.base_iri), screening=open_index(built)
    )
    app.include_router(match_routes.router)
    yield AppClient(app)


def validator(name: str) -> Any:
    def retrieve(uri: str) -> Any:
        if uri.endswith("type.json"):
            return json.loads((SCHEMAS / "type.json").read_text())
        # The manifest's authentication refers to Swagger 2.0's schema; we offer none.
        return {"definitions": {"securityDefinitions": {"additionalProperties": {}}}}

    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    return jsonschema_rs.validator_for(schema, retriever=retrieve)


def check(name: str, body: Any) -> None:
    errors = [error.message for error in validator(name).iter_errors(body)]
    assert not errors, errors


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
    assert "84 FR 54002" in [rule["citation"] for rule in result["listings"][0]["rules"]]
    sums = dict(
        line.split()[::-1] for line in (built / "dumps" / "SHA256SUMS").read_text().splitlines()
    )
    assert answer["screened_against"]["sha256"] == sums["entitylist-kg.nq"]
    assert answer["screened_against"]["release"].startswith(
        "https://w3id.org/entitylist-kg/dataset/"
    )
    assert answer["as_of"] == "2019-10-10"


def test_as_of_a_day_before_the_listing_finds_nothing(client: AppClient) -> None:
    body = {"queries": {"q": {"schema": "Company", "properties": {"name": ["Hikvision"]}}}}
    answer = client.post("/match/default", json=body, params={"as_of": "2019-10-08"}).json()
    assert answer["responses"]["q"]["results"] == []


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
            ["body", "queries", "q", "properties", "schema"],
        ),
        (
            {"queries": {"q": {"properties": {"name": ["x"]}}}},
            {"as_of": "2019-02-30"},
            ["query", "as_of"],
        ),
        ({"queries": {"q": {"properties": {"name": ["x"]}}}}, {"lists": "XYZ"}, ["query", "lists"]),
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


def test_reconcile_manifest_and_batch_follow_the_schemas(client: AppClient) -> None:
    check("manifest", client.get("/reconcile").json())
    queries = {
        "q0": {"query": "Hikvison", "type": "Organization"},
        "q1": {"query": "喀什地区公安局", "properties": [{"pid": "country", "v": "CN"}]},
    }
    check("reconciliation-query-batch", queries)
    answer = client.post("/reconcile", data={"queries": json.dumps(queries)}).json()
    check("reconciliation-result-batch", answer)
    assert answer["q0"]["result"][0]["id"] == "org/hangzhou-hikvision-digital-technology-co-ltd"
    assert answer["q1"]["result"][0]["name"] == "Kashgar Prefecture Public Security Bureau"


def test_reconcile_suggest_preview_and_extension(client: AppClient) -> None:
    suggested = client.get("/reconcile/suggest/entity", params={"prefix": "hikv"}).json()
    check("suggest-entities-response", suggested)
    assert suggested["result"][0]["id"] == "org/hangzhou-hikvision-digital-technology-co-ltd"
    check(
        "data-extension-property-proposal",
        client.get("/reconcile/properties", params={"type": "Organization"}).json(),
    )
    extend = {
        "ids": ["org/hangzhou-hikvision-digital-technology-co-ltd"],
        "properties": [{"id": "lists"}, {"id": "start"}, {"id": "rule"}, {"id": "country"}],
    }
    check("data-extension-query", extend)
    rows = client.post(
        "/reconcile", data={"extend": json.dumps(extend)}, params={"as_of": "2020-01-01"}
    ).json()
    check("data-extension-response", rows)
    row = rows["rows"]["org/hangzhou-hikvision-digital-technology-co-ltd"]
    assert (
        row["start"] == [{"date": "2019-10-09T00:00:00Z"}] and {"str": "84 FR 54002"} in row["rule"]
    )
    preview = client.get(
        "/reconcile/preview", params={"id": "org/hangzhou-hikvision-digital-technology-co-ltd"}
    )
    assert (
        "Hangzhou Hikvision" in preview.text
        and "frame-ancestors *" in preview.headers["content-security-policy"]
    )


def test_reconcile_refuses_a_batch_over_100(client: AppClient) -> None:
    queries = {f"q{i}": {"query": "x"} for i in range(101)}
    answer = client.post("/reconcile", data={"queries": json.dumps(queries)})
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["body", "queries"]


def test_screen_page_shows_candidates_explanations_and_release(client: AppClient) -> None:
    page = client.get(
        "/screen",
        params={"name": "Kashi Prefecture PSB", "country": "China", "as_of": "2020-01-01"},
    )
    assert page.status_code == 200
    assert (
        "Kashgar Prefecture Public Security Bureau" in page.text and "Screened against" in page.text
    )
    assert "<script" not in page.text
    bad = client.get("/screen", params={"name": "x", "birth_date": "1999-99"})
    assert bad.status_code == 422 and "birthDate" in bad.text
