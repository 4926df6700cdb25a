"""Every command documents itself: a summary, an example, and help on every option (STYLE 9)."""

from __future__ import annotations

import click
from click.testing import CliRunner

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
        assert "Example" in result.output, f"{' '.join(path)} --help shows no example"
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.help, f"{' '.join(path)} {param.opts[0]} has no help"


def test_readme_lists_every_top_level_command() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"auditkit {name}" in readme, f"README does not mention auditkit {name}"
