"""The round as Into runs it, through the command line: self-assessments, forward, the audits, status, compile.

Every return is a real file filled the way a person would (fill_workbook, fill_form); every message a
coordinator reads is asserted as it is printed or written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import csv_support

from auditkit.catalogue import Catalogue
from auditkit.cli import main
from auditkit.dates import date_fi
from auditkit.excel import build_workbook, fill_workbook
from auditkit.excel import contract as k
from auditkit.kit import kit_id
from auditkit.manifest import forwarded_workshops, read_manifest, round_kit_ids, round_manifest
from auditkit.model import DocumentContext
from auditkit.round import init_round, load_round
from auditkit.word import fill_form

PEER = k.LAYOUTS["peer"]


def run(*args: str):
    return CliRunner().invoke(main, [*args], catch_exceptions=False)


@pytest.fixture()
def round_dir(tmp_path: Path) -> Path:
    """The example round with its phase-one kits made, and an empty folder for what comes back."""
    init_round(tmp_path / "kierros")
    result = run("kit", str(tmp_path / "kierros" / "round.toml"), "--silent")
    assert result.exit_code == 0, result.output
    (tmp_path / "palautetut").mkdir()
    return tmp_path


def kit_file(base: Path, wid: str, document: str) -> Path:
    out = _out(base)
    return next(out / r.file for r in read_manifest(out) if (r.workshop_id, r.document) == (wid, document))


def _out(base: Path) -> Path:
    return next(p for p in (base / "kierros" / "output").iterdir() if not p.name.startswith("."))  # not .pohjat


def ratings(catalogue: Catalogue, value: int = 3, **changes: object) -> dict[int, dict[str, object]]:
    """Every criterion rated `value` with a reason; changes as c12={"rating": "kolme"}."""
    out: dict[int, dict[str, object]] = {c.number: {"rating": catalogue.scale.level(value).label,
                                                    "reasoning": f"Perustelu {c.number}."} for c in catalogue.criteria}
    for key, fields in changes.items():
        out[int(key[1:])] = fields  # type: ignore[assignment]
    return out


def return_workbook(base: Path, catalogue: Catalogue, wid: str, answers: dict, **kwargs) -> Path:
    book = kit_file(base, wid, "itsearviointi")
    target = base / "palautetut" / book.name
    target.write_bytes(fill_workbook(book.read_bytes(), catalogue, answers, **kwargs))
    return target


def return_form(base: Path, catalogue: Catalogue, wid: str, answers: dict | None = None) -> Path:
    form = kit_file(base, wid, "itsearviointilomake")
    target = base / "palautetut" / form.name
    # Each workshop's own words: two workshops' forms alike, texts and all, are reported as copied.
    answers = answers or {n: {"practice": f"Käytäntö {n}.", "evidence": f"Liite {n} ({wid})"} for n in range(1, 52)}
    target.write_bytes(fill_form(form.read_bytes(), catalogue, answers))
    return target


def compile_json(base: Path, *extra: str):
    result = run("compile", str(base / "kierros" / "round.toml"), str(base / "palautetut"), "-o",
                 str(base / "koonti"), "--json", "--silent", "--force", *extra)
    return result, json.loads(result.stdout)


def problems_csv(base: Path) -> list[str]:
    rows = csv_support.problems(base / "koonti" / "problems.csv")
    return [f"{r['file']} | {r['place']} | {r['message']}" for r in rows]


def results_csv(base: Path) -> list[dict[str, str]]:
    return csv_support.results(base / "koonti" / "results.csv")


# --- phase one: what comes back -----------------------------------------------------------------


def test_a_form_returned_alone_is_a_returned_self_assessment(round_dir: Path, catalogue: Catalogue) -> None:
    return_form(round_dir, catalogue, "P02")
    result, summary = compile_json(round_dir)
    assert summary["self_returned"] == 1
    assert {"workshop_id": "P02", "role": "self"} in summary["missing"]  # its workbook: the ratings
    assert {"workshop_id": "P02", "role": "form"} not in summary["missing"]
    self_due = date_fi(load_round(round_dir / "kierros" / "round.toml").config.deadline)
    messages = problems_csv(round_dir)
    assert (f" | työpaja P02 | itsearviointilomake palautui, mutta siihen kuuluva itsearviointitaulukko, jossa arviot "
            f"ovat, ei palautunut: arviot puuttuvat vielä (määräaika {self_due}). Muistuttakaa työpajan "
            "yhteyshenkilöä palauttamaan taulukko.") in messages
    assert not any("P02" in m and "itsearviointia ei ole palautettu" in m for m in messages)
    rows = [r for r in results_csv(round_dir) if r["workshop_id"] == "P02"]
    assert len(rows) == 51 and rows[11]["practice"] == "Käytäntö 12." and rows[11]["evidence"] == "Liite 12 (P02)"
    assert rows[11]["rating"] == "" and rows[11]["role"] == "itsearviointi"
    feedback = sorted(p.name for p in (round_dir / "koonti" / "palaute").iterdir())
    assert feedback == ["P02 Työpaja Kipinä – kehittämissuunnitelma.docx",  # its texts reach the feedback too,
                        "P02 Työpaja Kipinä – kehittämissuunnitelma.xlsx", "P02 Työpaja Kipinä.docx"]  # and its plan


def test_compile_writes_the_csvs_with_a_comma_on_request(round_dir: Path, catalogue: Catalogue) -> None:
    """`--csv-erotin ,` (or --csv-delimiter) for an Excel in English; the default is `;`, as Finnish Excel expects."""
    return_workbook(round_dir, catalogue, "P01", ratings(catalogue, 3, c12={"rating": "kolme"}))
    result, _summary = compile_json(round_dir, "--csv-erotin", ",")
    tables = {}
    for name in ("results.csv", "problems.csv"):
        text = (round_dir / "koonti" / name).read_bytes().decode("utf-8-sig")
        tables[name] = list(csv.reader(io.StringIO(text, newline=""), delimiter=","))
    assert tables["results.csv"][0][:6] == ["kierros", "tunnus", "työpaja", "rooli", "kriteeri", "arvio"]
    assert len(tables["results.csv"]) == 1 + 51 and tables["results.csv"][1][1:4:2] == ["P01", "itsearviointi"]
    assert tables["problems.csv"][0] == ["tiedosto", "paikka", "vakavuus", "koodi", "viesti"]
    assert ["virhe", "rating-not-on-scale"] in [row[2:4] for row in tables["problems.csv"]]
    for option, word, start in (("--csv-delimiter", ";", "kierros;tunnus;"), ("--csv-erotin", "Pilkku", "kierros,tunnus,"),
                                ("--csv-delimiter", "semicolon", "kierros;tunnus;")):
        compile_json(round_dir, option, word)
        assert (round_dir / "koonti" / "results.csv").read_bytes().decode("utf-8-sig").startswith(start), word
    refused = run("compile", str(round_dir / "palautetut"), "-o", str(round_dir / "k2"), "--csv-erotin", "|")
    assert refused.exit_code == 2 and not (round_dir / "k2").exists()


def test_a_rating_the_form_and_the_workbook_disagree_on_is_reported_whole(round_dir: Path, catalogue) -> None:
    book = return_workbook(round_dir, catalogue, "P01", ratings(catalogue, 2))
    form = return_form(round_dir, catalogue, "P01", {12: {"practice": "Johtoryhmä kokoontuu.", "rating": "4"},
                                                      13: {"rating": "2 – Alkava"}})  # as an earlier kit asked
    result, summary = compile_json(round_dir)
    assert result.exit_code == 1
    row = next(r for r in results_csv(round_dir) if (r["workshop_id"], r["criterion"]) == ("P01", "12"))
    assert (row["rating"], row["practice"]) == ("2", "Johtoryhmä kokoontuu.")
    place = f"Arviointi!{k.LAYOUTS['self'].letter('rating')}19"
    assert [m for m in problems_csv(round_dir) if not m.startswith(" | ")] == [  # the missing returns aside
        f"{form.name} | kriteeri 12, Oma arvio | kriteeri 12: lomakkeessa arvio on 4 – Edistynyt, taulukossa "
        f"({book.name}, {place}) 2 – Alkava. Käytettiin taulukon arviota 2 – Alkava, koska arvio annetaan "
        "taulukossa (lomake ei enää kysy sitä). Jos lomakkeen arvio on oikea, korjatkaa taulukko ja palauttakaa "
        "se uudelleen."]  # 13 agrees: nothing to say
    status = run("status", str(round_dir / "kierros" / "round.toml"), str(round_dir / "palautetut"), "--json",
                 "--silent")
    p01 = json.loads(status.stdout)["workshops"][0]["self"]
    assert status.exit_code == 1 and p01["state"] == "conflict" and len(p01["conflicts"]) == 1


# --- phase two: forward -------------------------------------------------------------------------


def test_forward_makes_only_new_packs_and_force_remakes(round_dir: Path, catalogue: Catalogue) -> None:
    toml, back = str(round_dir / "kierros" / "round.toml"), str(round_dir / "palautetut")
    return_workbook(round_dir, catalogue, "P01", ratings(catalogue, 3))
    return_form(round_dir, catalogue, "P01")
    first = run("forward", toml, back, "--silent")
    assert first.exit_code == 0, first.output
    out = _out(round_dir)
    lines = first.output.splitlines()
    assert lines[0] == f"Auditointipaketteja tehty: 1 (P01), olemassa olevia säilytetty: 0, kansiossa {out / 'auditoinnit'}."
    assert lines[1].startswith("Ei pakettia työpajoille, joiden itsearviointia ei ole palautettu (11): P02 Työpaja "
                               "Kipinä, ")
    assert lines[2] == (f"Kirjeet ja zip-paketit auditoijille, joilla on uusi paketti (2): "
                        f"{out / 'lahetys' / 'auditoijat'}; postituslista: {out / 'postituslista-auditoinnit.csv'}.")
    pack = next((out / "auditoinnit").iterdir())
    assert sorted(p.relative_to(pack).as_posix() for p in pack.rglob("*") if p.is_file()) == sorted([
        f"{pack.name} – auditointi.xlsx", f"{pack.name} – auditointiraportti.docx",
        f"itsearviointi/{pack.name} – itsearviointi.xlsx", f"itsearviointi/{pack.name} – itsearviointilomake.docx"])
    workbook = next(pack.glob("*auditointi.xlsx"))
    before = workbook.stat().st_mtime_ns
    manifest = {r.file: r for r in read_manifest(out)}
    row = manifest[workbook.relative_to(out).as_posix()]
    assert (row.role, row.document, row.kit_id) == ("peer", "auditointi",
                                                    kit_id(load_round(toml).config.id, "P01", "peer", catalogue.hash,
                                                           load_round(toml).config.instance))
    mails = list(csv.DictReader(io.StringIO((out / "postituslista-auditoinnit.csv").read_text(encoding="utf-8-sig")),
                                delimiter=";"))
    team = [a for a in _team(round_dir, "P01")]
    assert [m["vastaanottaja"] for m in mails] == sorted(team)
    letter = (out / mails[0]["kirje"]).read_text(encoding="utf-8")
    assert "– UUSI" in letter and date_fi(load_round(toml).config.audit_deadline) in letter

    return_workbook(round_dir, catalogue, "P02", ratings(catalogue, 2))  # more come back
    return_form(round_dir, catalogue, "P02")
    return_form(round_dir, catalogue, "P01", {1: {"practice": "Korjattu kuvaus."}})  # and P01 sends a new form
    second = run("forward", toml, back, "--silent")
    assert second.exit_code == 0, second.output
    assert second.output.splitlines()[:2] == [
        f"Auditointipaketteja tehty: 1 (P02), olemassa olevia säilytetty: 1, kansiossa {out / 'auditoinnit'}.",
        "  P01: itsearvioinnista on palautettu lisää paketin tekemisen jälkeen; tee paketti uudelleen ajamalla "
        "forward valitsimin --only P01 --force (vanhaan pakettiin jo kirjoitetut vastaukset eivät siirry)."]
    assert workbook.stat().st_mtime_ns == before  # nothing overwritten without --force
    # compile and status read the manifest once for both the kit ids and the workshops forwarded
    rnd = load_round(toml)
    kit_ids, forwarded = round_manifest(rnd)
    assert (kit_ids, forwarded) == (round_kit_ids(rnd), forwarded_workshops(rnd))
    assert forwarded == {"P01", "P02"} and kit_ids[row.kit_id] == ("P01", "peer")
    third = run("forward", toml, back, "--silent", "--only", "P01", "--force")
    assert third.output.splitlines()[0] == f"Auditointipaketteja tehty: 1 (P01), olemassa olevia säilytetty: 0, kansiossa {out / 'auditoinnit'}."
    assert workbook.stat().st_mtime_ns != before


def _team(base: Path, wid: str) -> list[str]:
    rows = csv.DictReader(io.StringIO((base / "kierros" / "jaot.csv").read_text(encoding="utf-8-sig")), delimiter=";")
    return [r["auditoija"] for r in rows if r["tunnus"] == wid]


def test_forward_sends_what_is_good_and_marks_what_is_missing(round_dir: Path, catalogue: Catalogue) -> None:
    toml, back = str(round_dir / "kierros" / "round.toml"), str(round_dir / "palautetut")
    answers = ratings(catalogue, 3, c12={"rating": "kolme"}, c20={})
    for n in (11, 33, 34, 35, 36, 37):  # P03 (adults, no learning environments) leaves them as the kit filled them
        del answers[n]
    book = return_workbook(round_dir, catalogue, "P03", answers)
    result = run("forward", toml, back, "--silent")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[1:3] == [
        "  P03: työpaja ei arvioinut 2 kriteeriä; paketissa ne on merkitty Ei arviota.",
        "  P03: itsearviointilomaketta ei ole palautettu; paketissa on vain työkirja."]
    assert lines[-2:] == [
        "Palautetuissa itsearvioinneissa on 1 ongelma (lähetetään eteenpäin sellaisenaan):",
        f"  - virhe: {book.name}, Arviointi!F19: 'kolme' ei ole arvio; valitkaa luettelosta 1–4 tai Ei sovellu."]
    pack = next((_out(round_dir) / "auditoinnit").iterdir())
    assert pack.name.startswith("P03 ")  # nobody else's answers in it
    ws = openpyxl.load_workbook(next(pack.glob("*auditointi.xlsx")))["Arviointi"]
    shown = {ws.cell(r, 1).value: ws.cell(r, PEER.index("self_rating")).value for r in range(1, ws.max_row + 1)}
    assert (shown["tpk-12"], shown["tpk-20"], shown["tpk-13"]) == ("Ei arviota", "Ei arviota", "3 – Kehittynyt")
    assert (shown["tpk-33"], shown["tpk-11"]) == ("Ei sovellu", "Ei sovellu")  # P03: adults, no learning environments
    guide = openpyxl.load_workbook(next(pack.glob("*auditointi.xlsx")))["Ohje"]
    notes = [guide.cell(r, 1).value for r in range(1, guide.max_row + 1) if str(guide.cell(r, 1).value).startswith("Huomio")]
    assert notes == ["Huomio: Työpaja ei antanut arviota kriteereille 12, 20 (sarakkeessa Työpajan arvio lukee Ei arviota)."]


def test_forward_before_any_kit_and_a_workshop_without_a_team(tmp_path: Path, round_dir: Path, catalogue) -> None:
    init_round(tmp_path / "uusi")
    (tmp_path / "tyhja").mkdir()
    refused = run("forward", str(tmp_path / "uusi" / "round.toml"), str(tmp_path / "tyhja"), "--silent")
    assert refused.exit_code == 1 and refused.output.startswith(
        f"Virhe: {tmp_path / 'uusi' / 'output' / load_round(tmp_path / 'uusi' / 'round.toml').config.id}: tälle "
        "kierrokselle ei ole tehty aineistoa (manifest.csv puuttuu); suorittakaa ensin `auditkit kit")
    # P05's auditors were taken off the assignment (say, a conflict came up): its pack waits for a team.
    jaot = round_dir / "kierros" / "jaot.csv"
    jaot.write_text("".join(line for line in jaot.read_text(encoding="utf-8-sig").splitlines(keepends=True)
                            if not line.startswith("P05;")), encoding="utf-8-sig")
    return_workbook(round_dir, catalogue, "P05", ratings(catalogue, 3))
    result = run("forward", str(round_dir / "kierros" / "round.toml"), str(round_dir / "palautetut"), "--silent")
    assert result.exit_code == 1
    assert ("Työpajalle P05 Pajakylä Pohjantähti ei tehty pakettia, koska sillä ei ole auditoijia jaossa; aja auditkit "
            "kit (se antaa ryhmät rekisteriin lisätyille työpajoille) ja sitten forward uudelleen.") \
        in result.output.splitlines()


def test_a_phase_one_workbook_beside_the_phase_two_one(round_dir: Path, catalogue: Catalogue) -> None:
    toml = round_dir / "kierros" / "round.toml"
    return_workbook(round_dir, catalogue, "P04", ratings(catalogue, 3))
    return_form(round_dir, catalogue, "P04")
    assert run("forward", str(toml), str(round_dir / "palautetut"), "--silent").exit_code == 0
    rnd = load_round(toml)
    w = rnd.workshop("P04")
    forwarded = kit_file(round_dir, "P04", "auditointi")
    (round_dir / "palautetut" / forwarded.name).write_bytes(
        fill_workbook(forwarded.read_bytes(), catalogue, {n: {"rating": 3} for n in range(1, 52)}))
    # The empty auditors' workbook a kit of phase one sent, filled with other answers and returned too.
    old = build_workbook(catalogue, DocumentContext(rnd.config.id, rnd.config.name, w, role="peer",
                                                    kit_id=kit_id(rnd.config.id, "P04", "peer", catalogue.hash,
                                                                  rnd.config.instance),
                                                    round_instance=rnd.config.instance))
    stale = round_dir / "palautetut" / "vanha" / "P04 auditointi (kevät).xlsx"
    stale.parent.mkdir()
    stale.write_bytes(fill_workbook(old, catalogue, {n: {"rating": 1} for n in range(1, 52)}))
    os.utime(stale, (2_000_000_000, 2_000_000_000))  # saved later, and still not the one to use
    result, summary = compile_json(round_dir)
    assert summary["recommendations"]["P04"] == "suositellaan"  # the phase-two answers (3), not the 1s
    assert (f"vanha/{stale.name} |  | työpajan P04 auditointitaulukko ensimmäisen vaiheen aineistosta (tehty ennen "
            f"kuin itsearviointi välitettiin) palautetun itsearvioinnin pohjalta tehdyn taulukon ({forwarded.name}) "
            f"rinnalla; käytettiin tiedostoa {forwarded.name}. Jos auditoijien vastaukset ovat tässä tiedostossa, "
            f"kopioikaa ne tiedostoon {forwarded.name}.") in problems_csv(round_dir)


# --- the audits: acceptance and the profile -----------------------------------------------------


def test_a_blank_acceptance_is_a_problem_with_its_cell_and_never_a_1(round_dir: Path, catalogue: Catalogue) -> None:
    toml = round_dir / "kierros" / "round.toml"
    na = catalogue.scale.not_applicable.label
    return_workbook(round_dir, catalogue, "P05", ratings(catalogue, 3, c6={"rating": na, "reasoning": "Ei taustaorganisaatiota."},
                                                         c15={"rating": na, "reasoning": "Ei koske meitä."}))
    return_form(round_dir, catalogue, "P05")
    assert run("forward", str(toml), str(round_dir / "palautetut"), "--silent").exit_code == 0
    book = kit_file(round_dir, "P05", "auditointi")
    peer = {n: {"rating": 3} for n in range(1, 52) if n not in (6, 15)}
    peer[15] = {"na_accepted": k.ACCEPT_YES}
    (round_dir / "palautetut" / book.name).write_bytes(fill_workbook(book.read_bytes(), catalogue, peer))
    result, summary = compile_json(round_dir)
    assert summary["recommendations"]["P05"] == "ei suositella"  # incomplete, not failed with a 1
    ws = openpyxl.load_workbook(book)["Arviointi"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "tpk-06")
    assert (f"{book.name} | Arviointi!{PEER.letter('na_accepted')}{row} | kriteeri 6: työpaja valitsi Ei sovellu "
            "(“Ei taustaorganisaatiota.”), eivätkä auditoijat hyväksyneet eivätkä hylänneet valintaa. Valitkaa "
            "Hyväksytään tai Ei hyväksytä tai antakaa arvio. Siihen asti kriteeri on arvioimatta, eikä ehdotus voi "
            "olla valmis.") in problems_csv(round_dir)
    report = (round_dir / "koonti" / "koonti.xlsx")
    assert report.is_file()


def test_a_profile_ei_sovellu_needs_no_acceptance_and_leaves_the_area_assessable(round_dir: Path, catalogue) -> None:
    toml = round_dir / "kierros" / "round.toml"
    # P03: adults, no learning environments; its workbook comes with 11 and 33–37 as Ei sovellu, left so.
    answers = ratings(catalogue, 3)
    for n in (11, 33, 34, 35, 36, 37):
        del answers[n]
    return_workbook(round_dir, catalogue, "P03", answers)
    return_form(round_dir, catalogue, "P03")
    assert run("forward", str(toml), str(round_dir / "palautetut"), "--silent").exit_code == 0
    book = kit_file(round_dir, "P03", "auditointi")
    (round_dir / "palautetut" / book.name).write_bytes(
        fill_workbook(book.read_bytes(), catalogue, {n: {"rating": 3} for n in answers}))  # nothing on 11, 33–37
    result, summary = compile_json(round_dir)
    assert summary["recommendations"]["P03"] == "suositellaan"
    assert not any("P03" in m and "criterion 33" in m for m in problems_csv(round_dir))
    koonti = openpyxl.load_workbook(round_dir / "koonti" / "koonti.xlsx")["Työpajat"]
    header = [c.value for c in koonti[1]]
    flags = [dict(zip(header, (c.value for c in row))) for row in koonti.iter_rows(min_row=2)]
    area = next(r for r in flags if r["Tunnus"] == "P03" and r["Elementti tai osa-alue"].startswith("Kestävien"))
    assert area["Itse: huomio"] is None and area["Auditoijat: huomio"] is None and area["Itse: ka"] == 3


def test_no_conflict_free_auditor_for_a_workshop(round_dir: Path) -> None:
    folder = round_dir / "kierros"
    register = folder / "auditoijat.csv"
    text = register.read_text(encoding="utf-8-sig")
    # Everybody but P07's own auditor declares a conflict of interest with P07.
    header, *people = text.splitlines()
    for i, line in enumerate(people):
        name, email, home, organisation, _conflicts = line.split(";")
        if home != "P07":
            people[i] = ";".join((name, email, home, organisation, "P07"))
    register.write_text("\n".join([header, *people]) + "\n", encoding="utf-8-sig")
    result = run("assign", str(folder / "round.toml"), "--force")
    assert result.exit_code == 1
    assert result.output == (
        "Virhe: 1 työpajalle ei saada 2 hengen ryhmää:\n"
        "  - työpaja P07: Savon Taitopaja: vain 0 auditoijaa voi auditoida sen, ja ryhmään tarvitaan 2; sääntöjen "
        "mukaan esteellisiä: 1 on itse työpajasta (Sari Heikkinen); 12 on ilmoittanut olevansa esteellinen sen "
        "suhteen (Maija Virtanen, Juha Korhonen, Aino Mäkinen, Pekka Nieminen, Leena Hämäläinen, Riikka Ojala, Timo "
        "Laine, Jari Koskinen, Tiina Järvinen, Mikko Lehtonen, Anne Saarinen, Ville Salminen). Lisätkää auditoijia, "
        "joita nämä esteet eivät koske, tai pienentäkää team_size-arvoa kierrostiedostossa.\n")


# --- status -------------------------------------------------------------------------------------


def test_status_says_what_is_back_missing_late_and_writes_reminders(round_dir: Path, catalogue: Catalogue) -> None:
    toml, back = str(round_dir / "kierros" / "round.toml"), str(round_dir / "palautetut")
    config = load_round(toml).config
    return_workbook(round_dir, catalogue, "P01", ratings(catalogue, 3))
    return_form(round_dir, catalogue, "P01")
    return_form(round_dir, catalogue, "P02")
    assert run("forward", toml, back, "--silent").exit_code == 0
    day = dt.date.fromisoformat(config.deadline) + dt.timedelta(days=3)
    result = run("status", toml, back, "--today", day.isoformat(), "--silent")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (f"Kierros {config.id} {date_fi(day)} (itsearvioinnin määräaika {date_fi(config.deadline)}, "
                        f"mennyt; auditoinnin määräaika {date_fi(config.audit_deadline)}):")
    assert lines[1].split() == ["työpaja", "itsearviointi", "auditointi"]
    table = {line.split()[0]: line for line in lines[2:14]}
    assert "palautettu" in table["P01"] and table["P01"].rstrip().endswith("puuttuu")
    assert "osin palautettu, myöhässä: puuttuu itsearviointitaulukko" in table["P02"]
    assert table["P02"].rstrip().endswith("puuttuu")  # its form is back: the auditors have its pack
    assert table["P03"].rstrip().endswith("odottaa itsearviointia")
    assert "puuttuu, myöhässä" in table["P12"]
    assert lines[14] == ("Itsearvioinnit: palautettu 1, osin palautettu 1, puuttuu 10, ristiriidassa 0; "
                         "myöhässä 11.")
    assert lines[15] == ("Auditoinnit: palautettu 0, osin palautettu 0, puuttuu 2, ristiriidassa 0, odottaa "
                         "itsearviointia 10; myöhässä 0.")
    folder = _out(round_dir) / "muistutukset" / day.isoformat()
    assert lines[16] == (f"Muistutukset: 11 kirjettä kansiossa {folder}; postituslista {folder / 'postituslista.csv'}.")
    data = (folder / "postituslista.csv").read_bytes()
    assert data.startswith("\ufeffvastaanottaja;sähköposti;aihe;kirje;liite\r\n".encode())
    mails = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    p02 = next(m for m in mails if m["vastaanottaja"] == "Työpaja Kipinä")
    assert p02["aihe"] == f"{config.name}: itsearviointinne on myöhässä" and p02["sähköposti"] == "kipina@example.fi"
    letter = (folder / p02["kirje"]).read_text(encoding="utf-8")
    assert f"Itsearviointinne määräaika oli {date_fi(config.deadline)}" in letter
    assert "  - itsearviointitaulukko (Excel): arviot ja niiden perustelut" in letter and "itsearviointilomake" not in letter
    # A week before the audit deadline the auditors are reminded too; --json says the same.
    week_before = dt.date.fromisoformat(config.audit_deadline) - dt.timedelta(days=7)
    again = run("status", toml, back, "--today", week_before.isoformat(), "--json", "--silent")
    status = json.loads(again.stdout)
    assert status["workshops"][0]["audit"] == {"state": "missing", "late": False, "deadline": config.audit_deadline,
                                               "back": [], "missing": ["auditointitaulukko", "auditointiraportti"],
                                               "conflicts": [], "problems": 0}
    lead = _team(round_dir, "P01")[0]
    assert any(r["recipient"] == lead and r["subject"] == f"{config.name}: muistutus auditoinnista"
               for r in status["reminders"])
    assert run("status", toml, back, "--today", "4.12.2026").exit_code == 2


def test_an_audit_pack_sent_back_whole_is_no_problem(round_dir: Path, catalogue: Catalogue) -> None:
    toml = round_dir / "kierros" / "round.toml"
    return_workbook(round_dir, catalogue, "P06", ratings(catalogue, 3))
    return_form(round_dir, catalogue, "P06")
    assert run("forward", str(toml), str(round_dir / "palautetut"), "--silent").exit_code == 0
    book = kit_file(round_dir, "P06", "auditointi")
    pack = round_dir / "palautetut" / "auditoijilta" / book.parent.name
    pack.mkdir(parents=True)
    for path in book.parent.rglob("*"):  # the whole folder, the workshop's own files in it too
        if path.is_file():
            target = pack / path.relative_to(book.parent)
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(path.read_bytes())
    (pack / book.name).write_bytes(fill_workbook(book.read_bytes(), catalogue, {n: {"rating": 3} for n in range(1, 52)}))
    (pack / "Saate.txt").write_text("Hei", encoding="utf-8")
    result, summary = compile_json(round_dir)
    assert summary["duplicates"] == 2 and summary["recommendations"]["P06"] == "suositellaan"
    assert not any("P06" in m.split(" | ")[0] for m in problems_csv(round_dir))


def test_differing_copies_hold_the_pack_until_the_coordinator_chooses(round_dir: Path, catalogue: Catalogue) -> None:
    toml, back = str(round_dir / "kierros" / "round.toml"), round_dir / "palautetut"
    first = return_workbook(round_dir, catalogue, "P01", ratings(catalogue, 3), saved_at="2026-11-20T10:00:00Z")
    second = back / "korjattu" / first.name
    second.parent.mkdir()
    # The workshop corrected a rating and sent the workbook again; its laptop's clock says it is older.
    second.write_bytes(fill_workbook(kit_file(round_dir, "P01", "itsearviointi").read_bytes(), catalogue,
                                     ratings(catalogue, 3, c4={"rating": "4 – Edistynyt", "reasoning": "Korjattu."}),
                                     saved_at="2026-11-19T10:00:00Z"))
    return_form(round_dir, catalogue, "P01")
    result = run("forward", toml, str(back), "--silent")
    assert result.exit_code == 1
    choices = round_dir / "kierros" / "valinnat.csv"
    assert (f"  P01 itsearviointitaulukko: {first.name}, korjattu/{first.name} (kriteeri 4 eroaa)"
            in result.output.splitlines())
    assert f"Siihen asti niiden tulokset on merkitty raporteissa ratkaisemattomiksi. Rivejä lisätty tiedostoon " \
           f"{choices}: 2. Kirjoita x voimassa olevan kopion sarakkeeseen Käytä ja kokoa uudelleen (tai anna --use " \
           "TIEDOSTO)." in result.output
    assert not (_out(round_dir) / "auditoinnit").exists()  # the auditors must not start from either copy
    day = dt.date.fromisoformat(load_round(toml).config.deadline) + dt.timedelta(days=3)
    status = run("status", toml, str(back), "--today", day.isoformat(), "--silent")
    p01 = next(line for line in status.output.splitlines() if line.strip().startswith("P01"))
    assert "ristiriidassa (1 ristiriita)" in p01 and status.exit_code == 1
    # The coordinator writes x beside the corrected copy and runs forward again.
    text = choices.read_text(encoding="utf-8-sig").splitlines()
    text = [("x" + line) if i and "korjattu/" in line else line for i, line in enumerate(text)]
    choices.write_text("\r\n".join(text) + "\r\n", encoding="utf-8-sig")
    assert run("forward", toml, str(back), "--silent").exit_code == 0
    pack = next((_out(round_dir) / "auditoinnit").iterdir())
    shown = openpyxl.load_workbook(next(pack.glob("*auditointi.xlsx")))["Arviointi"]
    row = next(r for r in range(1, shown.max_row + 1) if shown.cell(r, 1).value == "tpk-04")
    assert shown.cell(row, PEER.index("self_rating")).value == "4 – Edistynyt"


def test_a_round_file_from_before_instances_keeps_working(tmp_path: Path, catalogue: Catalogue) -> None:
    init_round(tmp_path / "kierros")
    toml = tmp_path / "kierros" / "round.toml"
    toml.write_text("\n".join(line for line in toml.read_text(encoding="utf-8").splitlines()
                              if not line.startswith("instance")) + "\n", encoding="utf-8")
    made = run("kit", str(toml), "--silent")
    assert made.exit_code == 0
    assert ("avain round.instance: kierroksella ei ole toteutustunnusta, joten toisen samalla tunnuksella "
            "'syksy-2026' olevan kierroksen") in made.output
    (tmp_path / "palautetut").mkdir()
    return_workbook(tmp_path, catalogue, "P03", ratings(catalogue, 2))
    result, summary = compile_json(tmp_path)
    assert (summary["used"], summary["refused"]) == (1, 0)
    rows = [r for r in results_csv(tmp_path) if r["workshop_id"] == "P03"]
    assert len(rows) == 51 and {r["rating"] for r in rows} == {"2"}
    # Adding the line later keeps the kits already sent: the manifest keeps the kit ids they carry.
    text = toml.read_text(encoding="utf-8").replace('id = "', 'instance = "abcdef123456"\nid = "', 1)
    toml.write_text(text, encoding="utf-8")
    assert run("kit", str(toml), "--silent").exit_code == 0
    result, summary = compile_json(tmp_path)
    assert (summary["used"], summary["refused"]) == (1, 0), result.output
