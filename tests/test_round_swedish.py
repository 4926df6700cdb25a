"""A round's languages (issue 12): a Swedish round from its register to every document and letter, the register's
kieli per workshop, and refusals that name the workshop and the fix when the content is in another language.

The content is tests/fixtures/content-sv, a Swedish TEST translation of 12 criteria (never Into's text)."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from visible_text import visible_texts

from auditkit.catalogue import Catalogue, load_catalogue
from auditkit.cli import main
from auditkit.errors import RoundError
from auditkit.kit import kit_for_round
from auditkit.letters import subject_of
from auditkit.naming import RETURNED_DIR
from auditkit.registers import read_auditors, read_register
from auditkit.round import init_round, load_round

CONTENT_SV = Path(__file__).parent / "fixtures" / "content-sv"
# Finnish interface words that a Swedish document, workbook or letter must not show (outside file names).
STOP_LIST = ("Työpaja", "Kriteeri", "Perustelu", "Vahvuudet", "Ei sovellu", "itsearvio", "auditointi", "Määräaika",
             "kehittämis", "Arvio", "Hyväksytään", "Terveisin", "Aihe:", "toimenpidett", "kohtaa")
# File and folder names stay Finnish in a Swedish round (compile, forward and status recognise a round's files
# by them too); a letter that names a file or folder names it as it is.
_FILE_NAME = re.compile(r"\S*\.(?:docx|xlsx|pdf|txt|zip)\b|\(…[^)]*\)|\b" + RETURNED_DIR + r"\b")


@pytest.fixture(scope="module")
def catalogue_sv() -> Catalogue:
    return load_catalogue(CONTENT_SV)


@pytest.fixture(scope="module")
def demo_sv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo run as a Swedish round: both phases, status, compile."""
    out = tmp_path_factory.mktemp("demo_sv") / "demo"
    result = CliRunner().invoke(main, ["demo", "--kieli", "sv", "--content", str(CONTENT_SV), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _letters(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.txt"))


def _finnish_words(text: str) -> dict[str, str]:
    """The stop-list words in a text (file names left out), each with the line it is on."""
    found = {}
    for line in text.splitlines():
        bare = _FILE_NAME.sub("", line)
        for word in STOP_LIST:
            if word.casefold() in bare.casefold():
                found[word] = line
    return found


def test_the_swedish_demo_writes_swedish_letters(demo_sv: Path) -> None:
    out = demo_sv / "kierros" / "output"
    assert 'language = "sv"' in (demo_sv / "kierros" / "round.toml").read_text(encoding="utf-8")
    letters = _letters(out)
    kinds = {p.name for p in letters}
    assert {"Saate.txt", "Ilmoitus.txt"} <= kinds and any(name.endswith("muistutus.txt") for name in kinds)
    for path in letters:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("Ämne: "), path
        assert subject_of(text) and "\nHej " in text and "Med vänlig hälsning" in text, path
        assert _finnish_words(text) == {}, (path, _finnish_words(text))
    kit = next((out / next(out.iterdir()).name / "tyopajat").glob("P01 *")) / "Saate.txt"
    text = kit.read_text(encoding="utf-8")
    assert "Er verkstad deltar i omgången" in text and "målgrupp unga" in text
    assert re.search(r"senast \d{1,2}\.\d{1,2}\.20\d\d;", text)  # dates as in Finnish
    # The mailing lists are the coordinator's, in the round's language.
    for listing in out.rglob("postituslista*.csv"):
        rows = list(csv.reader(io.StringIO(listing.read_text(encoding="utf-8-sig")), delimiter=";"))
        assert rows[0] == ["mottagare", "e-post", "ämne", "brev", "bilaga"]
        assert all(row[2].startswith(("Kvalitetsmärkets", "Ämne")) or row[2] for row in rows[1:])


def test_the_swedish_demo_compiles_the_whole_round(demo_sv: Path) -> None:
    """Both phases went through in Swedish: every workshop's kit, every returned self-assessment forwarded and
    the audits compiled (the Swedish rating typed as a word, tre, is a problem as kolme is in Finnish)."""
    koonti = demo_sv / "koonti"
    assert (koonti / "koontiraportti.docx").is_file() and len(list((koonti / "palaute").glob("*.docx"))) >= 12
    problems = (koonti / "problems.csv").read_text(encoding="utf-8-sig")
    assert "'tre'" in problems and "Ej tillämplig" in problems
    packs = next((demo_sv / "kierros" / "output").iterdir()) / "auditoinnit"
    assert len([p for p in packs.iterdir() if p.is_dir()]) == 12


def _document_languages(path: Path) -> set[str]:
    """The languages a .docx or .xlsx says it is in: dc:language, and a Word document's default w:lang."""
    with zipfile.ZipFile(path) as z:
        core = z.read("docProps/core.xml").decode("utf-8")
        tags = set(re.findall(r"<dc:language[^>]*>([^<]*)</dc:language>", core)) or {"(none)"}
        if path.suffix == ".docx":
            styles = z.read("word/styles.xml").decode("utf-8")
            defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S)
            tags |= set(re.findall(r'<w:lang [^>]*w:val="([^"]+)"', defaults.group(0) if defaults else ""))
    return tags


def _documents(demo: Path) -> list[Path]:
    """The documents a person reads: the kits, packs and reports (not the returns' copies of them, nor the kit's
    cache of distinct documents, .pohjat)."""
    return sorted(p for p in demo.rglob("*") if p.suffix in (".docx", ".xlsx") and "palautetut" not in p.parts
                  and not any(part.startswith(".") for part in p.relative_to(demo).parts))


def test_every_document_of_the_swedish_demo_is_tagged_sv_fi(demo_sv: Path) -> None:
    wrong = {str(p.relative_to(demo_sv)): tags for p in _documents(demo_sv) if (tags := _document_languages(p))
             != {"sv-FI"}}
    assert wrong == {}


def test_the_swedish_demo_shows_no_finnish_interface_text(demo_sv: Path) -> None:
    """Issue 12's "done when": every file a person reads in the Swedish demo (documents, workbooks, letters,
    CSVs) has Swedish interface text."""
    found = {}
    tables = [p for p in demo_sv.rglob("*.csv") if "palautetut" not in p.parts]
    for path in [*_documents(demo_sv), *_letters(demo_sv), *tables]:
        words = _finnish_words("\n".join(visible_texts(path)))
        if words:
            found[str(path.relative_to(demo_sv))] = words
    assert found == {}


# --- the register's kieli ----------------------------------------------------------------------------------


def _round(folder: Path, language: str = "fi") -> Path:
    init_round(folder, language=language)
    return folder / "round.toml"


def _with_kieli(register: Path, values: dict[str, str], header: str = "kieli") -> None:
    """Add a kieli column to the example register: values by workshop id (others left empty)."""
    lines = register.read_text(encoding="utf-8-sig").splitlines()
    out = [f"{lines[0]};{header}"]
    for line in lines[1:]:
        out.append(f"{line};{values.get(line.split(';')[0], '')}")
    register.write_text("\ufeff" + "\r\n".join(out) + "\r\n", encoding="utf-8")


def test_the_register_takes_a_language_per_workshop(tmp_path: Path) -> None:
    round_file = _round(tmp_path)
    _with_kieli(tmp_path / "tyopajat.csv", {"P01": "sv", "P02": "svenska", "P03": "Ruotsi", "P04": "suomi", "P05": "fi"})
    workshops = load_round(round_file).workshops
    assert [w.language for w in workshops[:6]] == ["sv", "sv", "sv", "fi", "fi", ""]


def test_an_unknown_language_is_a_problem_on_its_row(tmp_path: Path) -> None:
    round_file = _round(tmp_path)
    _with_kieli(tmp_path / "tyopajat.csv", {"P03": "saksa"})
    with pytest.raises(RoundError) as err:
        load_round(round_file)
    said = [str(p) for p in err.value.problems]
    assert said == [f"{tmp_path / 'tyopajat.csv'}, rivi 4: kieli 'saksa' on tuntematon; kirjoittakaa fi (suomi) tai sv "
                    "(svenska) tai jättäkää kenttä tyhjäksi, jolloin käytetään kierroksen kieltä."]


def test_a_workshop_in_swedish_without_swedish_content_is_refused_before_anything_is_written(
        tmp_path: Path, catalogue: Catalogue) -> None:
    round_file = _round(tmp_path)
    _with_kieli(tmp_path / "tyopajat.csv", {"P02": "sv"})
    with pytest.raises(RoundError) as err:
        kit_for_round(round_file, catalogue)
    said = "\n".join(str(p) for p in err.value.problems)
    assert "Työpaja Kipinä (P02)" in said and "svenska" in said and "--content" in said
    assert not (tmp_path / "output").exists() or not any((tmp_path / "output").rglob("*.docx"))
    # The command line says the same, as an error.
    result = CliRunner().invoke(main, ["kit", str(round_file), "--silent"])
    assert result.exit_code == 1 and "Työpaja Kipinä (P02)" in result.output and "--content" in result.output


def test_a_round_in_swedish_with_the_finnish_content_names_every_workshop(tmp_path: Path, catalogue: Catalogue) -> None:
    round_file = _round(tmp_path, "sv")
    with pytest.raises(RoundError) as err:
        kit_for_round(round_file, catalogue)
    assert len(err.value.problems) == 12
    assert "Ungdomsverkstaden Smedjan (P01)" in str(err.value.problems[0])


def test_a_workshop_whose_language_the_round_has_no_content_in_is_refused(tmp_path: Path,
                                                                          catalogue_sv: Catalogue) -> None:
    """A Swedish round with a workshop in Finnish needs the content in Finnish too: refused, naming the workshop
    and the fix (--content once more, in Finnish)."""
    round_file = _round(tmp_path, "sv")
    _with_kieli(tmp_path / "tyopajat.csv", {"P04": "fi"})
    with pytest.raises(RoundError) as err:
        kit_for_round(round_file, catalogue_sv)
    assert len(err.value.problems) == 1
    said = str(err.value.problems[0])
    assert "(P04)" in said and "suomi" in said and "--content" in said and str(CONTENT_SV) in said
    assert not (tmp_path / "jaot.csv").exists()  # refused before anything is written


def test_contents_in_two_languages_must_have_the_same_criteria(catalogue: Catalogue) -> None:
    from auditkit.contents import load_contents
    from auditkit.errors import ContentError

    with pytest.raises(ContentError) as err:
        load_contents([None, CONTENT_SV], "fi")
    said = [str(p) for p in err.value.problems]
    assert f"{CONTENT_SV}: kriteeri 13 on vain kansiossa {catalogue.path}" in said
    assert f"{CONTENT_SV}: kriteeri 10 eroaa: tpk-10 / organisaatiokulttuuri / suunta / all kierroksen sisällössä, " \
           "tpk-39 / ohjaaminen / toiminta / all tässä" in said
    with pytest.raises(ContentError):
        load_contents([None, None], "fi")  # two folders in one language


def _swedish_copy(tmp_path: Path, catalogue: Catalogue) -> Path:
    """The bundled content marked as Swedish: the same criteria (what a real translation of the same version
    has), so that a mixed round can be tested end to end. Only a test's: its texts are Finnish."""
    folder = tmp_path / "content-sv-copy"
    shutil.copytree(catalogue.path, folder)
    meta = folder / "meta.toml"
    meta.write_text(meta.read_text(encoding="utf-8").replace('language = "fi"', 'language = "sv"')
                    .replace('version = "', 'version = "sv-'), encoding="utf-8")
    return folder


def test_a_round_that_mixes_finnish_and_swedish_workshops(tmp_path: Path, catalogue: Catalogue) -> None:
    """A Finnish round with three Swedish-speaking workshops and --content once per language: their kits,
    packs and letters are made from the Swedish content and in Swedish, and the whole round compiles: every
    returned file read against the content it was made from, none refused."""
    from auditkit.compile import compile_round
    from auditkit.contents import load_contents, readers
    from auditkit.demo import simulate_round
    from auditkit.excel import read_workbook
    from auditkit.manifest import round_kit_ids
    from auditkit.word import read_form

    round_file = _round(tmp_path / "kierros")
    _with_kieli(tmp_path / "kierros" / "tyopajat.csv", {"P01": "sv", "P02": "sv", "P03": "svenska"})
    contents = load_contents([None, _swedish_copy(tmp_path, catalogue)], "fi")
    assert contents.main.hash == catalogue.hash and contents.for_language("sv") is contents.others[0]
    made = kit_for_round(round_file, contents.main, contents=contents).result
    letters = {p.parent.name[:3]: p.read_text(encoding="utf-8") for p in (made.out_dir / "tyopajat").glob("*/Saate.txt")}
    assert letters["P01"].startswith("Ämne:") and letters["P04"].startswith("Aihe:")
    assert "Kriteriernas version: sv-" in letters["P01"] and "Kriteeristön versio: 2022" in letters["P04"]
    returned = tmp_path / "palautetut"
    forwarded = simulate_round(round_file, contents.main, returned, contents=contents)
    assert len(forwarded.made) == 12 and forwarded.problems == ()
    round_ = load_round(round_file)
    workbooks, forms = readers(read_workbook, read_form, contents)
    result = compile_round(contents.main, [returned], round_=round_, kit_ids=round_kit_ids(round_),
                           read_workbook=workbooks, read_form=forms)  # type: ignore[arg-type]
    assert [f.file for f in result.files if f.status in ("refused", "unreadable")] == []
    assert all(w.self_scores is not None and w.auditor_scores is not None for w in result.workshops)
    assert not [p for p in result.problems if p.code == "content-differs"]
    # Each workshop's feedback quotes the criteria from the content in its language.
    from auditkit.report import write_outputs

    outputs = write_outputs(contents.main, result, tmp_path / "koonti", others=contents.others)
    feedback = {p.name[:3]: " ".join(visible_texts(p)) for p in outputs.feedback}
    assert contents.others[0].version in feedback["P01"] and contents.others[0].version not in feedback["P04"]
    assert contents.main.version in feedback["P04"]
    # Without the Swedish content the Swedish workshops' files are refused, each with the reason.
    plain = compile_round(contents.main, [returned], round_=round_, kit_ids=round_kit_ids(round_),
                          read_workbook=read_workbook, read_form=read_form)
    assert {p.code for p in plain.problems if "P01" in p.file} >= {"content-differs"}


def test_the_registers_kieli_routes_the_workshops_documents_and_letters(tmp_path: Path, catalogue_sv: Catalogue) -> None:
    """A Finnish round whose register says its workshops work in Swedish: their kits and letters are Swedish, the
    coordinator's files (the mailing list) stay in the round's language; an auditor's kieli chooses their notice's."""
    round_file = _round(tmp_path)
    _with_kieli(tmp_path / "tyopajat.csv", {f"P{i:02d}": "sv" for i in range(1, 13)})
    _with_kieli(tmp_path / "auditoijat.csv", {"Maija Virtanen": "sv"}, header="kieli")
    made = kit_for_round(round_file, catalogue_sv).result
    kit = next((made.out_dir / "tyopajat").glob("P01 *"))
    letter = (kit / "Saate.txt").read_text(encoding="utf-8")
    assert re.match(r"Ämne: Laatumerkin auditointikierros, \w+ 20\d\d: er verkstads självvärdering", letter)
    assert "Tidsplan:" in letter and "Med vänlig hälsning" in letter  # (the round's and workshops' names are Finnish)
    assert not any(word in letter for word in ("Hei ", "Aikataulu", "Terveisin", "Näin etenette"))
    notices = {p.parent.name: p.read_text(encoding="utf-8") for p in (made.out_dir / "auditoijat").glob("*/Ilmoitus.txt")}
    assert notices["Maija Virtanen"].startswith("Ämne:") and notices["Juha Korhonen"].startswith("Aihe:")
    mailing = (made.out_dir / "postituslista.csv").read_text(encoding="utf-8-sig")
    assert mailing.startswith("vastaanottaja;sähköposti;aihe;kirje;liite")


def test_a_swedish_register_is_read_as_a_finnish_one() -> None:
    """The Swedish example round's register and auditors file, headers and values in Swedish."""
    from auditkit.resources import templates_dir

    workshops, problems = read_register(templates_dir() / "round" / "tyopajat.sv.csv")
    assert problems == [] and len(workshops) == 12
    assert (workshops[2].profile.audience, workshops[2].profile.learning_environments) == ("adult", False)
    auditors, problems = read_auditors(templates_dir() / "round" / "auditoijat.sv.csv")
    assert problems == [] and auditors[-1].conflicts == ("P07", "P12")


# --- single documents -----------------------------------------------------------------------------------------


def test_single_documents_in_swedish_need_swedish_content(tmp_path: Path) -> None:
    refused = CliRunner().invoke(main, ["form", "--kieli", "sv", "-o", str(tmp_path / "f.docx")])
    assert refused.exit_code == 2 and "--content" in refused.output and "svenska" in refused.output
    assert not (tmp_path / "f.docx").exists()
    for args in (["form", "--workshop", "Smedjan"], ["glossary"], ["audit-report", "--auditor", "Anna"],
                 ["workbook", "--role", "self", "--workshop", "Smedjan"]):
        out = tmp_path / f"{args[0]}.{'xlsx' if args[0] == 'workbook' else 'docx'}"
        made = CliRunner().invoke(main, [*args, "--kieli", "sv", "--content", str(CONTENT_SV), "-o", str(out)])
        assert made.exit_code == 0, made.output
        assert zipfile.is_zipfile(out)


def test_init_writes_a_swedish_round(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path / "r"), "--kieli", "sv"])
    assert result.exit_code == 0, result.output
    round_ = load_round(tmp_path / "r" / "round.toml")
    assert round_.config.language == "sv" and round_.config.name.startswith("Kvalitetsmärkets auditeringsomgång, ")
    assert round_.workshops[0].name == "Ungdomsverkstaden Smedjan"
    shutil.rmtree(tmp_path / "r")


