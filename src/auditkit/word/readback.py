"""Reading a returned self-assessment form: answers per criterion from the visible tables, never raising.

Editors keep what a person sees and drop what they do not: LibreOffice removes content-control tags,
Word users delete controls and type into the cell. So the reader finds each criterion's table by the
number in its first cell, checks that the table still shows that criterion's text, and takes each
answer from the row whose label it recognises, whether the text sits in a control or not.
"""

from __future__ import annotations

import contextlib
import functools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from types import MappingProxyType

from lxml import etree

from ..catalogue import Catalogue, Criterion
from ..errors import Problem, Text, say
from ..i18n import LANGUAGES, wording
from ..labels import APPLIES_TO, labels
from ..model import CriterionResponse, Identity, Returned
from ..packages import OLE_SIGNATURE, expanding_member, is_encrypted
from ..ratings import parse_rating
from ..textnorm import fold as _norm
from .contract import (ADDED_IN_2, APPENDIX_CONCEPTS, FORM_ROLE, LANGUAGES_READ, NOT_FOR_SHOP, NOT_FOR_YOU, RATING,
                       SEE_CONCEPTS, Field, form_fields, form_sheet, legacy_fields, placeholders, title_roles)

KIND = "form"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
DCTERMS = "{http://purl.org/dc/terms/}"
STRICT = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"

# Bounds for untrusted files: what a form can reasonably hold, far below what hurts.
MAX_DOCUMENT_XML = 40 * 1024 * 1024
MAX_SMALL_PART = 1024 * 1024
MAX_ENTRIES = 5000
MAX_RATIO = 200  # uncompressed / compressed, for entries over RATIO_FLOOR
RATIO_FLOOR = 5 * 1024 * 1024

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True)
_SKIP = {W + "del", W + "moveFrom", W + "pPr", W + "rPr", W + "sdtPr", W + "txbxContent", W + "instrText",
         W + "delText", W + "fldData"}


class _Refused(Exception):
    """The file cannot be read as a form at all; .text says why and what to do."""

    def __init__(self, text: Text) -> None:
        super().__init__(text)
        self.text = text


def read_form(path: str | Path, catalogue: Catalogue) -> Returned:
    """Read a returned self-assessment form (.docx saved by Word, LibreOffice or auditkit).

    Returns the identity (custom document properties, or the data sheet when an editor dropped them),
    a CriterionResponse per criterion table found (texts keyed by contract.TEXT_KEYS; a rating and
    "reasoning" only where the form has those rows, as forms of earlier kits did), the data sheet's
    fields as `texts`, the time the file says it
    was saved, and every problem with its place ("kriteeri 12, Oma arvio"). Never raises: a file that
    cannot be read gives one problem saying why and what to do.
    """
    file = str(path)
    try:
        return _read(Path(path), file, catalogue)
    except _Refused as refused:
        return Returned(file, KIND, Identity(), problems=(Problem(file, "", refused.text, code="form-refused"),))
    except Exception as err:  # the promise is never to raise on a bad file
        return Returned(file, KIND, Identity(), problems=(
            Problem(file, "", say("cannot be read ({cause}); open it in Word or LibreOffice, save it as Word document "
                                  "(.docx) and read it again.", cause=err.__class__.__name__ + ": " + str(err)),
                    code="form-unreadable"),))


# --- the file ----------------------------------------------------------------------------------


def _read(path: Path, file: str, catalogue: Catalogue) -> Returned:
    parts = _open(path)
    root = parts["word/document.xml"]
    if isinstance(root.tag, str) and root.tag.startswith(STRICT):
        raise _Refused(say("is saved as Strict Open XML Document, which auditkit does not read; open it in Word, "
                           "choose File > Save As and the file type Word Document (.docx), and return that."))
    body = root.find(W + "body")
    if body is None:
        raise _Refused(say("the document has no body; it is not a self-assessment form."))
    problems: list[Problem] = []
    tables = list(_top_tables(body))
    sheet, sheet_lang = _data_sheet(tables)
    lang = _language(parts.get("docProps/core.xml")) or sheet_lang
    shown = _visible_identity(sheet, _title_role(body))
    identity = _identity(file, parts.get("docProps/custom.xml"), shown, catalogue, problems)
    saved_at = _saved_at(parts.get("docProps/core.xml"))
    if identity.role and identity.role != FORM_ROLE:
        problems.append(Problem(file, "", say(
            "this is not a self-assessment form (its role is '{role}'); send the self-assessment form "
            "(itsearviointilomake).", role=identity.role), code="not-a-form"))
        return Returned(file, KIND, identity, problems=tuple(problems), saved_at=saved_at, shown=shown)
    responses = _responses(file, tables, catalogue, problems, identity.format_version not in ("", "1"), lang)
    _comments(file, body, parts.get("word/comments.xml"), catalogue, problems)
    _stray_text(file, body, catalogue, problems)
    _notes(file, body, parts, catalogue, problems)
    _tracked(file, body, problems)
    return Returned(file, KIND, identity, tuple(responses), tuple(problems), saved_at, MappingProxyType(sheet),
                    shown=shown)


