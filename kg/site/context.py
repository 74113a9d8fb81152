"""What every page says about the dataset, handed from the build to every page writer."""

from dataclasses import dataclass

from kg.publish.dumps import DumpFile, published
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
    def downloads(self) -> list[DumpFile]:
        """The files the site carries and the description names (kg.publish.dumps.published)."""
        return published(self.dumps)
