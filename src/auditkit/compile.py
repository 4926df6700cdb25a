"""Merging returned files into a RoundResult: matching by identity, duplicates, missing returns, scores."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from . import containers
from .catalogue import Catalogue, Profile, applies, profile_reason
from .errors import Problem, cause
from .dates import date_fi
from .excel.contract import ACCEPT_NO, ACCEPT_YES
from .labels import AUDIT_TYPE_FI, ROLE_LABEL
from .model import AUDIT_PHASE, CriterionResponse, Returned, Workshop
from .parallel import fork_map
from .results import FileStatus, RoundResult, WorkshopResult
from .round import Round, RoundConfig
from .scoring import (
    CAVEAT_NO_SELF,
    Answer,
    Caveat,
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
RESULTS_COLUMNS = ("round_id", "workshop_id", "role", "criterion", "rating", "not_applicable", "na_accepted",
                   "reasoning", "practice", "evidence", "strengths", "development", "actions", "owner", "due",
                   "questions", "observations", "source")
# The text fields of results.csv, in its column order: the form's narrative and the workbooks' texts.
RESULTS_TEXTS = RESULTS_COLUMNS[RESULTS_COLUMNS.index("reasoning"):RESULTS_COLUMNS.index("source")]
PROBLEMS_COLUMNS = ("file", "place", "severity", "message")
# Files of a kit that come back with the returns but hold no answers to compile: listed as ignored.
KIT_COMPANIONS = frozenset({"Saate.txt", "Ilmoitus.txt"})
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
    forwarded: Collection[str] | None = None,
    read_workbook: Reader,
    read_form: Reader,
    progress: Callable[[Path], None] | None = None,
) -> RoundResult:
    """Read every returned file under dirs and compile the round.

    round_: the round (register) to check against; without it the workshops are those the files name
    and what could not be checked is listed in `unchecked`. kit_ids: kit id -> (workshop id, role) from
    the round's manifest. forwarded: ids of the workshops whose audit pack went to the auditors (an
    auditors' workbook missing from the others is waiting for its self-assessment, not for them);
    None when not known. read_workbook / read_form: the format readers (excel.read_workbook,
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
        if returned is not None and status == "read":
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
    conflicts: dict[str, list[tuple[str, Problem]]] = {}
    for key, items in sorted(candidates.items()):
        items.sort(key=lambda item: _saved_key(item[1], item[0]), reverse=True)
        if key[1] == "peer":  # a phase-two workbook, made from the self-assessment, wins over an empty one
            items.sort(key=lambda item: item[1].identity.phase != AUDIT_PHASE)
        kept_path, kept = items[0]
        chosen[key] = kept
        if len(items) > 1:
            names = ", ".join(_display(p, dirs) for p, _ in items)
            for path, r in items[1:]:
                statuses[path] = FileStatus(statuses[path].file, statuses[path].kind, "duplicate",
                                            r.identity.workshop_id, r.identity.role, r.saved_at)
                if (r.identity, r.saved_at, r.responses) == (kept.identity, kept.saved_at, kept.responses):
                    continue  # the same file twice (an audit pack sent back whole): listed, nothing lost
                problem = _second_copy(statuses[path].file, statuses[kept_path].file, key[1], r, kept, names)
                problems.append(problem)
                if r.responses != kept.responses:  # two different answers came back: someone must look
                    conflicts.setdefault(key[0], []).append(("self" if key[1] in ("self", "form") else "audit", problem))

    cfg = round_.config if round_ else None
    workshops = _workshops(round_, chosen)
    results, missing = [], []
    for w in workshops:
        wkey = w.id.casefold()
        own, aud, form = chosen.get((wkey, "self")), chosen.get((wkey, "peer")), chosen.get((wkey, "form"))
        shown_as = {r.file: _display(Path(r.file), dirs) for r in (own, aud, form) if r is not None}
        result, found = _workshop_result(catalogue, w, own, aud, form, shown_as, conflicts.get(wkey, []))
        results.append(result)
        problems.extend(found)
        if round_ is not None:
            for role, got in (("self", own), ("form", form), ("peer", aud)):
                if got is None:
                    missing.append((w.id, role))
                    note = _missing_problem(w, role, own, form, cfg, forwarded)
                    if note is not None:
                        problems.append(note)

    self_profiles = [r.self_scores for r in results if r.self_scores]
    aud_profiles = [r.auditor_scores for r in results if r.auditor_scores]
    unchecked = () if round_ else (
        "no round given: files were not checked against the register, the manifest or the round id, "
        "and missing returns cannot be listed",)
    if round_ is not None and not kit_ids:
        unchecked = ("no manifest found in the round's output folder: kit ids were not checked",)
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


def _second_copy(file: str, kept_file: str, role: str, r: Returned, kept: Returned, names: str) -> Problem:
    """The message for a returned file that was not used because another of its kind was."""
    if role == "peer" and kept.identity.phase == AUDIT_PHASE and r.identity.phase != AUDIT_PHASE:
        return Problem(file, "", (
            f"an auditointitaulukko of workshop {r.identity.workshop_id} from the kit of phase one (made before "
            f"the self-assessment was forwarded) beside the one made from the returned self-assessment ({kept_file}); "
            f"{kept_file} was used. If the auditors' answers are in this file, copy them into {kept_file}."),
            "warning")
    return Problem(file, "", (
        f"a second {ROLE_LABEL.get(role, role)} of workshop {r.identity.workshop_id} ({names}); "
        f"kept {kept_file}, the one saved last{' (' + kept.saved_at + ')' if kept.saved_at else ''}. "
        "Remove the copy you do not want compiled."), "warning")


def _missing_problem(w: Workshop, role: str, own: Returned | None, form: Returned | None, cfg: RoundConfig | None,
                     forwarded: Collection[str] | None) -> Problem | None:
    """What a file not back means for the coordinator, and what to do: one message per case (None when
    another message says it already)."""
    place = f"työpaja {w.id}"
    due = f" (deadline {date_fi(cfg.deadline_of('audit' if role == 'peer' else 'self'))})" if cfg and \
        cfg.deadline_of("audit" if role == "peer" else "self") else ""
    if role == "self" and form is not None:
        message = (f"the self-assessment form came back but not its workbook (itsearviointitaulukko), which holds "
                   f"the ratings: the ratings are still due{due}. Remind the workshop's contact person to return "
                   "the workbook.")
    elif role == "self":
        message = (f"the self-assessment has not been returned: neither the itsearviointitaulukko nor the "
                   f"itsearviointilomake{due}; remind the workshop's contact person.")
    elif role == "form" and own is not None:
        message = (f"the self-assessment workbook came back but not its form (itsearviointilomake), which holds the "
                   f"practice, evidence, strengths, development targets and actions: the form is still due{due}. "
                   "Remind the workshop's contact person to return it.")
    elif role == "form":
        return None  # said with the workbook: the whole self-assessment is missing
    elif forwarded is not None and w.id not in forwarded:
        message = ("the auditointitaulukko has not been returned: the audit has not started, because the "
                   "self-assessment has not been forwarded to the auditors (auditkit forward makes the pack once "
                   "it is back).")
    else:
        message = f"the auditointitaulukko has not been returned{due}; remind the lead auditor."
    return Problem("", place, message, "warning")


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
        problems.append(Problem(shown, "", f"could not be read ({cause(err)}); "
                                           "open it in Excel or LibreOffice, save it as .xlsx/.docx and return it again."))
        return kind, "unreadable", None
    if kind == "form" and returned.identity.role in COMPANION_ROLES and returned.identity.workshop_id:
        return kind, "ignored", returned  # the kit's glossary or the auditors' report: listed, not read
    problems.extend(Problem(shown, p.place, p.message, p.severity) for p in returned.problems)
    if not returned.identity.workshop_id and not returned.responses:
        return kind, "unreadable", None
    if not any(_answered(x, catalogue) for x in returned.responses):
        if any(p.severity == "error" for p in returned.problems):
            return kind, "unreadable", None  # nothing could be read; the reader said why
        what = ROLE_LABEL.get("form" if kind == "form" else returned.identity.role, "file")
        problems.append(Problem(shown, "", f"has no answers at all: every rating and text is empty. It was not "
                                           f"compiled, so this {what} counts as not returned; ask for the filled "
                                           "file (it may have been saved under another name or elsewhere).", "warning"))
        return kind, "ignored", None
    return kind, "read", returned


def _answered(x: CriterionResponse, catalogue: Catalogue) -> bool:
    """Whether a person answered anything for the criterion (a rating, Ei sovellu, an acceptance, a text);
    the Ei sovellu a kit fills in for a criterion outside the workshop's profile is the kit's, not an answer."""
    texts = {key for key, value in x.texts.items() if value.strip()}
    if x.rating is not None or x.na_accepted is not None:
        return True
    if texts == {"reasoning"} and x.texts["reasoning"].strip() in _profile_reasons(catalogue, x.number):
        return False  # the kit's own words (its Ei sovellu may have been moved by a sort)
    return x.not_applicable or bool(texts)


def _profile_reasons(catalogue: Catalogue, number: int) -> set[str]:
    """The reasons a kit writes for this criterion's Ei sovellu, one per profile it does not apply to."""
    criterion = catalogue.criterion(number)
    return {profile_reason(criterion, p) for p in (Profile(a, le) for a in ("youth", "adult", "both")
                                                   for le in (True, False)) if not applies(criterion, p)}


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


def answers_of(r: Returned | Mapping[int, CriterionResponse] | None) -> dict[int, Answer]:
    if r is None:
        return {}
    responses = r.values() if isinstance(r, Mapping) else r.responses
    return {x.number: Answer(x.rating, x.not_applicable, x.na_accepted) for x in responses}


def _workshop_result(catalogue: Catalogue, w: Workshop, own: Returned | None, aud: Returned | None,
                     form: Returned | None, shown: Mapping[str, str],
                     conflicts: list[tuple[str, Problem]]) -> tuple[WorkshopResult, list[Problem]]:
    """A workshop's scores from its chosen files, and the problems only the files together show: a rating
    the form and the workbook disagree on, and an Ei sovellu the auditors neither accepted nor rejected."""
    merged, found = merge_self(catalogue, own, form, shown)
    conflicts = [*conflicts, *(("self", p) for p in found if p.severity == "error")]
    own_answers = answers_of(merged)
    returned = own is not None or form is not None
    s = self_profile(catalogue, own_answers, w.profile) if returned else None
    a = auditor_profile(catalogue, answers_of(aud), own_answers, w.profile) if aud is not None else None
    if aud is not None and s is not None:
        found += _blank_acceptances(catalogue, s, aud, merged, shown)
    rec = recommend(catalogue, a) if a else None
    if rec is not None and s is None:
        rec = rec.with_caveats(NO_SELF_ASSESSMENT)
    result = WorkshopResult(
        workshop=w, self_workbook=own, auditor_workbook=aud, form=form, self_scores=s, auditor_scores=a,
        gaps=gaps(s, a) if s and a else {}, recommendation=rec,
        self_answers=MappingProxyType(merged), conflicts=tuple(conflicts),
    )
    return result, found


def merge_self(catalogue: Catalogue, workbook: Returned | None, form: Returned | None,
               shown: Mapping[str, str] | None = None) -> tuple[dict[int, CriterionResponse], list[Problem]]:
    """The self-assessment as it counts, per criterion, and the problems of putting it together.

    The workbook is the home of the rating and its reason, the form of the narrative. A form may still
    carry a rating (an earlier kit's, or typed in): where the workbook has one too and they differ, the
    workbook's is used and the problem names the criterion, both files and both values; where the
    workbook has none, the form's is used (with a warning when the workbook came back). shown: file ->
    the name to show in messages.
    """
    shown = shown or {}
    out: dict[int, CriterionResponse] = {}
    problems: list[Problem] = []
    for c in catalogue.criteria:
        wb = workbook.response(c.number) if workbook is not None else None
        fm = form.response(c.number) if form is not None else None
        if wb is None and fm is None:
            continue
        rating_from = wb if wb is not None and _rated(wb) else None
        if fm is not None and form is not None and _rated(fm):
            if workbook is not None and rating_from is not None and _value(rating_from) != _value(fm):
                problems.append(_disagreement(catalogue, c.number, workbook, rating_from, form, fm, shown))
            elif rating_from is None:
                if workbook is not None:
                    problems.append(Problem(shown.get(form.file, form.file), fm.place, (
                        f"criterion {c.number}: the workbook ({shown.get(workbook.file, workbook.file)}) has no rating, "
                        f"so the form's {_label(catalogue, fm)} was used. Ratings have their home in the workbook: "
                        "ask the workshop to enter it there."), "warning"))
                rating_from = fm
        texts = dict(fm.texts) if fm is not None else {}
        if wb is not None:
            texts.update({k: v for k, v in wb.texts.items() if v or k not in texts})
        places = {**(fm.places if fm is not None else {}), **(wb.places if wb is not None else {})}
        source = rating_from or wb or fm
        assert source is not None  # one of the two came back (see above)
        out[c.number] = CriterionResponse(
            c.id, c.number, source.rating if rating_from else None, source.not_applicable if rating_from else False,
            None, MappingProxyType(texts), "; ".join(x.place for x in (wb, fm) if x is not None and x.place),
            MappingProxyType(places))
    return out, problems


def _rated(x: CriterionResponse) -> bool:
    return x.rating is not None or x.not_applicable


def _value(x: CriterionResponse) -> tuple[int | None, bool]:
    return (x.rating, x.not_applicable)


def _label(catalogue: Catalogue, x: CriterionResponse) -> str:
    if x.not_applicable:
        return catalogue.scale.not_applicable.label
    return catalogue.scale.level(x.rating).label if x.rating in catalogue.scale.values else str(x.rating)


def _disagreement(catalogue: Catalogue, number: int, workbook: Returned, wb: CriterionResponse, form: Returned,
                  fm: CriterionResponse, shown: Mapping[str, str]) -> Problem:
    book, sheet = shown.get(workbook.file, workbook.file), shown.get(form.file, form.file)
    return Problem(sheet, f"{fm.place}, Oma arvio", (
        f"criterion {number}: the form says {_label(catalogue, fm)}, the workbook ({book}, {_cell(wb.place)}) says "
        f"{_label(catalogue, wb)}; the workbook's {_label(catalogue, wb)} was used, because the rating has its "
        "home in the workbook (the form no longer asks for one). If the form is right, correct the workbook "
        "and return it again."))


def _blank_acceptances(catalogue: Catalogue, own: ScoreProfile, aud: Returned,
                       merged: Mapping[int, CriterionResponse], shown: Mapping[str, str]) -> list[Problem]:
    """A problem per Ei sovellu the workshop chose itself that the auditors neither rated, accepted nor
    rejected: such a criterion is unrated (never counted as 1) until they answer."""
    out = []
    na = catalogue.scale.not_applicable.label
    for number, mine in own.criteria.items():
        theirs = aud.response(number)
        if mine.source != "na" or theirs is None or _rated(theirs) or theirs.na_accepted is not None:
            continue
        place = _cell(theirs.places.get("na_accepted", theirs.place))
        reason = merged[number].texts.get("reasoning", "") if number in merged else ""
        why = f" ({_short(reason)})" if reason else " (without a reason)"
        out.append(Problem(shown.get(aud.file, aud.file), place, (
            f"criterion {number}: the workshop chose {na}{why} and the auditors neither accepted nor rejected it; "
            f"choose {ACCEPT_YES} or {ACCEPT_NO}, or give a rating. Until then the criterion is unrated, so the "
            "recommendation cannot be complete."), "warning"))
    return out


def _cell(place: str) -> str:
    """A workbook reader's place ("Arviointi!H22") as messages write it: "sheet Arviointi, cell H22"."""
    sheet, _, cell = place.rpartition("!")
    return f"sheet {sheet}, cell {cell}" if sheet else place


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"“{text}”" if len(text) <= limit else f"“{text[:limit]}…”"


NO_SELF_ASSESSMENT = Caveat(CAVEAT_NO_SELF, "Itsearviointia ei palautettu: ehdotus perustuu vain auditoijien "
                                            "arvioihin, eikä niitä voitu verrata työpajan omaan arvioon.")


# --- plain outputs -----------------------------------------------------------------------------


def results_rows(result: RoundResult, catalogue: Catalogue) -> list[list[str]]:
    """results.csv: one row per workshop, role and criterion, for every returned self-assessment (its
    workbook, its form, or both, as it counts) and auditors' workbook."""
    rows = []
    for w in result.workshops:
        sides: list[tuple[str, Mapping[int, CriterionResponse], list[Returned]]] = []
        if w.returned_self:
            sides.append(("self", w.self_answers, [r for r in (w.self_workbook, w.form) if r is not None]))
        if w.auditor_workbook is not None:
            sides.append(("peer", {x.number: x for x in w.auditor_workbook.responses}, [w.auditor_workbook]))
        for role, answers, files in sides:
            names = "; ".join(Path(r.file).name for r in files)
            for c in catalogue.criteria:
                x = answers.get(c.number)
                accepted = "" if x is None or x.na_accepted is None else ("1" if x.na_accepted else "0")
                rows.append([
                    result.round_id, w.workshop.id, role, str(c.number),
                    "" if x is None or x.rating is None else str(x.rating),
                    "1" if x is not None and x.not_applicable else "0",
                    accepted,
                    *((x.texts.get(key, "") if x is not None else "") for key in RESULTS_TEXTS),
                    _source(files, x) if x is not None else names,
                ])
    return rows


def _source(files: list[Returned], x: CriterionResponse) -> str:
    """Where a row's values come from: each file's name and the criterion's place in it."""
    places = x.place.split("; ") if x.place else []
    if len(places) == len(files):
        return "; ".join(f"{Path(r.file).name} {p}".strip() for r, p in zip(files, places))
    return "; ".join(Path(r.file).name for r in files) + (f" {x.place}" if x.place else "")


def problems_rows(result: RoundResult) -> list[list[str]]:
    return [[p.file, p.place, p.severity, p.message] for p in result.problems]