def _open(path: Path) -> dict[str, etree._Element]:
    """The parsed parts we read, after checking what the file is and how big it claims to be."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise _Refused(say("file not found; check the path.")) from None
    except OSError as err:
        raise _Refused(say("cannot be opened ({reason}); check the file and its permissions.",
                           reason=str(err.strerror))) from None
    if not head:
        raise _Refused(say("the file is empty (0 bytes); ask the workshop to save the form again and resend it."))
    if not head.startswith(b"PK"):
        raise _Refused(_not_a_zip(path, head))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise _Refused(say("the file is damaged (not a complete .docx; was the copy or download cut short?); "
                           "ask for the form again.")) from None
    with archive:
        infos = {info.filename: info for info in archive.infolist()}
        if len(infos) > MAX_ENTRIES:
            raise _Refused(say("the file holds {count} parts, far more than a form; refused as unsafe.",
                               count=len(infos)))
        if "word/document.xml" not in infos:
            raise _Refused(_other_zip(archive, infos))
        info = expanding_member(infos.values(), floor=RATIO_FLOOR, max_ratio=MAX_RATIO)
        if info is not None:
            raise _Refused(say("part {part} would expand {ratio}-fold (a zip bomb?); refused as unsafe.",
                               part=info.filename, ratio=info.file_size // max(info.compress_size, 1)))
        parts = {"word/document.xml": _parse(archive, infos["word/document.xml"], MAX_DOCUMENT_XML)}
        for name in ("docProps/custom.xml", "docProps/core.xml", "word/comments.xml", "word/footnotes.xml",
                     "word/endnotes.xml"):
            if name in infos:
                with contextlib.suppress(_Refused):  # properties help; the visible form is what counts
                    parts[name] = _parse(archive, infos[name], MAX_SMALL_PART)
        return parts


def _parse(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> etree._Element:
    if info.file_size > limit:
        raise _Refused(say("part {part} is {size} MB, more than a form can hold; refused as unsafe.",
                           part=info.filename, size=info.file_size // 1024 // 1024))
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as err:
        raise _Refused(say("part {part} cannot be unpacked ({reason}); the file is damaged or encrypted.",
                           part=info.filename, reason=str(err))) from None
    if len(data) > limit:
        raise _Refused(say("part {part} is larger than it claims; refused as unsafe.", part=info.filename))
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise _Refused(say("part {part} declares a DTD, which Office never writes; refused as unsafe.",
                           part=info.filename))
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as err:
        raise _Refused(say("part {part} is not valid XML ({reason}); the file is damaged.", part=info.filename,
                           reason=str(err))) from None


def _not_a_zip(path: Path, head: bytes) -> Text:
    if head.startswith(OLE_SIGNATURE):
        with path.open("rb") as handle:
            sample = handle.read(1 << 20)
        if is_encrypted(sample):
            return say("the file is password-protected; remove the password (Word: File > Info > Protect Document "
                       "> Encrypt with Password, empty) and send it again.")
        return say("an old Word 97–2003 document (.doc) or another binary Office file; open it in Word or "
                   "LibreOffice and save it as Word document (.docx).")
    if head.startswith(b"{\\rtf"):
        return say("an RTF file; open it in Word or LibreOffice and save it as Word document (.docx).")
    if head.startswith(b"%PDF"):
        return say("a PDF; answers cannot be read from a PDF: send the filled form as Word document (.docx).")
    return say("not a Word document (.docx); send the self-assessment form as Word document (.docx).")


def _other_zip(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]) -> Text:
    if "mimetype" in infos and infos["mimetype"].file_size < 200:
        mimetype = archive.read("mimetype").decode("ascii", "replace")
        if "opendocument.text" in mimetype:
            return say("an OpenDocument text (.odt); in LibreOffice choose File > Save As > Word 2007-365 (.docx) "
                       "and send that.")
    if "xl/workbook.xml" in infos:
        return say("an Excel workbook, not the self-assessment form; read it as a workbook or send the form (.docx).")
    return say("not a Word document (.docx); send the self-assessment form as Word document (.docx).")


# --- tables and text ---------------------------------------------------------------------------


def _children(node: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with `tag`, looking through content controls and custom XML that editors wrap around."""
    for child in node:
        if child.tag == tag:
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            inner = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if inner is not None:
                yield from _children(inner, tag)


