"""The audit report template (vertaisauditointiraportti, or ulkoisen auditoinnin raportti)."""

from __future__ import annotations

import os

from ..catalogue import Catalogue, Profile
from ..dates import date_fi
from ..labels import AUDIT_TYPE_FI
from ..model import DocumentContext, ForwardedSelfAssessment
from .contract import REPORT_ROLE, REPORT_TITLES
from .document import Writer, header_parts, identity
from .form import criterion_paragraphs, round_runs, scale_table, sheet_row
from .ooxml import Cell, Element, Row, Run
from ..templating import common_variables
from .prose import joined
from .results import fi, rule_paragraphs
from .styles import DARK, LABEL_FILL, WHITE

STATUS_CHOICES = ("Luonnos työpajan kommentoitavaksi", "Lopullinen, lähetetään Intolle")
CONFLICT_CHOICES = ("Ei esteellisyyttä", "Mahdollinen esteellisyys (selvitys viereen)")
MISSING = "Ei arviota"  # shown where the workshop gave no rating
FINDINGS = (
    ("Nähty näyttö", "Mihin näyttöön arviot perustuvat."),
    ("Vahvuudet", "Osa-alueen vahvuudet."),
    ("Kehittämiskohteet", "Osa-alueen kehittämiskohteet."),
    ("Suositukset", "Mitä auditoijat suosittelevat."),
)


