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
from .csvfile import read_dicts, write_csv
from .errors import AuditkitError, Problem, say
from .labels import ROLE_FROM_FI

CHOICES_FILE = "valinnat.csv"
USE, WORKSHOP, NAME, DOCUMENT, FILE, SAVED, DIFFERS, FINGERPRINT = (
    "Käytä", "Työpaja", "Työpajan nimi", "Asiakirja", "Tiedosto", "Tallennettu (tiedoston oma merkintä)",
    "Eroavat kriteerit", "Tunniste")
COLUMNS = (USE, WORKSHOP, NAME, DOCUMENT, FILE, SAVED, DIFFERS, FINGERPRINT)
# What a person may write in Käytä to leave a copy out: anything else there chooses it.
_NOT_CHOSEN = frozenset({"", "0", "-", "–", "ei", "e", "no", "n", "false", "epätosi"})
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


def unresolved_text(roles: Sequence[str]) -> str:
    """What a report says (in Finnish) of a workshop whose files of these roles came back in differing
    copies, where no proposal carries it as a caveat (the caveat itself: compile.unresolved_caveat)."""
    which = " ja ".join(ROLE_FROM_FI.get(role, role) for role in roles)
    return (f"Työpaja palautti {which} eri versioita, eikä koordinaattori ole vielä valinnut, mikä on lopullinen: "
            "tuloksissa on vain se, mikä versioissa on samaa.")


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
    rows, problems = read_dicts(path, COLUMNS)
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


def update_choices_file(path: Path, unresolved: Sequence[Unresolved]) -> tuple[int, list[Problem]]:
    """Add a row for every copy of an unresolved file that valinnat.csv does not list yet (the rows the
    coordinator has, marked or not, stay as they are). Returns how many rows were added, and a warning
    when the file could not be written (open in Excel?). Never raises."""
    existing: list[dict[str, str]] = []
    problems: list[Problem] = []
    if path.is_file():
        rows, read_problems = read_dicts(path, COLUMNS)
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
                added.append({USE: "", WORKSHOP: u.workshop_id, NAME: u.workshop_name, DOCUMENT: u.document,
                              FILE: c.file, SAVED: c.saved_at.replace("T", " ").rstrip("Z"),
                              DIFFERS: number_ranges(u.criteria), FINGERPRINT: c.fingerprint})
    if not added:
        return 0, problems
    try:
        write_csv(path, COLUMNS, ([row.get(c, "") for c in COLUMNS] for row in [*existing, *added]), force=True)
    except AuditkitError as err:
        return 0, [Problem(str(path), "", say("the copies to choose among could not be listed here ({reason}); close "
                                              "the file if it is open in Excel and compile again.", reason=err.text),
                           "warning", "choices-not-written")]
    return len(added), problems
