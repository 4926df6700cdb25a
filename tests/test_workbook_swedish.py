"""Workbooks in Swedish: built from the Swedish test content with DocumentContext(language="sv"), every
interface text Swedish (sheets, headers, lists, prompts, the guide, footers), and read back exactly, as
are Swedish workbooks of Finnish content; koonti.xlsx and the plan workbook in the round's language."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from auditkit.catalogue import Catalogue, Profile, load_catalogue
from auditkit.excel import build_consolidated_workbook, build_workbook, fill_workbook, read_workbook
from auditkit.excel.book import profile_reason
from auditkit.excel.plan import build_plan_workbook
from auditkit.model import Auditor, CriterionResponse, DocumentContext, Identity, Returned, Workshop
from auditkit.plan import development_plan
from auditkit.stamping import Blueprint, placeholder_context, values_of
from round_support import compiled_round

CONTENT_SV = Path(__file__).parent / "fixtures" / "content-sv"
SHEETS = ["Anvisningar", "Bedömning", "Sammanfattning", "Begrepp", "_listat", "_tunniste"]
ADULT = Profile("adult", False)  # criteria 4 (youth) and 8 (learning environments) are outside it

# Finnish interface words that must not appear in a Swedish workbook (outside content and people's text).
STOP = ("Työpaja", "työpaja", "Kriteeri", "Arvio", "arvio", "Perustelu", "Vahvuudet", "Ei sovellu", "kehittämis",
        "itsearvio", "auditointi", "Auditointi", "Ohje", "Yhteenveto", "Käsitte", "Hyväksytään", "hyväksy", "sivu",
        "Tunniste", "välilehti", "kyllä", "Kierros", "Keskiarvo", "keskiarvo", "Osa-alue", "Huomio", "Valitse",
        "Valitkaa", "auditoija", "Tila", "Toimenpide", "Vastuuhenkilö", "Aikataulu", "Ongelmat", "Tiedosto")


@pytest.fixture(scope="module")
def sv_catalogue() -> Catalogue:
    return load_catalogue(CONTENT_SV)


def context(role: str = "self", *, profile: Profile = ADULT) -> DocumentContext:
    """A Swedish workshop's context: every string Swedish or a name, so a Finnish word can only be ours."""
    return DocumentContext(
        round_id="2026-host", round_name="Hösten 2026",
        workshop=Workshop("verkstad-7", "Verkstad Åbo & Co", "Åbo stiftelse", "Åbo", "Egentliga Finland",
                          "verkstad@example.fi", profile),
        role=role, kit_id=f"verkstad-7-{role}", deadline="2026-12-01",
        auditors=(Auditor("Anna Andersson", "anna@example.fi", "verkstad-2", "pääauditoija"),),
        coordinator="Into rf", return_to="kvalitet@example.fi", language="sv",
    )


def _stamped(catalogue: Catalogue, ctx: DocumentContext, prefill: Returned | None = None) -> bytes:
    """The workbook as a kit makes it: built once with placeholders, stamped for the workshop."""
    return Blueprint(build_workbook(catalogue, placeholder_context(ctx), prefill=prefill)).stamp(values_of(ctx))


def _texts(wb: openpyxl.Workbook) -> list[str]:
    """Every text a person sees: visible sheets' cells and names, drop-down prompts and errors, footers."""
    out: list[str] = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        out.append(ws.title)
        out += [str(c.value) for row in ws.iter_rows() for c in row  # formulas are no text (they name "Arviot")
                if isinstance(c.value, str) and not c.value.startswith("=")]
        for v in ws.data_validations.dataValidation:
            out += [t for t in (v.promptTitle, v.prompt, v.errorTitle, v.error) if t]
        footer = ws.oddFooter
        if footer is not None:
            out += [t for t in (footer.left.text, footer.center.text, footer.right.text) if t]
    return out


def _finnish(texts: list[str]) -> list[tuple[str, str]]:
    # An auditor's role is stamped as the register and the assignment write it ("pääauditoija"):
    # stamping.values_of says it verbatim (left to stamping.py, which is not the workbooks' to change).
    return [(word, text[:80]) for text in texts if text != "pääauditoija" for word in STOP if word in text]


