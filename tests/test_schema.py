"""Schema check: what auditkit writes has no openxml-audit finding beyond a blank python-docx or
openpyxl file's (issue 7). Findings are compared by kind: message and part, numbers folded."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from auditkit.catalogue import Profile
from auditkit.excel import build_workbook
from auditkit.excel.tables import Sheet, write_tables
from auditkit.model import Auditor, DocumentContext, Workshop
from auditkit.word import build_audit_report, build_form, build_glossary

audit = pytest.importorskip("openxml_audit", reason="openxml-audit is in the test extra: pip install '.[test]'")


def kinds(path: Path) -> set[tuple[str, str, str]]:
    result = audit.OpenXmlValidator().validate(str(path))
    out = set()
    for e in result.errors:
        description = re.sub(r"\d+", "#", str(getattr(e, "description", e)))
        part = re.sub(r"\d+", "#", str(getattr(e, "part_uri", "") or ""))
        out.add((str(getattr(e, "severity", "")), description, part))
    return out


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> dict[str, set]:
    folder = tmp_path_factory.mktemp("blank")
    Document().save(folder / "blank.docx")
    openpyxl.Workbook().save(folder / "blank.xlsx")
    return {".docx": kinds(folder / "blank.docx"), ".xlsx": kinds(folder / "blank.xlsx")}


def context(role: str = "self", audit_type: str = "peer") -> DocumentContext:
    return DocumentContext("2026-syksy", "Syksy 2026", Workshop("P07", 'Työpaja "Ääri" & Reuna', "Org",
                                                                  profile=Profile("both", True)),
                           audit_type=audit_type, role=role, kit_id="P07-x", deadline="2026-12-01",
                           auditors=(Auditor("Aino A", role="pääauditoija"), Auditor("Bo B")))


def test_generated_documents_add_no_findings(tmp_path: Path, catalogue, baseline) -> None:
    documents = {
        "form.docx": build_form(catalogue, context()),
        "report.docx": build_audit_report(catalogue, context("peer")),
        "external.docx": build_audit_report(catalogue, context("peer", "external")),
        "glossary.docx": build_glossary(catalogue, context()),
        "self.xlsx": build_workbook(catalogue, context()),
        "peer.xlsx": build_workbook(catalogue, context("peer")),
    }
    for name, data in documents.items():
        (tmp_path / name).write_bytes(data)
    write_tables(tmp_path / "tables.xlsx", [Sheet("Taulu", ["a", "b"], [["=1+1", 2], ["teksti", None]])])
    extra = {}
    for path in sorted(tmp_path.iterdir()):
        found = kinds(path) - baseline[path.suffix]
        if found:
            extra[path.name] = sorted(found)
    assert extra == {}


def test_the_round_reports_add_no_findings(tmp_path: Path, catalogue, baseline) -> None:
    """The consolidated report (its contents field, shaded proposals, pictures), a feedback report and a
    development plan (landscape, its workbook with a drop-down and an identity)."""
    from auditkit.excel import build_consolidated_workbook
    from auditkit.excel.plan import build_plan_workbook
    from auditkit.plan import development_plan
    from auditkit.word import build_consolidated_report, build_feedback_report
    from auditkit.word.plan import build_plan_report
    from round_support import compiled_round

    result = compiled_round(catalogue, tmp_path / "round", 4, missing=(("P002", "self"),))
    (tmp_path / "koontiraportti.docx").write_bytes(build_consolidated_report(catalogue, result))
    (tmp_path / "palaute.docx").write_bytes(build_feedback_report(catalogue, result, result.workshops[1]))
    (tmp_path / "koonti.xlsx").write_bytes(build_consolidated_workbook(catalogue, result))
    plan = development_plan(catalogue, result.workshops[0])
    (tmp_path / "suunnitelma.docx").write_bytes(build_plan_report(catalogue, result, plan, workbook_name="x.xlsx"))
    (tmp_path / "suunnitelma.xlsx").write_bytes(build_plan_workbook(catalogue, plan, round_id=result.round_id))
    extra = {p.name: sorted(kinds(p) - baseline[p.suffix]) for p in sorted(tmp_path.glob("*.*"))}
    assert {name: found for name, found in extra.items() if found} == {}
