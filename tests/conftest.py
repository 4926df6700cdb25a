"""Shared fixtures: the bundled catalogue, a copy of the content to break, the seed text."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import libreoffice
from auditkit.catalogue import Catalogue, load_catalogue
from auditkit.kit import KitResult, kit_for_round
from auditkit.manifest import read_manifest
from auditkit.resources import content_dir
from auditkit.round import init_round

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def round_with_kit(folder: Path, catalogue: Catalogue) -> tuple[KitResult, dict[tuple[str, str], Path]]:
    """The example round (init) in folder with its kits made, and each kit file by (workshop id, document)."""
    init_round(folder)
    kit = kit_for_round(folder / "round.toml", catalogue).result
    return kit, {(r.workshop_id, r.document): kit.out_dir / r.file for r in read_manifest(kit.out_dir)}


def pytest_runtest_setup(item: pytest.Item) -> None:
    libreoffice.current_test = item  # before the test's fixtures: a module's fixture may convert files


def pytest_runtest_teardown(item: pytest.Item) -> None:
    libreoffice.current_test = None


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(content_dir())


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled content folder."""
    target = tmp_path / "content"
    shutil.copytree(content_dir(), target)
    return target


@pytest.fixture(scope="session")
def seed_deck() -> str:
    path = SEEDS / "002_b67872e3b4d31f1e.txt"
    if not path.is_file():
        pytest.skip(f"the source deck is not at {path}: ../shared/seeds is absent in this checkout")
    return path.read_text(encoding="utf-8")


# The day the tests' rounds are made on: `init` names the next of Into's rounds after today, so without
# a fixed day the same test would make round syksy-2026 in November and kevat-2027 in December.
TESTS_TODAY = dt.date(2026, 11, 30)


@pytest.fixture(scope="session", autouse=True)
def _rounds_made_on_a_fixed_day() -> Iterator[None]:
    """Every round a test makes with init_round (or `auditkit init` run in the test's process) is made as on
    TESTS_TODAY, unless the test gives its own day."""
    import auditkit.round as round_module

    made_on = round_module.next_round
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(round_module, "next_round", lambda today=None: made_on(today or TESTS_TODAY))
        yield


@pytest.fixture(autouse=True)
def _finnish_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts in the default language (Finnish), whatever AUDITKIT_LANG the shell has."""
    monkeypatch.delenv("AUDITKIT_LANG", raising=False)


@pytest.fixture()
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Problems said in their English source: for tests that pin a reader's or check's exact wording
    (the Finnish catalogue is checked in test_i18n.py and test_problem_messages.py)."""
    monkeypatch.setenv("AUDITKIT_LANG", "en")