def _language(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        core = z.read("docProps/core.xml").decode()
    found = re.search(r"<dc:language\b[^>]*>([^<]*)</dc:language>", core)
    return found.group(1) if found else ""


@pytest.fixture(scope="module")
def self_book(sv_catalogue: Catalogue) -> bytes:
    return _stamped(sv_catalogue, context("self"))


@pytest.fixture(scope="module")
def self_returned(sv_catalogue: Catalogue, self_book: bytes, tmp_path_factory: pytest.TempPathFactory) -> Returned:
    path = tmp_path_factory.mktemp("sv") / "självvärdering.xlsx"
    path.write_bytes(fill_workbook(self_book, sv_catalogue, SELF_ANSWERS))
    return read_workbook(path, sv_catalogue)


@pytest.fixture(scope="module")
def peer_book(sv_catalogue: Catalogue, self_returned: Returned) -> bytes:
    return _stamped(sv_catalogue, context("peer"), prefill=self_returned)


def test_the_self_assessment_speaks_swedish(sv_catalogue: Catalogue, self_book: bytes) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(self_book))
    assert wb.sheetnames == SHEETS
    ratings = wb["Bedömning"]
    assert [c.value for c in ratings[4]][:7] == ["Kod", "Nr", "Delområde", "Kriterium", "Att beakta", "Bedömning",
                                                 "Motivering"]
    assert ratings["B1"].value == f"Självvärdering: {sv_catalogue.meta.title}"
    assert (ratings["B2"].value, ratings["D2"].value, ratings["F2"].value) == ("Verkstad", "Verkstad Åbo & Co",
                                                                               "Kod: verkstad-7-self")
    texts = _texts(wb)
    for phrase in ("Så fyller ni i arbetsboken", "Bedömningsskala", "Tillämplighet", "Skydd", "Returneras senast",
                   "1.12.2026", "vuxna; lärmiljöer (erkännande av lärande): nej",
                   "Anvisningar och skala: fliken Anvisningar.", "Välj en bedömning i listan: 1–4 eller Ej tillämplig.",
                   "Alla kriterier", "Profil per delområde", "&A – sida &P / &N",
                   "I medelvärdena räknas inte svar med Ej tillämplig."):
        assert any(phrase in text for text in texts), phrase
    assert _finnish(texts) == []
    built = _texts(openpyxl.load_workbook(io.BytesIO(build_workbook(sv_catalogue, context("self")))))
    assert "ledande auditör" in built  # the role as the workbook says it where it is built, not stamped
    # Criteria outside the profile come filled in as Ej tillämplig, with the profile as the reason, in Swedish.
    rows = {ratings.cell(r, 1).value: r for r in range(5, ratings.max_row + 1)}
    assert ratings.cell(rows["tpk-11"], 6).value == "Ej tillämplig"
    reason = ratings.cell(rows["tpk-11"], 7).value
    assert reason == profile_reason(sv_catalogue.criterion(4), ADULT, "sv")
    assert reason.startswith("Gäller inte verkstadens profil (vuxna; inga lärmiljöer): ")
    assert [row[0].value for row in wb["_listat"].iter_rows()][:5] == [*(lv.label for lv in sv_catalogue.scale.levels),
                                                                       "Ej tillämplig"]
    assert [wb["_listat"].cell(r, 3).value for r in (1, 2)] == ["Godkänns", "Godkänns inte"]
    assert "'Bedömning'!" in wb["Sammanfattning"]["D6"].value  # the summary's formulas count the Swedish sheet
    assert _language(self_book) == "sv-FI"


def test_no_finnish_anywhere_a_person_reads(self_book: bytes, peer_book: bytes, tmp_path: Path) -> None:
    """Scanned as the demo's files are (tests/visible_text: cells, lists, prompts, chart titles, the title)."""
    from visible_text import visible_texts

    for name, data in (("självvärdering.xlsx", self_book), ("auditering.xlsx", peer_book)):
        path = tmp_path / name
        path.write_bytes(data)
        texts = visible_texts(path)
        assert "Medelvärden per delområde" in texts  # the chart's title
        assert _finnish(texts) == [], name


def test_the_auditors_workbook_speaks_swedish(peer_book: bytes) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(peer_book))
    assert wb.sheetnames == SHEETS
    header = [c.value for c in wb["Bedömning"][4]]
    assert header[5:14] == ["Verkstadens bedömning", "Verkstadens motivering", "Auditörens bedömning",
                            "Verkstadens Ej tillämplig", "Motivering", "Observationer", "Styrkor",
                            "Utvecklingsrekommendationer", "Skillnad"]
    texts = _texts(wb)
    for phrase in ("Auditering: ", "välj Godkänns eller Godkänns inte i kolumnen Verkstadens Ej tillämplig",
                   "Rekommendation om kvalitetsmärket (förslag till Into)", "Verkstadens självvärdering",
                   "Välj Godkänns eller Godkänns inte.", "Auditörens medelvärde", "Ingen bedömning",
                   "1. Täckning: varje kriterium har bedömts eller dess ”Ej tillämplig” har godkänts."):
        assert any(phrase in text for text in texts), phrase
    assert _finnish(texts) == []
    assert _language(peer_book) == "sv-FI"


