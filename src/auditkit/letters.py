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

from .catalogue import Catalogue
from .csvfile import csv_bytes
from .dates import date_fi
from .labels import AUDIT_TYPE_FI
from .model import Auditor
from .outputs import write_bytes
from .round import Round
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
    """Render a letter template in the language context["lang"] names (default Finnish; the template
    does not see it). Raises TemplateError (see templating.render)."""
    lang = str(context.pop("lang", "fi"))
    text = render(name, templates, lang=lang, **context).rstrip() + "\n"
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


def letter_context(round_: Round, catalogue: Catalogue) -> dict[str, object]:
    """What every letter template may use: the round (its deadlines as people read them) and the content."""
    cfg = round_.config
    return {
        "round": {"id": cfg.id, "name": cfg.name, "deadline": date_fi(cfg.deadline),
                  "audit_deadline": date_fi(cfg.audit_deadline), "comments_deadline": date_fi(cfg.comments_deadline),
                  "audit_type": AUDIT_TYPE_FI[cfg.audit_type].lower(), "coordinator": cfg.coordinator,
                  "coordinator_email": cfg.coordinator_email, "return_to": cfg.return_to or cfg.coordinator_email},
        "content": {"title": catalogue.meta.title, "version": catalogue.version},
    }


def team_of(team: tuple[Auditor, ...], auditor: Auditor) -> dict[str, object]:
    """What a letter says of a team: its members, its lead, and whether this auditor leads."""
    return {"lead": team[0].name if team else "", "is_lead": bool(team) and (team[0].name, team[0].email) ==
            (auditor.name, auditor.email), "team": [t.name for t in team]}
