"""What goes to each recipient, phase by phase: a zip of each workshop's kit and a notice per auditor
(phase one), a letter and a zip of every audit pack per auditor (phase two); with the mailing list's
rows for them. Made anew on every run, from the round's folders and the assignment."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path

from .assignment import Assignment, auditors_of
from .catalogue import Catalogue
from .contents import Contents
from .i18n import wording
from .letters import Mail, letter_context, render_letter, subject_of, team_of
from .naming import (
    AUDITOR_PACKETS_DIR,
    AUDITORS_DIR,
    AUDITS_DIR,
    LETTER,
    NOTICE,
    PACKETS_DIR,
    RETURNED_DIR,
    WORKSHOPS_DIR,
    auditor_dirs,
)
from .outputs import write_bytes
from .packages import archive
from .round import Round, auditor_language


def workshop_zip(out: Path, dir_name: str, contents: Mapping[str, bytes]) -> tuple[Path, bytes]:
    """Where a workshop's kit goes zipped (lahetys/<folder>.zip), and the zip of its files (name -> bytes)."""
    return out / PACKETS_DIR / f"{dir_name}.zip", archive({f"{dir_name}/{n}": d for n, d in contents.items()})


def phase_one(round_: Round, catalogue: Catalogue, assignment: Assignment, out: Path,
              dirs: Mapping[str, str], templates: str | os.PathLike[str] | None,
              zipped_now: Collection[str] = (), by_language: Contents | None = None) -> list[Mail]:
    """A zip per workshop kit and a notice per auditor (made anew on every run: they derive from the
    kits and the assignment), and the mailing list's rows for them. zipped_now: ids of the workshops
    whose kit this run has just made and zipped (workshop_zip), not zipped again."""
    mails: list[Mail] = []
    for w in round_.workshops:
        ws_dir = out / WORKSHOPS_DIR / dirs[w.id]
        if not ws_dir.is_dir():
            continue
        if w.id in zipped_now:
            zipped = out / PACKETS_DIR / f"{dirs[w.id]}.zip"
            letter = (ws_dir / LETTER).read_bytes() if (ws_dir / LETTER).is_file() else b""
        else:
            contents = {p.name: p.read_bytes() for p in sorted(ws_dir.iterdir()) if p.is_file()}
            zipped, data = workshop_zip(out, dirs[w.id], contents)
            write_bytes(zipped, data, force=True)
            letter = contents.get(LETTER, b"")
        subject = subject_of(letter.decode("utf-8", "replace"))
        mails.append(Mail(w.name, w.email, subject, (ws_dir / LETTER).relative_to(out).as_posix(),
                          zipped.relative_to(out).as_posix()))
    people = auditors_of(round_, assignment)
    folders = auditor_dirs(people)
    for key, (auditor, audits) in sorted(people.items()):
        listed = [{"id": w.id, "name": w.name, "municipality": w.municipality, "organisation": w.organisation,
                   **team_of(assignment.get(w.id, ()), auditor)} for w in audits]
        lang = auditor_language(round_, auditor)
        context = letter_context(round_, (by_language.for_language(lang) if by_language else None) or catalogue, lang)
        notice = render_letter("letters/auditoija.txt.j2", templates, **context,
                               auditor={"name": auditor.name, "email": auditor.email}, audits=listed)
        path = out / AUDITORS_DIR / folders[key] / NOTICE
        write_bytes(path, notice.text.encode("utf-8"), force=True)
        mails.append(Mail(auditor.name, auditor.email, notice.subject, path.relative_to(out).as_posix()))
    return mails


def phase_two(round_: Round, catalogue: Catalogue, assignment: Assignment, out: Path, dirs: Mapping[str, str],
              new: set[str], templates: str | os.PathLike[str] | None,
              by_language: Contents | None = None) -> list[Mail]:
    """A letter and a zip per auditor with every pack of theirs made so far (made anew each run); the
    mailing list's rows for the auditors who have a new pack now."""
    people = auditors_of(round_, assignment)
    folders = auditor_dirs(people)
    mails = []
    for key, (auditor, audits) in sorted(people.items()):
        packs = [w for w in audits if (out / AUDITS_DIR / dirs[w.id]).is_dir()]
        if not packs:
            continue
        lang = auditor_language(round_, auditor)
        context = letter_context(round_, (by_language.for_language(lang) if by_language else None) or catalogue, lang)
        listed = [{"id": w.id, "name": w.name, "folder": dirs[w.id], "new": w.id in new,
                   "notes": _pack_notes(catalogue, out / AUDITS_DIR / dirs[w.id], lang),
                   **team_of(assignment.get(w.id, ()), auditor)} for w in packs]
        waiting = [{"id": w.id, "name": w.name} for w in audits if w not in packs]
        letter = render_letter("letters/auditointi.txt.j2", templates, **context,
                               auditor={"name": auditor.name, "email": auditor.email}, audits=listed,
                               waiting=waiting)
        a_dir = out / AUDITORS_DIR / folders[key]
        write_bytes(a_dir / LETTER, letter.text.encode("utf-8"), force=True)
        contents = {LETTER: letter.text.encode("utf-8")}
        for w in packs:
            pack = out / AUDITS_DIR / dirs[w.id]
            contents.update({f"{dirs[w.id]}/{p.relative_to(pack).as_posix()}": p.read_bytes()
                             for p in sorted(pack.rglob("*")) if p.is_file()})
        zipped = out / PACKETS_DIR / AUDITOR_PACKETS_DIR / f"{folders[key]}.zip"
        write_bytes(zipped, archive(contents), force=True)
        if any(w.id in new for w in packs):
            mails.append(Mail(auditor.name, auditor.email, letter.subject, (a_dir / LETTER).relative_to(out).as_posix(),
                              zipped.relative_to(out).as_posix()))
    return mails


def _pack_notes(catalogue: Catalogue, pack: Path, lang: str = "fi") -> list[str]:
    """What the letter tells the auditors about a pack: the files of the self-assessment that are not in it."""
    _ = wording("messages", lang)
    names = [p.name for p in (pack / RETURNED_DIR).iterdir()] if (pack / RETURNED_DIR).is_dir() else []
    notes = []
    if not any(n.lower().endswith(".xlsx") for n in names):
        notes.append(_("the self-assessment workbook (the workshop's ratings) has not come back"))
    if not any(n.lower().endswith(".docx") for n in names):
        notes.append(_("the self-assessment form (the workshop's descriptions) has not come back"))
    return notes
