"""Letters and mailing lists: a letter's subject and text from its template, and the CSV for mail merge.

A letter template (templates/letters/*.txt.j2) starts with a line "Aihe: …" ("Ämne: …" in Swedish), the
subject, which stays
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
from .i18n import C_, wording
from .labels import AUDIT_TYPE, label
from .model import Auditor
from .outputs import write_bytes
from .round import Round
from .templating import render

SUBJECT_PREFIX = "Aihe:"
SUBJECT_PREFIXES = (SUBJECT_PREFIX, "Ämne:")  # every language's letters (templates/letters/*.txt.j2)
_MAILING = (C_("mailing list", "recipient"), C_("mailing list", "email"), C_("mailing list", "subject"),
            C_("mailing list", "letter"), C_("mailing list", "attachment"))
MAILING_COLUMNS = ("vastaanottaja", "sähköposti", "aihe", "kirje", "liite")  # in Finnish: mailing_columns("fi")


def mailing_columns(lang: str = "fi") -> tuple[str, ...]:
    """The mailing list's header in a language (the round's)."""
    words = wording("messages", lang)
    return tuple(words.pgettext("mailing list", text) for text in _MAILING)


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
    """The subject on a letter's first line ("Aihe: …" or "Ämne: …"), or "" when it has none."""
    first = text.partition("\n")[0]
    for prefix in SUBJECT_PREFIXES:
        if first.startswith(prefix):
            return first[len(prefix):].strip()
    return ""


def mailing_list_bytes(mails: Iterable[Mail], lang: str = "fi") -> bytes:
    """The mailing list as Excel opens it right (see csvfile.csv_bytes: `;`, BOM, CRLF, formulas guarded), its
    header in a language (the round's)."""
    return csv_bytes(mailing_columns(lang), ((m.recipient, m.email, m.subject, m.letter, m.attachment) for m in mails))


def write_mailing_list(path: Path, mails: Iterable[Mail], lang: str = "fi") -> Path:
    """Write a mailing list (replacing the one a previous run made: it is derived, never edited)."""
    return write_bytes(path, mailing_list_bytes(mails, lang), force=True)


def letter_context(round_: Round, catalogue: Catalogue, lang: str = "fi") -> dict[str, object]:
    """What every letter template may use: the round (its deadlines as people read them, in the letter's
    language) and the content; and `lang`, the language render_letter makes the letter in."""
    cfg = round_.config
    date = wording("documents", lang).date
    return {
        "lang": lang,
        "round": {"id": cfg.id, "name": cfg.name, "deadline": date(cfg.deadline),
                  "audit_deadline": date(cfg.audit_deadline), "comments_deadline": date(cfg.comments_deadline),
                  "audit_type": label(AUDIT_TYPE, cfg.audit_type, lang).lower(), "coordinator": cfg.coordinator,
                  "coordinator_email": cfg.coordinator_email, "return_to": cfg.return_to or cfg.coordinator_email},
        "content": {"title": catalogue.meta.title, "version": catalogue.version},
    }


def team_of(team: tuple[Auditor, ...], auditor: Auditor) -> dict[str, object]:
    """What a letter says of a team: its members, its lead, and whether this auditor leads."""
    return {"lead": team[0].name if team else "", "is_lead": bool(team) and (team[0].name, team[0].email) ==
            (auditor.name, auditor.email), "team": [t.name for t in team]}