def build_audit_report(catalogue: Catalogue, ctx: DocumentContext, *,
                       templates: str | os.PathLike[str] | None = None,
                       self_assessment: ForwardedSelfAssessment | None = None) -> bytes:
    """The audit report template for one workshop as .docx bytes.

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
    title = REPORT_TITLES[audit_type]
    external = audit_type == "external"
    w = Writer(catalogue, templates)
    common = common_variables(catalogue, ctx)
    _cover(w, ctx, title, external, self_assessment)
    w.heading(1, "Johdanto", page_break=True)
    w.prose("report_intro.j2", **common)
    w.heading(1, "Esteellisyys")
    w.prose("report_conflict.j2", **common)
    _conflicts(w, ctx, external)
    w.heading(1, "Auditoinnin toteutus")
    w.prose("report_method.j2", **common)
    w.table((0.28, 0.72), [
        _field_row(w, label, placeholder, height)
        for label, placeholder, height in (
            ("Luettu aineisto", "Asiakirjat, tallenteet ja muu näyttö, johon tutustuttiin.", 900),
            ("Haastattelut", "Keitä haastateltiin (tehtävät) ja milloin.", 900),
            ("Vierailu", "Päivämäärä, paikka ja mihin toimintaan tutustuttiin.", 700),
            ("Muut menetelmät", "Esimerkiksi valmentautujien tai yhteistyökumppaneiden kuuleminen.", 700),
        )
    ])
    _assessment(w, common, ctx.workshop.profile, self_assessment)
    _overall(w, external, self_assessment)
    _recommendation(w, common)
    w.heading(1, "Työpajan kommentit", page_break=True)
    w.prose("report_comments.j2", **common)
    w.table((0.28, 0.72), [
        _field_row(w, "Kommentit raporttiin", "Työpajan kommentit luonnokseen.", 2200),
        _field_row(w, "Kommentoija ja päiväys", "Nimi, tehtävä, päiväys.", 500),
    ])
    _signatures(w, ctx)
    w.heading(1, "Liitteet")
    w.prose("report_annexes.j2", **common)
    w.table((0.18, 0.82), [_field_row(w, f"Liite {n}", "Liitteen nimi tai tiedosto.", 454) for n in range(1, 6)])
    w.header_footer(header_parts(title, ctx), [f"{catalogue.meta.title} {catalogue.version}"])
    return w.finish(identity(catalogue, ctx, REPORT_ROLE), f"{title}: {ctx.workshop.name}",
                    f"{catalogue.meta.title}: {AUDIT_TYPE_FI[audit_type].lower()}")


def _cover(w: Writer, ctx: DocumentContext, title: str, external: bool,
           forwarded: ForwardedSelfAssessment | None) -> None:
    w.title_block(title, ctx.workshop.name)
    w.heading(2, "Perustiedot")
    values = [
        ("Työpaja", [ctx.workshop.name] if ctx.workshop.name else None),
        ("Organisaatio", [ctx.workshop.organisation] if ctx.workshop.organisation else None),
        ("Arviointikierros", round_runs(ctx)),
        ("Auditointimalli", [AUDIT_TYPE_FI["external" if external else "peer"]]),
        ("Auditoinnin ajankohta", None),
        ("Työpajan yhteyshenkilö", None),
        ("Koordinaattori", [ctx.coordinator] if ctx.coordinator else None),
        ("Kriteeristön versio", [f"{w.catalogue.version} ({w.catalogue.short_hash})"]),
        ("Tunniste", [ctx.kit_id]),
    ]
    if forwarded is not None:
        values.insert(4, ("Työpajan itsearviointi", [forwarded.files]))
    for label, date in (("Auditointi palautettava viimeistään", ctx.deadline),
                        ("Työpajan kommentit viimeistään", ctx.comments_deadline)):
        if date:
            values.append((label, [date_fi(date)]))
    rows = [sheet_row(w, label, value or [w.text_control("", label, "Täydentäkää.")]) for label, value in values]
    rows.append(sheet_row(w, "Raportin tila", [w.dropdown("", "Raportin tila", "Valitkaa tila.", STATUS_CHOICES)]))
    w.table((0.3, 0.7), rows)
    w.heading(2, "Auditoija" if external else "Auditoijat")
    head = ["Nimi", "Rooli", "Sähköposti"] if external else ["Nimi", "Rooli", "Kotipaja", "Sähköposti"]
    columns = (0.36, 0.22, 0.42) if external else (0.3, 0.18, 0.2, 0.32)
    rows = [w.head_row(head)]
    for auditor in ctx.auditors:
        shown = [auditor.name, auditor.role] + ([] if external else [auditor.home_workshop_id]) + [auditor.email]
        rows.append(Row([Cell([w.p("Table Text", value)]) for value in shown], height=400))
    if not ctx.auditors:
        roles = ["pääauditoija"] if external else ["pääauditoija", "auditoija"]
        for role in roles:
            cells = [Cell([w.p("Table Text", w.text_control("", "Nimi", "Nimi."))]), Cell([w.p("Table Text", role)])]
            cells += [Cell([w.p("Table Text", w.text_control("", h, f"{h}."))]) for h in head[2:]]
            rows.append(Row(cells, height=400))
    w.table(columns, rows)


def _field_row(w: Writer, label: str, placeholder: str, height: int, *, control: Element | None = None,
               keep_next: bool = False) -> Row:
    """A label and a control to fill in beside it."""
    if control is None:
        control = w.text_control("", label, placeholder)
    return Row([Cell([w.p("Table Label", label, keep_next=keep_next)], fill=LABEL_FILL),
                Cell([w.p("Table Text", control, keep_next=keep_next)])], height=height)


def _conflicts(w: Writer, ctx: DocumentContext, external: bool) -> None:
    names: list[list[str | Element]] = [[a.name] for a in ctx.auditors] or [[w.text_control("", "Auditoija", "Nimi.")]
                                                 for _ in range(1 if external else 2)]
    rows = [w.head_row(["Auditoija", "Ilmoitus", "Selvitys ja päiväys"])]
    for name in names:
        rows.append(Row([
            Cell([w.p("Table Text", *name)]),
            Cell([w.p("Table Text", w.dropdown("", "Esteellisyys", "Valitkaa.", CONFLICT_CHOICES))]),
            Cell([w.p("Table Text", w.text_control("", "Selvitys", "Selvitys (tarvittaessa) ja päiväys."))]),
        ], height=560))
    w.table((0.3, 0.3, 0.4), rows)


def _assessment(w: Writer, common: dict, profile: Profile, forwarded: ForwardedSelfAssessment | None) -> None:
    catalogue = w.catalogue
    w.heading(1, "Arviointi osa-alueittain", page_break=True)
    w.prose("report_assessment.j2", **common, rejected_counts_as=catalogue.rule.rejected_not_applicable_counts_as)
    for note in forwarded.notes if forwarded is not None else ():
        w.para("Note", Run("Huomio: ", bold=True), note)
    scale_table(w)
    for element in catalogue.elements:
        w.heading(1, element.heading, page_break=True)
        for area in catalogue.areas_of(element.id):
            w.heading(2, area.name)
            rows = [w.head_row(["Nro", "Kriteeri", "Työpajan arvio ja perustelu"])]
            for criterion in catalogue.criteria_of(area.id):
                rows.append(Row([
                    Cell([w.p("Table Label", str(criterion.number))]),
                    Cell(criterion_paragraphs(w, criterion, profile, links=False, auditors=True)),
                    Cell(_self_rating(w, forwarded, criterion.number)),
                ]))
            if forwarded is not None:
                rows.append(Row([Cell([w.p("Table Label", f"Työpajan keskiarvo: {area.name}")], fill=LABEL_FILL,
                                      span=2),
                                 Cell([w.p("Table Label", _mean(forwarded, area.id))], fill=LABEL_FILL)]))
            w.table((0.06, 0.64, 0.30), rows)
            w.spacer(120)
            findings = [Row([Cell([w.p("Table Label", Run(f"Havainnot: {area.name}", color=WHITE), keep_next=True)],
                                  fill=DARK, span=2)])]
            for index, (label, placeholder) in enumerate(FINDINGS):
                keep = index < len(FINDINGS) - 1  # the findings stay together on one page
                findings.append(_field_row(w, label, placeholder, 800, keep_next=keep))
            w.table((0.24, 0.76), findings)


def _self_rating(w: Writer, forwarded: ForwardedSelfAssessment | None, number: int) -> list:
    """The workshop's rating (bold) and reason as returned, or a field to fill in without them."""
    if forwarded is None:
        return [w.p("Table Text", w.text_control("", "Työpajan arvio", "Työpajan arvio itsearvioinnista."))]
    out = [w.p("Table Text", Run(forwarded.ratings.get(number, MISSING), bold=True))]
    reason = forwarded.reasons.get(number, "")
    if reason:
        out.append(w.p("Table Hint", reason))
    return out


