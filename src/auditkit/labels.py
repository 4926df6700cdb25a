"""The labels of auditkit's codes (roles, documents, statuses, profiles) in any language, one table each.

Every table that turns a code into words a person reads lives here, so that a label is said the same
way in every document. The tables hold English texts marked for the messages catalogue, each table
with its own context (the same English word may be two Finnish ones); `label(TABLE, code, lang)` says
one in a language, `labels(TABLE, lang)` a whole table. The *_FI names are the Finnish tables, for
code written before the tables had languages (new code: `label(..., lang)`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .i18n import C_, wording


@dataclass(frozen=True, slots=True)
class Table:
    """A table of labels: its context in the catalogue and its English texts by code."""

    context: str
    texts: Mapping[str, str]


AUDIT_TYPE = Table("audit type", {"peer": C_("audit type", "Peer audit"),
                                  "external": C_("audit type", "External audit")})
AUDIENCE = Table("audience", {"youth": C_("audience", "young people"), "adult": C_("audience", "adults"),
                              "both": C_("audience", "young people and adults")})
ROLE = Table("role", {"self": C_("role", "self-assessment"), "peer": C_("role", "audit"),
                      "form": C_("role", "self-assessment form")})
APPLIES_TO = Table("applies to", {
    "youth": C_("applies to", "Concerns workshop activities for young people."),
    "adult": C_("applies to", "Concerns workshop activities for adults."),
    "learning-environments": C_("applies to", "Concerns workshops with learning environments (opinnollistaminen)."),
})
# The file a role's answers come in, as a person names it.
ROLE_FILE = Table("role file", {"self": C_("role file", "self-assessment workbook"),
                                "peer": C_("role file", "audit workbook"),
                                "form": C_("role file", "self-assessment form")})
# The same, as "from the ..." (Finnish says it with an ending: itsearviointitaulukosta).
ROLE_FROM = Table("role from", {"self": C_("role from", "from the self-assessment workbook"),
                                "form": C_("role from", "from the self-assessment form"),
                                "peer": C_("role from", "from the audit workbook")})
# What a document that comes back with the returns but holds no answers is, by its role (compile's note).
RECEIVED = Table("received", {
    "glossary": C_("received", "concepts"), "peer": C_("received", "audit report"),
    "feedback": C_("received", "feedback report"), "consolidated": C_("received", "consolidated report"),
    "plan": C_("received", "development plan"), "letter": C_("received", "letter"),
    "manifest": C_("received", "list"), "choices": C_("received", "choices"),
    "form-copy": C_("received", "PDF copy of the form"),
})
DOCUMENT = Table("document", {
    "form": C_("document", "self-assessment form"), "workbook-self": C_("document", "self-assessment"),
    "glossary": C_("document", "concepts"), "report": C_("document", "audit report"),
    "workbook-peer": C_("document", "audit"), "letter": C_("document", "cover letter"),
    "zip": C_("document", "package"), "notice": C_("document", "notice"),
    "returned": C_("document", "returned self-assessment"),
    "form-pdf": C_("document", "self-assessment form (PDF)"), "glossary-pdf": C_("document", "concepts (PDF)"),
    "report-pdf": C_("document", "audit report (PDF)"),
})
# An auditor's role in a team (the code is the role's Finnish word, as the registers and jaot.csv have it).
AUDITOR_ROLE = Table("auditor role", {"pääauditoija": C_("auditor role", "lead auditor"),
                                      "auditoija": C_("auditor role", "auditor")})
SEVERITY = Table("severity", {"error": C_("severity", "error"), "warning": C_("severity", "warning")})
STATUS = Table("file status", {
    "used": C_("file status", "used"), "duplicate": C_("file status", "duplicate, not used"),
    "refused": C_("file status", "refused"), "unreadable": C_("file status", "not readable"),
    "ignored": C_("file status", "passed over"), "read": C_("file status", "read"),
    "conflict": C_("file status", "versions differ, no choice made"),
    "received": C_("file status", "received (no answers)"),
})
KIND = Table("file kind", {"workbook": C_("file kind", "workbook"), "form": C_("file kind", "form"),
                           "other": C_("file kind", "other")})
CONCEPT_KIND = Table("concept kind", {"core": C_("concept kind", "Core concept"),
                                      "key": C_("concept kind", "Key concept"),
                                      "other": C_("concept kind", "Other concept")})
KIND_HEADING = Table("concept heading", {"core": C_("concept heading", "Core concepts"),
                                         "key": C_("concept heading", "Key concepts"),
                                         "other": C_("concept heading", "Other concepts")})


def label(table: Table, code: str, lang: str | None = None) -> str:
    """A code's label in a language (default: the current one); a code the table lacks comes back as it is."""
    text = table.texts.get(code)
    return code if text is None else wording("messages", lang).pgettext(table.context, text)


def labels(table: Table, lang: str | None = None) -> dict[str, str]:
    """A whole table in a language, in its order."""
    words = wording("messages", lang)
    return {code: words.pgettext(table.context, text) for code, text in table.texts.items()}


_FINNISH = {"AUDIT_TYPE_FI": AUDIT_TYPE, "AUDIENCE_FI": AUDIENCE, "ROLE_FI": ROLE, "APPLIES_TO_FI": APPLIES_TO,
            "ROLE_LABEL": ROLE_FILE, "ROLE_FROM_FI": ROLE_FROM, "RECEIVED_FI": RECEIVED, "DOCUMENT_FI": DOCUMENT,
            "SEVERITY_FI": SEVERITY, "STATUS_FI": STATUS, "KIND_FI": KIND, "CONCEPT_KIND_FI": CONCEPT_KIND,
            "KIND_HEADINGS": KIND_HEADING}


def __getattr__(name: str) -> dict[str, str]:
    """The Finnish tables by their old names (made when first asked for: the catalogue is read then)."""
    if name in _FINNISH:
        table = labels(_FINNISH[name], "fi")
        globals()[name] = table
        return table
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
