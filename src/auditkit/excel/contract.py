"""The workbook contract: sheet names, headers, columns, defined names and identity keys.

The writer (workbook.py) and the reader (readback.py) both import this module, so the layout a kit
writes and the layout read-back expects cannot drift apart. Change FORMAT_VERSION whenever a change
here would make an older reader misread a newer workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from openpyxl.utils import get_column_letter

from ..catalogue import Criterion, kit_profile_reasons as kit_profile_reasons, profile_reason as profile_reason
from ..i18n import C_, DOCUMENT_LANGUAGES, wording
from ..labels import APPLIES_TO, AUDIENCE, label
from ..model import Identity

FORMAT_VERSION = "2"
# Format 1 (before the two phases) had a "Näyttö ja dokumentit" column in the self-assessment and no
# phase in the identity; read-back still reads it (see LEGACY_TEXT_COLUMNS).
READABLE_FORMATS = ("1", "2")

# The languages a workbook's visible texts are written in, all of which read-back recognises.
LANGUAGES = DOCUMENT_LANGUAGES

# Sheets, in the order a person sees them (by key; each language names them its way, see sheet_name);
# the two hidden ones have one name in every language.
SHEETS = {"guide": C_("sheet", "Guide"), "ratings": C_("sheet", "Ratings"), "summary": C_("sheet", "Summary"),
          "glossary": C_("sheet", "Concepts")}
# The Finnish names, by which earlier code and tests know them.
SHEET_GUIDE = "Ohje"
SHEET_RATINGS = "Arviointi"
SHEET_SUMMARY = "Yhteenveto"
SHEET_GLOSSARY = "Käsitteet"
SHEET_LISTS = "_listat"
SHEET_IDENTITY = "_tunniste"

# The identity: custom document properties and the rows of the identity sheet use exactly these keys.
IDENTITY_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Identity))
# Format 1 has none of these; round_instance came later still (a format 2 workbook may lack it).
OPTIONAL_IDENTITY_KEYS = ("phase", "prefilled_from", "round_instance")
REQUIRED_IDENTITY_KEYS = tuple(key for key in IDENTITY_KEYS if key not in OPTIONAL_IDENTITY_KEYS)
IDENTITY_HEADER = ("avain", "arvo")
# What the ratings sheet shows above its table about whose it is: "Työpaja" and the name beside it, and
# "Tunniste: <kit id>" (a workbook of an earlier kit has only the name); Finnish, and see shown_labels.
SHOWN_WORKSHOP = "Työpaja"
SHOWN_KIT_ID = "Tunniste"
_SHOWN_WORKSHOP = C_("shown above the table", "Workshop")
_SHOWN_KIT_ID = C_("shown above the table", "Identifier")

# Drop-down lists live on the list sheet behind these defined names (never inline lists).
NAME_RATINGS = "Arviot"  # the scale's choices: "1 – Puuttuva" … "Ei sovellu"
NAME_RATING_VALUES = "ArvoLuvut"  # beside them: 1 … 4 and NA_CODE (used by the summary formulas)
NAME_ACCEPTANCE = "Hyvaksynta"  # the auditor's answer to a workshop's "Ei sovellu"
# The auditor's answers in Finnish (checks.py and the demo name them); acceptance(lang) in any language.
ACCEPT_YES = "Hyväksytään"
ACCEPT_NO = "Ei hyväksytä"
ACCEPTANCE_CHOICES = (ACCEPT_YES, ACCEPT_NO)
_NOT_APPLICABLE = C_("rating", "Not applicable")  # the scale's own label comes from the content
_ACCEPT_YES = C_("acceptance", "Accepted")
_ACCEPT_NO = C_("acceptance", "Not accepted")

ROLES = ("self", "peer")
ROLE_TITLE = {"self": "Itsearviointi", "peer": "Auditointi"}  # Finnish; role_title(role, lang) in any language
_ROLE_TITLE = {"self": C_("workbook title", "Self-assessment"), "peer": C_("workbook title", "Audit")}

# The ratings table: the header row and the first criterion row as built (read-back looks for the
# header row, so rows inserted above the table do not matter).
TITLE_ROW = 1
HEADER_ROW = 4
FIRST_ROW = 5

# Read-back reads no further than this: the rows a kit writes plus room for rows people insert.
ROW_SLACK = 200
COLUMN_SLACK = 10
HEADER_SEARCH_ROWS = 60

# Zip safety: refuse a file before parsing when it declares more than this.
MAX_FILE_BYTES = 20_000_000
MAX_MEMBER_BYTES = 40_000_000
MAX_TOTAL_BYTES = 100_000_000
MAX_RATIO = 200  # uncompressed / compressed, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 1_000_000


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the ratings table.

    key: what read-back calls it (text fields become CriterionResponse.texts keys); header: its English
    text (said in a workbook's language by `header_in`; a legacy column's header is Finnish); kind: "id",
    "number", "area", "criterion", "note", "rating", "choice" (acceptance), "text" (typed by the
    person), "shown" (prefilled, read-only), "formula" or "helper" (hidden, feeds the summary).
    """

    key: str
    header: str
    width: float
    kind: str
    hidden: bool = False

    legacy: bool = False  # a column of an earlier format: its header as written then (Finnish)

    @property
    def is_input(self) -> bool:
        return self.kind in ("rating", "choice", "text")

    def header_in(self, lang: str) -> str:
        """The header as a workbook in this language shows it."""
        return self.header if self.legacy else wording("workbooks", lang).pgettext("column", self.header)


