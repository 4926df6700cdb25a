"""The development plan (kehittämissuunnitelma): its lines, the conditional proposal's wording, the Word
document, the workbook the workshop keeps working in, and the line the coordinator reads."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT

from auditkit.catalogue import Catalogue
from auditkit.results import RoundResult
from auditkit.excel import build_consolidated_workbook
from auditkit.excel.plan import FIRST_ROW, HEADER_ROW, NAME_STATUSES, build_plan_workbook
from auditkit.plan import PLAN_ROLE, STATUSES, development_plan
from auditkit.report import write_outputs
from auditkit.word import build_consolidated_report
from auditkit.word.plan import build_plan_report
from round_support import compiled_round
from word_support import W, all_text, custom_properties, paragraphs, tables

# P008 is proposed "suositellaan ehdollisesti" (criterion 49 at 1), P001 "ei suositella", P002 "suositellaan".
CONDITIONAL, NOT_RECOMMENDED, RECOMMENDED = "P008", "P001", "P002"
TEXTS = {
    (CONDITIONAL, "form", 12, "development"): "Johtamisjärjestelmää ei ole kuvattu.",
    (CONDITIONAL, "form", 12, "actions"): "Kuvataan johtamisjärjestelmä.\nKatselmoidaan se kahdesti vuodessa.",
    (CONDITIONAL, "form", 12, "owner"): "Toiminnanjohtaja Aino Ääri",
    (CONDITIONAL, "form", 12, "due"): "31.5.2027",
    (CONDITIONAL, "peer", 12, "development"): "Kirjatkaa myös johtoryhmän tehtävät.",
    (CONDITIONAL, "form", 49, "actions"): "=HYPERLINK(\"http://x.invalid\",\"klikkaa\")",  # a formula-looking action
    (CONDITIONAL, "form", 30, "due"): "kevät 2027",  # a due date alone: still a line
}


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> RoundResult:
    return compiled_round(catalogue, tmp_path_factory.mktemp("round"), 12, texts=TEXTS)


def workshop(result: RoundResult, wid: str):
    return next(w for w in result.workshops if w.workshop.id == wid)


def test_the_plan_takes_the_forms_actions_and_the_auditors_recommendations(catalogue: Catalogue,
                                                                           result: RoundResult) -> None:
    wr = workshop(result, CONDITIONAL)
    plan = development_plan(catalogue, wr)
    line = next(x for x in plan.lines if x.number == 12)
    assert line.targets == (("Työpaja", "Johtamisjärjestelmää ei ole kuvattu."),
                            ("Auditoijat", "Kirjatkaa myös johtoryhmän tehtävät."))
    assert (line.action, line.owner, line.due, line.status, line.complete) == (
        "Kuvataan johtamisjärjestelmä.\nKatselmoidaan se kahdesti vuodessa.", "Toiminnanjohtaja Aino Ääri",
        "31.5.2027", "suunniteltu", True)
    assert next(x for x in plan.lines if x.number == 30).due == "kevät 2027"
    # On the plan: a criterion with any of the form's plan texts, or the auditors' recommendation, or at 1.
    expected = set()
    for c in catalogue.criteria:
        own, theirs = wr.self_answers.get(c.number), wr.auditor_workbook.response(c.number)
        texts = [own.texts.get(k, "") for k in ("development", "actions", "owner", "due")] if own else []
        at_one = wr.auditor_scores.criteria[c.number].value == 1
        if any(texts) or theirs.texts.get("development") or at_one:
            expected.add(c.number)
    assert {x.number for x in plan.lines} == expected
    assert [x.number for x in plan.lines] == sorted(expected)  # in the criteria's order
    assert [x.number for x in plan.required] == [49] and plan.required[0].action.startswith("=HYPERLINK")
    assert "Auditoijien arvio on 1 – Puuttuva" in plan.required[0].requirement


def test_a_conditional_plan_is_the_improvement_plan_the_rule_asks_for(catalogue: Catalogue,
                                                                      result: RoundResult) -> None:
    plan = development_plan(catalogue, workshop(result, CONDITIONAL))
    note = catalogue.rule.conditional_note
    assert note == "Edellyttää kehittämissuunnitelmaa seuraavaan hakukierrokseen mennessä."
    assert plan.conditional and plan.required_by == note and plan.label == "suositellaan ehdollisesti"
    assert plan.shortfalls == ("Tasolla 1 on 1 kriteeri (49); suositus edellyttää, ettei yhtään kriteeriä ole "
                               "tasolla 1.",)
    text = all_text(build_plan_report(catalogue, result, plan, workbook_name="P008 – kehittämissuunnitelma.xlsx"))
    assert "Tämä on ehdollisen ehdotuksen edellyttämä kehittämissuunnitelma." in text
    assert f"Auditoijien ehdotus Intolle on suositellaan ehdollisesti. {note}" in text
    assert "Ehto edellyttää:" in text and plan.shortfalls[0] in text
    assert "Kirjatkaa jokaiselle toimenpide, vastuuhenkilö ja aikataulu ennen seuraavaa hakukierrosta." in text
    assert "Ehdon kohta" in text
    workbook = openpyxl.load_workbook(io.BytesIO(build_plan_workbook(catalogue, plan)))
    assert note in workbook["Kehittämissuunnitelma"]["A3"].value


@pytest.mark.parametrize("wid", [NOT_RECOMMENDED, RECOMMENDED])
def test_other_outcomes_are_the_workshops_own_plan(catalogue: Catalogue, result: RoundResult, wid: str) -> None:
    plan = development_plan(catalogue, workshop(result, wid))
    assert not plan.conditional and plan.required_by == ""
    text = all_text(build_plan_report(catalogue, result, plan))
    assert "Tämä on työpajan kehittämissuunnitelma." in text
    assert "Kriteeristön oma neuvo on: ”Kehitä omaa toimintaasi”." in text
    assert "ehdollisen" not in text and catalogue.rule.conditional_note not in text
    if wid == NOT_RECOMMENDED:  # what stands between it and the mark is on the plan, marked
        assert "Laatumerkin ehdottaminen edellyttää:" in text and "Säännön kohta" in text
        assert all(line.requirement for line in plan.required) and any(line.number is None for line in plan.required)
    else:
        assert plan.required == () and "suunnitelma ei ole sen ehto" in text


def test_without_an_audit_the_plan_is_the_workshops_own(catalogue: Catalogue, tmp_path: Path) -> None:
    result = compiled_round(catalogue, tmp_path, 2, missing=(("P002", "peer"),),
                            texts={("P002", "form", 7, "actions"): "Päivitetään perehdytyskansio."})
    plan = development_plan(catalogue, workshop(result, "P002"))
    assert plan.outcome is None and not plan.audited and plan.form_returned
    assert [(x.number, x.action) for x in plan.lines if x.action] == [(7, "Päivitetään perehdytyskansio.")]
    assert all(who == "Työpaja" for line in plan.lines for who, _ in line.targets)
    text = all_text(build_plan_report(catalogue, result, plan))
    assert "Auditointia ei ole palautettu, joten suunnitelmassa ovat vain työpajan omat" in text
    assert "auditointitaulukkoa ei ole palautettu" in text


def test_the_word_document(catalogue: Catalogue, result: RoundResult) -> None:
    plan = development_plan(catalogue, workshop(result, CONDITIONAL))
    data = build_plan_report(catalogue, result, plan, workbook_name="P008 – kehittämissuunnitelma.xlsx")
    props = custom_properties(data)
    assert (props["role"], props["workshop_id"], props["round_id"], props["content_hash"], props["kit_id"]) == (
        PLAN_ROLE, CONDITIONAL, result.round_id, catalogue.hash, "")
    section = Document(io.BytesIO(data)).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    facts, table = tables(data)
    assert ["Muokattava versio", "P008 – kehittämissuunnitelma.xlsx"] in [
        [" ".join(paragraphs(c)) for c in row] for row in facts]
    head, *rows = table
    assert [" ".join(paragraphs(c)) for c in head] == ["Nro", "Kriteeri", "Kehittämiskohde", "Toimenpide",
                                                       "Vastuuhenkilö", "Aikataulu", "Tila"]
    assert head[0].getparent().find(f"{W}trPr/{W}tblHeader") is not None  # repeated on every page
    assert [paragraphs(r[0])[0] for r in rows] == [str(x.number) for x in plan.lines]
    twelve = next(r for r in rows if paragraphs(r[0]) == ["12"])
    assert paragraphs(twelve[2]) == ["Työpaja: Johtamisjärjestelmää ei ole kuvattu.",
                                     "Auditoijat: Kirjatkaa myös johtoryhmän tehtävät."]
    action = "".join(t.text or "\n" for t in twelve[3].iter(W + "t", W + "br"))
    assert action == "Kuvataan johtamisjärjestelmä.\nKatselmoidaan se kahdesti vuodessa."
    assert [paragraphs(c) for c in twelve[4:]] == [["Toiminnanjohtaja Aino Ääri"], ["31.5.2027"], ["suunniteltu"]]
    assert "Itsearvio" in paragraphs(twelve[1])[1] and "auditoijat" in paragraphs(twelve[1])[1]
    forty_nine = next(r for r in rows if paragraphs(r[0]) == ["49"])
    assert paragraphs(forty_nine[1])[-1] == "Ehdon kohta"
    assert paragraphs(forty_nine[2])[0].startswith("Sääntö: Auditoijien arvio on 1 – Puuttuva")
    assert list(forty_nine[3].iter(W + "instrText")) == [] and list(forty_nine[3].iter(W + "fldSimple")) == []


def test_the_workbook_is_editable_where_the_workshop_works(catalogue: Catalogue, result: RoundResult) -> None:
    plan = development_plan(catalogue, workshop(result, CONDITIONAL))
    data = build_plan_workbook(catalogue, plan, round_id=result.round_id, round_name=result.round_name)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Kehittämissuunnitelma", "_listat", "_tunniste"]
    assert [wb[n].sheet_state for n in wb.sheetnames] == ["visible", "veryHidden", "veryHidden"]
    identity = {row[0]: row[1] or "" for row in wb["_tunniste"].iter_rows(min_row=2, values_only=True)}
    custom = {p.name: p.value or "" for p in wb.custom_doc_props.props}
    assert identity == custom and identity["role"] == PLAN_ROLE and identity["workshop_id"] == CONDITIONAL
    assert identity["round_id"] == result.round_id and identity["content_hash"] == catalogue.hash
    ws = wb["Kehittämissuunnitelma"]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header == ["Nro", "Kriteeri", "Arviot", "Kehittämiskohde", "Toimenpide", "Vastuuhenkilö", "Aikataulu",
                      "Tila", "Seuranta ja huomiot"]
    col = {name: i for i, name in enumerate(header, start=1)}
    rows = {ws.cell(r, 1).value: r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value}
    assert list(rows) == [x.number for x in plan.lines]
    twelve = rows[12]
    assert ws.cell(twelve, col["Kriteeri"]).value == catalogue.criterion(12).text
    assert ws.cell(twelve, col["Kehittämiskohde"]).value == (
        "Työpaja: Johtamisjärjestelmää ei ole kuvattu.\n\nAuditoijat: Kirjatkaa myös johtoryhmän tehtävät.")
    assert ws.cell(twelve, col["Toimenpide"]).value == TEXTS[(CONDITIONAL, "form", 12, "actions")]
    assert ws.cell(twelve, col["Vastuuhenkilö"]).value == "Toiminnanjohtaja Aino Ääri"
    due = ws.cell(twelve, col["Aikataulu"])
    assert due.value == dt.datetime(2027, 5, 31) and due.number_format == "d.m.yyyy"  # a date: sorts as one
    assert ws.cell(rows[30], col["Aikataulu"]).value == "kevät 2027"  # anything else as written
    assert ws.cell(twelve, col["Tila"]).value == "suunniteltu"
    action = ws.cell(rows[49], col["Toimenpide"])
    assert action.data_type == "s" and action.value.startswith("=HYPERLINK")  # text, never a live formula
    assert ws.cell(rows[49], col["Kehittämiskohde"]).value.startswith("Ehdon kohta: Auditoijien arvio on 1")
    # The workshop's columns are editable, what came from the returned files is not; empty rows follow.
    assert ws.protection.sheet and not ws.protection.password
    assert not ws.protection.insertRows and not ws.protection.formatRows and not ws.protection.autoFilter
    last = ws.max_row
    assert last == FIRST_ROW + len(plan.lines) + 10 - 1
    for name in header:
        editable = name in ("Toimenpide", "Vastuuhenkilö", "Aikataulu", "Tila", "Seuranta ja huomiot")
        assert ws.cell(twelve, col[name]).protection.locked is not editable, name
        assert not ws.cell(last, col[name]).protection.locked, name  # an empty row is the workshop's
    # The status is a drop-down of the four statuses, from the hidden list, refusing anything else.
    (validation,) = ws.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == NAME_STATUSES and validation.showErrorMessage
    letter = openpyxl.utils.get_column_letter(col["Tila"])
    assert str(validation.sqref) == f"{letter}{FIRST_ROW}:{letter}{last}"
    ref = wb.defined_names[NAME_STATUSES].attr_text
    sheet, cells = ref.split("!")
    assert [c.value for (c,) in wb[sheet.strip("'")][cells.replace("$", "")]] == list(STATUSES)
    # Rows grow with what is typed: no fixed heights on the table's rows, but a starting height.
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    for r in (twelve, last):
        row_tag = sheet_xml[sheet_xml.index(f'<row r="{r}"'):].split(">", 1)[0]
        assert "customHeight" not in row_tag and 'ht="' in row_tag
    # Printed landscape to the page's width, the header on every page.
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows.replace("$", "") == f"{HEADER_ROW}:{HEADER_ROW}"


def test_compile_writes_a_plan_beside_each_feedback(catalogue: Catalogue, tmp_path: Path) -> None:
    result = compiled_round(catalogue, tmp_path / "round", 3, missing=(("P003", "self"), ("P003", "peer")))
    outputs = write_outputs(catalogue, result, tmp_path / "koonti")
    names = sorted(p.name for p in outputs.plans)
    assert names == [f"P00{i} Työpaja Ääri-{i} Reuna – kehittämissuunnitelma.{ext}" for i in (1, 2)
                     for ext in ("docx", "xlsx")]  # P003 returned its form only: a plan too
    assert {p.parent for p in outputs.plans} == {tmp_path / "koonti" / "palaute"}
    docx = next(p for p in outputs.plans if p.name.startswith("P001") and p.suffix == ".docx")
    assert "P001 Työpaja Ääri-1 Reuna – kehittämissuunnitelma.xlsx" in all_text(docx.read_bytes())
    feedback = all_text(outputs.feedback[0].read_bytes())  # points the workshop to its plan
    assert "kehittämissuunnitelmassa, joka on tämän palautteen rinnalla Word-asiakirjana ja muokattavana" in feedback
    with pytest.raises(Exception, match="on jo olemassa"):
        write_outputs(catalogue, result, tmp_path / "koonti")


def test_the_coordinator_reads_a_line_per_workshop(catalogue: Catalogue, result: RoundResult, tmp_path: Path) -> None:
    plans = {w.workshop.id: development_plan(catalogue, w) for w in result.workshops}
    conditional = plans[CONDITIONAL]
    assert conditional.summary() == (f"{len(conditional.lines)} kohtaa, 2 toimenpidettä (1 vastuuhenkilöineen ja "
                                     "aikatauluineen); säännön edellyttämiä kohtia 1, joista toimenpide kirjattu 1")
    text = all_text(build_consolidated_report(catalogue, result))
    for wid, plan in plans.items():
        assert f"Kehittämissuunnitelma: {plan.summary()}." in text, wid
    silent = compiled_round(catalogue, tmp_path, 2, missing=(("P002", "self"), ("P002", "peer")), forms=False)
    assert all_text(build_consolidated_report(catalogue, silent)).count("Kehittämissuunnitelma: ") == 1  # no plan
    wb = openpyxl.load_workbook(io.BytesIO(build_consolidated_workbook(catalogue, result)))
    rows = list(wb["Suunnitelmat"].iter_rows(values_only=True))
    assert rows[0] == ("Tunnus", "Työpaja", "Ehdotus", "Kohtia", "Toimenpiteitä", "Vastuuhenkilö ja aikataulu",
                       "Säännön kohtia", "Säännön kohtia ilman toimenpidettä", "Suunnitelma")
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id[CONDITIONAL][2:] == ("suositellaan ehdollisesti", len(conditional.lines), 2, 1, 1, 0,
                                      conditional.summary())
    assert by_id[NOT_RECOMMENDED][6] == len(plans[NOT_RECOMMENDED].required) == by_id[NOT_RECOMMENDED][7]
    # Of the conditional proposals (P008 and P009), P008's plan has an action for its shortfall.
    outcomes = [w.recommendation.outcome for w in result.workshops if w.recommendation]
    assert outcomes.count("conditional") == 2
    assert "Ehdollisia, joiden ehdon kohdille on toimenpiteet\n1 / 2" in text


def test_a_plan_with_nothing_in_it_says_so(catalogue: Catalogue, result: RoundResult) -> None:
    wr = workshop(result, RECOMMENDED)
    empty = replace(wr, form=None, self_answers={}, auditor_workbook=replace(wr.auditor_workbook, responses=()))
    plan = development_plan(catalogue, empty)
    assert plan.lines == () and plan.summary() == "ei kehittämiskohteita eikä toimenpiteitä"
    assert "Työpaja ei ole kirjannut kehittämiskohteita eikä toimenpiteitä" in all_text(
        build_plan_report(catalogue, result, plan))
    ws = openpyxl.load_workbook(io.BytesIO(build_plan_workbook(catalogue, plan)))["Kehittämissuunnitelma"]
    assert ws.max_row == FIRST_ROW + 10 - 1 and all(not c.protection.locked for c in ws[FIRST_ROW])


def test_a_plan_that_comes_back_is_received_never_read_for_answers(catalogue: Catalogue, tmp_path: Path) -> None:
    """Workshops send their plans back with the next returns (they keep working in the workbook): compile
    knows both documents by the identity they carry (role "plan"; the docx also by its title), not by
    their names, lists them as received and reads no answer from them."""
    from auditkit.compile import compile_round
    from auditkit.excel import read_workbook
    from auditkit.word import read_form

    result = compiled_round(catalogue, tmp_path / "round", 2)
    outputs = write_outputs(catalogue, result, tmp_path / "koonti")
    back = tmp_path / "sähköposti"  # renamed by the workshop, in a folder whose name says nothing
    back.mkdir()
    for i, plan in enumerate(sorted(outputs.plans)):
        (back / f"liite {i}{plan.suffix}").write_bytes(plan.read_bytes())
    again = compile_round(catalogue, [back], read_workbook=read_workbook, read_form=read_form)
    assert [(f.kind, f.status, f.role, f.workshop_id, f.note) for f in again.files] == [
        (kind, "received", PLAN_ROLE, wid, "kehittämissuunnitelma")
        for wid in ("P001", "P002") for kind in ("form", "workbook")]
    assert again.workshops == () and again.problems == () and again.summary()["received"] == 4
