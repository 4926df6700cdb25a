"""Where a round stands: per workshop and phase what is back, missing, late or in conflict, and reminders.

`auditkit status` reads the returned files the way compile does, and for each workshop says of its
self-assessment (workbook and form) and of its audit (the auditors' workbook and report) whether they
are back, partly back, missing, late (not back and the phase's deadline has passed), in conflict (two
returned files disagree), or, for the audit, waiting for the self-assessment. It writes a reminder
letter for each workshop and lead auditor with something outstanding, and a mailing list of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .assignment import Assignment, assignment_as_sent, auditors_of
from .catalogue import Catalogue
from .choices import CHOICES_FILE, Unresolved, update_choices_file
from .compile import compile_round
from .contents import Contents, readers
from .results import RoundResult, WorkshopResult
from .dates import parse_iso
from .excel import read_workbook
from .i18n import C_, N_, wording
from .manifest import round_manifest
from .letters import Mail, letter_context, render_letter, write_mailing_list
from .model import Auditor, Workshop
from .naming import auditor_dirs, workshop_dirs
from .outputs import write_bytes
from .round import Round, auditor_language, document_language, load_round
from .word import read_form

REMINDERS_DIR, MAILING_LIST = "muistutukset", "postituslista.csv"
# A reminder is written when something is outstanding at most this many days before its deadline, or
# after it (or when the phase has no deadline): auditors who got their pack yesterday need none.
REMIND_WITHIN_DAYS = 14
# The files of each phase, as the letters and the table name them.
FILES = {"self": ("itsearviointitaulukko", "itsearviointilomake"), "audit": ("auditointitaulukko", "auditointiraportti")}
STATES = ("back", "partial", "missing", "conflict", "waiting")


@dataclass(frozen=True, slots=True)
class PhaseStatus:
    """One phase of one workshop.

    state: "back" (every file of the phase), "partial" (some), "missing" (none), "conflict" (files back
    that disagree: see conflicts) or "waiting" (the audit, while the self-assessment has not been
    forwarded); late: something is not back and the phase's deadline has passed; back / missing: the
    phase's files (FILES) that are and are not back; problems: how many problems its returned files had.
    """

    phase: str
    state: str
    late: bool
    deadline: str
    back: tuple[str, ...]
    missing: tuple[str, ...]
    conflicts: tuple[str, ...] = ()
    problems: int = 0

    @property
    def outstanding(self) -> bool:
        """Whether files of the phase are due (it has started and they are not back)."""
        return self.state in ("partial", "missing") or (self.state == "conflict" and bool(self.missing))

    def remind(self, today: dt.date) -> bool:
        """Whether to write a reminder today: outstanding, and the deadline near, passed or not set."""
        day = parse_iso(self.deadline)
        return self.outstanding and (day is None or (day - today).days <= REMIND_WITHIN_DAYS)

    def describe(self) -> str:
        """The state as the terminal shows it, e.g. "partial, late: itsearviointilomake missing"."""
        _ = wording()
        words = _({"back": N_("back"), "partial": N_("partly back"), "missing": N_("missing"),
                   "conflict": N_("in conflict"), "waiting": N_("waiting for the self-assessment")}[self.state])
        if self.late:
            words += _(", late")
        if self.missing and self.state in ("partial", "conflict"):
            words += _(": {documents} missing", documents=", ".join(_named(self.missing, _.lang)))
        if self.conflicts:
            words += _.ngettext(" ({count} disagreement)", " ({count} disagreements)", len(self.conflicts))
        return words


@dataclass(frozen=True, slots=True)
class WorkshopStatus:
    workshop: Workshop
    self_assessment: PhaseStatus
    audit: PhaseStatus
    lead: Auditor | None = None


@dataclass(frozen=True, slots=True)
class RoundStatus:
    """A round's status on a day, and the reminders written for it (folder: where; mails: the list)."""

    round_id: str
    round_name: str
    today: dt.date
    deadlines: dict[str, str]
    workshops: tuple[WorkshopStatus, ...]
    folder: Path
    mails: tuple[Mail, ...]
    replaced: bool = False
    # Files that came back in copies that differ, listed for the coordinator in choices_file (valinnat.csv).
    unresolved: tuple[Unresolved, ...] = ()
    choices_file: Path | None = None
    choices_added: int = 0

    @property
    def clean(self) -> bool:
        """True when no workshop is in conflict and no returned file had a problem."""
        return not any(s.state == "conflict" or s.problems for w in self.workshops
                       for s in (w.self_assessment, w.audit))

    def counts(self, phase: str) -> dict[str, int]:
        """How many workshops are in each state in a phase, and how many are late."""
        states = [w.self_assessment if phase == "self" else w.audit for w in self.workshops]
        out = {state: sum(1 for s in states if s.state == state) for state in STATES}
        out["late"] = sum(1 for s in states if s.late)
        return out

    def summary(self) -> dict[str, Any]:
        """What --json prints."""
        def phase(s: PhaseStatus) -> dict[str, object]:
            return {"state": s.state, "late": s.late, "deadline": s.deadline, "back": list(s.back),
                    "missing": list(s.missing), "conflicts": list(s.conflicts), "problems": s.problems}

        return {
            "round_id": self.round_id, "today": self.today.isoformat(), "deadlines": self.deadlines,
            "workshops": [{"id": w.workshop.id, "name": w.workshop.name, "self": phase(w.self_assessment),
                           "audit": phase(w.audit)} for w in self.workshops],
            "counts": {"self": self.counts("self"), "audit": self.counts("audit")},
            "reminders": [{"recipient": m.recipient, "email": m.email, "subject": m.subject, "letter": m.letter}
                          for m in self.mails],
            "folder": str(self.folder),
            "unresolved": [{"workshop_id": u.workshop_id, "role": u.role, "files": [c.file for c in u.copies],
                            "criteria": list(u.criteria)} for u in self.unresolved],
        }


