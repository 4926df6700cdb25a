"""The consolidated report and the feedback reports, reopened with python-docx and read as a person would."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from auditkit.catalogue import Catalogue
from auditkit.results import RoundResult
from auditkit.errors import Problem
from auditkit.i18n import wording
from auditkit.word import build_consolidated_report, build_feedback_report, consolidated
from libreoffice import convert, pdf_pages, pdf_text
from round_support import compiled_round
from word_support import W, custom_properties, parts

HOSTILE = {
    "formula": '=HYPERLINK("http://example.com/x","Klikkaa")',
    "dde": "=cmd|' /C calc'!A0",
    "plus": "+SUM(A1:A9)",
    "at": "@SUM(1)",
    "field": '{ DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc" }',
    "xml": '<w:fldSimple w:instr="HYPERLINK x"/>]]>&amp;',
    "lines": "Ensimmäinen rivi\nToinen rivi\tsarkaimen jälkeen",
}
CONTROL = "alku\x00\x07\x1b\u202eloppu"
LONG = "pitkä teksti " * 7692 + "loppu."  # 100 002 characters


@pytest.fixture(scope="module")
def result(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> RoundResult:
    texts = {("P004", "form", 5, "strengths"): HOSTILE["formula"], ("P004", "peer", 5, "strengths"): HOSTILE["dde"],
             ("P004", "peer", 7, "development"): HOSTILE["field"], ("P006", "form", 10, "development"): HOSTILE["xml"],
             ("P006", "peer", 10, "strengths"): HOSTILE["plus"], ("P008", "form", 1, "strengths"): HOSTILE["at"],
             ("P008", "peer", 2, "strengths"): HOSTILE["lines"], ("P010", "peer", 3, "strengths"): CONTROL,
             ("P010", "form", 4, "development"): LONG}
    problems = {"P005-self.xlsx": (Problem("", "sheet Arviointi, cell F19", "'kolme' is not a rating; choose 1–4 or "
                                           "Ei sovellu from the list."),),
                "P007-peer.xlsx": (Problem("", "sheet Arviointi, cell G22", "=HYPERLINK(\"x\") looks odd", "warning"),)}
    return compiled_round(catalogue, tmp_path_factory.mktemp("round"), 12, missing=(("P002", "peer"), ("P003", "self")),
                          texts=texts, problems=problems)


@pytest.fixture(scope="module")
def report(catalogue: Catalogue, result: RoundResult) -> bytes:
    return build_consolidated_report(catalogue, result)


def _open(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def _sections(data: bytes, style: str = "Heading 1") -> dict[str, list[Paragraph | Table]]:
    """The body's paragraphs and tables under each heading of `style`, by the heading's text."""
    out: dict[str, list[Paragraph | Table]] = {"": []}
    current = ""
    for block in _open(data).iter_inner_content():
        if isinstance(block, Paragraph) and block.style.name == style:
            current = block.text
            out[current] = []
        else:
            out[current].append(block)
    return out


def _tables(blocks: list[Paragraph | Table]) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in b.rows] for b in blocks if isinstance(b, Table)]


def _texts(data: bytes) -> list[str]:
    """Every w:t of the document body, as written."""
    return [t.text or "" for t in etree.fromstring(parts(data)["word/document.xml"]).iter(W + "t")]


def _pictures(blocks: list[Paragraph | Table]) -> int:
    return sum(len(b._p.findall(f".//{W}drawing")) for b in blocks if isinstance(b, Paragraph))


def _rows(blocks: list[Paragraph | Table]) -> list[list[str]]:
    """The rows of the tables in blocks, as one table: a table cut into pages repeats its header."""
    rows: list[list[str]] = []
    for table in _tables(blocks):
        rows += table[1:] if rows and table[0] == rows[0] else table
    return rows


def test_the_round_summary_and_every_workshops_proposal(report: bytes, result: RoundResult,
                                                        catalogue: Catalogue) -> None:
    sections = _sections(report)
    summary = dict(row for table in _tables(sections["Kierroksen yhteenveto"]) for row in table if len(row) == 2)
    s = result.summary()
    assert (summary["Luettuja tiedostoja"], summary["Käytetty"], summary["Työpajoja"]) == \
        (str(s["files"]), str(s["used"]), "12")
    # two workbooks, and the forms of the odd-numbered workshops (a form is part of the self-assessment)
    assert summary["Puuttuvia palautuksia"] == "8" and summary["Virheitä palautetuissa tiedostoissa (liite 1)"] == "1"
    assert summary["Ehdotuksia, joihin liittyy varauma"] == "1"  # P003: no self-assessment
    missing = _tables(sections["Kierroksen yhteenveto"])[-1]
    assert missing[1:4] == [["P001", 'Työpaja Ääri-1 "Reuna"', "itsearviointilomake"],
                            ["P002", 'Työpaja Ääri-2 "Reuna"', "auditointitaulukko"],
                            ["P003", 'Työpaja Ääri-3 "Reuna"', "itsearviointitaulukko, itsearviointilomake"]]
    proposals = sections["Ehdotukset laatumerkistä"]
    lines = [b.text for b in proposals if isinstance(b, Paragraph)]
    for line in catalogue.rule.describe():  # the rule as printed by Rule.describe, numbered lines with a tab
        assert re.sub(r"^(\d+)\.\s+", r"\1.\t", line) in lines
    assert any("ehdotuksia Intolle; Into päättää laatumerkin myöntämisestä" in line for line in lines)
    table = _rows(proposals)
    assert table[0] == ["Tunnus", "Työpaja", "Itsearvio", "Auditoijat", "Ehdotus Intolle", "Sivu"]
    expected = [[w.workshop.id, w.workshop.name,
                 (w.recommendation.label + (" (varauma)" if w.recommendation.caveats else "")) if w.recommendation
                 else "ei ehdotusta"] for w in result.workshops]
    assert [[row[0], row[1], row[4]] for row in table[1:]] == expected
    assert {row[4] for row in table[1:]} >= {catalogue.rule.recommended, "ei ehdotusta"}
    assert next(row for row in table if row[0] == "P003")[2] == "–"  # no self-assessment, no mean


def test_a_page_per_workshop_with_proposal_figures_and_profile(report: bytes, result: RoundResult) -> None:
    workshops = _sections(report, "Heading 2")
    names = [f"{w.workshop.id} {w.workshop.name}" for w in result.workshops]
    assert [title for title in workshops if title in names] == names
    for wr in result.workshops:
        blocks = workshops[f"{wr.workshop.id} {wr.workshop.name}"]
        tables = _tables(blocks)
        facts = dict(tables[0])
        assert set(facts) == {"Organisaatio ja profiili", "Palautukset"}
        proposal = wr.recommendation.label if wr.recommendation else "ei ehdotusta (auditointia ei palautettu)"
        texts = [b.text for b in blocks if isinstance(b, Paragraph)]
        assert f"Ehdotus Intolle: {proposal}" in texts
        assert _pictures(blocks) == 1  # the profile chart
        figures = next(t for t in tables if t[0][0] == "Elementti")
        assert figures[0][1:] == ["Itsearvio", "Auditoijat", "Ero", "Kierros (auditoijat)"]
        if wr.recommendation is not None:
            assert [t for t in texts if t in wr.recommendation.reasons] == list(wr.recommendation.reasons)
            for caveat in wr.recommendation.caveats:
                assert f"Varauma: {caveat.text}" in texts
        # criterion-level detail is in the feedback report, not here
        assert not any(t[0][:2] == ["Nro", "Kriteeri"] or t[0][0] == "Nro" for t in tables)
    p003 = workshops['P003 Työpaja Ääri-3 "Reuna"']
    assert any(b.text.startswith("Varauma: Itsearviointia ei palautettu") for b in p003 if isinstance(b, Paragraph))


@pytest.mark.parametrize("wid", ["P004", "P006", "P008", "P010"])
def test_texts_from_returned_files_go_in_literally_as_text(catalogue: Catalogue, result: RoundResult,
                                                          report: bytes, wid: str) -> None:
    data = build_feedback_report(catalogue, result, next(w for w in result.workshops if w.workshop.id == wid))
    texts = _texts(data)
    expected = {"P004": ("formula", "dde", "field"), "P006": ("xml", "plus"), "P008": ("at",), "P010": ()}[wid]
    for key in expected:
        assert HOSTILE[key] in texts, key
    if wid == "P008":
        assert "Ensimmäinen rivi" in texts and "Toinen rivi" in texts and "sarkaimen jälkeen" in texts
    if wid == "P010":
        assert "alkuloppu" in texts  # control and direction characters removed
    root = etree.fromstring(parts(data)["word/document.xml"])
    assert root.find(f".//{W}fldSimple") is None
    assert list(root.iter(W + "instrText")) == []  # the page fields are in the footer
    assert not [t for t in texts if "\x00" in t or "\u202e" in t]
    # the consolidated report's own fields: its contents and the workshops' pages, nothing else
    fields = {i.text.strip() for i in etree.fromstring(parts(report)["word/document.xml"]).iter(W + "instrText")}
    assert {f for f in fields if not re.fullmatch(r"PAGEREF [a-z_0-9]+ \\h", f)} == {'TOC \\o "1-1" \\h \\z \\u'}


def test_a_very_long_text_is_cut_with_a_visible_note(catalogue: Catalogue, result: RoundResult) -> None:
    data = build_feedback_report(catalogue, result, next(w for w in result.workshops if w.workshop.id == "P010"))
    texts = _texts(data)
    cut = next(t for t in texts if t.startswith("pitkä teksti pitkä"))
    assert len(cut) < 5100 and cut.endswith(" …")
    note = "Teksti katkaistu: siinä on 100\u00a0002 merkkiä, tässä näkyy 5\u00a0000 ensimmäistä."
    assert any(note in t for t in texts)
    assert len(parts(data)["word/document.xml"]) < 3_000_000


def test_heat_map_means_weakest_and_calibration(report: bytes, result: RoundResult, catalogue: Catalogue) -> None:
    sections = _sections(report)
    assert _pictures(sections["Arviot kriteereittäin"]) == 1  # 12 workshops fit one picture
    means = _tables(sections["Keskiarvot"])
    groups = {row[0]: row for row in means[0]}
    assert set(groups) >= {a.name for a in catalogue.areas} | {e.heading for e in catalogue.elements}
    criteria = _rows([b for b in sections["Keskiarvot"] if isinstance(b, Table)][1:])
    assert [row[0] for row in criteria[1:]] == [str(c.number) for c in catalogue.criteria]
    stats = {s.number: s for s in result.auditor_stats}
    assert criteria[1][3] == f"{stats[1].mean:.2f}".replace(".", ",") + f" ({stats[1].n})"
    weakest = _rows(sections["Heikoimmat kriteerit"])
    assert len(weakest) == 11 and weakest[1][1] == catalogue.criterion(int(weakest[1][0])).text
    calibration = dict(_tables(sections["Itsearvio ja auditoijien arvio"])[0])
    assert calibration["Arviopareja"] == str(result.calibration.pairs)


def test_the_problems_appendix_lists_every_problem(report: bytes, result: RoundResult) -> None:
    rows = _rows(_sections(report)["Liite 1: Ongelmat"])
    assert rows[0] == ["Tiedosto", "Kohta", "Vakavuus", "Kuvaus"]
    severity = {"error": "virhe", "warning": "varoitus"}
    assert rows[1:] == [[p.file or "–", p.place or "–", severity[p.severity], p.message] for p in result.problems]
    assert len(rows) - 1 == len(result.problems) >= 4
    files = _sections(report)["Liite 2: Tiedostot, joita ei käytetty"]
    assert f"Luettiin {len(result.files)} tiedostoa" in files[0].text
    unused = [f for f in result.files if f.status != "used"]
    assert len(_rows(files)) - 1 == len(unused) if unused else not _tables(files)


def test_the_report_says_what_was_not_checked(catalogue: Catalogue, tmp_path: Path) -> None:
    bare = compiled_round(catalogue, tmp_path, 3, with_round=False)
    data = build_consolidated_report(catalogue, bare)
    unchecked = [b.text for b in _sections(data)["Mitä ei tarkistettu"] if isinstance(b, Paragraph)]
    assert unchecked[1:] == [wording("messages", "fi")(note) for note in bare.unchecked] and bare.unchecked
    assert unchecked[1].startswith("kierrosta ei annettu: tiedostoja ei tarkistettu")  # the round's language
    cover = dict(_tables(_sections(data)[""])[0])
    assert cover["Tarkistettu kierrosta vasten"] == "ei: kierrostiedostoa ei annettu; ks. Mitä ei tarkistettu"


def test_the_same_inputs_give_the_same_report(report: bytes, catalogue: Catalogue, result: RoundResult) -> None:
    again = build_consolidated_report(catalogue, result)
    assert parts(again) == parts(report)
    assert custom_properties(report)["role"] == "consolidated" and custom_properties(report)["round_id"] == "2026-syksy"
    cover = " ".join(b.text for b in _sections(report)[""] if isinstance(b, Paragraph))
    assert not re.search(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}", cover)  # no date on the cover


def test_pictures_drawn_beforehand_give_the_same_report(report: bytes, catalogue: Catalogue,
                                                        result: RoundResult) -> None:
    # write_outputs draws the pictures on every core first and hands them to the report.
    pictures = consolidated.Pictures(catalogue, result)
    keys = pictures.keys()
    scored = [i for i, wr in enumerate(result.workshops) if wr.self_scores is not None or wr.auditor_scores is not None]
    assert keys == [("heat", 0), *(("profile", i) for i in scored)]
    drawn = {key: pictures.draw(key) for key in keys}
    assert all(png.startswith(b"\x89PNG") and 1 < height < 11 for png, height in drawn.values())
    assert parts(build_consolidated_report(catalogue, result, pictures=drawn)) == parts(report)


def test_workshop_names_are_written_whole(report: bytes, result: RoundResult) -> None:
    texts = _texts(report)
    for wr in result.workshops:
        assert wr.workshop.name in texts and wr.workshop.id in texts


def test_heat_maps_split_into_pictures_of_at_most_40_workshops(catalogue: Catalogue, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert consolidated.HEAT_ROWS == 40
    monkeypatch.setattr(consolidated, "HEAT_ROWS", 4)  # the same split, on a round small enough to build quickly
    small = compiled_round(catalogue, tmp_path, 9, forms=False)
    heat = _sections(build_consolidated_report(catalogue, small))["Arviot kriteereittäin"]
    assert _pictures(heat) == 3
    assert [b.text for b in heat if isinstance(b, Paragraph) and b.style.name == "Heading 3"] == [
        "Työpajat 1–3 (yhteensä 9)", "Työpajat 4–6 (yhteensä 9)", "Työpajat 7–9 (yhteensä 9)"]


# --- feedback ------------------------------------------------------------------------------------


def test_feedback_shows_the_workshop_against_the_round(catalogue: Catalogue, result: RoundResult) -> None:
    wr = next(w for w in result.workshops if w.workshop.id == "P004")
    data = build_feedback_report(catalogue, result, wr, min_round=5)
    sections = _sections(data)
    profile = _tables(sections["Profiili"])[0]
    assert profile[0] == ["Elementti ja osa-alue", "Itsearvio", "Auditoijat", "Ero", "Kierros: itsearviot",
                          "Kierros: auditoijat"]
    assert _pictures(sections["Profiili"]) == 1
    ratings = _tables(sections["Arviot kriteereittäin"])[0]
    assert ratings[0] == ["Nro", "Kriteeri", "Itsearvio", "Auditoijat", "Ero", "Kierros"]
    rows = {row[0]: row for row in ratings[1:] if row[0].isdigit()}
    assert list(rows) == [str(c.number) for c in catalogue.criteria]
    assert rows["1"][2:4] == [str(wr.self_scores.criteria[1].value), str(wr.auditor_scores.criteria[1].value)]
    texts = _texts(data)
    assert HOSTILE["formula"] in texts and HOSTILE["dde"] in texts
    assert wr.recommendation.label in texts
    assert custom_properties(data)["workshop_id"] == "P004" and custom_properties(data)["role"] == "feedback"
    assert not any("ei näytetä" in t for t in texts)


def test_feedback_withholds_round_figures_below_min_round(catalogue: Catalogue, tmp_path: Path) -> None:
    small = compiled_round(catalogue, tmp_path, 5, missing=(("P002", "peer"),))
    data = build_feedback_report(catalogue, small, small.workshops[0], min_round=5)
    sections = _sections(data)
    profile = _tables(sections["Profiili"])[0]
    assert profile[0] == ["Elementti ja osa-alue", "Itsearvio", "Auditoijat", "Ero", "Kierros: itsearviot"]
    notes = [b.text for b in sections["Profiili"] if isinstance(b, Paragraph)]
    assert ("Kierroksen auditointien keskiarvoja ei näytetä, koska arvionsa palautti alle 5 työpajaa (palautettu "
            "auditointeja 4). Näin yksittäisen työpajan arvioita ei voi päätellä keskiarvoista.") in notes
    assert _tables(sections["Arviot kriteereittäin"])[0][0] == ["Nro", "Kriteeri", "Itsearvio", "Auditoijat", "Ero"]

    fewer = build_feedback_report(catalogue, small, small.workshops[0], min_round=6)
    sections = _sections(fewer)
    assert _tables(sections["Profiili"])[0][0] == ["Elementti ja osa-alue", "Itsearvio", "Auditoijat", "Ero"]
    notes = [b.text for b in sections["Profiili"] if isinstance(b, Paragraph)]
    assert ("Kierroksen keskiarvoja ei näytetä, koska arvionsa palautti alle 6 työpajaa (palautettu itsearviointeja 5, "
            "auditointeja 4). Näin yksittäisen työpajan arvioita ei voi päätellä keskiarvoista.") in notes
    texts = " ".join(_texts(fewer))
    assert "Kierros" not in texts.replace("Kierroksen keskiarvoja", "")


def test_feedback_without_audit_and_determinism(catalogue: Catalogue, result: RoundResult) -> None:
    wr = next(w for w in result.workshops if w.workshop.id == "P002")  # the auditors did not return
    data = build_feedback_report(catalogue, result, wr)
    texts = _texts(data)
    assert "ei ehdotusta (auditointia ei palautettu)" in texts
    assert parts(build_feedback_report(catalogue, result, wr)) == parts(data)


# --- through LibreOffice -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(catalogue: Catalogue, result: RoundResult, report: bytes, tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("report-pdf")
    sources = {"koontiraportti": report,
               "palaute": build_feedback_report(catalogue, result, result.workshops[3]),
               "palaute-ei-auditointia": build_feedback_report(catalogue, result, result.workshops[1])}
    for name, data in sources.items():
        (folder / f"{name}.docx").write_bytes(data)
    converted = convert([folder / f"{name}.docx" for name in sources], "pdf", folder / "pdf")  # one LibreOffice run
    return {p.stem: p for p in converted}


@pytest.mark.office
@pytest.mark.parametrize("name", ["koontiraportti", "palaute", "palaute-ei-auditointia"])
def test_every_page_has_text_and_its_number(pdfs: dict, name: str) -> None:
    pages = subprocess.run(["pdftotext", "-layout", str(pdfs[name]), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")[:pdf_pages(pdfs[name])]
    for number, page in enumerate(pages, start=1):
        assert page.strip(), f"{name}: page {number} is empty"
        if number > 1:
            assert f"sivu {number} / {len(pages)}" in page, f"{name}: page {number}"


@pytest.mark.office
def test_the_report_renders_names_pictures_and_every_workshop(pdfs: dict, result: RoundResult) -> None:
    text = re.sub(r"\s+", " ", pdf_text(pdfs["koontiraportti"]))
    for wr in result.workshops:
        assert f"{wr.workshop.id} {wr.workshop.name}" in text
    assert "Kierroksen yhteenveto" in text and "Liite 1: Ongelmat" in text and "Ääri" in text
    images = subprocess.run(["pdfimages", "-list", str(pdfs["koontiraportti"])], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert len(images) >= 1 + sum(1 for _ in result.workshops)  # the heat map and a profile per workshop


# --- what a coordinator reads and prints -----------------------------------------------------------


def _contents(data: bytes) -> tuple[etree._Element, list[tuple[str, str]]]:
    """The TOC field's instruction and its entries (title, page) as written."""
    root = etree.fromstring(parts(data)["word/document.xml"])
    instr = next(i for i in root.iter(W + "instrText") if i.text.strip().startswith("TOC"))
    entries = []
    for p in root.iter(W + "p"):
        link = p.find(W + "hyperlink")
        refs = [i for i in p.iter(W + "instrText") if i.text.strip().startswith("PAGEREF")]
        if link is not None and refs and p.find(f"{W}pPr/{W}tabs") is not None:
            shown = "".join(t.text for r in p.iter(W + "r") for t in r.findall(W + "t"))
            entries.append((link.get(W + "anchor"), shown))
    return instr, entries


