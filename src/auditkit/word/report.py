"""The audit report template (vertaisauditointiraportti, or ulkoisen auditoinnin raportti)."""

from __future__ import annotations

import os

from ..catalogue import Catalogue, Profile
from ..i18n import C_, N_, Wording, wording
from ..labels import AUDIT_TYPE, AUDITOR_ROLE, label
from ..model import DocumentContext, ForwardedSelfAssessment
from .contract import REPORT_ROLE, REPORT_TITLES, SHEET, title
from .document import Writer, header_parts, identity
from .form import criterion_paragraphs, round_runs, scale_table, sheet_row
from .ooxml import Cell, Element, Row, Run
from ..templating import common_variables
from .prose import joined
from .results import rule_paragraphs
from .styles import DARK, LABEL_FILL, WHITE

# The drop-downs' choices and the report's fields: English texts of the documents catalogue, said in
# the report's language.
STATUS_CHOICES = (N_("Draft for the workshop's comments"), N_("Final, to be sent to Into"))
CONFLICT_CHOICES = (N_("No conflict of interest"), N_("Possible conflict of interest (explanation beside)"))
MISSING = N_("No rating")  # shown where the workshop gave no rating
FINDINGS = (
    (C_("report field", "Evidence seen"), N_("What evidence the ratings are based on.")),
    (C_("report field", "Strengths"), N_("The area's strengths.")),
    (C_("report field", "Areas for development"), N_("The area's areas for development.")),
    (C_("report field", "Recommendations"), N_("What the auditors recommend.")),
)
METHODS = (
    (C_("report field", "Material read"), N_("Documents, records and other evidence examined."), 900),
    (C_("report field", "Interviews"), N_("Who was interviewed (roles) and when."), 900),
    (C_("report field", "Visit"), N_("Date, place and which activities were seen."), 700),
    (C_("report field", "Other methods"), N_("For example hearing the trainees or partners."), 700),
)
# The auditors' roles the tool itself writes (model.Auditor.role), said in the report's language.
_SHEET = {row.key: row.label for row in SHEET}  # the labels the report shares with the form's data sheet


def build_audit_report(catalogue: Catalogue, ctx: DocumentContext, *,
                       templates: str | os.PathLike[str] | None = None,
                       self_assessment: ForwardedSelfAssessment | None = None) -> bytes:
    """The audit report template for one workshop as .docx bytes, in the language of ctx.language.

    ctx.audit_type "peer" gives the peer-audit report, "external" the external-audit variant (title and
    wording). Holds the data sheet with the auditors (ctx.auditors) and the deadlines, conflict-of-interest
    declarations, how the audit was done, per area the criteria with the workshop's own rating and
    reason and its area mean (from self_assessment; without it, fields to fill in) and the auditors'
    findings as text, the overall assessment with the workshop's element means, the recommendation on
    the quality mark as a proposal to Into with the rule, the workshop's comments, signatures and
    annexes. The auditors' ratings are not asked here: their home is the auditors' workbook.
    Raises TemplateError for a broken template or base.
    """
    audit_type = ctx.audit_type if ctx.audit_type in REPORT_TITLES else "peer"
    w = Writer(catalogue, templates, lang=ctx.language)
    _ = wording("documents", w.lang)
    report_title = title(REPORT_ROLE, w.lang, audit_type)
    external = audit_type == "external"
    common = common_variables(catalogue, ctx)
    _cover(w, _, ctx, report_title, external, self_assessment)
    w.heading(1, _.pgettext("heading", "Introduction"), page_break=True)
    w.prose("report_intro.j2", **common)
    w.heading(1, _.pgettext("heading", "Conflict of interest"))
    w.prose("report_conflict.j2", **common)
    _conflicts(w, _, ctx, external)
    w.heading(1, _.pgettext("heading", "How the audit was done"))
    w.prose("report_method.j2", **common)
    w.table((0.28, 0.72), [_field_row(w, _.pgettext("report field", name), _(placeholder), height)
                           for name, placeholder, height in METHODS])
    _assessment(w, _, common, ctx.workshop.profile, self_assessment)
    _overall(w, _, external, self_assessment)
    _recommendation(w, _, common)
    w.heading(1, _.pgettext("heading", "The workshop's comments"), page_break=True)
    w.prose("report_comments.j2", **common)
    w.table((0.28, 0.72), [
        _field_row(w, _.pgettext("report field", "Comments on the report"), _("The workshop's comments on the draft."),
                   2200),
        _field_row(w, _.pgettext("report field", "Commenter and date"), _("Name, role, date."), 500),
    ])
    _signatures(w, _, ctx)
    w.heading(1, _.pgettext("heading", "Annexes"))
    w.prose("report_annexes.j2", **common)
    w.table((0.18, 0.82), [_field_row(w, _("Annex {number}", number=n), _("The annex's name or file."), 454)
                           for n in range(1, 6)])
    w.header_footer(header_parts(report_title, ctx), [f"{catalogue.meta.title} {catalogue.version}"])
    return w.finish(identity(catalogue, ctx, REPORT_ROLE), f"{report_title}: {ctx.workshop.name}",
                    f"{catalogue.meta.title}: {label(AUDIT_TYPE, audit_type, w.lang).lower()}")


