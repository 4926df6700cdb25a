"""The development plan in a real client: built from a form filled in LibreOffice, printed by LibreOffice,
and its workbook kept up to date in LibreOffice Calc."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from auditkit.catalogue import Catalogue
from auditkit.compile import compile_round
from auditkit.demo import simulate_audits, simulate_self_assessments
from auditkit.excel import read_workbook
from auditkit.excel.plan import FIRST_ROW, NAME_STATUSES, build_plan_workbook
from auditkit.forward import forward_round
from auditkit.manifest import forwarded_workshops, round_kit_ids
from auditkit.plan import development_plan
from auditkit.report import write_outputs
from auditkit.round import load_round
from auditkit.word import read_form
from conftest import round_with_kit
from libreoffice import convert, pdf_pages, pdf_text, run_uno, uno_office
from test_workbook_libreoffice import LONG_REASON
from round_support import compiled_round

pytestmark = pytest.mark.office  # every test here drives LibreOffice

# What the workshop types into its form in LibreOffice: per criterion, per row label.
TYPED = {
    "12": {"Kehittämiskohteet": "Johtamisjärjestelmää ei ole kuvattu kirjallisesti.",
           "Toimenpiteet": "Kuvataan johtamisjärjestelmä.\nKatselmoidaan se kahdesti vuodessa.",
           "Vastuuhenkilö": "Toiminnanjohtaja Aino Ääri", "Aikataulu": "31.5.2027"},
    "40": {"Toimenpiteet": "Riskienhallinnan malli käyttöön."},
}


@pytest.fixture(scope="module")
def office() -> Iterator[str]:
    with uno_office() as pipe:
        yield pipe


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_a_plan_from_a_form_filled_in_libreoffice(catalogue: Catalogue, tmp_path: Path, office: str) -> None:
    kit, files = round_with_kit(tmp_path / "kierros", catalogue)
    round_file = tmp_path / "kierros" / "round.toml"
    rnd = load_round(round_file)
    returned = tmp_path / "palautetut"
    simulate_self_assessments(rnd, kit.out_dir, returned, catalogue, only=["P01"], forms=False, problems=False)
    spec = {"criteria": {n: {label: ["field", text] for label, text in fields.items()} for n, fields in TYPED.items()}}
    (tmp_path / "spec.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    form = files[("P01", "itsearviointilomake")]
    (returned / "lomakkeet").mkdir()
    run_uno(office, "fill_form.py", str(form), str(returned / "lomakkeet" / form.name), str(tmp_path / "spec.json"))
    forward_round(round_file, catalogue, [returned])
    simulate_audits(rnd, kit.out_dir, returned, catalogue, problems=False, reports=False)
    result = compile_round(catalogue, [returned], round_=rnd, kit_ids=round_kit_ids(rnd),
                           forwarded=forwarded_workshops(rnd), read_workbook=read_workbook, read_form=read_form)
    wr = next(w for w in result.workshops if w.workshop.id == "P01")
    assert wr.form is not None and not [p for p in result.problems if "lomake" in p.file]
    plan = development_plan(catalogue, wr)
    twelve = next(line for line in plan.lines if line.number == 12)
    assert (twelve.action, twelve.owner, twelve.due) == (
        TYPED["12"]["Toimenpiteet"], TYPED["12"]["Vastuuhenkilö"], TYPED["12"]["Aikataulu"])
    assert ("Työpaja", TYPED["12"]["Kehittämiskohteet"]) in twelve.targets
    forty = next(line for line in plan.lines if line.number == 40)
    assert (forty.action, forty.owner, forty.due, forty.status) == (TYPED["40"]["Toimenpiteet"], "", "", "suunniteltu")
    assert plan.actions == 2

    outputs = write_outputs(catalogue, result, tmp_path / "koonti", pdf=True)
    assert outputs.pdf_problems == ()
    docx = next(p for p in outputs.plans if p.name.startswith("P01") and p.suffix == ".docx")
    pdf = docx.with_suffix(".pdf")
    text = _flat(pdf_text(pdf))
    for phrase in ("Kehittämissuunnitelma", "Kuvataan johtamisjärjestelmä. Katselmoidaan se kahdesti vuodessa.",
                   "Toiminnanjohtaja Aino Ääri", "31.5.2027", "Riskienhallinnan malli käyttöön.", "suunniteltu"):
        assert phrase in text, phrase
    pages = pdf_pages(pdf)
    assert 2 <= pages <= 6 and f"sivu {pages} / {pages}" in text
    xlsx = next(p for p in outputs.plans if p.name.startswith("P01") and p.suffix == ".xlsx")
    sheet_text = _flat(pdf_text(convert(xlsx, "pdf", tmp_path / "xlsx-pdf")[0]))
    assert "Kuvataan johtamisjärjestelmä." in sheet_text and "Toiminnanjohtaja Aino Ääri" in sheet_text


def test_the_workbook_kept_up_to_date_in_libreoffice(catalogue: Catalogue, tmp_path: Path, office: str) -> None:
    result = compiled_round(catalogue, tmp_path / "round", 8, texts={("P008", "form", 12, "actions"): "Kuvataan."})
    plan = development_plan(catalogue, next(w for w in result.workshops if w.workshop.id == "P008"))
    source = tmp_path / "suunnitelma.xlsx"
    source.write_bytes(build_plan_workbook(catalogue, plan, round_id=result.round_id, round_name=result.round_name))
    row = FIRST_ROW + [line.number for line in plan.lines].index(12)
    empty = FIRST_ROW + len(plan.lines)  # the first row for a line of the workshop's own
    steps = [
        {"do": "choose", "sheet": "Kehittämissuunnitelma", "cell": f"H{row}", "index": 2},
        {"do": "type", "sheet": "Kehittämissuunnitelma", "cell": f"F{row}", "text": "Pajakoordinaattori"},
        {"do": "type", "sheet": "Kehittämissuunnitelma", "cell": f"I{row}", "text": LONG_REASON},
        {"do": "type", "sheet": "Kehittämissuunnitelma", "cell": f"B{empty}", "text": "Oma kohta: viestintä"},
        {"do": "type", "sheet": "Kehittämissuunnitelma", "cell": f"E{empty}", "text": "Uutiskirje kuukausittain."},
        {"do": "choose", "sheet": "Kehittämissuunnitelma", "cell": f"H{empty}", "index": 1},
    ]
    (tmp_path / "jobs.json").write_text(json.dumps({"steps": steps}, ensure_ascii=False), encoding="utf-8")
    saved = tmp_path / "tallennettu.xlsx"
    run_uno(office, "edit_workbook.py", str(source), str(saved), str(tmp_path / "jobs.json"))
    wb = openpyxl.load_workbook(saved)
    ws = wb["Kehittämissuunnitelma"]
    assert [ws[f"{c}{row}"].value for c in "EFHI"] == ["Kuvataan.", "Pajakoordinaattori", "valmis", LONG_REASON]
    assert [ws[f"{c}{empty}"].value for c in "BEH"] == ["Oma kohta: viestintä", "Uutiskirje kuukausittain.", "käynnissä"]
    assert ws.protection.sheet and {wb[n].sheet_state for n in ("_listat", "_tunniste")} <= {"hidden", "veryHidden"}
    assert [v.formula1 for v in ws.data_validations.dataValidation] == [NAME_STATUSES]  # the drop-down survives
    identity = {r[0]: r[1] for r in wb["_tunniste"].iter_rows(min_row=2, values_only=True)}
    assert identity["role"] == "plan" and identity["workshop_id"] == "P008"
    # The row grew with the text: LibreOffice's PDF leaves out what a cell cuts off, so every word is there.
    text = _flat(pdf_text(convert(saved, "pdf", tmp_path / "pdf")[0]))
    assert _flat(LONG_REASON) in text.replace("- ", "-")