def test_the_contents_is_a_toc_field_with_its_pages_written(report: bytes) -> None:
    instr, entries = _contents(report)
    assert instr.text.strip() == 'TOC \\o "1-1" \\h \\z \\u'  # Word: right-click, Update Field
    assert [anchor for anchor, _ in entries] == [key for key, _ in consolidated.SECTIONS]
    pages = [int(re.search(r"(\d+)$", shown).group(1)) for _, shown in entries]
    assert pages == sorted(pages) and pages[0] == 2


def _pdf_pages(pdf: Path) -> list[str]:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.split("\f")[:pdf_pages(pdf)]


def check_pages(pdf: Path, result: RoundResult, lang: str = "fi") -> list[str]:
    """Every page number the report gives (contents, the proposals' page column) is where LibreOffice
    printed the section or workshop; each workshop takes one page. lang: the report's language (its
    section titles and headings as its catalogue says them). The pages' texts, for further checks."""
    words = wording("documents", lang)
    pages = _pdf_pages(pdf)
    contents = re.findall(r"^(\S.*?)\.{5,}\s*(\d+)$", pages[0], re.M)
    assert [title for title, _ in contents] == [title for _, title in consolidated.sections(lang)]
    for title, page in contents:
        assert re.search(rf"^\s*{re.escape(title)}\s*$", pages[int(page) - 1], re.M), (title, page)
    listed = {wid: int(page) for text in pages if words("Proposals by workshop") in text
              for wid, page in re.findall(r"^\s*(P\d+)\s.*?\s(\d+)\s*$", text, re.M)}
    assert list(listed) == [wr.workshop.id for wr in result.workshops]
    for wr in result.workshops:
        page = pages[listed[wr.workshop.id] - 1]
        assert re.search(rf"^\s*{wr.workshop.id} ", page, re.M), wr.workshop.id
        assert words("Proposal to Into: ").strip() in page, wr.workshop.id
    numbers = list(listed.values())
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))  # a page each, no more
    return pages


