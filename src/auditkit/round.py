"""An audit round: the round file (round.toml), the workshop register and the auditor register.

Registers come as people export them from Excel: CSV with `;`, `,` or tab, in UTF-8 (with or without
BOM), UTF-16 or Windows-1252, or an .xlsx whose first sheet holds the table. The encoding, the
delimiter and the header row are detected; columns are matched by their header text in Finnish or
English. Every problem is reported with its line, all in one run.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import csvfile
from .catalogue import Profile
from .errors import OutputExistsError, Problem, RoundError
from .excel.register import MAX_COLUMNS, MAX_ROWS, read_sheet_rows
from .dates import date_fi, parse_iso
from .model import AUDIT_TYPES, Auditor, Workshop
from .outputs import write_bytes, write_text
from .resources import templates_dir
from .templating import render

ROUND_FILE = "round.toml"
REGISTER_FILE = "tyopajat.csv"
AUDITORS_FILE = "auditoijat.csv"
METHODS: tuple[str, ...] = ("peer", "register")
MAX_TEAM_SIZE = 10
_HEADER_SEARCH_ROWS = 10
_LISTED_LINES = 10

# --- reading tables (CSV or the first sheet of an .xlsx) ---------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """A column a table may have: its key, the header texts that name it, and how to name it in messages."""

    key: str
    label: str  # e.g. "tunnus (id)"
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Record:
    """One data row of a table: where it is ("line 14" or "sheet Työpajat, row 14") and its values by key.

    `at` is the short form used inside messages ("line 14", "row 14").
    """

    place: str
    at: str
    values: Mapping[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "")


def header_key(text: str) -> str:
    """A header compared the forgiving way: case, spaces, punctuation, (notes) and ä/ö/å ignored."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"\(.*?\)", "", text)
    text = text.translate(str.maketrans("äöå", "aoa"))
    return "".join(ch for ch in text if ch.isalnum())


def read_records(
    path: str | Path, columns: tuple[Column, ...], required: tuple[str, ...]
) -> tuple[list[Record], list[Problem]]:
    """Read a register table and return its non-empty data rows with their places, and the problems.

    Finds the header row (the first of the first rows that names every required column), maps the
    columns by header text, and reports unknown or repeated columns. Never raises on a bad file.
    """
    name = str(path)
    raw, problems = _raw_rows(Path(path), columns)
    if raw is None:
        return [], problems
    by_alias = {header_key(alias): column.key for column in columns for alias in (column.key, *column.aliases)}
    labels = {column.key: column.label for column in columns}
    header_at, mapping, best = _find_header(raw, by_alias, required)
    if header_at is None:
        missing = [labels[k] for k in required if k not in best]
        place = raw[0][0] if raw else ""
        optional = [c.label for c in columns if c.key not in required]
        problems.append(Problem(name, place, (
            f"no header row naming the columns {', '.join(missing)} was found in the first "
            f"{_HEADER_SEARCH_ROWS} rows; the first row must name the columns. Required: "
            f"{', '.join(labels[k] for k in required)}; optional: {', '.join(optional)}.")))
        return [], problems
    header_place, header = raw[header_at][0], raw[header_at][1]
    seen: dict[str, str] = {}
    for index, cell in enumerate(header):
        key = mapping.get(index)
        if key is None:
            if cell.strip():
                problems.append(Problem(name, header_place, (
                    f"column '{cell.strip()}' is not used; auditkit reads "
                    f"{', '.join(c.label for c in columns)}. Rename it if it should be one of these."), "warning"))
            continue
        if key in seen:
            problems.append(Problem(name, header_place, (
                f"columns '{seen[key]}' and '{cell.strip()}' both give {labels[key]}; keep one of them.")))
        seen.setdefault(key, cell.strip())
    width = max(mapping) + 1
    records: list[Record] = []
    for place, cells in raw[header_at + 1:]:
        if not any(cell.strip() for cell in cells):
            continue
        values: dict[str, str] = {}
        for i, key in sorted(mapping.items()):
            values.setdefault(key, cells[i].strip() if i < len(cells) else "")
        records.append(Record(place, _short(place), values))
        if any(cell.strip() for cell in cells[max(width, len(header)):]):
            problems.append(Problem(name, place, (
                "the row has more cells than the header has columns; is there a delimiter inside a value? "
                "Put such values in double quotes, or save the file from Excel again."), "warning"))
    return records, problems