# What a Swedish workshop types: labels from the list, bare levels, Ej tillämplig with a reason (in any case),
# the Finnish word too, and one value that is no rating.
SELF_ANSWERS: dict[int, dict[str, Any]] = {
    1: {"rating": "3 – Utvecklad", "reasoning": "Strategin uppdateras årligen."},
    2: {"rating": 2, "reasoning": "Delvis i bruk."},
    3: {"rating": "Ej tillämplig", "reasoning": "Vi har inget kvalitetssystem ännu."},
    5: {"rating": "ej tillämplig", "reasoning": "Inga servicestigar."},
    6: {"rating": "Ei sovellu", "reasoning": "Skrivet på finska."},
    7: {"rating": "4"},
    9: {"rating": "tre", "reasoning": "Osäker."},
}


def test_a_swedish_self_assessment_reads_back_exactly(sv_catalogue: Catalogue, self_returned: Returned) -> None:
    back = self_returned
    assert (back.identity.role, back.identity.workshop_name, back.identity.kit_id) == ("self", "Verkstad Åbo & Co",
                                                                                         "verkstad-7-self")
    got = {r.number: (r.rating, r.not_applicable, r.texts.get("reasoning", "")) for r in back.responses}
    by_profile = {n: (None, True, profile_reason(sv_catalogue.criterion(n), ADULT, "sv")) for n in (4, 8)}
    assert got == {
        1: (3, False, "Strategin uppdateras årligen."), 2: (2, False, "Delvis i bruk."),
        3: (None, True, "Vi har inget kvalitetssystem ännu."), 5: (None, True, "Inga servicestigar."),
        6: (None, True, "Skrivet på finska."), 7: (4, False, ""), 9: (None, False, "Osäker."),
        10: (None, False, ""), 11: (None, False, ""), 12: (None, False, ""), **by_profile,
    }
    assert back.response(1).place.startswith("Bedömning!F")  # places name the sheet as the file names it
    # What the sheet shows above its table about whose it is ("Verkstad", "Kod: …"), compared with the identity.
    assert (back.shown.workshop_name, back.shown.kit_id) == ("Verkstad Åbo & Co", "verkstad-7-self")
    [problem] = back.problems  # "tre" is no rating: the place names the Swedish sheet
    assert problem.code == "rating-not-on-scale" and "Bedömning" in problem.place


def test_a_swedish_auditors_workbook_reads_back_exactly(sv_catalogue: Catalogue, peer_book: bytes,
                                                        tmp_path: Path) -> None:
    answers: dict[int, dict[str, Any]] = {
        1: {"rating": "2 – Inledande", "reasoning": "Strategi finns, uppföljning saknas.",
            "observations": "Två team intervjuades.", "strengths": "Engagerad personal",
            "development": "Mätare för strategin"},
        3: {"na_accepted": "Godkänns"},
        5: {"na_accepted": "Godkänns inte", "rating": 1, "reasoning": "Servicestigar behövs."},
        6: {"na_accepted": "godkänns"},
        7: {"na_accepted": "Hyväksytään"},  # the Finnish answer is read too
        8: {"na_accepted": "kanske"},
    }
    path = tmp_path / "auditering.xlsx"
    path.write_bytes(fill_workbook(peer_book, sv_catalogue, answers))
    back = read_workbook(path, sv_catalogue)
    got = {r.number: (r.rating, r.not_applicable, r.na_accepted, {k: v for k, v in r.texts.items() if v})
           for r in back.responses if r.rating is not None or r.not_applicable or r.na_accepted is not None
           or any(r.texts.values())}
    assert got == {
        1: (2, False, None, {"reasoning": "Strategi finns, uppföljning saknas.", "observations": "Två team intervjuades.",
                             "strengths": "Engagerad personal", "development": "Mätare för strategin"}),
        3: (None, False, True, {}), 5: (1, False, False, {"reasoning": "Servicestigar behövs."}),
        6: (None, False, True, {}), 7: (None, False, True, {}),
    }
    [problem] = back.problems
    assert problem.code == "acceptance-not-an-answer" and "Bedömning" in problem.place
    assert "Godkänns" in problem.message_in("en") and "Godkänns inte" in problem.message_in("en")


