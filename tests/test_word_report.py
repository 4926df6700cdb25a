"""The audit report template, reopened: peer and external wording, auditors, criteria, the proposal to Into."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document

from auditkit.catalogue import Catalogue
from auditkit.model import ForwardedSelfAssessment
from auditkit.word import build_audit_report
from word_support import W, all_text, body, context, custom_properties, paragraphs, tables, text


@pytest.fixture(scope="module")
def peer(catalogue: Catalogue) -> bytes:
    return build_audit_report(catalogue, context(role="peer"))


@pytest.fixture(scope="module")
def external(catalogue: Catalogue) -> bytes:
    return build_audit_report(catalogue, context(role="peer", audit_type="external", auditors=()))


def test_titles_and_wording_follow_the_audit_type(peer: bytes, external: bytes) -> None:
    peer_text, external_text = all_text(peer), all_text(external)
    assert paragraphs(body(peer))[1] == "Vertaisauditointiraportti"
    assert paragraphs(body(external))[1] == "Ulkoisen auditoinnin raportti"
    assert "vertaisauditoijat kirjaavat" in peer_text and "ulkoinen auditoija" not in peer_text.lower()
    assert "ulkoinen auditoija kirjaa" in external_text and "vertaisauditoija" not in external_text.lower()
    assert "Auditoijien arviot" in peer_text and "Auditoijan arviot" in external_text
    assert Document(io.BytesIO(external)).core_properties.title.startswith("Ulkoisen auditoinnin raportti: ")


def test_data_sheet_auditors_and_conflict_declarations(peer: bytes) -> None:
    sheet = {text(cells[0]): text(cells[1]) for cells in tables(peer)[0]}
    assert sheet["Työpaja"] == 'Nuorten työpaja Ääri/Reuna "Pilotti"'
    assert sheet["Auditointimalli"] == "Vertaisauditointi"
    assert sheet["Koordinaattori"] == "Aino Koordinaattori"
    auditors = [[text(c) for c in cells] for cells in tables(peer)[1]]
    assert auditors == [["Nimi", "Rooli", "Kotipaja", "Sähköposti"],
                        ["Maija Meikäläinen", "pääauditoija", "P03", "maija@example.fi"],
                        ["Olli Örn", "auditoija", "P11", "olli@example.fi"]]
    conflicts = [[text(c) for c in cells] for cells in tables(peer)[2]]
    assert [row[0] for row in conflicts] == ["Auditoija", "Maija Meikäläinen", "Olli Örn"]
    items = {i.get(W + "displayText") for i in tables(peer)[2][1][1].iter(W + "listItem")}
    assert items == {"Ei esteellisyyttä", "Mahdollinen esteellisyys (selvitys viereen)"}
    assert "Esteellisyys" in paragraphs(body(peer)) and "Auditoinnin toteutus" in paragraphs(body(peer))


@pytest.fixture(scope="module")
def filled(catalogue: Catalogue) -> bytes:
    """The report as forward makes it: the workshop's returned ratings, reasons and means in it."""
    ratings = {c.number: catalogue.scale.level(1 + c.number % 4).label for c in catalogue.criteria}
    ratings.update({12: "Ei arviota", 33: "Ei sovellu"})
    means = {a.id: (2.5, True) for a in catalogue.areas} | {e.id: (2.75, True) for e in catalogue.elements}
    means[catalogue.areas[3].id] = (3.0, False)
    forwarded = ForwardedSelfAssessment(ratings, {1: "Strategia on kirjattu.", 33: "Ei oppimisympäristöjä."}, means,
                                        "P07 – itsearviointi.xlsx (tallennettu 28.11.2026)",
                                        ("Työpaja ei antanut arviota kriteerille 12.",))
    ctx = context(role="peer", deadline="2027-02-01", comments_deadline="2027-02-15")
    return build_audit_report(catalogue, ctx, self_assessment=forwarded)