def _role(_: Wording, role: str) -> str:
    """An auditor's role as the report shows it: the tool's own roles in the report's language."""
    return label(AUDITOR_ROLE, role, _.lang)


def _cover(w: Writer, _: Wording, ctx: DocumentContext, report_title: str, external: bool,
           forwarded: ForwardedSelfAssessment | None) -> None:
    w.title_block(report_title, ctx.workshop.name)
    w.heading(2, _.pgettext("heading", "Basic information"))

    def sheet(key: str) -> str:
        return _.pgettext("data sheet", _SHEET[key])

    values = [
        (sheet("workshop"), [ctx.workshop.name] if ctx.workshop.name else None),
        (sheet("organisation"), [ctx.workshop.organisation] if ctx.workshop.organisation else None),
        (sheet("round"), round_runs(ctx)),
        (sheet("audit_type"), [label(AUDIT_TYPE, "external" if external else "peer", w.lang)]),
        (_.pgettext("data sheet", "Time of the audit"), None),
        (_.pgettext("data sheet", "The workshop's contact person"), None),
        (_.pgettext("data sheet", "Coordinator"), [ctx.coordinator] if ctx.coordinator else None),
        (sheet("content_version"), [f"{w.catalogue.version} ({w.catalogue.short_hash})"]),
        (sheet("kit_id"), [ctx.kit_id]),
    ]
    if forwarded is not None:
        values.insert(4, (_.pgettext("data sheet", "The workshop's self-assessment"), [forwarded.files]))
    for name, date in ((_.pgettext("data sheet", "Audit to be returned by"), ctx.deadline),
                       (_.pgettext("data sheet", "The workshop's comments by"), ctx.comments_deadline)):
        if date:
            values.append((name, [_.date(date)]))
    rows = [sheet_row(w, name, value or [w.text_control("", name, _("Fill in."))]) for name, value in values]
    status = _.pgettext("data sheet", "Status of the report")
    rows.append(sheet_row(w, status, [w.dropdown("", status, _("Choose the status."),
                                                 [_(choice) for choice in STATUS_CHOICES])]))
    w.table((0.3, 0.7), rows)
    w.heading(2, _.pgettext("heading", "Auditor") if external else _.pgettext("heading", "Auditors"))
    head = [_.pgettext("column", "Name"), _.pgettext("column", "Role")] + (
        [] if external else [_.pgettext("column", "Home workshop")]) + [_.pgettext("column", "Email")]
    columns = (0.36, 0.22, 0.42) if external else (0.3, 0.18, 0.2, 0.32)
    rows = [w.head_row(head)]
    for auditor in ctx.auditors:
        shown = [auditor.name, _role(_, auditor.role)] + ([] if external else [auditor.home_workshop_id]) + \
            [auditor.email]
        rows.append(Row([Cell([w.p("Table Text", value)]) for value in shown], height=400))
    if not ctx.auditors:
        roles = ["pääauditoija"] if external else ["pääauditoija", "auditoija"]
        for role in roles:
            cells = [Cell([w.p("Table Text", w.text_control("", head[0], _("Name.")))]),
                     Cell([w.p("Table Text", _role(_, role))])]
            cells += [Cell([w.p("Table Text", w.text_control("", h, f"{h}."))]) for h in head[2:]]
            rows.append(Row(cells, height=400))
    w.table(columns, rows)


