"""compile's Word reports in Swedish: a round whose language is sv (content-sv, the test translation) gets
its consolidated report, feedback reports and development plans with Swedish interface text and the
sv-FI tag; a workshop's documents follow the workshop's language in a round of another; the stamped
reports say what python-docx's whole package says in Swedish too."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest

from auditkit.catalogue import Catalogue, load_catalogue
from auditkit.plan import development_plan, statuses
from auditkit.report import write_outputs
from auditkit.results import RoundResult, WorkshopResult
from auditkit.scoring import CAVEAT_NO_SELF, in_language, recommend, rule_lines
from auditkit.word import build_consolidated_report, build_feedback_report
from auditkit.word.document import Writer
from auditkit.word.pictures import profile_chart
from auditkit.word.plan import build_plan_report
from auditkit.word.results import fit_columns
from libreoffice import convert
from round_support import compiled_round
from test_report_docx import check_pages
from test_stamped_reports import content
from word_support import W

CONTENT_SV = Path(__file__).parent / "fixtures" / "content-sv"
PLAIN, NO_SELF, NO_AUDIT, ACTIONS = "P002", "P003", "P005", "P008"
TEXTS = {(ACTIONS, "form", 3, "actions"): "Vi inför ett kvalitetsverktyg.",
         (ACTIONS, "form", 3, "owner"): "Kim", (ACTIONS, "form", 3, "due"): "31.5.2027"}
# Finnish interface words none of the Swedish documents may hold outside the round's own data (names,
# returned texts, the problem messages another catalogue says) and the names of files and sheets.
STOP = ("Työpaja", "Kriteeri", "Arvio", "Perustelu", "Vahvuudet", "Ei sovellu", "kehittämis", "itsearvio",
        "auditointi", "Ehdotus", "Palauteraportti", "Koontiraportti", "sivu", "Kierros", "Tunnus", "Keskiarvo",
        "Liite", "Sisältö", "varauma", "puuttuu", "palautettu", "kyllä", "Elementti", "osa-alue", "Tila",
        "Suunnitelma", "Toimenpide", "Vastuuhenkilö", "Aikataulu", "suunniteltu", "ei tiedossa", "Organisaatio")
NAMES = ("koonti.xlsx", "Arviot", "Tiedostot", "palaute")  # files and sheets users have, by their names


@pytest.fixture(scope="module")
def catalogue_sv() -> Catalogue:
    catalogue = load_catalogue(CONTENT_SV)
    assert catalogue.meta.language == "sv"
    return catalogue


@pytest.fixture(scope="module")
def result(catalogue_sv: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> RoundResult:
    made = compiled_round(catalogue_sv, tmp_path_factory.mktemp("round-sv"), 8, texts=TEXTS,
                          missing=((NO_SELF, "self"), (NO_AUDIT, "peer")))
    return replace(made, language="sv")


def _workshop(result: RoundResult, wid: str) -> WorkshopResult:
    return next(w for w in result.workshops if w.workshop.id == wid)


def _texts(data: bytes) -> list[str]:
    """Every paragraph's text (body, tables, header and footer), pictures' alternative texts too."""
    doc = docx.Document(io.BytesIO(data))
    out = ["".join(t.text or "" for t in p.iter(W + "t")) for p in doc.element.body.iter(W + "p")]
    out += [d.get("descr", "") for d in doc.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    section = doc.sections[0]
    out += [p.text for p in (*section.header.paragraphs, *section.footer.paragraphs)]
    return out


def _data(result: RoundResult) -> list[str]:
    """The round's own texts a report shows as they came (longest first, so a name holding another goes whole)."""
    said = [result.round_name, *(p.message_in(result.language) for p in result.problems),
            *(p.place_in(result.language) for p in result.problems), *(p.file for p in result.problems)]
    for wr in result.workshops:
        said += [wr.workshop.name, wr.workshop.organisation]
        for returned in (wr.form, wr.auditor_workbook, wr.self_workbook):
            for response in returned.responses if returned else ():
                said += [text for text in response.texts.values() if text]
    return sorted({s for s in said if s} | set(NAMES), key=len, reverse=True)


