"""One root error. Each error says where the problem is and what to do about it."""


class KgError(Exception):
    """A problem the user can act on: what is wrong, where, and what to do."""

    def __init__(self, what: str, *, where: str | None = None, hint: str | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.what}" if self.where else self.what
        return f"{text}\n  what to do: {self.hint}" if self.hint else text


class SourceError(KgError):
    """A source or its configuration cannot be read, or breaks its own expectations."""


class InvalidGraphError(KgError):
    """The graph does not conform to the shapes; nothing was published."""


class OutputError(KgError):
    """The build folder cannot be written."""
