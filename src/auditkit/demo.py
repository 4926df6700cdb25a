"""`auditkit demo`: a whole round on the bundled example through both phases, with simulated returns
and realistic mistakes."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalogue import Catalogue, applies
from .choices import CHOICES_FILE, FILE, USE, read_choices, write_choices
from .compile import compile_round
from .contents import Contents
from .results import RoundResult
from .errors import AuditkitError, say
from .excel import fill_workbook, read_workbook
from .excel.fill import Value
from .excel.contract import acceptance
from .forward import ForwardResult, forward_round
from .kit import kit_for_round
from .manifest import document_of, read_manifest, round_manifest
from .model import Workshop
from .report import Outputs, write_outputs
from .round import Round, document_language, init_round, load_round
from .status import RoundStatus, round_status
from .word import fill_form, read_form

PRACTICE = (
    "Käytäntö on kirjattu toimintasuunnitelmaan ja käyty läpi koko henkilöstön kanssa.",
    "Asiasta on sovittu tiimipalaverissa, mutta kirjallinen kuvaus puuttuu vielä.",
    "Toimintatapa on käytössä kaikissa pajoissa, ja sitä seurataan kuukausittain.",
    "Käytäntöä kokeillaan tänä vuonna kahdessa pajassa ennen laajempaa käyttöönottoa.",
    "Toimintaa arvioidaan vuosittain yhdessä ohjausryhmän kanssa ja kehitetään palautteen pohjalta.",
)
REASONS = ("Käytäntö on kirjattu ja käytössä kaikissa pajoissa.", "Käytäntö on sovittu, mutta ei vielä kirjattu.",
           "Toimintaa seurataan kuukausittain.", "Kokeilu on käynnissä kahdessa pajassa.",
           "Toimintaa arvioidaan ja kehitetään vuosittain.")
EVIDENCE = ("Toimintasuunnitelma 2026, s. 4–6", "Henkilöstöpalaverin muistio 3/2026", "Sovari-raportti 2025",
            "Valmennussuunnitelman pohja", "Asiakaspalautteen yhteenveto", "Perehdytyskansio")
STRENGTHS = ("Henkilöstö on sitoutunut ja tuntee käytännön hyvin.", "Valmentautujat osallistuvat suunnitteluun.",
             "Yhteistyö kunnan palveluiden kanssa on tiivistä.", "Seuranta on säännöllistä ja dokumentoitua.")
DEVELOPMENT = ("Käytäntö tulisi kirjata ja viestiä myös sidosryhmille.", "Seurantatietoa ei vielä käytetä suunnittelussa.",
               "Käytäntö riippuu yksittäisistä työntekijöistä.", "Palautetta kerätään, mutta siihen ei reagoida järjestelmällisesti.")
# The action a workshop plans for each development target above, in the same order.
ACTIONS = ("Kirjataan käytäntö toimintakäsikirjaan ja esitellään se yhteistyökumppaneille.",
           "Seurantatiedot käydään läpi vuosisuunnittelussa, ja niistä kirjataan johtopäätökset.",
           "Laaditaan yhteinen ohje ja perehdytetään koko henkilöstö siihen.",
           "Sovitaan palautteen käsittely tiimipalaverin vakioasiaksi kerran kuukaudessa.")
OWNERS = ("Pajakoordinaattori", "Toiminnanjohtaja", "Työvalmentaja Aino Lehto", "Yksilövalmentaja Mikko Salo",
          "Johtoryhmä")
DUE = ("31.12.2026", "31.5.2027", "30.9.2027", "kevät 2027", "syksy 2027")
NA_REASON = "Työpajallamme ei ole tätä toimintaa, joten kriteeri ei koske meitä."
QUESTION = "Miten muut pajat ovat ratkaisseet tämän?"
PEER_NA_OK, PEER_REASON = "Perustelu on uskottava.", "Arvio perustuu haastatteluihin ja nähtyihin asiakirjoihin."
PEER_NA_REJECTED, PEER_NA_FORGOTTEN = "Toimintaa on, vaikka sitä ei ole tunnistettu.", "Taustaorganisaatio on kunta."
TYPO = "kolme"
# The same answers as a Swedish-speaking workshop and its auditors write them (a Swedish demo round).
SWEDISH: dict[str, object] = {
    "PRACTICE": (
        "Praxisen är inskriven i verksamhetsplanen och har gåtts igenom med hela personalen.",
        "Saken har avtalats på ett teammöte, men en skriftlig beskrivning saknas ännu.",
        "Arbetssättet används i alla verkstäder och följs upp varje månad.",
        "Praxisen prövas i år i två verkstäder innan den tas i bruk mer allmänt.",
        "Verksamheten utvärderas årligen tillsammans med styrgruppen och utvecklas utifrån responsen.",
    ),
    "REASONS": ("Praxisen är inskriven och används i alla verkstäder.", "Praxisen är avtalad men ännu inte inskriven.",
                "Verksamheten följs upp varje månad.", "Ett försök pågår i två verkstäder.",
                "Verksamheten utvärderas och utvecklas årligen."),
    "EVIDENCE": ("Verksamhetsplan 2026, s. 4–6", "Promemoria från personalmöte 3/2026", "Sovari-rapport 2025",
                 "Mall för coachningsplan", "Sammandrag av kundresponsen", "Introduktionspärm"),
    "STRENGTHS": ("Personalen är engagerad och känner väl till praxisen.", "Deltagarna är med i planeringen.",
                  "Samarbetet med kommunens tjänster är nära.", "Uppföljningen är regelbunden och dokumenterad."),
    "DEVELOPMENT": ("Praxisen borde skrivas in och meddelas även intressenterna.",
                    "Uppföljningsdata används ännu inte i planeringen.",
                    "Praxisen hänger på enskilda anställda.",
                    "Respons samlas in, men den följs inte upp systematiskt."),
    "ACTIONS": ("Praxisen skrivs in i verksamhetshandboken och presenteras för samarbetsparterna.",
                "Uppföljningsdata gås igenom i årsplaneringen, och slutsatserna skrivs ner.",
                "En gemensam anvisning utarbetas och hela personalen introduceras i den.",
                "Behandlingen av respons blir en stående punkt på teammötet en gång i månaden."),
    "OWNERS": ("Verkstadskoordinator", "Verksamhetsledare", "Arbetscoach Anna Lind", "Individuell coach Mikael Sand",
               "Ledningsgruppen"),
    "DUE": ("31.12.2026", "31.5.2027", "30.9.2027", "våren 2027", "hösten 2027"),
    "NA_REASON": "Vår verkstad har inte den här verksamheten, så kriteriet gäller inte oss.",
    "QUESTION": "Hur har andra verkstäder löst det här?",
    "PEER_NA_OK": "Motiveringen är trovärdig.",
    "PEER_REASON": "Bedömningen grundar sig på intervjuer och dokument vi har sett.",
    "PEER_NA_REJECTED": "Verksamheten finns, även om den inte har identifierats.",
    "PEER_NA_FORGOTTEN": "Bakgrundsorganisationen är kommunen.",
    "TYPO": "tre",
    # Where the coordinator saves what comes back, and what people name their files.
    "FOLDERS": {"itsearvioinnit": "självvärderingar", "lomakkeet": "blanketter", "auditoinnit": "auditeringar",
                "sähköposti": "e-post"},
    "OLD_XLS": "P08 gammal version.xls",
    "DRAFT": "UTKAST",
}
DRAFTS = ("LUONNOS", "UTKAST")  # the word a draft's file name starts with, in Finnish and Swedish


def _folder(round_: Round, name: str) -> str:
    """A folder of returned files as the coordinator of a round in this language names it."""
    return SWEDISH["FOLDERS"][name] if round_.config.language == "sv" else name  # type: ignore[index]


def _said(name: str, lang: str) -> Any:
    """One of the demo's texts (above, by its name) as a workshop of this language writes it."""
    return SWEDISH[name] if lang == "sv" else globals()[name]


