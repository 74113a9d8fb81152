"""IRIs of earlier releases: an untyped row's party was minted id/org/<slug of its name> until
kinds were inferred; where it is now a person or a party of unknown kind, the old IRI is
recorded as replaced."""

import pyoxigraph as ox
import pytest
from test_identity import ID, ROWS, csl_store

from kg.graph.redirects import add_redirects
from kg.iris import DEFAULT_BASE
from kg.store import select


@pytest.fixture(scope="module")
def redirected(tmp_path_factory: pytest.TempPathFactory) -> tuple[ox.Store, dict[str, list[str]]]:
    store = csl_store(tmp_path_factory.mktemp("cache"))
    return store, add_redirects(store, DEFAULT_BASE)


def test_a_person_published_as_an_organisation_keeps_its_old_iri(
    redirected: tuple[ox.Store, dict[str, list[str]]],
) -> None:
    store, found = redirected
    assert found[f"{ID}org/ma-yunong"] == [f"{ID}person/ma-yunong"]
    assert found[f"{ID}org/rosoboronexport"] == [f"{ID}party/rosoboronexport"]
    recorded = select(
        store,
        "SELECT ?old ?new ?g WHERE { GRAPH ?g { ?old <http://purl.org/dc/terms/isReplacedBy> ?new } }",
    )
    assert {(r["old"].value, r["new"].value) for r in recorded} == {
        (old, new) for old, news in found.items() for new in news
    }
    assert {r["g"].value for r in recorded} == {f"{DEFAULT_BASE}graph/iri-redirects"}


def test_only_untyped_rows_that_changed_folder_are_replaced(
    redirected: tuple[ox.Store, dict[str, list[str]]],
) -> None:
    store, found = redirected
    untyped = [
        line
        for line in ROWS.read_text(encoding="utf-8").splitlines()
        if "Entity List (EL)" in line or "ISN" in line or "DTC" in line
    ]
    assert untyped
    # Organisations kept their folder; typed rows (SDN, CMIC) were never minted under org/.
    assert f"{ID}org/huawei-technologies-co-ltd-huawei" not in found
    assert f"{ID}org/khan-abdul-qadeer" not in found
    live = {r["s"].value for r in select(store, "SELECT DISTINCT ?s WHERE { ?s a ?t }")}
    assert not set(found) & live  # an IRI that still names a party is not replaced
    assert all(new in live for news in found.values() for new in news)


def test_the_rule_is_described_with_prov(redirected: tuple[ox.Store, dict[str, list[str]]]) -> None:
    rows = select(
        redirected[0],
        """SELECT ?comment WHERE { <https://w3id.org/entitylist-kg/graph/iri-redirects>
             <http://www.w3.org/ns/prov#wasGeneratedBy> ?a .
           ?a <http://www.w3.org/2000/01/rdf-schema#comment> ?comment }""",
    )
    assert "id/org/<slug of its name>" in rows[0]["comment"].value


def test_a_party_once_read_as_a_person_keeps_that_iri(
    redirected: tuple[ox.Store, dict[str, list[str]]],
) -> None:
    """MPI VOLNA, an acronym in capitals on the Entity List, was id/person/mpi-volna."""
    _, found = redirected
    assert found[f"{ID}person/mpi-volna"] == [f"{ID}party/mpi-volna"]
    assert found[f"{ID}org/mpi-volna"] == [f"{ID}party/mpi-volna"]
    assert f"{ID}person/ma-yunong" not in found  # a person still: nothing replaced
