"""The manifest of a round: every file of both phases with its recipient, kit id and SHA-256, as
manifest.csv and manifest.xlsx, written anew from the round's folders; and reading it back (also as
Excel saves it again), for the kit ids compile checks returned files against."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .assignment import Assignment, auditors_of
from .catalogue import Catalogue
from .csvfile import read_keyed, write_csv
from .excel.tables import Sheet, write_tables
from .i18n import C_, DOCUMENT_LANGUAGES, wording
from .labels import DOCUMENT, ROLE, Table, label, labels
from .model import Workshop
from .naming import (
    AUDITOR_PACKETS_DIR,
    AUDITORS_DIR,
    AUDITS_DIR,
    LETTER,
    NOTICE,
    PACKETS_DIR,
    WORKSHOPS_DIR,
    auditor_dirs,
    kind_of,
    workshop_dirs,
)
from .outputs import write_with
from .round import Round

MANIFEST_COLUMNS = (
    "file", "recipient", "recipient_email", "recipient_type", "workshop_id", "workshop_name",
    "role", "document", "kit_id", "sha256", "bytes", "content_version",
)
# The header the coordinator reads, in the round's language (a manifest with the English names of
# MANIFEST_COLUMNS, as auditkit wrote it before, is read too).
_HEADERS = {
    "file": C_("manifest column", "File"), "recipient": C_("manifest column", "Recipient"),
    "recipient_email": C_("manifest column", "Recipient's email"),
    "recipient_type": C_("manifest column", "Recipient type"),
    "workshop_id": C_("manifest column", "Workshop code"), "workshop_name": C_("manifest column", "Workshop"),
    "role": C_("manifest column", "Role"), "document": C_("manifest column", "Document"),
    "kit_id": C_("manifest column", "Kit id"), "sha256": C_("manifest column", "SHA-256"),
    "bytes": C_("manifest column", "Bytes"), "content_version": C_("manifest column", "Content version"),
}
RECIPIENT = Table("recipient type", {"workshop": C_("recipient type", "workshop"),
                                     "auditor": C_("recipient type", "auditor")})
_READ_LANGUAGES = DOCUMENT_LANGUAGES


def manifest_header(lang: str = "fi") -> tuple[str, ...]:
    """manifest.csv's and manifest.xlsx's header row in a language."""
    words = wording("messages", lang)
    return tuple(words.pgettext("manifest column", _HEADERS[c]) for c in MANIFEST_COLUMNS)


@dataclass(frozen=True, slots=True)
class KitFile:
    """A row of the manifest: one file for one recipient."""

    file: str  # relative to the round's output folder, with /
    recipient: str
    recipient_email: str
    recipient_type: str  # "workshop" or "auditor"
    workshop_id: str
    workshop_name: str
    role: str
    document: str
    kit_id: str
    sha256: str
    bytes: int
    content_version: str

    def row(self, lang: str | None = None) -> list[str]:
        """The row as written: its codes (recipient type, role) said in lang, or as codes when None."""
        values = [str(getattr(self, c)) for c in MANIFEST_COLUMNS]
        if lang is not None:
            values[3] = label(RECIPIENT, self.recipient_type, lang)
            values[6] = label(ROLE, self.role, lang) if self.role else ""
        return values


def write_manifest(round_: Round, catalogue: Catalogue, assignment: Assignment, out: Path,
                   kit_id: Callable[[str, str], str],
                   known: Mapping[Path, tuple[str, int]] | None = None) -> tuple[KitFile, ...]:
    """manifest.csv and manifest.xlsx over every file of the round folder: the workshops' kits, the
    notices, the audit packs, the letters and zips of both phases. kit_id(workshop id, role): the kit id
    of that workshop's documents of that role (kit.kit_id's, for this round and content). known: the
    SHA-256 and size of files this run has just written (not read again). Returns its rows."""
    known = known or {}
    cfg = round_.config
    rows: list[KitFile] = []
    dirs = workshop_dirs(round_)
    # A file made by an earlier run keeps the kit id it carries (an instance added to round.toml since
    # changes the id of kits made from now on, not of those already sent).
    sent = {(r.file, r.sha256): r.kit_id for r in read_manifest(out) if r.kit_id}

    def add(path: Path, recipient: str, email: str, rtype: str, w: Workshop | None, role: str, document: str) -> None:
        sha, size = known[path] if path in known else file_digest(path.read_bytes())
        kid = kit_id(w.id, role) if w is not None and role else ""
        kid = sent.get((path.relative_to(out).as_posix(), sha), kid) if kid else ""
        rows.append(KitFile(path.relative_to(out).as_posix(), recipient, email, rtype, w.id if w else "",
                            w.name if w else "", role, label(DOCUMENT, document, cfg.language), kid, sha, size,
                            catalogue.version))

    for w in round_.workshops:
        ws_dir, audit_dir = out / WORKSHOPS_DIR / dirs[w.id], out / AUDITS_DIR / dirs[w.id]
        for path in _files_under(ws_dir):
            role, document = kind_of(dirs[w.id], path.relative_to(ws_dir).as_posix())
            add(path, w.name, w.email, "workshop", w, role, document)
        zipped = out / PACKETS_DIR / f"{dirs[w.id]}.zip"
        if zipped.is_file():
            add(zipped, w.name, w.email, "workshop", w, "", "zip")
        for path in _files_under(audit_dir):  # the audit pack goes to each member of the team
            role, document = kind_of(dirs[w.id], path.relative_to(audit_dir).as_posix())
            for a in assignment.get(w.id, ()):
                add(path, a.name, a.email, "auditor", w, role, document)
    people = auditors_of(round_, assignment)
    for key, folder in auditor_dirs(people).items():
        auditor = people[key][0]
        for path, document in ((out / AUDITORS_DIR / folder / NOTICE, "notice"),
                               (out / AUDITORS_DIR / folder / LETTER, "letter"),
                               (out / PACKETS_DIR / AUDITOR_PACKETS_DIR / f"{folder}.zip", "zip")):
            if path.is_file():
                add(path, auditor.name, auditor.email, "auditor", None, "", document)

    rows.sort(key=lambda r: (r.file, r.recipient))
    lang = cfg.language if cfg.language in _READ_LANGUAGES else "fi"
    header = manifest_header(lang)
    write_csv(out / "manifest.csv", header, (r.row(lang) for r in rows), force=True)
    sheet = wording("messages", lang).pgettext("manifest sheet", "Files")
    write_with(out / "manifest.xlsx", lambda tmp: write_tables(
        tmp, [Sheet(sheet, header, [[*r.row(lang)[:10], r.bytes, r.content_version] for r in rows])], lang),
        force=True)
    return tuple(rows)


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def round_kit_ids(round_: Round) -> dict[str, tuple[str, str]]:
    """Kit id -> (workshop id, role) from the round's manifest; empty when no kit has been made."""
    return _kit_ids(read_manifest(round_.config.output_dir / round_.config.id))


