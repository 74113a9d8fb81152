"""A query's syntax error as a person reads it: the line, a caret under the place, and what
the parser expected there.

The engine says `error at 2:30: expected one of ABS, AVG, ..., [_], isLITERAL`: a line and a
column (characters, from 1) and a list that holds the parser's own tokens: `[_]` and
character classes, which name nothing a user could write (but `['0'..='9']`: a digit), and
"Prefix not found" where a prefix is not declared.
"""

import difflib
import re

from kg.remote_store import SYNTAX_AT, code_of

#: One item of the parser's list of what it expected: a quoted token (`"["`, `"\""`), one of
#: its own tokens in brackets (`[_]`, anything else; a character class, `['A' ..= 'Z' |
#: ...]`, quoted characters and all), or a word (`FILTER`).
_ITEM = re.compile(r'"(?:\\.|[^"\\])*"|\[(?:\'(?:\\.|[^\'\\])*\'|[^\]\'])*\]|[^,\s][^,]*')
DIGIT = "['0'..='9']"
#: What the parser lists where a prefixed name's prefix is not declared.
_NO_PREFIX = "Prefix not found"


def explained(query: str, message: str) -> str:
    """The engine's `message` about `query`, with the line and a caret where it points.

    >>> print(explained("SELECT * WHERE { ?s ?p ?o } LIMIT x",
    ...                 "error at 1:35: expected one of HAVING, OFFSET, ['0'..='9']"))
    query syntax error at line 1, column 35: expected one of HAVING, OFFSET, a digit
    SELECT * WHERE { ?s ?p ?o } LIMIT x
                                      ^
    """
    if not code_of(query).strip():  # nothing but blanks and comments
        return "the query is empty: send a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)"
    found = SYNTAX_AT.match(message)
    lines = query.splitlines() or [""]
    if found is None or not 1 <= int(found[1]) <= len(lines):
        return f"query syntax error: {message}"
    number, column = int(found[1]), max(int(found[2]), 1)
    line = lines[number - 1]
    said = message[found.end() :]
    cause, place = "", 0
    if _NO_PREFIX in said:
        # The parser stops after the prefixed name: the caret goes under its prefix, the
        # cause it names ("?x a foaf:Person" read as a pattern without its object, trial 41).
        what, start = _undeclared(line[: column - 1])
        column = start + 1
    else:
        what = _expected(said)
        # The cause, where we can see it, said at its place: what the parser expected where
        # it gave up is a guess, which read as a contradiction beside it (trial 32).
        at = sum(len(text) + 1 for text in lines[: number - 1]) + column - 1
        cause, place = (
            _form(query)
            or _bad_escape(query)
            or _unclosed_string(query)
            or _unbalanced(query)
            or _no_object(query, at)
            or _misspelt(query)
            or ("", 0)
        )
    if cause:
        what = cause
        number = query.count("\n", 0, place) + 1
        line, column = lines[number - 1], place - query.rfind("\n", 0, place)
    # A tab keeps its width under the caret.
    indent = "".join("\t" if c == "\t" else " " for c in line[: column - 1])
    return f"query syntax error at line {number}, column {column}: {what}\n{line}\n{indent}^"


def _expected(said: str) -> str:
    """What the parser expected, in words a user can act on.

    >>> _expected("expected one of HAVING, ['A' ..= 'Z' | 'a' ..= 'z'], [_], ['0'..='9']")
    'expected one of HAVING, a digit'
    >>> _expected('expected one of "(", "[", FILTER, [_], ["a" | "b"]')
    'expected one of "(", "[", FILTER'
    """
    head = next((h for h in ("expected one of ", "expected ") if said.startswith(h)), None)
    if head is None:
        return said
    items = [item.strip() for item in _ITEM.findall(said[len(head) :])]
    words = ["a digit" if i == DIGIT else i for i in items if i == DIGIT or not i.startswith("[")]
    if not words:  # only the parser's own tokens were listed
        return "the query cannot be read past this point"
    return ("expected one of " if len(words) > 1 else "expected ") + ", ".join(words)


#: The first word of an operation past its prologue (IRIs blanked out by code_of).
_OPERATION = re.compile(r"\s*(?:(?:PREFIX\s+[\w.-]*:|BASE)\s*)*([A-Za-z]+)", re.IGNORECASE)
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


def is_update(query: str) -> bool:
    """Whether the text is a SPARQL Update (sent as a query, the parser only says it
    expected a query form there).

    >>> is_update("PREFIX a: <http://x#>\\n# note\\nINSERT DATA { <a> <b> <c> }")
    True
    >>> is_update("SELECT * WHERE { ?s ?p ?o }")
    False
    """
    found = _OPERATION.match(code_of(query))
    return found is not None and found[1].upper() in _UPDATES


