"""Merging returned files into a RoundResult: matching by identity, duplicates, missing returns, scores."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import containers
from .catalogue import Catalogue, Profile
from .errors import Problem
from .model import AUDIT_TYPE_FI, CriterionResponse, Returned, Workshop
from .parallel import fork_map
from .round import Round
from .scoring import (
    CAVEAT_NO_SELF,
    Answer,
    Calibration,
    Caveat,
    CriterionStats,
    Recommendation,
    RoundMean,
    ScoreProfile,
    auditor_profile,
    calibration,
    criterion_stats,
    gaps,
    recommend,
    round_group_means,
    self_profile,
)

MAX_FILE_BYTES = 25 * 1024 * 1024
RESULTS_COLUMNS = ("round_id", "workshop_id", "role", "criterion", "rating", "not_applicable", "reasoning", "source")
PROBLEMS_COLUMNS = ("file", "place", "severity", "message")
ROLE_LABEL = {"self": "itsearviointitaulukko", "peer": "auditointitaulukko", "form": "itsearviointilomake"}
# Files of a kit that come back with the returns but hold no answers to compile: listed as ignored.
KIT_COMPANIONS = frozenset({"Saate.txt"})
COMPANION_ROLES = frozenset({"glossary", "peer"})  # Käsitteet.docx, the auditors' report (.docx)

_SAVE_XLSX = "choose File > Save As and the file type Excel Workbook (.xlsx)"
_SAVE_DOCX = "choose File > Save As and the file type Word Document (.docx)"
# A returned file in another format holds answers that cannot be read as it is: how to save it right.
_ADVICE = {
    ".xls": f"an old Excel 97–2003 workbook (.xls); open it in Excel or LibreOffice, {_SAVE_XLSX}",
    ".xlsb": f"an Excel binary workbook (.xlsb); open it in Excel, {_SAVE_XLSX}",
    ".xlsm": f"a macro-enabled workbook (.xlsm); open it in Excel, {_SAVE_XLSX} (without macros)",
    ".xltx": f"an Excel template (.xltx), not a workbook; open it in Excel or LibreOffice, {_SAVE_XLSX}",
    ".xltm": f"an Excel template (.xltm), not a workbook; open it in Excel, {_SAVE_XLSX}",
    ".xlt": f"an old Excel template (.xlt); open it in Excel or LibreOffice, {_SAVE_XLSX}",
    ".ods": ("a LibreOffice/OpenDocument spreadsheet (.ods); open it in LibreOffice, choose File > Save As and the "
             "file type Excel 2007-365 (.xlsx), and keep that format when asked"),
    ".numbers": "an Apple Numbers file; open it in Numbers and choose File > Export To > Excel (.xlsx)",
    ".odt": ("an OpenDocument text (.odt); open it in LibreOffice, choose File > Save As and the file type "
             "Word 2007-365 (.docx), and keep that format when asked"),
    ".doc": f"an old Word 97–2003 document (.doc); open it in Word or LibreOffice, {_SAVE_DOCX}",
    ".rtf": f"a Rich Text file (.rtf); open it in Word or LibreOffice, {_SAVE_DOCX}",
    ".dotx": f"a Word template (.dotx), not the form; open it in Word or LibreOffice, {_SAVE_DOCX}",
    ".dotm": f"a Word template (.dotm), not the form; open it in Word, {_SAVE_DOCX}",
    ".docm": f"a macro-enabled Word document (.docm); open it in Word, {_SAVE_DOCX} (without macros)",
    ".pages": "an Apple Pages file; open it in Pages and choose File > Export To > Word (.docx)",
    ".xml": ("an XML file (perhaps saved as Excel or Word 2003 XML); open it in Excel or Word and save it as "
             ".xlsx or .docx"),
    ".csv": "a CSV file, not the workbook; return the .xlsx file of the kit",
    ".pdf": "a PDF; answers cannot be read from a PDF: return the .xlsx and .docx files of the kit",
    ".7z": "a 7-Zip archive, which auditkit does not open; unpack it and return the files (or pack them as .zip)",
    ".rar": "a RAR archive, which auditkit does not open; unpack it and return the files (or pack them as .zip)",
}


@dataclass(frozen=True, slots=True)
class FileStatus:
    """What became of one returned file. status: "used", "duplicate" (another copy was kept),
    "refused" (read but not usable: another round, unknown kit, stale content), "unreadable" or "ignored"."""

    file: str
    kind: str
    status: str
    workshop_id: str = ""
    role: str = ""
    saved_at: str = ""


@dataclass(frozen=True, slots=True)
class WorkshopResult:
    """A workshop's returned files and scores. Scores are None when that side was not returned."""

    workshop: Workshop
    self_workbook: Returned | None
    auditor_workbook: Returned | None
    form: Returned | None
    self_scores: ScoreProfile | None
    auditor_scores: ScoreProfile | None
    gaps: Mapping[int, int]
    recommendation: Recommendation | None

    @property
    def returned_self(self) -> bool:
        return self.self_workbook is not None

    @property
    def returned_auditor(self) -> bool:
        return self.auditor_workbook is not None