def _short(place: str) -> str:
    return place.rsplit(", ", 1)[-1]


def _find_header(
    raw: list[tuple[str, tuple[str, ...]]], by_alias: dict[str, str], required: tuple[str, ...]
) -> tuple[int | None, dict[int, str], set[str]]:
    """The index of the header row, its column index → key mapping, and the keys of the best row seen."""
    best: set[str] = set()
    searched = 0
    for index, (_place, cells) in enumerate(raw):
        if not any(cell.strip() for cell in cells):
            continue
        # A column named twice maps twice here; the caller reports it and reads the first.
        mapping = {col: by_alias[header_key(cell)] for col, cell in enumerate(cells) if header_key(cell) in by_alias}
        keys = set(mapping.values())
        if all(k in keys for k in required):
            return index, mapping, keys
        if len(keys) > len(best):
            best = keys
        searched += 1
        if searched >= _HEADER_SEARCH_ROWS:
            break
    return None, {}, best


def _raw_rows(path: Path, columns: tuple[Column, ...]) -> tuple[list[tuple[str, tuple[str, ...]]] | None, list[Problem]]:
    """Every row of the file as (place, cells): a workbook's first sheet or a CSV, detected by content."""
    name = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        return None, [Problem(name, "", "file not found; check the path.")]
    except OSError as err:
        return None, [Problem(name, "", f"cannot be read ({err.strerror or err}); check the path and permissions.")]
    if size == 0:
        return None, [Problem(name, "", "the file is empty; it should have a header row and one row per line of data.")]
    if head.startswith(b"PK\x03\x04"):
        sheet, problems = read_sheet_rows(path)
        if sheet is None:
            return None, problems
        return [(f"sheet {sheet.sheet}, row {n}", cells) for n, cells in sheet.rows], problems
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return None, [Problem(name, "", (
            "is an old Excel .xls file or a password-protected workbook; save it as .xlsx without a password, "
            "or as CSV (CSV UTF-8).")) ]
    if size > csvfile.MAX_TEXT_BYTES:
        return None, [Problem(name, "", f"is {size // (1024 * 1024)} MB, far more than a register; check that this is the right file.")]
    text = csvfile.decode(path.read_bytes())
    if text is None:
        return None, [Problem(name, "", "is neither a text (CSV) file nor an Excel workbook; save the table as CSV or .xlsx.")]
    return _csv_rows(name, text, columns)


def _csv_rows(
    name: str, text: str, columns: tuple[Column, ...]
) -> tuple[list[tuple[str, tuple[str, ...]]], list[Problem]]:
    aliases = {header_key(a) for column in columns for a in (column.key, *column.aliases)}
    delimiter = csvfile.sniff_delimiter(text, lambda cell: header_key(cell) in aliases)
    return csvfile.read_rows(name, text, delimiter=delimiter, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)


def _listing(ats: list[str]) -> str:
    shown = ", ".join(ats[:_LISTED_LINES])
    return shown + (f" and {len(ats) - _LISTED_LINES} more" if len(ats) > _LISTED_LINES else "")


# --- the workshop register ---------------------------------------------------------------------

REGISTER_COLUMNS: tuple[Column, ...] = (
    Column("id", "tunnus (id)", ("tunnus", "tunniste", "työpajan tunnus", "pajan tunnus", "workshop id", "code")),
    Column("name", "nimi (name)", ("nimi", "työpaja", "työpajan nimi", "pajan nimi", "paja", "workshop",
                                   "workshop name")),
    Column("organisation", "organisaatio (organisation)", ("organisaatio", "organization", "järjestäjä",
                                                           "taustaorganisaatio", "ylläpitäjä")),
    Column("municipality", "kunta (municipality)", ("kunta", "kaupunki", "sijaintikunta", "kotikunta", "city")),
    Column("region", "alue (region)", ("alue", "maakunta", "region", "county")),
    Column("email", "sähköposti (email)", ("sähköposti", "sähköpostiosoite", "s-posti", "e-mail", "email address",
                                           "yhteyshenkilön sähköposti", "contact email")),
    Column("profile", "profiili (profile)", ("profiili", "kohderyhmä", "target group", "audience")),
    Column("learning_environments", "oppimisympäristöt (learning environments)", (
        "oppimisympäristöt", "oppimisympäristö", "learning environments", "learning environment",
        "opinnollistaminen")),
)
AUDITOR_COLUMNS: tuple[Column, ...] = (
    Column("name", "nimi (name)", ("nimi", "auditoija", "auditor", "henkilö", "person")),
    Column("email", "sähköposti (email)", REGISTER_COLUMNS[5].aliases),
    Column("home", "kotipaja (home workshop id)", ("kotipaja", "kotipajan tunnus", "home workshop",
                                                   "home workshop id", "työpaja", "työpajan tunnus", "paja",
                                                   "tunnus", "workshop id", "workshop")),
    Column("organisation", "organisaatio (organisation)", REGISTER_COLUMNS[2].aliases),
    Column("conflicts", "esteellisyydet (declared conflicts of interest: workshop ids)", (
        "esteellisyydet", "esteellisyys", "esteellinen", "jäävi", "jäävit", "jääviys", "conflicts",
        "conflict of interest", "conflicts of interest", "declared conflicts")),
)
# Workshop ids in a cell of the conflicts column: "P03, P07", "P03 P07" or "P03/P07".
_ID_LIST = re.compile(r"[,;/\s]+")

