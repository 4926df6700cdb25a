"""A round's kits: which documents for whom, file names, cover letters, zips and the manifest.

Phase one (`generate_kit`) sends each workshop its self-assessment kit and each auditor a notice of
their audits; phase two (forward.py) adds an audit pack per returned self-assessment. The manifest
lists the files of both phases and is written anew from the round's folders by every run of either.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .assignment import Assignment
from .catalogue import Catalogue, applies, number_ranges
from .csvfile import read_dicts, write_csv
from .dates import date_fi
from .errors import Problem, RoundError
from .letters import Mail, render_letter, subject_of, write_mailing_list
from .excel import build_workbook
from .excel.tables import Sheet, write_tables
from .model import AUDIENCE_FI, AUDIT_TYPE_FI, Auditor, DocumentContext, Workshop
from .office import PdfResult, find_soffice, pdf_copies
from .outputs import write_bytes, write_with
from .parallel import fork_map
from .round import Round, load_round, passed_deadline
from .stamping import Blueprint, placeholder_context, values_of
from .word import build_audit_report, build_form, build_glossary

MANIFEST_COLUMNS = (
    "file", "recipient", "recipient_email", "recipient_type", "workshop_id", "workshop_name",
    "role", "document", "kit_id", "sha256", "bytes", "content_version",
)
DOCUMENT_FI = {
    "form": "itsearviointilomake", "workbook-self": "itsearviointi", "glossary": "käsitteet",
    "report": "auditointiraportti", "workbook-peer": "auditointi", "letter": "saate", "zip": "paketti",
    "notice": "ilmoitus", "returned": "palautettu itsearviointi",
}
DOCUMENT_FI.update({f"{kind}-pdf": f"{DOCUMENT_FI[kind]} (PDF)" for kind in ("form", "glossary", "report")})
WORKSHOPS_DIR, AUDITS_DIR, AUDITORS_DIR, PACKETS_DIR = "tyopajat", "auditoinnit", "auditoijat", "lahetys"
# Windows (and Word and Excel on it) opens no path longer than 259 characters. Names are shortened,
# never ids: a kit's deepest file (auditoinnit/<folder>/<file>, written as .<folder>.part first) then
# stays within about 125 characters below the round's output folder, leaving the rest for where the
# round folder is (a OneDrive folder is often 80-110 characters). kit_for_round warns past the limit.
FOLDER_LIMIT, FILE_PREFIX_LIMIT = 48, 28
WINDOWS_MAX_PATH = 259
# In an audit pack: the workshop's returned files, as they came. Under lahetys/: the auditors' zips.
RETURNED_DIR, AUDITOR_PACKETS_DIR = "itsearviointi", "auditoijat"
LETTER, NOTICE = "Saate.txt", "Ilmoitus.txt"  # phase one's (workshops) and phase two's (auditors); the notice
MAILING_LIST = "postituslista.csv"


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

    def row(self) -> list[str]:
        return [str(getattr(self, c)) for c in MANIFEST_COLUMNS]


@dataclass(frozen=True, slots=True)
class KitResult:
    """What `generate_kit` did: the round's output folder, workshops made and skipped, the manifest;
    with --pdf, the PDFs made and what kept others from being made."""

    out_dir: Path
    made: tuple[str, ...]
    skipped: tuple[str, ...]
    files: tuple[KitFile, ...]
    documents_built: int
    pdfs: tuple[Path, ...] = ()
    pdf_problems: tuple[Problem, ...] = ()


def kit_id(round_id: str, workshop_id: str, role: str, content_hash: str, instance: str = "") -> str:
    """A kit id that names the workshop and role, and changes with the round (its id and instance) and the
    content. A round without an instance (round.toml of an earlier version) keeps the ids it had."""
    key = f"{round_id}\n{workshop_id}\n{role}\n{content_hash}" + (f"\n{instance}" if instance else "")
    digest = hashlib.sha256(key.encode()).hexdigest()[:8]
    return f"{safe_name(workshop_id, 24).replace(' ', '_')}-{role}-{digest}"


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{port}{i}" for port in ("COM", "LPT") for i in (*"0123456789", "¹", "²", "³"))}


def safe_name(text: str, limit: int = 60) -> str:
    """A file or folder name readable on every system: Finnish letters kept (NFC), characters that
    Windows, macOS or Linux refuse replaced, no trailing dots or spaces, at most `limit` characters."""
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("-", text.replace('"', ""))
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"-{2,}", "-", text).strip(" .-")
    if len(text) > limit:
        cut = text[:limit]
        text = (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut).rstrip(" .-–—,;")
    if text.split(".")[0].strip().upper() in _RESERVED:  # Windows ignores spaces before the extension
        text = f"_{text}"
    return text or "nimetön"


def _unique_names(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """key -> a name unique on case-insensitive file systems (a number added where needed)."""
    seen: set[str] = set()
    out = {}
    for key, name in items:
        candidate, n = name, 2
        while candidate.casefold() in seen:
            candidate = f"{name} ({n})"
            n += 1
        seen.add(candidate.casefold())
        out[key] = candidate
    return out


def workshop_dirs(round_: Round) -> dict[str, str]:
    """Workshop id -> the name of its folders (tyopajat/, auditoinnit/) and zip: "P07 Savon Taitopaja"."""
    return _unique_names((w.id, safe_name(f"{w.id} {w.name}", FOLDER_LIMIT)) for w in round_.workshops)


def auditors_of(round_: Round, assignment: Assignment) -> dict[tuple[str, str], tuple[Auditor, list[Workshop]]]:
    """(name, email) -> the auditor and the workshops they audit, in register order."""
    people: dict[tuple[str, str], tuple[Auditor, list[Workshop]]] = {}
    for w in round_.workshops:
        for a in assignment.get(w.id, ()):
            people.setdefault((a.name, a.email), (a, []))[1].append(w)
    return people


def auditor_dirs(people: Mapping[tuple[str, str], object]) -> dict[tuple[str, str], str]:
    """(name, email) -> the auditor's folder name, unique on every file system."""
    names = _unique_names((f"{name}\n{email}", safe_name(name)) for name, email in people)
    return {(name, email): names[f"{name}\n{email}"] for name, email in people}