def _top_tables(body: etree._Element) -> Iterator[list[list[etree._Element]]]:
    """The tables directly in the body, each as rows of cells."""
    for table in _children(body, W + "tbl"):
        yield [list(_children(row, W + "tc")) for row in _children(table, W + "tr")]


def _text(node: etree._Element) -> str:
    """The visible text of a cell: paragraphs on lines, controls' text included, placeholders and
    deletions left out."""
    lines = [_paragraph_text(p) for p in node.iter(W + "p")]
    return "\n".join(lines).strip()


def _paragraph_text(p: etree._Element) -> str:
    out: list[str] = []
    _walk(p, out)
    return "".join(out)


def _walk(node: etree._Element, out: list[str]) -> None:
    for child in node:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W + "p" or tag == W + "tbl":  # nested paragraphs are read on their own
            continue
        if tag == W + "sdt":
            if _showing_placeholder(child.find(W + "sdtPr")):
                continue
            content = child.find(W + "sdtContent")
            if content is not None:
                _walk(content, out)
        elif tag == W + "r":
            previous = None
            for item in child:
                if item.tag == W + "t":
                    # LibreOffice writes the lines of a plain-text control as adjacent w:t in one run.
                    if previous == W + "t":
                        out.append("\n")
                    out.append(item.text or "")
                elif item.tag == W + "tab":
                    out.append("\t")
                elif item.tag in (W + "br", W + "cr"):
                    out.append("\n")
                elif item.tag == W + "noBreakHyphen":
                    out.append("-")
                previous = item.tag
        else:
            _walk(child, out)


def _showing_placeholder(props: etree._Element | None) -> bool:
    """Whether a control's content is its prompt, not an answer. Word keeps a control's id and clears
    the flag when a person types; LibreOffice 7.4 drops the id and leaves the flag on typed text, so
    without an id the text is read (and a prompt left as it was is recognised by its words)."""
    if props is None or props.find(W + "id") is None:
        return False
    flag = props.find(W + "showingPlcHdr")
    return flag is not None and flag.get(W + "val", "true") not in ("0", "false", "off")


@functools.cache
def _placeholders() -> list[str]:
    """Every language's prompts, folded, the longest first."""
    return sorted((_norm(p) for p in placeholders()), key=len, reverse=True)


def _answer(text: str) -> str:
    """The text without a placeholder an editor kept as ordinary text (alone, or before the answer)."""
    stripped = text.strip()
    norm = _norm(stripped)
    prompts = _placeholders()
    if not norm or norm in prompts:
        return ""
    for placeholder in prompts:
        if norm.startswith(placeholder):
            for cut in range(max(len(placeholder) - 2, 1), len(placeholder) + 8):
                if _norm(stripped[:cut]) == placeholder:
                    return stripped[cut:].strip()
    return stripped


def _first_line(cell: etree._Element) -> str:
    for p in cell.iter(W + "p"):
        line = _paragraph_text(p).strip()
        if line:
            return line
    return ""


# --- the data sheet and identity ---------------------------------------------------------------

@functools.cache
def _sheet_labels() -> dict[str, tuple[str, str]]:
    """The data sheet's labels in every language, folded: (row key, language)."""
    return {_norm(row.label): (row.key, lang) for lang in reversed(LANGUAGES_READ) for row in form_sheet(lang)}


