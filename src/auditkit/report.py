"""Writing a compiled round's outputs: the Word and Excel reports, feedback per workshop, CSV tables."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue
from .compile import PROBLEMS_COLUMNS, RESULTS_COLUMNS, problems_rows, results_rows
from .csvfile import csv_bytes
from .errors import OutputExistsError, Problem
from .excel import build_consolidated_workbook
from .naming import safe_name
from .office import PdfResult, pdf_copies
from .outputs import write_bytes
from .parallel import fork_map
from .results import RoundResult
from .word import build_consolidated_report, build_feedback_report

REPORT_DOCX, REPORT_XLSX, RESULTS_CSV, PROBLEMS_CSV, FEEDBACK_DIR = (
    "koontiraportti.docx", "koonti.xlsx", "results.csv", "problems.csv", "palaute")
# Round figures appear in a workshop's feedback only when at least this many workshops are behind them.
MIN_ROUND_WORKSHOPS = 5


@dataclass(frozen=True, slots=True)
class Outputs:
    """The files written; pdfs and pdf_problems when PDF copies were asked for."""

    report: Path
    workbook: Path
    results: Path
    problems: Path
    feedback: tuple[Path, ...]
    pdfs: tuple[Path, ...] = ()
    pdf_problems: tuple[Problem, ...] = ()


def write_outputs(
    catalogue: Catalogue,
    result: RoundResult,
    out_dir: str | os.PathLike[str],
    *,
    force: bool = False,
    templates: str | os.PathLike[str] | None = None,
    progress: Callable[[str], None] | None = None,
    pdf: bool = False,
) -> Outputs:
    """Write every output of a compiled round into out_dir, each file atomically.

    pdf: also a PDF of every Word report, beside it, made by LibreOffice (office.pdf_copies); when
    LibreOffice is missing or fails, the Word reports are still written and pdf_problems say so.
    Raises OutputExistsError (before writing anything) when outputs exist and force is not set.
    """
    out = Path(out_dir)
    feedback_names = {w.workshop.id: f"{safe_name(f'{w.workshop.id} {w.workshop.name}')}.docx"
                      for w in result.workshops if w.returned_self or w.returned_auditor}
    documents = [out / REPORT_DOCX, *(out / FEEDBACK_DIR / name for name in feedback_names.values())]
    targets = [out / REPORT_DOCX, out / REPORT_XLSX, out / RESULTS_CSV, out / PROBLEMS_CSV, *documents[1:],
               *(d.with_suffix(".pdf") for d in documents if pdf)]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise OutputExistsError(
            f"{out}: {len(existing)} output file(s) exist already (e.g. {existing[0].name}); "
            "give another -o folder or add --force to replace them.")
    write_bytes(out / RESULTS_CSV, csv_bytes(RESULTS_COLUMNS, results_rows(result, catalogue), delimiter=","), force=True)
    write_bytes(out / PROBLEMS_CSV, csv_bytes(PROBLEMS_COLUMNS, problems_rows(result), delimiter=","), force=True)
    write_bytes(out / REPORT_XLSX, build_consolidated_workbook(catalogue, result), force=True)
    tasks = [(REPORT_DOCX, -1)] + [(f"{FEEDBACK_DIR}/{feedback_names[w.workshop.id]}", i)
                                   for i, w in enumerate(result.workshops) if w.workshop.id in feedback_names]
    feedback = []
    for name, data in _documents(catalogue, result, templates, tasks):
        path = write_bytes(out / name, data, force=True)
        if name != REPORT_DOCX:
            feedback.append(path)
            if progress:
                progress(name)
    copies = pdf_copies(documents) if pdf else PdfResult((), ())
    return Outputs(out / REPORT_DOCX, out / REPORT_XLSX, out / RESULTS_CSV, out / PROBLEMS_CSV,
                   tuple(sorted(feedback)), copies.made, copies.problems)


# From this many documents on, they are built by a worker per core (a feedback report takes ~80 ms).
PARALLEL_FROM = 16


def _documents(catalogue: Catalogue, result: RoundResult, templates: str | os.PathLike[str] | None,
               tasks: list[tuple[str, int]]) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of the consolidated report (index -1) and each workshop's feedback."""
    built = fork_map(_document, (catalogue, result, templates), [i for _, i in tasks], parallel_from=PARALLEL_FROM)
    return zip((name for name, _ in tasks), built)


def _document(shared: tuple[Catalogue, RoundResult, str | os.PathLike[str] | None], index: int) -> bytes:
    catalogue, result, templates = shared
    if index < 0:
        return build_consolidated_report(catalogue, result, templates=templates)
    return build_feedback_report(catalogue, result, result.workshops[index], min_round=MIN_ROUND_WORKSHOPS,
                                 templates=templates)


__all__ = ["Outputs", "write_outputs", "OutputExistsError"]
