"""Reading returned forms: answers under the right criterion, identity, and a clear problem for every bad file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from auditkit.catalogue import Catalogue
from auditkit.word import build_audit_report, build_form, read_form
from auditkit.word.contract import TEXT_KEYS
from word_support import W, context

# These tests pin each problem's exact wording in its English source (see conftest.english); the
# Finnish wording and the codes are checked in test_problem_messages.py.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(scope="module")
def form(catalogue: Catalogue) -> bytes:
    return build_form(catalogue, context())


def _edit(data: bytes, change, *, drop: tuple[str, ...] = ()) -> bytes:
    """Rewrite document.xml with change(root) (as an editor saves), leaving out the parts in `drop`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            blob = source.read(info)
            if info.filename == "word/document.xml":
                root = etree.fromstring(blob)
                change(root)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, blob)
    return out.getvalue()


def _control(root: etree._Element, number: int, key: str) -> etree._Element:
    return next(s for s in root.iter(W + "sdt") if s.find(f"{W}sdtPr/{W}tag") is not None
                and s.find(f"{W}sdtPr/{W}tag").get(W + "val") == f"auditkit:{number}:{key}")


def _word_types(root: etree._Element, number: int, key: str, value: str) -> None:
    """As Word does: the placeholder goes, the text (lines as breaks) goes into the control."""
    sdt = _control(root, number, key)
    sdt.find(W + "sdtPr").remove(sdt.find(f"{W}sdtPr/{W}showingPlcHdr"))
    content = sdt.find(W + "sdtContent")
    for child in list(content):
        content.remove(child)
    run = etree.SubElement(content, W + "r")
    for i, line in enumerate(value.split("\n")):
        if i:
            etree.SubElement(run, W + "br")
        etree.SubElement(run, W + "t").text = line


def _types_over_cell(root: etree._Element, number: int, key: str, value: str) -> None:
    """As a person who selects the cell's contents and types: the control is gone."""
    sdt = _control(root, number, key)
    paragraph = sdt.getparent()
    paragraph.remove(sdt)
    etree.SubElement(etree.SubElement(paragraph, W + "r"), W + "t").text = value


