"""Phase two of a round: an audit pack per returned self-assessment, for the workshop's auditors.

`auditkit forward` reads what has come back the way compile does (identity, manifest, duplicates),
and for each workshop whose self-assessment is back (its workbook, its form, or both) writes
auditoinnit/<workshop>/: the auditors' workbook with the workshop's ratings and reasons filled in and
locked, the audit report with the workshop's ratings and means, and the workshop's returned files as
they came. Then a letter and a zip per auditor, a mailing list of this run's new packs, and the
manifest, so that compile takes the auditors' workbooks as this round's.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .assignment import assignment_as_sent
from .catalogue import Catalogue, number_ranges, profile_reason
from .choices import CHOICES_FILE, Unresolved, update_choices_file
from .compile import compile_round
from .contents import Contents, readers
from .results import RoundResult, WorkshopResult
from .errors import Problem, RoundError, say
from .excel import build_workbook, read_workbook
from .excel.book import MISSING_RATING
from .i18n import C_, wording
from .kit import check_languages, document_context, write_folder, write_manifest
from .manifest import KitFile, read_manifest, round_kit_ids
from .packets import phase_two
from .naming import (
    AUDITS_DIR,
    RETURNED_DIR,
    file_names,
    workshop_dirs,
)
from .letters import Mail, write_mailing_list
from .model import Auditor, DocumentContext, ForwardedSelfAssessment, Returned, Workshop
from .outputs import XML_FORBIDDEN
from .parallel import fork_map
from .round import load_round, passed_deadline
from .word import build_audit_report, read_form

MAILING_LIST = "postituslista-auditoinnit.csv"


@dataclass(frozen=True, slots=True)
class Pack:
    """An audit pack made now: the workshop, its folder, its auditors, and what its auditors must know.

    missing: criteria the workshop gave no rating (every one when its workbook is not back);
    workbook_back / form_back: which of the self-assessment's files came back.
    """

    workshop: Workshop
    folder: Path
    auditors: tuple[Auditor, ...]
    missing: tuple[int, ...]
    workbook_back: bool
    form_back: bool


@dataclass(frozen=True, slots=True)
class ForwardResult:
    """What `forward_round` did.

    made: packs made now; kept: ids whose pack existed and was left as it was; newer: ids of kept packs
    whose workshop has returned something since (remake with --force); not_back: workshops whose
    self-assessment is not back (no pack); no_team: workshops without auditors in the assignment;
    problems: problems in the returned self-assessments (sent on in the packs as they are);
    mails: the mailing list's rows (auditors with a new pack); files: the manifest's rows.
    """

    out_dir: Path
    made: tuple[Pack, ...]
    kept: tuple[str, ...]
    newer: tuple[str, ...]
    not_back: tuple[Workshop, ...]
    no_team: tuple[Workshop, ...]
    problems: tuple[Problem, ...]
    mails: tuple[Mail, ...]
    mailing_list: Path
    files: tuple[KitFile, ...]
    warnings: tuple[Problem, ...] = ()
    # Workshops whose self-assessment came back in copies that differ: no pack until the coordinator
    # chooses (valinnat.csv, listed in choices_file), so the auditors never start from the wrong one.
    unresolved: tuple[Unresolved, ...] = ()
    choices_file: Path | None = None
    choices_added: int = 0

    @property
    def clean(self) -> bool:
        """True when no returned self-assessment had a problem and every pack could be made."""
        return not self.problems and not self.no_team


def forward_round(
    round_file: str | os.PathLike[str],
    catalogue: Catalogue,
    returned: Sequence[Path],
    *,
    force: bool = False,
    only: Iterable[str] = (),
    templates: str | os.PathLike[str] | None = None,
    progress: Callable[[Path], None] | None = None,
    on_packs: Callable[[int], None] | None = None,
    pack_done: Callable[[str], None] | None = None,
    contents: Contents | None = None,
) -> ForwardResult:
    """Make the audit pack of every workshop whose self-assessment is back, under <output>/<round id>/.

    Packs that exist are kept unless force is set (only: the workshop ids to consider). progress is
    called with each returned file as it is read; on_packs with how many packs will be made, then
    pack_done with each workshop id as its pack is written. Raises
    RoundError when the round has no kit yet (run `auditkit kit` first), the assignment file is
    missing or broken, or an id in only is not in the register. contents: the round's content in each of its
    workshops' languages (catalogue the main one); each pack is made from the content in its workshop's.
    """
    contents = contents or Contents(catalogue)
    round_ = load_round(round_file)
    cfg = round_.config
    out = cfg.output_dir / cfg.id
    if not read_manifest(out):
        raise RoundError(say("{folder}: no kit has been made for this round (no manifest.csv); run `auditkit kit "
                             "{round_file}` first: phase two starts from what phase one sent.", folder=str(out),
                             round_file=str(round_file)))
    by_id = {w.id.casefold(): w for w in round_.workshops}
    unknown = sorted(i for i in only if i.casefold() not in by_id)
    if unknown:
        raise RoundError(say("--only: no workshop with id {ids} in {register}; check the id.", ids=", ".join(unknown),
                             register=str(cfg.register_path)))
    check_languages(round_, contents, [w for w in round_.workshops if not only or w.id.casefold() in
                                        {i.casefold() for i in only}])
    assignment = assignment_as_sent(round_)
    workbooks, forms = readers(read_workbook, read_form, contents)
    result = compile_round(catalogue, list(returned), round_=round_, kit_ids=round_kit_ids(round_),
                           read_workbook=workbooks, read_form=forms, progress=progress)  # type: ignore[arg-type]
    wanted = {i.casefold() for i in only}
    dirs = workshop_dirs(round_)
    todo: list[tuple[Workshop, WorkshopResult, tuple[Auditor, ...], Path, str, dict[str, bytes]]] = []
    kept, newer, not_back, no_team = [], [], [], []
    for wr in result.workshops:
        w = wr.workshop
        if wanted and w.id.casefold() not in wanted:
            continue
        if not wr.returned_self:
            not_back.append(w)
            continue
        if any(role in ("self", "form") for role in wr.unresolved):
            continue  # the copies differ: said in unresolved, no pack until the coordinator chooses
        team = assignment.get(w.id, ())
        if not team:
            no_team.append(w)
            continue
        folder = out / AUDITS_DIR / dirs[w.id]
        files = _returned_files(wr)
        if folder.exists() and not force:
            kept.append(w.id)
            if _pack_returns(folder) != {name: _sha(data) for name, data in files.items()}:
                newer.append(w.id)
            continue
        todo.append((w, wr, team, folder, dirs[w.id], files))
    jobs = [(document_context(round_, catalogue, w, "peer", team), _prefill(wr), wr) for w, wr, team, *_ in todo]
    if on_packs:
        on_packs(len(jobs))
    built = fork_map(_build_pack, (contents, templates), jobs, parallel_from=PARALLEL_FROM)
    made: list[Pack] = []
    for (w, wr, team, folder, dir_name, files), (workbook, report, missing) in zip(todo, built):
        names = file_names(dir_name)
        write_folder(folder, {names["workbook-peer"]: workbook, names["report"]: report, **files}, force=True)
        made.append(Pack(w, folder, team, missing, wr.self_workbook is not None, wr.form is not None))
        if pack_done:
            pack_done(w.id)
    mails = phase_two(round_, catalogue, assignment, out, dirs, {p.workshop.id for p in made}, templates, contents)
    mailing_list = write_mailing_list(out / MAILING_LIST, mails, cfg.language)
    manifest = write_manifest(round_, catalogue, assignment, out)
    late = [p for p in (passed_deadline(cfg, "audit"),) if p is not None]
    pending = tuple(u for u in result.unresolved if u.role in ("self", "form")
                    and (not wanted or u.workshop_id.casefold() in wanted))
    choices_file = cfg.base_dir / CHOICES_FILE
    added, trouble = update_choices_file(choices_file, pending, cfg.language)
    return ForwardResult(out, tuple(made), tuple(kept), tuple(newer), tuple(not_back), tuple(no_team),
                         _self_problems(result), tuple(mails), mailing_list, manifest,
                         (*round_.problems, *late, *trouble), pending, choices_file, added)


def _returned_files(wr: WorkshopResult) -> dict[str, bytes]:
    """The workshop's returned self-assessment files as they came, by their own names."""
    files: dict[str, bytes] = {}
    for r in (wr.self_workbook, wr.form):
        if r is not None:
            files[f"{RETURNED_DIR}/{Path(r.file).name}"] = Path(r.file).read_bytes()
    return files


