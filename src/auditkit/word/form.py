"""The self-assessment form (itsearviointilomake): a numbered table per criterion, read back by read_form."""

from __future__ import annotations

import os

from ..catalogue import Catalogue, Criterion, Element, Profile, applies
from ..i18n import Wording, wording
from ..labels import APPLIES_TO, AUDIENCE, AUDIT_TYPE, label
from ..model import DocumentContext
from . import ooxml
from .contract import (APPENDIX_CONCEPTS, FORM_ROLE, NOT_FOR_SHOP, NOT_FOR_YOU, SEE_CONCEPTS, control_tag, form_rows,
                       form_sheet, title)
from .document import Writer, header_parts, identity
from .glossary import concept_anchor, write_glossary
from .ooxml import Cell, Row, Run
from .ooxml import Element as XmlElement
from ..templating import common_variables
from .prose import joined
from .styles import LABEL_FILL, LIGHT_FILL

# Column shares of a criterion table: number, labels, then the answers; a row of two fields side by
# side (contract.FORM_ROWS) splits the answers' width into answer, label, answer.
CRITERION_COLUMNS = (0.075, 0.245, 0.3, 0.14, 0.24)


def build_form(catalogue: Catalogue, ctx: DocumentContext, *, templates: str | os.PathLike[str] | None = None) -> bytes:
    """The self-assessment form for one workshop as .docx bytes, in the language of ctx.language (the
    catalogue's content is in its own).

    Cover and data sheet, instructions and the rating scale, then per element and area a table per
    criterion (its number in the first cell), and the glossary as an appendix. Raises TemplateError
    when a template or the base document is broken.
    """
    w = Writer(catalogue, templates, lang=ctx.language)
    _ = wording("documents", w.lang)
    common = common_variables(catalogue, ctx)
    meta = catalogue.meta
    form_title = title(FORM_ROLE, w.lang)
    _cover(w, ctx)
    _instructions(w, common)
    for element in catalogue.elements:
        _element(w, element, ctx.workshop.profile, common)
    w.heading(1, _.pgettext("heading", APPENDIX_CONCEPTS), page_break=True)
    w.prose("glossary_intro.j2", **common)
    write_glossary(w, 2, anchors=True)
    w.header_footer(header_parts(form_title, ctx), [f"{meta.title} {catalogue.version}"])
    return w.finish(identity(catalogue, ctx, FORM_ROLE), f"{form_title}: {ctx.workshop.name}",
                    _("{title}: self-assessment", title=meta.title))



def _cover(w: Writer, ctx: DocumentContext) -> None:
    meta = w.catalogue.meta
    _ = wording("documents", w.lang)
    w.title_block(title(FORM_ROLE, w.lang), ctx.workshop.name)
    w.heading(2, _.pgettext("heading", "Basic information"))
    values = _sheet_values(w, ctx)
    rows = [sheet_row(w, row.label, values.get(row.key) or [w.text_control(f"auditkit:sheet:{row.key}", row.label,
                                                                           row.placeholder)])
            for row in form_sheet(w.lang)]
    w.table((0.3, 0.7), rows)
    w.para("Note", _("The form is based on the publication {publication} ({publisher}, {year}). The criteria and the "
                     "definitions of the concepts are word for word from the publication.",
                     publication=meta.subtitle or meta.title, publisher=meta.publisher, year=meta.year), before=160)


def sheet_row(w: Writer, label: str, value: list, height: int = 0) -> Row:
    """A data-sheet row: the label on a tinted cell, the value (runs or a control) beside it."""
    return Row([Cell([w.p("Table Label", label)], fill=LABEL_FILL, valign="center"),
                Cell([w.p("Table Text", *value)], valign="center")], height=height or 454)


def _sheet_values(w: Writer, ctx: DocumentContext) -> dict[str, list[str] | None]:
    """What the tool prints on the data sheet, by row key (None: the workshop fills it in)."""
    profile = ctx.workshop.profile
    _ = wording("documents", w.lang)
    answer = _.pgettext("answer", "yes") if profile.learning_environments else _.pgettext("answer", "no")
    return {
        "workshop": [ctx.workshop.name] if ctx.workshop.name else None,
        "organisation": [ctx.workshop.organisation] if ctx.workshop.organisation else None,
        "profile": [_("{audience}; learning environments: {answer}",
                      audience=label(AUDIENCE, profile.audience, w.lang), answer=answer)],
        "audit_type": [label(AUDIT_TYPE, ctx.audit_type, w.lang)],
        "round": round_runs(ctx),
        "return": _return_runs(ctx, _),
        "content_version": [f"{w.catalogue.version} ({w.catalogue.short_hash})"],
        "kit_id": [ctx.kit_id],
    }


