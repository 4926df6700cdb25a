"""What the form writer puts where and the reader looks for: one place both import, so they cannot drift.

A returned form is read from its visible structure (editors drop content-control tags): a table per
criterion whose first cell holds the criterion's number and whose rows start with the labels below;
the data sheet is a table whose first column holds the data-sheet labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..plan import PLAN_ROLE, PLAN_TITLE  # the development plan's, made with the feedback (word/plan.py)

FORMAT_VERSION = "2"
# Format 1 (before the development plan) had one row "Toimenpiteet" for what, who and by when; its
# text is read as the action, and the owner and due date of its actions are empty.

FORM_TITLE = "Itsearviointilomake"
GLOSSARY_TITLE = "Työpajatoiminnan käsitteet"
REPORT_TITLES = {"peer": "Vertaisauditointiraportti", "external": "Ulkoisen auditoinnin raportti"}
CONSOLIDATED_TITLE = "Koontiraportti"
FEEDBACK_TITLE = "Palauteraportti"

# Identity.role of each document (model.ROLES covers the returned ones).
FORM_ROLE = "self"
REPORT_ROLE = "peer"
GLOSSARY_ROLE = "glossary"
CONSOLIDATED_ROLE = "consolidated"
FEEDBACK_ROLE = "feedback"

# Each document's title as its first page shows it, and the role it stands for: a file whose editor
# dropped its properties (pandoc, AbiWord) is still known by its title.
TITLE_ROLES: dict[str, str] = {
    FORM_TITLE: FORM_ROLE,
    **{title: REPORT_ROLE for title in REPORT_TITLES.values()},
    GLOSSARY_TITLE: GLOSSARY_ROLE,
    CONSOLIDATED_TITLE: CONSOLIDATED_ROLE,
    FEEDBACK_TITLE: FEEDBACK_ROLE,
    PLAN_TITLE: PLAN_ROLE,
}

# The mark a criterion's cell shows when the criterion is outside the workshop's profile (the form to
# the workshop, the audit report to the auditors): the kit's words, which the reader passes over there.
NOT_FOR_YOU = "Ei koske työpajaanne"
NOT_FOR_SHOP = "Ei koske työpajaa"

RATING = "rating"


@dataclass(frozen=True, slots=True)
class Field:
    """A row of a criterion table: key (in CriterionResponse.texts), label, the placeholder the empty
    control shows (a reader takes it for no answer), minimum height (twips)."""

    key: str
    label: str
    placeholder: str
    height: int


# The form holds the narrative; the rating and its short reason have their one home in the
# self-assessment workbook (excel/contract.py), so the form does not ask for them. Each tuple is a
# row of the criterion's table: one field (its label, then its answer across the row), or two side
# by side (label, answer, label, answer). The actions' owner and due date are fields of their own so
# that the development plan (kehittämissuunnitelma) gets them as data.
FORM_ROWS: tuple[tuple[Field, ...], ...] = (
    (Field("practice", "Mitä me teemme tässä asiassa?",
           "Kuvatkaa nykyiset käytännöt: mitä tehdään, kuka tekee ja milloin.", 900),),
    (Field("evidence", "Näyttö", "Asiakirjat, linkit ja liitteiden nimet.", 680),),
    (Field("strengths", "Vahvuudet", "Mikä toimii hyvin?", 560),),
    (Field("development", "Kehittämiskohteet", "Mitä pitää parantaa?", 560),),
    (Field("actions", "Toimenpiteet", "Mitä tehdään kehittämiskohteen parantamiseksi?", 560),),
    (Field("owner", "Vastuuhenkilö", "Kuka vastaa?", 400), Field("due", "Aikataulu", "Mihin mennessä?", 400)),
    (Field("questions", "Kysymykset auditoijille", "Mitä haluatte auditoijien katsovan tai kommentoivan?", 560),),
)
FORM_FIELDS: tuple[Field, ...] = tuple(f for row in FORM_ROWS for f in row)
TEXT_KEYS: tuple[str, ...] = tuple(f.key for f in FORM_FIELDS)
# Fields a form of format 1 does not have: their rows missing there is no problem.
ADDED_IN_2: frozenset[str] = frozenset({"owner", "due"})
# Prompts of earlier formats: a form of an earlier kit that still shows one holds no answer there.
LEGACY_PLACEHOLDERS: tuple[str, ...] = ("Mitä tehdään, kuka vastaa, mihin mennessä.",)
# Rows a form of an earlier kit has (or a person adds): still read, and compile compares them with the
# workbook's answers.
LEGACY_FIELDS: tuple[Field, ...] = (
    Field(RATING, "Oma arvio", "Valitkaa arvio.", 0),
    Field("reasoning", "Perustelut", "Miksi tämä arvio? Ei sovellu vaatii aina perustelun.", 560),
)


@dataclass(frozen=True, slots=True)
class SheetRow:
    """A row of a data sheet. fill: the workshop fills it in (a control); else the tool prints a value."""

    key: str
    label: str
    fill: bool = False
    placeholder: str = ""


FORM_SHEET: tuple[SheetRow, ...] = (
    SheetRow("workshop", "Työpaja", False, "Työpajan nimi."),
    SheetRow("organisation", "Organisaatio", True, "Ylläpitäjä tai taustaorganisaatio."),
    SheetRow("contact", "Yhteyshenkilö", True, "Nimi, sähköposti, puhelin."),
    SheetRow("group", "Itsearviointiryhmä", True, "Nimet ja tehtävät."),
    SheetRow("dates", "Itsearvioinnin ajankohta", True, "pp.kk.vvvv–pp.kk.vvvv"),
    SheetRow("profile", "Työpajan profiili"),
    SheetRow("audit_type", "Auditointimalli"),
    SheetRow("round", "Arviointikierros"),
    SheetRow("return", "Palautus"),
    SheetRow("content_version", "Kriteeristön versio"),
    SheetRow("kit_id", "Tunniste"),
)

PLACEHOLDERS: frozenset[str] = frozenset(
    [f.placeholder for f in (*FORM_FIELDS, *LEGACY_FIELDS)] + [r.placeholder for r in FORM_SHEET if r.placeholder]
    + list(LEGACY_PLACEHOLDERS)
)


def control_tag(number: int, key: str) -> str:
    """The tag of a criterion's control (for Word users' macros; editors may drop it)."""
    return f"auditkit:{number}:{key}"
