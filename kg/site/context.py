"""What every page says about the dataset, handed from the build to every page writer."""

from dataclasses import dataclass

from kg.publish.dumps import DumpFile, published
from kg.publish.files import NQUADS
from kg.site.ontology_doc import TermDoc
from kg.sources.catalog import DatasetSpec
from kg.validate.report import Report


@dataclass(frozen=True, kw_only=True)
class Release:
    """What every page says about the dataset: version, date, downloads, validation."""

    spec: DatasetSpec
    date: str
    dumps: tuple[DumpFile, ...]
    report: Report
    ontology: tuple[TermDoc, ...]
    shapes: str

    @property
    def nquads_sha256(self) -> str:
        """The N-Quads dump's SHA-256: what tells two releases of one date apart in a
        citation (a build of other snapshots cited as the same data: trial 27)."""
        return next((dump.sha256 for dump in self.dumps if dump.name == NQUADS), "")

    @property
    def downloads(self) -> list[DumpFile]:
        """The files the site carries and the description names (kg.publish.dumps.published)."""
        return published(self.dumps)
