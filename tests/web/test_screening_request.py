"""What the screening routes share: 503 while the index is not loaded, 422 naming the field."""

from pathlib import Path

import pytest
from fastapi import Request
from screening_client import screening_client

from kg.errors import UnavailableError
from kg.match.index import MatchIndex
from kg.match.queries import FieldError
from kg.web import match_routes
from kg.web.screening_request import index_of, invalid


def request_to(built: Path, *, loaded: bool) -> Request:
    app = screening_client(built, match_routes.router, loaded=loaded).app
    return Request({"type": "http", "app": app, "headers": []})


def test_the_index_of_a_served_build(built: Path) -> None:
    assert len(index_of(request_to(built, loaded=True))) > 20
    assert isinstance(index_of(request_to(built, loaded=True)), MatchIndex)


def test_no_index_yet_is_503_with_what_to_do(built: Path) -> None:
    with pytest.raises(UnavailableError, match="not loaded") as raised:
        index_of(request_to(built, loaded=False))
    assert raised.value.status == 503 and "try again" in str(raised.value)


def test_a_field_error_is_fastapis_own_422_shape() -> None:
    error = invalid(FieldError(("body", "queries", "q", "name"), "give a name"))
    assert error.errors() == [
        {
            "loc": ("body", "queries", "q", "name"),
            "msg": "give a name",
            "type": "value_error",
            "input": None,
        }
    ]
