"""The terminal speaks the coordinator's language (issue 12): Finnish by default, English for support people
with --lang en or AUDITKIT_LANG, else the round's language; the reports follow the round, never --lang."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from auditkit.cli import main
from visible_text import words_found

# English words that would betray a line left untranslated: the words of sentences, and the plural hedges and
# labels the terminal used to print.
STOP_LIST = (" the ", " is ", " and ", " are ", " of ", " to ", " in ", " not ", "file(s)", "problem(s)",
             "kit(s)", "pack(s)", "letter(s)", "Report:", "Workbook:", "workshops", "Wrote", "Made ", "Round:",
             "Phase one", "Status on", "simulated", "missing", " back", "late", "Error:", "warning:", "error:")


@pytest.fixture(scope="module")
def demos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, Path]]:
    """The demo run in Finnish (the default) and with --lang en: its terminal output and its folder."""
    runs = {}
    for lang in ("fi", "en"):
        out = tmp_path_factory.mktemp(f"demo_{lang}") / "demo"
        args = ["demo", "-o", str(out)] if lang == "fi" else ["--lang", "en", "demo", "-o", str(out)]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        runs[lang] = (result.output, out)
    return runs


def test_the_demo_speaks_finnish_to_the_coordinator(demos: dict[str, tuple[str, Path]]) -> None:
    output, out = demos["fi"]
    text = output.replace(str(out), "<demo>")  # the folder's own name is the test's, not the tool's words
    found = {word: line for line in text.splitlines() for word in STOP_LIST if word in f" {line} "}
    assert found == {}, found
    assert "Avaa koontiraportti: <demo>/koonti/koontiraportti.docx" in text
    assert "Palautetuissa tiedostoissa on 4 ongelmaa:" in text
    assert "  - virhe: itsearvioinnit/P03 Verstas Uusi suunta – itsearviointi.xlsx, Arviointi!F19: 'kolme' ei ole " \
           "arvio; valitkaa luettelosta 1–4 tai Ei sovellu." in text


# English words that would betray a text of a document or workbook left untranslated (Finnish has none of them
# as words of its own).
FILE_STOP_LIST = (" the ", " and ", " of ", " to ", " is ", " was ", " not ", " with ", " for ", " from ", " by ",
                  " or ", " be ", "chooses", " used ", " copies", " file ", " files ", " workshop", " criterion",
                  " criteria ", " rating", "Error", "Warning", " sheet ", " cell ", " row ", " column ", " version ",
                  " phase ", " round ", " none ", " empty ", " yes ", " no ")


def test_every_file_of_the_finnish_demo_is_finnish(demos: dict[str, tuple[str, Path]]) -> None:
    """Issue 12's "done when": every file a person reads in the Finnish demo (kits, audit packs, letters,
    notices, reports, koonti.xlsx, the CSVs and the manifest) has no English word in it: the Word documents'
    text, headers and controls, the workbooks' visible cells, lists and prompts."""
    _, out = demos["fi"]
    found = words_found(out, FILE_STOP_LIST, skip=(".pohjat",))  # the kit's cache of documents: no reader's
    assert found == {}, found
    assert any(p.suffix == ".xlsx" for p in out.rglob("*")) and any(p.suffix == ".txt" for p in out.rglob("*"))


def test_lang_en_speaks_english_but_the_reports_stay_in_the_rounds_language(
        demos: dict[str, tuple[str, Path]]) -> None:
    output, out = demos["en"]
    assert f"Open the consolidated report: {out / 'koonti' / 'koontiraportti.docx'}" in output
    assert "4 problems in the returned files:" in output
    assert "  - error: itsearvioinnit/P03 Verstas Uusi suunta – itsearviointi.xlsx, sheet Arviointi, cell F19: " \
           "'kolme' is not a rating" in output
    assert re.search(r"^Files: read \d+, used \d+", output, re.M)
    # The file that came back in differing copies is named in the terminal's words (it said "auditointitaulukko").
    assert "Copies that differ: P07 audit workbook came back twice" in output
    assert "P07 auditointitaulukko" in demos["fi"][0]
    # The coordinator's reports are the round's (Finnish), whatever the terminal speaks.
    for lang in ("fi", "en"):
        book = openpyxl.load_workbook(demos[lang][1] / "koonti" / "koonti.xlsx", read_only=True)
        rows = [row for row in book["Ongelmat"].iter_rows(values_only=True)]
        book.close()
        assert ("itsearvioinnit/P03 Verstas Uusi suunta – itsearviointi.xlsx", "Arviointi!F19", "virhe",
                "'kolme' ei ole arvio; valitkaa luettelosta 1–4 tai Ei sovellu.") in rows
    problems_csv = (out / "koonti" / "problems.csv").read_text(encoding="utf-8-sig")
    assert "'kolme' ei ole arvio" in problems_csv and "is not a rating" not in problems_csv