def _lang(rnd: Round | None, w: Workshop) -> str:
    return document_language(rnd, w) if rnd is not None else w.language or "fi"


# The demo's story: P09 returns only its form; P12 is late and returns after the first forward; P11's
# auditors do not return; P10 says its criterion 6 does not apply and its auditors forget to answer;
# P07's lead auditor e-mails an earlier draft too, and the coordinator says which copy counts.
FORM_ONLY, LATE, MISSING_PEER, OWN_NA, DRAFT = "P09", "P12", "P11", "P10", "P07"


@dataclass(frozen=True, slots=True)
class DemoResult:
    folder: Path
    round_file: Path
    kit_dir: Path
    returned_dir: Path
    outputs: Outputs
    result: RoundResult
    statuses: tuple[RoundStatus, ...] = ()
    forwards: tuple[ForwardResult, ...] = ()
    choices_file: Path | None = None  # valinnat.csv, where the coordinator marked P07's final copy
    chosen: int = 0  # how many copies the coordinator marked there


def _rng(*parts: str) -> random.Random:
    return random.Random(zlib.crc32("|".join(parts).encode()))


def _level(catalogue: Catalogue, value: int) -> int:
    """The scale's level nearest to value (the demo's answers suit a content of any scale)."""
    return min(catalogue.scale.values, key=lambda level: (abs(level - value), level))


