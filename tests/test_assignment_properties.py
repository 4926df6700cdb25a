"""Property-based checks of the assignment rules over random registers and auditor pools (hypothesis)."""

from __future__ import annotations

from collections import Counter

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from auditkit.assignment import assign, auditor_pool, person  # noqa: E402
from auditkit.errors import RoundError  # noqa: E402
from auditkit.model import Auditor, Workshop  # noqa: E402

MUNICIPALITIES = ("Helsinki", "Tampere", "Oulu", "Kuopio", "")


@st.composite
def rounds(draw):
    """A register of 1–30 workshops, a team size, a method, and auditors for it."""
    n = draw(st.integers(1, 30))
    workshops = [Workshop(f"P{i}", f"Paja {i}", municipality=draw(st.sampled_from(MUNICIPALITIES)),
                          email=f"p{i}@example.fi") for i in range(1, n + 1)]
    team_size = draw(st.integers(1, 4))
    method = draw(st.sampled_from(["peer", "register"]))
    homes = st.sampled_from(["", *(w.id for w in workshops)]) if method == "register" else \
        st.sampled_from([w.id for w in workshops])
    count = draw(st.integers(1 if method == "register" else 0, 40))
    auditors = [Auditor(f"Auditoija {j}", f"a{j}@example.fi", draw(homes)) for j in range(count)]
    return workshops, auditors, team_size, method


def directed(result) -> set[tuple[str, str]]:
    ids = {w.id for w in result.workshops}
    return {(a.home_workshop_id, wid) for wid, team in result.items() for a in team if a.home_workshop_id in ids}


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(rounds(), st.randoms(use_true_random=False))
def test_assignment_rules(case, shuffle) -> None:
    workshops, auditors, team_size, method = case
    pool = auditor_pool(workshops, auditors, method)
    feasible = all(sum(1 for a in pool if a.home_workshop_id != w.id) >= team_size for w in workshops)
    if not feasible:
        with pytest.raises(RoundError):
            assign(workshops, auditors, team_size, method)
        return
    result = assign(workshops, auditors, team_size, method)
    assert set(result) == {w.id for w in workshops}
    for wid, team in result.items():
        assert len(team) == team_size
        assert len({person(a) for a in team}) == team_size          # nobody twice in a team
        assert all(a.home_workshop_id != wid for a in team)           # never their own workshop
        assert [a.role for a in team] == ["pääauditoija"] + ["auditoija"] * (team_size - 1)
        assert all(person(a) in {person(p) for p in pool} for a in team)
    summary = result.summary()
    assert summary.load_max - summary.load_min <= 1                  # balanced load
    leads = Counter(person(team[0]) for team in result.values())
    assert max(leads.values()) <= -(-len(workshops) // len({person(a) for t in result.values() for a in t})) + 1
    # The same inputs in any order give the same teams.
    shuffled_workshops, shuffled_auditors = list(workshops), list(auditors)
    shuffle.shuffle(shuffled_workshops)
    shuffle.shuffle(shuffled_auditors)
    assert dict(assign(shuffled_workshops, shuffled_auditors, team_size, method)) == dict(result)


@settings(max_examples=150, deadline=None, database=None, derandomize=True)
@given(st.integers(3, 40), st.integers(1, 4), st.lists(st.sampled_from(MUNICIPALITIES), min_size=40, max_size=40))
def test_peer_round_has_no_reciprocal_pairs_when_avoidable(n, team_size, municipalities) -> None:
    workshops = [Workshop(f"P{i}", f"Paja {i}", municipality=municipalities[i]) for i in range(n)]
    if n < team_size + 1:
        with pytest.raises(RoundError, match="tarvitsee vähintään"):
            assign(workshops, team_size=team_size)
        return
    result = assign(workshops, team_size=team_size)
    pairs = directed(result)
    reciprocal = {(x, y) for x, y in pairs if (y, x) in pairs}
    # Each workshop audits team_size others and is audited by team_size others: with 2k+1 or more
    # workshops a rotation avoids every reciprocal pair, so the assignment must too.
    if n >= 2 * team_size + 1:
        assert reciprocal == set()
    assert result.summary().load_min == result.summary().load_max == team_size


@settings(max_examples=100, deadline=None, database=None, derandomize=True)
@given(st.integers(4, 30), st.integers(1, 3), st.integers(2, 6))
def test_municipalities_avoided_when_every_municipality_is_small(n, team_size, groups) -> None:
    """With every municipality under a 1/(k+1) share there is room to send everyone elsewhere."""
    workshops = [Workshop(f"P{i}", f"Paja {i}", municipality=f"Kunta {i % (n // groups + 1)}") for i in range(n)]
    sizes = Counter(w.municipality for w in workshops)
    if n < 2 * team_size + 1 or max(sizes.values()) * (team_size + 1) > n:
        return
    assert assign(workshops, team_size=team_size).summary().same_municipality == 0
