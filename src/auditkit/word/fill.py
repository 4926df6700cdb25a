"""Filling a kit's self-assessment form as a person typing in Word would: the demo's simulated returns.

Only word/document.xml is rewritten (every other part is copied as it is), so the identity, styles and
the data sheet stay exactly as the kit made them. Each answer goes into its criterion's content
control the way Word saves typed text: the placeholder flag goes, the text replaces the grey
placeholder, lines are separated by breaks. A rating or reason, which the form no longer asks for,
goes into a row added to the criterion's table ("Oma arvio", "Perustelut"; in a Swedish form "Egen
bedömning", "Motivering"), as a person who adds the row would, or as a form of an earlier kit had it.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Mapping

from lxml import etree

from ..catalogue import Catalogue, require_criteria
from ..errors import UsageError
from ..outputs import XML_FORBIDDEN
from ..packages import rewrite, set_modified
from .contract import LANGUAGES_READ, LEGACY, RATING, TEXT_KEYS, control_tag, legacy_fields
from .ooxml import typed_run

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DC = "{http://purl.org/dc/elements/1.1/}"
_DOCUMENT = "word/document.xml"
_KEYS = (*TEXT_KEYS, *(f.key for f in LEGACY))
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


def fill_form(package: bytes, catalogue: Catalogue, answers: Mapping[int, Mapping[str, str]], *,
              saved_at: str | None = None, lang: str | None = None) -> bytes:
    """Return a copy of a kit's self-assessment form with answers typed into its criterion tables.

    answers: criterion number -> {field key: text}, the keys being those read_form returns
    ("practice", "evidence", "strengths", "development", "actions", "owner", "due", "questions"), and
    "rating" (a drop-down label such as "3 – Kehittynyt", or any text) and "reasoning", typed into rows
    added to the criterion's table. An empty text leaves the field as the kit made it. saved_at: an ISO time to record
    as the file's last save (docProps/core.xml); by default it is left as the kit made it. lang: the
    language of the added rows' labels (default: the form's own, from its properties; else Finnish).
    Raises ValueError for a package that is not a kit's form, an unknown criterion number or field key.
    """
    require_criteria(catalogue, answers)
    wrong = sorted({key for fields in answers.values() for key in fields if key not in _KEYS})
    if wrong:
        raise UsageError(f"a form has no field {', '.join(map(repr, wrong))}; use {', '.join(_KEYS)}")
    try:
        source = zipfile.ZipFile(io.BytesIO(package))
    except zipfile.BadZipFile:
        raise UsageError("the package is not a .docx file; give a form of a kit") from None
    with source:
        if _DOCUMENT not in source.namelist():
            raise UsageError("the package has no word/document.xml; give a form of a kit")
        root = etree.fromstring(source.read(_DOCUMENT), _PARSER)
        if lang is None:
            lang = _language(source)
        legacy = {f.key: f.label for f in legacy_fields(lang)}
        _type_answers(root, answers, catalogue.scale.choices, legacy)
        document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

        def change(name: str, data: bytes) -> bytes:
            if name == _DOCUMENT:
                return document
            if saved_at is not None and name == "docProps/core.xml":
                return set_modified(data, saved_at)
            return data

        return rewrite(source, change, compresslevel=1)


def _language(source: zipfile.ZipFile) -> str:
    """The form's language as its properties say it (dc:language, "sv-FI"); Finnish when they do not."""
    try:
        core = etree.fromstring(source.read("docProps/core.xml"), _PARSER)
    except (KeyError, etree.XMLSyntaxError):
        return "fi"
    found = core.find(DC + "language")
    code = (found.text or "").split("-")[0].casefold() if found is not None else ""
    return code if code in LANGUAGES_READ else "fi"


def _type_answers(root: etree._Element, answers: Mapping[int, Mapping[str, str]], choices: tuple[str, ...],
                  legacy: Mapping[str, str]) -> None:
    controls: dict[str, etree._Element] = {}
    for sdt in root.iter(W + "sdt"):
        tag = sdt.find(f"{W}sdtPr/{W}tag")
        if tag is not None:
            controls.setdefault(tag.get(W + "val", ""), sdt)
    for number, fields in answers.items():
        for key, value in fields.items():
            text = XML_FORBIDDEN.sub("", value)
            if not text:
                continue
            control = controls.get(control_tag(number, key))
            if control is None and key in legacy:
                _add_row(controls, number, legacy[key], text)
                continue
            if control is None:
                raise UsageError(f"the form has no control for criterion {number}, field {key!r}; give a form of a kit")
            if key == RATING and text not in choices:  # a form with a rating drop-down (an earlier kit's)
                _parent(control).replace(control, typed_run(text))  # typed over the deleted drop-down
                continue
            props = _child(control, "sdtPr")
            shown = props.find(W + "showingPlcHdr")
            if shown is not None:
                props.remove(shown)
            listing = props.find(W + "dropDownList")
            if listing is not None:
                listing.set(W + "lastValue", text)  # Word records the chosen item's value
            content = _child(control, "sdtContent")
            for child in list(content):
                content.remove(child)
            content.append(typed_run(text))


def _add_row(controls: dict[str, etree._Element], number: int, label: str, text: str) -> None:
    """A row added at the end of the criterion's table: its label, and the text typed beside it."""
    last = controls.get(control_tag(number, TEXT_KEYS[-1]))
    if last is None:
        raise UsageError(f"the form has no table for criterion {number}; give a form of a kit")
    row = next(a for a in last.iterancestors(W + "tr"))
    added = copy.deepcopy(row)
    label_cell, answer_cell = added.findall(W + "tc")[-2:]
    for cell, content in ((label_cell, label), (answer_cell, text)):
        paragraph = _child(cell, "p")
        for child in list(paragraph):
            if child.tag != W + "pPr":
                paragraph.remove(child)
        for extra in cell.findall(W + "p")[1:]:
            cell.remove(extra)
        paragraph.append(typed_run(content))
    _parent(row).append(added)  # after the table's last row


def _child(element: etree._Element, tag: str) -> etree._Element:
    """The first w:tag child of an element of a kit's form (which always has it)."""
    found = element.find(W + tag)
    if found is None:
        raise UsageError(f"the form has a <w:{element.tag.rpartition('}')[2]}> without <w:{tag}>; give a form of a kit")
    return found


def _parent(element: etree._Element) -> etree._Element:
    parent = element.getparent()
    if parent is None:
        raise UsageError("the form's document has a control outside its body; give a form of a kit")
    return parent