def _self_answers(catalogue: Catalogue, w: Workshop, lang: str = "fi") -> dict[int, dict[str, Value]]:
    """The workbook as the workshop fills it: a rating and a short reason per criterion (in the workshop's
    language). Criteria outside its profile come filled in as Ei sovellu, so they are left as they are."""
    rng = _rng("self", w.id)
    base = rng.uniform(2.6, 3.8)  # workshops differ; most do well, a few are starting out
    answers: dict[int, dict[str, Value]] = {}
    for c in catalogue.criteria:
        if not applies(c, w.profile):
            continue
        value = _level(catalogue, round(base + rng.gauss(0, 0.55)))
        answers[c.number] = {"rating": catalogue.scale.level(value).label,
                             "reasoning": rng.choice(_said("REASONS", lang))}
    if w.id == OWN_NA and 6 in answers:  # criterion 6 speaks of a background organisation "jos sellaista on"
        answers[6] = {"rating": catalogue.scale.not_applicable.label, "reasoning": _said("NA_REASON", lang)}
    return answers


def _form_answers(catalogue: Catalogue, w: Workshop, lang: str = "fi") -> dict[int, dict[str, str]]:
    """The form as the workshop fills it: the narrative of every criterion that applies to it, and a
    development target where its own rating is low (and now and then elsewhere), mostly with an
    action, who answers for it and by when (sometimes one of them is left out)."""
    rng = _rng("form", w.id)
    ratings = _self_answers(catalogue, w, lang)
    answers: dict[int, dict[str, str]] = {}
    said = {name: _said(name, lang) for name in ("PRACTICE", "EVIDENCE", "STRENGTHS", "QUESTION", "DEVELOPMENT",
                                                  "ACTIONS", "OWNERS", "DUE")}
    for c in catalogue.criteria:
        if not applies(c, w.profile):
            continue
        low = str(ratings.get(c.number, {}).get("rating", "")).split(" ")[0] in ("1", "2")
        answers[c.number] = {"practice": rng.choice(said["PRACTICE"]), "evidence": rng.choice(said["EVIDENCE"]),
                             "strengths": rng.choice(said["STRENGTHS"]),
                             "questions": said["QUESTION"] if c.number % 9 == 0 else ""}
        if not (low or rng.random() < 0.15):
            continue
        target = rng.randrange(len(said["DEVELOPMENT"]))
        answers[c.number]["development"] = said["DEVELOPMENT"][target]
        if rng.random() < 0.85:
            answers[c.number].update(actions=said["ACTIONS"][target],
                                     owner=rng.choice(said["OWNERS"]) if rng.random() < 0.9 else "",
                                     due=rng.choice(said["DUE"]) if rng.random() < 0.9 else "")
    return answers


