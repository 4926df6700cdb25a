"""What the form writer puts where and the reader looks for: one place both import, so they cannot drift.

A returned form is read from its visible structure (editors drop content-control tags): a table per
criterion whose first cell holds the criterion's number and whose rows start with the labels below;
the data sheet is a table whose first column holds the data-sheet labels.

The labels, prompts and titles are English texts of the documents catalogue, said in the document's
language (`form_rows(lang)`, `form_sheet(lang)`, `title(...)`); the reader accepts each language's
(`LANGUAGES_READ`). The tags of the content controls (`control_tag`) are the same in every language.
FORM_ROWS, FORM_FIELDS and FORM_SHEET are the Finnish tables, for code written before there were languages.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ..i18n import C_, DOCUMENT_LANGUAGES, N_, wording
from ..plan import PLAN_ROLE, PLAN_TITLE  # the development plan's, made with the feedback (word/plan.py)

FORMAT_VERSION = "2"
# Format 1 (before the development plan) had one row "Toimenpiteet" for what, who and by when; its
# text is read as the action, and the owner and due date of its actions are empty.

# The languages a returned document may be in (every language documents are made in; English is the
# code's own): the reader recognises each one's labels and titles.
LANGUAGES_READ: tuple[str, ...] = DOCUMENT_LANGUAGES

# Identity.role of each document (model.ROLES covers the returned ones).
FORM_ROLE = "self"
REPORT_ROLE = "peer"
GLOSSARY_ROLE = "glossary"
CONSOLIDATED_ROLE = "consolidated"
FEEDBACK_ROLE = "feedback"

# Each document's title as its first page shows it (context "document title"), by the role it stands
# for; the audit report's by its audit type.
_TITLE = "document title"
TITLES: dict[str, str] = {
    FORM_ROLE: C_("document title", "Self-assessment form"),
    GLOSSARY_ROLE: C_("document title", "Concepts of workshop activities"),
    CONSOLIDATED_ROLE: C_("document title", "Consolidated report"),
    FEEDBACK_ROLE: C_("document title", "Feedback report"),
    PLAN_ROLE: C_("document title", "Development plan"),
}
REPORT_TITLES: dict[str, str] = {"peer": C_("document title", "Peer audit report"),
                                 "external": C_("document title", "External audit report")}
# The Finnish titles by their old names (the reports of the round use these).
FORM_TITLE = "Itsearviointilomake"
GLOSSARY_TITLE = "Työpajatoiminnan käsitteet"
CONSOLIDATED_TITLE = "Koontiraportti"
FEEDBACK_TITLE = "Palauteraportti"


def title(role: str, lang: str, audit_type: str = "peer") -> str:
    """A document's title in a language: by its role, the audit report's (REPORT_ROLE) by its audit type."""
    words = wording("documents", lang)
    if role == REPORT_ROLE:
        return words.pgettext(_TITLE, REPORT_TITLES.get(audit_type, REPORT_TITLES["peer"]))
    return words.pgettext(_TITLE, TITLES[role])


@functools.cache
def title_roles() -> dict[str, str]:
    """Each document's title as its first page shows it in any language, with the role it stands for: a
    file whose editor dropped its properties (pandoc, AbiWord) is still known by its title."""
    out = {FORM_TITLE: FORM_ROLE, GLOSSARY_TITLE: GLOSSARY_ROLE, CONSOLIDATED_TITLE: CONSOLIDATED_ROLE,
           FEEDBACK_TITLE: FEEDBACK_ROLE, PLAN_TITLE: PLAN_ROLE}
    for lang in LANGUAGES_READ:
        for role in TITLES:
            out[title(role, lang)] = role
        for audit_type in REPORT_TITLES:
            out[title(REPORT_ROLE, lang, audit_type)] = REPORT_ROLE
    return out


# The mark a criterion's cell shows when the criterion is outside the workshop's profile (the form to
# the workshop, the audit report to the auditors): the kit's words, which the reader passes over there.
NOT_FOR_YOU = N_("Does not concern your workshop")
NOT_FOR_SHOP = N_("Does not concern the workshop")
# The pointer to the glossary under a criterion (word/form.py); the reader passes over it too.
SEE_CONCEPTS = N_("See the concepts:")
# The heading of the form's appendix (the reader knows it as a heading between the tables).
APPENDIX_CONCEPTS = C_("heading", "Appendix: Concepts")

RATING = "rating"


@dataclass(frozen=True, slots=True)
class Field:
    """A row of a criterion table: key (in CriterionResponse.texts), label, the placeholder the empty
    control shows (a reader takes it for no answer), minimum height (twips). In the tables below the
    label (context "form field") and placeholder are English texts of the documents catalogue;
    `said(lang)` gives the field as a document in that language shows it."""

    key: str
    label: str
    placeholder: str
    height: int

    def said(self, lang: str) -> Field:
        words = wording("documents", lang)
        return replace(self, label=words.pgettext("form field", self.label),
                       placeholder=words(self.placeholder) if self.placeholder else "")


# The form holds the narrative; the rating and its short reason have their one home in the
# self-assessment workbook (excel/contract.py), so the form does not ask for them. Each tuple is a
# row of the criterion's table: one field (its label, then its answer across the row), or two side
# by side (label, answer, label, answer). The actions' owner and due date are fields of their own so
# that the development plan (kehittämissuunnitelma) gets them as data.
ROWS: tuple[tuple[Field, ...], ...] = (
    (Field("practice", C_("form field", "What do we do in this matter?"),
           N_("Describe your current practices: what is done, who does it and when."), 900),),
    (Field("evidence", C_("form field", "Evidence"), N_("Documents, links and the names of attachments."), 680),),
    (Field("strengths", C_("form field", "Strengths"), N_("What works well?"), 560),),
    (Field("development", C_("form field", "Areas for development"), N_("What needs improving?"), 560),),
    (Field("actions", C_("form field", "Actions"), N_("What will be done to improve the area for development?"),
           560),),
    (Field("owner", C_("form field", "Person responsible"), N_("Who is responsible?"), 400),
     Field("due", C_("form field", "Schedule"), N_("By when?"), 400)),
    (Field("questions", C_("form field", "Questions for the auditors"),
           N_("What would you like the auditors to look at or comment on?"), 560),),
)
TEXT_KEYS: tuple[str, ...] = tuple(f.key for row in ROWS for f in row)
# Fields a form of format 1 does not have: their rows missing there is no problem.
ADDED_IN_2: frozenset[str] = frozenset({"owner", "due"})
# Prompts of earlier formats (Finnish: there were no others then): a form of an earlier kit that still
# shows one holds no answer there.
LEGACY_PLACEHOLDERS: tuple[str, ...] = ("Mitä tehdään, kuka vastaa, mihin mennessä.",)
# Rows a form of an earlier kit has (or a person adds): still read, and compile compares them with the
# workbook's answers.
LEGACY: tuple[Field, ...] = (
    Field(RATING, C_("form field", "Own rating"), N_("Choose a rating."), 0),
    Field("reasoning", C_("form field", "Reasons"), N_("Why this rating? Not applicable always needs a reason."), 560),
)


@dataclass(frozen=True, slots=True)
class SheetRow:
    """A row of a data sheet. fill: the workshop fills it in (a control); else the tool prints a value.
    label (context "data sheet") and placeholder: English texts, `said(lang)` in a language."""

    key: str
    label: str
    fill: bool = False
    placeholder: str = ""

    def said(self, lang: str) -> SheetRow:
        words = wording("documents", lang)
        return replace(self, label=words.pgettext("data sheet", self.label),
                       placeholder=words(self.placeholder) if self.placeholder else "")


SHEET: tuple[SheetRow, ...] = (
    SheetRow("workshop", C_("data sheet", "Workshop"), False, N_("The workshop's name.")),
    SheetRow("organisation", C_("data sheet", "Organization"), True, N_("Maintaining or parent organisation.")),
    SheetRow("contact", C_("data sheet", "Contact person"), True, N_("Name, email, phone.")),
    SheetRow("group", C_("data sheet", "Self-assessment group"), True, N_("Names and roles.")),
    SheetRow("dates", C_("data sheet", "Time of the self-assessment"), True, N_("dd.mm.yyyy–dd.mm.yyyy")),
    SheetRow("profile", C_("data sheet", "Workshop profile")),
    SheetRow("audit_type", C_("data sheet", "Audit model")),
    SheetRow("round", C_("data sheet", "Assessment round")),
    SheetRow("return", C_("data sheet", "Return")),
    SheetRow("content_version", C_("data sheet", "Version of the criteria")),
    SheetRow("kit_id", C_("data sheet", "Code")),
)


@functools.cache
def form_rows(lang: str) -> tuple[tuple[Field, ...], ...]:
    """The criterion table's rows as a form in a language shows them."""
    return tuple(tuple(f.said(lang) for f in row) for row in ROWS)


