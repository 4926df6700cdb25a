"""The per-workshop reports spliced into a shell (word/stamped.py) say and look what python-docx's whole
package says: the same paragraphs, tables, styles, pictures, header, footer and identity, for workshops
of different kinds; and the plan workbook's cells look as the workshop needs them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from lxml import etree

from auditkit.catalogue import Catalogue
from auditkit.compile import CAVEAT_NO_SELF
from auditkit.excel.plan import COLUMNS, DUE_FORMAT, FIRST_ROW, build_plan_workbook
from auditkit.plan import development_plan
from auditkit.results import RoundResult, WorkshopResult
from auditkit.word import build_feedback_report
from auditkit.word.plan import build_plan_report
from round_support import compiled_round
from word_support import W

NO_SELF, NO_AUDIT, OWN_NA, PLAIN, CONDITIONAL = "P003", "P005", "P004", "P002", "P008"
TEXTS = {
    (PLAIN, "form", 7, "development"): 'Sarkain\tja rivi\nvaihto & <merkit> "lainaus"',
    (CONDITIONAL, "form", 7, "actions"): "=HYPERLINK(\"http://x.invalid\",\"klikkaa\")",
    (CONDITIONAL, "form", 7, "due"): "31.5.2027",
    (PLAIN, "peer", 12, "strengths"): "Pitkä teksti " * 600,  # cut with a note in both reports
}
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> RoundResult:
    return compiled_round(catalogue, tmp_path_factory.mktemp("round"), 12, texts=TEXTS,
                          missing=((NO_SELF, "self"), (NO_AUDIT, "peer")), own_na={OWN_NA: (3, 7, 12)})


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> RoundResult:
    """Three workshops: the round's figures are withheld from the feedback."""
    return compiled_round(catalogue, tmp_path_factory.mktemp("small"), 3)


def _workshop(result: RoundResult, wid: str) -> WorkshopResult:
    return next(w for w in result.workshops if w.workshop.id == wid)


