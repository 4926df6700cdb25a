"""A workshop's development plan as a Word document (palaute/<workshop> – kehittämissuunnitelma.docx).

Landscape A4: what the plan rests on (the proposal to Into and, for *suositellaan ehdollisesti*, what
the rule asks by when), then the plan as a table whose header repeats on every page: criterion,
development target (the workshop's and the auditors'), action, owner, due date, status. The same
lines are in the workbook the workshop keeps working in (excel/plan.py).
"""

from __future__ import annotations

import os

from ..catalogue import Catalogue
from ..results import RoundResult
from ..model import Identity
from ..plan import PLAN_ROLE, PLAN_TITLE, STATUSES, DevelopmentPlan, PlanLine
from .consolidated import PROPOSAL, round_heading, round_parts
from .contract import FORMAT_VERSION
from .document import Writer
from .stamped import report_writer
from .ooxml import Cell, Element, Row, Run
from .results import FLAG_COLOUR, OUTCOME_FILL, clean, facts_table, label_cell, report_time, returned_text, short
from .styles import GREY

# Column shares of the plan's table: number, criterion, target, action, owner, due date, status.
PLAN_COLUMNS = (0.045, 0.2, 0.25, 0.21, 0.13, 0.08, 0.085)
PLAN_HEAD = ("Nro", "Kriteeri", "Kehittämiskohde", "Toimenpide", "Vastuuhenkilö", "Aikataulu", "Tila")
PLAN_TEXT_LIMIT = 1000  # characters of one returned text a line shows (the workbook has it whole)
REQUIRED_MARK = {True: "Ehdon kohta", False: "Säännön kohta"}  # conditional proposal, or any other
_OWN = "Tämä on työpajan kehittämissuunnitelma. "
# By the proposal's outcome: the lead in bold, what follows it, and the words before the rule's shortfalls.
_BASIS: dict[str | None, tuple[str, str, str]] = {
    "conditional": ("Tämä on ehdollisen ehdotuksen edellyttämä kehittämissuunnitelma. ",
                    "Auditoijien ehdotus Intolle on {label}. {required_by} Suunnitelmaan on koottu kohdat, joiden "
                    "vuoksi ehdotus on ehdollinen, sekä työpajan omat ja auditoijien kehittämiskohteet.",
                    "Ehto edellyttää:"),
    "not_recommended": (_OWN, "Auditoijien ehdotus Intolle on {label}. Suunnitelmaan on koottu kohdat, joiden "
                              "vuoksi laatumerkkiä ei nyt ehdoteta, sekä työpajan omat ja auditoijien "
                              "kehittämiskohteet.", "Laatumerkin ehdottaminen edellyttää:"),
    "recommended": (_OWN, "Auditoijien ehdotus Intolle on {label}; suunnitelma ei ole sen ehto, vaan se kokoaa "
                          "työpajan omat ja auditoijien kehittämiskohteet jatkuvaa kehittämistä varten.", ""),
    None: (_OWN, "Auditointia ei ole palautettu, joten suunnitelmassa ovat vain työpajan omat kehittämiskohteet ja "
                 "toimenpiteet; auditoijien suositukset tulevat siihen, kun auditointi on koottu.", ""),
}


def build_plan_report(catalogue: Catalogue, result: RoundResult, plan: DevelopmentPlan, *, workbook_name: str = "",
                      templates: str | os.PathLike[str] | None = None, stamped: bool = True) -> bytes:
    """The development plan of one workshop of a compiled round, as .docx bytes.

    workbook_name: the file name of the plan's workbook beside it, which the document points to.
    stamped: spliced into a package made once per process (stamped.py); False builds it through
    python-docx's whole package (the same content). Raises TemplateError when the base document is broken.
    """
    # Landscape: seven columns of text need the width.
    w = report_writer(catalogue, templates, stamped=stamped, landscape=True, when=report_time(result))
    name = clean(plan.workshop_name) or clean(plan.workshop_id)
    w.title_block(PLAN_TITLE, name)
    facts = [("Työpaja", [name]), ("Tunnus", [clean(plan.workshop_id)]), ("Arviointikierros", round_parts(result)),
             ("Ehdotus Intolle", [plan.label or "ei ehdotusta (auditointia ei palautettu)"]),
             ("Koottu", [_sources(plan)])]
    if workbook_name:
        facts.append(("Muokattava versio", [workbook_name]))
    facts_table(w, facts, (0.22, 0.78))
    _basis(w, plan)
    w.heading(1, "Suunnitelma", page_break=False)
    _table(w, plan)
    _use(w, plan, workbook_name)
    w.header_footer([PLAN_TITLE, " · ", name, " · ", *round_heading(result)],
                    [f"{catalogue.meta.title} {catalogue.version}"])
    ident = Identity(FORMAT_VERSION, catalogue.version, catalogue.hash, round_id=result.round_id,
                     workshop_id=plan.workshop_id, workshop_name=plan.workshop_name, role=PLAN_ROLE)
    return w.finish(ident, f"{PLAN_TITLE}: {plan.workshop_name}", f"{catalogue.meta.title}: kehittämissuunnitelma",
                    when=report_time(result))


