"""Merging returned files into a RoundResult, in named steps a reader can follow.

compile_round: find the files (find_files) → read each (read_files) → check whose it is
(check_identities: what it shows against its hidden identity, the round, the register, the manifest
and its name) → keep one round (keep_one_round, without a round file) → choose among copies
(choose_copies: equal copies are noted, differing ones wait for the coordinator's choice in
valinnat.csv or --use, never for a clock) → merge per workshop, check the answers (checks.py) and
score (merge_workshops) → list what is missing (list_missing).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from . import checks, containers
from .catalogue import Catalogue, number_ranges
from .choices import CHOICES_FILE, Choices, Copy, Unresolved, decide, fingerprint, load_choices
from .dates import date_fi
from .errors import Problem, Text, cause, place_said, say
from .i18n import N_, wording
from .identity import RoundFacts, check_identity
from .labels import AUDIT_TYPE_FI, RECEIVED_FI, ROLE_LABEL
from .model import AUDIT_PHASE, CriterionResponse, Identity, Returned, Workshop
from .parallel import fork_map
from .results import FileStatus, RoundResult, WorkshopResult
from .round import Round, RoundConfig
from .scoring import (
    CAVEAT_NO_SELF,
    Answer,
    Caveat,
    auditor_profile,
    calibration,
    criterion_stats,
    gaps,
    recommend,
    round_group_means,
    self_profile,
)

MAX_FILE_BYTES = 25 * 1024 * 1024
RESULTS_COLUMNS = ("round_id", "workshop_id", "role", "criterion", "rating", "not_applicable", "na_accepted",
                   "reasoning", "practice", "evidence", "strengths", "development", "actions", "owner", "due",
                   "questions", "observations", "source")
# The text fields of results.csv, in its column order: the form's narrative and the workbooks' texts.
RESULTS_TEXTS = RESULTS_COLUMNS[RESULTS_COLUMNS.index("reasoning"):RESULTS_COLUMNS.index("source")]
PROBLEMS_COLUMNS = ("file", "place", "severity", "code", "message")
# results.csv's columns as written: RESULTS_COLUMNS with the workshop's name beside its id (as koonti.xlsx).
RESULTS_CSV_COLUMNS = (*RESULTS_COLUMNS[:2], "workshop", *RESULTS_COLUMNS[2:])
# The headers of results.csv and problems.csv as a person reads them (said in the round's language,
# see csv_header): short, lower-case, one term each, as koonti.xlsx names the same things.
CSV_HEADERS = {
    "round_id": N_("round"), "workshop_id": N_("workshop id"), "workshop": N_("workshop"), "role": N_("role"), "criterion": N_("criterion"),
    "rating": N_("rating"), "not_applicable": N_("not applicable"), "na_accepted": N_("not applicable accepted"),
    "reasoning": N_("reasoning"), "practice": N_("current practice"), "evidence": N_("evidence"),
    "strengths": N_("strengths"), "development": N_("development targets"), "actions": N_("actions"),
    "owner": N_("person responsible"), "due": N_("schedule"), "questions": N_("questions"),
    "observations": N_("observations"), "source": N_("source"),
    "file": N_("file"), "place": N_("place"), "severity": N_("severity"), "code": N_("code"),
    "message": N_("message"),
}
# The values of results.csv and problems.csv that are codes, as a person reads them.
_CSV_SEVERITIES = {"error": N_("error"), "warning": N_("warning")}
_CSV_YES, _CSV_NO = N_("yes"), N_("no")


Reader = Callable[[Path, Catalogue], Returned]

# Documents that come back with the returns but hold no answers (people send back the whole kit, or the
# reports they got): recognised by the role their identity (or title) gives, listed as received.
COMPANION_ROLES = frozenset({"glossary", "peer", "feedback", "consolidated", "plan"})
# The same by a file's name, when the file says nothing of itself (a letter, a PDF copy, a file an editor
# stripped): words the names auditkit gives them contain, and the role they stand for.
_COMPANION_NAMES = (("kehittämissuunnitelma", "plan"), ("palauteraportti", "feedback"),
                    ("koontiraportti", "consolidated"), ("koonti", "consolidated"), ("käsitteet", "glossary"),
                    ("auditointiraportti", "peer"), ("saate", "letter"), ("ilmoitus", "letter"),
                    ("muistutus", "letter"), ("postituslista", "letter"), ("manifest", "manifest"),
                    ("valinnat", "choices"), ("itsearviointilomake", "form-copy"))

# A returned file in another format holds answers that cannot be read as it is: how to save it right.
# Formats whose advice ends by naming the kit's files to return (a CSV or PDF made from them cannot be saved back).
_RETURN_THE_KIT = (".csv", ".pdf")
_ADVICE = {
    ".xls": N_("an old Excel 97–2003 workbook (.xls); open it in Excel or LibreOffice, choose File > Save As and the file type Excel Workbook (.xlsx)"),
    ".xlsb": N_("an Excel binary workbook (.xlsb); open it in Excel, choose File > Save As and the file type Excel Workbook (.xlsx)"),
    ".xlsm": N_("a macro-enabled workbook (.xlsm); open it in Excel, choose File > Save As and the file type Excel Workbook (.xlsx) (without macros)"),
    ".xltx": N_("an Excel template (.xltx), not a workbook; open it in Excel or LibreOffice, choose File > Save As and the file type Excel Workbook (.xlsx)"),
    ".xltm": N_("an Excel template (.xltm), not a workbook; open it in Excel, choose File > Save As and the file type Excel Workbook (.xlsx)"),
    ".xlt": N_("an old Excel template (.xlt); open it in Excel or LibreOffice, choose File > Save As and the file type Excel Workbook (.xlsx)"),
    ".ods": N_("a LibreOffice/OpenDocument spreadsheet (.ods); open it in LibreOffice, choose File > Save As and the "
             "file type Excel 2007-365 (.xlsx), and keep that format when asked"),
    ".numbers": N_("an Apple Numbers file; open it in Numbers and choose File > Export To > Excel (.xlsx)"),
    ".odt": N_("an OpenDocument text (.odt); open it in LibreOffice, choose File > Save As and the file type "
             "Word 2007-365 (.docx), and keep that format when asked"),
    ".doc": N_("an old Word 97–2003 document (.doc); open it in Word or LibreOffice, choose File > Save As and the file type Word Document (.docx)"),
    ".rtf": N_("a Rich Text file (.rtf); open it in Word or LibreOffice, choose File > Save As and the file type Word Document (.docx)"),
    ".dotx": N_("a Word template (.dotx), not the form; open it in Word or LibreOffice, choose File > Save As and the file type Word Document (.docx)"),
    ".dotm": N_("a Word template (.dotm), not the form; open it in Word, choose File > Save As and the file type Word Document (.docx)"),
    ".docm": N_("a macro-enabled Word document (.docm); open it in Word, choose File > Save As and the file type Word Document (.docx) (without macros)"),
    ".pages": N_("an Apple Pages file; open it in Pages and choose File > Export To > Word (.docx)"),
    ".xml": N_("an XML file (perhaps saved as Excel or Word 2003 XML); open it in Excel or Word and save it as "
             ".xlsx or .docx"),
    ".csv": N_("a CSV file, not the workbook; return the .xlsx file of the kit"),
    ".pdf": N_("a PDF; answers cannot be read from a PDF: return the .xlsx and .docx files of the kit"),
    ".gnumeric": N_("a Gnumeric workbook (.gnumeric); open it in Gnumeric, choose File > Save As and the file type "
                  "MS Excel 2007/2010 (.xlsx)"),
    ".fods": N_("a flat OpenDocument spreadsheet (.fods); open it in LibreOffice, choose File > Save As and the file "
              "type Excel 2007-365 (.xlsx)"),
    ".abw": N_("an AbiWord document (.abw); open it in AbiWord, choose File > Save As and the file type Office Open "
             "XML (.docx)"),
    ".zabw": N_("an AbiWord document (.zabw); open it in AbiWord, choose File > Save As and the file type Office Open "
              "XML (.docx)"),
    ".fodt": N_("a flat OpenDocument text (.fodt); open it in LibreOffice, choose File > Save As and the file type "
              "Word 2007-365 (.docx)"),
    ".htm": N_("a web page (.htm), which loses the form's tables; open it in Word or LibreOffice, choose File > Save As and the file type Word Document (.docx)"),
    ".html": N_("a web page (.html), which loses the form's tables; open it in Word or LibreOffice, choose File > Save As and the file type Word Document (.docx)"),
    ".7z": N_("a 7-Zip archive, which auditkit does not open; unpack it and return the files (or pack them as .zip)"),
    ".rar": N_("a RAR archive, which auditkit does not open; unpack it and return the files (or pack them as .zip)"),
}


# --- step 1: find ------------------------------------------------------------------------------


def find_files(dirs: Sequence[Path]) -> list[Path]:
    """Every file under the folders (or the files given), sorted, without duplicates; the members of
    a .zip in its place (see containers.expand); files the computer made (containers.is_junk) left out."""
    found: set[Path] = set()
    for d in dirs:
        if d.is_file():
            found.add(d)
        elif d.is_dir():
            found.update(p for p in d.rglob("*") if p.is_file() and not containers.is_junk(p.relative_to(d)))
    return [member for path in sorted(found, key=lambda p: p.as_posix()) if not containers.is_junk(path.name)
            for member in containers.expand(path)]


def _display(path: Path, bases: Sequence[Path]) -> str:
    unpacked = containers.member(path)
    if unpacked is not None:  # "palautus.zip/P01/P01 – itsearviointi.xlsx"
        return "/".join(part for part in (_display(unpacked.archive, bases), unpacked.inner) if part)
    for base in bases:
        try:
            return path.relative_to(base if base.is_dir() else base.parent).as_posix()
        except ValueError:
            continue
    return path.as_posix()


# --- the whole ---------------------------------------------------------------------------------


def compile_round(
    catalogue: Catalogue,
    dirs: Sequence[Path],
    *,
    round_: Round | None = None,
    kit_ids: Mapping[str, tuple[str, str]] | None = None,
    forwarded: Collection[str] | None = None,
    read_workbook: Reader,
    read_form: Reader,
    progress: Callable[[Path], None] | None = None,
    choices: Choices | None = None,
) -> RoundResult:
    """Read every returned file under dirs and compile the round.

    round_: the round (register) to check against; without it the workshops are those the files name
    and what could not be checked is listed in `unchecked`. kit_ids: kit id -> (workshop id, role) from
    the round's manifest. forwarded: ids of the workshops whose audit pack went to the auditors (an
    auditors' workbook missing from the others is waiting for its self-assessment, not for them);
    None when not known. read_workbook / read_form: the format readers (excel.read_workbook,
    word.read_form). choices: what the coordinator chose among differing copies (default: valinnat.csv
    beside round.toml). Never raises for a bad returned file: it becomes a Problem and a FileStatus.
    """
    if choices is None:
        choices = load_choices(round_.config.base_dir / CHOICES_FILE if round_ is not None else None)
    # With a round, what the files are checked against is known before they are read, and each is checked
    # by the worker that read it; without one, the files themselves name the workshops.
    known = round_facts(round_, kit_ids, ()) if round_ is not None else None
    files = read_files(find_files(dirs), dirs, catalogue, read_workbook, read_form, progress, known)
    with _no_cycle_collection():
        return _compiled(catalogue, files, round_, kit_ids, forwarded, choices, known)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cycle collector paused (as it was after): the steps after reading make half a million objects
    without cycles, and each of the collector's passes would scan every file read again (a third of the
    step's time at 300 workshops). Nothing is kept longer: what the steps drop is freed as it is dropped."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _compiled(catalogue: Catalogue, files: list[ReadFile], round_: Round | None,
              kit_ids: Mapping[str, tuple[str, str]] | None, forwarded: Collection[str] | None, choices: Choices,
              known: RoundFacts | None) -> RoundResult:
    """compile_round's steps after reading."""
    facts = known or round_facts(round_, kit_ids, files)
    files = check_identities(files, catalogue, facts)
    if round_ is None:
        files = keep_one_round(files)
    chosen = choose_copies(catalogue, files, choices)
    workshops = _workshops(round_, chosen.returned)
    results, merged_problems = merge_workshops(catalogue, workshops, chosen, files,
                                               round_.config.language if round_ is not None else "fi")
    missing, missing_problems = list_missing(round_, results, forwarded)
    problems = [*choices.problems, *(p for f in files for p in f.problems), *chosen.problems, *merged_problems,
                *missing_problems]
    statuses = [chosen.status.get(f.path) or f.status_of() for f in files]
    self_profiles = [r.self_scores for r in results if r.self_scores]
    aud_profiles = [r.auditor_scores for r in results if r.auditor_scores]
    # English msgids of the messages catalogue: each reader says them in its language (the reports the round's)
    unchecked = () if round_ else (
        N_("no round given: files were not checked against the register, the manifest or the round id, "
           "and missing returns cannot be listed"),)
    if round_ is not None and not kit_ids:
        unchecked = (N_("no manifest found in the round's output folder: kit ids were not checked"),)
    cfg = round_.config if round_ else None
    return RoundResult(
        round_id=cfg.id if cfg else _common([r.identity.round_id for r in chosen.returned.values()]),
        round_name=cfg.name if cfg else "",
        audit_type=AUDIT_TYPE_FI.get(cfg.audit_type, "") if cfg else "",
        content_version=catalogue.version,
        content_hash=catalogue.hash,
        checked_against_round=round_ is not None,
        language=cfg.language if cfg else "fi",
        workshops=tuple(results),
        files=tuple(sorted(statuses, key=lambda s: s.file)),
        problems=tuple(sorted(problems, key=lambda p: (p.file == "", p.file, p.place_in("en"), p.message_in("en")))),
        missing=tuple(missing),
        self_stats=criterion_stats(catalogue, self_profiles),
        auditor_stats=criterion_stats(catalogue, aud_profiles),
        calibration=calibration(r.gaps for r in results if r.gaps),
        unchecked=unchecked,
        self_groups=round_group_means(self_profiles),
        auditor_groups=round_group_means(aud_profiles),
        unresolved=tuple(chosen.unresolved),
    )


