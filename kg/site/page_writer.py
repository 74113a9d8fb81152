"""What the page modules need of the site writer: writing a page and writing a file."""

from typing import Any, Protocol

from kg.site.pages import Facts


class PageWriter(Protocol):
    facts: Facts

    def write(self, relative: str, template: str, **context: Any) -> None: ...

    def write_file(self, relative: str, payload: bytes) -> None: ...