def test_every_criterion_shows_the_workshops_rating_and_no_rating_is_asked(filled: bytes, peer: bytes,
                                                                          catalogue: Catalogue) -> None:
    rows = [cells for table in tables(filled) for cells in table if len(cells) == 3 and text(cells[0]).isdigit()]
    assert [int(text(cells[0])) for cells in rows] == [c.number for c in catalogue.criteria]
    for cells, criterion in zip(rows, catalogue.criteria, strict=True):
        assert paragraphs(cells[1])[0] == criterion.text
        assert not list(cells[2].iter(W + "sdt"))  # shown as returned, nothing to copy or choose
    shown = {int(text(cells[0])): paragraphs(cells[2]) for cells in rows}
    assert shown[1] == ["2 – Alkava", "Strategia on kirjattu."] and shown[12] == ["Ei arviota"]
    assert shown[33] == ["Ei sovellu", "Ei oppimisympäristöjä."]
    means = [[text(c) for c in cells] for table in tables(filled) for cells in table
             if text(cells[0]).startswith("Työpajan keskiarvo: ")]
    assert means[0] == [f"Työpajan keskiarvo: {catalogue.areas[0].name}", "2,50"]
    assert means[3] == [f"Työpajan keskiarvo: {catalogue.areas[3].name}", "ei arvioitavissa (3,00)"]
    overall = next(t for t in tables(filled) if text(t[0][0]) == "Elementti")
    assert [[text(c) for c in cells[:2]] for cells in overall] == [["Elementti", "Työpajan arvioiden keskiarvo"]] + [
        [e.heading, "2,75"] for e in catalogue.elements]
    sheet = {text(cells[0]): text(cells[1]) for cells in tables(filled)[0]}
    assert sheet["Työpajan itsearviointi"] == "P07 – itsearviointi.xlsx (tallennettu 28.11.2026)"
    assert (sheet["Auditointi palautettava viimeistään"], sheet["Työpajan kommentit viimeistään"]) == (
        "1.2.2027", "15.2.2027")
    assert "Huomio: Työpaja ei antanut arviota kriteerille 12." in paragraphs(body(filled))
    # the auditors' ratings have their one home in the workbook: no rating drop-down anywhere
    choices = set(catalogue.scale.choices)
    for data in (filled, peer):
        assert not any(i.get(W + "displayText") in choices for i in body(data).iter(W + "listItem"))
    findings = [text(t[0][0]) for t in tables(filled) if text(t[0][0]).startswith("Havainnot: ")]
    assert findings == [f"Havainnot: {area.name}" for area in catalogue.areas]
    for label in ("Nähty näyttö", "Vahvuudet", "Kehittämiskohteet", "Suositukset"):
        assert all_text(filled).count(label) >= len(catalogue.areas)


def test_without_a_returned_self_assessment_the_workshops_rating_is_a_field(peer: bytes, catalogue: Catalogue) -> None:
    rows = [cells for table in tables(peer) for cells in table if len(cells) == 3 and text(cells[0]).isdigit()]
    assert len(rows) == len(catalogue.criteria)
    assert all(text(cells[2]) == "Työpajan arvio itsearvioinnista." for cells in rows)


def test_recommendation_is_a_proposal_with_the_rule_printed(peer: bytes, catalogue: Catalogue) -> None:
    lines = paragraphs(body(peer))
    rule = catalogue.rule
    assert "Suositus laatumerkistä: ehdotus Intolle" in lines
    assert "Tämä on ehdotus. Into päättää laatumerkin myöntämisestä." in lines
    proposal = next(t for t in tables(peer) if text(t[0][0]) == "Ehdotus Intolle")
    choices = [i.get(W + "displayText") for i in proposal[0][1].iter(W + "listItem")]
    assert choices == [rule.recommended, rule.conditional, rule.not_recommended]
    shown = re.sub(r"(?m)^(\d+)\.", r"\1. ", "\n".join(lines))  # the number and the text are a tab apart
    for line in rule.describe():
        assert line in shown


def test_overall_comments_signatures_annexes(peer: bytes, catalogue: Catalogue) -> None:
    lines = paragraphs(body(peer))
    for heading in ("Kokonaisarvio", "Työpajan kommentit", "Allekirjoitukset", "Liitteet"):
        assert heading in lines
    overall = next(t for t in tables(peer) if text(t[0][0]) == "Elementti")
    assert [text(cells[0]) for cells in overall[1:]] == [e.heading for e in catalogue.elements]
    signatures = next(t for t in tables(peer) if [text(c) for c in t[0]][-1] == "Allekirjoitus")
    assert [text(cells[0]) for cells in signatures[1:]] == ["Maija Meikäläinen", "Olli Örn"]
    assert "työpajan itsearviointilomake" in lines


def test_without_auditors_there_are_lines_to_fill(external: bytes) -> None:
    auditors = tables(external)[1]
    assert [text(c) for c in auditors[0]] == ["Nimi", "Rooli", "Sähköposti"]
    assert len(auditors) == 2 and text(auditors[1][0]) == "Nimi."


def test_identity_role_is_peer(peer: bytes, external: bytes, catalogue: Catalogue) -> None:
    for data in (peer, external):
        props = custom_properties(data)
        assert props["role"] == "peer" and props["content_hash"] == catalogue.hash and props["kit_id"]
