"""Filling a kit's workbook as a person would: read-back returns exactly what was typed, nothing else moves."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from auditkit.catalogue import Catalogue
from auditkit.checks import file_problems
from auditkit.errors import Problem, UsageError
from problem_support import said
from auditkit.excel import build_workbook, fill_workbook, read_workbook
from auditkit.excel import contract as k
from auditkit.stamping import Blueprint, placeholder_context, values_of
from libreoffice import convert
from test_workbook_build import context, table_rows

TRICKY = ['=HYPERLINK("http://x.invalid","klikkaa")', "=cmd|' /C calc'!A0", "@SUM(A1)", "+1+1", "-2+3",
          "Rivi 1\nRivi 2", "Ääkköset & <tagit> \"lainaus\"", "_x0041_ ei ole A", "emoji 😀 ja ẞ"]
CONTROL = "ohjaus\x01merkki\x1fteksti"  # invisible characters pasted from another program


def sample_answers(catalogue: Catalogue, role: str, seed: int = 0) -> dict[int, dict[str, object]]:
    """Every criterion answered, in every spelling people use; N/A with a reason where it is chosen."""
    scale = catalogue.scale
    out: dict[int, dict[str, object]] = {}
    for c in catalogue.criteria:
        level = scale.levels[(c.number + seed) % len(scale.levels)]
        rating: object = (level.label, level.value, str(level.value))[(c.number + seed) % 3]
        fields: dict[str, object] = {"rating": rating, "reasoning": f"Perustelu {c.number}: {level.name.lower()}."}
        if (c.number + seed) % 11 == 0:
            fields["rating"] = scale.not_applicable.label
        if role == "peer":
            fields.update(observations=f"Havainto {c.number}", strengths=f"Vahvuus {c.number}",
                          development=f"Suositus {c.number}")
            if (c.number + seed) % 7 == 0:
                fields["na_accepted"] = k.ACCEPT_YES if c.number % 2 else k.ACCEPT_NO
        out[c.number] = fields
    return out


@pytest.fixture(scope="module")
def kits(catalogue: Catalogue) -> dict[str, bytes]:
    """Kit workbooks as a round makes them: built once with placeholders, stamped for the workshop."""
    out = {}
    for role in ("self", "peer"):
        ctx = context(role)
        out[role] = Blueprint(build_workbook(catalogue, placeholder_context(ctx))).stamp(values_of(ctx))
    return out


def returned(tmp_path: Path, catalogue: Catalogue, data: bytes, name: str = "paja.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return path, read_workbook(path, catalogue)


def expected(catalogue: Catalogue, answers: dict[int, dict[str, object]]) -> dict[int, tuple]:
    na = catalogue.scale.not_applicable.label
    out = {}
    for number, fields in answers.items():
        rating = fields.get("rating")
        level = None if rating == na else int(str(rating)[0])
        accepted = {k.ACCEPT_YES: True, k.ACCEPT_NO: False}.get(fields.get("na_accepted"))  # type: ignore[arg-type]
        texts = {key: value for key, value in fields.items() if key not in ("rating", "na_accepted")}
        out[number] = (level, rating == na, accepted, texts)
    return out


@pytest.mark.parametrize("role", ["self", "peer"])
def test_read_back_returns_exactly_what_was_filled(catalogue: Catalogue, kits, tmp_path: Path, role: str) -> None:
    answers = sample_answers(catalogue, role)
    _, back = returned(tmp_path, catalogue, fill_workbook(kits[role], catalogue, answers))
    assert back.problems == ()
    got = {r.number: (r.rating, r.not_applicable, r.na_accepted, {key: v for key, v in r.texts.items() if v})
           for r in back.responses}
    want = expected(catalogue, answers)
    if role == "self":
        assert got == {n: (v[0], v[1], None, v[3]) for n, v in want.items()}
    else:
        assert got == want


def test_identity_protection_and_drop_downs_are_untouched(catalogue: Catalogue, kits, tmp_path: Path) -> None:
    filled = fill_workbook(kits["peer"], catalogue, sample_answers(catalogue, "peer"))
    before, after = (openpyxl.load_workbook(io.BytesIO(d)) for d in (kits["peer"], filled))
    assert after.sheetnames == before.sheetnames
    assert [after[n].sheet_state for n in after.sheetnames] == [before[n].sheet_state for n in before.sheetnames]
    assert after.security.lockStructure and dict(after.defined_names).keys() == dict(before.defined_names).keys()
    assert [(p.name, p.value) for p in after.custom_doc_props] == [(p.name, p.value) for p in before.custom_doc_props]
    for name in after.sheetnames:
        assert after[name].protection.sheet == before[name].protection.sheet
    ws_before, ws_after = before[k.SHEET_RATINGS], after[k.SHEET_RATINGS]
    assert [(v.formula1, str(v.sqref), v.showErrorMessage) for v in ws_after.data_validations.dataValidation] == [
        (v.formula1, str(v.sqref), v.showErrorMessage) for v in ws_before.data_validations.dataValidation]
    rows = table_rows(ws_after)
    layout = k.LAYOUTS["peer"]
    for key in ("rating", "na_accepted", "reasoning", "development"):
        c = ws_after.cell(rows["tpk-07"], layout.index(key))
        assert c.protection.locked is False and c.fill.fgColor.rgb == ws_before.cell(c.row, c.column).fill.fgColor.rgb
    gap = ws_after.cell(rows["tpk-07"], layout.index("gap")).value
    assert gap == ws_before.cell(rows["tpk-07"], layout.index("gap")).value and gap.startswith("=IF(")
    with zipfile.ZipFile(io.BytesIO(kits["peer"])) as a, zipfile.ZipFile(io.BytesIO(filled)) as b:
        assert a.namelist() == b.namelist()
        changed = [n for n in a.namelist() if a.read(n) != b.read(n)]
    assert changed == ["xl/worksheets/sheet2.xml"]
    _, back = returned(tmp_path, catalogue, filled)
    _, kit = returned(tmp_path, catalogue, kits["peer"], "kit.xlsx")
    assert back.identity == kit.identity and back.identity.workshop_name == "Työpaja Äijälä & Co"


def test_strings_are_text_whatever_they_start_with(catalogue: Catalogue, kits, tmp_path: Path) -> None:
    answers = {n: {"rating": 2, "reasoning": text} for n, text in enumerate(TRICKY, start=1)}
    filled = fill_workbook(kits["self"], catalogue, answers)
    path, back = returned(tmp_path, catalogue, filled)
    assert back.problems == ()
    assert [back.response(n).texts["reasoning"] for n in answers] == TRICKY
    ws = openpyxl.load_workbook(path)[k.SHEET_RATINGS]
    rows = table_rows(ws)
    for n, text in enumerate(TRICKY, start=1):
        c = ws.cell(rows[f"tpk-{n:02d}"], k.LAYOUTS["self"].index("reasoning"))
        assert c.data_type == "s"
    assert ws.cell(rows["tpk-01"], k.LAYOUTS["self"].index("rating")).value == 2


def test_long_texts_survive_whole(catalogue: Catalogue, kits, tmp_path: Path) -> None:
    long = "pitkä teksti " * 7_700  # 100 100 characters
    _, back = returned(tmp_path, catalogue, fill_workbook(kits["self"], catalogue, {51: {"reasoning": long.strip()}}))
    assert back.response(51).texts["reasoning"] == long.strip()
    assert [(p.code, p.message) for p in back.problems] == [("text-too-long",
        "teksti on 100 099 merkkiä pitkä eli pidempi kuin Excelin soluun mahtuu (32 767); se luettiin kokonaan, "
        "mutta raporteissa näkyy vain sen alku. Lyhentäkää tekstiä tai mainitkaa aineisto liitteessä.")]


def test_control_characters_are_typed_and_read_back_without_them(catalogue: Catalogue, kits, tmp_path: Path) -> None:
    path, back = returned(tmp_path, catalogue, fill_workbook(kits["self"], catalogue, {2: {"reasoning": CONTROL}}))
    with zipfile.ZipFile(path) as z:
        assert b"ohjaus_x0001_merkki_x001F_" in z.read("xl/worksheets/sheet2.xml")
    assert back.response(2).texts["reasoning"] == "ohjausmerkkiteksti"
    rows = table_rows(openpyxl.load_workbook(io.BytesIO(kits["self"]))[k.SHEET_RATINGS])
    assert said(back.problems) == (Problem(
        str(path), f"Arviointi!G{rows['tpk-02']}", "tekstistä poistettiin 2 näkymätöntä ohjausmerkkiä (kopioitu "
        "toisesta ohjelmasta); tarkistakaa, että teksti on tarkoitetunlainen.", "warning"),)


def test_wrong_values_come_back_as_problems_at_their_cells(catalogue: Catalogue, kits, tmp_path: Path) -> None:
    answers = {3: {"rating": "kolme"}, 4: {"rating": 7}, 5: {"rating": "Ei sovellu"},
               6: {"rating": 3, "na_accepted": "ehkä"}, 8: {"rating": 2.5}}
    rows = table_rows(openpyxl.load_workbook(io.BytesIO(kits["peer"]))[k.SHEET_RATINGS])
    path, back = returned(tmp_path, catalogue, fill_workbook(kits["peer"], catalogue, answers))
    at = lambda key, n: f"Arviointi!{k.LAYOUTS['peer'].letter(key)}{rows[f'tpk-{n:02d}']}"  # noqa: E731
    found = [*back.problems, *file_problems(back, catalogue)]  # the reader's, and the checks on the answers
    assert sorted(said(found), key=lambda p: p.place) == sorted([
        Problem(str(path), at("rating", 3), "'kolme' ei ole arvio; valitkaa luettelosta 1–4 tai Ei sovellu."),
        Problem(str(path), at("rating", 4), "7 on asteikon ulkopuolella; valitkaa luettelosta 1–4 tai Ei sovellu."),
        Problem(str(path), at("reasoning", 5), "kriteeri 5 on merkitty Ei sovellu ilman perustelua; kirjoittakaa "
                "Perustelut-kohtaan, miksi kriteeri ei sovellu.", "warning"),
        Problem(str(path), at("na_accepted", 6),
                "'ehkä' ei ole sallittu vastaus; valitkaa luettelosta Hyväksytään tai Ei hyväksytä."),
        Problem(str(path), at("rating", 8), "2.5 ei ole asteikon taso; valitkaa luettelosta 1–4 tai Ei sovellu."),
    ], key=lambda p: p.place)
    assert sorted(p.code for p in found) == ["acceptance-not-an-answer", "not-applicable-without-reason",
                                            *["rating-not-on-scale"] * 3]
    assert (back.response(6).rating, back.response(3).rating) == (3, None)


def test_none_empties_and_saved_at_is_recorded(catalogue: Catalogue, kits, tmp_path: Path) -> None:
    first = fill_workbook(kits["self"], catalogue, {1: {"rating": 4, "reasoning": "Hyvä"}})
    second = fill_workbook(first, catalogue, {1: {"reasoning": None}}, saved_at="2026-11-30T15:04:05Z")
    _, back = returned(tmp_path, catalogue, second)
    assert (back.response(1).rating, back.response(1).texts["reasoning"]) == (4, "")
    assert back.saved_at == "2026-11-30T15:04:05Z"


def test_mistakes_in_the_call_are_refused(catalogue: Catalogue, kits) -> None:
    with pytest.raises(ValueError, match="no criterion 52"):
        fill_workbook(kits["self"], catalogue, {52: {"rating": 3}})
    with pytest.raises(ValueError, match="a self workbook has no input column 'na_accepted'"):
        fill_workbook(kits["self"], catalogue, {1: {"na_accepted": k.ACCEPT_YES}})
    with pytest.raises(ValueError, match="no input column 'self_rating'"):
        fill_workbook(kits["peer"], catalogue, {1: {"self_rating": 3}})
    with pytest.raises(ValueError, match="not an .xlsx file"):
        fill_workbook(b"not a zip", catalogue, {})
    with pytest.raises(UsageError, match="cannot type a list"):
        fill_workbook(kits["self"], catalogue, {1: {"reasoning": ["a"]}})  # type: ignore[dict-item]


@pytest.mark.office
def test_libreoffice_opens_a_filled_workbook_and_keeps_every_value(catalogue: Catalogue, kits, tmp_path: Path) -> None:
    answers = sample_answers(catalogue, "peer", seed=3)
    answers[2]["reasoning"] = TRICKY[0]
    answers[3]["reasoning"] = TRICKY[-1]
    answers[4]["reasoning"] = CONTROL
    source = tmp_path / "src" / "auditointi.xlsx"
    source.parent.mkdir()
    source.write_bytes(fill_workbook(kits["peer"], catalogue, answers))
    (resaved,) = convert([source], "xlsx", tmp_path / "resaved")
    back = read_workbook(resaved, catalogue)
    assert [p.place for p in back.problems] == [f"Arviointi!{k.LAYOUTS['peer'].letter('reasoning')}"
                                                f"{table_rows(openpyxl.load_workbook(resaved)[k.SHEET_RATINGS])['tpk-04']}"]
    got = {r.number: (r.rating, r.not_applicable, r.na_accepted, {key: v for key, v in r.texts.items() if v})
           for r in back.responses}
    answers[4]["reasoning"] = "ohjausmerkkiteksti"
    assert got == expected(catalogue, answers)


def test_rows_grow_to_fit_what_is_typed(catalogue: Catalogue, kits, tmp_path: Path) -> None:
    """Like Excel and LibreOffice when a person types: the row's height fits the text."""
    long_text = "Perustelu kirjoitetaan tähän auki. " * 20
    data = fill_workbook(kits["self"], catalogue, {3: {"reasoning": long_text}, 4: {"reasoning": "lyhyt"}})
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet2.xml").decode()
    before = zipfile.ZipFile(io.BytesIO(kits["self"])).read("xl/worksheets/sheet2.xml").decode()
    rows = table_rows(openpyxl.load_workbook(io.BytesIO(data))["Arviointi"])

    def height(xml: str, number: int) -> float:
        return float(re.search(rf'<row r="{rows[f"tpk-0{number}"]}"[^>]*? ht="([\d.]+)"', xml).group(1))

    assert height(sheet, 3) > height(before, 3) + 50
    assert height(sheet, 4) == height(before, 4)