def _criterion(area: float, text: float, note: float) -> tuple[Column, ...]:
    """The columns that say which criterion a row is: the same for both roles, widths apart."""
    return (
        Column("id", C_("column", "Identifier"), 12, "id", hidden=True),
        Column("number", C_("column", "No."), 5, "number"),
        Column("area", C_("column", "Area"), area, "area"),
        Column("criterion", C_("column", "Criterion"), text, "criterion"),
        Column("note", C_("column", "Notes"), note, "note"),
    )


# Hidden helpers the summary formulas select and average by.
_GROUPS = (Column("area_id", C_("column", "_area"), 10, "helper", hidden=True),
           Column("element_id", C_("column", "_element id"), 10, "helper", hidden=True))
_VALUE = Column("value", C_("column", "_value"), 6, "helper", hidden=True)

# The self-assessment workbook holds the ratings and their short reasons (Ei sovellu's reason too);
# the narrative, evidence included, has its one home in the form (word/contract.py).
_SELF = (
    *_criterion(17, 60, 20),
    Column("rating", C_("column", "Rating"), 17, "rating"),
    Column("reasoning", C_("column", "Reasoning"), 50, "text"),
    *_GROUPS,
    _VALUE,
)
# Text columns of earlier formats that read-back still takes when a returned workbook has them.
LEGACY_TEXT_COLUMNS = {"self": (Column("evidence", "Näyttö ja dokumentit", 30, "text", legacy=True),)}

_PEER = (
    *_criterion(12, 46, 15),
    Column("self_rating", C_("column", "Workshop's rating"), 14, "shown"),
    Column("self_reasoning", C_("column", "Workshop's reasoning"), 26, "shown"),
    Column("rating", C_("column", "Auditor's rating"), 16, "rating"),
    Column("na_accepted", C_("column", "Workshop's not applicable"), 14, "choice"),
    Column("reasoning", C_("column", "Reasoning"), 26, "text"),
    Column("observations", C_("column", "Observations"), 26, "text"),
    Column("strengths", C_("column", "Strengths"), 22, "text"),
    Column("development", C_("column", "Development recommendations"), 24, "text"),
    Column("gap", C_("column", "Difference"), 7, "formula"),
    *_GROUPS,
    Column("self_value", C_("column", "_workshop's value"), 6, "helper", hidden=True),
    _VALUE,
)


@dataclass(frozen=True, slots=True)
class Layout:
    """The ratings table of one role: its columns, in order, with their letters."""

    role: str
    columns: tuple[Column, ...]

    def index(self, key: str) -> int:
        """1-based column number of the column with this key (KeyError if the role has none)."""
        for i, column in enumerate(self.columns, start=1):
            if column.key == key:
                return i
        raise KeyError(key)

    def letter(self, key: str) -> str:
        return get_column_letter(self.index(key))

    def has(self, key: str) -> bool:
        return any(c.key == key for c in self.columns)

    @property
    def text_keys(self) -> tuple[str, ...]:
        """The free-text fields a person fills, as CriterionResponse.texts keys."""
        return tuple(c.key for c in self.columns if c.kind == "text")


LAYOUTS = {"self": Layout("self", _SELF), "peer": Layout("peer", _PEER)}

# The summary sheet: one row per element and area, then a total row, then the chart's data.
SUMMARY_HEADER_ROW = 5


def sheet_name(key: str, lang: str) -> str:
    """A visible sheet's name in a language ("ratings" -> "Arviointi", "Bedömning")."""
    return wording("workbooks", lang).pgettext("sheet", SHEETS[key])


def sheet_names(key: str) -> tuple[str, ...]:
    """A visible sheet's name in every language a workbook is written in (read-back knows each)."""
    return tuple(dict.fromkeys(sheet_name(key, lang) for lang in LANGUAGES))


def role_title(role: str, lang: str) -> str:
    """"Itsearviointi" / "Självvärdering", "Auditointi" / "Auditering"."""
    return wording("workbooks", lang).pgettext("workbook title", _ROLE_TITLE[role])


def acceptance(lang: str) -> tuple[str, str]:
    """The auditor's two answers to a workshop's "Ei sovellu" (accepted, not accepted) in a language."""
    w = wording("workbooks", lang)
    return w.pgettext("acceptance", _ACCEPT_YES), w.pgettext("acceptance", _ACCEPT_NO)


def not_applicable_words() -> tuple[str, ...]:
    """"Ei sovellu" as each workbook language's own word says it ("Ej tillämplig"): read-back takes it for
    the scale's "Ei sovellu" whatever language the content is in (the kit writes the content's own label)."""
    return tuple(dict.fromkeys(wording("workbooks", lang).pgettext("rating", _NOT_APPLICABLE) for lang in LANGUAGES))


def shown_labels(lang: str) -> tuple[str, str]:
    """What the ratings sheet writes above its table before the workshop's name and the kit id."""
    w = wording("workbooks", lang)
    return w.pgettext("shown above the table", _SHOWN_WORKSHOP), w.pgettext("shown above the table", _SHOWN_KIT_ID)