PROFILE_VALUES: Mapping[str, str] = {
    header_key(k): v for k, v in {
        "nuoret": "youth", "nuori": "youth", "nuorten": "youth", "youth": "youth", "young people": "youth",
        "aikuiset": "adult", "aikuinen": "adult", "aikuisten": "adult", "adult": "adult", "adults": "adult",
        "molemmat": "both", "nuoret ja aikuiset": "both", "kaikki": "both", "both": "both", "all": "both",
    }.items()
}
PROFILE_FI = {"youth": "nuoret", "adult": "aikuiset", "both": "molemmat"}
YES_NO: Mapping[str, bool] = {
    header_key(k): v for k, v in {
        "kyllä": True, "k": True, "kylla": True, "on": True, "yes": True, "y": True, "1": True, "true": True, "x": True,
        "ei": False, "e": False, "no": False, "n": False, "0": False, "false": False,
    }.items()
}
_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]{2,}$")


def is_email(text: str) -> bool:
    """Whether text looks like one email address (name@domain.tld)."""
    return bool(_EMAIL.match(text))


def id_sort_key(text: str) -> tuple[Any, ...]:
    """Sort ids the way people read them: P2 before P10, case ignored."""
    parts = tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                  for part in re.split(r"(\d+)", text.casefold()) if part)
    return (parts, text)


def read_register(path: str | Path) -> tuple[tuple[Workshop, ...], list[Problem]]:
    """Read the workshop register (CSV or .xlsx) into Workshops, in the file's order, and every problem.

    Ids are kept as given (trimmed) and must be unique (case ignored); names, organisations and the
    other texts are kept as written apart from surrounding spaces. Rows with errors are left out of the
    result; the problems say which and why. Never raises on a bad file.
    """
    name = str(path)
    records, problems = read_records(path, REGISTER_COLUMNS, ("id", "name"))
    workshops: list[Workshop] = []
    first_at: dict[str, tuple[str, str]] = {}
    no_profile: list[str] = []
    no_learning: list[str] = []
    for record in records:
        errors: list[str] = []
        wid = record.get("id")
        if not wid:
            errors.append("the id (tunnus) is empty; give each workshop its own id.")
        elif wid.casefold() in first_at:
            first, spelled = first_at[wid.casefold()]
            spelling = "" if spelled == wid else f" as '{spelled}'"
            errors.append(f"duplicate id '{wid}' (first on {first}{spelling}); give each workshop its own id.")
        else:
            first_at[wid.casefold()] = (record.at, wid)
        if not record.get("name"):
            errors.append("the name (nimi) is empty; write the workshop's name.")
        audience = _lookup(record, "profile", PROFILE_VALUES, "both", no_profile, errors,
                           "profile '{}' is not known; write nuoret, aikuiset or molemmat (youth, adult, both).")
        learning = _lookup(record, "learning_environments", YES_NO, True, no_learning, errors,
                           "learning environments '{}' is not known; write kyllä or ei (yes or no).")
        email = record.get("email")
        if email and not is_email(email):
            errors.append(f"'{email}' is not an email address; write one address, e.g. paja@example.fi.")
        problems.extend(Problem(name, record.place, message) for message in errors)
        if not errors:
            workshops.append(Workshop(
                id=wid, name=record.get("name"), organisation=record.get("organisation"),
                municipality=record.get("municipality"), region=record.get("region"), email=email,
                profile=Profile(audience=audience, learning_environments=learning)))
    for key, empty, label, default, effect, values in (
        ("profile", no_profile, "profile (profiili)", "molemmat", "every criterion applies",
         "nuoret, aikuiset or molemmat"),
        ("learning_environments", no_learning, "learning environments (oppimisympäristöt)", "kyllä",
         "the learning-environment criteria apply", "kyllä or ei"),
    ):
        if records and not any(key in record.values for record in records):
            problems.append(Problem(name, "", (
                f"no column for {label}; every workshop is taken as {default}, so {effect}. Add the column "
                f"and write {values}."), "warning"))
        elif empty:
            problems.append(Problem(name, "", (
                f"no {label} on {_listing(empty)}; taken as {default}, so {effect}. Write {values}."), "warning"))
    if not workshops and not any(p.severity == "error" for p in problems):
        problems.append(Problem(name, "", "has no workshops; add one row per workshop below the header."))
    return tuple(workshops), problems


