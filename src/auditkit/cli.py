"""The `auditkit` command line: parses options, calls the library, turns its errors into exit codes."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from . import __version__
from .catalogue import (
    APPLIES_TO_FI,
    CSV_COLUMNS,
    Catalogue,
    check_content,
    criteria_rows,
    load_catalogue,
    to_dict,
)
from .errors import AuditkitError
from .outputs import write_text
from .resources import CONTENT_ENV


def _fail(err: AuditkitError) -> click.ClickException:
    return click.ClickException(str(err))


def handles_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn AuditkitError into a Click error (exit 1) with its message; never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AuditkitError as err:
            raise _fail(err) from err

    return wrapper


content_option = click.option(
    "--content",
    "content_path",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=CONTENT_ENV,
    help=f"Content folder with the criteria, concepts, scale and rules (default: ${CONTENT_ENV}, else the bundled content).",
)


def _catalogue(content_path: Path | None) -> Catalogue:
    return load_catalogue(content_path)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="auditkit")
def main() -> None:
    """Make audit kits and consolidated reports for workshops' quality criteria (Into, 2022).

    \b
    Example:
      auditkit content show --criterion 29
    """


# --- content -----------------------------------------------------------------------------------


@main.group()
def content() -> None:
    """Check, show and export the criteria and concepts.

    \b
    Example:
      auditkit content check --content my-content/
    """


@content.command("check")
@content_option
def content_check(content_path: Path | None) -> None:
    """Check a content folder and list every problem (exit 1 when there are any).

    \b
    Example:
      auditkit content check --content content/
    """
    problems = check_content(content_path)
    if problems:
        raise click.ClickException(
            f"{len(problems)} problem(s) in the content:\n" + "\n".join(f"  - {p}" for p in problems)
        )
    catalogue = _catalogue(content_path)
    click.echo(
        f"Content {catalogue.version} ({catalogue.short_hash}) is valid: {len(catalogue.criteria)} criteria "
        f"in {len(catalogue.areas)} areas and {len(catalogue.elements)} elements, {len(catalogue.concepts)} concepts."
    )


@content.command("show")
@content_option
@click.option("--criterion", "number", type=int, help="Show only the criterion with this number.")
@handles_errors
def content_show(content_path: Path | None, number: int | None) -> None:
    """Print the criteria grouped by element and area.

    \b
    Example:
      auditkit content show --criterion 51
    """
    catalogue = _catalogue(content_path)
    if number is not None:
        try:
            catalogue.criterion(number)
        except KeyError:
            raise click.BadParameter(
                f"there is no criterion {number}; choose 1–{len(catalogue.criteria)}.", param_hint="--criterion"
            ) from None
    click.echo(_render_catalogue(catalogue, number))


def _render_catalogue(catalogue: Catalogue, only: int | None) -> str:
    width = 96
    out: list[str] = []
    if only is None:
        out += [f"{catalogue.meta.title} ({catalogue.meta.publisher}, {catalogue.meta.year})",
                f"Sisältöversio {catalogue.version}, tunniste {catalogue.short_hash}", ""]
    for element in catalogue.elements:
        for area in catalogue.areas_of(element.id):
            criteria = [c for c in catalogue.criteria_of(area.id) if only is None or c.number == only]
            if not criteria:
                continue
            out.append(click.style(f"{element.heading}: {area.name}", bold=True))
            sub = None
            for c in criteria:
                if c.subheading and c.subheading != sub:
                    out.append(click.style(f"  {area.name}: {c.subheading}", italic=True))
                sub = c.subheading
                out.append(_wrap(f"{c.number:>2}. ", c.text, width))
                for item in c.items:
                    out.append(_wrap("      • ", item.text, width))
                notes = [APPLIES_TO_FI[c.applies_to]] if c.applies_to in APPLIES_TO_FI else []
                if c.condition:
                    notes.append(c.condition)
                if c.concepts:
                    notes.append("Käsitteet: " + ", ".join(c.concepts))
                for note in notes:
                    out.append(_wrap("      ", note, width))
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _wrap(prefix: str, text: str, width: int) -> str:
    import textwrap

    return textwrap.fill(text, width, initial_indent=prefix, subsequent_indent=" " * len(prefix))


@content.command("export")
@content_option
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True,
              help="json: the whole catalogue; csv: one row per criterion.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
@handles_errors
def content_export(content_path: Path | None, fmt: str, out: Path | None, force: bool) -> None:
    """Export the catalogue as JSON or CSV.

    \b
    Example:
      auditkit content export --format csv -o kriteerit.csv
    """
    catalogue = _catalogue(content_path)
    if fmt == "json":
        text = json.dumps(to_dict(catalogue), ensure_ascii=False, indent=2) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(criteria_rows(catalogue))
        text = buffer.getvalue()
    if out is None:
        sys.stdout.write(text)
    else:
        write_text(out, text, force=force)
        click.echo(f"Wrote {out}", err=True)


# --- word documents: form, audit-report, glossary, templates check ---


# --- workbooks: workbook ---


# --- rounds: init, kit ---


# --- compile, demo ---


if __name__ == "__main__":  # pragma: no cover
    main()
