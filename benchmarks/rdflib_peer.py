"""The peer of the serve benchmark: rdflib-endpoint on rdflib's own SPARQL engine.

Run by serve_bench.py as: python benchmarks/rdflib_peer.py DUMP.nq PORT
"""

import sys

import uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint


def main(dump: str, port: int) -> None:
    dataset = Dataset(default_union=True)
    dataset.parse(dump, format="nquads")
    app = SparqlEndpoint(graph=dataset, public_url=f"http://127.0.0.1:{port}/")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
