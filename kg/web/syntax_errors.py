"""A query's syntax error as a person reads it: the line, a caret under the place, and what
the parser expected there.

The engine says `error at 2:30: expected one of ABS, AVG, ..., [_], isLITERAL`: a line and a
column (characters, from 1) and a list that holds the parser's own tokens: `[_]`, which
names nothing a user could write, and character classes (`['0'..='9']`: a digit).
"""

import re

_AT = re.compile(r"error at (\d+):(\d+): ")
#: The parser's token for "anything else" in its list of what it expected.
_ANY = re.compile(r",?\s*\[_\]")
#: A character class in that list: `['0'..='9']`.
_RANGE = re.compile(r"\['(.)'\.\.='(.)'\]")


def explained(query: str, message: str) -> str:
    """The engine's `message` about `query`, with the line and a caret where it points.

    >>> print(explained("SELECT * WHERE { ?s ?p ?o } LIMIT x",
    ...                 "error at 1:35: expected one of HAVING, OFFSET, ['0'..='9']"))
    query syntax error at line 1, column 35: expected one of HAVING, OFFSET, a digit
    SELECT * WHERE { ?s ?p ?o } LIMIT x
                                      ^
    """
    found = _AT.match(message)
    lines = query.splitlines() or [""]
    if found is None or not 1 <= int(found[1]) <= len(lines):
        return f"query syntax error: {message}"
    number, column = int(found[1]), max(int(found[2]), 1)
    line = lines[number - 1]
    what = _ANY.sub("", message[found.end() :]).strip()
    what = _RANGE.sub(lambda r: "a digit" if r[0] == "['0'..='9']" else f"{r[1]} to {r[2]}", what)
    if what in ("expected", "expected one of"):  # only the parser's own tokens were listed
        what = "the query cannot be read past this point"
    # A tab keeps its width under the caret.
    indent = "".join("\t" if c == "\t" else " " for c in line[: column - 1])
    return f"query syntax error at line {number}, column {column}: {what}\n{line}\n{indent}^"
