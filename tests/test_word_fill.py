"""Filling a kit's form as a person would: read_form gives back exactly what was typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.catalogue import Catalogue
from auditkit.errors import Problem
from problem_support import said
from auditkit.word import build_form, fill_form, read_form
from auditkit.word.contract import TEXT_KEYS
from word_support import W, body, context


@pytest.fixture(scope="module")
def form(catalogue: Catalogue) -> bytes:
    return build_form(catalogue, context())


def _answers(catalogue: Catalogue) -> dict[int, dict[str, str]]:
    """Every field of every criterion, each text different."""
    return {c.number: {key: f"{key} {c.number}: äö Å – \"lainaus\"" for key in TEXT_KEYS} for c in catalogue.criteria}


def _read(tmp_path: Path, data: bytes, catalogue: Catalogue):
    path = tmp_path / "lomake.docx"
    path.write_bytes(data)
    return read_form(path, catalogue)


def test_every_typed_text_reads_back_exactly_and_no_rating_is_asked(form: bytes, catalogue: Catalogue,
                                                                    tmp_path: Path) -> None:
    answers = _answers(catalogue)
    answers[7]["practice"] = "Ensimmäinen rivi.\nToinen rivi:\tsarkaimen jälkeen."
    answers[8]["evidence"] = '=HYPERLINK("http://example.com","klikkaa")'
    returned = _read(tmp_path, fill_form(form, catalogue, answers), catalogue)
    assert returned.problems == ()
    assert [r.number for r in returned.responses] == [c.number for c in catalogue.criteria]
    for r in returned.responses:
        assert dict(r.texts) == {key: answers[r.number][key] for key in TEXT_KEYS}, r.number
        assert (r.rating, r.not_applicable) == (None, False)
    assert returned.identity.kit_id == "2025-kevat-P07-self"
    assert "Oma arvio" not in "".join(body(form).itertext())  # the rating's home is the workbook


def test_a_rating_row_of_an_earlier_kit_is_still_read(form: bytes, catalogue: Catalogue, tmp_path: Path) -> None:
    data = fill_form(form, catalogue, {12: {"rating": "Ei sovellu", "reasoning": "Meillä ei ole johtoryhmää."},
                                       13: {"rating": "3 – Kehittynyt"}, 33: {"rating": "kolme"},
                                       20: {"evidence": "", "strengths": "Yhteistyö kunnan kanssa."}})
    returned = _read(tmp_path, data, catalogue)
    twelve = returned.response(12)
    assert twelve.not_applicable and twelve.texts["reasoning"] == "Meillä ei ole johtoryhmää."
    assert (returned.response(13).rating, returned.response(33).rating) == (3, None)
    assert dict(returned.response(20).texts) == {**{k: "" for k in TEXT_KEYS}, "strengths": "Yhteistyö kunnan kanssa."}
    assert said(returned.problems) == (Problem(str(tmp_path / "lomake.docx"), "kriteeri 33, Oma arvio",
                                         "'kolme' ei ole arvio; valitkaa luettelosta 1–4 tai Ei sovellu."),)
    assert [p.code for p in returned.problems] == ["rating-not-on-scale"]
    untouched = [r for r in returned.responses if r.number not in (12, 13, 20, 33)]
    assert all(r.rating is None and not r.not_applicable and not any(r.texts.values()) for r in untouched)
    # Word's way: the filled control no longer shows its placeholder; the others still do

    def showing(data: bytes) -> int:
        return sum(1 for _ in body(data).iter(W + "showingPlcHdr"))

    assert showing(data) == showing(form) - 1


def test_control_characters_are_dropped_and_the_save_time_recorded(form: bytes, catalogue: Catalogue,
                                                                   tmp_path: Path) -> None:
    data = fill_form(form, catalogue, {1: {"practice": "a\x00b\x1bc"}}, saved_at="2026-05-04T10:00:00Z")
    returned = _read(tmp_path, data, catalogue)
    assert returned.response(1).texts["practice"] == "abc" and returned.saved_at == "2026-05-04T10:00:00Z"


def test_wrong_input_is_refused(form: bytes, catalogue: Catalogue) -> None:
    with pytest.raises(ValueError, match="no criterion 52 in content"):
        fill_form(form, catalogue, {52: {"practice": "x"}})
    with pytest.raises(ValueError, match="a form has no field 'observations'; use practice, evidence"):
        fill_form(form, catalogue, {1: {"observations": "x"}})
    with pytest.raises(ValueError, match="not a .docx file"):
        fill_form(b"not a zip", catalogue, {})
