"""Sources -> one dataset: assembly, CSL snapshot ingest, loading the store, entailment."""