def team_of(team: tuple[Auditor, ...], auditor: Auditor) -> dict[str, object]:
    """What a letter says of a team: its members, its lead, and whether this auditor leads."""
    return {"lead": team[0].name if team else "", "is_lead": bool(team) and (team[0].name, team[0].email) ==
            (auditor.name, auditor.email), "team": [t.name for t in team]}


def _normalise(kind: str, ctx: DocumentContext) -> tuple[tuple, DocumentContext]:
    """The blueprint key of a document and the context it is stamped with.

    Only what a document depends on goes into its key: the fewer distinct documents, the faster.
    """
    if kind in ("form", "workbook-self", "glossary"):
        ctx = replace(ctx, auditors=())  # the workshop's own documents name no auditors
    profile = None if kind == "glossary" else ctx.workshop.profile
    return (kind, profile, ctx.audit_type, len(ctx.auditors)), ctx


def _build_task(shared: tuple[Catalogue, str | os.PathLike[str] | None], item: tuple[str, DocumentContext]) -> Blueprint:
    catalogue, templates = shared
    kind, ctx = item
    return _blueprint(kind, catalogue, ctx, templates)


def _blueprint(kind: str, catalogue: Catalogue, ctx: DocumentContext,
               templates: str | os.PathLike[str] | None) -> Blueprint:
    """Build one document with placeholders (runs in a worker process for a large round)."""
    template = placeholder_context(ctx)
    if kind == "form":
        data = build_form(catalogue, template, templates=templates)
    elif kind == "glossary":
        data = build_glossary(catalogue, template, templates=templates)
    elif kind == "report":
        data = build_audit_report(catalogue, template, templates=templates)
    elif kind in ("workbook-self", "workbook-peer"):
        data = build_workbook(catalogue, template)
    else:
        raise ValueError(kind)
    return Blueprint(data, known=set(values_of(template)))


