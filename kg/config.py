"""Settings: one frozen object, from defaults, KG_* environment variables and options."""

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg import iris
from kg.errors import KgError

PROJECT_DIR = Path(__file__).resolve().parent.parent

#: Each setting: environment variable, help text. Defaults are the dataclass field defaults.
DOCUMENTED = {
    "base_iri": ("KG_BASE_IRI", "base of every IRI we mint"),
    "data_dir": ("KG_DATA_DIR", "folder of the bundled sources (dataset.toml, sources/)"),
    "ontology_dir": ("KG_ONTOLOGY_DIR", "folder of the ontology and SHACL shapes"),
    "out_dir": ("KG_OUT_DIR", "build folder, replaced as a whole by each successful build"),
    "build_date": ("KG_BUILD_DATE", "release date written into the dataset description"),
    "host": ("KG_HOST", "address kg serve listens on (loopback by default)"),
    "port": ("KG_PORT", "port kg serve listens on"),
    "query_timeout": ("KG_QUERY_TIMEOUT", "seconds a query may run before it is stopped; then 503"),
    "result_limit": ("KG_RESULT_LIMIT", "most rows or triples one query returns (announced)"),
    "query_workers": ("KG_QUERY_WORKERS", "worker processes that run queries"),
    "max_query_length": (
        "KG_MAX_QUERY_LENGTH",
        "longest query text accepted, in characters; a longer one gets 400",
    ),
    "max_query_depth": (
        "KG_MAX_QUERY_DEPTH",
        "deepest nesting of brackets and braces accepted in a query; deeper gets 400",
    ),
    "max_body_bytes": (
        "KG_MAX_BODY_BYTES",
        "largest request body accepted, in bytes; a larger one gets 413",
    ),
    "max_result_bytes": (
        "KG_MAX_RESULT_BYTES",
        "largest result body, in bytes; a larger result is cut by rows and flagged",
    ),
    "per_client": ("KG_PER_CLIENT", "queries one client may have running at once; beyond, 429"),
    "queue": ("KG_QUEUE", "queries that may wait for a worker; beyond, 503 at once"),
    "header_timeout": ("KG_HEADER_TIMEOUT", "seconds a request's headers may take to arrive"),
    "body_timeout": ("KG_BODY_TIMEOUT", "seconds a request's body may take to arrive; beyond, 408"),
    "idle_timeout": ("KG_IDLE_TIMEOUT", "seconds an idle keep-alive connection is kept open"),
    "max_connections": (
        "KG_MAX_CONNECTIONS",
        "open connections and requests at once; beyond, 503",
    ),
    "connections_per_client": (
        "KG_CONNECTIONS_PER_CLIENT",
        "open connections one client address may hold; beyond, new ones are closed (0: no bound)",
    ),
    "worker_memory_mb": (
        "KG_WORKER_MEMORY_MB",
        "address space of one query worker in MiB; a query that needs more gets 503",
    ),
    "demote_after": (
        "KG_DEMOTE_AFTER",
        "seconds of CPU a query may use at normal priority; past them its worker runs at the "
        "lowest and is replaced once the query ends (0: never)",
    ),
    "cache_dir": ("KG_CACHE_DIR", "where downloads given by URL are kept"),
    "shacl_engine": ("KG_SHACL_ENGINE", "oxigraph (fast, the default) or pyshacl (reference)"),
    "store_url": (
        "KG_STORE_URL",
        "query endpoint of a SPARQL server: kg publish loads into it, kg serve --store reads it",
    ),
    "site_from": (
        "KG_SITE_FROM",
        "kg build: render the site from the release this SPARQL query endpoint holds",
    ),
    "update_url": ("KG_UPDATE_URL", "SPARQL Update endpoint of that server (kg publish)"),
    "gsp_url": ("KG_GSP_URL", "Graph Store Protocol endpoint of that server (kg publish)"),
}


@dataclass(frozen=True, kw_only=True)
class Settings:
    base_iri: str = iris.DEFAULT_BASE
    data_dir: Path = PROJECT_DIR / "data"
    ontology_dir: Path = PROJECT_DIR / "ontology"
    out_dir: Path = Path("build")
    build_date: dt.date | None = field(default=None)
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = 10.0
    result_limit: int = 10_000
    query_workers: int = 3
    max_query_length: int = 100_000
    max_query_depth: int = 64
    max_body_bytes: int = 1_000_000
    max_result_bytes: int = 50_000_000
    worker_memory_mb: int = 4096
    per_client: int = 1
    queue: int = 64
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    idle_timeout: float = 5.0
    max_connections: int = 1000
    connections_per_client: int = 100
    demote_after: float = 1.0
    cache_dir: Path = PROJECT_DIR / ".cache"
    csl: tuple[str, ...] = ()
    #: curated source folders (each with a source.toml) read beside those under data_dir
    sources: tuple[Path, ...] = ()
    strict: bool = False
    shacl_engine: str = "oxigraph"
    #: A SPARQL server of someone else's (kg.remote_store); "" where the build is served itself.
    store_url: str = ""
    #: kg build renders the site from this SPARQL server's release; "" from its own store.
    site_from: str = ""
    update_url: str = ""
    gsp_url: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name, (variable, _) in DOCUMENTED.items():
            if variable in env:
                values[name] = _convert(name, env[variable])
        return cls(**values)  # type: ignore[arg-type]

    def with_options(self, **options: object) -> "Settings":
        """These settings with every option that was given (not None) applied."""
        given = {
            name: _convert(name, value) for name, value in options.items() if value is not None
        }
        return replace(self, **given)  # type: ignore[arg-type]


_NUMBERS: dict[str, type] = {
    "port": int,
    "query_timeout": float,
    "result_limit": int,
    "query_workers": int,
    "max_query_length": int,
    "max_query_depth": int,
    "max_body_bytes": int,
    "max_result_bytes": int,
    "worker_memory_mb": int,
    "per_client": int,
    "queue": int,
    "header_timeout": float,
    "body_timeout": float,
    "idle_timeout": float,
    "max_connections": int,
    "connections_per_client": int,
    "demote_after": float,
}


def _convert(name: str, value: object) -> object:
    try:
        return _typed(name, value)
    except ValueError as error:
        variable = DOCUMENTED.get(name, (name, ""))[0]
        raise KgError(
            f"{value!r} is not a valid value for {name} ({variable}): {error}",
            hint="give a number for limits and ports, YYYY-MM-DD for dates",
        ) from error


#: Release dates a build accepts: the Entity List began in 1997; 2999 is a typo.
RELEASE_DATES = (dt.date(1997, 1, 1), dt.date(2100, 12, 31))


def _release_date(date: dt.date) -> dt.date:
    first, last = RELEASE_DATES
    if not first <= date <= last:
        raise ValueError(f"a release date lies between {first} and {last}")
    return date


def _typed(name: str, value: object) -> object:
    if name in _NUMBERS:
        return _NUMBERS[name](value)
    if name == "csl":
        return tuple(value) if isinstance(value, list | tuple) else (str(value),)
    if name == "sources":
        return tuple(Path(str(v)) for v in (value if isinstance(value, list | tuple) else [value]))
    if name.endswith("_dir"):
        return Path(str(value))
    if name == "build_date" and isinstance(value, str):
        return _release_date(dt.date.fromisoformat(value))
    if name == "base_iri" and not str(value).endswith("/"):
        return f"{value}/"
    return value