def _write(tmp_path: Path, data: bytes, name: str = "palautus.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_fresh_form_reads_back_empty_with_its_identity(form: bytes, catalogue: Catalogue, tmp_path: Path) -> None:
    returned = read_form(_write(tmp_path, form), catalogue)
    assert returned.problems == () and returned.kind == "form"
    assert [r.number for r in returned.responses] == [c.number for c in catalogue.criteria]
    assert all(r.rating is None and not r.not_applicable and set(r.texts) == set(TEXT_KEYS)
               and not any(r.texts.values()) for r in returned.responses)
    assert returned.response(12).criterion_id == "tpk-12" and returned.response(12).place == "kriteeri 12"
    identity = returned.identity
    assert (identity.role, identity.kit_id, identity.workshop_id, identity.content_hash) == \
        ("self", "2025-kevat-P07-self", "P07", catalogue.hash)
    assert returned.saved_at.endswith("Z") and returned.texts["contact"] == ""


def test_answers_typed_in_word_come_back_under_their_criterion(form: bytes, catalogue: Catalogue,
                                                               tmp_path: Path) -> None:
    def fill(root: etree._Element) -> None:
        _word_types(root, 1, "practice", "Perustehtävä on kirjattu strategiaan.\nToinen rivi: äö.")
        _word_types(root, 51, "questions", "Miten mittaatte osallisuutta?")
        _types_over_cell(root, 20, "evidence", "Liite 4: henkilöstösuunnitelma.pdf")

    returned = read_form(_write(tmp_path, _edit(form, fill)), catalogue)
    one = returned.response(1)
    assert one.texts["practice"] == "Perustehtävä on kirjattu strategiaan.\nToinen rivi: äö." and one.rating is None
    assert returned.response(51).texts["questions"] == "Miten mittaatte osallisuutta?"
    assert returned.response(20).texts["evidence"] == "Liite 4: henkilöstösuunnitelma.pdf"
    assert returned.problems == ()
    untouched = [r for r in returned.responses if r.number not in (1, 20, 51)]
    assert all(not any(r.texts.values()) and r.rating is None for r in untouched)


def test_placeholder_kept_as_text_is_not_an_answer(form: bytes, catalogue: Catalogue, tmp_path: Path) -> None:
    def fill(root: etree._Element) -> None:  # LibreOffice drops the placeholder flag and keeps the text
        for sdt in root.iter(W + "sdt"):
            flag = sdt.find(f"{W}sdtPr/{W}showingPlcHdr")
            if flag is not None:
                flag.getparent().remove(flag)
        _types_over_cell(root, 5, "strengths", "Mikä toimii hyvin? Yhteistyö kunnan kanssa.")

    returned = read_form(_write(tmp_path, _edit(form, fill)), catalogue)
    assert returned.problems == ()
    assert all(not v for r in returned.responses if r.number != 5 for v in r.texts.values())
    assert returned.response(5).texts["strengths"] == "Yhteistyö kunnan kanssa."
    assert returned.texts["contact"] == "" and returned.texts["group"] == ""


def test_identity_from_the_data_sheet_when_properties_are_gone(form: bytes, catalogue: Catalogue,
                                                               tmp_path: Path) -> None:
    data = _edit(form, lambda root: None, drop=("docProps/custom.xml",))
    returned = read_form(_write(tmp_path, data), catalogue)
    identity = returned.identity
    assert (identity.workshop_name, identity.kit_id, identity.round_id, identity.content_version, identity.role) == \
        ('Nuorten työpaja Ääri/Reuna "Pilotti"', "2025-kevat-P07-self", "2025-kevat", catalogue.version, "self")
    assert [(p.severity, p.message) for p in returned.problems] == [
        ("warning", "the document properties are missing (the editor dropped them); the identity was read from the "
                    "data sheet.")]
    assert len(returned.responses) == 51


def test_missing_renumbered_and_duplicated_tables(form: bytes, catalogue: Catalogue, tmp_path: Path) -> None:
    def mangle(root: etree._Element) -> None:
        body = root.find(W + "body")
        tables = {("".join(t.find(f"{W}tr/{W}tc").itertext()).strip()): t for t in body.findall(W + "tbl")}
        body.remove(tables["12"])  # deleted
        tables["14"].find(f"{W}tr/{W}tc").find(f".//{W}t").text = "15"  # renumbered: shows 14's text
        tables["20"].addnext(etree.fromstring(etree.tostring(tables["20"])))  # pasted twice

    returned = read_form(_write(tmp_path, _edit(form, mangle)), catalogue)
    file = str(tmp_path / "palautus.docx")
    assert [str(p) for p in returned.problems] == [
        f"{file}, criterion 12: the criterion's table is missing (deleted?); its answers cannot be read. Ask the "
        "workshop to answer it in a fresh form.",
        f"{file}, criterion 14: the criterion's table is missing (deleted?); its answers cannot be read. Ask the "
        "workshop to answer it in a fresh form.",
        f"{file}, criterion 15: a table numbered 15 does not show criterion 15's text; its answers were not read. "
        "Check the number in the table's first cell.",
        f"{file}, criterion 20: a second table with this number; the first one was read. Remove the copy.",
    ]
    assert returned.response(12) is None and returned.response(15).number == 15


def test_a_table_showing_another_criterion_is_refused(form: bytes, catalogue: Catalogue, tmp_path: Path) -> None:
    def swap(root: etree._Element) -> None:
        body = root.find(W + "body")
        tables = {("".join(t.find(f"{W}tr/{W}tc").itertext()).strip()): t for t in body.findall(W + "tbl")}
        tables["14"].find(f"{W}tr/{W}tc").find(f".//{W}t").text = "99"
        tables["13"].find(f"{W}tr/{W}tc").find(f".//{W}t").text = "14"

    returned = read_form(_write(tmp_path, _edit(form, swap)), catalogue)
    messages = [p.message for p in returned.problems if p.place == "criterion 14"]
    assert messages == ["a table numbered 14 does not show criterion 14's text; its answers were not read. "
                        "Check the number in the table's first cell."]
    assert returned.response(14) is None


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, blob in entries.items():
            archive.writestr(name, blob)
    return out.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BAD_FILES = {
    "empty.docx": (b"", "the file is empty (0 bytes)"),
    "text.docx": (b"Hei, liitteena lomake.", "not a Word document (.docx)"),
    "old.doc": (OLE + b"\x00" * 600, "an old Word 97–2003 document (.doc)"),
    "locked.docx": (OLE + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le"), "the file is password-protected"),
    "form.rtf": (b"{\\rtf1\\ansi hei}", "an RTF file"),
    "form.pdf": (b"%PDF-1.7\n", "a PDF; answers cannot be read from a PDF"),
    "cut.docx": (b"PK\x03\x04" + b"\x00" * 40, "the file is damaged (not a complete .docx"),
    "book.xlsx": (_zip({"xl/workbook.xml": b"<workbook/>"}), "an Excel workbook, not the self-assessment form"),
    "form.odt": (_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<a/>"}),
                 "an OpenDocument text (.odt)"),
    "entity.docx": (_zip({"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>'}),
                    "declares a DTD, which Office never writes; refused as unsafe."),
    "broken.docx": (_zip({"word/document.xml": b"<w:document"}), "is not valid XML"),
    "bomb.docx": (_zip({"word/document.xml": b"<a>" + b" " * (8 * 1024 * 1024) + b"</a>"}),
                  "part word/document.xml would expand"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_give_one_clear_problem(name: str, catalogue: Catalogue, tmp_path: Path) -> None:
    data, expected = BAD_FILES[name]
    returned = read_form(_write(tmp_path, data, name), catalogue)
    assert returned.responses == () and returned.kind == "form"
    assert len(returned.problems) == 1, returned.problems
    problem = returned.problems[0]
    assert problem.file == str(tmp_path / name) and problem.severity == "error"
    assert expected in problem.message, problem.message


def test_a_missing_file_and_another_document(catalogue: Catalogue, tmp_path: Path) -> None:
    missing = read_form(tmp_path / "nowhere.docx", catalogue)
    assert [p.message for p in missing.problems] == ["file not found; check the path."]
    report = read_form(_write(tmp_path, build_audit_report(catalogue, context())), catalogue)
    assert report.responses == ()
    assert [p.message for p in report.problems] == [
        "this is not a self-assessment form (its role is 'peer'); send the self-assessment form (itsearviointilomake)."]



def test_a_filled_copy_of_a_criterion_table_is_read_never_the_empty_one(form: bytes, catalogue: Catalogue,
                                                                        tmp_path: Path) -> None:
    def copied(*texts: str):
        """Criterion 20's table pasted again below itself, the strengths typed into (original, copy)."""
        def change(root: etree._Element) -> None:
            original = next(t for t in root.find(W + "body").findall(W + "tbl")
                            if "".join(t.find(f"{W}tr/{W}tc").itertext()).strip() == "20")
            copy = etree.fromstring(etree.tostring(original))
            original.addnext(copy)
            for where, text in zip((original, copy), texts):
                if text:
                    _word_types(where, 20, "strengths", text)
        return change

    one = read_form(_write(tmp_path, _edit(form, copied("", "Uusi"))), catalogue)
    assert [(p.place, p.message, p.severity) for p in one.problems] == [
        ("criterion 20", "a second table with this number; the one with answers was read. Remove the copy.", "warning")]
    assert one.response(20).texts["strengths"] == "Uusi"
    both = read_form(_write(tmp_path, _edit(form, copied("Vanha", "Uusi"))), catalogue)
    assert [(p.place, p.message, p.severity) for p in both.problems] == [
        ("criterion 20", "the form has 2 tables for criterion 20 with different answers; none was read, since it is "
                        "not clear which is final. Delete the copies that are not final.", "error")]
    assert both.response(20) is None


def test_text_typed_in_libreoffice_is_read_though_the_placeholder_flag_stays(form: bytes, catalogue: Catalogue,
                                                                             tmp_path: Path) -> None:
    """LibreOffice 7.4 saves a control it typed into with the placeholder flag still set and its id
    gone; Word keeps the id, and with it the flag means a prompt (Word's own default one included)."""
    def fill(root: etree._Element) -> None:
        for sdt in root.iter(W + "sdt"):
            props = sdt.find(W + "sdtPr")
            tag = props.find(W + "tag")
            if tag is None:
                continue
            if tag.get(W + "val") == "auditkit:7:practice":  # typed in LibreOffice
                for child in list(props):
                    if child.tag != W + "showingPlcHdr":
                        props.remove(child)
                sdt.find(f"{W}sdtContent/{W}r/{W}t").text = "Tavoitteet johdetaan seurannasta."
            elif tag.get(W + "val") == "auditkit:8:practice":  # cleared in Word: Word's prompt
                sdt.find(f"{W}sdtContent/{W}r/{W}t").text = "Kirjoita tekstiä napsauttamalla tai napauttamalla tätä."

    returned = read_form(_write(tmp_path, _edit(form, fill)), catalogue)
    assert returned.response(7).texts["practice"] == "Tavoitteet johdetaan seurannasta."
    assert returned.response(8).texts["practice"] == ""
    assert all(not v for r in returned.responses if r.number != 7 for v in r.texts.values())


def _as_format_1(data: bytes, actions: dict[int, str]) -> bytes:
    """The form as an earlier kit (format 1) made it: one row "Toimenpiteet" (what, who and by when),
    no row for the owner and due date; `actions` typed into that row."""
    def change(root: etree._Element) -> None:
        for sdt in list(root.iter(W + "sdt")):
            tag = sdt.find(f"{W}sdtPr/{W}tag")
            if tag is not None and tag.get(W + "val", "").endswith(":owner"):
                row = next(sdt.iterancestors(W + "tr"))
                row.getparent().remove(row)
            elif tag is not None and tag.get(W + "val", "").endswith(":actions"):
                sdt.find(f"{W}sdtContent/{W}r/{W}t").text = "Mitä tehdään, kuka vastaa, mihin mennessä."
        for number, text in actions.items():
            _word_types(root, number, "actions", text)

    old = _edit(data, change)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(old)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == "docProps/custom.xml":
                blob = blob.replace(b"<vt:lpwstr>2</vt:lpwstr>", b"<vt:lpwstr>1</vt:lpwstr>", 1)
            target.writestr(info, blob)
    return out.getvalue()


def test_the_actions_owner_and_due_date_come_back_as_fields(form: bytes, catalogue: Catalogue, tmp_path: Path) -> None:
    def fill(root: etree._Element) -> None:
        _word_types(root, 12, "actions", "Johtamisjärjestelmän kuvaus.\nKatselmointi kahdesti vuodessa.")
        _word_types(root, 12, "owner", "Aikataulusta vastaa Pekka")  # an answer that starts with a label's word
        _types_over_cell(root, 12, "due", "31.5.2026")

    returned = read_form(_write(tmp_path, _edit(form, fill)), catalogue)
    assert returned.problems == ()
    texts = returned.response(12).texts
    assert (texts["actions"], texts["owner"], texts["due"]) == \
        ("Johtamisjärjestelmän kuvaus.\nKatselmointi kahdesti vuodessa.", "Aikataulusta vastaa Pekka", "31.5.2026")


def test_a_form_of_an_earlier_kit_gives_its_one_actions_text_as_the_action(form: bytes, catalogue: Catalogue,
                                                                           tmp_path: Path) -> None:
    old = _as_format_1(form, {7: "Kirjataan käytäntö; vastaa Aino; 6/2026 mennessä."})
    returned = read_form(_write(tmp_path, old), catalogue)
    assert returned.identity.format_version == "1"
    assert returned.problems == ()  # no "row missing" for rows format 1 never had
    texts = returned.response(7).texts
    assert (texts["actions"], texts["owner"], texts["due"]) == ("Kirjataan käytäntö; vastaa Aino; 6/2026 mennessä.", "", "")
    assert returned.response(8).texts["actions"] == ""  # its old prompt is no answer


def test_a_form_of_this_format_without_the_owner_row_says_so(form: bytes, catalogue: Catalogue, tmp_path: Path) -> None:
    def remove(root: etree._Element) -> None:
        row = next(_control(root, 9, "owner").iterancestors(W + "tr"))
        row.getparent().remove(row)

    returned = read_form(_write(tmp_path, _edit(form, remove)), catalogue)
    assert [(p.place, p.severity, p.message) for p in returned.problems] == [
        ("criterion 9", "warning", "row(s) missing: Vastuuhenkilö, Aikataulu; those answers are empty.")]
