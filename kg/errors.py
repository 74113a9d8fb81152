"""One root error. Each error says where the problem is and what to do about it.

Every error the project raises derives from KgError. The CLI turns one into a message and
`exit_code`; the server into a plain-text answer with `status`. Both map the root once.
"""


class KgError(Exception):
    """A problem the user can act on: what is wrong, where, and what to do."""

    #: The HTTP status where the error answers a request.
    status: int = 400
    #: The exit code of the `kg` command (ARCHITECTURE.md lists them).
    exit_code: int = 1
    #: Seconds a client should wait before it tries again (Retry-After), where that helps.
    retry_after: int | None = None

    def __init__(
        self,
        what: str,
        *,
        where: str | None = None,
        hint: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(what)
        self.what = what
        self.where = where
        self.hint = hint
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        text = f"{self.where}: {self.what}" if self.where else self.what
        return f"{text}\n  what to do: {self.hint}" if self.hint else text


class SourceError(KgError):
    """A source or its configuration cannot be read, or breaks its own expectations."""


class InvalidGraphError(KgError):
    """The graph does not conform to the shapes; nothing was published."""

    exit_code = 2


class OutputError(KgError):
    """The build folder cannot be written."""


class UnavailableError(KgError):
    """The server cannot answer now: a time-out, a lost worker, no free worker (503)."""

    status = 503
    retry_after: int | None = 1