@pytest.mark.office
def test_libreoffice_prints_the_pages_the_report_gives(pdfs: dict, result: RoundResult) -> None:
    check_pages(pdfs["koontiraportti"], result)
    assert pdf_pages(pdfs["koontiraportti"]) <= 12 + 20


@pytest.mark.office
def test_the_pages_hold_for_a_large_round(catalogue: Catalogue, tmp_path: Path) -> None:
    """45 workshops: two heat-map pictures, the proposals and missing returns over pages."""
    missing = tuple((f"P{i:03d}", "self") for i in range(3, 45, 4)) + (("P010", "peer"), ("P020", "peer"))
    big = compiled_round(catalogue, tmp_path / "round", 45, missing=missing)
    (tmp_path / "koontiraportti.docx").write_bytes(build_consolidated_report(catalogue, big))
    pdf = convert(tmp_path / "koontiraportti.docx", "pdf", tmp_path / "pdf")[0]
    check_pages(pdf, big)
    assert pdf_pages(pdf) <= 45 + 25  # a page per workshop; the rest grows with what is missing (here 34 returns)


def test_no_mean_beside_ei_arvioitavissa(catalogue: Catalogue, tmp_path: Path) -> None:
    # Two of the five Seuranta criteria Ei sovellu by the workshop's own choice: area and element over a third.
    result = compiled_round(catalogue, tmp_path / "round", 4, own_na={"P001": (47, 48), "P004": (47, 48)})
    flagged = 0
    for wr in result.workshops:
        data = build_feedback_report(catalogue, result, wr)
        for row in _tables(_sections(data)["Profiili"])[0][1:]:
            if "ei arvioitavissa" in row[0]:
                flagged += 1
                sides = re.search(r"ei arvioitavissa \((.*)\)", row[0]).group(1)
                assert ("itsearvio" not in sides or row[1] == "–") and ("auditoijat" not in sides or row[2] == "–")
                assert row[3] == "–", row  # no difference of a mean not shown
    assert flagged >= 3