def _pack_returns(folder: Path) -> dict[str, str]:
    returned = folder / RETURNED_DIR
    if not returned.is_dir():
        return {}
    return {f"{RETURNED_DIR}/{p.name}": _sha(p.read_bytes()) for p in returned.iterdir() if p.is_file()}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# From this many packs on, they are built by a worker per core (a pack's two documents take ~0.2 s).
PARALLEL_FROM = 4


def _build_pack(shared: tuple[Contents, str | os.PathLike[str] | None],
                job: tuple[DocumentContext, Returned, WorkshopResult]) -> tuple[bytes, bytes, tuple[int, ...]]:
    """The auditors' workbook and report of one pack, made from the content in the workshop's language, and
    the criteria the workshop gave no rating (runs in a worker process for a large round)."""
    contents, templates = shared
    ctx, prefill, wr = job
    catalogue = contents.for_language(ctx.language) or contents.main
    shown = forwarded_view(catalogue, wr, prefill, ctx.language)
    missing = tuple(n for n, label in shown.ratings.items() if label == missing_rating(ctx.language))
    return (build_workbook(catalogue, ctx, prefill=prefill, templates=templates),
            build_audit_report(catalogue, ctx, templates=templates, self_assessment=shown), missing)


def _prefill(wr: WorkshopResult) -> Returned:
    """The self-assessment as the auditors' workbook shows it: as compile put it together, named by
    the files it came from and the time the last of them was saved."""
    sources = [r for r in (wr.self_workbook, wr.form) if r is not None]
    # A file's name came from outside: it goes into a cell and a document property as text.
    return Returned(XML_FORBIDDEN.sub("", ", ".join(Path(r.file).name for r in sources)),
                    "workbook" if wr.self_workbook is not None else "form",
                    sources[0].identity, tuple(wr.self_answers[n] for n in sorted(wr.self_answers)),
                    saved_at=max((r.saved_at for r in sources), default=""))