def _field_row(w: Writer, name: str, placeholder: str, height: int, *, control: Element | None = None,
               keep_next: bool = False) -> Row:
    """A label and a control to fill in beside it."""
    if control is None:
        control = w.text_control("", name, placeholder)
    return Row([Cell([w.p("Table Label", name, keep_next=keep_next)], fill=LABEL_FILL),
                Cell([w.p("Table Text", control, keep_next=keep_next)])], height=height)


def _conflicts(w: Writer, _: Wording, ctx: DocumentContext, external: bool) -> None:
    auditor = _.pgettext("column", "Auditor")
    names: list[list[str | Element]] = [[a.name] for a in ctx.auditors] or [
        [w.text_control("", auditor, _("Name."))] for _n in range(1 if external else 2)]
    rows = [w.head_row([auditor, _.pgettext("column", "Declaration"), _.pgettext("column", "Explanation and date")])]
    choices = [_(choice) for choice in CONFLICT_CHOICES]
    for name in names:
        rows.append(Row([
            Cell([w.p("Table Text", *name)]),
            Cell([w.p("Table Text", w.dropdown("", _.pgettext("control", "Conflict of interest"), _("Choose."),
                                               choices))]),
            Cell([w.p("Table Text", w.text_control("", _.pgettext("control", "Explanation"),
                                                   _("Explanation (if needed) and date.")))]),
        ], height=560))
    w.table((0.3, 0.3, 0.4), rows)


def _assessment(w: Writer, _: Wording, common: dict, profile: Profile,
                forwarded: ForwardedSelfAssessment | None) -> None:
    catalogue = w.catalogue
    w.heading(1, _.pgettext("heading", "Assessment by area"), page_break=True)
    w.prose("report_assessment.j2", **common, rejected_counts_as=catalogue.rule.rejected_not_applicable_counts_as)
    for note in forwarded.notes if forwarded is not None else ():
        w.para("Note", Run(_("Note:") + " ", bold=True), note)
    scale_table(w)
    for element in catalogue.elements:
        w.heading(1, element.heading, page_break=True)
        for area in catalogue.areas_of(element.id):
            w.heading(2, area.name)
            rows = [w.head_row([_.pgettext("column", "No."), _.pgettext("column", "Criterion"),
                                _.pgettext("column", "The workshop's rating and reason")])]
            for criterion in catalogue.criteria_of(area.id):
                rows.append(Row([
                    Cell([w.p("Table Label", str(criterion.number))]),
                    Cell(criterion_paragraphs(w, criterion, profile, links=False, auditors=True)),
                    Cell(_self_rating(w, _, forwarded, criterion.number)),
                ]))
            if forwarded is not None:
                rows.append(Row([Cell([w.p("Table Label", _("The workshop's mean: {area}", area=area.name))],
                                      fill=LABEL_FILL, span=2),
                                 Cell([w.p("Table Label", _mean(_, forwarded, area.id))], fill=LABEL_FILL)]))
            w.table((0.06, 0.64, 0.30), rows)
            w.spacer(120)
            findings = [Row([Cell([w.p("Table Label", Run(_("Findings: {area}", area=area.name), color=WHITE),
                                       keep_next=True)], fill=DARK, span=2)])]
            for index, (name, placeholder) in enumerate(FINDINGS):
                keep = index < len(FINDINGS) - 1  # the findings stay together on one page
                findings.append(_field_row(w, _.pgettext("report field", name), _(placeholder), 800, keep_next=keep))
            w.table((0.24, 0.76), findings)


def _self_rating(w: Writer, _: Wording, forwarded: ForwardedSelfAssessment | None, number: int) -> list:
    """The workshop's rating (bold) and reason as returned, or a field to fill in without them."""
    if forwarded is None:
        return [w.p("Table Text", w.text_control("", _.pgettext("control", "The workshop's rating"),
                                                 _("The workshop's rating from the self-assessment.")))]
    out = [w.p("Table Text", Run(forwarded.ratings.get(number, _(MISSING)), bold=True))]
    reason = forwarded.reasons.get(number, "")
    if reason:
        out.append(w.p("Table Hint", reason))
    return out