def round_status(
    round_file: str | os.PathLike[str],
    catalogue: Catalogue,
    returned: Sequence[Path],
    *,
    today: dt.date | None = None,
    out: Path | None = None,
    templates: str | os.PathLike[str] | None = None,
    progress: Callable[[Path], None] | None = None,
    contents: Contents | None = None,
) -> RoundStatus:
    """The round's status on `today` (default: the real today) and its reminder letters.

    The letters and the mailing list go into out (default: <output>/<round id>/muistutukset/<today>/),
    replacing those an earlier run wrote there: they are made from the returns, never edited. Raises
    RoundError when the round or its assignment cannot be read. contents: the round's content in each of its
    workshops' languages (catalogue the main one), to read the files made from each.
    """
    round_ = load_round(round_file)
    cfg = round_.config
    today = today or dt.date.today()
    kit_dir = cfg.output_dir / cfg.id
    kit_ids, forwarded = round_manifest(round_)
    assignment = assignment_as_sent(round_)
    workbooks, forms = readers(read_workbook, read_form, contents)
    result = compile_round(catalogue, list(returned), round_=round_, kit_ids=kit_ids,
                           forwarded=forwarded, read_workbook=workbooks, read_form=forms,  # type: ignore[arg-type]
                           progress=progress)
    reports = {f.workshop_id.casefold() for f in result.files
               if f.kind == "form" and f.role == "peer" and f.workshop_id and f.status == "received"}
    problems = _problem_counts(result)
    workshops = tuple(
        WorkshopStatus(wr.workshop, _self_status(wr, cfg.deadline, today, problems),
                       _audit_status(wr, cfg.audit_deadline, today, wr.workshop.id in forwarded,
                                     wr.workshop.id.casefold() in reports, problems),
                       next(iter(assignment.get(wr.workshop.id, ())), None))
        for wr in result.workshops)
    folder = out or kit_dir / REMINDERS_DIR / today.isoformat()
    replaced = folder.exists()
    if replaced:
        shutil.rmtree(folder)
    mails = _reminders(round_, catalogue, assignment, workshops, folder, today, templates)
    write_mailing_list(folder / MAILING_LIST, mails, cfg.language)
    deadlines = {phase: cfg.deadline_of(phase) for phase in ("self", "audit", "comments")}
    choices_file = cfg.base_dir / CHOICES_FILE
    added, _trouble = update_choices_file(choices_file, result.unresolved, cfg.language)
    return RoundStatus(cfg.id, cfg.name, today, deadlines, workshops, folder, tuple(mails), replaced,
                       result.unresolved, choices_file, added)


def _late(deadline: str, today: dt.date) -> bool:
    day = parse_iso(deadline)
    return day is not None and today > day


def _phase(phase: str, got: tuple[bool, bool], deadline: str, today: dt.date, conflicts: list[str],
           problems: int) -> PhaseStatus:
    names = FILES[phase]
    back = tuple(n for n, g in zip(names, got) if g)
    missing = tuple(n for n, g in zip(names, got) if not g)
    state = "back" if not missing else ("missing" if not back else "partial")
    if conflicts:
        state = "conflict"
    return PhaseStatus(phase, state, bool(missing) and _late(deadline, today), deadline, back, missing,
                       tuple(conflicts), problems)