def test_the_kits_distinct_documents_are_kept_per_language(tmp_path: Path, catalogue: Catalogue) -> None:
    """The kit builds each distinct document once and keeps it in <output>/.pohjat: a document in Swedish is
    never taken for the Finnish one of the same profile and team (the keys hold the language)."""
    from dataclasses import replace

    from auditkit.kit import _Built, _normalise, document_context

    round_ = load_round(_round(tmp_path))
    finnish = document_context(round_, catalogue, round_.workshops[0], "self", ())
    swedish = replace(finnish, language="sv")
    assert finnish.language == "fi"
    for kind in ("form", "workbook-self", "glossary"):
        assert _normalise(kind, finnish)[0] != _normalise(kind, swedish)[0]
        built = _Built(tmp_path / "output" / round_.config.id, catalogue, None)
        assert built.path(kind, finnish) != built.path(kind, swedish)


def test_the_audit_reports_notes_are_in_the_workshops_language(catalogue_sv: Catalogue) -> None:
    """What the auditors' report says of a self-assessment that came back as a form only, in Swedish."""
    from auditkit.forward import forwarded_view, missing_rating
    from auditkit.model import Identity, Returned, Workshop
    from auditkit.results import WorkshopResult
    from auditkit.scoring import self_profile

    assert (missing_rating("fi"), missing_rating("sv")) == ("Ei arviota", "Ingen bedömning")
    w = Workshop("P01", "Smedjan", language="sv")
    form = Returned("P01 – itsearviointilomake.docx", "form", Identity(), saved_at="2026-11-30T14:19:30Z")
    wr = WorkshopResult(w, None, None, form, self_profile(catalogue_sv, {}, w.profile), None, {}, None)
    shown = forwarded_view(catalogue_sv, wr, form, "sv")
    assert shown.notes[0].startswith("Verkstaden har inte lämnat in sin självvärderingstabell")
    assert set(shown.ratings.values()) == {"Ingen bedömning"} and shown.files.endswith("(sparad 30.11.2026)")
    finnish = forwarded_view(catalogue_sv, wr, form)
    assert finnish.notes[0].startswith("Työpaja ei ole palauttanut itsearviointitaulukkoa")