def _lookup(record: Record, key: str, table: Mapping[str, Any], default: Any, empty: list[str], errors: list[str],
            unknown: str) -> Any:
    """The value a record's word for `key` stands for in table; default when empty (noted in `empty`) or
    unknown (the `unknown` message, with the word, added to errors)."""
    text = record.get(key)
    if not text:
        empty.append(record.at)
        return default
    found = table.get(header_key(text))
    if found is None:
        errors.append(unknown.format(text))
        return default
    return found


def read_auditors(path: str | Path) -> tuple[tuple[Auditor, ...], list[Problem]]:
    """Read an auditor register (name, email, home workshop id, organisation, declared conflicts of
    interest as workshop ids) into Auditors and every problem.

    The home workshop and conflict ids are kept as written; load_round checks them against the workshop
    register.
    """
    rows, problems = _auditor_rows(path)
    return tuple(auditor for auditor, _record in rows), problems


def _auditor_rows(path: str | Path) -> tuple[list[tuple[Auditor, Record]], list[Problem]]:
    name = str(path)
    records, problems = read_records(path, AUDITOR_COLUMNS, ("name",))
    rows: list[tuple[Auditor, Record]] = []
    first_at: dict[tuple[str, str], str] = {}
    for record in records:
        errors: list[str] = []
        person, email = record.get("name"), record.get("email")
        if not person:
            errors.append("the name (nimi) is empty; write the auditor's name.")
        if email and not is_email(email):
            errors.append(f"'{email}' is not an email address; write one address, e.g. etunimi.sukunimi@example.fi.")
        key = (person.casefold(), email.casefold())
        if person and key in first_at:
            errors.append(f"{person} is listed twice (first on {first_at[key]}); keep one row per person.")
        first_at.setdefault(key, record.at)
        problems.extend(Problem(name, record.place, message) for message in errors)
        if not errors:
            conflicts = tuple(dict.fromkeys(i for i in _ID_LIST.split(record.get("conflicts")) if i))
            rows.append((Auditor(name=person, email=email, home_workshop_id=record.get("home"),
                                 organisation=record.get("organisation"), conflicts=conflicts), record))
    if not records and not any(p.severity == "error" for p in problems):
        problems.append(Problem(name, "", "has no auditors; add one row per auditor below the header."))
    return rows, problems


# --- the round file ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoundConfig:
    """The settings of a round, from round.toml.

    id: a safe slug used in folder names; audit_type: "peer" or "external"; the deadlines of the phases
    as YYYY-MM-DD or "": deadline (the self-assessment's, phase one), audit_deadline (the auditors'
    workbook and report, phase two) and comments_deadline (the workshop's comments on the draft report);
    return_to: where filled files go (the coordinator's email when not given); register, auditors,
    assignment_file and output: paths as written, relative to base_dir (the round file's folder);
    assignment_method: "peer" (each workshop supplies an auditor) or "register" (the auditors file).
    """

    id: str
    name: str
    audit_type: str = "peer"
    deadline: str = ""
    audit_deadline: str = ""
    comments_deadline: str = ""
    coordinator: str = ""
    coordinator_email: str = ""
    return_to: str = ""
    register: str = REGISTER_FILE
    auditors: str = ""
    assignment_method: str = "peer"
    team_size: int = 2
    assignment_file: str = "jaot.csv"
    output: str = "output"
    base_dir: Path = Path(".")
    file: str = ""  # the round file as given, for messages
    # A random id `init` writes: every kit file carries it, so that another round with the same id (another
    # coordinator's) is told apart. "" in round files made before it.
    instance: str = ""

    def deadline_of(self, phase: str) -> str:
        """The ISO deadline of a phase ("self", "audit" or "comments"), or ""."""
        return {"self": self.deadline, "audit": self.audit_deadline, "comments": self.comments_deadline}[phase]

    @property
    def register_path(self) -> Path:
        return self.base_dir / self.register

    @property
    def auditors_path(self) -> Path | None:
        return self.base_dir / self.auditors if self.auditors else None

    @property
    def assignment_path(self) -> Path:
        return self.base_dir / self.assignment_file

    @property
    def output_dir(self) -> Path:
        return self.base_dir / self.output