def _self_status(wr: WorkshopResult, deadline: str, today: dt.date, problems: dict[tuple[str, str], int]) -> PhaseStatus:
    conflicts = [str(p) for phase, p in wr.conflicts if phase == "self"]
    return _phase("self", (wr.self_workbook is not None, wr.form is not None), deadline, today, conflicts,
                  problems.get((wr.workshop.id.casefold(), "self"), 0))


def _audit_status(wr: WorkshopResult, deadline: str, today: dt.date, forwarded: bool, report: bool,
                  problems: dict[tuple[str, str], int]) -> PhaseStatus:
    conflicts = [str(p) for phase, p in wr.conflicts if phase == "audit"]
    status = _phase("audit", (wr.auditor_workbook is not None, report), deadline, today, conflicts,
                    problems.get((wr.workshop.id.casefold(), "peer"), 0))
    if not forwarded and status.state == "missing":  # the auditors have nothing to work on yet
        return PhaseStatus("audit", "waiting", False, deadline, (), status.missing)
    return status


def _problem_counts(result: RoundResult) -> dict[tuple[str, str], int]:
    """(workshop id casefolded, role "self" or "peer") -> problems in its returned files."""
    who = {f.file: (f.workshop_id.casefold(), "peer" if f.role == "peer" else "self")
           for f in result.files if f.workshop_id}
    counts: dict[tuple[str, str], int] = {}
    for p in result.file_problems:
        key = who.get(p.file)
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
    return counts


def _reminders(round_: Round, catalogue: Catalogue, assignment: Assignment, workshops: tuple[WorkshopStatus, ...],
               folder: Path, today: dt.date, templates: str | os.PathLike[str] | None) -> list[Mail]:
    """A letter per workshop with its self-assessment outstanding and per lead auditor with an audit
    outstanding; the mailing list's rows for them."""
    dirs = workshop_dirs(round_)
    mails: list[Mail] = []
    for status in workshops:
        s = status.self_assessment
        if not s.remind(today):
            continue
        w = status.workshop
        lang = document_language(round_, w)
        letter = render_letter("letters/muistutus_tyopaja.txt.j2", templates, **_context(round_, catalogue, lang, today),
                               workshop={"id": w.id, "name": w.name}, missing=_named(s.missing, lang),
                               missing_kinds=["workbook" if name == FILES["self"][0] else "form" for name in s.missing],
                               late=s.late, partial=bool(s.back))
        path = folder / f"{dirs[w.id]} – muistutus.txt"
        write_bytes(path, letter.text.encode("utf-8"), force=True)
        mails.append(Mail(w.name, w.email, letter.subject, path.relative_to(folder).as_posix()))
    leads: dict[tuple[str, str], tuple[Auditor, list[WorkshopStatus]]] = {}
    for status in workshops:
        if status.audit.remind(today) and status.lead is not None:
            leads.setdefault((status.lead.name, status.lead.email), (status.lead, []))[1].append(status)
    folders = auditor_dirs(auditors_of(round_, assignment))
    for key, (lead, owed) in sorted(leads.items()):
        lang = auditor_language(round_, lead)
        audits = [{"id": s.workshop.id, "name": s.workshop.name, "missing": _named(s.audit.missing, lang),
                   "late": s.audit.late} for s in owed]
        letter = render_letter("letters/muistutus_auditoija.txt.j2", templates,
                               **_context(round_, catalogue, lang, today),
                               auditor={"name": lead.name, "email": lead.email}, audits=audits,
                               late=any(s.audit.late for s in owed))
        path = folder / f"{folders.get(key, lead.name)} – muistutus.txt"
        write_bytes(path, letter.text.encode("utf-8"), force=True)
        mails.append(Mail(lead.name, lead.email, letter.subject, path.relative_to(folder).as_posix()))
    return mails


# The files of a phase (FILES) as a reminder names them, in its language.
_FILE_NAMES = {"itsearviointitaulukko": C_("missing file", "self-assessment workbook"),
               "itsearviointilomake": C_("missing file", "self-assessment form"),
               "auditointitaulukko": C_("missing file", "audit workbook"),
               "auditointiraportti": C_("missing file", "audit report")}


def _named(files: Iterable[str], lang: str) -> list[str]:
    """The files of FILES as a letter in a language names them (Finnish: as they are)."""
    words = wording("messages", lang)
    return [f if lang == "fi" or f not in _FILE_NAMES else words.pgettext("missing file", _FILE_NAMES[f])
            for f in files]


def _context(round_: Round, catalogue: Catalogue, lang: str, today: dt.date) -> dict[str, object]:
    return {**letter_context(round_, catalogue, lang), "today": wording("documents", lang).date(today)}
