"""A round's kits: which documents for whom, file names, cover letters, zips and the manifest.

Phase one (`generate_kit`) sends each workshop its self-assessment kit and each auditor a notice of
their audits; phase two (forward.py) adds an audit pack per returned self-assessment. The manifest
lists the files of both phases and is written anew from the round's folders by every run of either.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from . import __version__, parallel
from .assignment import Assignment
from .catalogue import Catalogue, applies, number_ranges
from .contents import Contents, content_language
from .errors import AuditkitError, Problem, RoundError, UsageError, say
from .naming import (
    BUILT_DIR,
    WINDOWS_MAX_PATH,
    WORKSHOPS_DIR,
    file_names,
    safe_name,
    workshop_dirs,
)
from .letters import letter_context, render_letter, write_mailing_list
from .manifest import KitFile, file_digest
from .manifest import write_manifest as _write_manifest
from .packets import phase_one, workshop_zip
from .excel import build_workbook
from .labels import AUDIENCE, label
from .model import Auditor, DocumentContext, Workshop
from .office import PdfResult, find_soffice, pdf_copies
from .outputs import write_bytes
from .parallel import fork_map
from .resources import templates_dir
from .round import Round, document_language, load_round, passed_deadline
from .stamping import Blueprint, placeholder_context, values_of
from .word import build_form, build_glossary

MAILING_LIST = "postituslista.csv"
# From this many kits on, they are stamped and written on every core where workers are forked (they start in
# milliseconds). A spawned worker, as on Windows, starts in about a second: longer than 300 kits take in turn.
PARALLEL_FROM = 60


@dataclass(frozen=True, slots=True)
class KitResult:
    """What `generate_kit` did: the round's output folder, workshops made and skipped, the manifest, the
    distinct documents built now and those reused from an earlier kit; with --pdf, the PDFs made and what
    kept others from being made."""

    out_dir: Path
    made: tuple[str, ...]
    skipped: tuple[str, ...]
    files: tuple[KitFile, ...]
    documents_built: int
    pdfs: tuple[Path, ...] = ()
    pdf_problems: tuple[Problem, ...] = ()
    documents_reused: int = 0  # distinct documents taken as an earlier kit built them


def kit_id(round_id: str, workshop_id: str, role: str, content_hash: str, instance: str = "") -> str:
    """A kit id that names the workshop and role, and changes with the round (its id and instance) and the
    content. A round without an instance (round.toml of an earlier version) keeps the ids it had."""
    key = f"{round_id}\n{workshop_id}\n{role}\n{content_hash}" + (f"\n{instance}" if instance else "")
    digest = hashlib.sha256(key.encode()).hexdigest()[:8]
    return f"{safe_name(workshop_id, 24).replace(' ', '_')}-{role}-{digest}"


def _normalise(kind: str, ctx: DocumentContext) -> tuple[tuple, DocumentContext]:
    """The blueprint key of a document and the context it is stamped with.

    Only what a document depends on goes into its key: the fewer distinct documents, the faster.
    """
    if kind in ("form", "workbook-self", "glossary"):
        ctx = replace(ctx, auditors=())  # the workshop's own documents name no auditors
    profile = None if kind == "glossary" else ctx.workshop.profile
    return (kind, profile, ctx.audit_type, len(ctx.auditors), ctx.language), ctx


def _build_task(shared: tuple[Contents, str | os.PathLike[str] | None],
                item: tuple[str, DocumentContext]) -> tuple[bytes, Blueprint]:
    contents, templates = shared
    kind, ctx = item
    return _built(kind, contents.for_language(ctx.language) or contents.main, ctx, templates)


def _built(kind: str, catalogue: Catalogue, ctx: DocumentContext,
           templates: str | os.PathLike[str] | None) -> tuple[bytes, Blueprint]:
    """One document built with placeholders: its bytes and its blueprint (runs in a worker process for a
    large round)."""
    template = placeholder_context(ctx)
    if kind == "form":
        data = build_form(catalogue, template, templates=templates)
    elif kind == "glossary":
        data = build_glossary(catalogue, template, templates=templates)
    elif kind == "report":
        from .word import build_audit_report  # draws the workshop's profile: matplotlib, which the kit never needs

        data = build_audit_report(catalogue, template, templates=templates)
    elif kind in ("workbook-self", "workbook-peer"):
        data = build_workbook(catalogue, template, templates=templates)
    else:
        raise UsageError(kind)
    return data, Blueprint(data, known=set(values_of(template)))


class _Built:
    """The distinct documents of the round's kits as built, kept for the next kit beside the round's folder
    (<output>/.pohjat/<round id>/), so that the round's folder holds only what its manifest lists.

    A document is found by a hash of everything it is made from: the content, the templates (every file of
    the user's folder and the bundled one), auditkit's code and version, the libraries that write the
    files, and the document's own inputs (its kind and its context with placeholders: the round's name and
    deadlines, the profile, the team's size). Anything changed, the document is built anew. Only the
    current set of content, templates and code is kept (a folder named by its hash); each file is written
    atomically, and one that cannot be read is built again.
    """

    def __init__(self, out: Path, catalogue: Catalogue | Contents, templates: str | os.PathLike[str] | None) -> None:
        contents = catalogue if isinstance(catalogue, Contents) else Contents(catalogue)
        self.root = out.parent / BUILT_DIR / out.name
        self.folder = self.root / _environment(contents.main, templates)
        # A round in several languages: each language's documents beside those of its content.
        self.folders = {content_language(c): self.root / _environment(c, templates) for c in contents.others}

    def path(self, kind: str, ctx: DocumentContext) -> Path:
        inputs = {"kind": kind, "context": asdict(placeholder_context(ctx))}
        text = json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str)
        digest = hashlib.sha256(text.encode()).hexdigest()
        suffix = ".xlsx" if kind.startswith("workbook") else ".docx"
        return self.folders.get(ctx.language, self.folder) / f"{kind}-{digest[:32]}{suffix}"

    def get(self, kind: str, ctx: DocumentContext) -> Blueprint | None:
        """The document as built before, or None (not built yet, or unreadable: then it is built again)."""
        try:
            return Blueprint(self.path(kind, ctx).read_bytes(), known=set(values_of(placeholder_context(ctx))))
        except (OSError, ValueError, AuditkitError, zipfile.BadZipFile, zlib.error):
            return None

    def put(self, kind: str, ctx: DocumentContext, data: bytes) -> None:
        """Keep a document just built; a cache that cannot be written only means building it again next time."""
        with contextlib.suppress(OSError, AuditkitError):
            write_bytes(self.path(kind, ctx), data, force=True)

    def prune(self) -> None:
        """Remove what was built from other content, templates or code (never to be asked for again)."""
        with contextlib.suppress(OSError):
            for old in self.root.iterdir():
                if old != self.folder and old not in self.folders.values() and old.is_dir():
                    shutil.rmtree(old, ignore_errors=True)


def _environment(catalogue: Catalogue, templates: str | os.PathLike[str] | None) -> str:
    """A hash of what every kit document of a run is made from besides its own inputs."""
    import docx
    import openpyxl

    digest = hashlib.sha256(f"{__version__}\n{catalogue.hash}\n{docx.__version__}\n{openpyxl.__version__}\n".encode())
    package = Path(__file__).resolve().parent
    folders = [("code", package, "*.py"), *([("user", Path(templates), "*")] if templates else []),
               ("bundled", templates_dir(), "*")]
    for label, folder, pattern in folders:
        for path in sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
            digest.update(f"{label}/{path.relative_to(folder).as_posix()}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:24]


class _Builder:
    """Builds each distinct document once (per kind, profile, audit type, team size and language) and stamps.

    built: where documents built for an earlier kit of the round are kept and found again (None: nowhere).
    """

    def __init__(self, catalogue: Catalogue | Contents, templates: str | os.PathLike[str] | None,
                 built: _Built | None = None) -> None:
        self.contents = catalogue if isinstance(catalogue, Contents) else Contents(catalogue)
        self.templates = templates
        self.built = built
        self.blueprints: dict[tuple, Blueprint] = {}
        self.reused = 0

    def prepare(self, wanted: Iterable[tuple[str, DocumentContext]]) -> None:
        """Build the distinct documents of these that were not built before, in parallel on every core
        when there are several."""
        todo: dict[tuple, tuple[str, DocumentContext]] = {}
        for kind, ctx in wanted:
            key, norm = _normalise(kind, ctx)
            if key in self.blueprints or key in todo:
                continue
            found = self.built.get(kind, norm) if self.built else None
            if found is not None:
                self.blueprints[key] = found
                self.reused += 1
            else:
                todo[key] = (kind, norm)
        built = fork_map(_build_task, (self.contents, self.templates), todo.values(), parallel_from=4)
        for key, (data, blueprint) in zip(todo, built):
            self.blueprints[key] = blueprint
            if self.built:
                self.built.put(*todo[key], data)

    @property
    def built_now(self) -> int:
        return len(self.blueprints) - self.reused

    def document(self, kind: str, ctx: DocumentContext) -> bytes:
        key, ctx = _normalise(kind, ctx)
        if key not in self.blueprints:
            self.prepare([(kind, ctx)])
        return self.blueprints[key].stamp(values_of(ctx))


def write_folder(target: Path, files: Mapping[str, bytes], force: bool) -> None:
    """Write a folder of files (names may hold a subfolder: "a/b.xlsx") in one step: into a hidden
    sibling first, then renamed into place. Raises RoundError when it exists and force is not set."""
    staging = target.with_name(f".{target.name}.part")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    for name, data in files.items():
        if "/" in name:
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
        with open(staging / name, "wb") as handle:
            handle.write(data)
    if target.exists():
        if not force:
            shutil.rmtree(staging)
            raise RoundError(say("{path}: the kit exists; add --force to make it again.", path=str(target)))
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
    contents: Contents | None = None,
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

    contents: the round's content in each of its workshops' languages (catalogue is the main one, whose hash
    the kit ids carry); each workshop's documents are made from the content in its language.
    """
    cfg = round_.config
    contents = contents or Contents(catalogue)
    out = cfg.output_dir / cfg.id
    by_id = {w.id.casefold(): w for w in round_.workshops}
    wanted = {i.casefold() for i in only}
    unknown = sorted(i for i in only if i.casefold() not in by_id)
    if unknown:
        raise RoundError(say("--only: no workshop with id {ids} in {register}; check the id.", ids=", ".join(unknown),
                             register=str(cfg.register_path)))
    check_languages(round_, contents, [w for w in round_.workshops if not wanted or w.id.casefold() in wanted])
    dirs = workshop_dirs(round_)
    builder = _Builder(contents, templates, _Built(out, contents, templates))
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
    known: dict[Path, tuple[str, int]] = {}
    job = _Job(builder, round_, catalogue, dirs, out, force, pdf)
    teams = [(w, tuple(a.name for a in assignment.get(w.id, ()))) for w in todo]
    parallel_from = PARALLEL_FROM if parallel.context().get_start_method() == "fork" else len(teams) + 1
    for w, digests in zip(todo, fork_map(_make_kit, job, teams, parallel_from=parallel_from, chunksize=8)):
        known.update(digests)
        made.append(w.id)
        if progress:
            progress(w.id)
    if pdf:
        copies = pdf_copies([p for w in todo for p in sorted((out / WORKSHOPS_DIR / dirs[w.id]).glob("*.docx"))])
    mails = phase_one(round_, catalogue, assignment, out, dirs, templates, () if pdf else made, contents)
    write_mailing_list(out / MAILING_LIST, mails, cfg.language)
    files = write_manifest(round_, catalogue, assignment, out, known)
    if builder.built and todo:
        builder.built.prune()
    return KitResult(out, tuple(made), tuple(skipped), files, builder.built_now, copies.made, copies.problems,
                     builder.reused)


def write_manifest(round_: Round, catalogue: Catalogue, assignment: Assignment, out: Path,
                   known: Mapping[Path, tuple[str, int]] | None = None) -> tuple[KitFile, ...]:
    """The round's manifest (manifest.write_manifest) with this round's kit ids; known: the SHA-256 and size
    of files just written."""
    cfg = round_.config
    return _write_manifest(round_, catalogue, assignment, out, lambda workshop_id, role: kit_id(
        cfg.id, workshop_id, role, catalogue.hash, cfg.instance), known)


@dataclass(frozen=True, slots=True)
class _Job:
    """What every workshop's kit is made with (inherited by the worker processes, or pickled once for them)."""

    builder: _Builder
    round_: Round
    catalogue: Catalogue
    dirs: Mapping[str, str]
    out: Path
    force: bool
    pdf: bool


def _make_kit(job: _Job, item: tuple[Workshop, tuple[str, ...]]) -> dict[Path, tuple[str, int]]:
    """Write one workshop's kit folder and, unless PDFs are still to be added, its zip (a job of a worker
    process for a large round). Returns the SHA-256 and size of each file written, for the manifest."""
    w, team = item
    folder = job.out / WORKSHOPS_DIR / job.dirs[w.id]
    files = _workshop_files(job.builder, job.round_, job.catalogue, w, team, job.dirs[w.id], pdf=job.pdf)
    write_folder(folder, files, job.force)
    digests = {folder / name: file_digest(data) for name, data in files.items()}
    if not job.pdf:
        path, data = workshop_zip(job.out, job.dirs[w.id], files)
        write_bytes(path, data, force=True)
        digests[path] = file_digest(data)
    return digests


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
        language=document_language(round_, w),
    )


