"""The names of a build's files: the one place that spells them.

The server reads a build through these names, so it needs this module and not the pipeline.
"""

#: Folder of the dump files, inside a build folder.
DUMPS = "dumps"
#: Folder of the static site, inside a build folder.
SITE = "site"
#: Folder of the persistent store (kg.publish.persistent), inside a build folder.
STORE = "store"
#: The Oxigraph database, its quad count, inside STORE.
STORE_DATABASE = "oxigraph"
STORE_INFO = "store.json"
#: The store a build works on, inside its staging folder until the site is rendered.
WORKING_STORE = ".working-store"
#: Folder of the name and screening indexes the server opens (kg.publish.indexes), and its
#: files, inside a build folder.
INDEXES = "indexes"
NAME_INDEX = "names.sqlite"
SCREENING_INDEX = "screening.sqlite"
STEM = "entitylist-kg"
NQUADS = f"{STEM}.nq"
NTRIPLES = f"{STEM}.nt"
ONTOLOGY_FILE = "entitylist.ttl"
SHAPES_FILE = "shapes.ttl"
DESCRIPTION = "description.ttl"
VALIDATION_REPORT = "validation-report.ttl"
INGEST_REPORT = "ingest-report.json"
CHANGELOG = "changelog.ttl"
CONTEXT = "context.jsonld"
CHECKSUMS = "SHA256SUMS"
#: Written into every build folder: what marks a folder as a build of ours (kg.publish.staging),
#: and what a server holds a shared lock on while it serves the folder (kg.publish.readers).
MARKER = ".entitylist-kg-build"
