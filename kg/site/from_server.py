"""The static site rendered from the release a SPARQL server holds (`kg build --site-from`).

The renderer (kg.site.writer.render_site) reads a store through `query()` alone, so a SPARQL
server that `kg publish` loaded stands in for the embedded store: each query goes with the
release's dataset (the pointer's default and named graphs, kg.publish.pointer). The server
must hold this very build's release, so that the pages say what the dumps beside them say;
builds are deterministic, so the same sources give the same release.
"""

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from kg.errors import KgError
from kg.publish import pointer
from kg.remote_store import Credentials, Dataset, RemoteStore, checked_url
from kg.site.context import Release
from kg.site.writer import render_site

log = logging.getLogger(__name__)

#: Seconds one query of the renderer may take: it reads the whole release in one of them.
TIMEOUT = 600.0


class ServerView:
    """A SPARQL server's release behind `pyoxigraph.Store.query` and `quads_for_pattern`,
    for the site renderer.

    Its own connection in each process (the renderer forks, and two processes must not
    share one connection); graphs come back as Oxigraph's QueryTriples, as the embedded
    store gives them."""

    def __init__(self, url: str, dataset: Dataset, credentials: Credentials | None) -> None:
        self.url, self.dataset, self.credentials = url, dataset, credentials
        self._store: RemoteStore | None = None
        self._pid = 0

    def _remote(self) -> RemoteStore:
        if self._store is None or self._pid != os.getpid():
            self._store = RemoteStore(self.url, credentials=self.credentials, timeout=TIMEOUT)
            self._store.dataset, self._pid = self.dataset, os.getpid()
        return self._store

    def query(self, query: str, **options: object) -> object:
        answer = self._remote().query(query, **options)  # type: ignore[arg-type]
        if not isinstance(answer, list):
            return answer
        # The triples as the embedded store answers a graph: a QueryTriples to iterate.
        graph = ox.Store()
        graph.extend(ox.Quad(t.subject, t.predicate, t.object) for t in answer)
        return graph.query("CONSTRUCT WHERE { ?s ?p ?o }")

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | None,
        predicate: ox.NamedNode | None,
        object: ox.NamedNode | None,
        graph_name: None = None,
    ) -> Iterator[ox.Quad]:
        """As pyoxigraph.Store.quads_for_pattern, over the named graphs alone: what the
        renderer reads a resource's stated triples from (kg.site.edges)."""
        del graph_name
        # The terms written into the pattern by Oxigraph, never formatted input: a trailing
        # VALUES block (RemoteStore's bindings) has some servers read every quad first.
        bound = {"s": subject, "p": predicate, "o": object}
        pattern = " ".join(str(term) if term else f"?{name}" for name, term in bound.items())
        answer = self._remote().query(f"SELECT * WHERE {{ GRAPH ?g {{ {pattern} }} }}")
        assert isinstance(answer, ox.QuerySolutions)
        for row in answer:
            s, p, o = (bound[name] or row[name] for name in ("s", "p", "o"))
            yield ox.Quad(s, p, o, row["g"])

    def close(self) -> None:
        if self._store is not None and self._pid == os.getpid():
            self._store.close()


def render_from_server(url: str, folder: Path, base: str, release: Release, digest: str) -> int:
    """Render the site into `folder` from the server at `url`, which must hold `digest`."""
    checked_url(url, "--site-from")
    credentials = Credentials.from_env()
    with RemoteStore(url, credentials=credentials) as store:
        published = pointer.read(store, base)
    if published is None:
        raise KgError(
            "the SPARQL server holds no release of ours",
            where=url,
            hint="publish this build first (kg publish), then build again with --site-from",
        )
    if published.digest != digest:
        raise KgError(
            f"the SPARQL server holds release {published.digest}, this build is release {digest}",
            where=url,
            hint="publish this build first (kg publish --out ...), then build again from the "
            "same sources with --site-from; or build without --site-from",
        )
    log.info("rendering the site from release %s at %s", digest, url)
    view = ServerView(url, published.dataset, credentials)
    try:
        return render_site(cast(ox.Store, view), folder, base, release)
    finally:
        view.close()