def test_the_rounds_language_unless_lang_or_the_environment_says_otherwise(
        demos: dict[str, tuple[str, Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = demos["fi"]
    toml = out / "kierros" / "round.toml"
    english_round = tmp_path / "round.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'language = "fi"' in text  # init writes the round's language
    english_round.write_text(text.replace('language = "fi"', 'language = "en"'), encoding="utf-8")
    # the copy names the same registers, relative to its folder
    for name in ("tyopajat.csv", "auditoijat.csv", "jaot.csv"):
        if (out / "kierros" / name).exists():
            (tmp_path / name).write_bytes((out / "kierros" / name).read_bytes())
    args = ["assign", str(english_round), "--force"]
    said = CliRunner().invoke(main, args)
    assert said.exit_code == 0, said.output
    assert said.output.startswith(f"Wrote {tmp_path / 'jaot.csv'}: 12 workshops"), said.output
    finnish = CliRunner().invoke(main, ["--lang", "fi", *args])
    assert finnish.output.startswith(f"Kirjoitettu {tmp_path / 'jaot.csv'}: työpajoja 12"), finnish.output
    monkeypatch.setenv("AUDITKIT_LANG", "fi")
    assert CliRunner().invoke(main, args).output.startswith("Kirjoitettu ")
    monkeypatch.delenv("AUDITKIT_LANG")
    # A language auditkit does not speak is named in Finnish, with the choices.
    english_round.write_text(english_round.read_text(encoding="utf-8").replace('language = "en"', 'language = "de"'),
                             encoding="utf-8")
    refused = CliRunner().invoke(main, args)
    assert "key round.language" not in refused.output  # said as a Finnish place
    assert "'de' ei ole kieli, jota auditkit puhuu" in refused.output


def test_content_show_labels_the_criteria_in_the_terminals_language() -> None:
    finnish = CliRunner().invoke(main, ["content", "show", "--criterion", "51"])
    english = CliRunner().invoke(main, ["--lang", "en", "content", "show", "--criterion", "51"])
    assert "(vain nuorten työpajatoiminta)" in " ".join(finnish.output.split())
    assert "(youth workshops only)" in " ".join(english.output.split())
    assert "Käsitteet: " in CliRunner().invoke(main, ["content", "show", "--criterion", "29"]).output


def test_a_proposals_caveat_is_said_in_the_terminals_language(tmp_path: Path) -> None:
    """compile's line per proposal says its caveat in the language the terminal speaks (it said the round's
    Finnish sentence whatever --lang chose); the outcome's label stays the content's own word."""
    from auditkit.catalogue import load_catalogue
    from auditkit.cli import proposal_lines
    from auditkit.i18n import using
    from round_support import compiled_round

    result = compiled_round(load_catalogue(), tmp_path, 2, missing=(("P002", "self"),), forms=False)
    said = {}
    for lang in ("fi", "sv", "en"):
        with using(lang):
            said[lang] = [line for line in proposal_lines(result) if line.startswith("  P002")]
    assert said["fi"][0].endswith("(varauma: Itsearviointia ei palautettu: ehdotus perustuu vain auditoijien "
                                  "arvioihin, eikä niitä voitu verrata työpajan omaan arvioon.)"), said["fi"]
    assert "(caveat: No self-assessment was returned: the proposal rests on the auditors' ratings alone" in said["en"][0]
    assert "Itsearviointia" not in said["sv"][0] and "Itsearviointia" not in said["en"][0]