@dataclass(frozen=True, slots=True)
class RoundResult:
    """Everything compile found: per workshop results, file statuses, problems and round statistics."""

    round_id: str
    round_name: str
    audit_type: str
    content_version: str
    content_hash: str
    checked_against_round: bool
    workshops: tuple[WorkshopResult, ...]
    files: tuple[FileStatus, ...]
    problems: tuple[Problem, ...]
    missing: tuple[tuple[str, str], ...]  # (workshop id, role) not returned
    self_stats: tuple[CriterionStats, ...] = ()
    auditor_stats: tuple[CriterionStats, ...] = ()
    calibration: Calibration | None = None
    self_groups: Mapping[str, RoundMean] = field(default_factory=dict)  # area/element id -> round mean
    auditor_groups: Mapping[str, RoundMean] = field(default_factory=dict)
    unchecked: tuple[str, ...] = field(default_factory=tuple)

    @property
    def file_problems(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.file)

    @property
    def clean(self) -> bool:
        """True when no returned file had a problem (missing returns do not count here)."""
        return not self.file_problems

    def summary(self) -> dict[str, object]:
        """The figures the terminal and --json print."""
        count = lambda status: sum(1 for f in self.files if f.status == status)  # noqa: E731
        return {
            "round_id": self.round_id,
            "checked_against_round": self.checked_against_round,
            "files": len(self.files),
            "used": count("used"),
            "duplicates": count("duplicate"),
            "refused": count("refused"),
            "unreadable": count("unreadable"),
            "ignored": count("ignored"),
            "workshops": len(self.workshops),
            "self_returned": sum(1 for w in self.workshops if w.returned_self),
            "auditor_returned": sum(1 for w in self.workshops if w.returned_auditor),
            "missing": [{"workshop_id": w, "role": r} for w, r in self.missing],
            "problems": {
                "error": sum(1 for p in self.file_problems if p.severity == "error"),
                "warning": sum(1 for p in self.file_problems if p.severity == "warning"),
            },
            "recommendations": {
                w.workshop.id: w.recommendation.label for w in self.workshops if w.recommendation is not None
            },
            "unchecked": list(self.unchecked),
        }


Reader = Callable[[Path, Catalogue], Returned]


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


def _saved_key(r: Returned, path: Path) -> tuple[str, float, str]:
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0
    return (r.saved_at, mtime, path.as_posix())


