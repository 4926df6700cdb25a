"""An audit round: the round file (round.toml) with the registers it names, and a new round's folder.

The registers themselves are read by registers.py (the rows of a table by records.py).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import OutputExistsError, Problem, RoundError, Text, say
from .i18n import DOCUMENT_LANGUAGES, N_
from .i18n import language as lang_of
from .dates import date_fi, parse_iso
from .model import AUDIT_TYPES, Auditor, Workshop
from .outputs import write_bytes, write_text
from .resources import templates_dir
from .records import listing
from .registers import auditor_rows, is_email, read_register
from .templating import render

ROUND_FILE = "round.toml"
REGISTER_FILE = "tyopajat.csv"
AUDITORS_FILE = "auditoijat.csv"
METHODS: tuple[str, ...] = ("peer", "register")
MAX_TEAM_SIZE = 10

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
    language: str = "fi"  # the round's language: its coordinator's reports, and workshops without their own

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




def document_language(round_: Round, w: Workshop) -> str:
    """The language a workshop's documents and letters are made in: the register's kieli, else the round's
    (a round in English, for support people, makes its documents in Finnish)."""
    if w.language:
        return w.language
    return round_.config.language if round_.config.language in DOCUMENT_LANGUAGES else "fi"


def auditor_language(round_: Round, auditor: Auditor) -> str:
    """The language of an auditor's letters: the auditor register's kieli, else the round's. (An auditor as the
    assignment names them is found in the register by name and email.)"""
    if auditor.language:
        return auditor.language
    for listed in round_.auditors:
        if (listed.name, listed.email) == (auditor.name, auditor.email) and listed.language:
            return listed.language
    return round_.config.language if round_.config.language in DOCUMENT_LANGUAGES else "fi"


PHASES: tuple[str, ...] = ("self", "audit", "comments")
# Where each phase's deadline is written in round.toml. The single round.deadline of earlier round
# files is still read: as the self-assessment's deadline.
DEADLINE_KEYS = {"self": "deadlines.self_assessment", "audit": "deadlines.audit", "comments": "deadlines.comments"}
_SCHEMA: dict[str, dict[str, str]] = {
    # table → key → RoundConfig field
    "round": {"id": "id", "name": "name", "audit_type": "audit_type", "deadline": "old_deadline",
              "instance": "instance", "language": "language"},
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


def load_round(path: str | os.PathLike[str]) -> Round:
    """Load round.toml, its workshop register and its auditors file.

    Raises RoundError listing every error found (in the round file, the register and the auditors
    file) in one go; warnings (e.g. an unused column, a deadline in the past) are on Round.problems.
    """
    round_path = Path(path)
    name = str(round_path)
    data, problems = _read_toml(round_path)
    if data is None:
        raise RoundError(say("The round file cannot be read:"), problems)
    config, config_problems = _config(data, round_path)
    problems += config_problems
    workshops, auditors, file_problems = _read_round_files(config, name)
    problems += file_problems
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise RoundError(say("{file}: {count} problem(s) to fix before the round can be used:", file=name,
                             count=len(errors)), errors)
    return Round(config, workshops, auditors, tuple(problems))


def _read_toml(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(name, "", say("file not found; give the path of a round file, or make one with "
                                            "`auditkit init FOLDER`."), code="round-file-not-found")]
    except OSError as err:
        return None, [Problem(name, "", say("cannot be read ({reason}); check the path and permissions.",
                                            reason=str(err.strerror or err)), code="file-unreadable")]
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
        return None, [Problem(name, place, say(
            "{reason}; fix the syntax there: text goes in double quotes, e.g. name = \"Kevät 2026\".",
            reason=message), code="toml-syntax")]


def _config(data: dict[str, Any], path: Path) -> tuple[RoundConfig, list[Problem]]:
    """The RoundConfig from parsed TOML and every problem; a bad value is replaced by its default so that
    the register can still be checked in the same run."""
    name = str(path)
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def problem(key: str, code: str, message: Text, severity: str = "error") -> None:
        place = f"key {key}" if "." in key else f"table [{key}]"
        problems.append(Problem(name, place, message, severity, code))  # type: ignore[arg-type]

    for table, content in data.items():
        if table not in _SCHEMA:
            problem(table, "unknown-table", say("unknown table; a round file has {tables}.",
                                                tables=", ".join("[" + t + "]" for t in _SCHEMA)))
            continue
        if not isinstance(content, dict):
            problem(table, "not-a-table", say("'{table}' must be a table: [{table}] on its own line, its keys below "
                                              "it.", table=table))
            continue
        for key, value in content.items():
            field = _SCHEMA[table].get(key)
            if field is None:
                problem(f"{table}.{key}", "unknown-key", say("unknown key; [{table}] has {keys}.", table=table,
                                                             keys=", ".join(_SCHEMA[table])))
                continue
            values[field] = (f"{table}.{key}", value)
    for required in _REQUIRED:
        table, key = required.split(".")
        if _SCHEMA[table][key] not in values:
            problem(required, "key-missing", say("missing; add {key} = \"…\" under [{table}].", key=key, table=table))

    def text(field: str, default: str = "") -> str:
        if field not in values:
            return default
        key, value = values[field]
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        if not isinstance(value, str):
            problem(key, "not-text", say("must be text in double quotes, e.g. {key} = \"{value}\".",
                                         key=key.split(".")[1], value=str(value)))
            return default
        return value.strip()

    config_id = text("id")
    if config_id and not _SLUG.match(config_id):
        problem("round.id", "id-unsafe", say("'{id}' is not a safe id; use lower-case letters a–z, digits and "
                                             "hyphens, e.g. id = \"{suggestion}\".", id=config_id,
                                             suggestion=slug(config_id)))
    instance = text("instance")
    if "instance" in values and not _INSTANCE.match(instance):
        problem("round.instance", "instance-invalid", say(
            "'{instance}' is not an instance id; it is made by `auditkit init` (letters and digits, e.g. instance = "
            "\"{example}\"). Restore the line as it was: the kits already sent carry it.", instance=instance,
            example=new_instance()))
        instance = ""
    elif "instance" not in values and config_id:
        problem("round.instance", "instance-missing", say(
            "the round has no instance id, so files of another round with the same id '{id}' (another coordinator's, "
            "or a later round's) cannot be told apart from this round's. Add under [round] the line instance = "
            "\"{example}\"; kits made before keep working, kits made after carry it.", id=config_id,
            example=new_instance()), "warning")
    if "name" in values and not text("name"):
        problem("round.name", "name-empty", say("is empty; write the round's name as the documents should show it."))
    audit_type = text("audit_type", "peer")
    if audit_type not in AUDIT_TYPES:
        problem("round.audit_type", "audit-type-unknown", say(
            "'{value}' is not an audit type; write \"peer\" (vertaisauditointi) or \"external\" (ulkoinen "
            "auditointi).", value=audit_type))
    deadline, audit_deadline, comments_deadline = _check_deadlines(values, text, problem)
    coordinator_email = text("coordinator_email")
    if coordinator_email and not is_email(coordinator_email):
        problem("coordinator.email", "email-invalid", say("'{email}' is not an email address; write one address.",
                                                           email=coordinator_email))
    method = text("assignment_method", "peer")
    if method not in METHODS:
        problem("assignment.method", "method-unknown", say(
            "'{value}' is not a way to assign auditors; write \"peer\" (auditors from the participating workshops) "
            "or \"register\" (from the auditors file).", value=method))
    team_size = _check_team_size(values.get("team_size"), problem)
    register, auditors = text("register", REGISTER_FILE), text("auditors")
    if "register" in values and not register:
        problem("register.workshops", "register-empty", say(
            "is empty; give the workshop register's file name, e.g. \"tyopajat.csv\"."))
    if method == "register" and not auditors:
        problem("assignment.method", "auditors-file-missing", say(
            "\"register\" takes the auditors from the auditors file, but register.auditors is empty; give the file, "
            "or use method = \"peer\"."))
    if audit_type == "external" and method == "peer":
        problem("assignment.method", "external-with-peers", say(
            "the audit is external but auditors are drawn from the workshops (\"peer\"); for external auditors list "
            "them in a file and use method = \"register\"."), "warning")
    language = text("language", "fi")
    try:
        language = lang_of(language).code
    except ValueError:
        problem("round.language", "language-unknown", say(
            "'{value}' is not a language auditkit speaks; write \"fi\" (suomi), \"sv\" (svenska) or \"en\".",
            value=language))
        language = "fi"
    assignment_file, output = text("assignment_file", "jaot.csv"), text("output", "output")
    for field, key in (("assignment_file", "assignment.file"), ("output", "output.folder")):
        if field in values and not text(field):
            problem(key, "value-empty", say("is empty; give a file or folder name, or remove the line to use the "
                                            "default."))
    return RoundConfig(
        id=config_id, name=text("name"), audit_type=audit_type, deadline=deadline, audit_deadline=audit_deadline,
        comments_deadline=comments_deadline,
        coordinator=text("coordinator"), coordinator_email=coordinator_email,
        return_to=text("return_to") or coordinator_email, register=register, auditors=auditors,
        assignment_method=method, team_size=team_size, assignment_file=assignment_file or "jaot.csv",
        output=output or "output", base_dir=path.parent, file=str(path), instance=instance,
        language=language,
    ), problems


def _check_deadlines(values: dict[str, Any], text: Any, problem: Any) -> tuple[str, str, str]:
    """The three deadlines (self-assessment, audit, comments) as ISO dates, each checked, and in order."""
    old, new = text("old_deadline"), text("deadline")
    if old and new and old != new:
        problem("round.deadline", "deadlines-disagree", say(
            "'{old}' and deadlines.self_assessment '{new}' disagree; the self-assessment has one deadline: keep "
            "deadlines.self_assessment and remove round.deadline.", old=old, new=new))
    dates: dict[str, str] = {}
    for phase, field in (("self", "deadline"), ("audit", "audit_deadline"), ("comments", "comments_deadline")):
        key = DEADLINE_KEYS[phase]
        given = text(field) or (old if phase == "self" else "")
        if phase == "self" and not new and old:
            key = "round.deadline"
        dates[phase] = _check_date(key, given, problem) if given else ""
    if not dates["self"] and not old:
        problem("deadlines", "self-deadline-missing", say(
            "no self-assessment deadline; the kits will not say when to return them. Add self_assessment = "
            "\"YYYY-MM-DD\" under [deadlines]."), "warning")
    if not dates["audit"]:
        problem("deadlines", "audit-deadline-missing", say(
            "no audit deadline; the auditors' packs will not say when the audit is due. Add audit = \"YYYY-MM-DD\" "
            "under [deadlines]."), "warning")
    for earlier, later, why in (("self", "audit", N_("the auditors start from the returned self-assessments")),
                                ("audit", "comments", N_("the workshop comments on the auditors' draft report"))):
        if dates[earlier] and dates[later] and dates[later] <= dates[earlier]:
            problem(DEADLINE_KEYS[later], "deadlines-out-of-order", say(
                "{later} is not after the {phase} deadline {earlier}, but {why}; correct the dates.",
                later=date_fi(dates[later]), phase=say(_PHASE_NAME[earlier]), earlier=date_fi(dates[earlier]),
                why=say(why)))
    return dates["self"], dates["audit"], dates["comments"]


_PHASE_NAME = {"self": N_("self-assessment"), "audit": N_("audit"), "comments": N_("comments")}


def _check_date(key: str, value: str, problem: Any) -> str:
    """An ISO date, or "" with an error that shows the right way to write it."""
    name = key.split(".")[1]
    finnish = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value)
    if parse_iso(value) is None:
        hint = (f"{name} = \"{finnish.group(3)}-{int(finnish.group(2)):02d}-{int(finnish.group(1)):02d}\""
                if finnish else f"{name} = \"2026-06-01\"")
        problem(key, "date-invalid", say("'{value}' is not a date as YYYY-MM-DD; write e.g. {hint}.", value=value,
                                         hint=hint))
        return ""
    return value


def passed_deadline(config: RoundConfig, phase: str, today: dt.date | None = None) -> Problem | None:
    """A warning when a phase's deadline has passed (the documents about to be made would show it)."""
    day = parse_iso(config.deadline_of(phase))
    today = today or dt.date.today()
    if day is None or day >= today:
        return None
    return Problem(config.file, "", say(
        "the {phase} deadline {date} has passed, and the documents made now show it; check the date.",
        phase=say(_PHASE_NAME[phase]), date=date_fi(day)), "warning", "deadline-passed")