def _data_sheet(tables: list[list[list[etree._Element]]]) -> tuple[dict[str, str], str]:
    """The data sheet's fields by key (the first table whose first column holds its labels, in any
    language), and the language of its labels ("" without a data sheet)."""
    known = _sheet_labels()
    for rows in tables:
        labelled = {}
        langs: dict[str, int] = {}
        for cells in rows:
            if len(cells) >= 2:
                key, lang = known.get(_norm(_first_line(cells[0])), ("", ""))
                if key:
                    labelled[key] = _answer(_text(cells[-1]))
                    langs[lang] = langs.get(lang, 0) + 1
        if "workshop" in labelled and len(labelled) >= 3:
            return labelled, max(langs, key=lambda lang: langs[lang])
    return {}, ""


def _language(core: etree._Element | None) -> str:
    """The language the document's properties say it is in (dc:language, "sv-FI"), if one a form is read in."""
    if core is None:
        return ""
    found = core.find("{http://purl.org/dc/elements/1.1/}language")
    code = (found.text or "").strip().replace("_", "-").split("-")[0].casefold() if found is not None else ""
    return code if code in LANGUAGES_READ and code in LANGUAGES else ""


def _title_role(body: etree._Element) -> str:
    """The role of the document its first page's title names (TITLE_ROLES), or "": the title is one of
    the first paragraphs before the first table."""
    titles = {_norm(title): role for title, role in title_roles().items()}
    for count, node in enumerate(_children_of_body(body)):
        if node.tag == W + "tbl" or count > 12:
            break
        if node.tag == W + "p":
            role = titles.get(_norm(_paragraph_text(node)))
            if role:
                return role
    return ""


def _children_of_body(body: etree._Element) -> Iterator[etree._Element]:
    """The paragraphs and tables of the body in order, looking through content controls."""
    for child in body:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            inner = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if inner is not None:
                yield from _children_of_body(inner)


def _identity(file: str, custom: etree._Element | None, shown: Identity, catalogue: Catalogue,
              problems: list[Problem]) -> Identity:
    """The identity the document properties give, else what the document shows (compile compares the two)."""
    names = [f.name for f in fields(Identity)]
    props: dict[str, str] = {}
    if custom is not None:
        for prop in custom.iter(CUSTOM + "property"):
            name = prop.get("name")
            if name in names:
                props[name] = "".join(str(t) for t in prop.itertext()).strip()
    if props.get("format_version") or props.get("kit_id") or props.get("workshop_name"):
        identity = Identity(**{name: props.get(name, "") for name in names})
    elif shown.workshop_name or shown.kit_id or shown.role:
        identity = shown
        problems.append(Problem(file, "", say(
            "the document properties are missing (the editor dropped them); the identity was read from the data "
            "sheet."), "warning", "properties-missing"))
    else:
        identity = Identity()
        problems.append(Problem(file, "", say(
            "neither document properties nor the data sheet say whose form this is; check it by hand or ask the "
            "workshop for the form again."), code="identity-missing"))
    if identity.content_version and identity.content_version != catalogue.version:
        problems.append(Problem(file, "", say(
            "made from criteria version {made}, read against {used}; check that the criteria match.",
            made=identity.content_version, used=catalogue.version), "warning", "content-differs"))
    elif identity.content_hash and catalogue.hash and identity.content_hash != catalogue.hash:
        problems.append(Problem(file, "", say(
            "made from other content than {used} ({used_hash}); check that the criteria match.",
            used=catalogue.version, used_hash=catalogue.short_hash), "warning", "content-differs"))
    return identity


def _visible_identity(sheet: dict[str, str], title_role: str = "") -> Identity:
    """What the document shows: the data sheet's workshop, round and kit id, and the role its title names
    (a data sheet without a known title is the form's)."""
    if not sheet:
        return Identity(role=title_role)
    round_text = sheet.get("round", "")
    match = re.fullmatch(r"(.*) \(([^()]*)\)", round_text)
    version = sheet.get("content_version", "").split(" ")[0]
    return Identity(content_version=version, round_id=match.group(2) if match else round_text,
                    workshop_name=sheet.get("workshop", ""), role=title_role or FORM_ROLE,
                    kit_id=sheet.get("kit_id", ""))


