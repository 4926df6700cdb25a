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
from .i18n import C_, wording
from .model import CriterionResponse
from .scoring import ScoreProfile, in_language

if TYPE_CHECKING:  # compile imports round, which imports excel, whose koonti.xlsx shows the plans
    from .results import WorkshopResult

PLAN_ROLE = "plan"  # Identity.role of both plan documents: a companion of the feedback, never an answer
PLAN_TITLE = "Kehittämissuunnitelma"  # in Finnish, as a returned document is known by (plan_title: any language)
PLAN_FILE = "kehittämissuunnitelma"  # palaute/<workshop> – kehittämissuunnitelma.docx / .xlsx
_PLAN_TITLE = C_("document title", "Development plan")
# The status of a line, from the workbook's drop-down; a line with an action starts as planned.
STATUSES = ("suunniteltu", "käynnissä", "valmis", "siirretty")  # in Finnish (statuses: in any language)
_STATUSES = (C_("plan status", "planned"), C_("plan status", "in progress"), C_("plan status", "done"),
             C_("plan status", "postponed"))
PLANNED = STATUSES[0]
WORKSHOP, AUDITORS = "Työpaja", "Auditoijat"  # in Finnish (who_said: in any language)
_WHO = {"workshop": C_("plan target from", "Workshop"), "auditors": C_("plan target from", "Auditors")}


def plan_title(lang: str = "fi") -> str:
    """The plan's title in a language (Kehittämissuunnitelma, Utvecklingsplan)."""
    return wording("messages", lang).pgettext("document title", _PLAN_TITLE)


def statuses(lang: str = "fi") -> tuple[str, ...]:
    """The statuses of a line in a language, in order (the first: planned)."""
    words = wording("messages", lang)
    return tuple(words.pgettext("plan status", s) for s in _STATUSES)


def who_said(who: str, lang: str = "fi") -> str:
    """Whose target a line's text is ("workshop", "auditors") in a language."""
    return wording("messages", lang).pgettext("plan target from", _WHO[who])


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
    lang: str = "fi"  # the language of its texts (targets' labels, requirements, shortfalls, summary)

    @property
    def conditional(self) -> bool:
        return self.outcome == "conditional"

    @property
    def actions(self) -> int:
        return sum(1 for line in self.lines if line.action)

    @property
    def required(self) -> tuple[PlanLine, ...]:
        return tuple(line for line in self.lines if line.required)

    def status(self, line: PlanLine) -> str:
        """The status a line starts with, in the plan's language: planned once it has an action, else not set."""
        return statuses(self.lang)[0] if line.action else ""

    def summary(self) -> str:
        """The plan in one sentence, for the coordinator (the consolidated report and koonti.xlsx)."""
        _ = words = wording("messages", self.lang)
        if not self.lines:
            return _("no development targets and no actions")
        complete = sum(1 for line in self.lines if line.complete)
        text = (words.ngettext("{count} item", "{count} items", len(self.lines)) + ", "
                + words.ngettext("{count} action", "{count} actions", self.actions))
        if self.actions:
            text += _(" ({complete} with owner and schedule)", complete=complete)
        if self.required:
            acted = sum(1 for line in self.required if line.action)
            text += _("; items the rule requires {required}, with an action recorded for {acted}",
                      required=len(self.required), acted=acted)
        return text


def development_plan(catalogue: Catalogue, wr: WorkshopResult, lang: str = "fi") -> DevelopmentPlan:
    """The workshop's development plan from its compiled results (compile.WorkshopResult).

    A criterion is on the plan when the workshop wrote a development target, an action, an owner or a
    due date for it in its form, when the auditors wrote a development recommendation for it, or when
    the auditors rated it at the rule's fail level; an element is on it when the auditors' mean is
    below the rule's minimum. Lines follow the criteria's order, an element's line before its criteria.
    lang: the language of the plan's own texts (the content's are the content's).
    """
    _ = words = wording("messages", lang)
    rule = catalogue.rule
    rec = wr.recommendation
    if rec is not None:
        rec = in_language(catalogue, rec, wr.auditor_scores, words.lang)
    audit = wr.auditor_workbook
    own_answers: Mapping[int, CriterionResponse] = wr.self_answers
    na = catalogue.scale.not_applicable.label
    fails = _fails(wr.auditor_scores, rule.fail_rating)
    lines: list[tuple[float, PlanLine]] = []
    # The auditors' texts by criterion (the first response of each number, as Returned.response finds it),
    # and whose targets they are, once a plan, not once a criterion: koonti.xlsx makes 300 plans too.
    audit_texts: dict[int, Mapping[str, str]] = {}
    for response in audit.responses if audit is not None else ():
        audit_texts.setdefault(response.number, response.texts)
    workshop_said, auditors_said = who_said("workshop", words.lang), who_said("auditors", words.lang)
    for c in catalogue.criteria:
        own = own_answers.get(c.number)
        texts = own.texts if own is not None else {}
        audited = audit_texts.get(c.number, {})
        failed = c.number in fails
        if not (failed or texts.get("development") or texts.get("actions") or texts.get("owner") or texts.get("due")
                or audited.get("development")):
            continue  # most criteria: nothing written for the plan, no shortfall
        targets = []
        development = _clean(texts.get("development", ""))
        if development:
            targets.append((workshop_said, development))
        recommendation = _clean(audited.get("development", ""))
        if recommendation:
            targets.append((auditors_said, recommendation))
        action, owner, due = _clean(texts.get("actions", "")), _clean(texts.get("owner", "")), _clean(texts.get("due", ""))
        if not (targets or action or owner or due or failed):
            continue
        requirement = _("The auditors' rating is {rating}; the proposal requires that no criterion is at level {level}.",
                        rating=_rating(catalogue, wr.auditor_scores, c.number, na),
                        level=rule.fail_rating) if failed else ""
        lines.append((c.number, PlanLine(c.number, c.text, tuple(targets), action, owner, due, failed, requirement,
                                          (_rating(catalogue, wr.self_scores, c.number, na),
                                           _rating(catalogue, wr.auditor_scores, c.number, na)))))
    if wr.auditor_scores is not None:
        for g in wr.auditor_scores.elements:
            if not (g.assessable and g.mean is not None and g.mean < rule.element_mean_min):
                continue
            numbers = [c.number for c in catalogue.criteria if c.element_id == g.id]
            element = catalogue.element(g.id)
            requirement = _("The mean of the auditors' ratings is {mean}; the proposal requires every element's mean to "
                            "be at least {minimum}.", mean=words.number(g.mean),
                            minimum=words.number(rule.element_mean_min))
            title = _("Element {name} (criteria {first}–{last})", name=element.heading, first=min(numbers),
                      last=max(numbers))
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
        audited=wr.auditor_workbook is not None, form_returned=wr.form is not None, lang=words.lang)


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


_SPACE = re.compile(r"[ \t]+")


def _clean(text: str) -> str:
    """A text as the plan shows it: line ends as \\n, runs of spaces as one, outer space trimmed."""
    if not text:  # most of a plan's fields (every criterion's owner and due date, asked of each)
        return ""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_SPACE.sub(" ", line).strip() for line in lines).strip()


__all__ = ["AUDITORS", "DevelopmentPlan", "PLANNED", "PLAN_FILE", "PLAN_ROLE", "PLAN_TITLE", "PlanLine", "STATUSES",
           "WORKSHOP", "development_plan", "plan_title", "statuses", "who_said"]
