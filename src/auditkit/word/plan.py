"""A workshop's development plan as a Word document (palaute/<workshop> – kehittämissuunnitelma.docx).

Landscape A4: what the plan rests on (the proposal to Into and, for *suositellaan ehdollisesti*, what
the rule asks by when), then the plan as a table whose header repeats on every page: criterion,
development target (the workshop's and the auditors'), action, owner, due date, status. The same
lines are in the workbook the workshop keeps working in (excel/plan.py).
"""

from __future__ import annotations

import os

from ..catalogue import Catalogue
from ..i18n import C_, Wording, wording
from ..results import RoundResult
from ..model import Identity
from ..plan import PLAN_ROLE, DevelopmentPlan, PlanLine, plan_title, statuses
from .consolidated import proposal_text, round_heading, round_parts
from .contract import FORMAT_VERSION
from .document import Writer
from .stamped import report_writer
from .ooxml import Cell, Element, Row, Run
from .results import (
    FLAG_COLOUR,
    OUTCOME_FILL,
    clean,
    facts_table,
    label_cell,
    no_audit,
    report_time,
    returned_text,
    short,
)
from .styles import GREY

# Column shares of the plan's table: number, criterion, target, action, owner, due date, status.
PLAN_COLUMNS = (0.045, 0.2, 0.25, 0.21, 0.13, 0.08, 0.085)
PLAN_HEAD = (C_("plan column", "No."), C_("plan column", "Criterion"), C_("plan column", "Development target"),
             C_("plan column", "Action"), C_("plan column", "Owner"), C_("plan column", "Schedule"),
             C_("plan column", "Progress"))
PLAN_TEXT_LIMIT = 1000  # characters of one returned text a line shows (the workbook has it whole)
# The mark of a line the rule requires: a conditional proposal's, or any other's.
REQUIRED_MARK = {True: C_("plan mark", "Item of the condition"), False: C_("plan mark", "Item of the rule")}
_OWN = C_("plan basis", "This is the workshop's development plan. ")
# By the proposal's outcome: the lead in bold, what follows it, and the words before the rule's shortfalls.
_BASIS: dict[str | None, tuple[str, str, str]] = {
    "conditional": (C_("plan basis", "This is the development plan the conditional proposal requires. "),
                    C_("plan basis", "The auditors' proposal to Into is {label}. {required_by} The plan brings together "
                                     "the items that make the proposal conditional, and the workshop's own and the "
                                     "auditors' development targets."),
                    C_("plan basis", "The condition requires:")),
    "not_recommended": (_OWN, C_("plan basis", "The auditors' proposal to Into is {label}. The plan brings together the "
                                               "items for which the quality mark is not proposed now, and the "
                                               "workshop's own and the auditors' development targets."),
                        C_("plan basis", "Proposing the quality mark requires:")),
    "recommended": (_OWN, C_("plan basis", "The auditors' proposal to Into is {label}; the plan is not its condition "
                                           "but brings together the workshop's own and the auditors' development "
                                           "targets for continuous development."), ""),
    None: (_OWN, C_("plan basis", "The audit has not been returned, so the plan holds only the workshop's own "
                                  "development targets and actions; the auditors' recommendations come into it once the "
                                  "audit has been compiled."), ""),
}


def build_plan_report(catalogue: Catalogue, result: RoundResult, plan: DevelopmentPlan, *, workbook_name: str = "",
                      templates: str | os.PathLike[str] | None = None, stamped: bool = True,
                      lang: str | None = None) -> bytes:
    """The development plan of one workshop of a compiled round, as .docx bytes.

    workbook_name: the file name of the plan's workbook beside it, which the document points to.
    stamped: spliced into a package made once per process (stamped.py); False builds it through
    python-docx's whole package (the same content). lang: the document's language (default: the plan's,
    DevelopmentPlan.lang, which report.py makes in the workshop's language). Raises TemplateError when
    the base document is broken.
    """
    lang = lang or plan.lang
    # Landscape: seven columns of text need the width.
    w = report_writer(catalogue, templates, stamped=stamped, landscape=True, when=report_time(result), lang=lang)
    _ = wording("documents", w.lang)
    title = plan_title(w.lang)
    name = clean(plan.workshop_name) or clean(plan.workshop_id)
    w.title_block(title, name)
    facts = [(_.pgettext("report", "Workshop"), [name]), (_.pgettext("report", "Code"), [clean(plan.workshop_id)]),
             (_.pgettext("report", "Assessment round"), round_parts(result, w.lang)),
             (_("Proposal to Into"), [plan.label or no_audit(w.lang)]),
             (_("Compiled"), [_sources(_, plan)])]
    if workbook_name:
        facts.append((_("Editable version"), [workbook_name]))
    facts_table(w, facts, (0.22, 0.78))
    _basis(w, plan)
    w.heading(1, _("The plan"), page_break=False)
    _table(w, plan)
    _use(w, plan, workbook_name)
    w.header_footer([title, " · ", name, " · ", *round_heading(result, w.lang)],
                    [f"{catalogue.meta.title} {catalogue.version}"])
    ident = Identity(FORMAT_VERSION, catalogue.version, catalogue.hash, round_id=result.round_id,
                     workshop_id=plan.workshop_id, workshop_name=plan.workshop_name, role=PLAN_ROLE)
    return w.finish(ident, f"{title}: {plan.workshop_name}", _("{title}: development plan", title=catalogue.meta.title),
                    when=report_time(result))


