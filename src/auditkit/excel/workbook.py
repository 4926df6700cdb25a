"""Building the scoring workbooks: the self-assessment (role "self") and the auditor's (role "peer").

Sheets: Ohje (how to fill, the scale, the deadline), Arviointi (a row per criterion), Yhteenveto
(live means, counts and a chart), Käsitteet (the glossary), and two hidden ones: the drop-down lists
and the identity. The layout comes from contract.py, which the reader shares.
"""

from __future__ import annotations

import io
import os
import re
from typing import Any, cast

from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.worksheet import Worksheet

from ..catalogue import Catalogue
from ..errors import UsageError
from ..model import AUDIT_PHASE, DocumentContext, Returned
from . import contract as k
from .layout import growing_rows, print_setup
from .book import Book, SheetWriter, basename
from .concepts import ConceptsSheet
from .guide import GuideSheet
from .package import tidy
from .ratings import RatingsSheet
from .style import as_text
from .summary import SummarySheet

# Office keeps at most 255 characters of a custom document property's text.
_PROPERTY_CHARS = 255


def build_workbook(catalogue: Catalogue, ctx: DocumentContext, *, prefill: Returned | None = None,
                   templates: str | os.PathLike[str] | None = None) -> bytes:
    """Build the scoring workbook for ctx.role ("self": the workshop's self-assessment; "peer": the
    auditors') and return the .xlsx file's bytes.

    prefill: for role "peer", the workshop's returned self-assessment (from read_workbook); its
    ratings and reasoning are shown read-only beside the auditor's columns. Every string from ctx and
    prefill is written verbatim as text, each value whole in one cell. Raises ValueError for an
    unknown role.
    """
    if ctx.role not in k.LAYOUTS:
        raise UsageError(f"unknown role {ctx.role!r}; use one of {', '.join(k.ROLES)}")
    return _Builder(Book(catalogue, ctx, prefill if ctx.role == "peer" else None, templates)).build()


class _Builder(SheetWriter):
    """Builds the workbook: each sheet by its writer, the hidden lists and identity here."""

    def build(self) -> bytes:
        wb = self.wb
        guide = wb.worksheets[0]
        guide.title = k.sheet_name("guide", self.lang)
        ratings = wb.create_sheet(k.sheet_name("ratings", self.lang))
        summary = wb.create_sheet(k.sheet_name("summary", self.lang))
        glossary = wb.create_sheet(k.sheet_name("glossary", self.lang))
        lists = wb.create_sheet(k.SHEET_LISTS)
        identity = wb.create_sheet(k.SHEET_IDENTITY)
        self._lists(lists)
        RatingsSheet(self.book).write(ratings)  # first: the summary's formulas range over its rows
        SummarySheet(self.book).write(summary)
        GuideSheet(self.book).write(guide)
        ConceptsSheet(self.book).write(glossary)
        self._identity(identity)
        for ws in (guide, ratings, summary, glossary):
            # The auditor's table has twice the columns: on A4 its text would print at about 5 pt.
            print_setup(ws, a3=ws is ratings and self.role == "peer", one_page=ws is summary,
                        footer_left=self.ctx.workshop.name, footer_right=self.ctx.round_name, lang=self.lang)
        for ws in (lists, identity):
            ws.sheet_state = "veryHidden"
            ws.protection.sheet = True
        wb.active = 0
        wb.security = WorkbookProtection(lockStructure=True)
        title = f"{self.cat.meta.title} – {k.role_title(self.role, self.lang).lower()}"
        wb.properties.title = title
        wb.properties.language = self.w.tag  # dc:language: fi-FI, sv-FI
        wb.properties.creator = "auditkit"
        wb.properties.subject = self.cat.meta.subtitle
        out = io.BytesIO()
        wb.save(out)
        typed_rows = {f"xl/worksheets/sheet{wb.worksheets.index(ratings) + 1}.xml": set(self.book.table_rows.values())}
        return _utf8_package(out.getvalue(), typed_rows)

    def _lists(self, ws: Worksheet) -> None:
        scale = self.cat.scale
        n = len(scale.choices)
        values: list[int | str] = [*scale.values, scale.not_applicable.code]
        for i, (label, value) in enumerate(zip(scale.choices, values), 1):
            ws.cell(i, 1, label)
            ws.cell(i, 2, value)
        choices = k.acceptance(self.lang)
        for i, choice in enumerate(choices, 1):
            ws.cell(i, 3, choice)
        names = {
            k.NAME_RATINGS: f"'{k.SHEET_LISTS}'!$A$1:$A${n}",
            k.NAME_RATING_VALUES: f"'{k.SHEET_LISTS}'!$B$1:$B${n}",
            k.NAME_ACCEPTANCE: f"'{k.SHEET_LISTS}'!$C$1:$C${len(choices)}",
        }
        for name, ref in names.items():
            self.wb.defined_names[name] = DefinedName(name, attr_text=ref)

    def _identity(self, ws: Worksheet) -> None:
        values = self._identity_values()
        ws.append(k.IDENTITY_HEADER)
        for row, key in enumerate(k.IDENTITY_KEYS, 2):
            ws.cell(row, 1, key)
            as_text(ws.cell(row, 2), values[key])
            cast(Any, self.wb).custom_doc_props.append(StringProperty(name=key, value=values[key]))  # not in the stubs
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 60

    def _identity_values(self) -> dict[str, str]:
        ctx = self.ctx
        prefill = self.prefill
        name = basename(prefill.file) if prefill else ""
        shown = f"{name} ({prefill.saved_at})" if prefill and prefill.saved_at else name
        return {
            "phase": AUDIT_PHASE if prefill is not None else "",
            "prefilled_from": shown[:_PROPERTY_CHARS],
            "format_version": k.FORMAT_VERSION,
            "content_version": self.cat.version,
            "content_hash": self.cat.hash,
            "round_id": ctx.round_id,
            "workshop_id": ctx.workshop.id,
            "workshop_name": ctx.workshop.name,
            "role": ctx.role,
            "kit_id": ctx.kit_id,
            "round_instance": ctx.round_instance,
        }


_CHAR_REF = re.compile(rb"&#(x[0-9a-fA-F]+|[0-9]+);")

def _utf8_package(data: bytes, typed_rows: dict[str, set[int]] | None = None) -> bytes:
    """Rewrite the package's XML parts with characters as UTF-8 instead of numeric references.

    openpyxl (with lxml) writes every non-ASCII character as "&#228;". Kit generation stamps each
    workshop's values into a copy by replacing placeholder text in the XML, so each value must be
    there as plain UTF-8 text. Parts without an XML declaration are UTF-8 by definition. The same
    pass tidies the package (package.tidy: shared strings, fonts in schema order) and lets the rows
    in typed_rows (sheet part -> row numbers) grow with what people type.
    """

    def decode(match: re.Match[bytes]) -> bytes:
        ref = match.group(1)
        code = int(ref[1:], 16) if ref[:1] == b"x" else int(ref)
        if code < 0x80 or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            return match.group(0)
        return chr(code).encode("utf-8")

    def change(name: str, part: bytes) -> bytes:
        if typed_rows and name in typed_rows:
            part = growing_rows(part, typed_rows[name])
        if name.endswith((".xml", ".rels")) and b"&#" in part:
            head = part[:100]
            if not head.startswith(b"<?xml") or b"utf-8" in head.lower() or b"encoding" not in head:
                return _CHAR_REF.sub(decode, part)
        return part

    return tidy(data, change)