def check_languages(round_: Round, catalogue: Catalogue | Contents, workshops: Iterable[Workshop]) -> None:
    """Refuse, before anything is written, workshops whose documents cannot be made in their language: the
    criteria, concepts and scale come from the content, so a workshop needs the round's content in its language.

    Raises RoundError naming each such workshop and the fix (--content a folder in that language, or the
    register's kieli)."""
    contents = catalogue if isinstance(catalogue, Contents) else Contents(catalogue)
    wrong = [(w, document_language(round_, w)) for w in workshops
             if contents.for_language(document_language(round_, w)) is None]
    if not wrong:
        return
    cfg = round_.config
    given = ", ".join(f"{c.path} ({_language_name(content_language(c))})" for c in contents.all)
    problems = [Problem(str(cfg.register_path), "", say(
        "{workshop} ({id}) works in {language} ({code}), but no content folder is in {language} (given: {given}); "
        "give --content a content folder in {language} too, or change the workshop's kieli in the register.",
        workshop=w.name, id=w.id, language=_language_name(lang), code=lang, given=given),
        code="content-language-missing")
        for w, lang in wrong]
    raise RoundError(say("{count} workshop(s) cannot have their documents made in their language; nothing was "
                         "written:", count=len(problems)), problems)


def _language_name(code: str) -> str:
    from .i18n import LANGUAGES

    return LANGUAGES[code].name if code in LANGUAGES else code


