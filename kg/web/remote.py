"""`kg serve --store URL`: queries answered by a SPARQL server that `kg publish` loaded.

The server's answers are parsed into Oxigraph's result objects and written by the same code
as the query workers' (kg.web.worker_process.run_job), so every route gives the same answers
as on the embedded store (solutions a query leaves unordered may come in another order).
Every query is bounded on our side whatever the server does: a server that is down, refuses
us or stops answering gives 503 at once or at the time limit, never a hang, and the next
request tries it again. The server's pointer graph is read every two seconds: a new release
is switched in whole (name index, screening index, queries). A query that calls SERVICE is
refused (400), as the query workers without network refuse it.
"""

import asyncio
import contextlib
import gc
import logging
from collections.abc import Callable
from typing import cast

import httpx
import pyoxigraph as ox

from kg.config import Settings
from kg.errors import KgError
from kg.publish import pointer
from kg.remote_store import (
    Answer,
    Credentials,
    Dataset,
    RemoteRefusalError,
    RemoteStore,
    RemoteStoreError,
    RemoteTimeLimitError,
    calls_service,
    names_dataset,
    names_graphs,
    narrowing,
)
from kg.vocab import DCTERMS, PREFIXES
from kg.web.served import (
    Loaded,
    ServedBuild,
    built_indexes,
    indexed,
    limits,
    release_of,
    retire,
)
from kg.web.worker_process import Job, Outcome, run_job
from kg.web.workers import (
    OWN_QUERY_TIMEOUT,
    BusyError,
    FatalQueries,
    PoolLimits,
    QueryTimeoutError,
)

log = logging.getLogger(__name__)


class _Bounded:
    """A remote store whose requests give up after `seconds`, as run_job calls it. Answers
    are read as run_job uses them, so a result cut at the row limit is read no further; the
    responses are closed when the job is done (`run`)."""

    def __init__(self, store: RemoteStore, seconds: float) -> None:
        self.store, self.seconds = store, seconds
        self.opened: list[httpx.Response] = []

    def query(self, query: str, **options: object) -> Answer:
        if calls_service(query):
            # The server may have a network our query workers lack: it is not asked to use it.
            # An OSError is what the workers' missing network raises, answered alike (400).
            raise OSError("SERVICE is not sent on to the SPARQL server")
        return self.store.query(query, timeout=self.seconds, opened=self.opened, **options)  # type: ignore[arg-type]

    def run(self, job: Job) -> Outcome:
        """The job's outcome, run in the calling thread, which frees what it made."""
        try:
            outcome = self._run(job)
        finally:
            # The engine's answers may only be freed by the thread that made them, and the
            # parsers' exceptions tie some into reference cycles, which a collection in any
            # other thread freed: logged as "PyQuerySolutions is unsendable" (trial 33), and
            # leaked. The young generations, once the job's frames are gone: under 1 ms;
            # all of them after rdflib read the query's FROM (kg.remote_store.from_clauses),
            # whose many allocations promote the job's frames.
            gc.collect() if names_dataset(job.query) else gc.collect(1)
        return outcome

    def _run(self, job: Job) -> Outcome:
        try:
            return run_job(cast(ox.Store, self), job, PREFIXES)
        finally:
            for response in self.opened:
                response.close()