_NO_RATING = C_("rating", "No rating")


def missing_rating(lang: str) -> str:
    """What the audit report shows for a criterion the workshop gave no rating ("Ei arviota")."""
    if lang == "fi":
        return MISSING_RATING  # as the auditors' workbook shows it
    return wording("messages", lang).pgettext("rating", _NO_RATING)


def forwarded_view(catalogue: Catalogue, wr: WorkshopResult, prefill: Returned,
                   lang: str = "fi") -> ForwardedSelfAssessment:
    """What the audit report shows of the self-assessment: ratings, reasons, means and notes, in the
    report's language."""
    _ = wording("messages", lang)
    no_rating = missing_rating(lang)
    scale = catalogue.scale
    scores = wr.self_scores
    assert scores is not None  # a pack is made only for a returned self-assessment
    ratings, reasons = {}, {}
    for c in catalogue.criteria:
        e = scores.criteria[c.number]
        answer = wr.self_answers.get(c.number)
        reason = answer.texts.get("reasoning", "") if answer is not None else ""
        if e.source == "rating" and e.value is not None:
            ratings[c.number] = scale.level(e.value).label
        elif e.not_applicable:
            ratings[c.number] = scale.not_applicable.label
            reason = reason or (profile_reason(c, wr.workshop.profile, lang) if e.source == "profile" else "")
        else:
            ratings[c.number] = no_rating
        if reason:
            reasons[c.number] = reason
    means = {g.id: (g.mean, g.assessable) for g in (*scores.areas, *scores.elements)}
    missing = [n for n, label in ratings.items() if label == no_rating]
    notes = []
    if wr.self_workbook is None:
        notes.append(_("The workshop has not returned its self-assessment workbook, which holds its ratings: the "
                       "ratings are missing (”{missing}”). The workshop's descriptions are in the "
                       "self-assessment form it returned.", missing=no_rating))
    elif missing:
        notes.append(_.ngettext("The workshop gave no rating for criterion {numbers} (”{missing}”).",
                                "The workshop gave no rating for criteria {numbers} (”{missing}”).",
                                len(missing), numbers=number_ranges(missing), missing=no_rating))
    if wr.form is None:
        notes.append(_("The workshop has not returned its self-assessment form: its descriptions of its current "
                       "practices and evidence are missing."))
    saved = _(" (saved {date})", date=_.date(prefill.saved_at[:10])) if prefill.saved_at else ""
    return ForwardedSelfAssessment(MappingProxyType(ratings), MappingProxyType(reasons), MappingProxyType(means),
                                   f"{prefill.file}{saved}", tuple(notes))


def _self_problems(result: RoundResult) -> tuple[Problem, ...]:
    """The problems of the returned files that are not the auditors' (forward sends self-assessments on)."""
    roles = {f.file: f.role for f in result.files}
    return tuple(p for p in result.file_problems if roles.get(p.file, "") in ("self", ""))
