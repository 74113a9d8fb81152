"""SHACL validation: the engine, running it (or pyshacl) with each result located, the report."""