def _finnish_left(data: bytes, result: RoundResult) -> list[str]:
    data_texts = _data(result)
    found = []
    for text in _texts(data):
        for known in data_texts:
            text = text.replace(known, "")
        found += [f"{word!r} in {text!r}" for word in STOP if re.search(re.escape(word), text, re.IGNORECASE)]
    return found


def _tag(data: bytes) -> tuple[str, str]:
    """The language the document's default run properties and its core properties say."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("word/styles.xml").decode()
    default = re.search(r"<w:docDefaults>.*?<w:lang [^>]*w:val=\"([^\"]+)\"", styles, re.S)
    return (default.group(1) if default else ""), docx.Document(io.BytesIO(data)).core_properties.language


def test_the_consolidated_report_is_swedish(catalogue_sv: Catalogue, result: RoundResult) -> None:
    data = build_consolidated_report(catalogue_sv, result)
    texts = _texts(data)
    joined = "\n".join(texts)
    for phrase in ("Sammanställningsrapport", "Sammanfattning av omgången", "Förslag om kvalitetsmärket",
                   "Bilaga 1: Problem", "Innehåll", "Förslag till Into: ", "Självvärdering", "Auditörerna",
                   "Bedömningsomgång", "Utvecklingsplan: ", "Stapeldiagram: ", "Värmekarta: ",
                   "Kollegial auditering", "sida "):
        assert phrase in joined, phrase
    assert any(line.startswith("1.\tTäckning") or line.startswith("1.Täckning") for line in texts)
    assert _finnish_left(data, result) == []
    assert _tag(data) == ("sv-FI", "sv-FI")


@pytest.mark.parametrize("wid", [PLAIN, NO_SELF, NO_AUDIT, ACTIONS])
def test_a_feedback_report_and_plan_are_swedish(catalogue_sv: Catalogue, result: RoundResult, wid: str) -> None:
    wr = _workshop(result, wid)
    feedback = build_feedback_report(catalogue_sv, result, wr)
    joined = "\n".join(_texts(feedback))
    for phrase in ("Responsrapport", "Styrkor och utvecklingsområden", "Regeln för förslaget",
                   "Bedömningar per kriterium", "Största skillnader", "Förslag till Into", "Verkstad", "Kod", "Inlämningar"):
        assert phrase in joined, phrase
    assert _finnish_left(feedback, result) == []
    assert _tag(feedback) == ("sv-FI", "sv-FI")
    plan = build_plan_report(catalogue_sv, result, development_plan(catalogue_sv, wr, "sv"), workbook_name="plan.xlsx")
    joined = "\n".join(_texts(plan))
    for phrase in ("Utvecklingsplan", "Så här används planen", "Förslag till Into", "Sammanställd"):
        assert phrase in joined, phrase
    assert _finnish_left(plan, result) == []
    assert _tag(plan) == ("sv-FI", "sv-FI")


def test_the_proposal_and_the_plan_say_their_sentences_in_swedish(catalogue_sv: Catalogue, result: RoundResult) -> None:
    wr = _workshop(result, ACTIONS)
    assert wr.recommendation is not None and wr.recommendation.lang == "fi"  # compile's, said again per document
    swedish = in_language(catalogue_sv, wr.recommendation, wr.auditor_scores, "sv")
    assert swedish == replace(recommend(catalogue_sv, wr.auditor_scores, "sv"), caveats=wr.recommendation.caveats)
    assert [c.name for c in swedish.checks][0] == "Täckning" and swedish.outcome == wr.recommendation.outcome
    feedback = "\n".join(_texts(build_feedback_report(catalogue_sv, result, wr)))
    assert all(reason in feedback for reason in swedish.reasons)
    assert rule_lines(catalogue_sv, "sv")[-1].startswith("Ett delområde eller element")
    no_self = _workshop(result, NO_SELF).recommendation
    assert no_self is not None and no_self.caveats[0].code == CAVEAT_NO_SELF
    assert no_self.caveats[0].said("sv").startswith("Ingen självvärdering lämnades in")
    assert f"Förbehåll: {no_self.caveats[0].said('sv')}" in "\n".join(
        _texts(build_feedback_report(catalogue_sv, result, _workshop(result, NO_SELF))))
    plan = development_plan(catalogue_sv, wr, "sv")
    line = next(line for line in plan.lines if line.number == 3)
    assert plan.status(line) == statuses("sv")[0] == "planerad"
    assert "punkt" in plan.summary() and "åtgärd" in plan.summary()
    assert "planerad" in "\n".join(_texts(build_plan_report(catalogue_sv, result, plan)))


def test_a_workshop_gets_its_own_language_in_a_round_of_another(catalogue_sv: Catalogue, result: RoundResult) -> None:
    """The register's kieli decides a workshop's feedback; the round's language the rest."""
    finnish = replace(result, language="fi", workshops=tuple(
        replace(wr, workshop=replace(wr.workshop, language="sv")) if wr.workshop.id == PLAIN else wr
        for wr in result.workshops))
    own = build_feedback_report(catalogue_sv, finnish, _workshop(finnish, PLAIN))
    other = build_feedback_report(catalogue_sv, finnish, _workshop(finnish, ACTIONS))
    assert _tag(own) == ("sv-FI", "sv-FI") and "Responsrapport" in _texts(own)
    assert _tag(other) == ("fi-FI", "fi-FI") and "Palauteraportti" in _texts(other)
    assert _tag(build_consolidated_report(catalogue_sv, finnish))[0] == "fi-FI"


