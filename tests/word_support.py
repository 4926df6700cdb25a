"""Helpers for the Word tests: contexts, and reading a built .docx back as XML (no tests here)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

from lxml import etree

from auditkit.catalogue import Profile
from auditkit.model import Auditor, DocumentContext, Workshop

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def context(audience: str = "both", learning_environments: bool = True, **changes) -> DocumentContext:
    workshop = Workshop(id="P07", name='Nuorten työpaja Ääri/Reuna "Pilotti"', organisation="Örkkivaaran kaupunki",
                        municipality="Oulu", email="paja@example.fi", profile=Profile(audience, learning_environments))
    ctx = DocumentContext(round_id="2025-kevat", round_name="Kevät 2025", workshop=workshop,
                          kit_id="2025-kevat-P07-self", deadline="2025-06-01", return_to="laatu@example.fi",
                          coordinator="Aino Koordinaattori",
                          auditors=(Auditor("Maija Meikäläinen", "maija@example.fi", "P03", "pääauditoija"),
                                    Auditor("Olli Örn", "olli@example.fi", "P11")))
    return replace(ctx, **changes)


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def body(data: bytes) -> etree._Element:
    return etree.fromstring(parts(data)["word/document.xml"]).find(W + "body")


def text(node: etree._Element) -> str:
    """Visible text: paragraphs on lines, text inside content controls included."""
    return "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in node.iter(W + "p")).strip()


def paragraphs(node: etree._Element) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(W + "t")) for p in node.iter(W + "p")]


def tables(data: bytes) -> list[list[list[etree._Element]]]:
    """The body's tables as rows of cells."""
    return [[row.findall(W + "tc") for row in table.findall(W + "tr")] for table in body(data).findall(W + "tbl")]


def criterion_tables(data: bytes) -> dict[int, list[list[etree._Element]]]:
    """Tables whose first cell is a number, by that number."""
    out = {}
    for rows in tables(data):
        first = text(rows[0][0])
        if first.isdigit():
            assert int(first) not in out, f"two tables numbered {first}"
            out[int(first)] = rows
    return out


def custom_properties(data: bytes) -> dict[str, str]:
    root = etree.fromstring(parts(data)["docProps/custom.xml"])
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
    return {p.get("name"): "".join(p.itertext()) for p in root.iter(ns + "property")}


def all_text(data: bytes) -> str:
    return text(body(data))