def _saved_at(core: etree._Element | None) -> str:
    if core is None:
        return ""
    modified = core.find(DCTERMS + "modified")
    return (modified.text or "").strip() if modified is not None else ""


# --- criteria ----------------------------------------------------------------------------------

@functools.cache
def _place_labels() -> dict[str, str]:
    """The Finnish label of each row by key, as places name the row ("kriteeri 12, Perustelut") in a form
    of any language (compile's checks name them so)."""
    return {f.key: f.label for f in (*form_fields("fi"), *legacy_fields("fi"))}


@functools.cache
def _field_labels() -> list[tuple[str, Field]]:
    """Every language's row labels, folded, with the field in that language (the longest label first)."""
    pairs = [(_norm(f.label), f) for lang in LANGUAGES_READ for f in (*form_fields(lang), *legacy_fields(lang))]
    return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


def _responses(file: str, tables: list[list[list[etree._Element]]], catalogue: Catalogue,
               problems: list[Problem], newer: bool, lang: str = "") -> list[CriterionResponse]:
    numbers = {c.number for c in catalogue.criteria}
    found: dict[int, list[list[list[etree._Element]]]] = {}
    for rows in tables:
        if not rows or not rows[0]:
            continue
        match = re.fullmatch(r"(\d{1,4})\.?", _text(rows[0][0]))
        if match and int(match.group(1)) in numbers:
            found.setdefault(int(match.group(1)), []).append(rows)
    responses = []
    for criterion in catalogue.criteria:
        place = f"kriteeri {criterion.number}"
        candidates = found.get(criterion.number, [])
        if not candidates:
            problems.append(Problem(file, place, say(
                "the criterion's table is missing (deleted?); its answers cannot be read. Ask the workshop to answer "
                "it in a fresh form."), code="criterion-table-missing"))
            continue
        showing = [rows for rows in candidates if _shows(criterion, rows)]
        if len(showing) < len(candidates):
            problems.append(Problem(file, place, say(
                "a table numbered {number} does not show criterion {number}'s text; its answers were not read. Check "
                "the number in the table's first cell.", number=criterion.number), code="table-shows-other-criterion"))
        read = []
        for rows in showing:  # each copy of the table read with its own problems
            found_here: list[Problem] = []
            read.append((_response(file, criterion, rows, catalogue, found_here, newer, lang), found_here))
        answered = [(x, found_here) for x, found_here in read if _has_answer(x)] or read[:1]
        if len({_answer_key(x) for x, _ in answered}) > 1:
            problems.append(Problem(file, place, say(
                "the form has {count} tables for criterion {number} with different answers; none was read, since it "
                "is not clear which is final. Delete the copies that are not final.", count=len(showing),
                number=criterion.number), code="criterion-tables-differ"))
            continue
        if len(showing) > 1:
            which = (say("the one with answers") if len(answered) == 1 and read[0][0] is not answered[0][0]
                     else say("the first one"))
            problems.append(Problem(file, place, say(
                "a second table with this number; {which} was read. Remove the copy.", which=which), "warning",
                "criterion-table-twice"))
        if answered:
            responses.append(answered[0][0])
            problems.extend(answered[0][1])
    return responses


def _has_answer(x: CriterionResponse) -> bool:
    return x.rating is not None or x.not_applicable or any(v.strip() for v in x.texts.values())


def _answer_key(x: CriterionResponse) -> tuple[object, ...]:
    return (x.rating, x.not_applicable, tuple(sorted((k, v) for k, v in x.texts.items() if v)))


def _shows(criterion: Criterion, rows: list[list[etree._Element]]) -> bool:
    """Whether the table's first row still shows the criterion's text (its first 60 characters)."""
    shown = _norm(" ".join(_text(cell) for cell in rows[0][1:]))
    return _norm(criterion.text)[:60] in shown