_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


def _form(query: str) -> tuple[str, int] | None:
    r"""A query that begins with no query form, and where its first word is: "SELEC ?s
    WHERE" was "expected CONSTRUCT", under the ?s (trial 27), and then led with it before
    saying what a query begins with (trial 41b).

    >>> said, at = _form("PREFIX a: <http://x#>\nSELEC ?s WHERE { ?s ?p ?o }")
    >>> said.split(" A query")[0], at
    ("'SELEC' begins no query: did you mean SELECT?", 22)
    >>> _form("select * {}") is None
    True
    """
    found = _OPERATION.match(code_of(query))
    if found is None or found[1].upper() in (*_FORMS, *_UPDATES, "PREFIX", "BASE"):
        return None
    word = found[1]
    meant = difflib.get_close_matches(word.upper(), _FORMS, n=1, cutoff=0.6)
    hint = f" did you mean {meant[0]}?" if meant else ""
    forms = f"{', '.join(_FORMS[:-1])} or {_FORMS[-1]}"
    said = f"{word!r} begins no query:{hint} A query begins with {forms}, after its PREFIX and"
    return f"{said} BASE lines", found.start(1)


#: A "%" that does not begin a percent-encoding: outside strings, IRIs and comments, SPARQL
#: reads "%" only so (in a prefixed name).
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})(.{0,2})")


def _bad_escape(query: str) -> tuple[str, int] | None:
    """A "%" in the query's code that begins no percent-encoding, and where it is: a URL
    with "%ZZ" gave the query "%ZZ" as it came, and the parser's list of what it expected
    there (trial 41b).

    >>> said, at = _bad_escape('ASK { ?s ?p "100%" } %ZZ')
    >>> said.split(":")[0], at
    ("'%ZZ' is no percent-encoding", 21)
    """
    found = _BAD_ESCAPE.search(code_of(query))
    if found is None:
        return None
    shown = query[found.start() : found.end()].split()[0] if found[1].strip() else "%"
    return (
        f"{shown!r} is no percent-encoding: the query came with a '%' not encoded; let the "
        "client encode the query (a '%' is %25 in a URL or form)",
        found.start(),
    )


#: A prefixed name's prefix, ending where the parser stopped (`foo:name` -> `foo`).
_PREFIXED = re.compile(r"([A-Za-z][\w.-]*)?:[\w.-]*$")


def _undeclared(before: str) -> tuple[str, int]:
    """The prefix of the prefixed name the parser stopped after, which no PREFIX declares,
    and where that name begins (0-based; the end if none is found).

    >>> _undeclared("SELECT * WHERE { ?s foo:name")
    ("the prefix 'foo:' is not declared: add PREFIX foo: <its IRI> before the query", 20)
    """
    found = _PREFIXED.search(before)
    prefix = (found[1] or "") if found else ""
    what = f"the prefix '{prefix}:' is not declared: add PREFIX {prefix}: <its IRI>"
    return f"{what} before the query", found.start() if found else len(before)


def _unclosed_string(query: str) -> tuple[str, int] | None:
    r"""Where a string begins that its line does not close: the parser said only what
    characters it expected at the end of the line (trials 41, 42). Outside strings, IRIs and
    comments no quote can stand, so one left by code_of opens a string never closed.

    >>> said, at = _unclosed_string('SELECT * WHERE { ?s ?p "abc }')
    >>> said.split(" (")[0], at
    ('the string that begins here is never closed: end it with " on the same line', 23)
    >>> _unclosed_string("ASK { ?s ?p 'it''s' }") is None
    True
    """
    found = re.search(r"[\"']", code_of(query))
    if found is None:
        return None
    quote = found[0]
    return (
        f"the string that begins here is never closed: end it with {quote} on the same line "
        f"(a string of several lines is written between {quote * 3})",
        found.start(),
    )


def _unbalanced(query: str) -> tuple[str, int] | None:
    r"""Where a bracket is opened and never closed (or closed and never opened), past
    strings, IRIs and comments, and where it is: the parser places a missing ")" where it
    gave up, lines later, and names what it expected there.

    >>> _unbalanced('ASK {\n  FILTER(CONTAINS(?n, ")")\n}')
    ("the '(' is never closed", 14)
    """
    code = code_of(query)  # as long as the query, its lines kept
    for opening, closing in ("()", "{}", "[]"):
        opened: list[int] = []
        for at, char in enumerate(code):
            if char == opening:
                opened.append(at)
            elif char == closing and opened:
                opened.pop()
            elif char == closing:
                return f"the '{closing}' closes nothing", at
        if opened:
            return f"the '{opening}' is never closed", opened[-1]
    return None


