"""The screening index of a served build, from its query workers' answers.

Apart from the routes (kg.web.match_routes, reconcile_routes, screen_routes) so that
kg.web.served can build it with the rest of a build it loads, and switch it with that build,
without importing a router.
"""

import asyncio
import json

from kg.match.index import MatchIndex
from kg.match.rows import QUERIES
from kg.web.worker_process import Job
from kg.web.workers import QueryRunner

#: Rows one index query may return: the whole CSL gives about 50,000 names.
ROWS_LIMIT = 2_000_000


async def load_index(pool: QueryRunner, nquads_sha256: str) -> MatchIndex:
    """The screening index: the queries run side by side in the workers, the index is built
    in a thread (1.6 s for the whole CSL), pinned to the release's N-Quads dump SHA-256."""
    jobs = (
        pool.run(Job(query, format="json", limit=ROWS_LIMIT, ours=True), own=True)
        for query in QUERIES.values()
    )
    outcomes = await asyncio.gather(*jobs)
    rows = {
        name: _plain(json.loads(outcome.body)["results"]["bindings"])
        for name, outcome in zip(QUERIES, outcomes, strict=True)
    }
    return await asyncio.to_thread(MatchIndex.from_rows, rows, nquads_sha256)


def _plain(bindings: list[dict[str, dict[str, str]]]) -> list[dict[str, str]]:
    return [{name: term["value"] for name, term in row.items()} for row in bindings]