def content(data: bytes) -> dict[str, object]:
    """What a reader sees of a .docx: every paragraph (text and style) in order, the tables' cells, the
    pictures with their alternative text and size, header and footer, the page, and the properties."""
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    doc = Document(io.BytesIO(data))
    body = doc.element.body
    section = doc.sections[0]
    pictures = []
    for inline in body.iter(WP + "inline"):
        blip = inline.find(f".//{A}blip")
        rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
        image = doc.part.related_parts[rid]
        extent = inline.find(WP + "extent")
        pictures.append((inline.find(WP + "docPr").get("descr"), extent.get("cx"), extent.get("cy"),
                         image.content_type, len(image.blob)))
    props = doc.core_properties
    custom = etree.fromstring(doc.part.package.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties").blob)
    return {
        "paragraphs": [(p.style.name if p.style is not None else None, p.text, p.paragraph_format.keep_with_next,
                        p.paragraph_format.page_break_before) for p in doc.paragraphs],
        "tables": [[[(cell.text, [p.style.name for p in cell.paragraphs]) for cell in row.cells] for row in t.rows]
                   for t in doc.tables],
        "all text": ["".join(t.text or "" for t in p.iter(W + "t")) for p in body.iter(W + "p")],
        "pictures": pictures,
        "header": [(p.style.name, p.text) for p in section.header.paragraphs],
        "footer": [(p.style.name, p.text) for p in section.footer.paragraphs],
        "first page header": section.different_first_page_header_footer,
        "page": (section.orientation, section.page_width, section.page_height, section.left_margin,
                 section.right_margin, section.top_margin, section.bottom_margin),
        "properties": (props.title, props.subject, props.author, props.keywords, props.comments, props.category,
                       props.language, props.created, props.modified, props.revision),
        "identity": {p.get("name"): p[0].text or "" for p in custom.iter(CUSTOM + "property")},
        "styles": sorted(s.name for s in doc.styles),
    }


Builder = Callable[[Catalogue, RoundResult, WorkshopResult, bool], bytes]


def _feedback(catalogue: Catalogue, result: RoundResult, wr: WorkshopResult, stamped: bool) -> bytes:
    return build_feedback_report(catalogue, result, wr, min_round=5, stamped=stamped)


def _plan(catalogue: Catalogue, result: RoundResult, wr: WorkshopResult, stamped: bool) -> bytes:
    return build_plan_report(catalogue, result, development_plan(catalogue, wr), workbook_name="suunnitelma.xlsx",
                             stamped=stamped)


@pytest.mark.parametrize("build", [_feedback, _plan], ids=["feedback", "plan"])
@pytest.mark.parametrize("wid", [PLAIN, NO_SELF, NO_AUDIT, OWN_NA, CONDITIONAL])
def test_a_stamped_report_says_what_python_docx_writes(catalogue: Catalogue, result: RoundResult, build: Builder,
                                                      wid: str) -> None:
    wr = _workshop(result, wid)
    stamped, reference = content(build(catalogue, result, wr, True)), content(build(catalogue, result, wr, False))
    for key in reference:
        assert stamped[key] == reference[key], key


def test_the_kinds_compared_are_there(catalogue: Catalogue, result: RoundResult) -> None:
    """The workshops above are what their names say, and the feedback shows it."""
    assert _workshop(result, NO_SELF).recommendation.caveats[0].code == CAVEAT_NO_SELF
    assert _workshop(result, NO_AUDIT).recommendation is None
    feedback = content(_feedback(catalogue, result, _workshop(result, OWN_NA), True))
    assert any(cell[0] == catalogue.scale.not_applicable.label for t in feedback["tables"] for row in t for cell in row)
    texts = content(_feedback(catalogue, result, _workshop(result, PLAIN), True))["all text"]
    assert any("vaihto & <merkit>" in t for t in texts) and any("Teksti katkaistu" in t for t in texts)
    plain = content(_feedback(catalogue, result, _workshop(result, PLAIN), True))
    assert plain["identity"]["workshop_id"] == PLAIN and plain["identity"]["role"] == "feedback"
    assert plain["header"][0][1].startswith("Palauteraportti · ")
    assert len(plain["pictures"]) == 1 and plain["pictures"][0][0].startswith("Pylväskaavio: ")


def test_withheld_round_figures_and_many_reports_from_one_shell(catalogue: Catalogue, small: RoundResult,
                                                               result: RoundResult) -> None:
    """A small round's feedback, and reports of two rounds made in turn in one process, each its own."""
    for res in (small, result, small):
        for wr in res.workshops[:2]:
            assert content(_feedback(catalogue, res, wr, True)) == content(_feedback(catalogue, res, wr, False))


def test_a_stamped_package_is_a_plain_zip_with_the_picture_stored(catalogue: Catalogue, result: RoundResult) -> None:
    data = _feedback(catalogue, result, _workshop(result, PLAIN), True)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = {i.filename: i for i in z.infolist()}
        assert z.testzip() is None
    assert infos["word/media/image1.png"].compress_type == zipfile.ZIP_STORED
    assert infos["word/document.xml"].compress_type == zipfile.ZIP_DEFLATED
    assert _feedback(catalogue, result, _workshop(result, PLAIN), True) == data  # same inputs, same bytes


def test_a_users_base_document_is_used_and_checked(catalogue: Catalogue, result: RoundResult, tmp_path: Path) -> None:
    """A base in the templates folder gives its page to the stamped report, and a broken one is refused
    as before (TemplateError)."""
    from auditkit.errors import TemplateError
    from auditkit.word.styles import make_base_document

    base = Document(io.BytesIO(make_base_document()))
    base.sections[0].left_margin = base.sections[0].right_margin = 914400  # an inch
    base.save(tmp_path / "base.docx")
    wr = _workshop(result, PLAIN)
    stamped = content(build_feedback_report(catalogue, result, wr, templates=tmp_path))
    assert stamped == content(build_feedback_report(catalogue, result, wr, templates=tmp_path, stamped=False))
    assert stamped["page"][3] == 914400
    (tmp_path / "base.docx").write_bytes(b"not a docx")
    with pytest.raises(TemplateError):
        build_feedback_report(catalogue, result, wr, templates=tmp_path)


def test_the_plan_workbook_looks_as_the_workshop_needs(catalogue: Catalogue, result: RoundResult) -> None:
    """Where the workshop types is yellow and unlocked, the rule's lines are flagged, a date is a date and
    a formula-like text stays text: every cell of every row (the styles are copied between like cells)."""
    wr = _workshop(result, CONDITIONAL)
    plan = development_plan(catalogue, wr)
    data = build_plan_workbook(catalogue, plan, round_id="r", round_name="n")
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    editable = {i for i, (_, _, _, e) in enumerate(COLUMNS, start=1) if e}
    lines = list(plan.lines) + [None] * 10
    assert any(line is not None and line.required for line in lines)
    for offset, line in enumerate(lines):
        row = FIRST_ROW + offset
        for col in range(1, len(COLUMNS) + 1):
            cell = ws.cell(row, col)
            assert cell.font.name == "Calibri" and cell.border.left.style == "thin"
            typed = col in editable or line is None
            assert cell.protection.locked is not typed, cell.coordinate
            flagged = line is not None and line.required and col == 1
            fill = "F8DDD3" if flagged else "FFFBE6" if typed else None
            assert (cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type else None) == fill, cell.coordinate
            assert cell.font.bold is flagged, cell.coordinate
    by_number = {ws.cell(r, 1).value: r for r in range(FIRST_ROW, FIRST_ROW + len(plan.lines))}
    action, due = (ws.cell(by_number[7], col) for col in (5, 7))
    assert action.value.startswith("=HYPERLINK") and action.data_type == "s" and action.quotePrefix
    assert due.number_format == DUE_FORMAT and due.value.date().isoformat() == "2027-05-31"


def workbook_content(data: bytes) -> list[object]:
    """What a person sees and uses of a workbook: properties, names, each sheet's state, protection,
    panes, print set-up, merged cells, lists, colour rules, columns, rows and every cell with its look."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    out: list[object] = [(wb.properties.title, wb.properties.subject, wb.properties.creator,
                          [(p.name, p.value) for p in wb.custom_doc_props.props]),
                         sorted((name, d.attr_text) for name, d in wb.defined_names.items())]
    for ws in wb.worksheets:
        out.append((ws.title, ws.sheet_state, ws.protection.sheet, ws.protection.insertRows, ws.freeze_panes,
                    ws.print_title_rows, ws.auto_filter.ref, str(ws.oddFooter.left.text),
                    str(ws.oddFooter.center.text), ws.page_setup.orientation, ws.page_setup.fitToWidth,
                    sorted(str(m) for m in ws.merged_cells.ranges)))
        out.append([(str(d.sqref), d.formula1, d.type, d.showErrorMessage, d.error, d.prompt)
                    for d in ws.data_validations.dataValidation])
        out.append([(str(r.sqref), [(x.operator, x.formula, x.dxf.fill.fgColor.rgb) for x in r.rules])
                    for r in ws.conditional_formatting])
        out.append(sorted((key, d.width) for key, d in ws.column_dimensions.items()))
        out.append(sorted((key, d.height) for key, d in ws.row_dimensions.items() if d.height))
        for row in ws.iter_rows():
            for c in row:
                out.append((ws.title, c.coordinate, c.value, c.data_type, c.number_format, c.quotePrefix,
                            repr(c.font), repr(c.fill), repr(c.border), repr(c.alignment), repr(c.protection)))
    return out


@pytest.mark.parametrize("wid", [PLAIN, NO_SELF, NO_AUDIT, OWN_NA, CONDITIONAL])
def test_a_stamped_plan_workbook_is_the_one_openpyxl_writes(catalogue: Catalogue, result: RoundResult,
                                                            wid: str) -> None:
    plan = development_plan(catalogue, _workshop(result, wid))
    for round_id, round_name in (("2026-syksy", "Syksy & talvi <2026>"), ("", "")):
        plan = replace(plan, workshop_name=plan.workshop_name + ' & <Co> "=1+1"') if round_id else plan
        stamped = build_plan_workbook(catalogue, plan, round_id=round_id, round_name=round_name)
        whole = build_plan_workbook(catalogue, plan, round_id=round_id, round_name=round_name, stamped=False)
        assert zipfile.ZipFile(io.BytesIO(stamped)).testzip() is None
        assert workbook_content(stamped) == workbook_content(whole)


def test_a_returned_text_like_a_placeholder_is_written_as_typed(catalogue: Catalogue, result: RoundResult) -> None:
    """The plan workbook's shell fills its placeholders in its own parts only: an action or owner typed as
    one stays what was typed (it once raised, or took the document's title)."""
    plan = development_plan(catalogue, _workshop(result, CONDITIONAL))
    action, owner = "[[ak:title]] ja [[ak:muu]]", "[[ak:id.role]]"
    plan = replace(plan, lines=(replace(plan.lines[0], action=action, owner=owner), *plan.lines[1:]))
    stamped = build_plan_workbook(catalogue, plan, round_id="r", round_name="n")
    ws = openpyxl.load_workbook(io.BytesIO(stamped)).worksheets[0]
    assert (ws.cell(FIRST_ROW, 5).value, ws.cell(FIRST_ROW, 6).value) == (action, owner)
    assert workbook_content(stamped) == workbook_content(
        build_plan_workbook(catalogue, plan, round_id="r", round_name="n", stamped=False))


def test_a_base_the_shell_cannot_be_made_from_is_written_whole(catalogue: Catalogue, result: RoundResult,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from auditkit.word import stamped

    def no_shell(*args: object) -> None:
        raise stamped.NoShell("a base with its own ways")

    monkeypatch.setattr(stamped, "_BASES", {})
    monkeypatch.setattr(stamped, "_make_base", no_shell)
    wr = _workshop(result, PLAIN)
    assert content(_feedback(catalogue, result, wr, True)) == content(_feedback(catalogue, result, wr, False))


def test_a_picture_is_drawn_once_per_process(catalogue: Catalogue, result: RoundResult) -> None:
    """The feedback's profile is the one the consolidated report drew, not drawn again."""
    from auditkit.word import pictures

    drawn: list[str] = []
    key = ("test", object())
    assert pictures.drawn(key, lambda: drawn.append("x") or b"png") == b"png"
    assert pictures.drawn(key, lambda: drawn.append("y") or b"other") == b"png"
    assert drawn == ["x"]
    chart = pictures.profile_chart(("a", "b"), ("Itsearvio", "Auditoijat"))
    assert chart.png([[2.0, 3.0], [None, 1.5]]) is chart.png([[2.0, 3.0], [None, 1.5]])


def test_profiles_drawn_on_the_workers_are_the_feedback_reports_own(catalogue: Catalogue, result: RoundResult,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The consolidated report's pictures drawn first on forked workers come back with the keys a
    feedback report asks by: the feedback is then built without drawing, with the same picture."""
    from auditkit import report
    from auditkit.parallel import context
    from auditkit.word import pictures

    wr = _workshop(result, PLAIN)
    alone = _feedback(catalogue, result, wr, True)  # drawn here
    monkeypatch.setattr(pictures, "_DRAWN", {})
    monkeypatch.setattr(pictures, "_NEW", [])
    monkeypatch.setattr(report, "PICTURES_PARALLEL_FROM", 1)
    monkeypatch.setenv("AUDITKIT_WORKERS", "2")
    if context().get_start_method() != "fork":
        pytest.skip("pictures are drawn beforehand only where workers are forked")
    drawn = report._pictures(catalogue, result)
    assert len(drawn) == len(pictures._DRAWN) + 1  # every profile kept here, beside the heat map
    assert pictures.take_drawn() == []
    shared = _feedback(catalogue, result, wr, True)
    assert pictures.take_drawn() == []  # nothing drawn for it
    assert content(shared) == content(alone)


def test_a_package_written_with_its_pictures_stored_has_python_docx_parts(catalogue: Catalogue,
                                                                         result: RoundResult) -> None:
    """Writer.finish writes python-docx's parts, in its order, with the same bytes; only the pictures
    are stored rather than compressed again."""
    from auditkit.word import pictures
    from auditkit.word.document import Writer, package_bytes

    w = Writer(catalogue)
    w.para("Normal", "Teksti & <merkit>")
    w.para(None, w.picture(pictures.profile_chart(("a", "b"), ("Itsearvio",)).png([[2.0, 3.0]]), 6.3, "kuva"))
    saved = io.BytesIO()
    w.doc.save(saved)
    ours, theirs = zipfile.ZipFile(io.BytesIO(package_bytes(w.doc))), zipfile.ZipFile(saved)
    assert ours.testzip() is None
    assert ours.namelist() == theirs.namelist()
    assert all(ours.read(name) == theirs.read(name) for name in theirs.namelist())
    methods = {info.filename: info.compress_type for info in ours.infolist()}
    assert {name for name, method in methods.items() if method == zipfile.ZIP_STORED} == {
        name for name in methods if name.endswith(".png")} != set()


R_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _elements(data: bytes) -> list[tuple[object, ...]]:
    """document.xml element by element: tag, attributes (relationship ids left out: the shell numbers
    its parts otherwise), text and tail."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return [(e.tag, sorted((k, v) for k, v in e.attrib.items() if not k.startswith(R_NS)), e.text, e.tail)
            for e in root.iter()]


@pytest.mark.parametrize("build", [_feedback, _plan], ids=["feedback", "plan"])
@pytest.mark.parametrize("wid", [PLAIN, NO_SELF, NO_AUDIT, OWN_NA, CONDITIONAL])
def test_a_stamped_body_is_python_docx_element_for_element(catalogue: Catalogue, result: RoundResult,
                                                           build: Builder, wid: str) -> None:
    """Every element of the body, with its properties (a table's paragraphs kept with the next, say), is
    what python-docx's document has: the paragraphs a stamped report writes as XML text included."""
    wr = _workshop(result, wid)
    stamped, reference = _elements(build(catalogue, result, wr, True)), _elements(build(catalogue, result, wr, False))
    assert len(stamped) == len(reference)
    assert [i for i, (a, b) in enumerate(zip(stamped, reference)) if a != b] == []
    assert not any(tag is etree.ProcessingInstruction for tag, *_ in stamped)


def test_a_paragraph_given_to_an_element_of_the_reports_own_is_written(catalogue: Catalogue) -> None:
    """A short paragraph from p() put inside an element the report makes itself (not a table's cell) is
    written as its XML too, as python-docx's document has it."""
    from auditkit.word import ooxml
    from auditkit.word.stamped import report_writer
    from auditkit.model import Identity

    def build(stamped: bool) -> bytes:
        w = report_writer(catalogue, stamped=stamped)
        w.para("Normal", "Ennen")
        for _ in range(2):  # the same paragraph in two elements
            w.add(ooxml.el("w:sdt", None, ooxml.el("w:sdtContent", None, w.p("Normal", "Sisällä & <näin>"))))
        w.table((0.5, 0.5), [ooxml.Row([ooxml.Cell([w.p("Normal", "Sisällä & <näin>")]),
                                        ooxml.Cell([w.p("Normal", "Ennen")])])])
        w.para("Normal", "Ennen")  # the same paragraph again
        w.header_footer(["Otsikko"], ["Alaviite"])
        return w.finish(Identity("1", "1", "x", role="feedback"), "Otsikko", "Aihe")

    stamped, reference = build(True), build(False)
    assert [e[0] for e in _elements(stamped)] == [e[0] for e in _elements(reference)]
    assert [e[1:] for e in _elements(stamped)] == [e[1:] for e in _elements(reference)]
    assert b"auditkit-" not in zipfile.ZipFile(io.BytesIO(stamped)).read("word/document.xml")


@pytest.mark.parametrize("wid", [PLAIN, NO_SELF, OWN_NA])
def test_a_swedish_stamped_body_is_python_docx_element_for_element(catalogue: Catalogue, result: RoundResult,
                                                                   wid: str) -> None:
    """The same for a workshop's reports in Swedish (the paragraphs' XML is made per language's texts)."""
    wr = _workshop(result, wid)
    feedback = [_elements(build_feedback_report(catalogue, result, wr, min_round=5, stamped=s, lang="sv"))
                for s in (True, False)]
    plan = development_plan(catalogue, wr, "sv")
    plans = [_elements(build_plan_report(catalogue, result, plan, workbook_name="plan.xlsx", stamped=s, lang="sv"))
             for s in (True, False)]
    assert feedback[0] == feedback[1]
    assert plans[0] == plans[1]
