"""Broken content folders: every problem, with file and key, in one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.catalogue import check_content, load_catalogue
from auditkit.errors import ContentError

# These tests pin the exact wording of problems in its English source (see conftest.english); the
# Finnish wording and the codes are checked in test_problem_messages.py.
pytestmark = pytest.mark.usefixtures("english")


def edit(folder: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture: {old!r} not in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def places(problems) -> set[tuple[str, str]]:
    return {(p.file, p.place) for p in problems}


def test_bundled_content_is_clean() -> None:
    assert check_content() == []


def test_every_kind_of_problem_reported_in_one_run(content_copy: Path) -> None:
    edit(content_copy, "criteria.toml", "number = 7\n", "number = 6\n")          # duplicate -> 7 missing
    edit(content_copy, "criteria.toml", 'text = "Työntekijät tuntevat', 'text = "" # "')  # empty text
    edit(content_copy, "criteria.toml", 'area = "ohjaaminen"', 'area = "ohjaus"')  # unknown area
    edit(content_copy, "criteria.toml", '["Yksilövalmennus"]', '["Yksilövalmenus"]')  # unknown concept
    edit(content_copy, "scale.toml", "value = 2\n", "value = 1\n")               # duplicate scale value
    edit(content_copy, "rules.toml", "element_mean_min = 2.5", "element_mean_min = 7")  # out of range
    edit(content_copy, "rules.toml", "min_share_high = 0.6667", "min_share_high = 1.5")
    problems = check_content(content_copy)
    found = places(problems)
    assert ("criteria.toml", "criterion 6.number") in found
    assert ("criteria.toml", "criterion") in found  # numbers missing: 7
    assert ("criteria.toml", "criterion 2.text") in found
    assert ("criteria.toml", "criterion 38.area") in found
    assert ("criteria.toml", "criterion 29.concepts") in found
    assert ("scale.toml", "level[1].value") in found
    assert ("rules.toml", "recommendation.element_mean_min") in found
    assert ("rules.toml", "recommendation.min_share_high") in found
    messages = "\n".join(str(p) for p in problems)
    assert "numbers missing: 7" in messages
    assert "unknown concept 'Yksilövalmenus'" in messages
    assert "unknown area 'ohjaus'" in messages
    assert "the scale runs from 1 to 4" in messages


def test_missing_file_and_bad_toml(content_copy: Path) -> None:
    (content_copy / "concepts.toml").unlink()
    (content_copy / "meta.toml").write_text("title = \n", encoding="utf-8")
    problems = check_content(content_copy)
    by_file = {p.file: p.message for p in problems}
    assert "file missing" in by_file["concepts.toml"]
    assert "not valid TOML" in by_file["meta.toml"]


def test_load_raises_with_all_problems(content_copy: Path) -> None:
    edit(content_copy, "criteria.toml", 'id = "tpk-02"', 'id = "tpk-01"')
    with pytest.raises(ContentError) as info:
        load_catalogue(content_copy)
    assert ("criteria.toml", "criterion 2.id") in places(info.value.problems)
    assert "duplicate id 'tpk-01'" in str(info.value)


def test_missing_folder() -> None:
    problems = check_content("/nonexistent/content")
    assert len(problems) == 1 and "content folder not found" in problems[0].message
