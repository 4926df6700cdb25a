"""The scoring workbooks as built: sheets, table, drop-downs, protection, print set-up, identity."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from auditkit.catalogue import Catalogue, Profile
from auditkit.excel import build_workbook, read_workbook
from auditkit.excel import contract as k
from auditkit.model import Auditor, CriterionResponse, DocumentContext, Identity, Returned, Workshop
from auditkit.stamping import Blueprint, placeholder_context, values_of


def context(role: str = "self", *, name: str = "Työpaja Äijälä & Co", profile: Profile = Profile()) -> DocumentContext:
    """A small context for tests; every string differs, so a test can tell where each one went."""
    return DocumentContext(
        round_id="2025-syksy", round_name="Syksy 2025",
        workshop=Workshop("paja-12", name, "Äijälän säätiö", "Jyväskylä", "Keski-Suomi", "paja@example.fi", profile),
        role=role, kit_id=f"paja-12-{role}", deadline="2025-12-01",
        auditors=(Auditor("Maija Meikäläinen", "maija@example.fi", "paja-02", "pääauditoija"),),
        coordinator="Into ry", return_to="laatu@example.fi",
    )


def open_xlsx(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def table_rows(ws) -> dict[str, int]:
    """Criterion id -> row on the ratings sheet."""
    return {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)
            if isinstance(ws.cell(r, 1).value, str) and ws.cell(r, 1).value.startswith("tpk-")}


@pytest.fixture(scope="module")
def self_book(catalogue: Catalogue) -> bytes:
    return build_workbook(catalogue, context("self", profile=Profile("adult", False)))


@pytest.fixture(scope="module")
def peer_book(catalogue: Catalogue) -> bytes:
    prefill = Returned("palautettu.xlsx", "workbook", Identity(role="self"), responses=(
        CriterionResponse("tpk-01", 1, rating=3, texts={"reasoning": '=HYPERLINK("http://x.invalid","klikkaa")'}),
        CriterionResponse("tpk-11", 11, not_applicable=True, texts={"reasoning": "Emme ole nuorten työpaja."}),
        CriterionResponse("tpk-12", 12, rating=2, texts={"reasoning": "+358 40 123"}),
    ))
    return build_workbook(catalogue, context("peer"), prefill=prefill)


def test_sheets_in_order_with_lists_and_identity_hidden(self_book: bytes) -> None:
    wb = open_xlsx(self_book)
    assert wb.sheetnames == ["Ohje", "Arviointi", "Yhteenveto", "Käsitteet", "_listat", "_tunniste"]
    assert [wb[n].sheet_state for n in wb.sheetnames] == ["visible"] * 4 + ["veryHidden"] * 2
    assert wb.active.title == "Ohje"


def test_one_row_per_criterion_grouped_with_its_id_number_and_text(catalogue: Catalogue, self_book: bytes) -> None:
    ws = open_xlsx(self_book)["Arviointi"]
    layout = k.LAYOUTS["self"]
    assert [ws.cell(k.HEADER_ROW, c).value for c in range(1, 8)] == [
        "Tunniste", "Nro", "Osa-alue", "Kriteeri", "Huomioitavaa", "Arvio", "Perustelut"]
    rows = table_rows(ws)
    assert list(rows) == [c.id for c in catalogue.criteria]
    for c in catalogue.criteria:
        r = rows[c.id]
        assert ws.cell(r, layout.index("number")).value == c.number
        assert ws.cell(r, layout.index("criterion")).value == c.full_text
        assert ws.cell(r, layout.index("area")).value == catalogue.area(c.area_id).name
        assert ws.cell(r, layout.index("criterion")).alignment.wrap_text
    assert ws.cell(rows["tpk-51"], 4).value.count("\n• ") == 5
    # Group rows: each element and area heads its criteria; 33–37 have their sub-heading.
    assert ws.cell(k.FIRST_ROW, 2).value == "Suunta"
    assert ws.cell(k.FIRST_ROW + 1, 2).value == "Perustehtävän, vision ja strategisten suunnitelmien laadinta (1–8)"
    assert ws.cell(rows["tpk-33"] - 1, 2).value == "Kestävien vaikutusten aikaansaaminen: oppimisympäristöille"
    assert ws.column_dimensions["A"].hidden


def test_criteria_outside_the_profile_are_marked_and_suggest_not_applicable(self_book: bytes) -> None:
    ws = open_xlsx(self_book)["Arviointi"]
    rows = table_rows(ws)
    outside = ("Ei koske työpajanne profiilia: merkitty valmiiksi Ei sovellu. Jos kriteeri kuitenkin koskee teitä, "
               "valitkaa arvio.")
    marked = [cid for cid, r in rows.items() if (ws.cell(r, 5).value or "").startswith(outside)]
    assert marked == ["tpk-11", "tpk-33", "tpk-34", "tpk-35", "tpk-36", "tpk-37"]
    # filled in as Ei sovellu with the profile as the reason; the workshop may still rate them
    assert [(ws.cell(rows[cid], 6).value, ws.cell(rows[cid], 7).value) for cid in ("tpk-11", "tpk-33")] == [
        ("Ei sovellu", "Ei koske työpajan profiilia (aikuiset; ei oppimisympäristöjä): koskee nuorten "
                       "työpajatoimintaa."),
        ("Ei sovellu", "Ei koske työpajan profiilia (aikuiset; ei oppimisympäristöjä): koskee työpajoja, joilla on "
                       "oppimisympäristöjä (opinnollistaminen).")]
    assert ws.cell(rows["tpk-12"], 6).value is None and not ws.cell(rows["tpk-33"], 6).protection.locked
    assert ws.cell(rows["tpk-11"], 4).fill.fgColor.rgb.endswith("E7E6E6")
    assert "Teemat 1, 3, 4, 5 eivät koske työpajanne profiilia; arvioi muut teemat." in ws.cell(rows["tpk-51"], 5).value
    assert "taustaorganisaatio" in ws.cell(rows["tpk-06"], 5).value
    assert ws.cell(rows["tpk-50"], 5).value == "Käsitteet (välilehti Käsitteet): Sosiaalinen vahvistaminen."


def test_drop_downs_come_from_a_hidden_list_behind_a_defined_name(catalogue: Catalogue, self_book: bytes) -> None:
    wb = open_xlsx(self_book)
    ws = wb["Arviointi"]
    (dv,) = ws.data_validations.dataValidation
    assert (dv.type, dv.formula1, dv.showErrorMessage, dv.errorStyle, dv.showInputMessage) == (
        "list", "Arviot", True, "stop", True)
    assert "1 Puuttuva: ei toteudu" in dv.prompt and "Ei sovellu: kirjoita perustelu." in dv.prompt
    rows = table_rows(ws)
    assert {f"F{r}" for r in rows.values()} == {c.coordinate for rng in dv.sqref.ranges for row in ws[rng.coord]
                                                for c in (row if isinstance(row, tuple) else (row,))}
    name = wb.defined_names["Arviot"]
    assert name.attr_text == "'_listat'!$A$1:$A$5"
    assert [wb["_listat"].cell(r, 1).value for r in range(1, 6)] == list(catalogue.scale.choices)


def test_sheets_are_protected_without_password_and_only_inputs_unlocked(self_book: bytes) -> None:
    wb = open_xlsx(self_book)
    for name in ("Ohje", "Arviointi", "Yhteenveto", "Käsitteet"):
        assert wb[name].protection.sheet and not wb[name].protection.password
    ws = wb["Arviointi"]
    r = table_rows(ws)["tpk-05"]
    unlocked = [ws.cell(r, c).column_letter for c in range(1, 12) if not ws.cell(r, c).protection.locked]
    assert unlocked == ["F", "G"]
    assert ws.cell(k.HEADER_ROW, 6).protection.locked


def test_print_setup_frozen_header_and_footer(self_book: bytes) -> None:
    wb = open_xlsx(self_book)
    ws = wb["Arviointi"]
    assert ws.freeze_panes == f"A{k.FIRST_ROW}"
    assert ws.print_title_rows == f"${k.HEADER_ROW}:${k.HEADER_ROW}"
    for name in ("Ohje", "Arviointi", "Yhteenveto", "Käsitteet"):
        s = wb[name]
        assert (s.page_setup.orientation, s.page_setup.fitToWidth, s.sheet_properties.pageSetUpPr.fitToPage) == (
            "landscape", 1, True)
        assert s.oddFooter.left.text == "Työpaja Äijälä && Co"
        assert s.oddFooter.center.text == "&A – sivu &P / &N"


def test_identity_on_the_hidden_sheet_and_in_the_document_properties(catalogue: Catalogue, self_book: bytes) -> None:
    wb = open_xlsx(self_book)
    expected = {"format_version": k.FORMAT_VERSION, "content_version": catalogue.version,
                "content_hash": catalogue.hash, "round_id": "2025-syksy", "workshop_id": "paja-12",
                "workshop_name": "Työpaja Äijälä & Co", "role": "self", "kit_id": "paja-12-self", "phase": None,
                "prefilled_from": None, "round_instance": None}
    ws = wb["_tunniste"]
    assert {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, ws.max_row + 1)} == expected
    assert {p.name: p.value for p in wb.custom_doc_props.props} == expected


def test_summary_has_live_formulas_and_a_chart(self_book: bytes, peer_book: bytes) -> None:
    ws = open_xlsx(self_book)["Yhteenveto"]
    assert [ws.cell(k.SUMMARY_HEADER_ROW, c).value for c in range(2, 10)] == [
        "Elementti ja osa-alue", "Kriteerit", "Kriteerejä", "Arvioitu", "Ei sovellu", "Vastaamatta", "Keskiarvo", "Huomio"]
    r = k.SUMMARY_HEADER_ROW + 2  # the first area, after the element Suunta
    assert (ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 3).value) == (
        "perustehtava", "Perustehtävän, vision ja strategisten suunnitelmien laadinta", "1–8")
    assert ws.cell(r, 8).value == "=IFERROR(AVERAGEIFS('Arviointi'!$J$5:$J$65,'Arviointi'!$H$5:$H$65,$A7),\"\")"
    assert ws.cell(r, 7).value == "=D7-E7-F7"
    for book in (self_book, peer_book):
        with zipfile.ZipFile(io.BytesIO(book)) as z:
            charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
            assert len(charts) == 1 and "<barChart>" in z.read(charts[0]).decode()
    peer = open_xlsx(peer_book)["Yhteenveto"]
    assert [peer.cell(k.SUMMARY_HEADER_ROW, c).value for c in range(8, 11)] == [
        "Työpajan keskiarvo", "Auditoijan keskiarvo", "Ero"]


def test_glossary_lists_every_concept(catalogue: Catalogue, self_book: bytes) -> None:
    ws = open_xlsx(self_book)["Käsitteet"]
    terms = [ws.cell(r, 1).value for r in range(5, 5 + len(catalogue.concepts))]
    assert terms == [c.term for c in catalogue.concepts]
    assert ws.cell(5 + [c.term for c in catalogue.concepts].index("Sosiaalinen vahvistaminen"), 4).value == "10, 50"


def test_guide_states_deadline_scale_and_that_protection_only_guides(catalogue: Catalogue, self_book: bytes) -> None:
    ws = open_xlsx(self_book)["Ohje"]
    cells = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert cells["Palautettava viimeistään"] == "1.12.2025"  # as people read dates
    assert cells["Työpaja"] == "Työpaja Äijälä & Co"
    texts = [ws.cell(r, c).value for r in range(1, ws.max_row + 1) for c in range(1, 6)]
    for level in catalogue.scale.levels:
        assert level.label in texts and level.practice in texts and level.results in texts
    assert any("Suojaus ohjaa täyttämistä; se ei estä muutoksia eikä ole tietoturvaa." in (t or "") for t in texts)


def test_auditor_workbook_shows_the_prefill_read_only_as_text(peer_book: bytes) -> None:
    wb = open_xlsx(peer_book)
    ws = wb["Arviointi"]
    layout = k.LAYOUTS["peer"]
    assert [ws.cell(k.HEADER_ROW, c).value for c in range(6, 15)] == [
        "Työpajan arvio", "Työpajan perustelut", "Auditoijan arvio", "Työpajan Ei sovellu", "Perustelut",
        "Havainnot", "Vahvuudet", "Kehittämissuositukset", "Ero"]
    rows = table_rows(ws)
    shown = {cid: (ws.cell(rows[cid], 6).value, ws.cell(rows[cid], 7).value) for cid in ("tpk-01", "tpk-11", "tpk-12")}
    assert shown == {"tpk-01": ("3 – Kehittynyt", '=HYPERLINK("http://x.invalid","klikkaa")'),
                     "tpk-11": ("Ei sovellu", "Emme ole nuorten työpaja."),
                     "tpk-12": ("2 – Alkava", "+358 40 123")}
    for cid in shown:
        for col in (6, 7):
            cell = ws.cell(rows[cid], col)
            assert cell.data_type == "s" and cell.protection.locked
    assert ws.cell(rows["tpk-01"], 7).quotePrefix
    # In the XML the payload is a string, never a formula.
    with zipfile.ZipFile(io.BytesIO(peer_book)) as z:
        sheet = z.read("xl/worksheets/sheet2.xml").decode()
    assert "HYPERLINK" not in "".join(re.findall(r"<f>(.*?)</f>", sheet))
    gap = ws.cell(rows["tpk-01"], layout.index("gap")).value
    assert gap == f'=IF(AND(ISNUMBER(R{rows["tpk-01"]}),ISNUMBER(Q{rows["tpk-01"]})),R{rows["tpk-01"]}-Q{rows["tpk-01"]},"")'
    validations = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert validations == {"Arviot", "Hyvaksynta"}
    assert [wb["_listat"].cell(r, 3).value for r in (1, 2)] == ["Hyväksytään", "Ei hyväksytä"]


def test_strings_from_outside_are_never_formulas(catalogue: Catalogue) -> None:
    ctx = context(name='=HYPERLINK("http://x.invalid","paja")')
    wb = open_xlsx(build_workbook(catalogue, ctx))
    cell = wb["Arviointi"].cell(k.TITLE_ROW + 1, 4)
    assert cell.value == '=HYPERLINK("http://x.invalid","paja")' and cell.data_type == "s"
    assert wb["_tunniste"].cell(7, 2).data_type == "s"


PLACEHOLDERS = {
    "round_id": "⟦round.id⟧", "round_name": "⟦round.name⟧", "kit_id": "⟦kit_id⟧", "deadline": "⟦deadline⟧",
    "coordinator": "⟦coordinator⟧", "return_to": "⟦return_to⟧",
}


@pytest.mark.parametrize("role", ["self", "peer"])
def test_every_context_string_lands_whole_in_the_package_xml(catalogue: Catalogue, role: str) -> None:
    workshop = Workshop("⟦workshop.id⟧", "⟦workshop.name⟧", "⟦workshop.organisation⟧", "⟦workshop.municipality⟧",
                        "⟦workshop.region⟧", "⟦workshop.email⟧")
    auditors = (Auditor("⟦auditor0.name⟧", "⟦auditor0.email⟧", "⟦auditor0.home⟧", "⟦auditor0.role⟧"),
                Auditor("⟦auditor1.name⟧", role="⟦auditor1.role⟧"))
    ctx = DocumentContext(workshop=workshop, role=role, auditors=auditors, **PLACEHOLDERS)
    with zipfile.ZipFile(io.BytesIO(build_workbook(catalogue, ctx))) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels")))
    written = {"⟦workshop.id⟧", "⟦workshop.name⟧", "⟦workshop.organisation⟧", "⟦workshop.municipality⟧",
               "⟦workshop.email⟧", "⟦auditor0.name⟧", "⟦auditor0.role⟧", "⟦auditor1.name⟧", "⟦auditor1.role⟧",
               *PLACEHOLDERS.values()}
    assert {p for p in written if p not in xml} == set()
    assert set(re.findall(r"⟦[^⟧]*", xml)) == {p[:-1] for p in written}  # never cut, never changed


def test_stamped_copy_reads_back_as_the_workshop(catalogue: Catalogue, tmp_path: Path) -> None:
    """Kit generation builds once with placeholders and stamps each workshop: the identity must follow."""
    real = context("self")
    template = placeholder_context(real)
    stamped = Blueprint(build_workbook(catalogue, template), known=set(values_of(template))).stamp(values_of(real))
    path = tmp_path / "stamped.xlsx"
    path.write_bytes(stamped)
    returned = read_workbook(path, catalogue)
    assert returned.problems == ()
    assert (returned.identity.workshop_name, returned.identity.workshop_id, returned.identity.kit_id) == (
        "Työpaja Äijälä & Co", "paja-12", "paja-12-self")
    assert len(returned.responses) == len(catalogue.criteria)


def test_unknown_role_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(ValueError, match="unknown role 'auditor'"):
        build_workbook(catalogue, replace(context(), role="auditor"))


@pytest.mark.parametrize("role", ["self", "peer"])
def test_answer_rows_grow_with_what_is_typed(self_book: bytes, peer_book: bytes, role: str) -> None:
    """A criterion's row starts tall enough for its text, but without a custom height: Excel and
    LibreOffice then grow it as people type (a fixed height hides the rest of a long reason)."""
    data = self_book if role == "self" else peer_book
    ws = open_xlsx(data)["Arviointi"]
    rows = table_rows(ws)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet2.xml").decode()
    tags = {int(m.group(1)): m.group(0) for m in re.finditer(r'<row r="(\d+)"[^>]*>', sheet)}
    assert len(rows) == 51
    for r in rows.values():
        assert 'customHeight="1"' not in tags[r] and float(re.search(r'ht="([\d.]+)"', tags[r]).group(1)) >= 50
    assert 'customHeight="1"' in tags[k.HEADER_ROW]  # the header keeps its height