@pytest.mark.parametrize("wid", [PLAIN, NO_SELF, NO_AUDIT, ACTIONS])
def test_stamped_swedish_reports_say_what_python_docx_writes(catalogue_sv: Catalogue, result: RoundResult,
                                                            wid: str) -> None:
    wr = _workshop(result, wid)
    stamped, whole = (content(build_feedback_report(catalogue_sv, result, wr, stamped=s)) for s in (True, False))
    assert stamped == whole
    plan = development_plan(catalogue_sv, wr, "sv")
    stamped, whole = (content(build_plan_report(catalogue_sv, result, plan, stamped=s)) for s in (True, False))
    assert stamped == whole
    assert stamped["properties"][6] == "sv-FI"


def test_pictures_are_kept_per_language() -> None:
    """The same figures drawn for a Finnish and a Swedish document are two pictures, never one cached for both."""
    fi, sv = (profile_chart(("a", "b"), ("x", "y"), lang=lang) for lang in ("fi", "sv"))
    assert fi is not sv and fi.kind != sv.kind


def test_write_outputs_writes_each_document_in_its_language(catalogue_sv: Catalogue, result: RoundResult,
                                                             tmp_path: Path) -> None:
    """A Swedish round's consolidated report in Swedish, each workshop's feedback and plan in the workshop's
    language: P002's register says fi."""
    small = replace(result, workshops=tuple(replace(wr, workshop=replace(wr.workshop, language="fi"))
                                            if wr.workshop.id == PLAIN else wr for wr in result.workshops[:3]))
    outputs = write_outputs(catalogue_sv, small, tmp_path / "out")
    assert "Sammanställningsrapport" in _texts(outputs.report.read_bytes())
    documents = [p for p in (*outputs.feedback, *outputs.plans) if p.suffix == ".docx"]
    assert len(documents) == 6
    for path in documents:
        expected = "fi-FI" if path.name.startswith(PLAIN) else "sv-FI"
        assert _tag(path.read_bytes()) == (expected, expected), path.name


