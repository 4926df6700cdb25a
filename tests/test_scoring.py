"""Scoring and the recommendation rule at its thresholds (default rules.toml)."""

from __future__ import annotations

import pytest

from auditkit.catalogue import Catalogue
from auditkit.scoring import (
    CAVEAT_NO_SELF,
    Caveat,
    Answer,
    auditor_profile,
    calibration,
    criterion_stats,
    gaps,
    recommend,
    self_profile,
    weakest,
)

SUUNTA = range(1, 17)      # 16 criteria
TOIMINTA = range(17, 47)   # 30
SEURANTA = range(47, 52)   # 5
VAIKUTUKSET = range(26, 38)  # the area of 12 criteria


def ratings(base: int = 3, **overrides: int) -> dict[int, Answer]:
    """Auditor answers: every criterion at base, with overrides given as c7=1."""
    out = {n: Answer(rating=base) for n in range(1, 52)}
    for key, value in overrides.items():
        out[int(key[1:])] = Answer(rating=value)
    return out


def outcome(catalogue: Catalogue, auditor: dict[int, Answer], own: dict[int, Answer] | None = None) -> str:
    return recommend(catalogue, auditor_profile(catalogue, auditor, own or {})).outcome


def test_all_at_three_is_recommended(catalogue: Catalogue) -> None:
    rec = recommend(catalogue, auditor_profile(catalogue, ratings(3), {}))
    assert rec.outcome == "recommended" and rec.label == "suositellaan" and rec.reasons == ()
    assert all(c.passed for c in rec.checks)


def test_one_missing_rating_fails_completeness(catalogue: Catalogue) -> None:
    answers = ratings(4)
    del answers[7]
    rec = recommend(catalogue, auditor_profile(catalogue, answers, {}))
    assert rec.outcome == "not_recommended"
    assert rec.reasons == ("Auditoijat eivät ole arvioineet kaikkia kriteerejä: arvioimatta on 1 kriteeri (7).",)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"c5": 1}, "conditional"),                       # one at 1
        ({"c5": 1, "c20": 1}, "conditional"),             # two at 1: the conditional maximum
        ({"c5": 1, "c20": 1, "c40": 1}, "not_recommended"),  # three at 1
    ],
)
def test_criteria_at_one(catalogue: Catalogue, overrides: dict[str, int], expected: str) -> None:
    assert outcome(catalogue, ratings(3, **overrides)) == expected


def test_element_mean_exactly_at_threshold_passes(catalogue: Catalogue) -> None:
    # Suunta: 8 at 2 and 8 at 3 -> 2.5 exactly.
    answers = ratings(3, **{f"c{n}": 2 for n in range(1, 9)})
    p = auditor_profile(catalogue, answers, {})
    assert p.elements[0].mean == 2.5
    assert recommend(catalogue, p).outcome == "recommended"


def test_element_mean_between_floor_and_threshold_is_conditional(catalogue: Catalogue) -> None:
    answers = ratings(3, **{f"c{n}": 2 for n in range(1, 10)})  # Suunta (7*3+9*2)/16 = 2.4375
    p = auditor_profile(catalogue, answers, {})
    assert p.elements[0].mean == pytest.approx(2.4375)
    assert recommend(catalogue, p).outcome == "conditional"


def test_element_mean_at_floor_is_conditional_below_is_not(catalogue: Catalogue) -> None:
    at_floor = ratings(3, **{f"c{n}": 2 for n in SEURANTA})  # Seuranta 2.0
    assert auditor_profile(catalogue, at_floor, {}).elements[2].mean == 2.0
    assert outcome(catalogue, at_floor) == "conditional"
    below = ratings(3, **{f"c{n}": 2 for n in range(47, 51)}, c51=1)  # 1.8, and one criterion at 1
    assert outcome(catalogue, below) == "not_recommended"


def test_two_weak_elements_are_not_recommended(catalogue: Catalogue) -> None:
    answers = ratings(3, **{f"c{n}": 2 for n in SEURANTA}, **{f"c{n}": 2 for n in range(1, 10)})
    assert outcome(catalogue, answers) == "not_recommended"