@dataclass(frozen=True, slots=True)
class Round:
    """A loaded round: its settings, the workshops (register order), the listed auditors, and warnings.

    auditors are the people of the auditors file (home ids spelled as in the register); in a peer
    round without such a file it is empty (see assignment.auditor_pool).
    """

    config: RoundConfig
    workshops: tuple[Workshop, ...]
    auditors: tuple[Auditor, ...] = ()
    problems: tuple[Problem, ...] = ()

    def workshop(self, workshop_id: str) -> Workshop:
        """The workshop with this id (case ignored); KeyError when there is none."""
        for workshop in self.workshops:
            if workshop.id.casefold() == workshop_id.casefold():
                return workshop
        raise KeyError(workshop_id)


PHASES: tuple[str, ...] = ("self", "audit", "comments")
# Where each phase's deadline is written in round.toml. The single round.deadline of earlier round
# files is still read: as the self-assessment's deadline.
DEADLINE_KEYS = {"self": "deadlines.self_assessment", "audit": "deadlines.audit", "comments": "deadlines.comments"}
_SCHEMA: dict[str, dict[str, str]] = {
    # table → key → RoundConfig field
    "round": {"id": "id", "name": "name", "audit_type": "audit_type", "deadline": "old_deadline",
              "instance": "instance"},
    "deadlines": {"self_assessment": "deadline", "audit": "audit_deadline", "comments": "comments_deadline"},
    "coordinator": {"name": "coordinator", "email": "coordinator_email", "return_to": "return_to"},
    "register": {"workshops": "register", "auditors": "auditors"},
    "assignment": {"method": "assignment_method", "team_size": "team_size", "file": "assignment_file"},
    "output": {"folder": "output"},
}
_REQUIRED = ("round.id", "round.name", "register.workshops")
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_INSTANCE = re.compile(r"^[A-Za-z0-9_-]{4,64}$")


def new_instance() -> str:
    """A random round instance id (48 bits, 12 hex digits): another round with the same id gets another."""
    return secrets.token_hex(6)