def test_no_header_word_is_cut(catalogue: Catalogue, result: RoundResult, report: bytes) -> None:
    """A column's heading fits its longest word ("Keskiarvo", not "Keskiarv/o"), by the font's own
    metrics (Carlito, Calibri's twin, at the heading's 9.5 points bold)."""
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.textpath import TextPath

    try:
        findfont(FontProperties(family="Carlito"), fallback_to_default=False)
    except ValueError:
        pytest.skip("the Carlito font is not installed (fonts-crosextra-carlito)")
    font = FontProperties(family="Carlito", weight="bold", size=9.5)
    documents = [report, build_feedback_report(catalogue, result, result.workshops[3])]
    checked = 0
    for data in documents:
        for tr in etree.fromstring(parts(data)["word/document.xml"]).iter(W + "tr"):
            if tr.find(f"{W}trPr/{W}tblHeader") is None:
                continue
            for tc in tr.findall(W + "tc"):
                room = int(tc.find(f"{W}tcPr/{W}tcW").get(W + "w")) / 20 - 13  # margins, borders, a little air
                size = tc.find(f".//{W}sz")
                scale = int(size.get(W + "val")) / 2 / 9.5 if size is not None else 1.0
                for word in "".join(t.text for t in tc.iter(W + "t")).split():
                    assert TextPath((0, 0), word, prop=font).get_extents().width * scale <= room, word
                    checked += 1
    assert checked > 50


def test_every_picture_has_alternative_text(catalogue: Catalogue, result: RoundResult, report: bytes) -> None:
    documents = [report] + [build_feedback_report(catalogue, result, wr) for wr in result.workshops[:3]]
    pictures = 0
    for data in documents:
        for props in etree.fromstring(parts(data)["word/document.xml"]).iter(
                "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
            assert len(props.get("descr", "")) > 40, props.attrib
            pictures += 1
    assert pictures == 1 + len(result.workshops) + 3
    heat = next(p for p in etree.fromstring(parts(report)["word/document.xml"]).iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")).get("descr")
    assert heat.startswith("Lämpökartta") and "kriteereittäin" in heat