def test_a_round_in_english_makes_its_documents_in_finnish(tmp_path: Path, catalogue: Catalogue) -> None:
    """English is the terminal's language (for support people): a round set to it still makes Finnish kits."""
    round_file = _round(tmp_path)
    round_file.write_text(round_file.read_text(encoding="utf-8").replace('language = "fi"', 'language = "en"'),
                          encoding="utf-8")
    made = kit_for_round(round_file, catalogue).result
    letter = (next((made.out_dir / "tyopajat").glob("P01 *")) / "Saate.txt").read_text(encoding="utf-8")
    assert letter.startswith("Aihe: ") and "Terveisin" in letter


def test_the_swedish_assignment_says_the_roles_in_swedish_and_is_read_back(demo_sv: Path) -> None:
    """jaot.csv, which the coordinator edits, names the roles in the round's language; the round's kits and
    packs were made from it as read back (every workshop has its lead)."""
    from auditkit.assignment import LEAD, read_assignment

    path = demo_sv / "kierros" / "jaot.csv"
    text = path.read_text(encoding="utf-8-sig")
    assert "ledande auditör" in text and "pääauditoija" not in text and "auditoija" not in text
    round_ = load_round(demo_sv / "kierros" / "round.toml")
    teams, problems = read_assignment(path, round_.workshops)
    assert not [p for p in problems if p.severity == "error"]
    assert teams and all(team[0].role == LEAD for team in teams.values())


def test_the_swedish_demos_auditors_answer_from_their_own_list(demo_sv: Path) -> None:
    """The simulated auditors choose their answer to a workshop's Ej tillämplig (P05's, not accepted) from the
    Swedish workbook's own list, as a person can, not the Finnish words the reader also takes."""
    from auditkit.excel.contract import acceptance

    returned = sorted((demo_sv / "palautetut").rglob("*.xlsx"))
    texts = [text for path in returned for text in visible_texts(path)]
    assert acceptance("sv")[1] in texts
    assert not [text for text in texts if text in acceptance("fi")]