def test_a_swedish_heading_word_gets_the_room_it_needs(catalogue_sv: Catalogue) -> None:
    """Columns sized for the Finnish headings keep their widths in Finnish; Swedish words that would break
    inside (Självvärdering, Auditörerna) widen their columns, the room taken from the criterion's."""
    w = Writer(catalogue_sv)
    shares = (0.06, 0.5, 0.12, 0.12, 0.08, 0.12)
    assert fit_columns(w, ["Nro", "Kriteeri", "Itsearvio", "Auditoijat", "Ero", "Kierros"], shares) == shares
    fitted = fit_columns(w, ["Nr", "Kriterium", "Självvärdering", "Auditörerna", "Skillnad", "Omgången"], shares)
    assert fitted[2] > shares[2] and fitted[1] < shares[1] and sum(fitted) == pytest.approx(sum(shares))
    assert fitted[0] == shares[0] and fitted[5] == shares[5]


@pytest.mark.office
def test_libreoffice_prints_the_swedish_report_on_the_pages_it_gives(catalogue_sv: Catalogue, result: RoundResult,
                                                                     tmp_path: Path) -> None:
    """The contents' page numbers hold in Swedish too (longer words, other lines), and every page says
    'sida n / m'."""
    (tmp_path / "koontiraportti.docx").write_bytes(build_consolidated_report(catalogue_sv, result))
    pdf = convert(tmp_path / "koontiraportti.docx", "pdf", tmp_path / "pdf")[0]
    pages = check_pages(pdf, result, "sv")
    for number, page in enumerate(pages[1:], start=2):
        assert f"sida {number} / {len(pages)}" in page, number


def test_a_caveat_is_said_in_each_documents_language() -> None:
    """A caveat carrying its catalogue text (Caveat.message) is said in the reader's language; one that
    carries only a sentence shows it as it is; the no-self-assessment caveat is known by its code."""
    from auditkit.errors import say
    from auditkit.scoring import Caveat

    carried = Caveat("unresolved-copies", "Kattavuus", say("Coverage"))  # any catalogue text, with its fields
    assert (carried.said("fi"), carried.said("sv")) == ("Kattavuus", "Täckning")
    assert Caveat("conflict", "Kaksi ristiriitaista kopiota.").said("sv") == "Kaksi ristiriitaista kopiota."
    no_self = Caveat(CAVEAT_NO_SELF, "Itsearviointia ei palautettu: ehdotus perustuu vain auditoijien arvioihin, "
                                     "eikä niitä voitu verrata työpajan omaan arvioon.")
    assert no_self.said("fi") == no_self.text and no_self.said("sv").startswith("Ingen självvärdering")


def test_koonti_xlsx_sums_up_each_plan_in_swedish(catalogue_sv: Catalogue, result: RoundResult) -> None:
    """The Plans sheet of a Swedish round's koonti.xlsx sums up each workshop's plan in Swedish, as the
    consolidated report does (it said '14 kohtaa, 0 toimenpidettä' in a Swedish workbook)."""
    import openpyxl

    from auditkit.excel import build_consolidated_workbook

    book = openpyxl.load_workbook(io.BytesIO(build_consolidated_workbook(catalogue_sv, result)))
    sheet = book.worksheets[[ws.title for ws in book.worksheets].index("Planer")]
    summaries = {row[0].value: row[-1].value for row in sheet.iter_rows(min_row=2) if row[0].value}
    returned = [wr for wr in result.workshops if wr.returned_self or wr.returned_auditor]
    assert len(summaries) == len(returned)
    for wr in returned:
        said = summaries[wr.workshop.id]
        assert said == development_plan(catalogue_sv, wr, "sv").summary()
        assert said != development_plan(catalogue_sv, wr, "fi").summary()
        assert not re.search(r"kohta|toimenpi|vastuuhenkil", said), said
