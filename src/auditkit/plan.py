"""A workshop's development plan (kehittämissuunnitelma): its lines from the form's actions, the auditors'
recommendations and the shortfalls of the quality-mark rule, as plain values the documents are made from.

The plan is the end of the criteria's own advice ("Kehitä omaa toimintaasi") and, for a proposal
*suositellaan ehdollisesti*, the improvement plan the rule asks for by the next round. Every line
is taken from what someone entered once: the workshop's development targets, actions, owners and
due dates from its form; the auditors' development recommendations from their workbook; the rule's
shortfalls (criteria at its fail level, element means below its minimum) from the auditors' ratings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .catalogue import Catalogue
from .model import CriterionResponse, Returned
from .scoring import ScoreProfile

if TYPE_CHECKING:  # compile imports round, which imports excel, whose koonti.xlsx shows the plans
    from .results import WorkshopResult

PLAN_ROLE = "plan"  # Identity.role of both plan documents: a companion of the feedback, never an answer
PLAN_TITLE = "Kehittämissuunnitelma"
PLAN_FILE = "kehittämissuunnitelma"  # palaute/<workshop> – kehittämissuunnitelma.docx / .xlsx
# The status of a line, from the workbook's drop-down; a line with an action starts as planned.
STATUSES = ("suunniteltu", "käynnissä", "valmis", "siirretty")
PLANNED = STATUSES[0]
WORKSHOP, AUDITORS = "Työpaja", "Auditoijat"


@dataclass(frozen=True, slots=True)
class PlanLine:
    """A line of the plan: a criterion (number) or an element (element_id, number None).

    targets: (who, text) pairs, the workshop's development target and the auditors' recommendation;
    action, owner, due: from the workshop's form ("" when not given); required: a shortfall of the
    rule (a criterion at its fail level, an element mean below its minimum), with the sentence that
    says so in `requirement`; ratings: the workshop's and the auditors' rating as shown ("" for none).
    """

    number: int | None
    title: str
    targets: tuple[tuple[str, str], ...] = ()
    action: str = ""
    owner: str = ""
    due: str = ""
    required: bool = False
    requirement: str = ""
    ratings: tuple[str, str] = ("", "")
    element_id: str = ""

    @property
    def status(self) -> str:
        """The status the line starts with: planned once it has an action, else not set."""
        return PLANNED if self.action else ""

    @property
    def complete(self) -> bool:
        """Whether the line says what is done, who answers for it and by when."""
        return bool(self.action and self.owner and self.due)


@dataclass(frozen=True, slots=True)
class DevelopmentPlan:
    """A workshop's development plan. outcome: the proposal's outcome ("recommended", "conditional",
    "not_recommended") or None without an audit; label: its wording; required_by: for a conditional
    proposal, what the rule asks and by when (rules.toml conditional_note), else ""; shortfalls: the
    rule's reasons the proposal is not "suositellaan", in sentences; advice: the criteria's own advice;
    audited, form_returned: whether the auditors' workbook and the workshop's form came back."""

    workshop_id: str
    workshop_name: str
    lines: tuple[PlanLine, ...]
    outcome: str | None
    label: str
    required_by: str
    shortfalls: tuple[str, ...]
    advice: str
    audited: bool
    form_returned: bool

    @property
    def conditional(self) -> bool:
        return self.outcome == "conditional"

    @property
    def actions(self) -> int:
        return sum(1 for line in self.lines if line.action)

    @property
    def required(self) -> tuple[PlanLine, ...]:
        return tuple(line for line in self.lines if line.required)

    def summary(self) -> str:
        """The plan in one sentence, for the coordinator (the consolidated report and koonti.xlsx)."""
        if not self.lines:
            return "ei kehittämiskohteita eikä toimenpiteitä"
        complete = sum(1 for line in self.lines if line.complete)
        text = f"{_count(len(self.lines), 'kohta', 'kohtaa')}, {_count(self.actions, 'toimenpide', 'toimenpidettä')}"
        if self.actions:
            text += f" ({complete} vastuuhenkilöineen ja aikatauluineen)"
        if self.required:
            acted = sum(1 for line in self.required if line.action)
            text += f"; säännön edellyttämiä kohtia {len(self.required)}, joista toimenpide kirjattu {acted}"
        return text


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def development_plan(catalogue: Catalogue, wr: WorkshopResult) -> DevelopmentPlan:
    """The workshop's development plan from its compiled results (compile.WorkshopResult).

    A criterion is on the plan when the workshop wrote a development target, an action, an owner or a
    due date for it in its form, when the auditors wrote a development recommendation for it, or when
    the auditors rated it at the rule's fail level; an element is on it when the auditors' mean is
    below the rule's minimum. Lines follow the criteria's order, an element's line before its criteria.
    """
    rule = catalogue.rule
    rec = wr.recommendation
    audit = wr.auditor_workbook
    own_answers: Mapping[int, CriterionResponse] = wr.self_answers
    na = catalogue.scale.not_applicable.label
    fails = _fails(wr.auditor_scores, rule.fail_rating)
    lines: list[tuple[float, PlanLine]] = []
    for c in catalogue.criteria:
        own = own_answers.get(c.number)
        texts = own.texts if own is not None else {}
        targets = []
        if _clean(texts.get("development", "")):
            targets.append((WORKSHOP, _clean(texts["development"])))
        recommendation = _text(audit, c.number, "development")
        if recommendation:
            targets.append((AUDITORS, recommendation))
        action, owner, due = (_clean(texts.get(key, "")) for key in ("actions", "owner", "due"))
        failed = c.number in fails
        if not (targets or action or owner or due or failed):
            continue
        requirement = (f"Auditoijien arvio on {_rating(catalogue, wr.auditor_scores, c.number, na)}; ehdotus "
                       f"edellyttää, ettei yhtään kriteeriä ole tasolla {rule.fail_rating}.") if failed else ""
        lines.append((c.number, PlanLine(c.number, c.text, tuple(targets), action, owner, due, failed, requirement,
                                          (_rating(catalogue, wr.self_scores, c.number, na),
                                           _rating(catalogue, wr.auditor_scores, c.number, na)))))
    if wr.auditor_scores is not None:
        for g in wr.auditor_scores.elements:
            if not (g.assessable and g.mean is not None and g.mean < rule.element_mean_min):
                continue
            numbers = [c.number for c in catalogue.criteria if c.element_id == g.id]
            element = catalogue.element(g.id)
            requirement = (f"Auditoijien arvioiden keskiarvo on {_fi(g.mean)}; ehdotus edellyttää jokaisen "
                           f"elementin keskiarvoksi vähintään {_fi(rule.element_mean_min)}.")
            title = f"Elementti {element.heading} (kriteerit {min(numbers)}–{max(numbers)})"
            lines.append((min(numbers) - 0.5, PlanLine(None, title, required=True, requirement=requirement,
                                                        element_id=g.id)))
    shortfalls: tuple[str, ...] = ()
    if rec is not None and rec.outcome != "recommended":
        shortfalls = tuple(r for r in rec.reasons if r != rule.conditional_note)
    steps = catalogue.meta.getting_started
    return DevelopmentPlan(
        workshop_id=wr.workshop.id, workshop_name=wr.workshop.name,
        lines=tuple(line for _, line in sorted(lines, key=lambda item: item[0])),
        outcome=rec.outcome if rec else None, label=rec.label if rec else "",
        required_by=rule.conditional_note if rec is not None and rec.outcome == "conditional" else "",
        shortfalls=shortfalls, advice=steps[-1] if steps else "",
        audited=wr.auditor_workbook is not None, form_returned=wr.form is not None)


def _fails(profile: ScoreProfile | None, fail_rating: int) -> set[int]:
    if profile is None:
        return set()
    return {n for n, e in profile.criteria.items() if e.value is not None and e.value <= fail_rating}


def _rating(catalogue: Catalogue, profile: ScoreProfile | None, number: int, na: str) -> str:
    """A criterion's rating as a plan shows it: "2 – Alkava", Ei sovellu, or "" when not given."""
    if profile is None or number not in profile.criteria:
        return ""
    e = profile.criteria[number]
    if e.value is not None and e.value in catalogue.scale.values:
        return catalogue.scale.level(e.value).label
    return na if e.not_applicable else ""


def _text(returned: Returned | None, number: int, key: str) -> str:
    if returned is None:
        return ""
    response = returned.response(number)
    return _clean(response.texts.get(key, "")) if response is not None else ""


_SPACE = re.compile(r"[ \t]+")


def _clean(text: str) -> str:
    """A text as the plan shows it: line ends as \\n, runs of spaces as one, outer space trimmed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_SPACE.sub(" ", line).strip() for line in lines).strip()


def _fi(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


__all__ = ["AUDITORS", "DevelopmentPlan", "PLANNED", "PLAN_FILE", "PLAN_ROLE", "PLAN_TITLE", "PlanLine", "STATUSES",
           "WORKSHOP", "development_plan"]