def slug(text: str) -> str:
    """A safe id suggested from any text: "Kevät 2026" → "kevat-2026"."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(str.maketrans("äöå", "aoa")))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:64] or "kierros"


def load_round(path: str | Path) -> Round:
    """Load round.toml, its workshop register and its auditors file.

    Raises RoundError listing every error found (in the round file, the register and the auditors
    file) in one go; warnings (e.g. an unused column, a deadline in the past) are on Round.problems.
    """
    round_path = Path(path)
    name = str(round_path)
    data, problems = _read_toml(round_path)
    if data is None:
        raise RoundError("The round file cannot be read:", problems)
    config, config_problems = _config(data, round_path)
    problems += config_problems
    workshops, auditors, file_problems = _read_round_files(config, name)
    problems += file_problems
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise RoundError(f"{name}: {len(errors)} problem(s) to fix before the round can be used:", errors)
    return Round(config, workshops, auditors, tuple(problems))


def _read_toml(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(name, "", "file not found; give the path of a round file, or make one with "
                                        "`auditkit init FOLDER`.")]
    except OSError as err:
        return None, [Problem(name, "", f"cannot be read ({err.strerror or err}); check the path and permissions.")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        place = f"line {found.group(1)}" if found else ""
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message).rstrip(".")
        return None, [Problem(name, place, (
            f"{message}; fix the syntax there: text goes in double quotes, e.g. name = \"Kevät 2026\".")) ]


def _config(data: dict[str, Any], path: Path) -> tuple[RoundConfig, list[Problem]]:
    """The RoundConfig from parsed TOML and every problem; a bad value is replaced by its default so that
    the register can still be checked in the same run."""
    name = str(path)
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def problem(key: str, message: str, severity: str = "error") -> None:
        place = f"key {key}" if "." in key else f"table [{key}]"
        problems.append(Problem(name, place, message, severity))  # type: ignore[arg-type]

    for table, content in data.items():
        if table not in _SCHEMA:
            problem(table, f"unknown table; a round file has {', '.join(f'[{t}]' for t in _SCHEMA)}.")
            continue
        if not isinstance(content, dict):
            problem(table, f"'{table}' must be a table: [{table}] on its own line, its keys below it.")
            continue
        for key, value in content.items():
            field = _SCHEMA[table].get(key)
            if field is None:
                problem(f"{table}.{key}", f"unknown key; [{table}] has {', '.join(_SCHEMA[table])}.")
                continue
            values[field] = (f"{table}.{key}", value)
    for required in _REQUIRED:
        table, key = required.split(".")
        if _SCHEMA[table][key] not in values:
            problem(required, f"missing; add {key} = \"…\" under [{table}].")

    def text(field: str, default: str = "") -> str:
        if field not in values:
            return default
        key, value = values[field]
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        if not isinstance(value, str):
            problem(key, f"must be text in double quotes, e.g. {key.split('.')[1]} = \"{value}\".")
            return default
        return value.strip()

    config_id = text("id")
    if config_id and not _SLUG.match(config_id):
        problem("round.id", f"'{config_id}' is not a safe id; use lower-case letters a–z, digits and hyphens, "
                            f"e.g. id = \"{slug(config_id)}\".")
    instance = text("instance")
    if "instance" in values and not _INSTANCE.match(instance):
        problem("round.instance", f"'{instance}' is not an instance id; it is made by `auditkit init` (letters and "
                                  f"digits, e.g. instance = \"{new_instance()}\"). Restore the line as it was: the "
                                  "kits already sent carry it.")
        instance = ""
    elif "instance" not in values and config_id:
        problem("round.instance", "the round has no instance id, so files of another round with the same id "
                                  f"'{config_id}' (another coordinator's, or a later round's) cannot be told apart from "
                                  f"this round's. Add under [round] the line instance = \"{new_instance()}\"; kits made "
                                  "before keep working, kits made after carry it.", "warning")
    if "name" in values and not text("name"):
        problem("round.name", "is empty; write the round's name as the documents should show it.")
    audit_type = text("audit_type", "peer")
    if audit_type not in AUDIT_TYPES:
        problem("round.audit_type", f"'{audit_type}' is not an audit type; write \"peer\" (vertaisauditointi) "
                                    "or \"external\" (ulkoinen auditointi).")
    deadline, audit_deadline, comments_deadline = _check_deadlines(values, text, problem)
    coordinator_email = text("coordinator_email")
    if coordinator_email and not is_email(coordinator_email):
        problem("coordinator.email", f"'{coordinator_email}' is not an email address; write one address.")
    method = text("assignment_method", "peer")
    if method not in METHODS:
        problem("assignment.method", f"'{method}' is not a way to assign auditors; write \"peer\" (auditors from "
                                     "the participating workshops) or \"register\" (from the auditors file).")
    team_size = _check_team_size(values.get("team_size"), problem)
    register, auditors = text("register", REGISTER_FILE), text("auditors")
    if "register" in values and not register:
        problem("register.workshops", "is empty; give the workshop register's file name, e.g. \"tyopajat.csv\".")
    if method == "register" and not auditors:
        problem("assignment.method", "\"register\" takes the auditors from the auditors file, but "
                                     "register.auditors is empty; give the file, or use method = \"peer\".")
    if audit_type == "external" and method == "peer":
        problem("assignment.method", "the audit is external but auditors are drawn from the workshops (\"peer\"); "
                                     "for external auditors list them in a file and use method = \"register\".",
                "warning")
    assignment_file, output = text("assignment_file", "jaot.csv"), text("output", "output")
    for field, key in (("assignment_file", "assignment.file"), ("output", "output.folder")):
        if field in values and not text(field):
            problem(key, "is empty; give a file or folder name, or remove the line to use the default.")
    return RoundConfig(
        id=config_id, name=text("name"), audit_type=audit_type, deadline=deadline, audit_deadline=audit_deadline,
        comments_deadline=comments_deadline,
        coordinator=text("coordinator"), coordinator_email=coordinator_email,
        return_to=text("return_to") or coordinator_email, register=register, auditors=auditors,
        assignment_method=method, team_size=team_size, assignment_file=assignment_file or "jaot.csv",
        output=output or "output", base_dir=path.parent, file=str(path), instance=instance,
    ), problems


def _check_deadlines(values: dict[str, Any], text: Any, problem: Any) -> tuple[str, str, str]:
    """The three deadlines (self-assessment, audit, comments) as ISO dates, each checked, and in order."""
    old, new = text("old_deadline"), text("deadline")
    if old and new and old != new:
        problem("round.deadline", f"'{old}' and deadlines.self_assessment '{new}' disagree; the self-assessment "
                                  "has one deadline: keep deadlines.self_assessment and remove round.deadline.")
    dates: dict[str, str] = {}
    for phase, field in (("self", "deadline"), ("audit", "audit_deadline"), ("comments", "comments_deadline")):
        key = DEADLINE_KEYS[phase]
        given = text(field) or (old if phase == "self" else "")
        if phase == "self" and not new and old:
            key = "round.deadline"
        dates[phase] = _check_date(key, given, problem) if given else ""
    if not dates["self"] and not old:
        problem("deadlines", "no self-assessment deadline; the kits will not say when to return them. Add "
                             "self_assessment = \"YYYY-MM-DD\" under [deadlines].", "warning")
    if not dates["audit"]:
        problem("deadlines", "no audit deadline; the auditors' packs will not say when the audit is due. Add "
                             "audit = \"YYYY-MM-DD\" under [deadlines].", "warning")
    for earlier, later, why in (("self", "audit", "the auditors start from the returned self-assessments"),
                                ("audit", "comments", "the workshop comments on the auditors' draft report")):
        if dates[earlier] and dates[later] and dates[later] <= dates[earlier]:
            problem(DEADLINE_KEYS[later], f"{date_fi(dates[later])} is not after the {_PHASE_NAME[earlier]} "
                                          f"deadline {date_fi(dates[earlier])}, but {why}; correct the dates.")
    return dates["self"], dates["audit"], dates["comments"]


_PHASE_NAME = {"self": "self-assessment", "audit": "audit", "comments": "comments"}


def _check_date(key: str, value: str, problem: Any) -> str:
    """An ISO date, or "" with an error that shows the right way to write it."""
    name = key.split(".")[1]
    finnish = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value)
    if parse_iso(value) is None:
        hint = (f"{name} = \"{finnish.group(3)}-{int(finnish.group(2)):02d}-{int(finnish.group(1)):02d}\""
                if finnish else f"{name} = \"2026-06-01\"")
        problem(key, f"'{value}' is not a date as YYYY-MM-DD; write e.g. {hint}.")
        return ""
    return value


def passed_deadline(config: RoundConfig, phase: str, today: dt.date | None = None) -> Problem | None:
    """A warning when a phase's deadline has passed (the documents about to be made would show it)."""
    day = parse_iso(config.deadline_of(phase))
    today = today or dt.date.today()
    if day is None or day >= today:
        return None
    return Problem(config.file, "", (
        f"the {_PHASE_NAME[phase]} deadline {date_fi(day)} has passed, and the documents made now show it; "
        "check the date."), "warning")