class RemotePool:
    """The query pool's interface over a SPARQL server: at most `size` queries at once, at
    most `queue` waiting, each stopped (for us) at the time limit."""

    def __init__(
        self, store: RemoteStore, published: pointer.Published, bounds: PoolLimits, base: str
    ):
        self.store, self.base = store, base
        self.size, self.timeout, self.queue = bounds.size, bounds.timeout, bounds.queue
        self.quads = published.quads
        self.triples = published.triples
        self.digest = published.digest
        self.isolation = f"queries sent to {store.query_url}"
        self.reachable, self.refused = True, False
        # The watch found the server down (follow): queries are refused at once until it
        # answers again. Only the watch sets it: a query that fails (too large, a conflict)
        # must not shut every reader out.
        self.down = False
        self.down_why = ""  # what the watch met: a refused connection, a time limit...
        # The server's pointer is gone (a reset database, a first release loading in place):
        # the release's graphs may hold anything now, so nothing is answered from them.
        self.withdrawn = False
        # Whether the release is the one the server names: not while a replica started in
        # an outage serves its build's own (_unconfirmed).
        self.confirmed = True
        self._slots = asyncio.Semaphore(bounds.size)
        self._waiting = 0
        self._fatal = FatalQueries()
        self._judging: set[asyncio.Task[None]] = set()  # kept from the garbage collector

    async def run(self, job: Job, *, own: bool = False) -> Outcome:
        if self.withdrawn:
            raise RemoteStoreError(
                "the SPARQL server no longer names a release of ours (its pointer graph "
                f"{pointer.pointer_graph(self.base)} is gone): nothing is answered from it",
                hint="publish a release into it (kg publish); service resumes by itself",
            )
        if self.down and not own:
            # Said at once while the watch finds the server down: each query and document
            # waited the whole time limit in an outage /health already reported (trial 36).
            # The watch reads the pointer every two seconds and lets queries through again.
            # With what the watch met, as the query would have said it ("cannot reach the
            # SPARQL server: connection refused").
            why = f" ({self.down_why})" if self.down_why else ""
            raise RemoteStoreError(
                f"the SPARQL server does not answer at the moment{why}",
                hint="try again shortly; /health says when it answers again",
            )
        self._fatal.check(job)
        await self._admit(own)
        limit = max(self.timeout, OWN_QUERY_TIMEOUT) if own else self.timeout
        # The request gives up a little after us, so that its thread ends soon after too.
        view = _Bounded(self.store, limit + 2)
        request = asyncio.ensure_future(asyncio.to_thread(self._consistent, view, job))
        try:
            async with asyncio.timeout(limit):
                outcome = await asyncio.shield(request)
        except TimeoutError as error:
            # The request goes on a little longer: if the server dies of it after our limit
            # (under load, an aborting engine is slow to die), the query is condemned then.
            request.add_done_callback(lambda done: self._later(done, job))
            # A query of ours (a document, an index) is narrow: the server is slow or paused.
            advice = "" if job.ours else f"{narrowing(job.query)}, or "
            raise QueryTimeoutError(
                f"the SPARQL server did not answer within the {limit:g} s limit",
                hint=f"{advice}try again shortly",
            ) from error
        except RemoteTimeLimitError:
            raise  # the server answered, stopping the query itself: it is well
        except RemoteStoreError as error:
            self.reachable, self.refused = False, isinstance(error, RemoteRefusalError)
            await self._judge(error, job)
            raise
        finally:
            self._slots.release()
        self.reachable, self.refused = True, False
        return outcome

    def _consistent(self, view: "_Bounded", job: Job) -> Outcome:
        """The job's outcome, from one release: a query that reads named graphs is sent
        with the release's graph names, which the server's switch to the next release may
        change under it (the graphs of one, the names of the other: 392,208 quads in 16
        graphs, trial 33). Such a query is sent again with the new release's names if the
        server's pointer names another release once it is answered."""
        outcome = view.run(job)
        if not names_graphs(job.query) or self._still_published(view.store):
            return outcome
        published = pointer.read(view.store.bare(), self.base)
        if published is None:
            return outcome  # withdrawn: the watch stops every answer within two seconds
        log.info("release %s switched in while a query ran: sent again", published.digest)
        again = _Bounded(view.store.reading(published.dataset), view.seconds)
        return again.run(job)

    def _still_published(self, store: RemoteStore) -> bool:
        graph, digest = ox.NamedNode(pointer.pointer_graph(self.base)), ox.Literal(self.digest)
        ask = f"ASK {{ GRAPH {graph} {{ {graph} <{DCTERMS.identifier}> {digest} }} }}"
        return bool(store.bare().query(ask, timeout=self.timeout))

    async def _judge(self, error: RemoteStoreError, job: Job) -> None:
        """Condemn the query if the server ended while it ran it: its answer broke off (or
        never came), and the server answers nothing now."""
        if ended_answer(error) and not await asyncio.to_thread(self.store.answers):
            self.reachable = False
            if job.ours:  # a document or an index: a crash that met it is not its doing
                log.error("the SPARQL server ended while it answered a query of ours")
                return
            log.error("the SPARQL server ended while it ran a query; it is not sent again")
            self._fatal.add(job)

    def _later(self, done: "asyncio.Future[Outcome]", job: Job) -> None:
        """The end of a request we stopped waiting for: judged as any other."""
        error = None if done.cancelled() else done.exception()
        if isinstance(error, RemoteStoreError):
            task = asyncio.get_running_loop().create_task(self._judge(error, job))
            self._judging.add(task)
            task.add_done_callback(self._judging.discard)

    async def _admit(self, own: bool) -> None:
        if not own and self._slots.locked() and self._waiting >= self.queue:
            raise BusyError(
                f"every query slot is busy and the queue is full ({self.queue} waiting)",
                hint="try again shortly",
            )
        self._waiting += 1
        try:
            # The server's own queries (its indexes, as a release loads) wait as long as needed.
            async with asyncio.timeout(None if own else self.timeout):
                await self._slots.acquire()
        except TimeoutError as error:
            raise BusyError(
                f"every query slot stayed busy for {self.timeout:g} s", hint="try again shortly"
            ) from error
        finally:
            self._waiting -= 1

    async def stop(self) -> None:
        await asyncio.to_thread(self.store.close)

    def alive(self) -> int:
        """Slots that can answer: all while the server answers with a release, else none."""
        return self.size if self.reachable and not self.withdrawn else 0

    @property
    def status(self) -> str:
        """/health's word for it."""
        if not self.reachable:
            return "SPARQL server refused us" if self.refused else "SPARQL server unreachable"
        return "no release on the SPARQL server" if self.withdrawn else "ok"


