"""The dataset's description of itself (VoID, DCAT)."""

from pathlib import Path

from rdflib import Graph, URIRef

from kg.publish.files import DESCRIPTION, DUMPS
from kg.vocab import VOID

DATASET = URIRef("https://w3id.org/entitylist-kg/dataset")


def test_void_data_dumps_are_the_dumps_of_the_data_only(built: Path) -> None:
    description = Graph().parse(built / DUMPS / DESCRIPTION, format="turtle")

    dumps = {str(dump).rsplit("/", 1)[1] for dump in description.objects(DATASET, VOID.dataDump)}

    assert dumps == {f"entitylist-kg.{kind}.gz" for kind in ("nq", "nt", "ttl", "trig", "jsonld")}
