"""The bundled content is the published text, word for word, grouped as Into groups it."""

from __future__ import annotations

import re

from auditkit.catalogue import Catalogue, Profile, applies


def fold(text: str) -> str:
    """Fold what a PDF export changes (line breaks, spacing, bullets); keep every word and mark."""
    return re.sub(r"\s+", "", text.replace("•", ""))


def test_51_criteria_numbered_without_gaps(catalogue: Catalogue) -> None:
    assert sorted(c.number for c in catalogue.criteria) == list(range(1, 52))
    assert len({c.id for c in catalogue.criteria}) == 51


def test_every_criterion_is_the_seed_text_under_its_number(catalogue: Catalogue, seed_deck: str) -> None:
    seed = fold(seed_deck)
    criteria_part = seed[seed.index(fold("1. Työpaja on määritellyt")) : seed.index(fold("Miten aloitan?"))]
    for c in catalogue.criteria:
        expected = fold(f"{c.number}.{c.text}" + "".join(i.text for i in c.items))
        assert expected in criteria_part, f"criterion {c.number} differs from the seed"


def test_texts_carry_no_pdf_artefacts(catalogue: Catalogue) -> None:
    texts = [c.text for c in catalogue.criteria] + [i.text for c in catalogue.criteria for i in c.items]
    texts += [p for c in catalogue.concepts for p in c.paragraphs]
    for text in texts:
        assert "\n" not in text and "  " not in text and "•" not in text, text
        assert text == text.strip()
        assert not re.match(r"^\d+\.", text), text


def test_criterion_51_has_five_themes_and_youth_applicability(catalogue: Catalogue) -> None:
    c51 = catalogue.criterion(51)
    assert len(c51.items) == 5
    assert [i.applies_to for i in c51.items] == ["youth", "all", "youth", "youth", "youth"]
    assert "Aikuisten työpajatoiminta" in c51.items[1].text


def test_areas_hold_the_published_ranges(catalogue: Catalogue) -> None:
    expected = {
        ("Suunta", "Perustehtävän, vision ja strategisten suunnitelmien laadinta"): range(1, 9),
        ("Suunta", "Organisaatiokulttuurin kehittäminen, edelläkävijyys ja johtaminen"): range(9, 17),
        ("Toiminta", "Valmentautujien ja muiden sidosryhmien sitoutumisen varmistaminen"): range(17, 26),
        ("Toiminta", "Kestävien vaikutusten aikaansaaminen"): range(26, 38),
        ("Toiminta", "Toiminnan ohjaaminen ja uudistaminen"): range(38, 47),
        ("Seuranta", "Valmentautujien ja asiakkaiden näkemysten kerääminen ja vaikuttavuuden seuranta"): range(47, 52),
    }
    got = {
        (catalogue.element(a.element_id).name, a.name): [c.number for c in catalogue.criteria_of(a.id)]
        for a in catalogue.areas
    }
    assert got == {k: list(v) for k, v in expected.items()}
    assert [c.number for c in catalogue.criteria if c.subheading == "oppimisympäristöille"] == [33, 34, 35, 36, 37]
    assert catalogue.element("seuranta").heading == "Tuloksellisuuden seuranta"


def test_applicability(catalogue: Catalogue) -> None:
    adult_no_le = Profile("adult", learning_environments=False)
    youth_le = Profile("youth", learning_environments=True)
    not_for_adults = [c.number for c in catalogue.criteria if not applies(c, adult_no_le)]
    assert not_for_adults == [11, 33, 34, 35, 36, 37]
    assert all(applies(c, youth_le) for c in catalogue.criteria)
    assert catalogue.criterion(6).condition and "taustaorganisaatio" in catalogue.criterion(6).condition


def test_concepts_word_for_word(catalogue: Catalogue, seed_deck: str) -> None:
    seed = fold(seed_deck)
    concept_part = seed[seed.index(fold("Ydinkäsitteet 1/2")) :]
    assert [c.term for c in catalogue.concepts_of("core")] == [
        "Työpaja", "Työpajatoiminta", "Nuorten työpajatoiminta", "Valmennus", "Sosiaalinen vahvistaminen"]
    assert len(catalogue.concepts_of("key")) == 11
    assert len(catalogue.concepts_of("other")) == 9
    assert len(catalogue.concepts) == 25
    for concept in catalogue.concepts_of("core") + catalogue.concepts_of("key"):
        paragraphs = concept.paragraphs
        assert paragraphs, concept.term
        first = fold(f"{concept.term}.{paragraphs[0]}")
        assert first in concept_part, f"{concept.term} differs from the seed"
        for paragraph in paragraphs[1:]:
            assert fold(paragraph) in concept_part, f"{concept.term} differs from the seed"
    others = concept_part[concept_part.index(fold("Muut käsitteet")) :]
    for concept in catalogue.concepts_of("other"):
        assert concept.definition is None
        assert fold(concept.term + ".") in others
    assert catalogue.concept("Oppimisympäristö").source == "Manninen et al., 2007"
    assert "(Manninen et al., 2007)" in (catalogue.concept("Oppimisympäristö").definition or "")
    assert len(catalogue.concept("Nuorten työpajatoiminta").paragraphs) == 2


def test_valmennuspaja_note_and_getting_started(catalogue: Catalogue, seed_deck: str) -> None:
    assert catalogue.note is not None and "valmennuspaja" in catalogue.note.text
    assert fold(catalogue.note.text) in fold(seed_deck)
    assert catalogue.meta.getting_started == (
        "Kysy: Mitä me teemme tässä asiassa?", "Hae kysymysten avulla laatumerkkiä", "Kehitä omaa toimintaasi")


def test_criteria_point_to_existing_concepts(catalogue: Catalogue) -> None:
    terms = {c.term for c in catalogue.concepts}
    assert catalogue.criterion(29).concepts == ("Yksilövalmennus",)
    for c in catalogue.criteria:
        assert set(c.concepts) <= terms


def test_scale_and_rule_defaults(catalogue: Catalogue) -> None:
    scale = catalogue.scale
    assert [(lv.value, lv.name, lv.plain) for lv in scale.levels] == [
        (1, "Puuttuva", "Ei toteudu"), (2, "Alkava", "Toteutuu osittain"),
        (3, "Kehittynyt", "Toteutuu"), (4, "Edistynyt", "Toteutuu ja kehitetään")]
    assert scale.not_applicable.label == "Ei sovellu" and scale.not_applicable.reason_required
    assert all(lv.practice and lv.results for lv in scale.levels)
    rule = catalogue.rule
    assert (rule.fail_rating, rule.element_mean_min, rule.high_rating) == (1, 2.5, 3)
    assert abs(rule.min_share_high - 2 / 3) < 0.001
    assert rule.recommended == "suositellaan" and rule.not_recommended == "ei suositella"


def test_hash_identifies_content(catalogue: Catalogue, content_copy) -> None:
    from auditkit.catalogue import load_catalogue

    assert len(catalogue.hash) == 64
    assert load_catalogue(content_copy).hash == catalogue.hash  # same content, other folder
    path = content_copy / "criteria.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("arvioihin", "arvoihin", 1), encoding="utf-8")
    assert load_catalogue(content_copy).hash != catalogue.hash