def _peer_answers(catalogue: Catalogue, w: Workshop, own: dict[int, dict[str, Value]],
                  lang: str = "fi") -> dict[int, dict[str, Value]]:
    """The auditors' workbook as they fill it, starting from the workshop's ratings they see in it."""
    rng = _rng("peer", w.id)
    answers: dict[int, dict[str, Value]] = {}
    na_label = catalogue.scale.not_applicable.label
    for c in catalogue.criteria:
        mine = own.get(c.number)
        if mine is None:  # outside the profile: Ei sovellu, nothing to accept
            continue
        if mine["rating"] == na_label:
            answers[c.number] = {"na_accepted": acceptance(lang)[0], "observations": _said("PEER_NA_OK", lang)}
            continue
        value = int(str(mine["rating"]).split()[0]) - (1 if rng.random() < 0.18 else 0) + (1 if rng.random() < 0.06 else 0)
        value = _level(catalogue, value)
        answers[c.number] = {
            "rating": catalogue.scale.level(value).label,
            "reasoning": _said("PEER_REASON", lang),
            "observations": rng.choice(_said("PRACTICE", lang)),
            "strengths": rng.choice(_said("STRENGTHS", lang)) if rng.random() < 0.3 else "",
            "development": rng.choice(_said("DEVELOPMENT", lang)) if value <= 2 else "",
        }
    return answers


def _kit_files(kit_dir: Path) -> dict[tuple[str, str], Path]:
    return {(r.workshop_id, document_of(r)): kit_dir / r.file for r in read_manifest(kit_dir)
            if document_of(r) in ("workbook-self", "form", "workbook-peer", "report")}


def _put(returned: Path, folder: str, name: str, data: bytes, saved_at: str | None = None) -> Path:
    target = returned / folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def simulate_self_assessments(round_: Round, kit_dir: Path, returned: Path, catalogue: Catalogue, *,
                              only: Iterable[str] = (), skip: Iterable[str] = (), forms: bool = True,
                              problems: bool = True, saved_at: str | None = None,
                              contents: Contents | None = None) -> list[Path]:
    """Phase one's returns: each workshop fills its kit's workbook and form, into `returned`.

    only / skip: workshop ids to return (all by default) and not to return. With problems, a few
    realistic mistakes: a rating typed as a word (P03), an Ei sovellu without a reason (P05), a form
    returned without its workbook (P09), an old .xls (P08). saved_at: the save time the files record.
    """
    files = _kit_files(kit_dir)
    wanted, skipped = {i.casefold() for i in only}, {i.casefold() for i in skip}
    written: list[Path] = []
    for w in round_.workshops:
        if (wanted and w.id.casefold() not in wanted) or w.id.casefold() in skipped:
            continue
        book, form = files.get((w.id, "workbook-self")), files.get((w.id, "form"))
        if book is None or form is None:
            continue
        lang = _lang(round_, w)
        catalogue = _content_of(contents, lang, catalogue)
        own = _self_answers(catalogue, w, lang)
        if problems and w.id == "P03" and 12 in own:
            own[12] = {**own[12], "rating": _said("TYPO", lang)}  # typed instead of chosen from the list
        if problems and w.id == "P05":
            own[_na(catalogue)] = {"rating": catalogue.scale.not_applicable.label, "reasoning": ""}  # no reason
        if not (problems and w.id == FORM_ONLY):
            written.append(_put(returned, _folder(round_, "itsearvioinnit"), book.name,
                                fill_workbook(book.read_bytes(), catalogue, own, saved_at=saved_at)))
        if forms:
            written.append(_put(returned, _folder(round_, "lomakkeet"), form.name,
                                fill_form(form.read_bytes(), catalogue, _form_answers(catalogue, w, lang),
                                          saved_at=saved_at)))
    if problems and not wanted:  # an OLE (BIFF) file, as Excel 97-2003 saves it
        old = SWEDISH["OLD_XLS"] if round_.config.language == "sv" else "P08 vanha versio.xls"
        written.append(_put(returned, _folder(round_, "itsearvioinnit"), str(old),
                            bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)))
    return written