def test_two_thirds_at_three_is_the_line(catalogue: Catalogue) -> None:
    twos = list(range(1, 7)) + list(range(17, 27)) + [47]  # 17 at 2 -> 34/51 at >= 3
    at_line = ratings(3, **{f"c{n}": 2 for n in twos})
    assert outcome(catalogue, at_line) == "recommended"
    below = ratings(3, **{f"c{n}": 2 for n in twos + [27]})  # 33/51
    rec = recommend(catalogue, auditor_profile(catalogue, below, {}))
    assert rec.outcome == "not_recommended"
    assert rec.reasons == ("Tasolla 3 tai ylempänä on 64,7 % arvioiduista kriteereistä (33/51); vaaditaan "
                           "vähintään 66,7 %.",)


def test_not_applicable_accepted_rejected_or_unanswered(catalogue: Catalogue) -> None:
    own = {n: Answer(rating=3) for n in range(1, 52)}
    own[11] = Answer(not_applicable=True)
    accepted = ratings(3)
    accepted[11] = Answer(na_accepted=True)
    p = auditor_profile(catalogue, accepted, own)
    assert p.criteria[11].not_applicable and p.complete
    assert recommend(catalogue, p).outcome == "recommended"
    assert p.elements[0].rated == 15 and p.elements[0].not_applicable == 1

    rejected = ratings(3)
    rejected[11] = Answer(na_accepted=False)
    p = auditor_profile(catalogue, rejected, own)
    assert p.criteria[11].value == 1 and p.criteria[11].source == "na-rejected"
    assert recommend(catalogue, p).outcome == "conditional"

    silent = ratings(3)
    silent[11] = Answer()
    p = auditor_profile(catalogue, silent, own)
    assert p.missing == (11,)
    assert recommend(catalogue, p).outcome == "not_recommended"


def test_not_applicable_left_out_of_means(catalogue: Catalogue) -> None:
    answers = ratings(4)
    for n in (47, 48):
        answers[n] = Answer(not_applicable=True)
    answers[49] = Answer(rating=1)
    seuranta = auditor_profile(catalogue, answers, {}).elements[2]
    assert (seuranta.rated, seuranta.not_applicable) == (3, 2)
    assert seuranta.mean == pytest.approx(3.0)   # (1 + 4 + 4) / 3
    assert seuranta.index == pytest.approx(66.666, abs=0.01)


def test_more_than_a_third_not_applicable_is_not_assessable(catalogue: Catalogue) -> None:
    third = ratings(3)
    for n in list(VAIKUTUKSET)[:4]:  # 4/12 = exactly one third: still assessable
        third[n] = Answer(not_applicable=True)
    area = next(a for a in auditor_profile(catalogue, third, {}).areas if a.id == "vaikutukset")
    assert area.assessable
    more = ratings(3)
    for n in list(VAIKUTUKSET)[:5]:  # 5/12
        more[n] = Answer(not_applicable=True)
    area = next(a for a in auditor_profile(catalogue, more, {}).areas if a.id == "vaikutukset")
    assert not area.assessable

    seuranta_na = ratings(3)
    for n in (47, 48):  # 2/5 of an element
        seuranta_na[n] = Answer(not_applicable=True)
    rec = recommend(catalogue, auditor_profile(catalogue, seuranta_na, {}))
    assert rec.outcome == "not_recommended"
    assert rec.checks[2].detail == "Suunta 3,00; Toiminta 3,00; Seuranta ei arvioitavissa"  # no mean beside it
    assert rec.reasons == ("Elementti Seuranta ei ole arvioitavissa: yli 33,3 % sen kriteereistä on Ei sovellu, "
                           "joten sille ei lasketa keskiarvoa.",)


def test_gaps_and_calibration(catalogue: Catalogue) -> None:
    own = {n: Answer(rating=4) for n in range(1, 52)}
    own[3] = Answer(rating=2)
    own[4] = Answer(not_applicable=True)
    auditor = ratings(3)
    p_self, p_aud = self_profile(catalogue, own), auditor_profile(catalogue, auditor, own)
    g = gaps(p_self, p_aud)
    assert g[1] == -1 and g[3] == 1 and 4 not in g and len(g) == 50
    cal = calibration([g])
    assert (cal.pairs, cal.self_higher, cal.self_lower, cal.same) == (50, 49, 1, 0)
    assert cal.mean_gap == pytest.approx(-48 / 50)


