"""Problems as codes and parameters, said in the reader's language: Finnish by default, English on request."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest

from auditkit import checks
from auditkit.catalogue import Catalogue
from auditkit.errors import Problem, place_said, say
from auditkit.excel import build_workbook, read_workbook
from auditkit.excel import contract as k
from auditkit.i18n import extract, using, wording
from auditkit.ratings import parse_rating
from test_workbook_build import context, table_rows

CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SRC = Path(__file__).resolve().parents[1] / "src" / "auditkit"
# The modules whose problems are said through the catalogue (issue 12, part "messages", step 1).
CONVERTED = ("excel/readback.py", "word/readback.py", "checks.py", "compile.py", "identity.py", "ratings.py")


def _refused(catalogue: Catalogue, raw: object) -> Problem:
    parsed = parse_rating(raw, catalogue.scale)
    assert parsed.error is not None
    return Problem("paja.xlsx", "sheet Arviointi, cell F12", parsed.error, code=parsed.code)


def test_a_problem_is_said_in_finnish_by_default_and_in_english_for_support(catalogue: Catalogue) -> None:
    problem = _refused(catalogue, "kolme")
    assert problem.code == "rating-not-on-scale" and dict(problem.params)["value"] == "kolme"
    assert str(problem) == "paja.xlsx, Arviointi!F12: 'kolme' ei ole arvio; valitkaa luettelosta 1–4 tai Ei sovellu."
    assert problem.said_in("en") == ("paja.xlsx, sheet Arviointi, cell F12: 'kolme' is not a rating; choose 1–4 or "
                                     "Ei sovellu from the list.")
    with using("en"):
        assert problem.message == "'kolme' is not a rating; choose 1–4 or Ei sovellu from the list."
    assert problem.message_in("sv") == "'kolme' är inte en bedömning; välj 1–4 eller Ei sovellu i listan."


def test_problems_are_values(catalogue: Catalogue) -> None:
    """Frozen and hashable, params included, so problems can be sorted, deduplicated and sent to workers."""
    first, again = _refused(catalogue, "kolme"), _refused(catalogue, "kolme")
    assert first == again and len({first, again, _refused(catalogue, 7)}) == 2
    moved = first.in_file("P03 itsearviointi.xlsx")
    assert (moved.file, moved.code, moved.params) == ("P03 itsearviointi.xlsx", first.code, first.params)


@pytest.mark.parametrize("place, finnish", [
    ("sheet Arviointi, cell F12", "Arviointi!F12"),
    ("sheet Arviointi (2), row 14", "välilehti Arviointi (2), rivi 14"),
    ("sheet Arviointi, column H", "välilehti Arviointi, sarake H"),
    ("line 4", "rivi 4"),
    ("kriteeri 12, Oma arvio", "kriteeri 12, Oma arvio"),  # as the form names it
    ("", ""),
])
def test_places_as_the_files_name_them(place: str, finnish: str) -> None:
    assert place_said(place, "fi") == finnish
    assert place_said(say("workshop {id}", id="P01"), "fi") == "työpaja P01"


def test_a_returned_workbook_is_told_in_finnish_where_and_what_to_do(catalogue: Catalogue, tmp_path: Path) -> None:
    """The coordinator reads the reader's problems in Finnish, with the cell as Excel names it."""
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(catalogue, context("self"))))
    ws = wb[k.SHEET_RATINGS]
    row = table_rows(ws)["tpk-14"]
    ws.cell(row, k.LAYOUTS["self"].index("rating"), "kolme")
    ws.cell(row + 1, k.LAYOUTS["self"].index("rating"), "=3")
    wb.save(tmp_path / "paja.xlsx")
    returned = read_workbook(tmp_path / "paja.xlsx", catalogue)
    letter = k.LAYOUTS["self"].letter("rating")
    assert [(p.place, p.code, p.message) for p in returned.problems] == [
        (f"Arviointi!{letter}{row}", "rating-not-on-scale",
         "'kolme' ei ole arvio; valitkaa luettelosta 1–4 tai Ei sovellu."),
        (f"Arviointi!{letter}{row + 1}", "rating-is-formula",
         "kriteerin 15 arvio on kaava (=3), jota ei lueta; valitkaa arvio luettelosta.")]


def test_every_code_is_stable_kebab_case_and_every_converted_problem_has_one() -> None:
    codes = set()
    for name in CONVERTED:
        text = (SRC / name).read_text(encoding="utf-8")
        codes |= set(re.findall(r'(?:code=|self\.problem\([^\n]*?, |"warning", |"error", |code, message = |\), )"([a-z][a-z0-9-]*)"', text))
    assert {"rating-not-on-scale", "rating-is-formula", "copies-differ", "identity-gone", "no-answers"} <= codes
    assert all(CODE.match(code) for code in codes), sorted(c for c in codes if not CODE.match(c))


def test_every_problem_text_has_a_finnish_translation_with_the_same_fields() -> None:
    fi = wording("messages", "fi")
    fields = lambda text: sorted(set(re.findall(r"\{(\w*)\}", text)))  # noqa: E731
    for message in extract("messages"):
        if not message.id or not isinstance(message.id, str):
            continue
        finnish = fi.pgettext(message.context, message.id) if message.context else fi(message.id)
        if re.search(r"[A-Za-z]", re.sub(r"\{\w*\}", "", message.id)):  # words to translate, not only fields
            assert finnish != message.id, message.id
        assert fields(finnish) == fields(message.id), message.id


def test_differences_between_copies_are_said_in_finnish() -> None:
    diff = checks.Difference(4, "rating", "2 – Alkava", "4 – Edistynyt", "Arviointi!F9", "Arviointi!F9")
    assert str(checks.differences_text([diff])) == (
        "kriteeri 4 eroaa — kriteeri 4, arvio (Arviointi!F9): “2 – Alkava” vastaan “4 – Edistynyt”")
