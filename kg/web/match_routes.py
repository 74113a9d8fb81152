"""POST /match and /match/{dataset}: screening in the shape of OpenSanctions' yente.

Every answer names the release screened against and the day screened ("as of"). A value that
cannot be read is answered 422 with its location, as FastAPI answers a body that does not
validate.
"""

import asyncio
import datetime as dt
from dataclasses import dataclass, replace
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from kg import __version__
from kg.in_force import UNDATED
from kg.match import answers, queries
from kg.match.index import MatchIndex
from kg.match.model import SCHEMAS, Screening
from kg.match.queries import FieldError
from kg.web.screening_request import (
    DEFAULT_CUTOFF,
    DEFAULT_LIMIT,
    DEFAULT_THRESHOLD,
    index_of,
    invalid,
)

router = APIRouter(tags=["Screening"])


class Example(BaseModel):
    """An example entity, as yente takes it: a schema and FollowTheMoney properties."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    schema_: str = Field(default="LegalEntity", alias="schema", description=" | ".join(SCHEMAS))
    properties: dict[str, list[Annotated[str, Field(max_length=500)]]] = Field(
        description="name (required), alias, country, nationality, birthDate, idNumber, "
        "passportNumber, imoNumber, registrationNumber, ..."
    )


#: Options of /match, which yente and we take in the query string, not the body.
QUERY_OPTIONS = ("as_of", "lists", "limit", "threshold", "cutoff")


class MatchRequest(BaseModel):
    # Other fields are let through, as yente does; an option sent in the body is not: it
    # would be ignored, and as_of there screened today unawares.
    model_config = ConfigDict(extra="allow")
    queries: dict[str, Example] = Field(min_length=1, max_length=queries.MAX_BATCH)

    @model_validator(mode="after")
    def options_in_the_query_string(self) -> "MatchRequest":
        misplaced = [key for key in QUERY_OPTIONS if key in (self.model_extra or {})]
        if misplaced:
            raise PydanticCustomError(
                "misplaced_option",
                "{key} goes in the query string (/match?{key}=...), not in the body",
                {"key": misplaced[0]},
            )
        return self


ListsParam = Annotated[
    list[str] | None,
    Query(
        description="only these lists: abbreviations (EL, SDN, ...), repeated or comma-separated"
    ),
]


@dataclass(frozen=True)
class MatchOptions:
    limit: int
    threshold: float
    cutoff: float
    as_of: str | None
    lists: tuple[str, ...]


def match_options(
    limit: Annotated[int, Query(ge=1, le=100)] = DEFAULT_LIMIT,
    threshold: Annotated[float, Query(ge=0, le=1)] = DEFAULT_THRESHOLD,
    cutoff: Annotated[float, Query(ge=0, le=1)] = DEFAULT_CUTOFF,
    as_of: Annotated[str | None, Query(description="YYYY-MM-DD; default today")] = None,
    lists: ListsParam = None,
) -> MatchOptions:
    """The query parameters both /match routes take, as yente names them."""
    return MatchOptions(limit, threshold, cutoff, as_of, tuple(lists or ()))


Options = Annotated[MatchOptions, Depends(match_options)]


@router.post("/match", summary="Screen parties (yente's request and response)")
async def match(
    request: Request, body: Annotated[MatchRequest, Body()], options: Options
) -> JSONResponse:
    """Each query names a party; each answer gives scored candidates with explanations and
    the listings in force on the day screened, and names the release screened against."""
    return await _match(index_of(request), body, options)


@router.post("/match/{dataset}", summary="Screen parties (yente's path)")
async def match_dataset(
    request: Request,
    dataset: Annotated[
        str, Path(description="default or sanctions (every list), or one list: EL, SDN, ...")
    ],
    body: Annotated[MatchRequest, Body()],
    options: Options,
) -> JSONResponse:
    """As POST /match, for clients written for yente's /match/{dataset}."""
    index = index_of(request)
    named = _dataset(dataset)
    try:  # a list the path names is the path's to fix, not the query string's
        queries.list_iris(named, index.lists, ("path", "dataset"))
    except FieldError as error:
        raise invalid(error) from error
    return await _match(index, body, replace(options, lists=(*options.lists, *named)))


async def _match(index: MatchIndex, body: MatchRequest, options: MatchOptions) -> JSONResponse:
    problems = queries.Problems()
    today = dt.date.today()
    day = problems.read(lambda: queries.as_of(options.as_of, ("query", "as_of"), today)) or today
    wanted = (
        problems.read(lambda: queries.list_iris(options.lists, index.lists, ("query", "lists")))
        or ()
    )
    asked = {
        key: problems.read(
            partial(
                queries.build,
                example.schema_,
                example.properties,
                ("body", "queries", key, "properties"),
                schema_at=("body", "queries", key, "schema"),
            )
        )
        for key, example in body.queries.items()
    }
    try:  # every bad value of the request, not only the first
        problems.raise_any()
    except FieldError as error:
        raise invalid(error) from error
    ready = {key: query for key, query in asked.items() if query is not None}

    def run() -> dict[str, Screening]:
        return {
            key: index.screen(
                query, as_of=day, lists=wanted, limit=options.limit, cutoff=options.cutoff
            )
            for key, query in ready.items()
        }

    # A batch in a thread, so that /health answers meanwhile; one query is quicker inline.
    screenings = await asyncio.to_thread(run) if len(asked) > 1 else run()
    responses = {
        key: {
            "status": 200,
            "results": [
                answers.match_result(c, options.threshold, found.as_of) for c in found.candidates
            ],
            "total": {"value": found.total, "relation": "eq"},
            "not_in_force": [
                {
                    "id": o.iri,
                    "caption": o.caption,
                    "score": o.score,
                    "name_score": o.name_score,
                    "in_force": o.window,
                    "unknown_on_day": o.unknown,
                }
                for o in found.outside
            ],
            "query": body.queries[key].model_dump(by_alias=True),
        }
        for key, found in screenings.items()
    }
    caveat = index.release.caveat(day)
    return JSONResponse(
        {
            "responses": responses,
            "matcher": {"name": "entitylist-kg", "version": __version__},
            "limit": options.limit,
            "threshold": options.threshold,
            "cutoff": options.cutoff,
            "as_of": day.isoformat(),
            "undated_entries": UNDATED,
            "warnings": [caveat] if caveat else [],
            "lists": list(wanted),
            "screened_against": index.release.as_json(),
        }
    )


#: yente's datasets that hold every list we have: its default, and "sanctions", the
#: collection in which OpenSanctions publishes the Consolidated Screening List.
EVERY_LIST = ("default", "sanctions", "entitylist-kg", "all")


def _dataset(dataset: str) -> list[str]:
    """yente's dataset path: every list (EVERY_LIST) or one list."""
    return [] if dataset in EVERY_LIST else [dataset]