def simulate_audits(round_: Round, kit_dir: Path, returned: Path, catalogue: Catalogue, *,
                    problems: bool = True, reports: bool = True, contents: Contents | None = None) -> list[Path]:
    """Phase two's returns: the auditors fill each audit pack's workbook and return it with the report
    (unless reports is False).

    With problems: P11's auditors do not return, P05's reject its Ei sovellu, P10's leave its Ei sovellu
    unanswered, and P07's lead e-mails an earlier draft too, which records a later save than the final
    one (its computer's clock is wrong): the copies differ, and only the coordinator can say which counts.
    """
    files = _kit_files(kit_dir)
    written: list[Path] = []
    for w in round_.workshops:
        book, report = files.get((w.id, "workbook-peer")), files.get((w.id, "report"))
        if book is None or (problems and w.id == MISSING_PEER):
            continue
        lang = _lang(round_, w)
        catalogue = _content_of(contents, lang, catalogue)
        own = _self_answers(catalogue, w, lang)  # as meant, before any typing slip
        if problems and w.id == "P05":
            own[_na(catalogue)] = {"rating": catalogue.scale.not_applicable.label, "reasoning": ""}
        peer = _peer_answers(catalogue, w, own, lang)
        if problems and w.id == "P05":
            peer[_na(catalogue)] = {"na_accepted": acceptance(lang)[1], "observations": _said("PEER_NA_REJECTED", lang)}
        if problems and w.id == OWN_NA and 6 in own:
            peer[6] = {"observations": _said("PEER_NA_FORGOTTEN", lang)}  # the acceptance forgotten
        final_saved = f"{_at(round_.config.audit_deadline or '2027-02-01', -10).isoformat()}T10:00:00Z"
        target = _put(returned, _folder(round_, "auditoinnit"), book.name, fill_workbook(book.read_bytes(), catalogue, peer,
                                                                        saved_at=final_saved if problems else None))
        written.append(target)
        if report is not None and reports:
            written.append(_put(returned, _folder(round_, "auditoinnit"), report.name, report.read_bytes()))
        if problems and w.id == DRAFT:  # the lead auditor sent it twice: an earlier draft by e-mail too
            draft_answers = {n: {**a, "rating": catalogue.scale.level(2).label} if "rating" in a else a
                             for n, a in peer.items()}
            # The draft's laptop clock is wrong: it records a save a day after the final one. No clock decides.
            draft_saved = f"{_at(round_.config.audit_deadline or '2027-02-01', -9).isoformat()}T10:00:00Z"
            marker = SWEDISH["DRAFT"] if round_.config.language == "sv" else DRAFTS[0]
            draft = _put(returned, _folder(round_, "sähköposti"), f"{marker} {book.name}",
                         fill_workbook(book.read_bytes(), catalogue, draft_answers, saved_at=draft_saved))
            os.utime(draft, (1_800_000_000, 1_800_000_000))
            os.utime(target, (1_700_000_000, 1_700_000_000))
            written.append(draft)
    return written


def _content_of(contents: Contents | None, lang: str, catalogue: Catalogue) -> Catalogue:
    """The content a workshop of this language fills its files against (a round in several languages)."""
    return (contents.for_language(lang) if contents else None) or catalogue


def _na(catalogue: Catalogue) -> int:
    """The criterion P05 says does not apply without a reason: 15, or in a smaller content its last."""
    numbers = [c.number for c in catalogue.criteria]
    return 15 if 15 in numbers else numbers[-1]


def choose_final_copies(choices_file: Path) -> int:
    """What the coordinator does about the copies status listed in valinnat.csv (simulated): asks the auditors,
    learns that the file whose name says LUONNOS (draft) was the earlier one, and writes x in the column
    Käytä on the other copy's row. Returns how many rows were marked."""
    rows, lang = read_choices(choices_file)
    marked = 0
    for row in rows:
        if not row[USE].strip() and not any(marker in row[FILE] for marker in DRAFTS):
            row[USE] = "x"
            marked += 1
    write_choices(choices_file, rows, lang)
    return marked


