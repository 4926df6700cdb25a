"""Every text a person reads in a file auditkit writes, per file: for scanning outputs for words of the
wrong language. Word: the body, headers, footers, footnotes, comments, content controls' placeholders
and list items, the title and subject; Excel: sheet names, cells (shared and inline strings), comments,
data validation prompts and error messages, chart titles, the title; text and CSV files whole."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WORD_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments|glossary/document)\.xml")
_EXCEL_PARTS = re.compile(r"xl/(sharedStrings|worksheets/sheet\d+|comments\d*|charts/chart\d+|workbook)\.xml")


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))


def _word(z: zipfile.ZipFile) -> Iterator[str]:
    for name in z.namelist():
        if not _WORD_PARTS.fullmatch(name):
            continue
        root = _xml(z.read(name))
        for p in root.iter(f"{_W}p"):
            text = "".join(t.text or "" for t in p.iter(f"{_W}t", f"{_W}delText", f"{_W}instrText")
                           if t.tag != f"{_W}instrText")
            if text.strip():
                yield text
        for item in root.iter(f"{_W}listItem"):
            yield item.get(f"{_W}displayText") or ""
        for alias in root.iter(f"{_W}alias"):
            yield alias.get(f"{_W}val") or ""
        for node in root.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
            yield node.get("descr") or ""


def _hidden_sheets(z: zipfile.ZipFile) -> set[str]:
    """The parts of the sheets nobody sees (state hidden or veryHidden: the identity sheet)."""
    book = _xml(z.read("xl/workbook.xml"))
    rels = _xml(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "").lstrip("/").removeprefix("xl/") for r in rels}
    r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return {f"xl/{targets.get(sheet.get(r_id), '')}" for sheet in book.iter("{*}sheet")
            if sheet.get("state") in ("hidden", "veryHidden")}


def _excel(z: zipfile.ZipFile) -> Iterator[str]:
    names = set(z.namelist())
    hidden = _hidden_sheets(z)
    shared: list[str] = []
    if "xl/sharedStrings.xml" in names:
        shared = ["".join(t.text or "" for t in si.iter("{*}t"))
                  for si in _xml(z.read("xl/sharedStrings.xml")).iter("{*}si")]
    for sheet in _xml(z.read("xl/workbook.xml")).iter("{*}sheet"):
        if sheet.get("state") not in ("hidden", "veryHidden"):
            yield sheet.get("name") or ""
    for name in sorted(names):
        if not _EXCEL_PARTS.fullmatch(name) or name in hidden or name in ("xl/sharedStrings.xml", "xl/workbook.xml"):
            continue
        root = _xml(z.read(name))
        if name.startswith("xl/worksheets/"):
            for c in root.iter("{*}c"):
                kind, v = c.get("t"), c.find("{*}v")
                if kind == "s" and v is not None and v.text:
                    yield shared[int(v.text)]
                elif kind == "inlineStr":
                    yield "".join(t.text or "" for t in c.iter("{*}t"))
                elif kind == "str" and v is not None and v.text:
                    yield v.text
            for dv in root.iter("{*}dataValidation"):
                for key in ("promptTitle", "prompt", "errorTitle", "error"):
                    if dv.get(key):
                        yield dv.get(key) or ""
                formula = dv.find("{*}formula1")
                if formula is not None and formula.text and formula.text.startswith('"'):
                    yield formula.text.strip('"')
        else:  # comments, chart titles
            for t in root.iter("{*}t"):
                if t.text and t.text.strip():
                    yield t.text


def _core(z: zipfile.ZipFile) -> Iterator[str]:
    if "docProps/core.xml" in z.namelist():
        root = _xml(z.read("docProps/core.xml"))
        for node in root:
            if etree.QName(node).localname in ("title", "subject") and node.text:
                yield node.text


def visible_texts(path: Path) -> list[str]:
    """The texts a person reads in one file (an empty list for a kind not read here)."""
    suffix = path.suffix.lower()
    if suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as z:
            return [*(_word(z) if suffix == ".docx" else _excel(z)), *_core(z)]
    if suffix in (".txt", ".csv", ".md"):
        return path.read_text(encoding="utf-8-sig").splitlines()
    return []


def words_found(folder: Path, stop_list: tuple[str, ...], *, skip: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Per file (relative name) the texts containing a word of the stop list (matched as ' text ')."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if not path.is_file() or any(part in rel for part in skip):
            continue
        for text in visible_texts(path):
            padded = f" {text} "
            hits = [word for word in stop_list if word in padded]
            if hits:
                found.setdefault(rel, []).append(f"{hits}: {text[:160]}")
    return found