def _check_team_size(entry: tuple[str, Any] | None, problem: Any) -> int:
    if entry is None:
        return 2
    _key, value = entry
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TEAM_SIZE:
        problem("assignment.team_size", "team-size-invalid", say(
            "'{value}' is not a team size; write a whole number from 1 to {most} without quotes, e.g. team_size = 2.",
            value=str(value), most=MAX_TEAM_SIZE))
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
            problems.append(Problem(round_name, f"key {key}", say(
                "'{path}' not found; the path is relative to the round file's folder. Correct the file name.",
                path=str(path)), code="register-not-found"))
    if config.register_path.is_file():
        workshops, register_problems = read_register(config.register_path)
        problems += register_problems
    register_broken = any(p.severity == "error" for p in problems)
    if config.auditors_path is not None and config.auditors_path.is_file():
        rows, auditor_problems = auditor_rows(config.auditors_path)
        problems += auditor_problems
        ids = {w.id.casefold(): w.id for w in workshops}
        for auditor, record in rows:
            home = ids.get(auditor.home_workshop_id.casefold(), auditor.home_workshop_id)
            # A register row with errors is left out of workshops: its auditors are not a second problem.
            if config.assignment_method == "peer" and workshops and home not in ids.values() and not register_broken:
                what = (say("home workshop '{home}' is not in the register", home=home) if home
                        else say("no home workshop (kotipaja)"))
                problems.append(Problem(str(config.auditors_path), record.place, say(
                    "{auditor}: {what}; in a peer round each auditor comes from a participating workshop. Give its id "
                    "as in the register.", auditor=auditor.name, what=what), code="home-workshop-unknown"))
                continue
            unknown = [i for i in auditor.conflicts if i.casefold() not in ids]
            if unknown and workshops:
                problems.append(Problem(str(config.auditors_path), record.place, say(
                    "{auditor}: declared conflict(s) of interest with {ids}, which the register does not have; check "
                    "the ids (the others are kept).", auditor=auditor.name, ids=", ".join(unknown)), "warning",
                    "conflict-unknown"))
            conflicts = tuple(ids[i.casefold()] for i in auditor.conflicts if i.casefold() in ids)
            auditors.append(Auditor(auditor.name, auditor.email, home, organisation=auditor.organisation,
                                    conflicts=conflicts, language=auditor.language))
        if config.assignment_method == "peer" and auditors:
            named = {a.home_workshop_id for a in auditors}
            unnamed = [w.id for w in workshops if w.id not in named]
            if unnamed:
                problems.append(Problem(str(config.auditors_path), "", say(
                    "no auditor is named for {workshops}; each of them supplies an unnamed peer auditor whom the "
                    "letters address by the workshop's name. Add a person for each.", workshops=listing(unnamed)),
                    "warning", "auditor-unnamed"))
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


