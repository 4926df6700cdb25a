"""Copies decided by people, not clocks: valinnat.csv, where the coordinator marks which copy counts.

When a workshop's file comes back in two (or more) copies whose answers differ, nothing in the files
says which is final: their save times come from the clocks of different computers and programs
(LibreOffice writes local time marked as UTC). So compile uses neither copy for the answers they differ
on, marks the workshop unresolved in every report, and lists the copies in valinnat.csv beside
round.toml (or in the report folder without one): one row per copy, with what differs. The coordinator
writes x in the column Käytä of the copy that counts and compiles again; or gives --use FILE once.

A row is bound to its copy by the copy's fingerprint (the start of its SHA-256), so moving or renaming
the returned folder keeps the choice, and a copy that arrives after the choice (another fingerprint) is
never taken as chosen: the conflict opens again and its row is added.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .catalogue import number_ranges
from .csvfile import read_keyed, write_csv
from .errors import AuditkitError, Problem, say
from .i18n import C_, DOCUMENT_LANGUAGES, wording
from .labels import ROLE_FILE, ROLE_FROM, label

CHOICES_FILE = "valinnat.csv"
# The columns of valinnat.csv, said in the round's language (the coordinator edits it in Excel); a
# file in any language auditkit speaks is read.
_COLUMN_TEXTS = (C_("choices column", "Use"), C_("choices column", "Workshop"), C_("choices column", "Workshop name"),
                 C_("choices column", "Document"), C_("choices column", "File"),
                 C_("choices column", "Saved (as the file records it)"), C_("choices column", "Criteria that differ"),
                 C_("choices column", "Fingerprint"))


def columns(lang: str = "fi") -> tuple[str, ...]:
    """valinnat.csv's header in a language."""
    words = wording("messages", lang)
    return tuple(words.pgettext("choices column", text) for text in _COLUMN_TEXTS)


USE, WORKSHOP, NAME, DOCUMENT, FILE, SAVED, DIFFERS, FINGERPRINT = _COLUMN_TEXTS  # the keys of a row read
COLUMNS = _COLUMN_TEXTS
_READ_LANGUAGES = (*DOCUMENT_LANGUAGES, "en")
# What a person may write in the Use column to leave a copy out: anything else there chooses it.
_NOT_CHOSEN = frozenset({"", "0", "-", "–", "ei", "e", "no", "n", "false", "epätosi", "nej", "falskt"})
_FINGERPRINT_CHARS = 16