@functools.cache
def form_fields(lang: str) -> tuple[Field, ...]:
    """The criterion table's fields in order, in a language."""
    return tuple(f for row in form_rows(lang) for f in row)


@functools.cache
def legacy_fields(lang: str) -> tuple[Field, ...]:
    """The rows of earlier kits' forms (a rating and its reasons), in a language."""
    return tuple(f.said(lang) for f in LEGACY)


@functools.cache
def form_sheet(lang: str) -> tuple[SheetRow, ...]:
    """The form's data sheet rows, in a language."""
    return tuple(row.said(lang) for row in SHEET)


@functools.cache
def placeholders() -> frozenset[str]:
    """Every prompt an empty field of a form shows, in every language a form is read in."""
    out = set(LEGACY_PLACEHOLDERS)
    for lang in LANGUAGES_READ:
        out.update(f.placeholder for f in (*form_fields(lang), *legacy_fields(lang)))
        out.update(r.placeholder for r in form_sheet(lang) if r.placeholder)
    return frozenset(out)


_FINNISH: dict[str, Callable[[], Any]] = {
    "FORM_ROWS": lambda: form_rows("fi"), "FORM_FIELDS": lambda: form_fields("fi"),
    "LEGACY_FIELDS": lambda: legacy_fields("fi"), "FORM_SHEET": lambda: form_sheet("fi"),
    "PLACEHOLDERS": placeholders, "TITLE_ROLES": title_roles}


def __getattr__(name: str) -> Any:
    """The Finnish tables by their old names, PLACEHOLDERS (every language's) and TITLE_ROLES, made when
    first asked for (the catalogue is read then)."""
    if name in _FINNISH:
        value = _FINNISH[name]()
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def control_tag(number: int, key: str) -> str:
    """The tag of a criterion's control (for Word users' macros; editors may drop it)."""
    return f"auditkit:{number}:{key}"