def round_runs(ctx: DocumentContext) -> list[str]:
    """The round as shown: its name, and its id in brackets when it has one of its own."""
    if ctx.round_id and ctx.round_name and ctx.round_id != ctx.round_name:
        return [ctx.round_name, " (", ctx.round_id, ")"]
    return [ctx.round_name or ctx.round_id]


def _return_runs(ctx: DocumentContext, _: Wording) -> list[str]:
    parts: list[str] = []
    if ctx.deadline:
        parts += [_("by {date}", date=_.date(ctx.deadline))]
    if ctx.return_to:
        parts += [", " if parts else "", ctx.return_to]
    return parts or [_("as the coordinator instructs")]


def _instructions(w: Writer, common: dict) -> None:
    catalogue = w.catalogue
    _ = wording("documents", w.lang)
    w.heading(1, _.pgettext("heading", "Instructions"), page_break=True)
    w.prose("form_instructions.j2", **common)
    w.heading(2, catalogue.meta.getting_started_title)
    w.prose("getting_started.j2", **common, steps=list(catalogue.meta.getting_started))
    w.heading(1, _.pgettext("heading", "Rating scale"), page_break=True)
    practice, results = descriptor_elements(catalogue)
    w.prose("scale_intro.j2", **common, practice_elements=joined(practice, w.lang),
            results_elements=joined(results, w.lang))
    scale_table(w)
    w.heading(2, _.pgettext("heading", "Structure of the form"))
    rows = [w.head_row([_.pgettext("column", "Element of the criteria"), _.pgettext("column", "Area"),
                        _.pgettext("column", "Criteria")])]
    for element in catalogue.elements:
        for area in catalogue.areas_of(element.id):
            numbers = [c.number for c in catalogue.criteria_of(area.id)]
            span = f"{min(numbers)}–{max(numbers)}" if numbers else "–"
            rows.append(Row([Cell([w.p("Table Text", element.heading)]), Cell([w.p("Table Text", area.name)]),
                             Cell([w.p("Table Text", span)])]))
    w.table((0.22, 0.63, 0.15), rows)


def descriptor_elements(catalogue: Catalogue) -> tuple[list[str], list[str]]:
    """The headings of the elements rated by practice descriptors, and of those rated by results."""
    return ([e.heading for e in catalogue.elements if e.descriptors == "practice"],
            [e.heading for e in catalogue.elements if e.descriptors == "results"])


def scale_table(w: Writer) -> None:
    """The rating scale with its descriptors: practice (and results, when any element uses them)."""
    scale = w.catalogue.scale
    _ = wording("documents", w.lang)
    practice, results = descriptor_elements(w.catalogue)
    head = [_.pgettext("column", "Level"), _("Practices ({elements})", elements=joined(practice, w.lang))] + (
        [_("Results ({elements})", elements=joined(results, w.lang))] if results else [])
    columns = (0.2, 0.4, 0.4) if results else (0.25, 0.75)
    rows = [w.head_row(head)]
    for level in scale.levels:
        cells = [Cell([w.p("Table Label", level.label), w.p("Table Hint", level.plain)], fill=LABEL_FILL),
                 Cell([w.p("Table Text", level.practice)])]
        if results:
            cells.append(Cell([w.p("Table Text", level.results)]))
        rows.append(Row(cells))
    na = scale.not_applicable
    rows.append(Row([Cell([w.p("Table Label", na.label)], fill=LABEL_FILL),
                     Cell([w.p("Table Text", na.meaning)], span=len(columns) - 1)]))
    w.table(columns, rows)


