"""`auditkit demo`: a whole round on the bundled example, with simulated returns and realistic mistakes."""

from __future__ import annotations

import os
import random
import shutil
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue, applies
from .compile import RoundResult, compile_round
from .errors import AuditkitError
from .excel import fill_workbook, read_workbook
from .excel.contract import ACCEPT_NO, ACCEPT_YES
from .kit import kit_for_round, read_manifest, round_kit_ids
from .model import Workshop
from .report import Outputs, write_outputs
from .round import Round, init_round, load_round
from .word import fill_form, read_form

PRACTICE = (
    "Käytäntö on kirjattu toimintasuunnitelmaan ja käyty läpi koko henkilöstön kanssa.",
    "Asiasta on sovittu tiimipalaverissa, mutta kirjallinen kuvaus puuttuu vielä.",
    "Toimintatapa on käytössä kaikissa pajoissa, ja sitä seurataan kuukausittain.",
    "Käytäntöä kokeillaan tänä vuonna kahdessa pajassa ennen laajempaa käyttöönottoa.",
    "Toimintaa arvioidaan vuosittain yhdessä ohjausryhmän kanssa ja kehitetään palautteen pohjalta.",
)
EVIDENCE = ("Toimintasuunnitelma 2026, s. 4–6", "Henkilöstöpalaverin muistio 3/2026", "Sovari-raportti 2025",
            "Valmennussuunnitelman pohja", "Asiakaspalautteen yhteenveto", "Perehdytyskansio")
STRENGTHS = ("Henkilöstö on sitoutunut ja tuntee käytännön hyvin.", "Valmentautujat osallistuvat suunnitteluun.",
             "Yhteistyö kunnan palveluiden kanssa on tiivistä.", "Seuranta on säännöllistä ja dokumentoitua.")
DEVELOPMENT = ("Käytäntö tulisi kirjata ja viestiä myös sidosryhmille.", "Seurantatietoa ei vielä käytetä suunnittelussa.",
               "Käytäntö riippuu yksittäisistä työntekijöistä.", "Palautetta kerätään, mutta siihen ei reagoida järjestelmällisesti.")
NA_REASON = "Työpajallamme ei ole tätä toimintaa (profiili), joten kriteeri ei koske meitä."
MISSING_SELF, MISSING_PEER = "P12", "P11"  # not returned in the demo


@dataclass(frozen=True, slots=True)
class DemoResult:
    folder: Path
    round_file: Path
    kit_dir: Path
    returned_dir: Path
    outputs: Outputs
    result: RoundResult


def _rng(*parts: str) -> random.Random:
    return random.Random(zlib.crc32("|".join(parts).encode()))


def _level(catalogue: Catalogue, value: int) -> int:
    """The scale's level nearest to value (the demo's answers suit a content of any scale)."""
    return min(catalogue.scale.values, key=lambda level: (abs(level - value), level))


def _self_answers(catalogue: Catalogue, w: Workshop) -> dict[int, dict[str, object]]:
    rng = _rng("self", w.id)
    base = rng.uniform(2.6, 3.8)  # workshops differ; most do well, a few are starting out
    answers: dict[int, dict[str, object]] = {}
    for c in catalogue.criteria:
        if not applies(c, w.profile):
            answers[c.number] = {"rating": catalogue.scale.not_applicable.label, "reasoning": NA_REASON}
            continue
        value = _level(catalogue, round(base + rng.gauss(0, 0.55)))
        answers[c.number] = {"rating": catalogue.scale.level(value).label, "reasoning": rng.choice(PRACTICE),
                             "evidence": rng.choice(EVIDENCE)}
    return answers


def _peer_answers(catalogue: Catalogue, w: Workshop, own: dict[int, dict[str, object]]) -> dict[int, dict[str, object]]:
    rng = _rng("peer", w.id)
    answers: dict[int, dict[str, object]] = {}
    na_label = catalogue.scale.not_applicable.label
    for c in catalogue.criteria:
        mine = own[c.number]
        if mine["rating"] == na_label:
            answers[c.number] = {"na_accepted": ACCEPT_YES, "observations": "Perustelu on uskottava."}
            continue
        value = int(str(mine["rating"]).split()[0]) - (1 if rng.random() < 0.18 else 0) + (1 if rng.random() < 0.06 else 0)
        value = _level(catalogue, value)
        answers[c.number] = {
            "rating": catalogue.scale.level(value).label,
            "reasoning": "Arvio perustuu haastatteluihin ja nähtyihin asiakirjoihin.",
            "observations": rng.choice(PRACTICE),
            "strengths": rng.choice(STRENGTHS) if rng.random() < 0.3 else "",
            "development": rng.choice(DEVELOPMENT) if value <= 2 else "",
        }
    return answers


def _form_answers(catalogue: Catalogue, w: Workshop, own: dict[int, dict[str, object]]) -> dict[int, dict[str, str]]:
    rng = _rng("form", w.id)
    return {
        n: {"practice": str(a.get("reasoning", "")), "evidence": str(a.get("evidence", "")),
            "strengths": rng.choice(STRENGTHS), "development": rng.choice(DEVELOPMENT),
            "actions": "Kuvataan käytäntö kirjallisesti; vastuu: pajakoordinaattori; 6/2027 mennessä.",
            "rating": str(a["rating"]), "reasoning": str(a.get("reasoning", "")),
            "questions": "Miten muut pajat ovat ratkaisseet tämän?" if n % 9 == 0 else ""}
        for n, a in own.items()
    }


