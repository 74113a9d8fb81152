"""The HTTP face of the graph: SPARQL endpoint, Linked Data, search, pages."""