@dataclass(frozen=True, slots=True)
class Copy:
    """A copy of a file that came back in versions that differ: its name in messages, fingerprint, the
    save time it records (shown, never compared), and its version (copies with equal answers share one)."""

    file: str
    fingerprint: str
    saved_at: str
    version: int


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A workshop's file that came back in differing copies nobody has chosen among yet.

    role: "self" (the workbook), "form" or "peer" (the auditors' workbook); criteria: those the copies'
    answers differ on; document: the file's name in Finnish (itsearviointitaulukko, …)."""

    workshop_id: str
    workshop_name: str
    role: str
    document: str
    copies: tuple[Copy, ...]
    criteria: tuple[int, ...]

    def document_in(self, lang: str) -> str:
        """The file as a person reading lang calls it ("auditointitaulukko", "auditeringstabell")."""
        return label(ROLE_FILE, self.role, lang) if self.role in ROLE_FILE.texts else self.document


@dataclass(frozen=True, slots=True)
class Choices:
    """What the coordinator has said: the fingerprints marked in valinnat.csv (and the file names of rows
    marked without one), every fingerprint it lists, and the files given with --use (as given)."""

    path: Path | None = None
    marked: frozenset[str] = frozenset()
    marked_files: frozenset[str] = frozenset()
    listed: frozenset[str] = frozenset()
    use: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()


def unresolved_text(roles: Sequence[str], lang: str = "fi") -> str:
    """What a report says (in its language) of a workshop whose files of these roles came back in
    differing copies, where no proposal carries it as a caveat (the caveat itself: compile.unresolved_caveat)."""
    _ = wording("messages", lang)
    which = _(" and ").join(label(ROLE_FROM, role, lang) for role in roles)
    return _("The workshop returned differing versions {which}, and the coordinator has not yet chosen which "
             "is final: the results hold only what the versions have in common.", which=which)


def fingerprint(path: Path) -> str:
    """The start of a file's SHA-256: what binds a row of valinnat.csv to one copy."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()[:_FINGERPRINT_CHARS]


def load_choices(path: Path | None, use: Iterable[str | Path] = ()) -> Choices:
    """The coordinator's choices: valinnat.csv at path (none when it does not exist) and the --use files."""
    given = tuple(str(u) for u in use)
    if path is None or not path.is_file():
        return Choices(path, use=given)
    rows, problems, _lang = _read(path)
    marked, files, listed = set(), set(), set()
    for _place, row in rows:
        mark = row[USE].strip().casefold() not in _NOT_CHOSEN
        key = row[FINGERPRINT].strip().casefold()
        if key:
            listed.add(key)
            if mark:
                marked.add(key)
        elif mark and row[FILE].strip():
            files.add(row[FILE].strip())
    return Choices(path, frozenset(marked), frozenset(files), frozenset(listed), given, tuple(problems))


def _read(path: Path) -> tuple[list[tuple[str, dict[str, str]]], list[Problem], str | None]:
    """valinnat.csv's rows keyed by the English column texts, whichever language its header is in (the
    first language whose header it has whole; else Finnish, whose missing columns are then reported), and
    that language (None when no header is whole)."""
    rows, problems, index = read_keyed(path, _COLUMN_TEXTS, [columns(lang) for lang in _READ_LANGUAGES])
    return rows, problems, _READ_LANGUAGES[index] if index is not None else None


@dataclass(frozen=True, slots=True)
class Decision:
    """Which version counts (None: nobody has said, or what was said does not hold) and how it was said
    ("--use" or the choices file's name), or why it does not hold."""

    version: int | None
    by: str = ""
    why_not: str = ""


def decide(choices: Choices, copies: Sequence[tuple[Copy, Path]]) -> Decision:
    """The version the coordinator chose among a file's copies: --use first, then valinnat.csv."""
    if choices.use:
        wanted = {_resolved(u) for u in choices.use} | set(choices.use)
        used = [c for c, path in copies if c.file in wanted or _resolved(path) in wanted]
        versions = {c.version for c in used}
        if len(versions) == 1:
            return Decision(versions.pop(), "--use")
        if versions:
            return Decision(None, why_not="--use names copies that differ (" + ", ".join(c.file for c in used)
                                          + "); give only the one that counts.")
    name = choices.path.name if choices.path else CHOICES_FILE
    marked = [c for c, _ in copies if c.fingerprint in choices.marked or c.file in choices.marked_files]
    versions = {c.version for c in marked}
    if len(versions) > 1:
        return Decision(None, why_not=f"{name} marks copies that differ (" + ", ".join(c.file for c in marked)
                                      + "); leave x on the row of the one that counts only.")
    if not versions:
        return Decision(None)
    chosen = versions.pop()
    newer = [c for c, _ in copies if c.version != chosen and c.fingerprint not in choices.listed
             and c.file not in choices.marked_files]
    if newer:
        return Decision(None, why_not=f"{', '.join(c.file for c in newer)} came after the choice in {name} and "
                                      "differs from the chosen copy; choose again (its row has been added).")
    return Decision(chosen, name)


def _resolved(path: str | Path) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):
        return str(path)


def update_choices_file(path: Path, unresolved: Sequence[Unresolved], lang: str = "fi") -> tuple[int, list[Problem]]:
    """Add a row for every copy of an unresolved file that valinnat.csv does not list yet (the rows the
    coordinator has, marked or not, stay as they are; a new file's header is in lang, an existing one
    keeps its own). Returns how many rows were added, and a warning when the file could not be written
    (open in Excel?). Never raises."""
    existing: list[dict[str, str]] = []
    problems: list[Problem] = []
    if path.is_file():
        rows, read_problems, header_lang = _read(path)
        lang = header_lang or lang
        if any(p.severity == "error" for p in read_problems) and not rows:
            return 0, [Problem(str(path), "", say("could not be read, so its rows were not added to; {reason}",
                                                  reason=read_problems[0].what), "warning", "choices-unreadable")]
        existing = [row for _place, row in rows]
    known = {row[FINGERPRINT].strip().casefold() for row in existing if row[FINGERPRINT].strip()}
    added = []
    for u in unresolved:
        for c in u.copies:
            if c.fingerprint and c.fingerprint not in known:
                known.add(c.fingerprint)
                added.append({USE: "", WORKSHOP: u.workshop_id, NAME: u.workshop_name, DOCUMENT: u.document_in(lang),
                              FILE: c.file, SAVED: wording("messages", lang).moment(c.saved_at) if c.saved_at else "",
                              DIFFERS: number_ranges(u.criteria), FINGERPRINT: c.fingerprint})
    if not added:
        return 0, problems
    try:
        write_choices(path, [*existing, *added], lang)
    except AuditkitError as err:
        return 0, [Problem(str(path), "", say("the copies to choose among could not be listed here ({reason}); close "
                                              "the file if it is open in Excel and compile again.", reason=err.text),
                           "warning", "choices-not-written")]
    return len(added), problems


def read_choices(path: Path) -> tuple[list[dict[str, str]], str]:
    """valinnat.csv's rows keyed by USE, FILE, … and the language of its header (for write_choices)."""
    rows, _problems, lang = _read(path)
    return [row for _place, row in rows], lang or "fi"


def write_choices(path: Path, rows: Iterable[dict[str, str]], lang: str = "fi") -> None:
    """Write valinnat.csv whole from rows keyed as read_choices gives them, its header in lang."""
    write_csv(path, columns(lang), ([row.get(c, "") for c in COLUMNS] for row in rows), force=True)
