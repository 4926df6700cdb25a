"""What compile finds, as plain values: per workshop results, what became of each file, the round's figures.

The types the reports (word/, excel/, report.py) are made from, apart from compile.py, which makes them,
so that a format package never imports an orchestrator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .choices import Unresolved
from .errors import Problem, Text
from .model import CriterionResponse, Returned, Workshop
from .scoring import Calibration, CriterionStats, Recommendation, RoundMean, ScoreProfile


@dataclass(frozen=True, slots=True)
class FileStatus:
    """What became of one returned file. status: "used", "duplicate" (a copy with the same answers was
    used, or the coordinator chose another), "conflict" (copies that differ, none chosen yet: see
    RoundResult.unresolved), "refused" (read but not usable: another round or workshop, unknown kit, stale
    content), "unreadable", "ignored", or "received" (a document that comes with the returns but holds no
    answers: a letter, the glossary, an audit report, a feedback report, a development plan; role says which)."""

    file: str
    kind: str
    status: str
    workshop_id: str = ""
    role: str = ""
    saved_at: str = ""
    note: str | Text = ""  # why a copy was not used ("valinnat.csv chooses …"), what a received document is

    def note_in(self, lang: str) -> str:
        """The note in a language (a received document: what it is, from its role)."""
        if self.status == "received" and self.role:
            from .labels import RECEIVED, label

            if self.role in RECEIVED.texts:
                return label(RECEIVED, self.role, lang)
        return self.note.said(lang) if isinstance(self.note, Text) else self.note


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
    # The self-assessment as it counts: per criterion the workbook's rating and reason (a form's where
    # the workbook has none), with the form's narrative.
    self_answers: Mapping[int, CriterionResponse] = field(default_factory=dict)
    # Problems where two returned files disagree: (phase "self" or "audit", the problem).
    conflicts: tuple[tuple[str, Problem], ...] = ()
    # The files ("self", "form", "peer") that came back in differing copies nobody has chosen among: only
    # the answers the copies share are used, and every report marks the result unresolved.
    unresolved: tuple[str, ...] = ()

    @property
    def returned_self(self) -> bool:
        """Whether the self-assessment came back: its workbook, or its form alone."""
        return self.self_workbook is not None or self.form is not None

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
    unresolved: tuple[Unresolved, ...] = ()  # files in differing copies, for the coordinator to choose among
    language: str = "fi"  # the language of the coordinator's reports (the round's)

    @property
    def file_problems(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.file)

    @property
    def clean(self) -> bool:
        """True when no returned file had a problem (missing returns do not count here)."""
        return not self.file_problems

    def summary(self) -> dict[str, Any]:
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
            "received": count("received"),
            "in_conflict": count("conflict"),
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
            "unresolved": [{"workshop_id": u.workshop_id, "role": u.role, "files": [c.file for c in u.copies],
                            "criteria": list(u.criteria)} for u in self.unresolved],
        }