def _element(w: Writer, element: Element, profile: Profile, common: dict) -> None:
    catalogue = w.catalogue
    areas = catalogue.areas_of(element.id)
    numbers = [c.number for a in areas for c in catalogue.criteria_of(a.id)]
    w.heading(1, element.heading, page_break=element is catalogue.elements[0])
    w.prose("form_element_intro.j2", **common, heading=element.heading, areas=[a.name for a in areas],
            first=min(numbers, default=0), last=max(numbers, default=0), results=element.descriptors == "results")
    for area in areas:
        w.heading(2, area.name)
        subheading = None
        for criterion in catalogue.criteria_of(area.id):
            if criterion.subheading and criterion.subheading != subheading:
                w.heading(3, f"{area.name}: {criterion.subheading}")
            subheading = criterion.subheading
            w.add(criterion_table(w, criterion, profile, element.descriptors == "results"))
            w.spacer(160)


def criterion_table(w: Writer, criterion: Criterion, profile: Profile, results: bool) -> XmlElement:
    """The criterion's table: number and text, then a row per field with a content control. The rating is
    not asked here: it has its one home in the self-assessment workbook. results: whether the criterion is
    judged by the results descriptors (the same table either way).

    A table may run over a page break between its rows (keeping each table whole on its page left
    most pages a third empty); the criterion's row then repeats at the top of the next page, it is
    never left without its first answer row, and no row is split, so every answer box keeps its
    room to write."""
    n = criterion.number
    answers = len(CRITERION_COLUMNS) - 2
    rows = [Row([Cell([w.p("Criterion Number", str(n), keep_next=True)], fill=LIGHT_FILL, merge="restart"),
                 Cell(criterion_paragraphs(w, criterion, profile, links=True), span=1 + answers, fill=LIGHT_FILL)],
                header=True)]
    for index, fields in enumerate(form_rows(w.lang)):
        keep = index == 0  # only the first answer row keeps with the criterion's row
        cells = [Cell([w.p(None, keep_next=keep)], fill=LIGHT_FILL, merge="continue")]
        for field in fields:
            control = w.text_control(control_tag(n, field.key), field.label, field.placeholder)
            cells += [Cell([w.p("Table Label", field.label, keep_next=keep)], fill=LABEL_FILL),
                      Cell([w.p("Table Text", control, keep_next=keep)], span=answers if len(fields) == 1 else 1)]
        rows.append(Row(cells, height=max(field.height for field in fields)))
    return ooxml.table(w.widths(CRITERION_COLUMNS), rows)


def criterion_paragraphs(w: Writer, criterion: Criterion, profile: Profile, *, links: bool,
                         auditors: bool = False) -> list[XmlElement]:
    """The criterion word for word (its items as bullets), then notes: applicability, condition, concepts.
    auditors: the notes speak to the auditors (the audit report) rather than to the workshop (the form)."""
    _ = wording("documents", w.lang)
    not_for_you, not_for_shop = _(NOT_FOR_YOU), _(NOT_FOR_SHOP)
    out = [w.p("Criterion Text", criterion.text, keep_next=True)]
    for item in criterion.items:
        note = []
        if item.applies_to != "all":
            mark = label(APPLIES_TO, item.applies_to, w.lang).rstrip(".").lower()
            if not applies(item, profile):
                mark = f"{not_for_you.lower()}: {mark}"
            note = [Run(f" ({mark})", italic=True, color="5F6B77", size=9)]
        out.append(w.p("List Bullet", item.text, *note, keep_next=True, after=40))
    notes: list[list] = []
    if criterion.applies_to in APPLIES_TO.texts:
        concerns = label(APPLIES_TO, criterion.applies_to, w.lang)
        if applies(criterion, profile):
            notes.append([concerns])
        else:
            na = w.catalogue.scale.not_applicable.label
            tail = " " + (_("According to the workshop's profile {na}, without acceptance.", na=na) if auditors else
                          _("In the self-assessment workbook the criterion is already {na}; you need not describe it "
                            "unless it does concern you after all.", na=na))
            notes.append([Run(f"{not_for_shop if auditors else not_for_you}: ", bold=True, color="9C2A00"),
                          concerns, tail])
    if criterion.condition:
        notes.append([criterion.condition])
    if criterion.concepts:
        terms: list = [_(SEE_CONCEPTS) + " "]
        for i, term in enumerate(criterion.concepts):
            if i:
                terms.append(", ")
            terms.append(ooxml.internal_link(concept_anchor(w.catalogue, term), term) if links else term)
        terms.append(" " + _("(appendix Concepts).") if links else ".")
        notes.append(terms)
    for note in notes:
        out.append(w.p("Note", *note, keep_next=True, before=60))
    return out
