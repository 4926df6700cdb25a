"""The type check runs with the tests: mypy over src/ with the strictness pyproject.toml states ([tool.mypy])."""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_finds_no_error_in_src() -> None:
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir",
                                str(ROOT / ".mypy_cache"), str(ROOT / "src")])
    assert status == 0, f"mypy:\n{out}{err}"