def _check_team_size(entry: tuple[str, Any] | None, problem: Any) -> int:
    if entry is None:
        return 2
    _key, value = entry
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TEAM_SIZE:
        problem("assignment.team_size", f"'{value}' is not a team size; write a whole number from 1 to "
                                        f"{MAX_TEAM_SIZE} without quotes, e.g. team_size = 2.")
        return 2
    return value


def _read_round_files(
    config: RoundConfig, round_name: str
) -> tuple[tuple[Workshop, ...], tuple[Auditor, ...], list[Problem]]:
    problems: list[Problem] = []
    workshops: tuple[Workshop, ...] = ()
    auditors: list[Auditor] = []
    for key, path in (("register.workshops", config.register_path), ("register.auditors", config.auditors_path)):
        if path is not None and not path.is_file():
            problems.append(Problem(round_name, f"key {key}", (
                f"'{path}' not found; the path is relative to the round file's folder. Correct the file name.")))
    if config.register_path.is_file():
        workshops, register_problems = read_register(config.register_path)
        problems += register_problems
    register_broken = any(p.severity == "error" for p in problems)
    if config.auditors_path is not None and config.auditors_path.is_file():
        rows, auditor_problems = _auditor_rows(config.auditors_path)
        problems += auditor_problems
        ids = {w.id.casefold(): w.id for w in workshops}
        for auditor, record in rows:
            home = ids.get(auditor.home_workshop_id.casefold(), auditor.home_workshop_id)
            # A register row with errors is left out of workshops: its auditors are not a second problem.
            if config.assignment_method == "peer" and workshops and home not in ids.values() and not register_broken:
                what = f"home workshop '{home}' is not in the register" if home else "no home workshop (kotipaja)"
                problems.append(Problem(str(config.auditors_path), record.place, (
                    f"{auditor.name}: {what}; in a peer round each auditor comes from a participating workshop. "
                    "Give its id as in the register.")))
                continue
            unknown = [i for i in auditor.conflicts if i.casefold() not in ids]
            if unknown and workshops:
                problems.append(Problem(str(config.auditors_path), record.place, (
                    f"{auditor.name}: declared conflict(s) of interest with {', '.join(unknown)}, which the "
                    "register does not have; check the ids (the others are kept)."), "warning"))
            conflicts = tuple(ids[i.casefold()] for i in auditor.conflicts if i.casefold() in ids)
            auditors.append(Auditor(auditor.name, auditor.email, home, organisation=auditor.organisation,
                                    conflicts=conflicts))
        if config.assignment_method == "peer" and auditors:
            named = {a.home_workshop_id for a in auditors}
            unnamed = [w.id for w in workshops if w.id not in named]
            if unnamed:
                problems.append(Problem(str(config.auditors_path), "", (
                    f"no auditor is named for {_listing(unnamed)}; each of them supplies an unnamed peer "
                    "auditor whom the letters address by the workshop's name. Add a person for each."), "warning"))
    return workshops, tuple(auditors), problems