def compile_round(
    catalogue: Catalogue,
    dirs: Sequence[Path],
    *,
    round_: Round | None = None,
    kit_ids: Mapping[str, tuple[str, str]] | None = None,
    read_workbook: Reader,
    read_form: Reader,
    progress: Callable[[Path], None] | None = None,
) -> RoundResult:
    """Read every returned file under dirs and compile the round.

    round_: the round (register) to check against; without it the workshops are those the files name
    and what could not be checked is listed in `unchecked`. kit_ids: kit id -> (workshop id, role) from
    the round's manifest. read_workbook / read_form: the format readers (excel.read_workbook,
    word.read_form). Never raises for a bad returned file: it becomes a Problem and a FileStatus.
    """
    problems: list[Problem] = []
    statuses: dict[Path, FileStatus] = {}
    candidates: dict[tuple[str, str], list[tuple[Path, Returned]]] = {}
    register = {w.id.casefold(): w for w in round_.workshops} if round_ else {}
    round_id = round_.config.id if round_ else ""

    for path, shown, (kind, status, returned, found) in _read_all(find_files(dirs), dirs, catalogue,
                                                                    read_workbook, read_form):
        problems.extend(found)
        if returned is not None:
            status = _check_identity(returned, shown, kind, catalogue, round_id, register, kit_ids, problems)
            if status == "used":
                role = "form" if kind == "form" else returned.identity.role
                candidates.setdefault((returned.identity.workshop_id.casefold(), role), []).append((path, returned))
        ident = returned.identity if returned else None
        statuses[path] = FileStatus(shown, kind, status, ident.workshop_id if ident else "",
                                    ident.role if ident else "", returned.saved_at if returned else "")
        if progress:
            progress(path)

    chosen: dict[tuple[str, str], Returned] = {}
    for key, items in sorted(candidates.items()):
        items.sort(key=lambda item: _saved_key(item[1], item[0]), reverse=True)
        kept_path, kept = items[0]
        chosen[key] = kept
        if len(items) > 1:
            names = ", ".join(_display(p, dirs) for p, _ in items)
            for path, r in items[1:]:
                statuses[path] = FileStatus(statuses[path].file, statuses[path].kind, "duplicate",
                                            r.identity.workshop_id, r.identity.role, r.saved_at)
                problems.append(Problem(
                    statuses[path].file, "",
                    f"a second {ROLE_LABEL.get(key[1], key[1])} of workshop {r.identity.workshop_id} ({names}); "
                    f"kept {statuses[kept_path].file}, the one saved last"
                    f"{' (' + kept.saved_at + ')' if kept.saved_at else ''}. Remove the copy you do not want compiled.",
                    "warning"))

    workshops = _workshops(round_, chosen)
    results, missing = [], []
    for w in workshops:
        key = w.id.casefold()
        own, aud, form = chosen.get((key, "self")), chosen.get((key, "peer")), chosen.get((key, "form"))
        results.append(_workshop_result(catalogue, w, own, aud, form))
        if round_ is not None:
            for role, got in (("self", own), ("peer", aud)):
                if got is None:
                    missing.append((w.id, role))
    remind = {"self": "remind the workshop's contact person", "peer": "remind the lead auditor"}
    for wid, role in missing:
        problems.append(Problem("", f"työpaja {wid}", f"the {ROLE_LABEL[role]} has not been returned; {remind[role]}.",
                                "warning"))

    self_profiles = [r.self_scores for r in results if r.self_scores]
    aud_profiles = [r.auditor_scores for r in results if r.auditor_scores]
    unchecked = () if round_ else (
        "no round given: files were not checked against the register, the manifest or the round id, "
        "and missing returns cannot be listed",)
    if round_ is not None and not kit_ids:
        unchecked = ("no manifest found in the round's output folder: kit ids were not checked",)
    cfg = round_.config if round_ else None
    return RoundResult(
        round_id=round_id or _common([r.identity.round_id for r in chosen.values()]),
        round_name=cfg.name if cfg else "",
        audit_type=AUDIT_TYPE_FI.get(cfg.audit_type, "") if cfg else "",
        content_version=catalogue.version,
        content_hash=catalogue.hash,
        checked_against_round=round_ is not None,
        workshops=tuple(results),
        files=tuple(statuses[p] for p in sorted(statuses, key=lambda p: statuses[p].file)),
        problems=tuple(sorted(problems, key=lambda p: (p.file == "", p.file, p.place, p.message))),
        missing=tuple(missing),
        self_stats=criterion_stats(catalogue, self_profiles),
        auditor_stats=criterion_stats(catalogue, aud_profiles),
        calibration=calibration(r.gaps for r in results if r.gaps),
        unchecked=unchecked,
        self_groups=round_group_means(self_profiles),
        auditor_groups=round_group_means(aud_profiles),
    )


def _common(values: Iterable[str]) -> str:
    distinct = sorted({v for v in values if v})
    return distinct[0] if len(distinct) == 1 else ""


# From this many files on, they are read by a worker per core (reading is most of compile's time).
PARALLEL_FROM = 40


def _read_all(paths: list[Path], dirs: Sequence[Path], catalogue: Catalogue, read_workbook: Reader,
              read_form: Reader) -> Iterator[tuple[Path, str, tuple[str, str, Returned | None, list[Problem]]]]:
    """Each file with its shown name and what reading it gave, in the order of paths."""
    shown = [_display(p, dirs) for p in paths]
    results = fork_map(_read_task, (catalogue, read_workbook, read_form), zip(paths, shown),
                       parallel_from=PARALLEL_FROM, chunksize=8)
    yield from ((path, name, result) for path, name, result in zip(paths, shown, results))


