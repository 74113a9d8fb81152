"""A peer of the serve benchmark: the plainest FastAPI + pyoxigraph SPARQL app.

One process, the build's on-disk store opened read-only, each query run on the event loop
and written by Oxigraph's own serialisers. No limits, no isolation, no content negotiation
(SPARQL JSON for solutions, N-Triples for graphs): what the engine gives behind the thinnest
FastAPI server.

Run by serve_bench.py as: python benchmarks/fastapi_peer.py STORE_FOLDER PORT
"""

import sys
from urllib.parse import parse_qs

import pyoxigraph as ox
import uvicorn
from fastapi import FastAPI, Request, Response

SOLUTIONS = ox.QueryResultsFormat.JSON
GRAPHS = ox.RdfFormat.N_TRIPLES


def create_app(database: str) -> FastAPI:
    store = ox.Store.read_only(database)
    app = FastAPI()

    @app.post("/sparql")
    async def sparql(request: Request) -> Response:
        query = parse_qs((await request.body()).decode())["query"][0]
        answer = store.query(query)
        if isinstance(answer, ox.QueryTriples):
            return Response(answer.serialize(format=GRAPHS), media_type=GRAPHS.media_type)
        return Response(answer.serialize(format=SOLUTIONS), media_type=SOLUTIONS.media_type)

    return app


if __name__ == "__main__":
    uvicorn.run(
        create_app(sys.argv[1]),
        host="127.0.0.1",
        port=int(sys.argv[2]),
        log_level="warning",
        access_log=False,
    )
