"""Writing a compiled round's outputs: the Word and Excel reports, feedback and a development plan per workshop, CSV tables."""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue
from .compile import problems_table, results_table
from .csvfile import csv_bytes
from .errors import OutputExistsError, Problem, say
from .excel import build_consolidated_workbook
from .excel.plan import build_plan_workbook
from .naming import safe_name
from .office import PdfResult, pdf_copies
from .outputs import write_bytes
from .parallel import context, fork_map, workers
from .plan import PLAN_FILE, development_plan
from .results import RoundResult
from .word import build_consolidated_report, build_feedback_report
from .word.consolidated import Drawn, Picture, Pictures
from .word.pictures import keep_drawn, take_drawn
from .word.plan import build_plan_report

REPORT_DOCX, REPORT_XLSX, RESULTS_CSV, PROBLEMS_CSV, FEEDBACK_DIR = (
    "koontiraportti.docx", "koonti.xlsx", "results.csv", "problems.csv", "palaute")
# Round figures appear in a workshop's feedback only when at least this many workshops are behind them.
MIN_ROUND_WORKSHOPS = 5


@dataclass(frozen=True, slots=True)
class Outputs:
    """The files written; pdfs and pdf_problems when PDF copies were asked for. plans: each workshop's
    development plan, its Word document and its workbook (palaute/<workshop> – kehittämissuunnitelma)."""

    report: Path
    workbook: Path
    results: Path
    problems: Path
    feedback: tuple[Path, ...]
    pdfs: tuple[Path, ...] = ()
    pdf_problems: tuple[Problem, ...] = ()
    plans: tuple[Path, ...] = ()


# What a task builds: a round-wide output (the results and problems tables, koonti.xlsx, the
# consolidated report), or for a workshop its feedback, its plan's Word document or its plan's workbook.
RESULTS, PROBLEMS, WORKBOOK, REPORT, FEEDBACK, PLAN_DOCX, PLAN_XLSX = (
    "results", "problems", "workbook", "report", "feedback", "plan-docx", "plan-xlsx")
# A workshop's task builds its three files, in this order.
WORKSHOP = "workshop"
WORKSHOP_KINDS = (FEEDBACK, PLAN_DOCX, PLAN_XLSX)


def write_outputs(
    catalogue: Catalogue,
    result: RoundResult,
    out_dir: str | os.PathLike[str],
    *,
    force: bool = False,
    templates: str | os.PathLike[str] | None = None,
    progress: Callable[[str], None] | None = None,
    pdf: bool = False,
    csv_delimiter: str = ";",
    others: Sequence[Catalogue] = (),
) -> Outputs:
    """Write every output of a compiled round into out_dir, each file atomically.

    Per workshop that returned anything: its feedback report and its development plan (Word and
    workbook) in palaute/. pdf: also a PDF of every Word report, beside it, made by LibreOffice
    (office.pdf_copies); when LibreOffice is missing or fails, the Word reports are still written and
    pdf_problems say so. csv_delimiter: results.csv's and problems.csv's (`;` for Excel in a Finnish
    locale, `,` on request); their headers and values are in the round's language. others: the round's
    content in its other languages (a mixed round): a workshop's feedback and plan quote the criteria
    from the content in its language. Raises OutputExistsError (before writing anything) when outputs
    exist and force is not set.
    """
    out = Path(out_dir)
    stems = {w.workshop.id: safe_name(f"{w.workshop.id} {w.workshop.name}")
             for w in result.workshops if w.returned_self or w.returned_auditor}
    # The round-wide outputs first (written first, as before; the consolidated report, the longest
    # task, starts at once), then each workshop's documents, its three in one task (they share its
    # development plan): every task on a worker, so that no core waits while the main process builds
    # koonti.xlsx, and the main process stays small.
    tasks: list[tuple[tuple[str, ...], str, int]] = [
        ((RESULTS_CSV,), RESULTS, -1), ((PROBLEMS_CSV,), PROBLEMS, -1), ((REPORT_XLSX,), WORKBOOK, -1),
        ((REPORT_DOCX,), REPORT, -1)]
    for i, w in enumerate(result.workshops):
        if w.workshop.id in stems:
            stem = f"{FEEDBACK_DIR}/{stems[w.workshop.id]}"
            tasks.append(((f"{stem}.docx", f"{stem} – {PLAN_FILE}.docx", f"{stem} – {PLAN_FILE}.xlsx"), WORKSHOP, i))
    kinds = [(name, kind) for names, task_kind, _ in tasks
             for name, kind in zip(names, WORKSHOP_KINDS if task_kind == WORKSHOP else (task_kind,))]
    documents = [out / name for name, kind in kinds if kind in (REPORT, FEEDBACK, PLAN_DOCX)]
    targets = [*(out / name for name, _ in kinds), *(d.with_suffix(".pdf") for d in documents if pdf)]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise OutputExistsError(say(
            "{folder}: {count} output file(s) exist already (e.g. {example}); give another -o folder or add --force "
            "to replace them.", folder=str(out), count=len(existing), example=existing[0].name))
    written: dict[str, list[Path]] = {FEEDBACK: [], PLAN_DOCX: [], PLAN_XLSX: []}
    drawn = _pictures(catalogue, result)
    files = (data for made in _documents(catalogue, result, templates, tasks, drawn, csv_delimiter, others)
             for data in made)
    for (name, kind), data in zip(kinds, files):
        path = write_bytes(out / name, data, force=True)
        if kind in written:
            written[kind].append(path)
            if progress:
                progress(name)
    copies = pdf_copies(documents) if pdf else PdfResult((), ())
    return Outputs(out / REPORT_DOCX, out / REPORT_XLSX, out / RESULTS_CSV, out / PROBLEMS_CSV,
                   tuple(sorted(written[FEEDBACK])), copies.made, copies.problems,
                   tuple(sorted(written[PLAN_DOCX] + written[PLAN_XLSX])))


