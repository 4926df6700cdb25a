"""Every command documents itself: a summary, an example, and help on every option (STYLE 9)."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner, Result

from auditkit.cli import main


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        out.append((path, command))
        if isinstance(command, click.Group):
            out.extend(commands(command, path))
    return out


def test_every_command_has_an_example_and_option_help() -> None:
    found = commands(main)
    names = {" ".join(p) for p, _ in found}
    for expected in ("demo", "init", "assign", "kit", "compile", "form", "audit-report", "glossary", "workbook",
                     "templates check", "content check", "content show", "content export"):
        assert expected in names
    for path, command in found:
        result = CliRunner().invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Esimerk" in result.output, f"{' '.join(path)} --help shows no example"  # Esimerkki, -kejä
        english = CliRunner().invoke(main, ["--lang", "en", *path, "--help"])
        assert "Example" in english.output, f"{' '.join(path)} --help shows no example"
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.help, f"{' '.join(path)} {param.opts[0]} has no help"


def test_readme_lists_every_top_level_command() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"auditkit {name}" in readme, f"README does not mention auditkit {name}"


# English words that would betray a help text left untranslated (the test_cli_language stop-list's kind),
# and click's own English.
STOP_LIST = (" the ", " of ", " and ", " is ", " to ", "Show this message", "Usage:", "Options", "Commands",
             "Example", "[OPTIONS]", "ROUND_FILE", "DIRECTORY", " TEXT")


def say(args: list[str]) -> Result:
    return CliRunner().invoke(main, args, prog_name="auditkit")


def _english_in(text: str) -> list[str]:
    return [word for word in STOP_LIST if word in text]


@pytest.mark.parametrize("path", [(), ("kit",), ("compile",), ("content", "show")])
def test_help_speaks_finnish_by_default(path: tuple[str, ...]) -> None:
    """A coordinator who asks for help reads it in Finnish: the command's help, its options' and click's own."""
    said = say([*path, "--help"])
    assert said.exit_code == 0
    assert _english_in(said.output) == [], said.output
    assert said.output.startswith(f"Käyttö: auditkit {' '.join(path)}".rstrip() + " [VALITSIMET]")
    assert "Valitsimet:" in said.output and "Näytä tämä ohje ja lopeta." in said.output
    if not path:
        assert "Komennot:" in said.output and "Tekee kierroksen ensimmäisen vaiheen" in said.output
    if path == ("kit",):
        assert "KIERROSTIEDOSTO" in said.output and "Tee olemassa olevat aineistot uudelleen" in said.output


def test_help_in_english_and_swedish_by_lang_or_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    english = say(["--lang", "en", "kit", "--help"]).output
    assert english.startswith("Usage: auditkit kit [OPTIONS] ROUND_FILE")
    assert "Show this message and exit." in english and "Make existing kits again" in english
    for args in (["--lang", "sv", "--help"], ["--lang", "sv", "kit", "--help"]):
        swedish = say(args).output
        assert _english_in(swedish) == [], swedish
        assert swedish.startswith("Användning: auditkit") and "Visa den här hjälpen och avsluta." in swedish
        assert not any(word in swedish for word in ("Käyttö", "Valitsimet", "työpaja", "Tekee "))
    assert "Gör omgångens första fas" in say(["--lang", "sv", "--help"]).output
    monkeypatch.setenv("AUDITKIT_LANG", "sv")
    assert say(["--help"]).output.startswith("Användning: auditkit [ALTERNATIV]")
    monkeypatch.setenv("AUDITKIT_LANG", "en")
    assert say(["--help"]).output.startswith("Usage: auditkit [OPTIONS]")


def test_a_usage_error_is_said_in_finnish_with_exit_2() -> None:
    wrong = say(["kit", "--bogus"])
    assert wrong.exit_code == 2
    assert "Virhe: Valitsinta '--bogus' ei ole." in wrong.output
    assert "Katso ohje: 'auditkit kit --help'." in wrong.output and _english_in(wrong.output) == []
    missing = say(["forward", "ei-ole.toml", "palautetut"])
    assert missing.exit_code == 2 and "Tiedosto 'ei-ole.toml' ei ole olemassa." in missing.output
    swedish = say(["--lang", "sv", "kit", "--bogus"])
    assert swedish.exit_code == 2 and "Fel: Alternativet '--bogus' finns inte." in swedish.output
    english = say(["--lang", "en", "kit", "--bogus"])
    assert english.exit_code == 2 and "Error: No such option '--bogus'." in english.output


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_commands_help_is_translated(lang: str) -> None:
    """No command's help, option or heading is left in English (Swedish writes TEXT as English does)."""
    stop = [word for word in STOP_LIST if not (lang == "sv" and word == " TEXT")]
    for path, _ in [((), main), *commands(main)]:
        said = say(["--lang", lang, *path, "--help"]).output
        assert [word for word in stop if word in said] == [], f"{lang}: auditkit {' '.join(path)} --help:\n{said}"