def ended_answer(error: RemoteStoreError) -> bool:
    """Whether the server ended while it answered: the request was sent, then the connection
    broke off (a server that was down refuses the connection instead). A read that timed
    out is not that: a paused or overloaded server keeps its connections, and the query
    that met it was condemned for the server's state (`ASK {}`, after a `kill -STOP`)."""
    return isinstance(error.__cause__, (httpx.RemoteProtocolError, httpx.ReadError))


def open_store(settings: Settings) -> RemoteStore:
    return RemoteStore(
        settings.store_url, credentials=Credentials.from_env(), timeout=OWN_QUERY_TIMEOUT
    )


#: How long the watch waits for the pointer, a one-triple answer: a paused server was
#: said "ok" on /health for the whole query time limit, 10 s and more (trial 35).
PROBE_TIMEOUT = 3.0


async def read_pointer(
    store: RemoteStore, settings: Settings, seconds: float | None = None
) -> pointer.Published | None:
    limit = seconds or settings.query_timeout
    # The request gives up too, a little after us: a paused server's reads left a thread
    # each, waiting on the store's own limit, in the pool that runs searches.
    async with asyncio.timeout(limit):
        # The pointer is outside every release: read by a view that keeps no reader's dataset.
        return await asyncio.to_thread(pointer.read, store.bare(), settings.base_iri, limit + 1)


async def load(build: ServedBuild, settings: Settings, *, starting: bool = False) -> Loaded:
    """The release the server holds, with its indexes, beside the build's pages and dumps.
    `starting`, a server that does not answer is waited for (`_unconfirmed`)."""
    store = open_store(settings)
    try:
        published = await read_pointer(store, settings)
    except (KgError, TimeoutError) as error:
        # The cause's words only: its URL and hint are this error's own.
        why = error.what if isinstance(error, KgError) else "no answer in time"
        refused = isinstance(error, RemoteRefusalError)
        if (
            starting
            and not refused
            and (waiting := await _unconfirmed(build, settings, store, why))
        ):
            return waiting
        store.close()
        hint = "check the URL (the server's query endpoint) and that it is running"
        if isinstance(error, RemoteRefusalError) and error.hint:
            hint = error.hint  # credentials, or the wrong endpoint: "check the URL" misled
        raise KgError(
            f"cannot read which release the SPARQL server holds: {why}",
            where=settings.store_url,
            hint=hint,
        ) from error
    if published is None:
        store.close()
        raise KgError(
            "the SPARQL server holds no release of ours",
            where=settings.store_url,
            hint="load one first: kg publish --store QUERY_URL --update URL --gsp URL",
        )
    store.dataset = published.dataset
    own_digest, own_sha256 = _own_release(build)
    same = own_digest == published.digest
    # The build's own index files when the server holds the build's release: the same names,
    # opened in a second, where asking the server for every name takes 10 s on the whole CSL.
    files = await asyncio.to_thread(built_indexes, build) if same else None
    log.info("indexes: %s", "the build's own" if files else "made from the server's answers")
    pool = RemotePool(store, published, limits(settings), settings.base_iri)
    # The release's dump as the pointer names it: the build's pages may be of another.
    sha256 = published.nquads_sha256 or (own_sha256 if same else "")
    loaded = await indexed(build, pool, published.digest, sha256, files)
    if not same:
        log.warning(
            "the server holds release %s; the pages in %s are of another build (serve that "
            "release's build with --out, or publish this build)",
            published.digest,
            build.path,
        )
    log.info("serving release %s from %s", published.digest, settings.store_url)
    return loaded


