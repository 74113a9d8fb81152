"""The build a server serves, whole: pinned while it is served, switched whole when rebuilt.

A rebuild swaps a new folder into the build's place. Read by path, the server would then
send new pages with old query answers until it reloaded. So the server pins the folder it
loaded by a descriptor (its files are read through /proc/self/fd/N, wherever the folder is
moved) and holds it against removal (kg.publish.readers). A watch notices a new folder in
the build's place, loads it beside the old one (new workers, new name index), checks it,
and switches everything at once; the old workers finish the queries they have, then stop.
"""

import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from kg.config import Settings
from kg.errors import KgError
from kg.match.index import MatchIndex
from kg.match.labels import KINDS_BROADER, broader_of
from kg.match.name_index import COUNTRIES, NAMES, NameIndex, from_rows
from kg.publish import checksums, indexes, persistent, readers
from kg.publish.files import (
    CHECKSUMS,
    DESCRIPTION,
    DUMPS,
    INDEXES,
    MARKER,
    NQUADS,
    ONTOLOGY_FILE,
    STORE,
    STORE_DATABASE,
)
from kg.site.ontology_doc import TermDoc, document
from kg.vocab import PREFIXES
from kg.web.screening import load_index
from kg.web.worker_process import Job
from kg.web.workers import PoolLimits, QueryPool, QueryRunner

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServedBuild:
    """One build folder as the server reads it."""

    #: Where the folder's files are read: /proc/self/fd/N on Linux, so moves do not matter.
    root: Path
    #: Where the folder was when it was pinned: what query workers load (other processes).
    path: Path
    #: (device, inode) of the folder: a rebuild puts another folder in its place.
    identity: tuple[int, int]
    descriptor: int
    hold: int

    @classmethod
    def pin(cls, out_dir: Path) -> "ServedBuild":
        path = out_dir.resolve()
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError as error:
            raise KgError(
                f"cannot open the build folder: {error.strerror}",
                where=str(out_dir),
                hint="run `kg build` first, or point --out at a build folder",
            ) from error
        try:
            hold = readers.hold(path)
        except KgError:
            os.close(descriptor)
            raise
        info = os.fstat(descriptor)
        proc = Path(f"/proc/self/fd/{descriptor}")
        root = proc if sys.platform == "linux" and proc.exists() else path
        return cls(root, path, (info.st_dev, info.st_ino), descriptor, hold)

    def release(self) -> None:
        readers.release(self.hold)
        os.close(self.descriptor)


def replaced(current: ServedBuild, out_dir: Path) -> bool:
    """Whether another complete build stands in out_dir's place now."""
    try:
        info = out_dir.stat()
    except OSError:
        return False
    if (info.st_dev, info.st_ino) == current.identity:
        return False
    dumps = out_dir / "dumps"
    return (out_dir / MARKER).is_file() and (dumps / CHECKSUMS).is_file()


@dataclass(frozen=True)
class Loaded:
    """A build with what the server made of it: workers, name index, ontology terms."""

    build: ServedBuild
    pool: QueryRunner
    index: NameIndex
    terms: list[TermDoc]
    #: The start of the SHA-256 of the build's SHA256SUMS: which build this is, exactly.
    digest: str
    #: The screening index of /match, /reconcile and /screen (kg.match).
    screening: MatchIndex | None = None


def checked_store(build: ServedBuild) -> persistent.Checked:
    """The build's store, checked file by file against its SHA256SUMS, with the dumps the
    server reads or sends as the data's own: a damaged or half-copied build is refused."""
    # A dump cut short at a line boundary still parses: only its checksum tells.
    checksums.verify(build.root / DUMPS, (NQUADS, ONTOLOGY_FILE, DESCRIPTION))
    checked = persistent.verify(build.root / STORE)
    return dataclasses.replace(checked, database=worker_path(build) / STORE_DATABASE)


def worker_path(build: ServedBuild) -> Path:
    """The store folder as a query worker opens it: through this process's descriptor of the
    pinned folder where there is one, so that a worker started after a rebuild still opens
    the store of the build it serves, not the one that took its place."""
    if build.root == build.path:
        return build.path / STORE
    return Path(f"/proc/{os.getpid()}/fd/{build.descriptor}") / STORE


def limits(settings: Settings) -> PoolLimits:
    return PoolLimits(
        size=settings.query_workers,
        timeout=settings.query_timeout,
        queue=settings.queue,
        memory_mb=settings.worker_memory_mb,
        demote_after=settings.demote_after,
    )


@dataclass(frozen=True, kw_only=True)
class Checked:
    """A build's store and indexes, checked against their SHA256SUMS."""

    store: persistent.Checked
    #: None for a build made before builds wrote them: the server then makes its own.
    indexes: indexes.Indexes | None


def checked(build: ServedBuild, cache_dir: Path) -> Checked:
    """The build's store and indexes, checked: a damaged or half-copied build is refused.
    Digests are remembered in cache_dir while the files stay as they were (kg.publish.checksums)."""
    with checksums.remembering(cache_dir):
        return Checked(store=checked_store(build), indexes=built_indexes(build))


