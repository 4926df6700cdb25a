"""Every .docx auditkit writes, and reading answers back from returned forms.

build_form, build_audit_report and build_glossary return a kit document's bytes; read_form reads a
returned self-assessment form and fill_form fills one as a person would (the demo's returns);
build_consolidated_report and build_feedback_report write a compiled round's reports.
contract.py is what writer and reader agree on. Each name is loaded from its module when first used,
so that importing one module of the package does not load every writer (and matplotlib).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import attributes

if TYPE_CHECKING:
    from .consolidated import build_consolidated_report
    from .feedback import build_feedback_report
    from .fill import fill_form
    from .form import build_form
    from .glossary import build_glossary
    from .readback import read_form
    from .report import build_audit_report

_HOMES = {"build_audit_report": "report", "build_consolidated_report": "consolidated",
          "build_feedback_report": "feedback", "build_form": "form", "build_glossary": "glossary",
          "fill_form": "fill", "read_form": "readback"}
__all__ = ["build_audit_report", "build_consolidated_report", "build_feedback_report", "build_form", "build_glossary", "fill_form", "read_form"]
__getattr__ = attributes(__name__, _HOMES, globals())