def _read_task(readers: tuple[Catalogue, Reader, Reader], item: tuple[Path, str]
               ) -> tuple[str, str, Returned | None, list[Problem]]:
    catalogue, read_workbook, read_form = readers
    path, shown = item
    return _read_one(path, shown, catalogue, read_workbook, read_form)


def _read_one(path: Path, shown: str, catalogue: Catalogue, read_workbook: Reader,
              read_form: Reader) -> tuple[str, str, Returned | None, list[Problem]]:
    problems: list[Problem] = []
    kind, status, returned = _read_file(path, shown, catalogue, read_workbook, read_form, problems)
    return kind, status, returned, problems


def _read_file(path: Path, shown: str, catalogue: Catalogue, read_workbook: Reader, read_form: Reader,
               problems: list[Problem]) -> tuple[str, str, Returned | None]:
    name = path.name
    suffix = path.suffix.lower()
    refusal = containers.refusal(path)
    if refusal:  # a returned archive, or a member of one, that was not unpacked
        problems.append(Problem(shown, "", refusal))
        return "other", "unreadable", None
    if name in KIT_COMPANIONS:  # people send back the whole kit folder: its letter is no problem
        return "other", "ignored", None
    if suffix not in (".xlsx", ".docx"):
        advice = _ADVICE.get(suffix)
        if advice is None:
            problems.append(Problem(shown, "", "is not a workbook or form (.xlsx or .docx), so it was not read. If it "
                                               "holds answers, write them in the kit's .xlsx or .docx file and return "
                                               "that.", "warning"))
            return "other", "ignored", None
        problems.append(Problem(shown, "", f"{advice}, then return it again."))
        return "other", "unreadable", None
    kind = "workbook" if suffix == ".xlsx" else "form"
    try:
        size = path.stat().st_size
    except OSError as err:
        problems.append(Problem(shown, "", f"cannot be read ({err.strerror}); check the file's permissions."))
        return kind, "unreadable", None
    if size > MAX_FILE_BYTES:
        problems.append(Problem(shown, "", f"is {size // (1024 * 1024)} MB, far larger than a kit file; "
                                           "return the kit's file without pictures or attachments inside."))
        return kind, "unreadable", None
    reader = read_workbook if kind == "workbook" else read_form
    try:
        returned = reader(path, catalogue)
    except Exception as err:  # a reader must not raise; if one does, the round still compiles
        problems.append(Problem(shown, "", f"could not be read ({type(err).__name__}); "
                                           "open it in Excel or LibreOffice, save it as .xlsx/.docx and return it again."))
        return kind, "unreadable", None
    if kind == "form" and returned.identity.role in COMPANION_ROLES and returned.identity.workshop_id:
        return kind, "ignored", None  # the kit's glossary or the auditors' report: listed, not read
    problems.extend(Problem(shown, p.place, p.message, p.severity) for p in returned.problems)
    if not returned.identity.workshop_id and not returned.responses:
        return kind, "unreadable", None
    if not any(_answered(x) for x in returned.responses):
        if any(p.severity == "error" for p in returned.problems):
            return kind, "unreadable", None  # nothing could be read; the reader said why
        what = ROLE_LABEL.get("form" if kind == "form" else returned.identity.role, "file")
        problems.append(Problem(shown, "", f"has no answers at all: every rating and text is empty. It was not "
                                           f"compiled, so this {what} counts as not returned; ask for the filled "
                                           "file (it may have been saved under another name or elsewhere).", "warning"))
        return kind, "ignored", None
    return kind, "read", returned


def _answered(x: CriterionResponse) -> bool:
    """Whether a person answered anything for the criterion (a rating, Ei sovellu, an acceptance, a text)."""
    return x.rating is not None or x.not_applicable or x.na_accepted is not None or any(v.strip() for v in x.texts.values())