# --- a new round folder ------------------------------------------------------------------------


def next_round(today: dt.date | None = None) -> tuple[str, str, str]:
    """(id, name, deadline) of the next of Into's two application rounds (deadlines 1.6 and 1.12)."""
    today = today or dt.date.today()
    if today < dt.date(today.year, 6, 1):
        return f"kevat-{today.year}", f"kevät {today.year}", f"{today.year}-06-01"
    if today < dt.date(today.year, 12, 1):
        return f"syksy-{today.year}", f"syksy {today.year}", f"{today.year}-12-01"
    return f"kevat-{today.year + 1}", f"kevät {today.year + 1}", f"{today.year + 1}-06-01"


# A starting point for the later phases: the auditors get about two months after the self-assessments,
# the workshop two weeks to comment on the draft report. The coordinator edits them in round.toml.
AUDIT_WEEKS, COMMENT_WEEKS = 9, 2


def later_deadlines(self_deadline: str) -> tuple[str, str]:
    """(audit, comments) deadlines that follow a self-assessment deadline by the default weeks."""
    day = parse_iso(self_deadline)
    if day is None:
        return "", ""
    audit = day + dt.timedelta(weeks=AUDIT_WEEKS)
    return audit.isoformat(), (audit + dt.timedelta(weeks=COMMENT_WEEKS)).isoformat()


def init_round(directory: str | Path, *, force: bool = False, today: dt.date | None = None) -> list[Path]:
    """Write a commented round.toml, an example register and an example auditors file into directory.

    Returns the paths written. Raises OutputExistsError (writing nothing) when any of them exists and
    force is False.
    """
    folder = Path(directory)
    source = templates_dir() / "round"
    targets = [folder / ROUND_FILE, folder / REGISTER_FILE, folder / AUDITORS_FILE]
    existing = [str(p) for p in targets if p.exists()]
    if existing and not force:
        raise OutputExistsError(f"{', '.join(existing)}: already there; choose a new folder, or add --force "
                                "to overwrite (your edits in them are lost).")
    round_id, season, deadline = next_round(today)
    audit, comments = later_deadlines(deadline)
    text = render("round/round.toml", round_id=round_id, round_name=f"Laatumerkin auditointikierros, {season}",
                  instance=new_instance(), self_deadline=deadline, audit_deadline=audit, comments_deadline=comments)
    write_text(targets[0], text, force=force)
    for target in targets[1:]:
        write_bytes(target, (source / target.name).read_bytes(), force=force)
    return targets