def _workshop_files(builder: _Builder, round_: Round, catalogue: Catalogue, w: Workshop,
                    team: Sequence[str], dir_name: str, *, pdf: bool = False) -> dict[str, bytes]:
    """The workshop's documents and its letter, which names them (and their PDF copies, when made) and its
    auditors (team: their names)."""
    ctx = document_context(round_, catalogue, w, "self", ())
    names = file_names(dir_name)
    files = {
        names["form"]: builder.document("form", ctx),
        names["workbook-self"]: builder.document("workbook-self", ctx),
        names["glossary"]: builder.document("glossary", ctx),
    }
    outside = [c.number for c in catalogue.criteria if not applies(c, w.profile)]
    letter = render_letter("letters/tyopaja.txt.j2", builder.templates,
                           **letter_context(round_, builder.contents.for_language(ctx.language) or catalogue,
                                            ctx.language),
                           workshop={"id": w.id, "name": w.name, "organisation": w.organisation,
                                     "audience": label(AUDIENCE, w.profile.audience, ctx.language),
                                     "learning_environments": w.profile.learning_environments},
                           files={"form": names["form"], "workbook": names["workbook-self"],
                                  "glossary": names["glossary"]},
                           pdfs=sorted(f"{n[:-5]}.pdf" for n in files if pdf and n.endswith(".docx")),
                           outside=number_ranges(outside), auditors=list(team))
    files[names["letter"]] = letter.text.encode("utf-8")
    return files


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
    contents: Contents | None = None,
) -> RoundKit:
    """Load a round, take its assignment (the edited file, or a new one written beside round.toml for the
    record) and generate its kits. Raises RoundError with every problem of the round or the assignment.
    on_start is told how many workshops will be gone through. contents: the round's content in each of its
    workshops' languages (see generate_kit)."""
    from .assignment import kit_assignment, write_assignment

    round_ = load_round(round_file)
    cfg = round_.config
    only_ids = {i.casefold() for i in only}
    check_languages(round_, contents or catalogue, [w for w in round_.workshops if not only_ids or
                                                    w.id.casefold() in only_ids])  # before the assignment is written
    existed = cfg.assignment_path.is_file()
    assignment, problems, added = kit_assignment(round_)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise RoundError(say("{path}: the assignment has {count} problem(s); fix the file or run `auditkit assign "
                             "--force` to make a new one", path=str(cfg.assignment_path), count=len(errors)), errors)
    written = backup = None
    if added:  # workshops added to the register after the assignment: the file gets their teams
        if cfg.assignment_path.suffix.lower() != ".csv":
            raise RoundError(say("{path}: workshops {ids} have no auditors; add rows for them in the file (auditkit "
                                 "adds teams only to a .csv assignment).", path=str(cfg.assignment_path),
                                 ids=", ".join(added)))
        backup = _backup(cfg.assignment_path)
        write_assignment(assignment, cfg.assignment_path, force=True, lang=cfg.language)
    elif not existed:
        written = write_assignment(assignment, cfg.assignment_path, lang=cfg.language)
    if on_start:
        on_start(sum(1 for w in round_.workshops if not only_ids or w.id.casefold() in only_ids))
    result = generate_kit(round_, catalogue, assignment, force=force, only=only, templates=templates,
                          progress=progress, pdf=pdf, contents=contents)
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
    return [Problem(str(result.out_dir), "", say(
        "the longest path in the kit is {length} characters ({path}); Windows, Word and Excel open none over {limit}. "
        "Move the round folder nearer the top of the disk (e.g. C:\\Laatumerkki) or give a shorter output folder in "
        "round.toml, then make the kits again with --force.", length=length, path=base + os.sep + longest,
        limit=WINDOWS_MAX_PATH), "warning", "path-too-long")]


def _backup(path: Path) -> Path:
    """Copy a file the coordinator may have edited to the first free <name>.bak, <name>.bak2, … beside it."""
    n = 1
    while True:
        target = path.with_name(f"{path.name}.bak{n if n > 1 else ''}")
        if not target.exists():
            shutil.copy2(path, target)
            return target
        n += 1
