"""/screen: the screening page, a form for one party with the scored candidates, their
explanations and a printable "screened against" line; it works without script."""

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from kg.in_force import UNDATED
from kg.match import normalise, queries
from kg.match.answers import FEATURE_WORDS, record_of, shown, ties
from kg.match.evidence import kind_name
from kg.match.index import MatchIndex
from kg.match.model import Screening
from kg.match.queries import FieldError, kind_schema
from kg.site.render import local_path
from kg.web.screening_request import (
    DEFAULT_CUTOFF,
    DEFAULT_THRESHOLD,
    form_errors,
    in_form_order,
    index_of,
    meant,
    unknown_parameters,
)
from kg.web.state import state

router = APIRouter(tags=["Screening"])


@router.get("/screen", summary="Screening page (HTML)", response_class=HTMLResponse)
@router.head("/screen", include_in_schema=False)
async def screen_page(
    request: Request,
    # Bounds beyond what the readers take: a value too long is said on the page, with the
    # form, by the reader of its field, not as FastAPI's JSON (a name by the route: trial 27).
    name: str = "",
    country: Annotated[str, Query(max_length=200)] = "",
    birth_date: Annotated[str, Query(max_length=100)] = "",
    as_of: Annotated[str, Query(max_length=100)] = "",
    lists: Annotated[str, Query(max_length=500)] = "",
    kind: Annotated[str, Query(max_length=100)] = "",
    limit: Annotated[str, Query(max_length=10)] = "",
) -> HTMLResponse:
    """A form (name, country, date of birth, day, lists) and, once a name is given, the scored
    candidates with their explanations and a printable "screened against" line."""
    index = index_of(request)
    form = {"name": name, "country": country, "birth_date": birth_date, "as_of": as_of}
    form["lists"], form["kind"] = lists, kind
    context: dict[str, Any] = {"form": form, "errors": [], "screening": None, "caveat": None}
    context["unvowelled"] = ""
    # An address with a field misspelt ("as_off") was screened as of today, unsaid (trial 28).
    unknown = unknown_parameters(request, (*form, "limit"), "/screen")
    errors = form_errors(unknown)
    shown_at_most = _limit(limit, errors)
    # The rest of the candidates, a link away: "13 weaker candidates" showed 7 (trial 52a).
    more = request.url.include_query_params(limit=MAX_SHOWN)
    context["more"] = f"{more.path}?{more.query}"
    context["max_shown"] = MAX_SHOWN
    # The form comes back with a misspelt field's value where it was likely meant, to be
    # sent again: nmae=Huawei came back with the name empty (trial 30). Never screened so.
    refilled = dict(form)
    for key in dict.fromkeys(str(each.location[-1]) for each in unknown):
        field = meant(key, tuple(form))
        if field and not refilled[field].strip():
            refilled[field] = request.query_params[key]
    context["form"] = refilled
    # The menu shows the kind as read: kind=person was applied and shown as "Any kind", so
    # that sending the form again dropped it (trial 29).
    chosen = refilled["kind"]
    context["kind_chosen"] = chosen.strip() and (kind_schema(chosen) or "")
    # A form sent with any field is screened, so that a missing name is said with the rest:
    # with a misspelt field too, which hid them (trial 29).
    if any(value.strip() for value in form.values()):
        try:
            screening = _screen_one(index, form, shown_at_most)
            if not unknown:
                context["screening"] = screening
                context["caveat"] = index.release.caveat(screening.as_of)
                context["caveat_brief"] = index.release.caveat_brief(screening.as_of)
                context["unvowelled"] = normalise.letter_for_letter(name)
        except FieldError as error:
            errors += form_errors(error.each)
    context["errors"] = in_form_order(errors, FORM_FIELDS)
    status = 422 if errors else 200
    page = (
        state(request)
        .templates.get_template("screen.html")
        .render(
            root="/",
            release=index.release,
            threshold=DEFAULT_THRESHOLD,
            undated=UNDATED,
            feature_words=FEATURE_WORDS,
            kind_name=kind_name,
            lists=sorted(index.lists.values(), key=lambda item: item[1] or item[0]),
            # A list screened against by its abbreviation, not its IRI (trial 53b).
            list_words={iri: words[1] or words[0] for iri, words in index.lists.items()},
            local=lambda iri: local_path(iri, state(request).settings.base_iri),
            record_of=record_of,
            ties=ties,
            # Four places, as kg screen writes them: 0.697 shown 0.70 beside "0 possible
            # matches (a score of 0.7 or more)" (trial 31).
            score_text=shown,
            **context,
        )
    )
    return HTMLResponse(page, status_code=status)


#: The page's fields, in its form's order.
FORM_FIELDS = ("name", "country", "kind", "birth_date", "as_of", "lists")
#: How many candidates the page shows, unless asked for more, and at most.
SHOWN, MAX_SHOWN = 10, 100


def _limit(text: str, errors: list[tuple[str, str]]) -> int:
    """How many candidates to show: `limit`, a whole number from 1 to MAX_SHOWN, else SHOWN
    with the error said."""
    if not text.strip():
        return SHOWN
    try:
        return queries.whole_number(text, ("limit",), 1, MAX_SHOWN)
    except FieldError as error:
        errors += form_errors(error.each)
        return SHOWN


def _screen_one(index: MatchIndex, form: Mapping[str, str], limit: int = SHOWN) -> Screening:
    values = {"name": [form["name"]]}
    if form["country"].strip():
        values["country"] = [form["country"]]
    if form["birth_date"].strip():
        values["birthDate"] = [form["birth_date"]]
    # No kind chosen: any kind, so that a vessel's name is not held against it.
    problems = queries.Problems()
    kind = problems.read(lambda: queries.read_kind(form["kind"], ("kind",)))
    query = problems.read(lambda: queries.build(kind or "Thing", values, ()))
    day = problems.read(lambda: queries.as_of(form["as_of"], ("as_of",), dt.date.today()))
    wanted = problems.read(lambda: queries.list_iris([form["lists"]], index.lists, ("lists",)))
    problems.raise_any()
    assert query is not None and day is not None  # read, or raised above
    return index.screen(query, as_of=day, lists=wanted or (), limit=limit, cutoff=DEFAULT_CUTOFF)