async def _unconfirmed(
    build: ServedBuild, settings: Settings, store: RemoteStore, why: str
) -> Loaded | None:
    """The build's own release, served from its pages and index files while the server does
    not answer, its queries refused until the watch (`follow`) reads the server's pointer
    and loads what it holds: a replica started during an outage exited, and a load
    balancer's other replicas took every request until someone restarted it. None where the
    build has no release or indexes of its own to serve meanwhile."""
    digest, sha256 = _own_release(build)
    files = await asyncio.to_thread(built_indexes, build) if digest else None
    if files is None:
        return None
    pool = RemotePool(
        store,
        pointer.Published(digest=digest, dataset=Dataset("", ()), quads=0, nquads_sha256=sha256),
        limits(settings),
        settings.base_iri,
    )
    pool.reachable, pool.down, pool.confirmed, pool.down_why = False, True, False, why
    log.error(
        "the SPARQL server does not answer: serving the build's pages, search and screening;"
        " queries are refused until it answers (tried every 2 s)"
    )
    return await indexed(build, pool, digest, sha256, files)


def _own_release(build: ServedBuild) -> tuple[str, str]:
    """The build folder's release digest and N-Quads SHA-256 ("" where it has none)."""
    with contextlib.suppress(KgError):
        return release_of(build)
    return "", ""


async def follow(
    settings: Settings,
    current: Callable[[], Loaded],
    switch: Callable[[Loaded], None],
    every: float = 2.0,
) -> None:
    """Read the server's pointer; switch to a new release whole, and note when the server
    is back (or gone) for /health."""
    retiring: set[asyncio.Task[None]] = set()
    # As this watch last saw it: each outage logged once, and its end (one a replica started
    # in, by _unconfirmed).
    down = not cast(RemotePool, current().pool).confirmed
    while True:
        await asyncio.sleep(every)
        old = current()
        pool = cast(RemotePool, old.pool)
        try:
            probe = min(PROBE_TIMEOUT, settings.query_timeout)
            published = await read_pointer(pool.store, settings, probe)
        except (KgError, TimeoutError) as error:
            why = str(error) or f"no answer within {probe:g} s"
            if not down:
                log.error("the SPARQL server does not answer: %s", why)
            said = error.what if isinstance(error, KgError) else why  # its words, no hint
            down, pool.reachable, pool.down, pool.down_why = True, False, True, said
            pool.refused = isinstance(error, RemoteRefusalError)
            continue
        if not pool.confirmed:
            # The server answers: /health says what it lacks, a release or nothing.
            if published is None and not pool.withdrawn:
                log.error("the SPARQL server answers, but holds no release of ours yet")
            pool.reachable, pool.refused, pool.withdrawn = True, False, published is None
            # Loaded whole before any query is let through: the pool knows no graph names.
            if published is not None and (loaded := await _load_quietly(old, settings)):
                log.info("the SPARQL server answers: serving release %s", loaded.digest)
                down = False
                _switch(loaded, old, switch, settings, retiring)
            continue
        if down:
            log.info("the SPARQL server answers again")
        down, pool.reachable, pool.refused, pool.down = False, True, False, False
        if published is None:
            if not pool.withdrawn:
                log.error("the SPARQL server no longer names a release: nothing is answered")
            pool.withdrawn = True
            continue
        if published.digest == old.digest:
            if pool.withdrawn:
                log.info("the SPARQL server names release %s again: serving it", old.digest)
            pool.withdrawn = False
            continue
        # The server holds the new release only: queries name its graphs at once, not once
        # its indexes are made (10 s on the whole CSL, 40 under load), which left a new graph
        # out of GRAPH ?g answers all that time, beside a merge that already held it.
        pool.store.dataset = published.dataset
        try:
            loaded = await load(old.build, settings)
        except Exception as error:  # whatever it is, the watch goes on with the old release
            log.error("the new release is not served, the previous one is: %s", error)
            continue
        _switch(loaded, old, switch, settings, retiring)


async def _load_quietly(old: Loaded, settings: Settings) -> Loaded | None:
    """The release the server names, for a replica that started without it; None, and
    why on the pool for queries, while it cannot be loaded (logged when the reason changes)."""
    pool = cast(RemotePool, old.pool)
    try:
        return await load(old.build, settings)
    except Exception as error:  # whatever it is, the build's pages and indexes stay served
        why = error.what if isinstance(error, KgError) else str(error)
        if why != pool.down_why:
            log.error("the SPARQL server's release cannot be loaded yet: %s", error)
        pool.down_why = why
        return None


def _switch(
    loaded: Loaded,
    old: Loaded,
    switch: Callable[[Loaded], None],
    settings: Settings,
    retiring: set[asyncio.Task[None]],
) -> None:
    """Serve `loaded`, and retire `old` once the queries it runs are done."""
    switch(loaded)
    task = asyncio.get_running_loop().create_task(
        # A little longer than the workers: the answer comes over the network.
        retire(old, settings.query_timeout + 2, release_build=False)
    )
    retiring.add(task)
    task.add_done_callback(retiring.discard)
