"""What the screening routes share: the index of the served build, a field that cannot be
read as FastAPI's own 422, and the defaults of a screening.

Matching runs in the server's process against the index built at start-up
(kg.web.screening.load_index); no query worker is involved, so screening does not queue behind
SPARQL queries.
"""

import difflib
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.exceptions import RequestValidationError

from kg.errors import UnavailableError
from kg.match.index import MatchIndex
from kg.match.model import CUTOFF
from kg.match.queries import FieldError
from kg.web.state import state

DEFAULT_THRESHOLD, DEFAULT_CUTOFF, DEFAULT_LIMIT = 0.70, CUTOFF, 5

#: The day screened and the lists, as the screening routes take them in the query string.
AsOfParam = Annotated[str | None, Query(description="YYYY-MM-DD; default today")]
ListsParam = Annotated[
    list[str] | None,
    Query(
        description="only these lists: abbreviations (EL, SDN, ...), repeated or comma-separated"
    ),
]


def index_of(request: Request) -> MatchIndex:
    """The index on the app state (the field `screening`), or 503 while it is being built."""
    found = getattr(state(request), "screening", None)
    if not isinstance(found, MatchIndex):
        raise UnavailableError(
            "the screening index is not loaded", hint="try again once the server has started"
        )
    return found


def invalid(error: FieldError) -> RequestValidationError:
    """A FieldError as FastAPI's own 422: {"detail": [{"loc", "msg", "type"}]}, one item for
    each bad value it reports."""
    return RequestValidationError(invalid_items(error.each))


def invalid_items(errors: Iterable[FieldError]) -> list[dict[str, Any]]:
    """FieldErrors as the items of FastAPI's 422."""
    return [
        {"loc": each.location, "msg": each.what, "type": "value_error", "input": None}
        for each in errors
    ]


#: The fields of the pages' forms by the location of a bad value: screening's birthDate is the
#: form's birth_date.
_FIELDS = {"birthDate": "birth_date"}


def form_errors(errors: Iterable[FieldError]) -> list[tuple[str, str]]:
    """(the form's field, what is wrong) of each bad value, for a page to say above its form
    and mark the field: the pages said them below the form, no field marked (trial 55a)."""
    found = []
    for each in errors:
        # FastAPI's ("query", "as_off") of a parameter, screening's ("country", 0) of a value.
        named = next((p for p in each.location if isinstance(p, str) and p != "query"), "")
        found.append((_FIELDS.get(named, named), each.what))
    return found


def in_form_order(errors: list[tuple[str, str]], fields: Sequence[str]) -> list[tuple[str, str]]:
    """`form_errors` in the order of the form's `fields`, those of no field after: /screen
    said the kind's before the country's, which the form asks first (trial 57a)."""
    return sorted(errors, key=lambda e: fields.index(e[0]) if e[0] in fields else len(fields))


def unknown_parameters(request: Request, known: tuple[str, ...], route: str) -> list[FieldError]:
    """A problem for each query parameter that is none of `known`, naming the one likely
    meant: "as_off" was ignored and /match screened as of today, unsaid; /search?query=
    answered nothing (trial 27)."""
    return [
        unknown_field(key, known, route)
        for key in dict.fromkeys(request.query_params)
        if key not in known
    ]


def meant(key: str, known: tuple[str, ...]) -> str | None:
    """The one of `known` a misspelt parameter likely means, if any.

    >>> meant("as_off", ("name", "as_of")), meant("zzz", ("name",))
    ('as_of', None)
    """
    near = difflib.get_close_matches(key, known, n=1)
    return near[0] if near else None


def did_you_mean(key: str, known: tuple[str, ...]) -> str:
    """ "did you mean X? ", X the one of `known` likely meant for `key`; "" where none is."""
    near = meant(key, known)
    return f"did you mean {near}? " if near else ""


def unknown_field(
    key: str,
    known: tuple[str, ...],
    route: str,
    *,
    location: tuple[str | int, ...] | None = None,
    noun: str = "parameter",
) -> FieldError:
    """The problem of a parameter (or another `noun`) that is none of `known`, with the one
    likely meant; at ("query", key) unless `location` is given."""
    said = f"{key} is no {noun} of {route}: {did_you_mean(key, known)}it takes {', '.join(known)}"
    return FieldError(location or ("query", key), said)