#: Where a triple pattern begins (after "{", "}" or a "." that ends one), or goes on with
#: another predicate (";"): the last of them before the place the parser gave up.
_PATTERN_START = re.compile(r"[{};]|\.(?=\s|$)")
#: A term that may be a subject or a predicate: a variable, an IRI, a prefixed name, "a".
_TERM = re.compile(r"[?$]\w+|<[^>\s]*>|[\w.-]*:[\w.-]*|a")


def _no_object(query: str, at: int) -> tuple[str, int] | None:
    """A triple pattern that ends without its object, and where it begins: the parser said
    only "expected one of LATERAL, SERVICE" under the "}" (trial 29).

    >>> _no_object("SELECT * WHERE { ?s ?p }", 23)
    ("the triple pattern '?s ?p' has no object: write subject, predicate and object (?s ?p ?o)", 17)
    >>> _no_object("ASK { ?s a ?c ; ex:p }", 20)[0]
    "the predicate 'ex:p' after ';' has no object: write predicate and object (ex:p ?o)"
    >>> _no_object("ASK { ?s ?p ?o }", 15) is None
    True
    """
    text = query[:at].rstrip()
    text = text[:-1].rstrip() if text.endswith(("}", ".", ";")) else text
    starts = list(_PATTERN_START.finditer(code_of(query)[: len(text)]))
    if not starts:
        return None
    terms = text[starts[-1].end() :].split()
    if not all(_TERM.fullmatch(term) for term in terms):
        return None
    said, begins = " ".join(terms), text.find(terms[0], starts[-1].end()) if terms else 0
    if starts[-1][0] == ";" and len(terms) == 1:
        what = "predicate and object"
        return f"the predicate {said!r} after ';' has no object: write {what} ({said} ?o)", begins
    if starts[-1][0] != ";" and len(terms) == 2:
        what = "subject, predicate and object"
        return f"the triple pattern {said!r} has no object: write {what} ({said} ?o)", begins
    return None


#: Every word SPARQL 1.1 (and Oxigraph's RDF 1.2 additions) reads bare: keywords and
#: built-in functions, and the literals true and false; with the query forms and updates.
_KEYWORDS = """
    BASE PREFIX DISTINCT REDUCED AS FROM NAMED WHERE GROUP BY
    HAVING ORDER ASC DESC LIMIT OFFSET VALUES UNDEF OPTIONAL GRAPH SERVICE SILENT BIND MINUS
    FILTER UNION NOT EXISTS IN A TRUE FALSE LATERAL COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT
    SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND
    CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER
    YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384
    SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX
    SUBSTR REPLACE TRIPLE SUBJECT PREDICATE OBJECT ISTRIPLE LANGDIR STRLANGDIR HASLANG
    HASLANGDIR ADJUST DATA USING DEFAULT ALL INTO TO
"""
KEYWORDS = frozenset(_KEYWORDS.split()) | _UPDATES | frozenset(_FORMS)
#: A word read bare: not a variable, a prefixed name, a language tag or a blank node's label.
_BARE = re.compile(r"(?<![\w?$@:_-])([A-Za-z][A-Za-z0-9_]*)(?![\w:-])")


def _misspelt(query: str) -> tuple[str, int] | None:
    r"""The first word of the query that SPARQL does not read bare, the keyword it may mean,
    and where it is: "LIMT 5" was "expected one of HAVING, OFFSET, OPTIONAL, VALUES", which
    leaves out LIMIT, under the 5 (trial 31).

    >>> _misspelt("SELECT * WHERE {\n  ?s ?p ?o FILTR(?o > 1)\n}")
    ("'FILTR' is no SPARQL keyword or function: did you mean FILTER?", 28)
    >>> _misspelt('SELECT * WHERE { ?s rdfs:label "LIMT"@en } LIMIT x') is None
    True
    """
    for found in _BARE.finditer(code_of(query)):
        word = found[1]
        if word.upper() in KEYWORDS:
            continue
        meant = difflib.get_close_matches(word.upper(), KEYWORDS, n=1, cutoff=0.7)
        if meant:  # else a guess of ours would be no better than the parser's
            return (
                f"{word!r} is no SPARQL keyword or function: did you mean {meant[0]}?",
                found.start(),
            )
    return None
