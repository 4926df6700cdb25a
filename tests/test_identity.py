"""Which workshop a returned file's name names (identity.py): a kit's names, people's renames, and names
that tell no workshop for sure."""

from __future__ import annotations

import pytest

from auditkit.identity import _words, _workshops_named, naming
from auditkit.model import Workshop

# These tests pin each problem's exact wording in its English source (see conftest.english); the
# Finnish wording and the codes are checked in test_problem_messages.py.
pytestmark = pytest.mark.usefixtures("english")

REGISTER = (
    Workshop("P01", "Nuorten työpaja Ahjo"), Workshop("P04", "Nuorten työpaja"), Workshop("P07", "Savon Taitopaja"),
    Workshop("P10", "Paja"), Workshop("12", "Verstas"), Workshop("TP-2026-003", "Työpaja Ääri/Reuna \"Pilotti\""),
    Workshop("A", "Työpaja A"),
)


@pytest.mark.parametrize(("name", "named"), [
    ("P01 Nuorten työpaja Ahjo – itsearviointi", ["P01"]),  # a kit's own name: P04's is inside P01's
    ("Nuorten työpaja – itsearviointi", []),  # a generic name tells no workshop
    ("LUONNOS P07 Savon Taitopaja – auditointi", ["P07"]),
    ("Savon Taitopaja valmis", ["P07"]),  # the name alone, renamed by a person
    ("P07 (P01 tallensi)", ["P07", "P01"]),
    ("P010 kopio", []),  # not P01 nor P10: ids are whole words
    ("12 Verstas – itsearviointi", ["12"]),  # a numeric id at the start, where kits put it
    ("Itsearviointi 2026 versio 12", []),  # numbers in a name are not a numeric id
    ("TP-2026-003 Työpaja Ääri-Reuna Pilotti – itsearviointi", ["TP-2026-003"]),
    ("Kopio A – itsearviointi", []),  # a one-letter id is read only at the start
    ("A – itsearviointi", ["A"]),
])
def test_the_workshops_a_file_name_names(name: str, named: list[str]) -> None:
    assert [w.id for w in _workshops_named(_words(name), naming(REGISTER))] == named