def test_a_swedish_workbook_of_finnish_content(catalogue: Catalogue, tmp_path: Path) -> None:
    """A Swedish-speaking workshop in a round with Finnish content: the interface is Swedish, the criteria and
    the rating list are the content's (Finnish); Ei sovellu, Ej tillämplig and both languages' answers read."""
    ctx = context("self", profile=Profile("both", True))
    book = _stamped(catalogue, ctx)
    wb = openpyxl.load_workbook(io.BytesIO(book))
    assert wb.sheetnames == SHEETS
    assert wb["_listat"]["A5"].value == "Ei sovellu"  # the content's own label
    answers: dict[int, dict[str, Any]] = {1: {"rating": "Ej tillämplig", "reasoning": "Gäller inte oss."},
                                          2: {"rating": "Ei sovellu", "reasoning": "Ei koske meitä."},
                                          3: {"rating": "3 – Kehittynyt"}}
    path = tmp_path / "sv-fi.xlsx"
    path.write_bytes(fill_workbook(book, catalogue, answers))
    back = read_workbook(path, catalogue)
    assert back.problems == ()
    got = {r.number: (r.rating, r.not_applicable) for r in back.responses if r.rating is not None or r.not_applicable}
    assert got == {1: (None, True), 2: (None, True), 3: (3, False)}

    prefill = Returned(str(path), "workbook", back.identity, back.responses)
    peer = _stamped(catalogue, replace(ctx, role="peer", kit_id="verkstad-7-peer"), prefill=prefill)
    path = tmp_path / "sv-fi-peer.xlsx"
    path.write_bytes(fill_workbook(peer, catalogue, {1: {"na_accepted": "Godkänns"}, 2: {"na_accepted": "Ei hyväksytä"},
                                                      3: {"rating": "Ei sovellu", "reasoning": "Ej aktuellt."}}))
    back = read_workbook(path, catalogue)
    assert back.problems == ()
    assert {r.number: (r.rating, r.not_applicable, r.na_accepted) for r in back.responses
            if r.rating is not None or r.not_applicable or r.na_accepted is not None} == {
        1: (None, False, True), 2: (None, False, False), 3: (None, True, None)}


def test_a_finnish_workbook_still_reads_as_it_did(catalogue: Catalogue, tmp_path: Path) -> None:
    """The same answers in a Finnish workbook: the Swedish words are read there too, places say Arviointi."""
    ctx = replace(context("self", profile=Profile("both", True)), language="fi")
    book = _stamped(catalogue, ctx)
    assert openpyxl.load_workbook(io.BytesIO(book)).sheetnames[:4] == ["Ohje", "Arviointi", "Yhteenveto", "Käsitteet"]
    assert _language(book) == "fi-FI"
    path = tmp_path / "fi.xlsx"
    path.write_bytes(fill_workbook(book, catalogue, {1: {"rating": "Ej tillämplig", "reasoning": "Ei koske."},
                                                      2: {"rating": "2"}}))
    back = read_workbook(path, catalogue)
    assert back.problems == () and back.response(2).place.startswith("Arviointi!")
    assert (back.response(1).not_applicable, back.response(2).rating) == (True, 2)


def test_a_renamed_swedish_ratings_sheet_is_named_as_the_file_names_it(sv_catalogue: Catalogue, self_book: bytes,
                                                                       tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(fill_workbook(self_book, sv_catalogue, {1: {"rating": 2}})))
    wb["Bedömning"].title = "Mina svar"
    path = tmp_path / "renamed.xlsx"
    wb.save(path)
    back = read_workbook(path, sv_catalogue)
    assert back.response(1).rating == 2 and back.response(1).place.startswith("Mina svar!")
    [problem] = [p for p in back.problems if p.code == "ratings-sheet-renamed"]
    assert "Bedömning" in problem.message_in("en") and "Mina svar" in problem.place


