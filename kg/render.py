"""The one Jinja2 environment: autoescaped, strict about undefined values."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from kg.config import PROJECT_DIR

SITE_DIR = PROJECT_DIR / "site"


def environment(base_iri: str, site_dir: Path = SITE_DIR) -> Environment:
    """Templates from site/templates; `local` turns one of our IRIs into a path on this host."""
    env = Environment(
        loader=FileSystemLoader(site_dir / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["local"] = lambda iri: local_path(str(iri), base_iri)
    return env


def local_path(iri: str, base_iri: str) -> str:
    """'/id/org/x' for an IRI under our base, so that a local run can be browsed link by link."""
    return "/" + iri[len(base_iri) :] if iri.startswith(base_iri) else iri