def _common(values: Iterable[str]) -> str:
    distinct = sorted({v for v in values if v})
    return distinct[0] if len(distinct) == 1 else ""


# --- step 2: read ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReadFile:
    """One returned file as the steps pass it on: where it is and its name in messages, its kind
    ("workbook", "form" or "other"), where it stands ("read": answers to compile; "refused", "unreadable",
    "ignored", "received"), what was read, the problems so far, and a received document's role.

    digest and texted: of a file read for its answers, checks.answer_digest and checks.texted_criteria of its
    responses, worked out by the worker that read it (b"" and 0 when not: the steps then work them out);
    the steps after reading replace a file's identity or status, never its responses. checked: whether
    check_identities' check was done (by the worker that read it, when the round was known)."""

    path: Path
    shown: str
    kind: str
    status: str
    returned: Returned | None = None
    problems: tuple[Problem, ...] = ()
    role: str = ""
    digest: bytes = b""
    texted: int = 0
    checked: bool = False

    def status_of(self) -> FileStatus:
        """The file's FileStatus as this step left it ("read" files are used)."""
        ident = self.returned.identity if self.returned else Identity()
        return FileStatus(self.shown, self.kind, "used" if self.status == "read" else self.status,
                          ident.workshop_id, self.role or ident.role, self.returned.saved_at if self.returned else "",
                          RECEIVED_FI.get(self.role, "") if self.status == "received" else "")