# The seasons of next_round's names in Swedish.
_SEASONS_SV = {"kevät": "våren", "syksy": "hösten"}


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


# The example round's name in each language a round can be made in (the season follows).
_EXAMPLE_NAME = {"fi": "Laatumerkin auditointikierros, {season}", "sv": "Kvalitetsmärkets auditeringsomgång, {season}"}


def init_round(directory: str | Path, *, force: bool = False, today: dt.date | None = None,
               language: str = "fi") -> list[Path]:
    """Write a commented round.toml, an example register and an example auditors file into directory.

    language: the round's language (round.toml [round] language); "sv" writes a Swedish-speaking example
    (workshops and auditors of Swedish-speaking Finland, a Swedish round name). Returns the paths written. Raises OutputExistsError (writing nothing) when any of them exists and
    force is False.
    """
    folder = Path(directory)
    source = templates_dir() / "round"
    targets = [folder / ROUND_FILE, folder / REGISTER_FILE, folder / AUDITORS_FILE]
    existing = [str(p) for p in targets if p.exists()]
    if existing and not force:
        raise OutputExistsError(say("{files}: already there; choose a new folder, or add --force to overwrite (your "
                                    "edits in them are lost).", files=", ".join(existing)))
    language = lang_of(language).code
    round_id, season, deadline = next_round(today)
    if language == "sv":
        word, _, year = season.partition(" ")
        season = f"{_SEASONS_SV.get(word, word)} {year}"
    audit, comments = later_deadlines(deadline)
    text = render("round/round.toml", round_id=round_id,
                  round_name=_EXAMPLE_NAME.get(language, _EXAMPLE_NAME["fi"]).format(season=season),
                  instance=new_instance(), self_deadline=deadline, audit_deadline=audit, comments_deadline=comments,
                  language=language)
    write_text(targets[0], text, force=force)
    for target in targets[1:]:
        example = source / f"{target.stem}.{language}{target.suffix}"
        write_bytes(target, (example if example.is_file() else source / target.name).read_bytes(), force=force)
    return targets



def round_language(path: str | os.PathLike[str]) -> str | None:
    """The language a round file names ([round] language), or None when it names none or cannot be read
    (load_round reports why); for the command line to speak the round's language before loading it."""
    try:
        data = tomllib.loads(Path(path).read_bytes().decode("utf-8-sig"))
        value = data.get("round", {}).get("language")
        return lang_of(value).code if isinstance(value, str) and value.strip() else None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, AttributeError):
        return None