def _check_identity(r: Returned, shown: str, kind: str, catalogue: Catalogue, round_id: str,
                    register: Mapping[str, Workshop], kit_ids: Mapping[str, tuple[str, str]] | None,
                    problems: list[Problem]) -> str:
    ident = r.identity

    def refuse(message: str) -> str:
        problems.append(Problem(shown, "tunniste", message))
        return "refused"

    if not ident.workshop_id:
        return refuse("the file does not say which workshop it belongs to (its identity is gone); "
                      "ask the workshop to copy its answers into a fresh kit file.")
    if kind == "workbook" and ident.role not in ("self", "peer"):
        return refuse(f"unknown role {ident.role!r}; use the workbook sent in the kit.")
    if round_id and ident.round_id and ident.round_id != round_id:
        return refuse(f"belongs to round {ident.round_id!r}, not {round_id!r}; it was not compiled. "
                      "Move it to that round's folder.")
    if ident.content_hash and ident.content_hash != catalogue.hash:
        version = f"content version {ident.content_version}" if ident.content_version else "other content"
        return refuse(f"made from {version} ({ident.content_hash[:12]}), but this round uses {catalogue.version} "
                      f"({catalogue.short_hash}); criteria may differ, so it was not compiled. "
                      "Send the workshop a new kit and ask them to copy their answers into it.")
    if register and ident.workshop_id.casefold() not in register:
        return refuse(f"names workshop {ident.workshop_id!r}, which is not in the round's register; "
                      "check the register or the file.")
    if kit_ids is not None and kit_ids and ident.kit_id:
        expected = kit_ids.get(ident.kit_id)
        if expected is None:
            return refuse(f"kit id {ident.kit_id!r} is not in the round's manifest; "
                          "the file comes from another kit. Send the workshop its own kit.")
        if expected[0].casefold() != ident.workshop_id.casefold():
            return refuse(f"kit id {ident.kit_id!r} was made for workshop {expected[0]!r}, but the file says "
                          f"{ident.workshop_id!r}; it was not compiled.")
    return "used"


def _workshops(round_: Round | None, chosen: Mapping[tuple[str, str], Returned]) -> list[Workshop]:
    if round_ is not None:
        return list(round_.workshops)
    seen: dict[str, Workshop] = {}
    for (key, _), r in sorted(chosen.items()):
        if key not in seen or (not seen[key].name and r.identity.workshop_name):
            seen[key] = Workshop(id=r.identity.workshop_id, name=r.identity.workshop_name or r.identity.workshop_id,
                                 profile=Profile())
    return [seen[k] for k in sorted(seen)]


def answers_of(r: Returned | None) -> dict[int, Answer]:
    if r is None:
        return {}
    return {x.number: Answer(x.rating, x.not_applicable, x.na_accepted) for x in r.responses}


def _workshop_result(catalogue: Catalogue, w: Workshop, own: Returned | None, aud: Returned | None,
                     form: Returned | None) -> WorkshopResult:
    own_answers = answers_of(own)
    if not own_answers and form is not None:  # the form's self-ratings when no workbook came back
        own_answers = answers_of(form)
    s = self_profile(catalogue, own_answers) if own is not None or form is not None else None
    a = auditor_profile(catalogue, answers_of(aud), own_answers) if aud is not None else None
    rec = recommend(catalogue, a) if a else None
    if rec is not None and s is None:
        rec = rec.with_caveats(NO_SELF_ASSESSMENT)
    return WorkshopResult(
        workshop=w, self_workbook=own, auditor_workbook=aud, form=form, self_scores=s, auditor_scores=a,
        gaps=gaps(s, a) if s and a else {}, recommendation=rec,
    )


NO_SELF_ASSESSMENT = Caveat(CAVEAT_NO_SELF, "Itsearviointia ei palautettu: ehdotus perustuu vain auditoijien "
                                            "arvioihin, eikä niitä voitu verrata työpajan omaan arvioon.")


# --- plain outputs -----------------------------------------------------------------------------


def results_rows(result: RoundResult, catalogue: Catalogue) -> list[list[str]]:
    """results.csv: one row per workshop, role and criterion, for every returned workbook."""
    rows = []
    for w in result.workshops:
        for role, r in (("self", w.self_workbook), ("peer", w.auditor_workbook)):
            if r is None:
                continue
            for c in catalogue.criteria:
                x = r.response(c.number)
                rows.append([
                    result.round_id, w.workshop.id, role, str(c.number),
                    "" if x is None or x.rating is None else str(x.rating),
                    "1" if x is not None and x.not_applicable else "0",
                    (x.texts.get("reasoning", "") if x is not None else ""),
                    f"{Path(r.file).name} {x.place}".strip() if x is not None else Path(r.file).name,
                ])
    return rows


def problems_rows(result: RoundResult) -> list[list[str]]:
    return [[p.file, p.place, p.severity, p.message] for p in result.problems]