def _response(file: str, criterion: Criterion, rows: list[list[etree._Element]], catalogue: Catalogue,
              problems: list[Problem], newer: bool, lang: str = "") -> CriterionResponse:
    """A criterion's answers from its table. newer: the form is of format 2 or later, so rows for
    the fields added then (contract.ADDED_IN_2) belong in it; a form of format 1 never had them.
    lang: the form's language, in which messages name its rows ("": Finnish). A row is recognised by
    its label in any language; places name the row by its Finnish label, as compile's checks do."""
    place = f"kriteeri {criterion.number}"
    shown = {f.key: f.label for f in (*form_fields(lang or "fi"), *legacy_fields(lang or "fi"))}
    values: dict[str, str] = {}
    above: Field | None = None  # the question row above, for rows people insert under it
    for cells in rows[1:]:
        if len(cells) < 2:
            continue
        paired = _paired(cells)
        if paired:
            for side, cell in paired:
                if side.key not in values:
                    values[side.key] = _answer(_text(cell))
            continue
        label = _first_line(cells[-2])
        field = _field_of(label)
        _beside_the_answer(file, place, cells, field, problems)
        if field is not None and field.key not in values:
            values[field.key] = _answer(_text(cells[-1]))
            above = field
            continue
        text = _answer(_text(cells[-1]))
        if not text or (field is not None and text == values.get(field.key)):
            continue
        if field is None and not label.strip() and above is not None and above.key != RATING:
            # A row inserted under a question to get more room: its text continues that answer.
            values[above.key] = f"{values[above.key]}\n{text}" if values[above.key] else text
            problems.append(Problem(file, f"{place}, {_place_labels()[above.key]}", say(
                "text typed in a row inserted under '{label}' was read as part of that answer; check that it belongs "
                "there.", label=shown[above.key]), "warning", "text-in-inserted-row"))
            continue
        what = say("a second row '{label}'", label=shown[field.key]) if field is not None else (
            say("a row added to the table ({label})", label=_quote(label)) if label.strip()
            else say("a row added to the table"))
        problems.append(Problem(file, place, say(
            "{what} holds {text}, which is not read: it is not the answer to one of the form's questions. Move it "
            "into the right row.", what=what, text=_quote(text)), "warning", "row-added"))
    missing = [shown[f.key] for f in form_fields("fi") if f.key not in values and (f.key not in ADDED_IN_2 or newer)]
    if missing:
        problems.append(Problem(file, place, say("row(s) missing: {rows}; those answers are empty.",
                                                 rows=", ".join(missing)), "warning", "rows-missing"))
    # A rating and its reason are the workbook's; a form of an earlier kit (or a row typed in) may still
    # have them, and compile compares them with the workbook's.
    parsed = parse_rating(values.get(RATING, ""), catalogue.scale)
    if parsed.error:
        problems.append(Problem(file, f"{place}, Oma arvio", parsed.error, code=parsed.code))
    texts = {f.key: values.get(f.key, "") for f in form_fields("fi")}
    if "reasoning" in values:
        texts["reasoning"] = values["reasoning"]
    places = {key: f"{place}, {_place_labels()[key]}" for key in values if key in _place_labels()}
    return CriterionResponse(criterion.id, criterion.number, parsed.value, parsed.not_applicable,
                             texts=MappingProxyType(texts), place=place, places=MappingProxyType(places))


def _beside_the_answer(file: str, place: str, cells: list[etree._Element], field: Field | None,
                       problems: list[Problem]) -> None:
    """A warning for text typed into a row's label cell (after its label) or into the number column: the
    answer is read from the answer cell only, and what is written beside it must not vanish in silence."""
    typed = []
    if field is not None:
        full = _text(cells[-2])
        rest = full[len(field.label):] if _norm(full[:len(field.label)]) == _norm(field.label) else ""
        if _norm(rest):
            typed.append((say("the label cell of '{label}'", label=field.label), rest))
    if len(cells) >= 3 and _norm(_text(cells[0])):
        typed.append((say("the number column"), _text(cells[0])))
    for where, text in typed:
        problems.append(Problem(file, f"{place}, {_place_labels()[field.key]}" if field else place, say(
            "{text} is typed in {where}, outside the answer cell, so it is not read. Move it into the answer cell on "
            "the right.", text=_quote(text), where=where), "warning", "text-beside-answer"))