# From this many tasks on (four round-wide outputs and a task a workshop), they are built by a worker
# per core (a workshop's three documents take ~15-30 ms).
PARALLEL_FROM = 8


def _documents(catalogue: Catalogue, result: RoundResult, templates: str | os.PathLike[str] | None,
               tasks: list[tuple[tuple[str, ...], str, int]], pictures: Mapping[Picture, Drawn] | None = None,
               csv_delimiter: str = ";", others: Sequence[Catalogue] = ()) -> Iterator[tuple[bytes, ...]]:
    """The bytes of each task's files (names, kind, workshop index), in order. pictures: the consolidated
    report's, drawn already: part of the shared state, which forked workers inherit (they are drawn only
    where workers are forked), so that they are not pickled to the worker that builds the report and held
    there twice (about 16 MB at 300 workshops, in compile's largest process)."""
    from .contents import content_language

    by_language = {content_language(c): c for c in others}
    return fork_map(_document, (catalogue, result, templates, csv_delimiter, by_language, pictures or {}),
                    tasks, parallel_from=PARALLEL_FROM, collect=_collect_after)


def _collect_after(task: tuple[tuple[str, ...], str, int]) -> bool:
    """Whether a worker frees cyclic garbage after this task: after each round-wide output (the
    consolidated report, built with python-docx, leaves about 100 MB). A workshop's documents are stamped
    as XML text and leave next to none (300 workshops' documents in one process without a collection:
    a collection after them found 10 objects; the process grew only by the pictures it keeps, a bounded
    cache), so a collection after them (and giving memory back) cost 0.2 s of CPU at 300 for nothing."""
    _names, kind, index = task
    return index < 0


# From this many pictures on (a round of about 20 workshops), and where workers are forked, the
# consolidated report's pictures are drawn first on every core.
PICTURES_PARALLEL_FROM = 24


def _pictures(catalogue: Catalogue, result: RoundResult) -> dict[Picture, Drawn]:
    """The consolidated report's pictures (its heat map and a profile per workshop, about two thirds of
    its time), drawn on every core before the documents, so that it is not the one long task the others
    wait for; none where the report is better off drawing them itself: a small round, one worker, or
    spawned workers (Windows: a second pool of them would take a second or two to start)."""
    pictures = Pictures(catalogue, result)
    keys = pictures.keys()
    if len(keys) < PICTURES_PARALLEL_FROM or workers() < 2 or context().get_start_method() != "fork":
        return {}
    order = _spread(keys, PICTURES_CHUNK)
    made = dict(zip(order, fork_map(_draw, pictures, order, parallel_from=2, chunksize=PICTURES_CHUNK)))
    drawn: dict[Picture, Drawn] = {}
    for key in keys:  # in the report's order, as they would have been drawn here
        drawn[key], kept = made[key]
        # Kept in this process before the document workers are forked: a workshop's feedback shows
        # the profile its section of the consolidated report shows, and is given it undrawn.
        keep_drawn(kept)
    return drawn


PICTURES_CHUNK = 8  # pictures a worker is given at a time (a profile takes about 4 ms)


def _spread(keys: list[Picture], chunk: int) -> list[Picture]:
    """The keys in the order they are handed to the workers: a heat map (0.2 s, 50 profiles' time) at
    the head of each chunk, so that the heat maps, which come first in the report, are drawn on every
    core instead of all in the first chunk, on one."""
    heavy = [key for key in keys if key[0] == "heat"]
    light = [key for key in keys if key[0] != "heat"]
    order: list[Picture] = []
    while heavy:
        order.append(heavy.pop(0))
        order += light[:chunk - 1]
        del light[:chunk - 1]
    return order + light


def _draw(pictures: Pictures, key: Picture) -> tuple[Drawn, list[tuple[Hashable, bytes]]]:
    """The picture, and what was drawn for it under the key a feedback report asks for it by."""
    take_drawn()
    picture = pictures.draw(key)
    return picture, take_drawn()


def _document(shared: tuple[Catalogue, RoundResult, str | os.PathLike[str] | None, str, Mapping[str, Catalogue],
                            Mapping[Picture, Drawn]],
              task: tuple[tuple[str, ...], str, int]) -> tuple[bytes, ...]:
    catalogue, result, templates, csv_delimiter, by_language, pictures = shared
    names, kind, index = task
    if kind == RESULTS:
        return (csv_bytes(*results_table(result, catalogue), delimiter=csv_delimiter),)
    if kind == PROBLEMS:
        return (csv_bytes(*problems_table(result), delimiter=csv_delimiter),)
    if kind == WORKBOOK:
        return (build_consolidated_workbook(catalogue, result),)
    if kind == REPORT:  # in the round's language
        return (build_consolidated_report(catalogue, result, templates=templates, pictures=pictures,
                                          lang=result.language),)
    wr = result.workshops[index]
    lang = wr.workshop.language or result.language  # a workshop's documents: in its own language
    catalogue = by_language.get(lang, catalogue)  # and its criteria in it (a mixed round's other content)
    plan = development_plan(catalogue, wr, lang)  # the plan's document and its workbook show the same plan
    return (build_feedback_report(catalogue, result, wr, min_round=MIN_ROUND_WORKSHOPS, templates=templates,
                                  lang=lang),
            build_plan_report(catalogue, result, plan, workbook_name=Path(names[2]).name, templates=templates,
                              lang=lang),
            build_plan_workbook(catalogue, plan, round_id=result.round_id,
                                round_name=result.round_name or result.round_id, lang=lang))


__all__ = ["Outputs", "write_outputs", "OutputExistsError"]