def round_manifest(round_: Round) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """round_kit_ids and forwarded_workshops from one reading of the round's manifest (a command needing
    both reads it once: 0.06-0.08 s a reading at 300 workshops)."""
    rows = read_manifest(round_.config.output_dir / round_.config.id)
    return _kit_ids(rows), _forwarded(rows)


def _kit_ids(rows: Iterable[KitFile]) -> dict[str, tuple[str, str]]:
    return {r.kit_id: (r.workshop_id, r.role) for r in rows if r.kit_id}


def _forwarded(rows: Iterable[KitFile]) -> set[str]:
    return {r.workshop_id for r in rows if document_of(r) == "workbook-peer"}


def document_of(row: KitFile) -> str:
    """The kind of document a manifest row lists ("form", "workbook-self", …, as naming.kind_of names them),
    from its document column in any language the manifest may be written in; "" when not known."""
    return _documents().get(row.document, "")


@functools.lru_cache(maxsize=1)
def _documents() -> dict[str, str]:
    """The documents' labels in every language a round's manifest may be written in -> their kinds."""
    return {label(DOCUMENT, code, lang): code for lang in DOCUMENT_LANGUAGES for code in DOCUMENT.texts}


def forwarded_workshops(round_: Round) -> set[str]:
    """Ids of the workshops whose audit pack (an auditors' workbook) the manifest lists."""
    return _forwarded(read_manifest(round_.config.output_dir / round_.config.id))


def read_manifest(out_dir: Path) -> tuple[KitFile, ...]:
    """The manifest.csv of a round's output folder (empty when there is none), also as Excel saves it again
    (Windows-1252 or UTF-8, `;` or `,`)."""
    path = out_dir / "manifest.csv"
    if not path.is_file():
        return ()
    records = _records(path)  # a broken manifest: its kit ids go unchecked
    codes = _codes()
    rows = []
    for record in records:
        record["recipient_type"] = codes.get(("recipient", record["recipient_type"]), record["recipient_type"])
        record["role"] = codes.get(("role", record["role"]), record["role"])
        try:
            size = int(record["bytes"] or 0)
        except ValueError:
            size = 0
        rows.append(KitFile(**{c: record[c] for c in MANIFEST_COLUMNS if c != "bytes"}, bytes=size))
    return tuple(rows)


def _records(path: Path) -> list[dict[str, str]]:
    """The manifest's rows keyed by MANIFEST_COLUMNS, whichever language its header is in (or the English
    keys of manifests written before the headers had languages)."""
    rows, _problems, _index = read_keyed(path, MANIFEST_COLUMNS,
                                         [*(manifest_header(lang) for lang in _READ_LANGUAGES), MANIFEST_COLUMNS])
    return [row for _place, row in rows]


@functools.lru_cache(maxsize=1)
def _codes() -> dict[tuple[str, str], str]:
    """(column, a label in any language) -> the code it says (recipient types and roles)."""
    out: dict[tuple[str, str], str] = {}
    for lang in _READ_LANGUAGES:
        out |= {("recipient", text): code for code, text in labels(RECIPIENT, lang).items()}
        out |= {("role", text): code for code, text in labels(ROLE, lang).items()}
    return out


def file_digest(data: bytes) -> tuple[str, int]:
    """A file's SHA-256 (hex) and size, as the manifest lists them."""
    return hashlib.sha256(data).hexdigest(), len(data)