def _stray_text(file: str, body: etree._Element, catalogue: Catalogue, problems: list[Problem]) -> None:
    """Warnings for what was typed outside the criteria's tables, where the reader does not look: a paragraph
    under a criterion's table (the kit leaves only an empty one there), text in the criterion's own cell
    beside the criterion's words, and text boxes."""
    numbers = {c.number: c for c in catalogue.criteria}
    headings = {_norm(h) for h in _headings(catalogue)}
    after: Criterion | None = None
    for node in _children_of_body(body):
        if node.tag == W + "tbl":
            rows = [list(_children(row, W + "tc")) for row in _children(node, W + "tr")]
            match = re.fullmatch(r"(\d{1,4})\.?", _text(rows[0][0])) if rows and rows[0] else None
            after = numbers.get(int(match.group(1))) if match else None
            if after is not None and _shows(after, rows):  # a table showing another criterion is said elsewhere
                _criterion_cell(file, after, rows[0][1:], problems)
            continue
        text = _paragraph_text(node).strip()
        style = node.find(f"{W}pPr/{W}pStyle")
        if _norm(text) in headings or (style is not None and re.match(
                r"(heading|otsikko|title)", style.get(W + "val", ""), re.I)):
            after = None
        elif text and after is not None:
            problems.append(Problem(file, f"kriteeri {after.number}", say(
                "{text} is typed under the table of criterion {number}, outside its answer cells, so it is not read. "
                "Move it into the table, into the row it answers.", text=_quote(text), number=after.number),
                "warning", "text-under-table"))
    boxes: list[str] = []
    for box in body.iter(W + "txbxContent"):  # a drawing and its fallback hold the same box: said once
        text = "\n".join(_paragraph_text(p) for p in box.iter(W + "p")).strip()
        if text and text not in boxes:
            boxes.append(text)
            problems.append(Problem(file, "", say(
                "a text box holds {text}, which is not read: answers are read from the criteria's tables. Copy it "
                "into the right answer cell.", text=_quote(text)), "warning", "text-box"))


def _headings(catalogue: Catalogue) -> list[str]:
    """The headings the form writes between the criteria's tables (word/form.py)."""
    out = [e.heading for e in catalogue.elements]
    for area in catalogue.areas:
        out.append(area.name)
        out += [f"{area.name}: {c.subheading}" for c in catalogue.criteria_of(area.id) if c.subheading]
    return [*out, *(wording("documents", lang).pgettext("heading", APPENDIX_CONCEPTS) for lang in LANGUAGES_READ)]


def _criterion_cell(file: str, criterion: Criterion, cells: list[etree._Element], problems: list[Problem]) -> None:
    """A warning for a line typed into the criterion's own cell (its words, items and notes come from the
    kit): it is not an answer."""
    known = [_norm(t) for t in (criterion.text, *(i.text for i in criterion.items), criterion.condition,
                                *_marks()) if t]
    for cell in cells:
        for p in cell.iter(W + "p"):
            line = _norm(_paragraph_text(p))
            if line and not any(line.startswith(k[:40]) or k.startswith(line) for k in known):
                problems.append(Problem(file, f"kriteeri {criterion.number}", say(
                    "{text} is typed into the criterion's own cell, beside its words, so it is not read. Move it into "
                    "the answer row below where it belongs.", text=_quote(_paragraph_text(p))),
                    "warning", "text-in-criterion-cell"))


@functools.cache
def _marks() -> tuple[str, ...]:
    """The kit's own notes in a criterion's cell, in every language: applicability, outside the profile, the
    pointer to the concepts."""
    out: list[str] = []
    for lang in LANGUAGES_READ:
        words = wording("documents", lang)
        out += [*labels(APPLIES_TO, lang).values(), words(NOT_FOR_YOU), words(NOT_FOR_SHOP), words(SEE_CONCEPTS)]
    return tuple(out)


def _paired(cells: list[etree._Element]) -> list[tuple[Field, etree._Element]]:
    """A row of two fields side by side (label, answer, label, answer after the number's cell), as
    (field, answer cell) pairs; [] for any other row. Both labels must be the form's own, so that
    an answer that happens to start with a label's words is never taken for one."""
    if len(cells) < 5:
        return []
    first, second = _field_of(_first_line(cells[-4])), _field_of(_first_line(cells[-2]))
    if first is None or second is None or first.key == second.key or not _label_only(cells[-4], first) \
            or not _label_only(cells[-2], second):
        return []
    return [(first, cells[-3]), (second, cells[-1])]


def _label_only(cell: etree._Element, field: Field) -> bool:
    return _norm(_text(cell)) == _norm(field.label)