def _sources(plan: DevelopmentPlan) -> str:
    parts = ["työpajan itsearviointilomakkeen kehittämiskohteista ja toimenpiteistä" if plan.form_returned else "",
             "auditoijien kehittämissuosituksista ja arvioista" if plan.audited else ""]
    text = " sekä ".join(p for p in parts if p) or "ei palautetuista tiedostoista"
    missing = [what for what, back in (("itsearviointilomaketta", plan.form_returned),
                                       ("auditointitaulukkoa", plan.audited)) if not back]
    if missing:
        text += f" ({' eikä '.join(missing)} ole palautettu)" if len(missing) == 2 else f" ({missing[0]} ei ole palautettu)"
    return text[:1].upper() + text[1:]


def _basis(w: Writer, plan: DevelopmentPlan) -> None:
    """What the plan is for: the improvement plan a conditional proposal asks for, or the workshop's own."""
    lead, body, asks = _BASIS[plan.outcome]
    w.para("Normal", Run(lead, bold=True), body.format(label=plan.label, required_by=plan.required_by),
           fill=OUTCOME_FILL[plan.outcome], before=240, keep_next=bool(asks))
    if asks and plan.shortfalls:
        w.para("Normal", asks, keep_next=True)
    for sentence in plan.shortfalls:
        w.para("List Bullet", clean(sentence))
    if plan.required:
        mark = REQUIRED_MARK[plan.conditional]
        w.para("Normal", f"Nämä kohdat on merkitty suunnitelmaan sanoin ”{mark}”. Kirjatkaa jokaiselle "
               "toimenpide, vastuuhenkilö ja aikataulu" + (" ennen seuraavaa hakukierrosta." if plan.conditional
                                                          else "."), before=80)
    if plan.advice:
        w.para("Normal", f"Kriteeristön oma neuvo on: ”{plan.advice}”. {PROPOSAL}")


def _table(w: Writer, plan: DevelopmentPlan) -> None:
    if not plan.lines:
        w.para("Normal", "Työpaja ei ole kirjannut kehittämiskohteita eikä toimenpiteitä, eivätkä auditoijat "
               "kehittämissuosituksia. Suunnitelman voi aloittaa muokattavassa versiossa.")
        return
    rows = [w.head_row(PLAN_HEAD, size=9)]
    for line in plan.lines:
        rows.append(Row([
            label_cell(w, str(line.number) if line.number is not None else "–"),
            Cell(_criterion(w, plan, line)),
            Cell(_targets(w, line)),
            Cell([w.p("Table Text", *returned_text(line.action, PLAN_TEXT_LIMIT))] if line.action else
                 [w.p("Table Hint", "ei kirjattu")]),
            Cell([w.p("Table Text", *returned_text(line.owner, PLAN_TEXT_LIMIT))]),
            Cell([w.p("Table Text", *returned_text(line.due, PLAN_TEXT_LIMIT))]),
            Cell([w.p("Table Text", line.status)]),
        ]))  # each line whole on its page
    w.table(PLAN_COLUMNS, rows)


def _criterion(w: Writer, plan: DevelopmentPlan, line: PlanLine) -> list[Element]:
    """The criterion (its first sentence), the ratings, and the rule's mark when the line is its shortfall."""
    text = short(w.catalogue.criterion(line.number), 110) if line.number is not None else line.title
    out = [w.p("Table Text", text)]
    own, auditors = line.ratings
    ratings = "; ".join(part for part in (f"itsearvio {own}" if own else "", f"auditoijat {auditors}" if auditors else "")
                        if part)
    if ratings:
        out.append(w.p("Table Hint", ratings[:1].upper() + ratings[1:]))
    if line.required:
        out.append(w.p("Table Text", Run(REQUIRED_MARK[plan.conditional], bold=True, color=FLAG_COLOUR, size=9)))
    return out


def _targets(w: Writer, line: PlanLine) -> list[Element]:
    out = []
    if line.requirement:
        out.append(w.p("Table Text", Run("Sääntö: ", bold=True, color=GREY, size=8.5), line.requirement))
    for who, text in line.targets:
        out.append(w.p("Table Text", Run(f"{who}: ", bold=True, color=GREY, size=8.5),
                       *returned_text(text, PLAN_TEXT_LIMIT)))
    return out or [w.p("Table Hint", "ei kirjattu")]


def _use(w: Writer, plan: DevelopmentPlan, workbook_name: str) -> None:
    w.heading(2, "Näin suunnitelmaa käytetään")
    where = f"muokattavassa versiossa ({workbook_name})" if workbook_name else "muokattavassa versiossa"
    w.para("List Bullet", f"Pitäkää suunnitelma ajan tasalla {where}: siinä voi täydentää toimenpiteet, "
           "vastuuhenkilöt ja aikataulut, valita tilan ja lisätä rivejä.")
    w.para("List Bullet", f"Tila: {', '.join(STATUSES[:-1])} tai {STATUSES[-1]}. Kirjattu toimenpide on aluksi "
           f"{STATUSES[0]}.")
    w.para("List Bullet", "Työpaja: kehittämiskohde ja toimenpide työpajan itsearviointilomakkeesta. Auditoijat: "
           "auditoijien kehittämissuositus auditointitaulukosta. Sääntö: laatumerkkiehdotuksen säännön kohta.")