def test_koonti_in_the_rounds_language(catalogue: Catalogue, tmp_path: Path) -> None:
    result = replace(compiled_round(catalogue, tmp_path, 3), language="sv")
    data = build_consolidated_workbook(catalogue, result)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Sammanfattning", "Diagram", "Kriterier", "Verkstäder", "Planer", "Bedömningar",
                             "Problem", "Filer"]
    assert [c.value for c in wb["Bedömningar"][1]][:8] == ["Omgång", "Kod", "Verkstad", "Roll", "Nr", "Bedömning",
                                                           "Ei sovellu", "Ei sovellu godkänt"]  # the content's label
    assert [c.value for c in wb["Filer"][1]] == ["Fil", "Typ", "Status", "Verkstad", "Roll", "Sparad", "Anmärkning"]
    summary = [c.value for c in wb["Sammanfattning"]["A"] if isinstance(c.value, str)]
    assert "Returer" in summary and "Rekommendationsregel" in summary
    facts = {row[0].value: row[1].value for row in wb["Sammanfattning"].iter_rows(max_col=2)}
    assert facts["Typ av auditering"] == "Kollegial auditering"  # compile says it in Finnish: said again
    headers = [str(c.value) for ws in wb.worksheets[2:] for c in ws[1] if c.value]
    assert _finnish([h for h in headers if not h.startswith(("Ei sovellu", "Själv: Ei sovellu",
                                                             "Auditörer: Ei sovellu"))]) == []
    assert wb["Diagram"]["A1"].value == "Medelvärden: självvärdering och auditering"
    assert _language(data) == "sv-FI"