def _field_of(label: str) -> Field | None:
    norm = _norm(label)
    for key, field in _field_labels():
        if norm.startswith(key):
            return field
    return None


def _quote(text: str, limit: int = 80) -> str:
    flat = " / ".join(line.strip() for line in text.splitlines() if line.strip())
    return repr(flat if len(flat) <= limit else flat[:limit] + "…")


# --- comments ----------------------------------------------------------------------------------


def _comments(file: str, body: etree._Element, comments: etree._Element | None, catalogue: Catalogue,
              problems: list[Problem]) -> None:
    """Every comment in the form, with where it is (criterion and question): comments are not
    answers, but what a person wrote must not vanish."""
    if comments is None:
        return
    texts = {c.get(W + "id"): "\n".join(_paragraph_text(p) for p in c.iter(W + "p")).strip()
             for c in comments.iter(W + "comment")}
    numbers = {c.number for c in catalogue.criteria}
    seen: set[str | None] = set()
    for anchor in body.iter(W + "commentRangeStart", W + "commentReference"):
        cid = anchor.get(W + "id")
        if cid in seen or not texts.get(cid):
            continue
        seen.add(cid)
        problems.append(Problem(file, _comment_place(anchor, numbers), say(
            "a comment: {text}. Comments are not read as answers; if it belongs to the answer, copy it into the form.",
            text=_quote(texts[cid], 120)), "warning", "comment"))


def _notes(file: str, body: etree._Element, parts: dict[str, etree._Element], catalogue: Catalogue,
           problems: list[Problem]) -> None:
    """Every footnote and endnote a person added, with where its mark is: not answers, never dropped unsaid."""
    numbers = {c.number for c in catalogue.criteria}
    for kind, part in (("footnote", "word/footnotes.xml"), ("endnote", "word/endnotes.xml")):
        root = parts.get(part)
        if root is None:
            continue
        texts = {n.get(W + "id"): "\n".join(_paragraph_text(p) for p in n.iter(W + "p")).strip()
                 for n in root.iter(W + kind) if n.get(W + "type") in (None, "normal")}
        for anchor in body.iter(W + f"{kind}Reference"):
            text = texts.get(anchor.get(W + "id"), "")
            if text:
                problems.append(Problem(file, _comment_place(anchor, numbers), say(
                    "a footnote holds {text}, which is not read as an answer; if it belongs to the answer, write it "
                    "into the answer cell.", text=_quote(text, 120)) if kind == "footnote" else say(
                    "an endnote holds {text}, which is not read as an answer; if it belongs to the answer, write it "
                    "into the answer cell.", text=_quote(text, 120)), "warning", kind))


def _tracked(file: str, body: etree._Element, problems: list[Problem]) -> None:
    """A warning when the form holds tracked changes nobody accepted or rejected: read as if accepted."""
    count = sum(1 for _ in body.iter(W + "ins", W + "del", W + "moveFrom", W + "moveTo"))
    if count:
        problems.append(Problem(file, "", say(
            "the form holds {count} tracked change(s) (Track Changes) not yet accepted or rejected; they were read as "
            "if accepted (inserted text read, deleted text not). If that is not what is meant, accept or reject them "
            "and return the form again.", count=count), "warning", "tracked-changes"))


def _comment_place(anchor: etree._Element, numbers: set[int]) -> str:
    """"kriteeri 7, Perustelut" for a comment in a criterion's table, else ""."""
    cell = table = None
    for node in anchor.iterancestors():
        if node.tag == W + "tc" and cell is None:
            cell = node
        elif node.tag == W + "tbl":
            table = node
    if table is None:
        return ""
    rows = [list(_children(row, W + "tc")) for row in _children(table, W + "tr")]
    match = re.fullmatch(r"(\d{1,4})\.?", _text(rows[0][0])) if rows and rows[0] else None
    if match is None or int(match.group(1)) not in numbers:
        return ""
    place = f"kriteeri {match.group(1)}"
    row = next((cells for cells in rows if cell is not None and any(c is cell for c in cells)), None)
    if row is None or len(row) < 2:
        return place
    field = next((f for f, answer in _paired(row) if answer is cell), None) or _field_of(_first_line(row[-2]))
    return f"{place}, {_place_labels()[field.key]}" if field is not None else place
