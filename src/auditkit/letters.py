"""Letters and mailing lists: a letter's subject and text from its template, and the CSV for mail merge.

A letter template (templates/letters/*.txt.j2) starts with a line "Aihe: …", the subject, which stays
at the top of the letter file too, so that a letter read on its own says what it is about. The mailing list is what people open in Excel or give to a mail merge: `;`-separated,
UTF-8 with BOM (Finnish Excel), one row per letter with its recipient, address, subject, letter file
and attachment.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .csvfile import csv_bytes
from .outputs import write_bytes
from .templating import render

SUBJECT_PREFIX = "Aihe:"
MAILING_COLUMNS = ("vastaanottaja", "sähköposti", "aihe", "kirje", "liite")


@dataclass(frozen=True, slots=True)
class Letter:
    """A rendered letter: its subject (the template's "Aihe:" line) and its whole text."""

    subject: str
    text: str


@dataclass(frozen=True, slots=True)
class Mail:
    """A row of a mailing list. letter and attachment: paths relative to the list's folder, with /."""

    recipient: str
    email: str
    subject: str
    letter: str
    attachment: str = ""


def render_letter(name: str, templates: str | os.PathLike[str] | None = None, **context: object) -> Letter:
    """Render a letter template. Raises TemplateError (see templating.render)."""
    text = render(name, templates, **context).rstrip() + "\n"
    return Letter(subject_of(text), text)


def subject_of(text: str) -> str:
    """The subject on a letter's first line ("Aihe: …"), or "" when it has none."""
    first = text.partition("\n")[0]
    return first[len(SUBJECT_PREFIX):].strip() if first.startswith(SUBJECT_PREFIX) else ""


def mailing_list_bytes(mails: Iterable[Mail]) -> bytes:
    """The mailing list as Excel opens it right (see csvfile.csv_bytes: `;`, BOM, CRLF, formulas guarded)."""
    return csv_bytes(MAILING_COLUMNS, ((m.recipient, m.email, m.subject, m.letter, m.attachment) for m in mails))


def write_mailing_list(path: Path, mails: Iterable[Mail]) -> Path:
    """Write a mailing list (replacing the one a previous run made: it is derived, never edited)."""
    return write_bytes(path, mailing_list_bytes(mails), force=True)