def simulate_round(round_file: Path, catalogue: Catalogue, returned: Path, *, forms: bool = True,
                   problems: bool = False, contents: Contents | None = None) -> ForwardResult:
    """Both phases' returns of a round whose kits are made: the self-assessments, forward, the audits.

    For tests and benchmarks; the demo runs the phases one by one to show status between them."""
    rnd = load_round(round_file)
    kit_dir = rnd.config.output_dir / rnd.config.id
    simulate_self_assessments(rnd, kit_dir, returned, catalogue, forms=forms, problems=problems, contents=contents)
    forwarded = forward_round(round_file, catalogue, [returned], contents=contents)
    simulate_audits(rnd, kit_dir, returned, catalogue, problems=problems, reports=False, contents=contents)
    return forwarded


def _at(day: str, days: int) -> dt.date:
    return dt.date.fromisoformat(day) + dt.timedelta(days=days)


def run_demo(
    folder: str | os.PathLike[str],
    catalogue: Catalogue,
    *,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    language: str = "fi",
) -> DemoResult:
    """Run a round from the bundled example in folder through both phases, and write the report.

    kit → the self-assessments (P09 only its form, P12 late) → status three days after the deadline →
    forward → P12's late return → forward again (only its pack is new) → the audits (P11's missing, P07's
    in two differing copies) → status a week before the audit deadline, which lists P07's copies in
    valinnat.csv → the coordinator marks the final copy there → compile. The status dates are simulated.
    language: the round's ("sv": a Swedish-speaking example round, which needs a content folder in Swedish).
    Raises AuditkitError when folder holds something else and force is not set.
    """
    base = Path(folder)
    if base.exists() and any(base.iterdir()):
        if not force:
            raise AuditkitError(say("{folder}: the folder is not empty; give another -o folder or add --force to "
                                    "replace the demo in it.", folder=str(base)))
        _clear_demo(base)
    round_dir = base / "kierros"
    init_round(round_dir, language=language)
    round_file = round_dir / "round.toml"
    kit = kit_for_round(round_file, catalogue).result
    returned = base / "palautetut"
    rnd: Round = load_round(round_file)
    cfg = rnd.config
    simulate_self_assessments(rnd, kit.out_dir, returned, catalogue, skip=[LATE],
                              saved_at=f"{_at(cfg.deadline, -2).isoformat()}T14:00:00Z")
    first_status = round_status(round_file, catalogue, [returned], today=_at(cfg.deadline, 3))
    first = forward_round(round_file, catalogue, [returned])
    simulate_self_assessments(rnd, kit.out_dir, returned, catalogue, only=[LATE],
                              saved_at=f"{_at(cfg.deadline, 5).isoformat()}T09:30:00Z")
    second = forward_round(round_file, catalogue, [returned])
    simulate_audits(rnd, kit.out_dir, returned, catalogue)
    second_status = round_status(round_file, catalogue, [returned], today=_at(cfg.audit_deadline, -7))
    # status found P07's two differing copies and listed them in valinnat.csv: the coordinator chooses.
    choices_file = round_dir / CHOICES_FILE
    chosen = choose_final_copies(choices_file) if second_status.unresolved else 0
    kit_ids, forwarded = round_manifest(rnd)
    result = compile_round(catalogue, [returned], round_=rnd, kit_ids=kit_ids,
                           forwarded=forwarded, read_workbook=read_workbook, read_form=read_form,
                           progress=(lambda p: progress(p.name)) if progress else None)
    outputs = write_outputs(catalogue, result, base / "koonti", force=True)
    return DemoResult(base, round_file, kit.out_dir, returned, outputs, result, (first_status, second_status),
                      (first, second), choices_file, chosen)


def _clear_demo(base: Path) -> None:
    """Remove what an earlier demo made (only its own folders), so --force starts clean."""
    for name in ("kierros", "palautetut", "koonti"):
        target = base / name
        if target.is_dir():
            shutil.rmtree(target)
    leftovers = [p.name for p in base.iterdir()]
    if leftovers:
        raise AuditkitError(say("{folder}: holds files that are not the demo's ({files}); give an empty or new -o "
                                "folder.", folder=str(base), files=", ".join(sorted(leftovers)[:3])))
