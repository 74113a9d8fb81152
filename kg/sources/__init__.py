"""One module per kind of source; each turns a source into the triples of its named graph."""