def _mean(_: Wording, forwarded: ForwardedSelfAssessment, group_id: str) -> str:
    mean, assessable = forwarded.means.get(group_id, (None, True))
    shown = "–" if mean is None else _.number(mean)
    return shown if assessable or mean is None else _("cannot be assessed ({mean})", mean=shown)


def _overall(w: Writer, _: Wording, external: bool, forwarded: ForwardedSelfAssessment | None) -> None:
    catalogue = w.catalogue
    w.heading(1, _.pgettext("heading", "Overall assessment"), page_break=True)
    remarks = _.pgettext("column", "Remarks")
    rows = [w.head_row([_.pgettext("column", "Element of the criteria"),
                        _.pgettext("column", "Mean of the workshop's ratings"), remarks])]
    for element in catalogue.elements:
        mean = (Cell([w.p("Table Text", _mean(_, forwarded, element.id))]) if forwarded is not None
                else Cell([w.p("Table Text", w.text_control("", _.pgettext("control", "The workshop's mean"),
                                                            _("Mean.")))]))
        rows.append(Row([Cell([w.p("Table Label", element.heading)], fill=LABEL_FILL), mean,
                         Cell([w.p("Table Text", w.text_control("", remarks, _("Remarks.")))])], height=500))
    w.table((0.28, 0.22, 0.50), rows)
    w.para("Note", _("The auditor's ratings and their means are in the audit workbook (sheet Summary), which is "
                     "attached to the report; the consolidated report computes them from the returned workbook.")
           if external else
           _("The auditors' ratings and their means are in the audit workbook (sheet Summary), which is attached "
             "to the report; the consolidated report computes them from the returned workbook."))
    w.spacer(120)
    w.table((0.28, 0.72), [
        _field_row(w, _.pgettext("report field", "Key strengths"), _("The workshop's most important strengths."),
                   1300),
        _field_row(w, _.pgettext("report field", "Key areas for development"),
                   _("The most important areas for development."), 1300),
        _field_row(w, _.pgettext("report field", "Summary"), _("An overall picture of the workshop's quality."), 1600),
    ])


def _recommendation(w: Writer, _: Wording, common: dict) -> None:
    rule = w.catalogue.rule
    outcomes = (rule.recommended, rule.conditional, rule.not_recommended)
    w.heading(1, _.pgettext("heading", "Recommendation on the quality mark: a proposal to Into"), page_break=True)
    w.prose("report_recommendation.j2", **common, recommended=rule.recommended, conditional=rule.conditional,
            not_recommended=rule.not_recommended)
    w.table((0.28, 0.72), [
        _field_row(w, _.pgettext("report field", "Proposal to Into"), "", 500,
                   control=w.dropdown("", _.pgettext("control", "Proposal"), _("Choose the proposal."), outcomes)),
        _field_row(w, _.pgettext("report field", "Reasons"), _("Why this proposal; references to the ratings."), 1400),
        _field_row(w, _("Conditions ({outcome})", outcome=rule.conditional),
                   _("What the workshop must develop and by when. {note}", note=rule.conditional_note), 1000),
    ])
    w.heading(3, _.pgettext("heading", "The rule of the proposal"))
    rule_paragraphs(w)
    w.para("Note", _("Options: {options}.", options=joined(list(outcomes), w.lang)))


def _signatures(w: Writer, _: Wording, ctx: DocumentContext) -> None:
    w.heading(1, _.pgettext("heading", "Signatures"))
    w.para("Normal", _("We declare that the report corresponds to the findings of the audit."))
    rows = [w.head_row([_.pgettext("column", "Name"), _.pgettext("column", "Role"),
                        _.pgettext("column", "Place and date"), _.pgettext("column", "Signature")])]
    people = [[[a.name], [_role(_, a.role)]] for a in ctx.auditors] or [[[""], [""]], [[""], [""]]]
    for name, role in people:
        rows.append(Row([Cell([w.p("Table Text", *name)]), Cell([w.p("Table Text", *role)]),
                         Cell([w.p("Table Text")]), Cell([w.p("Table Text")])], height=900))
    w.table((0.28, 0.18, 0.22, 0.32), rows)