# From this many files on, they are read by a worker per core (reading is most of compile's time).
PARALLEL_FROM = 40


def read_files(paths: list[Path], dirs: Sequence[Path], catalogue: Catalogue, read_workbook: Reader,
               read_form: Reader, progress: Callable[[Path], None] | None = None,
               facts: RoundFacts | None = None) -> list[ReadFile]:
    """Each file read by its reader, in the order of paths (on every core for many files); with facts, each
    also checked against them as check_identities checks it."""
    shown = [_display(p, dirs) for p in paths]
    out = []
    for read in fork_map(_read_task, (catalogue, read_workbook, read_form, facts), zip(paths, shown),
                         parallel_from=PARALLEL_FROM, chunksize=8):
        out.append(read)
        if progress:
            progress(read.path)
    return out


def _read_task(readers: tuple[Catalogue, Reader, Reader, RoundFacts | None], item: tuple[Path, str]) -> ReadFile:
    catalogue, read_workbook, read_form, facts = readers
    path, shown = item
    read = read_one(path, shown, catalogue, read_workbook, read_form)
    return check_one(read, catalogue, facts) if facts is not None else read


def read_one(path: Path, shown: str, catalogue: Catalogue, read_workbook: Reader, read_form: Reader) -> ReadFile:
    """One file: its format checked, read by the reader of its kind, received documents recognised, and a
    file without any answer set aside. Never raises."""
    suffix = path.suffix.lower()
    refusal = containers.refusal(path)
    if refusal:  # a returned archive, or a member of one, that was not unpacked
        return ReadFile(path, shown, "other", "unreadable", problems=(Problem(shown, "", refusal, code="archive-refused"),))
    if suffix not in (".xlsx", ".docx"):
        return _other_format(path, shown, suffix)
    kind = "workbook" if suffix == ".xlsx" else "form"
    try:
        size = path.stat().st_size
    except OSError as err:
        return ReadFile(path, shown, kind, "unreadable", problems=(
            Problem(shown, "", say("cannot be read ({reason}); check the file's permissions.", reason=str(err.strerror)),
                    code="file-unreadable"),))
    if size > MAX_FILE_BYTES:
        return ReadFile(path, shown, kind, "unreadable", problems=(
            Problem(shown, "", say("is {size} MB, far larger than a kit file; return the kit's file without pictures "
                                   "or attachments inside.", size=size // (1024 * 1024)), code="file-too-large"),))
    reader = read_workbook if kind == "workbook" else read_form
    try:
        returned = reader(path, catalogue)
    except Exception as err:  # a reader must not raise; if one does, the round still compiles
        return ReadFile(path, shown, kind, "unreadable", problems=(Problem(shown, "", say(
            "could not be read ({cause}); open it in Excel or LibreOffice, save it as .xlsx/.docx and return it again.",
            cause=cause(err)), code="reader-failed"),))
    role = _companion(returned, shown)
    if role:  # the kit's glossary, an audit report, a feedback report, …: listed, not read for answers
        return ReadFile(path, shown, kind, "received", returned, role=role)
    problems = [p.in_file(shown) for p in returned.problems]
    if not returned.identity.workshop_id and not returned.identity.kit_id and not returned.responses:
        return ReadFile(path, shown, kind, "unreadable", problems=tuple(problems))
    if not checks.has_answers(returned, catalogue):
        if any(p.severity == "error" for p in returned.problems):
            return ReadFile(path, shown, kind, "unreadable", returned, tuple(problems))  # the reader said why
        what = ROLE_LABEL.get("form" if kind == "form" else returned.identity.role, "file")
        problems.append(Problem(shown, "", say(
            "has no answers at all: every rating and text is empty. It was not compiled, so this {what} counts as not "
            "returned; ask for the filled file (it may have been saved under another name or elsewhere).", what=what),
            "warning", "no-answers"))
        return ReadFile(path, shown, kind, "ignored", returned, tuple(problems))
    return ReadFile(path, shown, kind, "read", returned, tuple(problems), digest=checks.answer_digest(returned),
                    texted=checks.texted_criteria(returned))


def _other_format(path: Path, shown: str, suffix: str) -> ReadFile:
    """A file that is neither .xlsx nor .docx: a document of the kit (received), another format with
    advice on how to save it right, or something else (a warning)."""
    role = _companion_by_name(shown)
    if role and (suffix in (".txt", ".pdf") or (suffix == ".csv" and role in ("letter", "manifest", "choices"))):
        return ReadFile(path, shown, "other", "received", role=role)
    advice = _ADVICE.get(suffix)
    if advice is None:
        return ReadFile(path, shown, "other", "ignored", problems=(Problem(shown, "", say(
            "is not a workbook or form (.xlsx or .docx), so it was not read. If it holds answers, write them in the "
            "kit's .xlsx or .docx file and return that."), "warning", "other-file"),))
    if suffix in _RETURN_THE_KIT:  # the advice names the kit's files to return: "return it again" would mean this one
        message = say("{advice}.", advice=say(advice))
    else:
        message = say("{advice}, then return it again.", advice=say(advice))
    return ReadFile(path, shown, "other", "unreadable", problems=(Problem(shown, "", message, code="other-format"),))


def _companion(r: Returned, shown: str) -> str:
    """The role of a document that holds no answers (COMPANION_ROLES), by its identity or, when it says
    nothing of itself, by its name; "" for a workbook or form to compile. A form whose title and
    identity disagree is not one: compile refuses it (identity.check_identity)."""
    role = r.identity.role
    if r.kind == "form" and role in COMPANION_ROLES and r.shown.role in ("", role):
        return role
    if r.kind == "workbook" and role in COMPANION_ROLES and role != "peer":
        return role
    if not role and not r.responses:
        by_name = _companion_by_name(shown)
        return by_name if by_name not in ("", "form-copy", "letter") else ""
    return ""


def _companion_by_name(shown: str) -> str:
    """The role a file's name gives a document of the kit or the reports ("" for none); a file in a
    folder named palaute is a feedback report's (compile writes them there)."""
    parts = unicodedata.normalize("NFC", shown).casefold().replace("\\", "/").split("/")
    role = next((role for word, role in _COMPANION_NAMES if word in parts[-1]), "")
    return role or ("feedback" if "palaute" in parts[:-1] else "")


# --- step 3: whose is it -----------------------------------------------------------------------


def round_facts(round_: Round | None, kit_ids: Mapping[str, tuple[str, str]] | None,
                files: Sequence[ReadFile]) -> RoundFacts:
    """What the files are checked against: the round, its register and manifest; without a round, the
    workshops the files themselves name (for the names a file name may carry)."""
    if round_ is not None:
        return RoundFacts.of(round_.config.id, round_.config.instance, round_.workshops, kit_ids, True)
    seen: dict[str, Workshop] = {}
    for f in files:
        ident = f.returned.identity if f.returned is not None else None
        if ident is not None and ident.workshop_id and f.status == "read":
            seen.setdefault(ident.workshop_id.casefold(), Workshop(ident.workshop_id, ident.workshop_name))
    return RoundFacts.of("", "", sorted(seen.values(), key=lambda w: w.id), kit_ids, False)


def check_identities(files: Sequence[ReadFile], catalogue: Catalogue, facts: RoundFacts) -> list[ReadFile]:
    """Each file read for its answers checked against whose it says it is (identity.check_identity): used,
    or refused with a message naming both identities."""
    return [f if f.checked else check_one(f, catalogue, facts) for f in files]


def check_one(f: ReadFile, catalogue: Catalogue, facts: RoundFacts) -> ReadFile:
    """One file as check_identities leaves it (checked: not checked again)."""
    if f.status == "received" and f.returned is not None:
        return replace(_received_workshop(f, facts), checked=True)
    if f.status != "read" or f.returned is None:
        return replace(f, checked=True)
    verdict = check_identity(f.returned, f.shown, f.kind, catalogue, facts)
    return replace(f, status="read" if verdict.status == "used" else "refused", returned=verdict.returned,
                   problems=(*f.problems, *verdict.problems), checked=True)


def _received_workshop(f: ReadFile, facts: RoundFacts) -> ReadFile:
    """A received document whose editor dropped its properties, with the workshop its kit id names (status
    counts an audit report that came back)."""
    assert f.returned is not None
    ident = f.returned.identity
    if ident.workshop_id or not ident.kit_id or not facts.kit_ids or ident.kit_id not in facts.kit_ids:
        return f
    return replace(f, returned=replace(f.returned, identity=replace(ident, workshop_id=facts.kit_ids[ident.kit_id][0])))


# --- step 4: one round -------------------------------------------------------------------------


def keep_one_round(files: Sequence[ReadFile]) -> list[ReadFile]:
    """Without a round file: the files of the round most of them belong to (its id, then its instance);
    a file of another round is refused, never merged with this round's as a copy or a workshop's other
    file. When no round has the most files, none of theirs is used."""
    read = [f for f in files if f.status == "read" and f.returned is not None]
    by_id = Counter(f.returned.identity.round_id for f in read if f.returned and f.returned.identity.round_id)
    round_id = _majority(by_id)
    by_instance = Counter(f.returned.identity.round_instance for f in read if f.returned
                          and f.returned.identity.round_instance and f.returned.identity.round_id in ("", round_id))
    instance = _majority(by_instance)
    if len(by_id) < 2 and len(by_instance) < 2:
        return list(files)
    rounds = Counter((f.returned.identity.round_id, f.returned.identity.round_instance) for f in read if f.returned)
    listing = "; ".join(f"{_round_name(r, i)}: {n} file(s)" for (r, i), n in sorted(rounds.items()) if r or i)
    out = []
    for f in files:
        ident = f.returned.identity if f.returned is not None else None
        other = ident is not None and f.status == "read" and (
            (ident.round_id and ident.round_id != round_id) or
            (ident.round_instance and ident.round_instance != instance))
        if not other or ident is None:
            out.append(f)
            continue
        if round_id is None or (ident.round_instance and instance is None):
            why = say("the returned files belong to different rounds ({rounds}) and nothing says which this compile "
                      "is for, so none of theirs was used", rounds=listing)
        else:
            why = say("it belongs to round {round}, but most returned files belong to round {most}; files of "
                      "different rounds are never compiled together, so it was not used",
                      round=_round_name(ident.round_id, ident.round_instance), most=_round_name(round_id, instance or ""))
        out.append(replace(f, status="refused", problems=(*f.problems, Problem(f.shown, "tunniste", say(
            "{why}. Compile each round's files apart, giving its round file first (auditkit compile "
            "kierros/round.toml palautetut/).", why=why), code="rounds-mixed"))))
    return out


def _majority(counts: Counter[str]) -> str | None:
    """The value counted most often; None when two share the most ("" when nothing was counted)."""
    if not counts:
        return ""
    ranked = counts.most_common()
    return None if len(ranked) > 1 and ranked[0][1] == ranked[1][1] else ranked[0][0]


def _round_name(round_id: str, instance: str) -> str:
    return f"{round_id or '(no id)'}" + (f" (instance {instance})" if instance else "")


# --- step 5: choose among copies ---------------------------------------------------------------


@dataclass(slots=True)
class Chosen:
    """What choose_copies decided: per (workshop id casefolded, "self"/"form"/"peer") the answers that count,
    the statuses of copies not used, the problems, the disagreements per workshop, and what is unresolved."""

    returned: dict[tuple[str, str], Returned] = field(default_factory=dict)
    status: dict[Path, FileStatus] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    conflicts: dict[str, list[tuple[str, Problem]]] = field(default_factory=dict)
    unresolved: list[Unresolved] = field(default_factory=list)


def choose_copies(catalogue: Catalogue, files: Sequence[ReadFile], choices: Choices) -> Chosen:
    """One file's answers per workshop and document, decided by the files' contents and by people, never
    by a clock. Copies with the same answers: one is used, the others noted. An auditors' workbook of
    phase two (made from the returned self-assessment) wins over one of phase one by its phase marker.
    Copies that differ: the one the coordinator chose (--use, valinnat.csv), else only the answers all
    copies share, an error naming the differences, and the workshop marked unresolved."""
    chosen = Chosen()
    groups: dict[tuple[str, str], list[ReadFile]] = {}
    for f in files:
        if f.status == "read" and f.returned is not None:
            ident = f.returned.identity
            groups.setdefault((ident.workshop_id.casefold(), "form" if f.kind == "form" else ident.role), []).append(f)
    for key, items in sorted(groups.items()):
        items = sorted(items, key=lambda f: f.shown)
        if key[1] == "peer" and any(_phase(f) == AUDIT_PHASE for f in items):
            later = [f for f in items if _phase(f) == AUDIT_PHASE]
            for f in items:
                if _phase(f) != AUDIT_PHASE:
                    chosen.status[f.path] = _status(f, "duplicate", say("phase two's {file} was used", file=later[0].shown))
                    chosen.problems.append(_phase_one_copy(f, later[0]))
            items = later
        if len(items) == 1:
            chosen.returned[key] = _answers(items[0])
            continue
        versions: dict[bytes, int] = {}
        for f in items:
            versions.setdefault(_digest(f), len(versions) + 1)
        version = {f.path: versions[_digest(f)] for f in items}
        if len(versions) == 1:
            _same_answers(items, chosen, key)
            continue
        copies = [(Copy(f.shown, fingerprint(f.path), _answers(f).saved_at, version[f.path]), f.path) for f in items]
        decision = decide(choices, copies)
        if decision.version is not None:
            same = [f for f in items if version[f.path] == decision.version]
            _same_answers(same, chosen, key)
            for f in items:
                if version[f.path] != decision.version:
                    chosen.status[f.path] = _status(f, "duplicate", say("{by} chooses {file}", by=decision.by, file=same[0].shown))
            continue
        _unresolved(catalogue, items, [c for c, _ in copies], decision.why_not, choices, chosen, key)
    return chosen


def _answers(f: ReadFile) -> Returned:
    assert f.returned is not None
    return f.returned


def _digest(f: ReadFile) -> bytes:
    """The file's answers as checks.answer_digest: as its reader worked it out, else worked out now."""
    return f.digest or checks.answer_digest(_answers(f))


def _phase(f: ReadFile) -> str:
    return _answers(f).identity.phase


def _status(f: ReadFile, status: str, note: str | Text = "") -> FileStatus:
    ident = _answers(f).identity
    return FileStatus(f.shown, f.kind, status, ident.workshop_id, ident.role, _answers(f).saved_at, note)


def _document(key: tuple[str, str]) -> str:
    return ROLE_LABEL.get(key[1], key[1])


def _phase_one_copy(f: ReadFile, kept: ReadFile) -> Problem:
    return Problem(f.shown, "", say(
        "an auditointitaulukko of workshop {workshop} from the kit of phase one (made before the self-assessment was "
        "forwarded) beside the one made from the returned self-assessment ({kept}); {kept} was used. If the auditors' "
        "answers are in this file, copy them into {kept}.", workshop=_answers(f).identity.workshop_id, kept=kept.shown),
        "warning", "phase-one-copy")


def _same_answers(items: Sequence[ReadFile], chosen: Chosen, key: tuple[str, str]) -> None:
    """Copies with the same answers: the first is used; each other one is noted (a warning, except for the
    very same file twice, byte for byte, e.g. inside an audit pack sent back whole)."""
    kept = items[0]
    chosen.returned[key] = _answers(kept)
    for f in items[1:]:
        chosen.status[f.path] = _status(f, "duplicate", say("the same answers as {file}", file=kept.shown))
        a = _answers(f)
        if fingerprint(f.path) == fingerprint(kept.path):
            continue
        chosen.problems.append(Problem(f.shown, "", say(
            "another copy of workshop {workshop}'s {document} with the same answers as {kept}; they were read once, "
            "nothing is lost. Keep one copy to silence this.", workshop=a.identity.workshop_id,
            document=_document(key), kept=kept.shown), "warning", "copy-same-answers"))


def _unresolved(catalogue: Catalogue, items: Sequence[ReadFile], copies: Sequence[Copy], why_not: str,
                choices: Choices, chosen: Chosen, key: tuple[str, str]) -> None:
    """Differing copies nobody chose among: only what they share counts, and the coordinator is told how
    to choose."""
    first = _answers(items[0])
    diffs = [d for f in items[1:] for d in checks.differences(catalogue, first, _answers(f))]
    numbers = tuple(sorted({d.number for d in diffs}))
    ident = first.identity
    where: str | Text = (str(choices.path) if choices.path else
                         say("{file} (beside round.toml, or in the report folder)", file=CHOICES_FILE))
    names = ", ".join(f.shown for f in items)
    problem = Problem(items[0].shown, "", say(
        "{count} copies of workshop {workshop}'s {document} came back with different answers ({names}): "
        "{differences}. Nothing in the files tells which is final (the times they record come from different "
        "computers' clocks), so neither copy was used for those answers, only what the copies share, and the "
        "workshop's result is marked unresolved. {why_not}Say which copy counts: write x in the column Käytä on "
        "its row in {where} (the copies are listed there), or compile again with --use \"{first}\".",
        count=len(items), workshop=ident.workshop_id, document=_document(key), names=names,
        differences=checks.differences_text(diffs), why_not=why_not + " " if why_not else "", where=where,
        first=items[0].shown), code="copies-differ")
    chosen.problems.append(problem)
    chosen.problems += [Problem(f.shown, "", say(
        "a copy of workshop {workshop}'s {document} whose answers differ from those of another copy ({first}, "
        "where the differences are listed); it is not used until you say which copy counts.",
        workshop=ident.workshop_id, document=_document(key), first=items[0].shown), code="copy-differs")
        for f in items[1:]]
    chosen.conflicts.setdefault(key[0], []).append(("audit" if key[1] == "peer" else "self", problem))
    chosen.returned[key] = _shared(catalogue, [_answers(f) for f in items])
    for f in items:
        chosen.status[f.path] = _status(f, "conflict", say("copies differ: choose one"))
    chosen.unresolved.append(Unresolved(ident.workshop_id, ident.workshop_name, key[1], _document(key),
                                        tuple(copies), numbers))


def _shared(catalogue: Catalogue, copies: Sequence[Returned]) -> Returned:
    """The answers every copy gives alike: per criterion the rating, the acceptance and each text where all
    agree, left empty where they differ. The file is the first copy (its name and identity)."""
    first = copies[0]
    out = []
    for c in catalogue.criteria:
        found = [r.response(c.number) for r in copies]
        xs = [x for x in found if x is not None]
        if len(xs) < len(found):
            continue  # a copy lacks the criterion's row: nothing of it is shared
        x0 = xs[0]
        rating_same = all((x.rating, x.not_applicable) == (x0.rating, x0.not_applicable) for x in xs)
        accepted_same = all(x.na_accepted == x0.na_accepted for x in xs)
        texts = {k: v for k, v in x0.texts.items()
                 if all(" ".join(x.texts.get(k, "").split()) == " ".join(v.split()) for x in xs)}
        out.append(replace(x0, rating=x0.rating if rating_same else None,
                           not_applicable=x0.not_applicable if rating_same else False,
                           na_accepted=x0.na_accepted if accepted_same else None,
                           texts=MappingProxyType({k: texts.get(k, "") for k in x0.texts})))
    return replace(first, responses=tuple(out), problems=())


# --- step 6: merge per workshop, and score -----------------------------------------------------


def _workshops(round_: Round | None, chosen: Mapping[tuple[str, str], Returned]) -> list[Workshop]:
    if round_ is not None:
        return list(round_.workshops)
    seen: dict[str, Workshop] = {}
    for (key, _), r in sorted(chosen.items()):
        if key not in seen or (not seen[key].name and r.identity.workshop_name):
            seen[key] = Workshop(id=r.identity.workshop_id, name=r.identity.workshop_name or r.identity.workshop_id)
    return [seen[k] for k in sorted(seen)]


def merge_workshops(catalogue: Catalogue, workshops: Sequence[Workshop], chosen: Chosen,
                    files: Sequence[ReadFile], lang: str = "fi") -> tuple[list[WorkshopResult], list[Problem]]:
    """Each workshop's result from the answers chosen for it (workbook and form merged into one
    self-assessment, scored on each side) and the problems only the files together show; its proposal
    said in lang (the round's language; a workshop's own documents say it again in theirs)."""
    shown = {f.returned.file: f.shown for f in files if f.returned is not None}
    results: list[WorkshopResult] = []
    problems = _copied_between_workshops(catalogue, chosen.returned, shown, files)
    unresolved = {(u.workshop_id.casefold(), u.role): u for u in chosen.unresolved}
    for w in workshops:
        key = w.id.casefold()
        own, aud, form = (chosen.returned.get((key, role)) for role in ("self", "peer", "form"))
        pending = tuple(unresolved[(key, role)] for role in ("self", "form", "peer") if (key, role) in unresolved)
        result, found = _workshop_result(catalogue, w, own, aud, form, shown, chosen.conflicts.get(key, []), pending,
                                         lang)
        results.append(result)
        problems.extend(found)
    return results, problems


def answers_of(r: Returned | Mapping[int, CriterionResponse] | None) -> dict[int, Answer]:
    if r is None:
        return {}
    responses = r.values() if isinstance(r, Mapping) else r.responses
    return {x.number: Answer(x.rating, x.not_applicable, x.na_accepted) for x in responses}


def _workshop_result(catalogue: Catalogue, w: Workshop, own: Returned | None, aud: Returned | None,
                     form: Returned | None, shown: Mapping[str, str], conflicts: list[tuple[str, Problem]],
                     pending: Sequence[Unresolved] = (), lang: str = "fi") -> tuple[WorkshopResult, list[Problem]]:
    """A workshop's scores from its chosen files, and the problems only the files together show: a rating
    the form and the workbook disagree on, and an Ei sovellu the auditors neither accepted nor rejected."""
    merged = merge_self(catalogue, own, form)
    found = [p.in_file(shown.get(p.file, p.file))
             for r in (own, form, aud) if r is not None for p in checks.file_problems(r, catalogue, w.profile)]
    found += checks.self_conflicts(catalogue, own, form, shown)
    conflicts = [*conflicts, *(("self", p) for p in found if p.severity == "error")]
    own_answers = answers_of(merged)
    returned = own is not None or form is not None
    s = self_profile(catalogue, own_answers, w.profile) if returned else None
    a = auditor_profile(catalogue, answers_of(aud), own_answers, w.profile) if aud is not None else None
    if aud is not None and s is not None:
        found += checks.blank_acceptances(catalogue, s, aud, merged, shown)
    rec = recommend(catalogue, a, lang) if a else None
    if rec is not None and s is None:
        rec = rec.with_caveats(NO_SELF_ASSESSMENT)
    if rec is not None and pending:
        rec = rec.with_caveats(unresolved_caveat(pending, lang))
    result = WorkshopResult(
        workshop=w, self_workbook=own, auditor_workbook=aud, form=form, self_scores=s, auditor_scores=a,
        gaps=gaps(s, a) if s and a else {}, recommendation=rec,
        self_answers=MappingProxyType(merged), conflicts=tuple(conflicts),
        unresolved=tuple(u.role for u in pending),
    )
    return result, found


CAVEAT_UNRESOLVED = "unresolved-copies"


def unresolved_caveat(pending: Sequence[Unresolved], lang: str = "fi") -> Caveat:
    """What every report says of a workshop whose file came back in differing copies nobody has chosen
    among: a catalogue text each report says in its own language (`text`: in lang)."""
    said: Text | None = None
    for u in pending:
        names: Text | str = ""
        for c in u.copies:
            name = f"”{Path(c.file).name}”"
            names = say("{first} and {second}", first=names, second=name) if names else name
        part = say(_UNRESOLVED_PART.get(u.role, _UNRESOLVED_PART["self"]), count=len(u.copies), names=names,
                   criteria=number_ranges(u.criteria))
        said = say("{first}; {second}", first=said, second=part) if said is not None else part
    message = say("{parts}. The coordinator has not yet chosen which version is final, so the result is unresolved: "
                  "it holds only what the versions have in common.", parts=said or "")
    return Caveat(CAVEAT_UNRESOLVED, message.said(lang), message)


_UNRESOLVED_PART = {
    "self": N_("The self-assessment workbook was returned in {count} differing versions ({names}), which differ on "
               "criteria {criteria}"),
    "form": N_("The self-assessment form was returned in {count} differing versions ({names}), which differ on "
               "criteria {criteria}"),
    "peer": N_("The audit workbook was returned in {count} differing versions ({names}), which differ on "
               "criteria {criteria}"),
}


def merge_self(catalogue: Catalogue, workbook: Returned | None, form: Returned | None
               ) -> dict[int, CriterionResponse]:
    """The self-assessment as it counts, per criterion: the workbook's rating and reason (the form's rating
    where the workbook has none; checks.self_conflicts reports both cases), with the form's narrative."""
    out: dict[int, CriterionResponse] = {}
    workbook_by = workbook.by_number() if workbook is not None else {}
    form_by = form.by_number() if form is not None else {}
    for c in catalogue.criteria:
        wb = workbook_by.get(c.number)
        fm = form_by.get(c.number)
        if wb is None and fm is None:
            continue
        rating_from = wb if wb is not None and checks.rated(wb) else None
        if rating_from is None and fm is not None and checks.rated(fm):
            rating_from = fm
        texts = dict(fm.texts) if fm is not None else {}
        if wb is not None:
            texts.update({k: v for k, v in wb.texts.items() if v or k not in texts})
        places = {**(fm.places if fm is not None else {}), **(wb.places if wb is not None else {})}
        source = rating_from or wb or fm
        assert source is not None
        out[c.number] = CriterionResponse(
            c.id, c.number, source.rating if rating_from else None, source.not_applicable if rating_from else False,
            None, MappingProxyType(texts), "; ".join(x.place for x in (wb, fm) if x is not None and x.place),
            MappingProxyType(places))
    return out


def _copied_between_workshops(catalogue: Catalogue, chosen: Mapping[tuple[str, str], Returned],
                              shown: Mapping[str, str], files: Sequence[ReadFile] = ()) -> list[Problem]:
    """A warning when two workshops' files hold exactly the same answers, texts and all: the answers were
    probably copied from one workshop's file into the other's, and only the workshops know whose they are.
    files: the files read, whose digests (ReadFile.digest) stand for the answers they were read with."""
    read = {f.returned.file: f for f in files if f.returned is not None and f.digest}
    by_answers: dict[tuple[str, bytes], list[Returned]] = {}
    for (_, role), r in sorted(chosen.items()):
        f = read.get(r.file)
        if f is not None and f.returned is r:
            digest, texted = f.digest, f.texted
        else:  # not as read (the answers differing copies share: _shared)
            digest, texted = checks.answer_digest(r), checks.texted_criteria(r)
        if texted >= _COPIED_TEXTS:
            by_answers.setdefault((role, digest), []).append(r)
    out = []
    for (role, _), same in sorted(by_answers.items(), key=lambda item: item[1][0].file):
        if len({r.identity.workshop_id.casefold() for r in same}) < 2:
            continue
        for r in same:
            others = ", ".join(f"{o.identity.workshop_id} ({shown.get(o.file, o.file)})" for o in same if o is not r)
            out.append(Problem(shown.get(r.file, r.file), "", say(
                "holds exactly the same answers, texts and all, as the {document} of {others}: they were probably "
                "copied from one workshop's file into the other's. It was used as workshop {workshop}'s; check with "
                "both workshops whose answers they are.", document=ROLE_LABEL.get(role, role), others=others,
                workshop=r.identity.workshop_id), "warning", "copied-between-workshops"))
    return out


_COPIED_TEXTS = 5  # texts in this many criteria at least before identical answers count as copied


NO_SELF_ASSESSMENT = Caveat(CAVEAT_NO_SELF, "Itsearviointia ei palautettu: ehdotus perustuu vain auditoijien "
                                            "arvioihin, eikä niitä voitu verrata työpajan omaan arvioon.")


# --- step 7: what is missing -------------------------------------------------------------------


def list_missing(round_: Round | None, results: Sequence[WorkshopResult], forwarded: Collection[str] | None
                 ) -> tuple[list[tuple[str, str]], list[Problem]]:
    """(workshop id, role) of every file not back, and what each means for the coordinator (a round only)."""
    missing: list[tuple[str, str]] = []
    problems: list[Problem] = []
    if round_ is None:
        return missing, problems
    for r in results:
        for role, got in (("self", r.self_workbook), ("form", r.form), ("peer", r.auditor_workbook)):
            if got is None:
                missing.append((r.workshop.id, role))
                note = _missing_problem(r.workshop, role, r.self_workbook, r.form, round_.config, forwarded)
                if note is not None:
                    problems.append(note)
    return missing, problems


def _missing_problem(w: Workshop, role: str, own: Returned | None, form: Returned | None, cfg: RoundConfig | None,
                     forwarded: Collection[str] | None) -> Problem | None:
    """What a file not back means for the coordinator, and what to do: one message per case (None when
    another message says it already)."""
    place = say("workshop {id}", id=w.id)
    deadline = cfg.deadline_of("audit" if role == "peer" else "self") if cfg else None
    due: str | Text = say(" (deadline {date})", date=date_fi(deadline)) if deadline else ""
    if role == "self" and form is not None:
        code, message = "workbook-missing", say(
            "the self-assessment form came back but not its workbook (itsearviointitaulukko), which holds the ratings: "
            "the ratings are still due{due}. Remind the workshop's contact person to return the workbook.", due=due)
    elif role == "self":
        code, message = "self-assessment-missing", say(
            "the self-assessment has not been returned: neither the itsearviointitaulukko nor the "
            "itsearviointilomake{due}; remind the workshop's contact person.", due=due)
    elif role == "form" and own is not None:
        code, message = "form-missing", say(
            "the self-assessment workbook came back but not its form (itsearviointilomake), which holds the practice, "
            "evidence, strengths, development targets and actions: the form is still due{due}. Remind the workshop's "
            "contact person to return it.", due=due)
    elif role == "form":
        return None  # said with the workbook: the whole self-assessment is missing
    elif forwarded is not None and w.id not in forwarded:
        code, message = "audit-not-started", say(
            "the auditointitaulukko has not been returned: the audit has not started, because the self-assessment has "
            "not been forwarded to the auditors (auditkit forward makes the pack once it is back).")
    else:
        code, message = "audit-missing", say(
            "the auditointitaulukko has not been returned{due}; remind the lead auditor.", due=due)
    return Problem("", place, message, "warning", code)


# --- plain outputs -----------------------------------------------------------------------------


def results_rows(result: RoundResult, catalogue: Catalogue, lang: str | None = None) -> list[list[str]]:
    """results.csv's data: one row per workshop, role and criterion, for every returned self-assessment
    (its workbook, its form, or both, as it counts) and auditors' workbook, as codes in RESULTS_COLUMNS'
    order (role "self"/"peer"; not_applicable "1"/"0"; na_accepted "1"/"0"/"" when not said). An auditor
    row's not_applicable is "1" also when the auditors accept the workshop's Ei sovellu (it is theirs then);
    results_table says them in a language."""
    return _results(result, catalogue, lang or result.language, {"self": "self", "peer": "peer"},
                    ("1", "0"), {None: "", True: "1", False: "0"}, named=False)


def _results(result: RoundResult, catalogue: Catalogue, lang: str, roles: Mapping[str, str], na: tuple[str, str],
             accepted: Mapping[bool | None, str], *, named: bool) -> list[list[str]]:
    """The rows of results_rows with each code as given (roles; na: (yes, no); accepted: by na_accepted),
    and, when named, the workshop's name after its id: one pass for the 30 000 rows of 300 workshops."""
    rows = []
    criteria = [(c.number, str(c.number)) for c in catalogue.criteria]
    blanks = ("",) * len(RESULTS_TEXTS)
    round_id = result.round_id
    yes, no = na
    shown = {w.workshop.id: w.workshop.name for w in result.workshops}  # a workshop's name by its id
    for w in result.workshops:
        sides: list[tuple[str, Mapping[int, CriterionResponse], list[Returned]]] = []
        if w.returned_self:
            sides.append(("self", w.self_answers, [r for r in (w.self_workbook, w.form) if r is not None]))
        if w.auditor_workbook is not None:
            sides.append(("peer", {x.number: x for x in w.auditor_workbook.responses}, [w.auditor_workbook]))
        head = [round_id, w.workshop.id, shown[w.workshop.id]] if named else [round_id, w.workshop.id]
        for role, answers, files in sides:
            file_names = [Path(r.file).name for r in files]
            names = "; ".join(file_names)
            said = roles[role]
            for number, text in criteria:
                x = answers.get(number)
                if x is None:
                    rows.append([*head, said, text, "", no, "", *blanks, names])
                    continue
                not_applicable = x.not_applicable or x.rating is None and x.na_accepted is True
                rows.append([
                    *head, said, text, "" if x.rating is None else str(x.rating), yes if not_applicable else no,
                    accepted[x.na_accepted], *map(x.texts.get, RESULTS_TEXTS, blanks), _source(file_names, x, lang),
                ])
    return rows


def _source(file_names: list[str], x: CriterionResponse, lang: str = "fi") -> str:
    """Where a row's values come from: each file's name and the criterion's place in it (a form's place
    said in lang: "kriteeri 12"; a workbook's cell as Excel names it)."""
    if len(file_names) == 1 and x.place and "; " not in x.place:  # one file, one place: most rows
        return f"{file_names[0]} {_form_place(x.place, lang)}".strip()
    places = [_form_place(p, lang) for p in x.place.split("; ")] if x.place else []
    if len(places) == len(file_names):
        return "; ".join(f"{name} {p}".strip() for name, p in zip(file_names, places))
    return "; ".join(file_names) + (f" {'; '.join(places)}" if places else "")


@functools.lru_cache(maxsize=4096)
def _form_place(place: str, lang: str) -> str:
    """A form's place ("kriteeri 12") in a language; any other place (Arviointi!F12) as it is, unparsed.
    Remembered: every file of a kit has its answers in the same places (30 000 rows at 300 workshops)."""
    return place_said(place, lang) if place.startswith(("kriteeri ", "criterion ")) else place


def problems_rows(result: RoundResult, lang: str | None = None) -> list[list[str]]:
    """problems.csv's data in PROBLEMS_COLUMNS' order: place and message in a language (default: the
    round's), severity and code as codes (problems_table says the severity)."""
    lang = lang or result.language
    return [[p.file, p.place_in(lang), p.severity, p.code, p.message_in(lang)] for p in result.problems]


def csv_header(columns: Sequence[str], lang: str) -> list[str]:
    """The header row of a CSV compile writes, in a language (the messages catalogue)."""
    words = wording("messages", lang)
    return [words(CSV_HEADERS[c]) for c in columns]


def results_table(result: RoundResult, catalogue: Catalogue, lang: str | None = None
                  ) -> tuple[list[str], list[list[str]]]:
    """results.csv as a person reads it, in a language (default: the round's): header and rows in
    RESULTS_CSV_COLUMNS' order (the workshop's name beside its id), the role said (itsearviointi,
    auditointi), Ei sovellu "kyllä" or empty, its acceptance "kyllä"/"ei"."""
    words = wording("messages", lang or result.language)
    yes = words(_CSV_YES)
    roles = {"self": words.pgettext("role", "self-assessment"), "peer": words.pgettext("role", "audit")}
    rows = _results(result, catalogue, words.lang, roles, (yes, ""), {None: "", True: yes, False: words(_CSV_NO)},
                    named=True)
    return csv_header(RESULTS_CSV_COLUMNS, words.lang), rows


def problems_table(result: RoundResult, lang: str | None = None) -> tuple[list[str], list[list[str]]]:
    """problems.csv as a person reads it, in a language (default: the round's): header and rows, the
    severity said (virhe, varoitus), the code as it is (to filter by)."""
    words = wording("messages", lang or result.language)
    severity = PROBLEMS_COLUMNS.index("severity")
    rows = []
    for row in problems_rows(result, words.lang):
        row[severity] = words(_CSV_SEVERITIES.get(row[severity], row[severity]))
        rows.append(row)
    return csv_header(PROBLEMS_COLUMNS, words.lang), rows