async def load(build: ServedBuild, settings: Settings, parts: Checked | None = None) -> Loaded:
    """Start workers on the build's store and open its indexes.

    `parts` are the build's store and indexes if they were checked already; else they are
    checked here.
    """
    if parts is None:
        parts = await asyncio.to_thread(checked, build, settings.cache_dir)
    pool = QueryPool(parts.store, limits(settings), PREFIXES)
    await pool.start()
    return await indexed(build, pool, *release_of(build), parts.indexes)


def release_of(build: ServedBuild) -> tuple[str, str]:
    """The build's release (the start of the SHA-256 of its SHA256SUMS) and the SHA-256 of
    its N-Quads dump."""
    dumps = build.root / DUMPS
    return checksums.release_digest(dumps), checksums.read(dumps).get(NQUADS, "")


def built_indexes(build: ServedBuild) -> indexes.Indexes | None:
    """The indexes the build wrote, checked against their SHA256SUMS; None for a build made
    before builds wrote them (the server then makes its own from its workers' answers)."""
    folder = build.root / INDEXES
    if not indexes.present(folder):
        log.warning(
            "the build has no %s/: making the indexes here (rebuild to start sooner)", INDEXES
        )
        return None
    return indexes.verify(folder)


async def indexed(
    build: ServedBuild,
    pool: QueryRunner,
    digest: str,
    nquads_sha256: str,
    files: indexes.Indexes | None = None,
) -> Loaded:
    """The release `digest` with its indexes: `files`, the build's, or else made from
    `pool`'s answers (the pool is stopped if they fail), the screening index naming the
    release's N-Quads dump by `nquads_sha256`."""
    try:
        if files is None:
            index = await name_index(pool)
            screening = await load_index(pool, nquads_sha256)
        else:
            index, screening = files.names, files.screening
        terms = await asyncio.to_thread(document, build.root / DUMPS / ONTOLOGY_FILE)
    except BaseException:
        await pool.stop()
        raise
    log.info("name index: %d names", len(index))
    return Loaded(build, pool, index, terms, digest, screening)


async def follow(
    out_dir: Path,
    settings: Settings,
    current: Callable[[], Loaded],
    switch: Callable[[Loaded], None],
    every: float = 2.0,
) -> None:
    """Watch out_dir; when a new build stands there, load it and switch to it whole.

    While the new build loads, the server holds both: twice the workers' memory for the time.
    """
    refused: tuple[int, int] | None = None
    retiring: set[asyncio.Task[None]] = set()  # held, so that no task is collected mid-way
    while True:
        await asyncio.sleep(every)
        old = current()
        if not replaced(old.build, out_dir):
            continue
        try:
            new_build = ServedBuild.pin(out_dir)
        except KgError as error:
            log.debug("not switching yet: %s", error)
            continue
        if new_build.identity == refused:
            release_quietly(new_build)
            continue
        try:
            loaded = await load(new_build, settings)
        except Exception as error:  # whatever it is, the watch goes on and the old build stays
            log.error("the new build is not served, the previous one is: %s", error)
            refused = new_build.identity
            release_quietly(new_build)
            continue
        switch(loaded)
        log.info("now serving the new build at %s", out_dir)
        task = asyncio.get_running_loop().create_task(retire(old, settings.query_timeout))
        retiring.add(task)
        task.add_done_callback(retiring.discard)


async def retire(old: Loaded, grace: float, *, release_build: bool = True) -> None:
    """Let the old pool finish what it has (within `grace` seconds), then stop it, and let
    go of its build folder unless it is still the one served (kg serve --store)."""
    await asyncio.sleep(grace + 1)
    await old.pool.stop()
    if release_build:
        release_quietly(old.build)


class Switchable:
    """An ASGI app over one build's files (site, dumps), pointed at another build at once."""

    def __init__(self, serve: Callable[[ServedBuild], ASGIApp], build: ServedBuild) -> None:
        self.serve = serve
        self.app = serve(build)

    def point_at(self, build: ServedBuild) -> None:
        self.app = self.serve(build)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def release_quietly(build: ServedBuild) -> None:
    with contextlib.suppress(OSError):
        build.release()


async def name_index(pool: QueryRunner) -> NameIndex:
    names, kinds, countries = [
        json.loads(
            (await pool.run(Job(query, format="json", limit=1_000_000, ours=True), own=True)).body
        )
        for query in (NAMES, KINDS_BROADER, COUNTRIES)
    ]
    return await asyncio.to_thread(_index_from_rows, names, kinds, countries)


def _index_from_rows(
    names: dict[str, Any], kinds: dict[str, Any], countries: dict[str, Any]
) -> NameIndex:
    def values(answer: dict[str, Any]) -> Iterator[dict[str, str]]:
        for row in answer["results"]["bindings"]:
            yield {name: term["value"] for name, term in row.items()}

    return from_rows(values(names), broader_of(values(kinds)), values(countries))