def _mean(forwarded: ForwardedSelfAssessment, group_id: str) -> str:
    mean, assessable = forwarded.means.get(group_id, (None, True))
    return fi(mean) if assessable or mean is None else f"ei arvioitavissa ({fi(mean)})"


def _overall(w: Writer, external: bool, forwarded: ForwardedSelfAssessment | None) -> None:
    catalogue = w.catalogue
    w.heading(1, "Kokonaisarvio", page_break=True)
    who = "Auditoijan" if external else "Auditoijien"
    rows = [w.head_row(["Elementti", "Työpajan arvioiden keskiarvo", "Huomiot"])]
    for element in catalogue.elements:
        mean = (Cell([w.p("Table Text", _mean(forwarded, element.id))]) if forwarded is not None
                else Cell([w.p("Table Text", w.text_control("", "Työpajan keskiarvo", "Keskiarvo."))]))
        rows.append(Row([Cell([w.p("Table Label", element.heading)], fill=LABEL_FILL), mean,
                         Cell([w.p("Table Text", w.text_control("", "Huomiot", "Huomiot."))])], height=500))
    w.table((0.28, 0.22, 0.50), rows)
    w.para("Note", f"{who} arviot ja niiden keskiarvot ovat auditointitaulukossa (välilehti Yhteenveto), joka "
                   "liitetään raporttiin; koontiraportti laskee ne palautetusta taulukosta.")
    w.spacer(120)
    w.table((0.28, 0.72), [
        _field_row(w, "Keskeiset vahvuudet", "Työpajan tärkeimmät vahvuudet.", 1300),
        _field_row(w, "Keskeiset kehittämiskohteet", "Tärkeimmät kehittämiskohteet.", 1300),
        _field_row(w, "Yhteenveto", "Kokonaiskuva työpajan laadusta.", 1600),
    ])


def _recommendation(w: Writer, common: dict) -> None:
    rule = w.catalogue.rule
    outcomes = (rule.recommended, rule.conditional, rule.not_recommended)
    w.heading(1, "Suositus laatumerkistä: ehdotus Intolle", page_break=True)
    w.prose("report_recommendation.j2", **common, recommended=rule.recommended, conditional=rule.conditional,
            not_recommended=rule.not_recommended)
    w.table((0.28, 0.72), [
        _field_row(w, "Ehdotus Intolle", "", 500, control=w.dropdown("", "Ehdotus", "Valitkaa ehdotus.", outcomes)),
        _field_row(w, "Perustelut", "Miksi tämä ehdotus; viittaukset arvioihin.", 1400),
        _field_row(w, f"Ehdot ({rule.conditional})", f"Mitä työpajan on kehitettävä ja mihin mennessä. "
                   f"{rule.conditional_note}", 1000),
    ])
    w.heading(3, "Ehdotuksen sääntö")
    rule_paragraphs(w)
    w.para("Note", f"Vaihtoehdot: {joined(list(outcomes))}.")


def _signatures(w: Writer, ctx: DocumentContext) -> None:
    w.heading(1, "Allekirjoitukset")
    w.para("Normal", "Vakuutamme, että raportti vastaa auditoinnin havaintoja.")
    rows = [w.head_row(["Nimi", "Rooli", "Paikka ja päiväys", "Allekirjoitus"])]
    people = [[[a.name], [a.role]] for a in ctx.auditors] or [[[""], [""]], [[""], [""]]]
    for name, role in people:
        rows.append(Row([Cell([w.p("Table Text", *name)]), Cell([w.p("Table Text", *role)]),
                         Cell([w.p("Table Text")]), Cell([w.p("Table Text")])], height=900))
    w.table((0.28, 0.18, 0.22, 0.32), rows)
