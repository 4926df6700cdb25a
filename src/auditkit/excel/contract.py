"""The workbook contract: sheet names, headers, columns, defined names and identity keys.

The writer (workbook.py) and the reader (readback.py) both import this module, so the layout a kit
writes and the layout read-back expects cannot drift apart. Change FORMAT_VERSION whenever a change
here would make an older reader misread a newer workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from openpyxl.utils import get_column_letter

from ..model import Identity

FORMAT_VERSION = "2"
# Format 1 (before the two phases) had a "Näyttö ja dokumentit" column in the self-assessment and no
# phase in the identity; read-back still reads it (see LEGACY_TEXT_COLUMNS).
READABLE_FORMATS = ("1", "2")

# Sheets, in the order a person sees them; the last two are hidden.
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
# "Tunniste: <kit id>" (a workbook of an earlier kit has only the name).
SHOWN_WORKSHOP = "Työpaja"
SHOWN_KIT_ID = "Tunniste"

# Drop-down lists live on the list sheet behind these defined names (never inline lists).
NAME_RATINGS = "Arviot"  # the scale's choices: "1 – Puuttuva" … "Ei sovellu"
NAME_RATING_VALUES = "ArvoLuvut"  # beside them: 1 … 4 and NA_CODE (used by the summary formulas)
NAME_ACCEPTANCE = "Hyvaksynta"  # the auditor's answer to a workshop's "Ei sovellu"
ACCEPT_YES = "Hyväksytään"
ACCEPT_NO = "Ei hyväksytä"
ACCEPTANCE_CHOICES = (ACCEPT_YES, ACCEPT_NO)

ROLES = ("self", "peer")
ROLE_TITLE = {"self": "Itsearviointi", "peer": "Auditointi"}

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

    key: what read-back calls it (text fields become CriterionResponse.texts keys); kind: "id",
    "number", "area", "criterion", "note", "rating", "choice" (acceptance), "text" (typed by the
    person), "shown" (prefilled, read-only), "formula" or "helper" (hidden, feeds the summary).
    """

    key: str
    header: str
    width: float
    kind: str
    hidden: bool = False

    @property
    def is_input(self) -> bool:
        return self.kind in ("rating", "choice", "text")


def _criterion(area: float, text: float, note: float) -> tuple[Column, ...]:
    """The columns that say which criterion a row is: the same for both roles, widths apart."""
    return (
        Column("id", "Tunniste", 12, "id", hidden=True),
        Column("number", "Nro", 5, "number"),
        Column("area", "Osa-alue", area, "area"),
        Column("criterion", "Kriteeri", text, "criterion"),
        Column("note", "Huomioitavaa", note, "note"),
    )


# Hidden helpers the summary formulas select and average by.
_GROUPS = (Column("area_id", "_osa-alue", 10, "helper", hidden=True),
           Column("element_id", "_elementti", 10, "helper", hidden=True))
_VALUE = Column("value", "_arvo", 6, "helper", hidden=True)

# The self-assessment workbook holds the ratings and their short reasons (Ei sovellu's reason too);
# the narrative, evidence included, has its one home in the form (word/contract.py).
_SELF = (
    *_criterion(17, 60, 20),
    Column("rating", "Arvio", 17, "rating"),
    Column("reasoning", "Perustelut", 50, "text"),
    *_GROUPS,
    _VALUE,
)
# Text columns of earlier formats that read-back still takes when a returned workbook has them.
LEGACY_TEXT_COLUMNS = {"self": (Column("evidence", "Näyttö ja dokumentit", 30, "text"),)}

_PEER = (
    *_criterion(12, 46, 15),
    Column("self_rating", "Työpajan arvio", 14, "shown"),
    Column("self_reasoning", "Työpajan perustelut", 26, "shown"),
    Column("rating", "Auditoijan arvio", 16, "rating"),
    Column("na_accepted", "Työpajan Ei sovellu", 14, "choice"),
    Column("reasoning", "Perustelut", 26, "text"),
    Column("observations", "Havainnot", 26, "text"),
    Column("strengths", "Vahvuudet", 22, "text"),
    Column("development", "Kehittämissuositukset", 24, "text"),
    Column("gap", "Ero", 7, "formula"),
    *_GROUPS,
    Column("self_value", "_työpajan arvo", 6, "helper", hidden=True),
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
