"""Workshops added after the assignment: teams for them, every team already sent unchanged."""

from __future__ import annotations

import pytest

from auditkit.assignment import assign, auditor_pool, extend
from auditkit.catalogue import Profile
from auditkit.errors import RoundError
from auditkit.model import Workshop

# These tests pin the exact wording of problems in its English source (see conftest.english); the
# Finnish wording and the codes are checked in test_problem_messages.py.
pytestmark = pytest.mark.usefixtures("english")


def workshops(n: int, start: int = 1) -> list[Workshop]:
    towns = ["Oulu", "Kemi", "Tampere", "Turku"]
    return [Workshop(f"P{i:02d}", f"Paja {i}", municipality=towns[i % 4], email=f"p{i}@x.fi", profile=Profile())
            for i in range(start, start + n)]


def test_new_workshops_get_teams_and_old_teams_stay() -> None:
    first = workshops(10)
    before = assign(first)
    everyone = first + workshops(3, start=11)
    after = extend(before, everyone, auditor_pool(everyone), team_size=2)
    assert all(after[w.id] == before[w.id] for w in first)
    for w in everyone[10:]:
        team = after[w.id]
        assert len(team) == 2 and team[0].role == "pääauditoija" and team[1].role == "auditoija"
        assert all(a.home_workshop_id != w.id for a in team)
        assert len({a.home_workshop_id for a in team}) == 2
    loads = after.loads()
    assert max(loads.values()) - min(loads.values()) <= 2
    assert extend(before, everyone, auditor_pool(everyone)) == after  # deterministic


def test_a_team_that_cannot_be_made_is_refused() -> None:
    three = workshops(3)
    before = assign(three)
    newcomer = Workshop("X1", "Yksin")
    only_one = auditor_pool(three)[:1]  # a pool of one auditor cannot make a team of two
    with pytest.raises(RoundError, match="X1 'Yksin': not enough auditors from other workshops for a team of 2"):
        extend(before, [*three, newcomer], only_one, team_size=2)