class _Builder:
    """Builds each distinct document once (per kind, profile, audit type and team size) and stamps."""

    def __init__(self, catalogue: Catalogue, templates: str | os.PathLike[str] | None) -> None:
        self.catalogue = catalogue
        self.templates = templates
        self.blueprints: dict[tuple, Blueprint] = {}

    def prepare(self, wanted: Iterable[tuple[str, DocumentContext]]) -> None:
        """Build the distinct documents of these, in parallel on every core when there are several."""
        todo: dict[tuple, tuple[str, DocumentContext]] = {}
        for kind, ctx in wanted:
            key, norm = _normalise(kind, ctx)
            if key not in self.blueprints:
                todo.setdefault(key, (kind, norm))
        built = fork_map(_build_task, (self.catalogue, self.templates), todo.values(), parallel_from=4)
        self.blueprints.update(zip(todo, built))

    def document(self, kind: str, ctx: DocumentContext) -> bytes:
        key, ctx = _normalise(kind, ctx)
        if key not in self.blueprints:
            self.blueprints[key] = _blueprint(kind, self.catalogue, ctx, self.templates)
        return self.blueprints[key].stamp(values_of(ctx))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """A zip with fixed timestamps, so the same files give the same bytes. .docx and .xlsx are zips
    already: they are stored as they are (compressing them again costs time and saves nothing)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            stored = name.endswith((".docx", ".xlsx"))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, files[name])
    return buf.getvalue()


def write_folder(target: Path, files: Mapping[str, bytes], force: bool) -> None:
    """Write a folder of files (names may hold a subfolder: "a/b.xlsx") in one step: into a hidden
    sibling first, then renamed into place. Raises RoundError when it exists and force is not set."""
    staging = target.with_name(f".{target.name}.part")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    for name, data in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_bytes(data)
    if target.exists():
        if not force:
            shutil.rmtree(staging)
            raise RoundError(f"{target}: the kit exists; add --force to make it again.")
        old = target.with_name(f".{target.name}.old")
        if old.exists():
            shutil.rmtree(old)
        target.rename(old)
        staging.rename(target)
        shutil.rmtree(old)
    else:
        staging.rename(target)


def generate_kit(
    round_: Round,
    catalogue: Catalogue,
    assignment: Assignment,
    *,
    force: bool = False,
    only: Iterable[str] = (),
    templates: str | os.PathLike[str] | None = None,
    progress: Callable[[str], None] | None = None,
    pdf: bool = False,
) -> KitResult:
    """Make phase one of a round under <output>/<round id>/ and write the manifest.

    For each workshop: the self-assessment form and workbook, the glossary and a cover letter, and a zip;
    for each auditor a notice of their audits (no files to fill yet: those come with phase two, made
    from the returned self-assessment); a mailing list; manifest.csv and manifest.xlsx listing every
    file of the round with its recipient, kit id and sha256. Workshops whose kit exists are left as they
    are unless force is set. only: workshop ids to make (others untouched). progress is called with
    each workshop id as it is done. Raises RoundError for an unknown id in only.

    pdf: also a PDF of each Word document made now, beside it (in the zips, the manifest and the
    workshop's letter too), by LibreOffice in one run; without LibreOffice the kits are made as
    ever and pdf_problems says what to do.
    """
    cfg = round_.config
    out = cfg.output_dir / cfg.id
    by_id = {w.id.casefold(): w for w in round_.workshops}
    wanted = {i.casefold() for i in only}
    unknown = sorted(i for i in only if i.casefold() not in by_id)
    if unknown:
        raise RoundError(f"--only: no workshop with id {', '.join(unknown)} in {cfg.register_path}; check the id.")
    dirs = workshop_dirs(round_)
    builder = _Builder(catalogue, templates)
    made, skipped, todo = [], [], []
    for w in round_.workshops:
        if wanted and w.id.casefold() not in wanted:
            continue
        if (out / WORKSHOPS_DIR / dirs[w.id]).exists() and not force:
            skipped.append(w.id)
            if progress:
                progress(w.id)
        else:
            todo.append(w)
    builder.prepare(
        (kind, document_context(round_, catalogue, w, "self", ()))
        for w in todo for kind in ("form", "workbook-self", "glossary")
    )
    copies = PdfResult((), ())
    if pdf and todo and find_soffice() is None:
        copies, pdf = pdf_copies([Path("kit.docx")]), False  # says LibreOffice is missing, and how to help it
    for w in todo:
        write_folder(out / WORKSHOPS_DIR / dirs[w.id],
                     _workshop_files(builder, round_, catalogue, w, assignment, dirs[w.id], pdf=pdf), force)
        made.append(w.id)
        if progress:
            progress(w.id)
    if pdf:
        copies = pdf_copies([p for w in todo for p in sorted((out / WORKSHOPS_DIR / dirs[w.id]).glob("*.docx"))])
    mails = _phase_one_packets(round_, catalogue, assignment, out, dirs, templates)
    write_mailing_list(out / MAILING_LIST, mails)
    files = write_manifest(round_, catalogue, assignment, out)
    return KitResult(out, tuple(made), tuple(skipped), files, len(builder.blueprints), copies.made, copies.problems)


def document_context(round_: Round, catalogue: Catalogue, w: Workshop, role: str,
                     auditors: tuple[Auditor, ...]) -> DocumentContext:
    """What a kit document of this workshop and role says: the round, the deadline of its phase, the team."""
    cfg = round_.config
    return DocumentContext(
        round_id=cfg.id, round_name=cfg.name, workshop=w, audit_type=cfg.audit_type, role=role,
        kit_id=kit_id(cfg.id, w.id, role, catalogue.hash, cfg.instance),
        deadline=cfg.deadline_of("audit" if role == "peer" else "self"),
        auditors=auditors, coordinator=cfg.coordinator, return_to=cfg.return_to or cfg.coordinator_email,
        comments_deadline=cfg.comments_deadline, round_instance=cfg.instance,
    )


def file_names(dir_name: str) -> dict[str, str]:
    """Kind -> the file name kits give it, for a workshop's folder name (shortened: the folder has the longer name)."""
    prefix = safe_name(dir_name, FILE_PREFIX_LIMIT)
    return {
        "form": f"{prefix} – itsearviointilomake.docx",
        "workbook-self": f"{prefix} – itsearviointi.xlsx",
        "glossary": "Käsitteet.docx",
        "report": f"{prefix} – auditointiraportti.docx",
        "workbook-peer": f"{prefix} – auditointi.xlsx",
        "letter": LETTER,
    }


_ROLE_OF = {"form": "self", "workbook-self": "self", "report": "peer", "workbook-peer": "peer"}


def _kind_of(dir_name: str, file_name: str) -> tuple[str, str]:
    """(role, kind) of a kit file, from the names file_names gives (a document's PDF copy: its kind with
    "-pdf"); a returned file copied into an audit pack; anything else is a letter."""
    if file_name.startswith(f"{RETURNED_DIR}/"):
        return "", "returned"
    if file_name.lower().endswith(".pdf"):
        role, kind = _kind_of(dir_name, f"{file_name[:-4]}.docx")
        return (role, f"{kind}-pdf") if kind != "letter" else ("", "letter")
    kind = {name: kind for kind, name in file_names(dir_name).items()}.get(file_name, "letter")
    return _ROLE_OF.get(kind, ""), kind


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


def _workshop_files(builder: _Builder, round_: Round, catalogue: Catalogue, w: Workshop,
                    assignment: Assignment, dir_name: str, *, pdf: bool = False) -> dict[str, bytes]:
    """The workshop's documents and its letter, which names them (and their PDF copies, when made)."""
    ctx = document_context(round_, catalogue, w, "self", ())
    names = file_names(dir_name)
    files = {
        names["form"]: builder.document("form", ctx),
        names["workbook-self"]: builder.document("workbook-self", ctx),
        names["glossary"]: builder.document("glossary", ctx),
    }
    outside = [c.number for c in catalogue.criteria if not applies(c, w.profile)]
    letter = render_letter("letters/tyopaja.txt.j2", builder.templates, **letter_context(round_, catalogue),
                           workshop={"id": w.id, "name": w.name, "organisation": w.organisation,
                                     "audience": AUDIENCE_FI[w.profile.audience],
                                     "learning_environments": w.profile.learning_environments},
                           files={"form": names["form"], "workbook": names["workbook-self"],
                                  "glossary": names["glossary"]},
                           pdfs=sorted(f"{n[:-5]}.pdf" for n in files if pdf and n.endswith(".docx")),
                           outside=number_ranges(outside), auditors=[a.name for a in assignment.get(w.id, ())])
    files[names["letter"]] = letter.text.encode("utf-8")
    return files


def _phase_one_packets(round_: Round, catalogue: Catalogue, assignment: Assignment, out: Path,
                       dirs: Mapping[str, str], templates: str | os.PathLike[str] | None) -> list[Mail]:
    """A zip per workshop kit and a notice per auditor (made anew on every run: they derive from the
    kits and the assignment), and the mailing list's rows for them."""
    mails: list[Mail] = []
    for w in round_.workshops:
        ws_dir = out / WORKSHOPS_DIR / dirs[w.id]
        if not ws_dir.is_dir():
            continue
        contents = {p.name: p.read_bytes() for p in sorted(ws_dir.iterdir()) if p.is_file()}
        zipped = out / PACKETS_DIR / f"{dirs[w.id]}.zip"
        write_bytes(zipped, zip_bytes({f"{dirs[w.id]}/{n}": d for n, d in contents.items()}), force=True)
        subject = subject_of(contents.get(LETTER, b"").decode("utf-8", "replace"))
        mails.append(Mail(w.name, w.email, subject, (ws_dir / LETTER).relative_to(out).as_posix(),
                          zipped.relative_to(out).as_posix()))
    people = auditors_of(round_, assignment)
    folders = auditor_dirs(people)
    context = letter_context(round_, catalogue)
    for key, (auditor, audits) in sorted(people.items()):
        listed = [{"id": w.id, "name": w.name, "municipality": w.municipality, "organisation": w.organisation,
                   **team_of(assignment.get(w.id, ()), auditor)} for w in audits]
        notice = render_letter("letters/auditoija.txt.j2", templates, **context,
                               auditor={"name": auditor.name, "email": auditor.email}, audits=listed)
        path = out / AUDITORS_DIR / folders[key] / NOTICE
        write_bytes(path, notice.text.encode("utf-8"), force=True)
        mails.append(Mail(auditor.name, auditor.email, notice.subject, path.relative_to(out).as_posix()))
    return mails


def write_manifest(round_: Round, catalogue: Catalogue, assignment: Assignment, out: Path) -> tuple[KitFile, ...]:
    """manifest.csv and manifest.xlsx over every file of the round folder: the workshops' kits, the
    notices, the audit packs, the letters and zips of both phases. Returns its rows."""
    cfg = round_.config
    rows: list[KitFile] = []
    dirs = workshop_dirs(round_)
    # A file made by an earlier run keeps the kit id it carries (an instance added to round.toml since
    # changes the id of kits made from now on, not of those already sent).
    sent = {(r.file, r.sha256): r.kit_id for r in read_manifest(out) if r.kit_id}

    def add(path: Path, recipient: str, email: str, rtype: str, w: Workshop | None, role: str, document: str) -> None:
        data = path.read_bytes()
        kid = kit_id(cfg.id, w.id, role, catalogue.hash, cfg.instance) if w is not None and role else ""
        kid = sent.get((path.relative_to(out).as_posix(), _sha(data)), kid) if kid else ""
        rows.append(KitFile(path.relative_to(out).as_posix(), recipient, email, rtype, w.id if w else "",
                            w.name if w else "", role, DOCUMENT_FI[document], kid, _sha(data), len(data),
                            catalogue.version))

    for w in round_.workshops:
        ws_dir, audit_dir = out / WORKSHOPS_DIR / dirs[w.id], out / AUDITS_DIR / dirs[w.id]
        for path in _files_under(ws_dir):
            role, document = _kind_of(dirs[w.id], path.relative_to(ws_dir).as_posix())
            add(path, w.name, w.email, "workshop", w, role, document)
        zipped = out / PACKETS_DIR / f"{dirs[w.id]}.zip"
        if zipped.is_file():
            add(zipped, w.name, w.email, "workshop", w, "", "zip")
        for path in _files_under(audit_dir):  # the audit pack goes to each member of the team
            role, document = _kind_of(dirs[w.id], path.relative_to(audit_dir).as_posix())
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
    write_csv(out / "manifest.csv", MANIFEST_COLUMNS, (r.row() for r in rows), force=True)
    write_with(out / "manifest.xlsx", lambda tmp: write_tables(
        tmp, [Sheet("Manifest", MANIFEST_COLUMNS, [[*r.row()[:10], r.bytes, r.content_version] for r in rows])]),
        force=True)
    return tuple(rows)


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def round_kit_ids(round_: Round) -> dict[str, tuple[str, str]]:
    """Kit id -> (workshop id, role) from the round's manifest; empty when no kit has been made."""
    return {r.kit_id: (r.workshop_id, r.role)
            for r in read_manifest(round_.config.output_dir / round_.config.id) if r.kit_id}


def forwarded_workshops(round_: Round) -> set[str]:
    """Ids of the workshops whose audit pack (an auditors' workbook) the manifest lists."""
    return {r.workshop_id for r in read_manifest(round_.config.output_dir / round_.config.id)
            if r.document == DOCUMENT_FI["workbook-peer"]}


def read_manifest(out_dir: Path) -> tuple[KitFile, ...]:
    """The manifest.csv of a round's output folder (empty when there is none), also as Excel saves it again
    (Windows-1252 or UTF-8, `;` or `,`)."""
    path = out_dir / "manifest.csv"
    if not path.is_file():
        return ()
    records, _problems = read_dicts(path, MANIFEST_COLUMNS)  # a broken manifest: its kit ids go unchecked
    rows = []
    for _place, record in records:
        try:
            size = int(record["bytes"] or 0)
        except ValueError:
            size = 0
        rows.append(replace(KitFile(*(record[c] for c in MANIFEST_COLUMNS)), bytes=size))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class RoundKit:
    """A whole `auditkit kit` run: the result, the assignment file written (if it was made now), the
    workshops given a team now (added to the round after its assignment) and the backup of the
    assignment file as it was before, warnings."""

    result: KitResult
    assignment_path: Path
    assignment_written: Path | None
    warnings: tuple[Problem, ...]
    assignment_extended: tuple[str, ...] = ()
    assignment_backup: Path | None = None


def kit_for_round(
    round_file: str | os.PathLike[str],
    catalogue: Catalogue,
    *,
    force: bool = False,
    only: Iterable[str] = (),
    templates: str | os.PathLike[str] | None = None,
    progress: Callable[[str], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    pdf: bool = False,
) -> RoundKit:
    """Load a round, take its assignment (the edited file, or a new one written beside round.toml for the
    record) and generate its kits. Raises RoundError with every problem of the round or the assignment.
    on_start is told how many workshops will be gone through."""
    from .assignment import kit_assignment, write_assignment

    round_ = load_round(round_file)
    cfg = round_.config
    existed = cfg.assignment_path.is_file()
    assignment, problems, added = kit_assignment(round_)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise RoundError(f"{cfg.assignment_path}: the assignment has {len(errors)} problem(s); "
                         "fix the file or run `auditkit assign --force` to make a new one", errors)
    written = backup = None
    if added:  # workshops added to the register after the assignment: the file gets their teams
        if cfg.assignment_path.suffix.lower() != ".csv":
            raise RoundError(f"{cfg.assignment_path}: workshops {', '.join(added)} have no auditors; "
                             "add rows for them in the file (auditkit adds teams only to a .csv assignment).")
        backup = _backup(cfg.assignment_path)
        write_assignment(assignment, cfg.assignment_path, force=True)
    elif not existed:
        written = write_assignment(assignment, cfg.assignment_path)
    if on_start:
        only_ids = {i.casefold() for i in only}
        on_start(sum(1 for w in round_.workshops if not only_ids or w.id.casefold() in only_ids))
    result = generate_kit(round_, catalogue, assignment, force=force, only=only, templates=templates,
                          progress=progress, pdf=pdf)
    late = [p for p in (passed_deadline(cfg, "self"),) if p is not None]
    return RoundKit(result, cfg.assignment_path, written, (*round_.problems, *late, *problems, *_long_paths(result)),
                    added, backup)


def _long_paths(result: KitResult) -> list[Problem]:
    """A warning when a kit file's full path is too long for Windows (Word and Excel cannot open it)."""
    base = str(result.out_dir.resolve())
    longest = max((f.file for f in result.files), key=len, default="")
    length = len(base) + 1 + len(longest) + len(".part")
    if length <= WINDOWS_MAX_PATH:
        return []
    return [Problem(str(result.out_dir), "", f"the longest path in the kit is {length} characters "
                    f"({base}{os.sep}{longest}); Windows, Word and Excel open none over {WINDOWS_MAX_PATH}. Move the "
                    "round folder nearer the top of the disk (e.g. C:\\Laatumerkki) or give a shorter output folder "
                    "in round.toml, then make the kits again with --force.", "warning")]


def _backup(path: Path) -> Path:
    """Copy a file the coordinator may have edited to the first free <name>.bak, <name>.bak2, … beside it."""
    n = 1
    while True:
        target = path.with_name(f"{path.name}.bak{n if n > 1 else ''}")
        if not target.exists():
            shutil.copy2(path, target)
            return target
        n += 1