def test_round_statistics_and_weakest(catalogue: Catalogue) -> None:
    profiles = [
        auditor_profile(catalogue, ratings(3, c9=1, c50=2), {}),
        auditor_profile(catalogue, ratings(4, c9=2), {}),
    ]
    stats = criterion_stats(catalogue, profiles)
    by_number = {s.number: s for s in stats}
    assert by_number[9].mean == 1.5 and by_number[9].distribution == {1: 1, 2: 1, 3: 0, 4: 0}
    assert [s.number for s in weakest(stats, count=2)] == [9, 50]


def test_reasons_are_plain_sentences(catalogue: Catalogue) -> None:
    """Not "Ei yhtään kriteeriä tasolla 1: 2 kriteeriä: 25, 32": what is wrong, and what the rule asks."""
    answers = ratings(3, c25=1, c32=1, **{f"c{n}": 2 for n in range(1, 10)})
    rec = recommend(catalogue, auditor_profile(catalogue, answers, {}))
    assert rec.outcome == "conditional"
    assert rec.reasons == (
        "Tasolla 1 on 2 kriteeriä (25 ja 32); suositus edellyttää, ettei yhtään kriteeriä ole tasolla 1.",
        "Elementin Suunta keskiarvo 2,44 jää alle vaaditun 2,50.",
        catalogue.rule.conditional_note,
    )


def test_caveats_are_data_added_once(catalogue: Catalogue) -> None:
    rec = recommend(catalogue, auditor_profile(catalogue, ratings(3), {}))
    assert rec.caveats == ()
    conflict = Caveat("conflicting-copies", "Työpajalta on kaksi ristiriitaista palautusta.")
    no_self = Caveat(CAVEAT_NO_SELF, "Itsearviointia ei palautettu.")
    both = rec.with_caveats(no_self).with_caveats(conflict, no_self)
    assert both.caveats == (no_self, conflict) and both.outcome == rec.outcome and rec.caveats == ()


def test_profile_not_applicable_is_out_of_the_means_the_third_rule_and_needs_no_acceptance(catalogue) -> None:
    from auditkit.catalogue import Profile

    adult_without = Profile("adult", False)  # 11 and 33–37 do not apply
    own = {n: Answer(rating=3) for n in range(1, 52) if n not in (11, *range(33, 38))}
    mine = self_profile(catalogue, own, adult_without)
    assert {n: mine.criteria[n].source for n in (11, 33, 37)} == {11: "profile", 33: "profile", 37: "profile"}
    area = next(a for a in mine.areas if a.id == next(c.area_id for c in catalogue.criteria if c.number == 33))
    assert (area.total, area.not_applicable, area.by_profile, area.mean, area.assessable) == (12, 5, 5, 3, True)
    # The same five chosen by the workshop itself: over a third of the area, "ei arvioitavissa".
    chosen = self_profile(catalogue, {**own, **{n: Answer(not_applicable=True) for n in range(33, 38)}})
    assert not next(a for a in chosen.areas if a.id == area.id).assessable
    # The auditors say nothing on the profile's criteria: complete, nothing to accept, recommended.
    auditors = {n: Answer(rating=3) for n in own}
    rec = recommend(catalogue, auditor_profile(catalogue, auditors, own, adult_without))
    assert rec.outcome == "recommended"
    # A workshop may still rate a criterion outside its profile; the rating counts.
    rated = self_profile(catalogue, {**own, 33: Answer(rating=1)}, adult_without)
    assert rated.criteria[33].value == 1 and next(a for a in rated.areas if a.id == area.id).by_profile == 4
    # A workshop's own Ei sovellu with a blank acceptance is missing, never counted as 1.
    blank = recommend(catalogue, auditor_profile(catalogue, {**auditors, 6: Answer()}, {**own, 6: Answer(not_applicable=True)},
                                                 adult_without))
    assert blank.reasons[0] == "Auditoijat eivät ole arvioineet kaikkia kriteerejä: arvioimatta on 1 kriteeri (6)."


def test_the_fast_mean_is_statistics_mean_to_the_last_bit() -> None:
    """Means of whole numbers are taken without exact fractions; every one must equal statistics.mean's,
    so that no report's 2,50 or rule check turns on how the mean was computed."""
    import random
    import statistics

    from auditkit.scoring import mean

    rng = random.Random(12)
    for _ in range(20000):
        values = [rng.randint(-4, 4) for _ in range(rng.randint(1, 60))]
        assert mean(values) == statistics.mean(values), values
    assert mean([2.5, 3.0, 1.25]) == statistics.mean([2.5, 3.0, 1.25])