def _sources(_: Wording, plan: DevelopmentPlan) -> str:
    parts = [_("the development targets and actions of the workshop's self-assessment form") if plan.form_returned
             else "", _("the auditors' development recommendations and ratings") if plan.audited else ""]
    text = _(" as well as ").join(p for p in parts if p) or _("no returned files")
    if not plan.form_returned and not plan.audited:
        text += _(" (the self-assessment form and the audit workbook have not been returned)")
    elif not plan.form_returned:
        text += _(" (the self-assessment form has not been returned)")
    elif not plan.audited:
        text += _(" (the audit workbook has not been returned)")
    return text[:1].upper() + text[1:]


def _basis(w: Writer, plan: DevelopmentPlan) -> None:
    """What the plan is for: the improvement plan a conditional proposal asks for, or the workshop's own."""
    _ = wording("documents", w.lang)
    lead, body, asks = (_.pgettext("plan basis", text) if text else "" for text in _BASIS[plan.outcome])
    w.para("Normal", Run(lead, bold=True), body.format(label=plan.label, required_by=plan.required_by),
           fill=OUTCOME_FILL[plan.outcome], before=240, keep_next=bool(asks))
    if asks and plan.shortfalls:
        w.para("Normal", asks, keep_next=True)
    for sentence in plan.shortfalls:
        w.para("List Bullet", clean(sentence))
    if plan.required:
        mark = _.pgettext("plan mark", REQUIRED_MARK[plan.conditional])
        w.para("Normal", _("These items are marked in the plan with the words “{mark}”. Record for each an action, an "
                           "owner and a schedule before the next application round.", mark=mark) if plan.conditional
               else _("These items are marked in the plan with the words “{mark}”. Record for each an action, an owner "
                      "and a schedule.", mark=mark), before=80)
    if plan.advice:
        w.para("Normal", _("The criteria's own advice is: “{advice}”. {proposal}", advice=plan.advice,
                           proposal=proposal_text(w.lang)))


def _table(w: Writer, plan: DevelopmentPlan) -> None:
    _ = wording("documents", w.lang)
    if not plan.lines:
        w.para("Normal", _("The workshop has not recorded development targets or actions, nor the auditors development "
                           "recommendations. The plan can be started in the editable version."))
        return
    rows = [w.head_row([_.pgettext("plan column", head) for head in PLAN_HEAD], size=9)]
    not_recorded = _("not recorded")
    for line in plan.lines:
        rows.append(Row([
            label_cell(w, str(line.number) if line.number is not None else "–"),
            Cell(_criterion(w, plan, line)),
            Cell(_targets(w, line)),
            Cell([w.p("Table Text", *returned_text(line.action, PLAN_TEXT_LIMIT, w.lang))] if line.action else
                 [w.p("Table Hint", not_recorded)]),
            Cell([w.p("Table Text", *returned_text(line.owner, PLAN_TEXT_LIMIT, w.lang))]),
            Cell([w.p("Table Text", *returned_text(line.due, PLAN_TEXT_LIMIT, w.lang))]),
            Cell([w.p("Table Text", statuses(w.lang)[0] if line.action else "")]),
        ]))  # each line whole on its page
    w.table(PLAN_COLUMNS, rows)


def _criterion(w: Writer, plan: DevelopmentPlan, line: PlanLine) -> list[Element]:
    """The criterion (its first sentence), the ratings, and the rule's mark when the line is its shortfall."""
    _ = wording("documents", w.lang)
    text = short(w.catalogue.criterion(line.number), 110) if line.number is not None else line.title
    out = [w.p("Table Text", text)]
    own, auditors = line.ratings
    ratings = "; ".join(part for part in (_("self-assessment {rating}", rating=own) if own else "",
                                          _("auditors {rating}", rating=auditors) if auditors else "") if part)
    if ratings:
        out.append(w.p("Table Hint", ratings[:1].upper() + ratings[1:]))
    if line.required:
        out.append(w.p("Table Text", Run(_.pgettext("plan mark", REQUIRED_MARK[plan.conditional]), bold=True,
                                         color=FLAG_COLOUR, size=9)))
    return out


def _targets(w: Writer, line: PlanLine) -> list[Element]:
    _ = wording("documents", w.lang)
    out = []
    if line.requirement:
        out.append(w.p("Table Text", Run(_("Rule: "), bold=True, color=GREY, size=8.5), line.requirement))
    for who, text in line.targets:
        out.append(w.p("Table Text", Run(f"{who}: ", bold=True, color=GREY, size=8.5),
                       *returned_text(text, PLAN_TEXT_LIMIT, w.lang)))
    return out or [w.p("Table Hint", _("not recorded"))]


def _use(w: Writer, plan: DevelopmentPlan, workbook_name: str) -> None:
    _ = wording("documents", w.lang)
    w.heading(2, _("How the plan is used"))
    where = _("in the editable version ({name})", name=workbook_name) if workbook_name else \
        _("in the editable version")
    w.para("List Bullet", _("Keep the plan up to date {where}: there you can complete the actions, owners and "
                            "schedules, choose the status and add rows.", where=where))
    said = statuses(w.lang)
    w.para("List Bullet", _("Status: {statuses} or {last}. A recorded action is {first} to begin with.",
                            statuses=", ".join(said[:-1]), last=said[-1], first=said[0]))
    w.para("List Bullet", _("Workshop: the development target and action from the workshop's self-assessment form. "
                            "Auditors: the auditors' development recommendation from the audit workbook. Rule: the item "
                            "of the quality-mark proposal's rule."))