def simulate_returns(round_: Round, kit_dir: Path, returned: Path, catalogue: Catalogue, *, forms: bool = True,
                     problems: bool = True) -> list[Path]:
    """Fill the kit's workbooks (and some forms) as workshops and auditors would, into `returned`.

    With problems, a few realistic mistakes are made: a rating typed as a word, an Ei sovellu without
    a reason, an auditor workbook sent twice, an old .xls, and two returns missing.
    """
    returned.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    files = {(r.workshop_id, r.document): kit_dir / r.file for r in read_manifest(kit_dir)
             if r.document in ("itsearviointi", "auditointi", "itsearviointilomake")}

    def put(folder: str, name: str, data: bytes) -> Path:
        target = returned / folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
        return target

    na_label = catalogue.scale.not_applicable.label
    for w in round_.workshops:
        self_book, peer_book = files.get((w.id, "itsearviointi")), files.get((w.id, "auditointi"))
        form_file = files.get((w.id, "itsearviointilomake"))
        if self_book is None or peer_book is None:
            continue
        own = _self_answers(catalogue, w)
        if problems and w.id == "P03":
            own[12] = {**own[12], "rating": "kolme"}  # typed instead of chosen from the list
        if problems and w.id == "P05":
            first_na = next((n for n, a in own.items() if a["rating"] == na_label), 15)
            own[first_na] = {"rating": na_label, "reasoning": ""}  # Ei sovellu without a reason
        if not (problems and w.id == MISSING_SELF):
            put("itsearvioinnit", self_book.name, fill_workbook(self_book.read_bytes(), catalogue, own))
        if forms and form_file is not None and w.id in ("P01", "P02", "P04", "P06"):
            put("lomakkeet", form_file.name, fill_form(form_file.read_bytes(), catalogue, _form_answers(catalogue, w, own)))
        if problems and w.id == MISSING_PEER:
            continue
        peer = _peer_answers(catalogue, w, _self_answers(catalogue, w))  # as meant, before any typing slip
        if problems and w.id == "P05":
            first_na = next((n for n, a in peer.items() if a.get("na_accepted")), None)
            if first_na:
                peer[first_na] = {"na_accepted": ACCEPT_NO, "observations": "Toimintaa on, vaikka sitä ei ole tunnistettu."}
        target = put("auditoinnit", peer_book.name, fill_workbook(peer_book.read_bytes(), catalogue, peer))
        if problems and w.id == "P07":  # the lead auditor sent it twice: an earlier draft by e-mail too
            draft_answers = {n: {**a, "rating": catalogue.scale.level(2).label} if "rating" in a else a
                             for n, a in peer.items()}
            draft = put("sähköposti", f"LUONNOS {peer_book.name}", fill_workbook(peer_book.read_bytes(), catalogue, draft_answers))
            os.utime(draft, (1_700_000_000, 1_700_000_000))
            os.utime(target, (1_800_000_000, 1_800_000_000))
    if problems:  # an OLE (BIFF) file, as Excel 97-2003 saves it
        put("itsearvioinnit", "P08 vanha versio.xls", bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    return written


def run_demo(
    folder: str | os.PathLike[str],
    catalogue: Catalogue,
    *,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Make a round from the bundled example in folder, fill its returns, compile them and write the report.

    Raises AuditkitError when folder holds something else and force is not set.
    """
    base = Path(folder)
    if base.exists() and any(base.iterdir()):
        if not force:
            raise AuditkitError(f"{base}: the folder is not empty; give another -o folder or add --force to "
                                "replace the demo in it.")
        _clear_demo(base)
    round_dir = base / "kierros"
    init_round(round_dir)
    kit = kit_for_round(round_dir / "round.toml", catalogue).result
    returned = base / "palautetut"
    rnd: Round = load_round(round_dir / "round.toml")
    simulate_returns(rnd, kit.out_dir, returned, catalogue)
    result = compile_round(catalogue, [returned], round_=rnd, kit_ids=round_kit_ids(rnd), read_workbook=read_workbook,
                           read_form=read_form, progress=(lambda p: progress(p.name)) if progress else None)
    outputs = write_outputs(catalogue, result, base / "koonti", force=True)
    return DemoResult(base, round_dir / "round.toml", kit.out_dir, returned, outputs, result)


def _clear_demo(base: Path) -> None:
    """Remove what an earlier demo made (only its own folders), so --force starts clean."""
    for name in ("kierros", "palautetut", "koonti"):
        target = base / name
        if target.is_dir():
            shutil.rmtree(target)
    leftovers = [p.name for p in base.iterdir()]
    if leftovers:
        raise AuditkitError(f"{base}: holds files that are not the demo's ({', '.join(sorted(leftovers)[:3])}); "
                            "give an empty or new -o folder.")
