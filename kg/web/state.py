"""What every router needs, held on app.state and reached through `state(request)`.

The parts that come from the build (workers, name index, files) are replaced together when
the server switches to a rebuilt folder (kg.web.served).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request
from jinja2 import Environment

from kg.config import Settings
from kg.errors import KgError
from kg.match.index import MatchIndex
from kg.match.name_index import NameIndex
from kg.publish.files import DUMPS, SITE
from kg.site.ontology_doc import TermDoc
from kg.web.served import Loaded, Switchable
from kg.web.workers import QueryRunner


@dataclass(kw_only=True)
class AppState:
    settings: Settings
    templates: Environment
    #: The static site and the dumps of the build served, switched with it.
    site: Switchable
    dumps: Switchable
    loaded: Loaded | None = field(default=None)
    #: Why the server could not start (its workers refused the build or the limits): said by
    #: `kg serve` once the server has stopped, as any bad input is, not as a traceback.
    failure: KgError | None = None
    #: Asks the HTTP server to stop before it serves anything (set by `kg serve`).
    stop_serving: Callable[[], None] = lambda: None

    def current(self) -> Loaded:
        assert self.loaded is not None, "the server has not loaded its build yet"
        return self.loaded

    def switch(self, loaded: Loaded) -> None:
        """Serve `loaded` from now on: every part at once (one event-loop step)."""
        self.loaded = loaded
        self.site.point_at(loaded.build)
        self.dumps.point_at(loaded.build)

    @property
    def pool(self) -> QueryRunner:
        return self.current().pool

    @property
    def index(self) -> NameIndex:
        return self.current().index

    @property
    def screening(self) -> MatchIndex | None:
        return self.current().screening

    @property
    def ontology_terms(self) -> list[TermDoc]:
        return self.current().terms

    @property
    def dumps_dir(self) -> Path:
        return self.current().build.root / DUMPS

    @property
    def site_dir(self) -> Path | None:
        folder = self.current().build.root / SITE
        return folder if folder.is_dir() else None


def state(request: Request) -> AppState:
    app_state: AppState = request.app.state.kg
    return app_state
