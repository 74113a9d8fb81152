"""What every router needs, held on app.state and reached through `state(request)`."""

from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from jinja2 import Environment

from kg.config import Settings
from kg.site.ontology_doc import TermDoc
from kg.web.search import NameIndex
from kg.web.workers import QueryPool


@dataclass
class AppState:
    settings: Settings
    pool: QueryPool
    templates: Environment
    dumps_dir: Path
    index: NameIndex
    site_dir: Path | None
    ontology_terms: list[TermDoc]


def state(request: Request) -> AppState:
    app_state: AppState = request.app.state.kg
    return app_state