def test_the_plan_workbook_in_swedish(catalogue: Catalogue, tmp_path: Path) -> None:
    result = compiled_round(catalogue, tmp_path, 3)
    plan = development_plan(catalogue, result.workshops[0])
    data = build_plan_workbook(catalogue, plan, round_id=result.round_id, round_name="Hösten 2026", lang="sv")
    whole = build_plan_workbook(catalogue, plan, round_id=result.round_id, round_name="Hösten 2026", lang="sv",
                                stamped=False)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Utvecklingsplan", "_listat", "_tunniste"]
    ws = wb["Utvecklingsplan"]
    assert [c.value for c in ws[6]] == ["Nr", "Kriterium", "Bedömningar", "Utvecklingsområde", "Åtgärd",
                                        "Ansvarsperson", "Tidtabell", "Status", "Uppföljning och anmärkningar"]
    assert [c.value for c in wb["_listat"]["A"]] == ["planerad", "pågår", "klar", "uppskjuten"]
    [validation] = ws.data_validations.dataValidation
    assert validation.prompt == "planerad, pågår, klar, uppskjuten"
    assert ws["A4"].value.startswith("De gula cellerna kan redigeras")
    other = openpyxl.load_workbook(io.BytesIO(whole))["Utvecklingsplan"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [[c.value for c in row] for row in other.iter_rows()]
    # The Finnish one is still made from its own shell in the same process.
    fi = openpyxl.load_workbook(io.BytesIO(build_plan_workbook(catalogue, plan, round_id=result.round_id)))
    assert fi.sheetnames[0] == "Kehittämissuunnitelma" and fi["_listat"]["A1"].value == "suunniteltu"
    assert _language(data) == "sv-FI"


# --- through LibreOffice, as a person fills a Swedish workbook ------------------------------------------

OFFICE_SELF = [
    {"id": "tpk-01", "column": "F", "choose": 2},
    {"id": "tpk-01", "column": "G", "type": "Strategin uppdateras årligen; personalen deltar."},
    {"id": "tpk-09", "column": "F", "choose": 4},  # Ej tillämplig
    {"id": "tpk-09", "column": "G", "type": "Vi har inget kvalitetssystem ännu."},
    {"id": "tpk-17", "column": "F", "choose": 0},
    {"id": "tpk-48", "column": "F", "choose": 3},
    {"id": "tpk-48", "column": "G", "type": "Sovari-rapport 2024"},
]
OFFICE_PEER = [
    {"id": "tpk-01", "column": "H", "choose": 1},
    {"id": "tpk-01", "column": "J", "type": "Strategi finns, uppföljning saknas."},
    {"id": "tpk-09", "column": "I", "choose": 0},  # Godkänns
    {"id": "tpk-17", "column": "H", "choose": 4},
    {"id": "tpk-17", "column": "I", "choose": 1},  # Godkänns inte
    {"id": "tpk-17", "column": "J", "type": "Gäller inte denna verkstad."},
]


@pytest.mark.office
def test_a_swedish_workbook_filled_in_libreoffice_reads_back_exactly(sv_catalogue: Catalogue, tmp_path: Path) -> None:
    from auditkit.compile import compile_round
    from auditkit.word import read_form
    from libreoffice import convert, pdf_text, run_uno, uno_office

    folder = tmp_path / "returned"
    folder.mkdir()
    source = tmp_path / "självvärdering.xlsx"
    source.write_bytes(_stamped(sv_catalogue, context("self")))
    with uno_office() as office:
        spec = tmp_path / "self.json"
        spec.write_text(json.dumps({"sheet": "Bedömning", "fills": OFFICE_SELF}), encoding="utf-8")
        mine = folder / "självvärdering.xlsx"
        entered = run_uno(office, "fill_workbook.py", str(source), str(mine), str(spec))
        assert len(entered.splitlines()) == len(OFFICE_SELF) and "Ej tillämplig" in entered
        own = read_workbook(mine, sv_catalogue)
        assert own.problems == ()
        got = {r.number: (r.rating, r.not_applicable, r.texts["reasoning"]) for r in own.responses
               if r.rating is not None or r.not_applicable or r.texts["reasoning"]}
        by_profile = {n: (None, True, profile_reason(sv_catalogue.criterion(n), ADULT, "sv")) for n in (4, 8)}
        assert got == {1: (3, False, "Strategin uppdateras årligen; personalen deltar."),
                       3: (None, True, "Vi har inget kvalitetssystem ännu."), 5: (1, False, ""),
                       12: (4, False, "Sovari-rapport 2024"), **by_profile}
        assert own.response(1).place == "Bedömning!F7"

        peer_source = tmp_path / "auditering.xlsx"
        peer_source.write_bytes(_stamped(sv_catalogue, context("peer"), prefill=own))
        spec = tmp_path / "peer.json"
        spec.write_text(json.dumps({"sheet": "Bedömning", "fills": OFFICE_PEER}), encoding="utf-8")
        theirs_path = folder / "auditering.xlsx"
        entered = run_uno(office, "fill_workbook.py", str(peer_source), str(theirs_path), str(spec))
        assert "Godkänns inte" in entered
    theirs = read_workbook(theirs_path, sv_catalogue)
    assert theirs.problems == ()
    assert {r.number: (r.rating, r.not_applicable, r.na_accepted, r.texts["reasoning"]) for r in theirs.responses
            if r.rating is not None or r.not_applicable or r.na_accepted is not None or r.texts["reasoning"]} == {
        1: (2, False, None, "Strategi finns, uppföljning saknas."), 3: (None, False, True, ""),
        5: (None, True, False, "Gäller inte denna verkstad.")}

    # Compiled as a round's returns: the workshop's answers and the auditors' acceptances, exactly.
    result = compile_round(sv_catalogue, [folder], read_workbook=read_workbook, read_form=read_form)
    [workshop] = result.workshops
    assert workshop.workshop.id == "verkstad-7"
    assert [f.status for f in result.files] == ["used", "used"]
    assert (workshop.self_answers[3].not_applicable, workshop.self_answers[1].rating) == (True, 3)
    assert workshop.auditor_workbook is not None
    assert (workshop.auditor_workbook.response(3).na_accepted, workshop.auditor_workbook.response(5).na_accepted) == \
        (True, False)

    # Printed by LibreOffice: Swedish footers on every page.
    text = re.sub(r"\s+", " ", pdf_text(convert(source, "pdf", tmp_path / "pdf")[0]))
    assert "Anvisningar – sida 1 /" in text and "Begrepp – sida" in text and "Så fyller ni i arbetsboken" in text


def test_the_kits_own_reasons_are_known_in_every_language(sv_catalogue: Catalogue, catalogue: Catalogue,
                                                          tmp_path: Path) -> None:
    """What a kit writes for a criterion outside the profile is the kit's words in either language, so that
    a check can tell them from a workshop's (checks.answered)."""
    from auditkit.catalogue import profile_reason as documents_reason
    from auditkit.excel.contract import kit_profile_reasons

    path = tmp_path / "untouched.xlsx"
    path.write_bytes(_stamped(sv_catalogue, context("self")))
    back = read_workbook(path, sv_catalogue)
    for number in (4, 8):
        assert back.response(number).texts["reasoning"] in kit_profile_reasons(sv_catalogue.criterion(number))
    criterion = catalogue.criterion(33)
    assert documents_reason(criterion, ADULT) in kit_profile_reasons(criterion)  # the Finnish words unchanged
