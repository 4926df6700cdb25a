"""koonti.xlsx: a compiled round as tables and charts, every figure right, every returned text inert."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from statistics import mean

import openpyxl
import pytest

from auditkit.catalogue import Catalogue
from auditkit.compile import compile_round
from auditkit.results import RoundResult
from auditkit.errors import Problem
from auditkit.excel import build_consolidated_workbook, fill_workbook, read_workbook
from auditkit.excel.tables import MAX_CELL_CHARS, cell_safe
from auditkit.forward import forward_round
from auditkit.kit import kit_for_round
from auditkit.manifest import read_manifest, round_kit_ids
from auditkit.round import init_round, load_round
from auditkit.word import read_form
from libreoffice import convert, pdf_text
from test_workbook_fill import TRICKY, sample_answers

FORMULAS = ['=HYPERLINK("http://x.invalid","klikkaa")', "=cmd|' /C calc'!A0", "@SUM(A1)", "+1+1", "-2+3"]
LONG = ("Hyvin pitkä perustelu. " * 4_500).rstrip() + "!"  # 103 500 characters


def compiled_round(folder: Path, catalogue: Catalogue) -> RoundResult:
    """The example round through both phases: every self-assessment workbook filled and returned,
    forwarded, every auditors' workbook filled and returned except one, with formula-looking, long and
    mistaken answers here and there, then compiled. (No form comes back: those are the other 12 missing.)"""
    init_round(folder)
    out = kit_for_round(folder / "round.toml", catalogue).result.out_dir
    rnd = load_round(folder / "round.toml")
    returned = folder / "palautetut"
    returned.mkdir()

    def name(w, role: str) -> str:
        return f"{w.id}-{role}.xlsx" if w.id != "P04" else ("+1+1.xlsx" if role == "self" else "=cmd.xlsx")

    for role in ("self", "peer"):
        if role == "peer":  # phase two: the auditors' workbooks come from the returned self-assessments
            forward_round(folder / "round.toml", catalogue, [returned])
        books = {r.workshop_id: r.file for r in read_manifest(out)
                 if r.document == ("itsearviointi" if role == "self" else "auditointi")}
        for i, w in enumerate(rnd.workshops):
            if (w.id, role) == ("P12", "peer"):
                continue  # not returned
            answers = sample_answers(catalogue, role, seed=i if role == "self" else 2 * i)
            if w.id == "P01" and role == "self":
                for n, text in enumerate([*FORMULAS, TRICKY[-1]], start=1):
                    answers[n]["reasoning"] = text
                answers[7]["reasoning"] = LONG
            if w.id == "P02" and role == "peer":
                answers[4]["rating"] = "kolme"
                answers[5]["reasoning"] = FORMULAS[0]
            if w.id == "P03" and role == "peer":  # most of area 26–37 not applicable: "ei arvioitavissa"
                answers.update({n: {"rating": "Ei sovellu", "reasoning": "Ei oppimisympäristöjä."} for n in range(30, 38)})
            (returned / name(w, role)).write_bytes(fill_workbook((out / books[w.id]).read_bytes(), catalogue, answers))
    return compile_round(catalogue, [returned], round_=rnd, kit_ids=round_kit_ids(rnd),
                         read_workbook=read_workbook, read_form=read_form)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> RoundResult:
    base = compiled_round(tmp_path_factory.mktemp("kierros"), catalogue)
    # Problems whose every field looks like a formula, as a hostile file name and message would.
    hostile = tuple(Problem(f, p, m) for f, p, m in zip(FORMULAS, reversed(FORMULAS), FORMULAS[1:] + FORMULAS[:1]))
    return replace(base, problems=base.problems + hostile)


@pytest.fixture(scope="module")
def koonti(catalogue: Catalogue, result: RoundResult) -> bytes:
    return build_consolidated_workbook(catalogue, result)


@pytest.fixture(scope="module")
def wb(koonti: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(koonti))


def table(ws) -> list[dict[str, object]]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_sheets(wb) -> None:
    assert wb.sheetnames == ["Yhteenveto", "Kaaviot", "Kriteerit", "Työpajat", "Suunnitelmat", "Arviot", "Ongelmat",
                             "Tiedostot"]
    assert wb.active.title == "Yhteenveto"


def test_summary_counts_rule_and_recommendations(catalogue: Catalogue, result: RoundResult, wb) -> None:
    ws = wb["Yhteenveto"]
    facts = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    figures = result.summary()
    assert facts["Kierroksen tunnus"] == "syksy-2026" == result.round_id
    assert facts["Kriteeristön versio"] == f"{catalogue.version} ({catalogue.hash[:12]})"
    assert (facts["Työpajoja"], facts["Itsearviointeja palautettu"], facts["Auditointeja palautettu"]) == (12, 12, 11)
    assert facts["Puuttuvia palautuksia"] == 13 and ("P12", "peer") in result.missing  # and the 12 forms
    assert (facts["Tiedostoja"], facts["Käytetty"]) == (figures["files"], figures["used"]) == (23, 23)
    assert facts["Ongelmia: virheitä"] == figures["problems"]["error"] > 0
    column = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    for line in catalogue.rule.describe():
        assert line in column
    start = column.index("Tunnus")
    recs = {ws.cell(r, 1).value: (ws.cell(r, 2).value, ws.cell(r, 4).value, ws.cell(r, 5).value)
            for r in range(start + 2, ws.max_row + 1)}
    for w in result.workshops:
        label = w.recommendation.label if w.recommendation else None
        assert recs[w.workshop.id] == (w.workshop.name, "palautettu" if w.auditor_workbook else "puuttuu", label)
    assert recs["P12"][2] is None
    assert facts["Ei auditointia palautettu"] == 1


def test_criterion_statistics(catalogue: Catalogue, result: RoundResult, wb) -> None:
    rows = table(wb["Kriteerit"])
    assert [r["Nro"] for r in rows] == [c.number for c in catalogue.criteria]
    for row, own, aud in zip(rows, result.self_stats, result.auditor_stats):
        assert (row["Itse: ka"], row["Itse: n"], row["Itse: Ei sovellu"]) == (own.mean, own.n, own.not_applicable)
        assert (row["Auditoijat: ka"], row["Auditoijat: n"]) == (aud.mean, aud.n)
        assert [row[f"Auditoijat: {v}"] for v in (1, 2, 3, 4)] == [aud.distribution[v] for v in (1, 2, 3, 4)]
        gaps = [w.gaps[row["Nro"]] for w in result.workshops if row["Nro"] in w.gaps]
        assert (row["Ero: ka (aud. − itse)"], row["Ero: pareja"]) == (mean(gaps) if gaps else None, len(gaps))
    assert rows[0]["Kriteeri"] == catalogue.criteria[0].text
    assert rows[0]["Osa-alue"] == catalogue.area(catalogue.criteria[0].area_id).name
    assert wb["Kriteerit"]["E2"].number_format == "0.00"


def test_every_rating_in_the_long_table(catalogue: Catalogue, result: RoundResult, wb) -> None:
    rows = table(wb["Arviot"])
    assert len(rows) == 23 * len(catalogue.criteria)
    by_key = {(r["Tunnus"], r["Rooli"], r["Nro"]): r for r in rows}
    for w in result.workshops:
        for role, returned in (("itsearviointi", w.self_workbook), ("auditointi", w.auditor_workbook)):
            if returned is None:
                assert not any(k[:2] == (w.workshop.id, role) for k in by_key)
                continue
            for x in returned.responses:
                row = by_key[(w.workshop.id, role, x.number)]
                assert (row["Kierros"], row["Työpaja"], row["Arvio"], row["Ei sovellu"]) == (
                    "syksy-2026", w.workshop.name, x.rating, "kyllä" if x.not_applicable else None)
                assert row["Perustelut"] == (cell_safe(x.texts["reasoning"]) or None)
                assert row["Paikka"] == x.place
    p01 = by_key[("P01", "itsearviointi", 1)]
    assert (p01["Perustelut"], p01["Tiedosto"]) == (FORMULAS[0], "P01-self.xlsx")
    assert by_key[("P04", "itsearviointi", 1)]["Tiedosto"] == "+1+1.xlsx"
    assert by_key[("P01", "itsearviointi", 6)]["Perustelut"] == "emoji 😀 ja ẞ"
    assert by_key[("P02", "auditointi", 4)]["Arvio"] is None
    accepted = {r["Ei sovellu hyväksytty"] for r in rows}
    assert accepted == {None, "hyväksytty", "hylätty"}


def test_a_text_longer_than_a_cell_holds_is_cut_with_a_note(wb) -> None:
    row = next(r for r in table(wb["Arviot"]) if r["Tunnus"] == "P01" and r["Rooli"] == "itsearviointi" and r["Nro"] == 7)
    text = row["Perustelut"]
    assert len(text) == MAX_CELL_CHARS and text.startswith(LONG[:1000])
    assert text.endswith("[katkaistu: 103 500 merkkiä; koko teksti on palautetussa tiedostossa]")


def test_workshop_means_flag_what_cannot_be_assessed(catalogue: Catalogue, result: RoundResult, wb) -> None:
    rows = table(wb["Työpajat"])
    groups = len(catalogue.elements) + len(catalogue.areas) + 1
    assert len(rows) == 12 * groups
    p03 = next(w for w in result.workshops if w.workshop.id == "P03")
    area = next(g for g in p03.auditor_scores.areas if not g.assessable)
    row = next(r for r in rows if r["Tunnus"] == "P03" and r["Elementti tai osa-alue"] == area.name)
    assert (row["Auditoijat: huomio"], row["Auditoijat: Ei sovellu"], row["Auditoijat: ka"]) == (
        "ei arvioitavissa", area.not_applicable, None)  # no mean beside "ei arvioitavissa"
    assert area.mean is not None and row["Ero (aud. − itse)"] is None
    flagged = {(r["Tunnus"], r["Elementti tai osa-alue"]) for r in rows if r["Auditoijat: huomio"] == "ei arvioitavissa"}
    expected = {(w.workshop.id, g.name) for w in result.workshops if w.auditor_scores
                for g in (*w.auditor_scores.elements, *w.auditor_scores.areas, w.auditor_scores.overall) if not g.assessable}
    assert flagged == expected and ("P03", area.name) in flagged
    p12 = [r for r in rows if r["Tunnus"] == "P12"]
    assert {r["Auditoijat: huomio"] for r in p12} == {"ei palautettu"} and all(r["Ero (aud. − itse)"] is None for r in p12)
    element = next(r for r in rows if r["Tunnus"] == "P01" and r["Taso"] == "elementti")
    p01 = next(w for w in result.workshops if w.workshop.id == "P01")
    assert element["Itse: ka"] == p01.self_scores.elements[0].mean
    assert element["Ero (aud. − itse)"] == p01.auditor_scores.elements[0].mean - p01.self_scores.elements[0].mean
    rules = wb["Työpajat"].conditional_formatting
    assert {str(r.sqref) for r in rules} == {f"J2:J{len(rows) + 1}", f"O2:O{len(rows) + 1}"}


def test_problems_and_files(result: RoundResult, wb) -> None:
    problems = table(wb["Ongelmat"])
    severity = {"error": "virhe", "warning": "varoitus"}
    assert [(p["Tiedosto"], p["Paikka"], p["Vakavuus"], p["Viesti"]) for p in problems] == [
        (p.file or None, p.place or None, severity[p.severity], p.message) for p in result.problems]
    assert any("'kolme' ei ole arvio; valitkaa luettelosta 1–4 tai Ei sovellu." in p["Viesti"] for p in problems)
    files = table(wb["Tiedostot"])
    assert [f["Tiedosto"] for f in files] == [f.file for f in result.files]
    assert {f["Tila"] for f in files} == {"käytetty"}


def test_native_charts(wb) -> None:
    charts = wb["Kaaviot"]._charts
    assert len(charts) == 3
    refs = [[s.val.numRef.f for s in chart.series] for chart in charts]
    assert refs[0] == ["'Kriteerit'!$E$2:$E$52", "'Kriteerit'!$H$2:$H$52"]
    ws = wb["Kaaviot"]
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert "Suunta" in labels and any(str(v).startswith("Toiminta 17–25") for v in labels)


def test_returned_text_is_never_a_formula(koonti: bytes, wb) -> None:
    with zipfile.ZipFile(io.BytesIO(koonti)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(re.search(rb"<(\w+:)?f[ >]", z.read(n)) for n in sheets)
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value[:1] in "=+-@":
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    seen.add(c.value)
    assert set(FORMULAS) <= seen


def test_the_same_round_gives_the_same_bytes(catalogue: Catalogue, result: RoundResult, koonti: bytes) -> None:
    assert build_consolidated_workbook(catalogue, result) == koonti


def test_an_empty_round(catalogue: Catalogue, result: RoundResult) -> None:
    empty = replace(result, workshops=(), files=(), problems=(), missing=(), self_stats=(), auditor_stats=(),
                    calibration=None)
    wb = openpyxl.load_workbook(io.BytesIO(build_consolidated_workbook(catalogue, empty)))
    assert wb["Arviot"].max_row == 1 and wb["Kriteerit"].max_row == 52


def test_300_workshops_every_rating_row(catalogue: Catalogue, result: RoundResult) -> None:
    # Its build time is a figure of bench/bench_round.py, not a test.
    many = tuple(replace(w, workshop=replace(w.workshop, id=f"{w.workshop.id}-{i}"))
                 for i in range(25) for w in result.workshops)
    big = replace(result, workshops=many)
    data = build_consolidated_workbook(catalogue, big)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.read("xl/worksheets/sheet6.xml").count(b"<row ") == 1 + 25 * 23 * len(catalogue.criteria)


@pytest.mark.office
def test_libreoffice_shows_formula_looking_text_literally(koonti: bytes, tmp_path: Path) -> None:
    source = tmp_path / "koonti.xlsx"
    source.write_bytes(koonti)
    (pdf,) = convert([source], "pdf", tmp_path)
    text = re.sub(r"\s+", " ", pdf_text(pdf))
    for literal in [*FORMULAS, "Keskiarvot: itsearviointi ja auditointi", "Kriteerien keskiarvot",
                    "ei arvioitavissa", "'kolme' ei ole arvio"]:
        assert literal in text, literal
    # Evaluated, the HYPERLINK would show only its label; here every "klikkaa" is inside the literal formula.
    assert set(re.findall(r'.{3}klikkaa.{2}', text)) == {'","klikkaa")'}


def test_round_means_are_the_figures_every_report_uses(wb, result: RoundResult, catalogue: Catalogue) -> None:
    # The Word reports show result.self_groups / auditor_groups; koonti.xlsx must show the same numbers.
    ws = wb["Kaaviot"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    for element in catalogue.elements:
        row = rows[element.name]
        own, aud = result.self_groups[element.id], result.auditor_groups[element.id]
        assert ws.cell(row, 3).value == pytest.approx(own.mean) and ws.cell(row, 4).value == pytest.approx(aud.mean)
        assert (ws.cell(row, 5).value, ws.cell(row, 6).value) == (own.n, aud.n)
    assert result.self_groups["suunta"].n == sum(1 for w in result.workshops if w.self_scores is not None)


def test_readable_in_libreoffice_and_in_print(catalogue: Catalogue, koonti: bytes, wb) -> None:
    """Every font has a name (LibreOffice shows an unnamed one as serif); the charts' value axes run
    over the scale in whole levels; every sheet prints to the page's width, the summary landscape."""
    styles = zipfile.ZipFile(io.BytesIO(koonti)).read("xl/styles.xml").decode()
    fonts = re.findall(r"<font>.*?</font>|<font/>", styles, re.S)
    assert fonts and all("<name " in f for f in fonts), [f for f in fonts if "<name " not in f]
    for chart in wb["Kaaviot"]._charts:
        axis = chart.y_axis
        assert (axis.scaling.min, axis.scaling.max, axis.majorUnit) == (catalogue.scale.min, catalogue.scale.max, 1)
        # the reports' orange and blue, apart for colour-blind readers and in grey
        fills = [s.graphicalProperties.solidFill.srgbClr for s in chart.series]
        assert [getattr(f, "val", f) for f in fills] == ["E69F00", "0072B2"]
    xml = zipfile.ZipFile(io.BytesIO(koonti)).read("xl/charts/chart1.xml").decode()
    assert re.search(r'<(c:)?numFmt formatCode="0" sourceLinked="0"/>', xml)  # 1, 2, 3, 4: not 1.00
    for ws in wb.worksheets:
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    summary = wb["Yhteenveto"]
    assert summary.page_setup.orientation == "landscape"
    assert sum(summary.column_dimensions[c].width for c in "ABCDEF") <= 160  # prints at 80 % or more


def test_caveats_beside_the_proposal(catalogue: Catalogue, result: RoundResult) -> None:
    from auditkit.scoring import Caveat

    marked = replace(result, workshops=tuple(
        replace(w, recommendation=w.recommendation.with_caveats(Caveat("conflict", "Kaksi ristiriitaista kopiota.")))
        if w.workshop.id == "P05" else w for w in result.workshops))
    ws = openpyxl.load_workbook(io.BytesIO(build_consolidated_workbook(catalogue, marked)))["Yhteenveto"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "P05")
    assert ws.cell(row, 6).value.startswith("Varauma: Kaksi ristiriitaista kopiota.")
