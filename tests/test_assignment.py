"""Auditor assignment: teams and roles, impossible rounds, and the assignment file the coordinator edits."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from auditkit.assignment import (
    LEAD,
    MEMBER,
    Assignment,
    assign,
    auditor_pool,
    peer_auditor,
    read_assignment,
    round_assignment,
    write_assignment,
)
from auditkit.errors import OutputExistsError, RoundError
from auditkit.model import Auditor, Workshop
from auditkit.round import init_round, load_round

# These tests pin the exact wording of problems in its English source (see conftest.english); the
# Finnish wording and the codes are checked in test_problem_messages.py.
pytestmark = pytest.mark.usefixtures("english")


def workshops(n: int, municipalities: tuple[str, ...] = ("",)) -> list[Workshop]:
    return [Workshop(f"P{i:02d}", f"Paja {i}", municipality=municipalities[i % len(municipalities)],
                     email=f"p{i}@example.fi") for i in range(1, n + 1)]


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


@pytest.fixture()
def example(tmp_path: Path):
    init_round(tmp_path / "kierros")
    return load_round(tmp_path / "kierros" / "round.toml")


def test_init_example_gives_twelve_workshops_and_a_valid_assignment(example) -> None:
    assert len(example.workshops) == 12 and len(example.auditors) == 13  # people, named in auditoijat.csv
    result = assign(example.workshops, example.auditors, example.config.team_size, example.config.assignment_method)
    assert list(result) == [f"P{i:02d}" for i in range(1, 13)]
    organisation = {w.id: w.organisation for w in example.workshops}
    for wid, team in result.items():
        assert len(team) == 2 and [a.role for a in team] == [LEAD, MEMBER]
        assert all(a.home_workshop_id != wid for a in team)
        # P01 and P02 are both Ahjo ry's: their people never audit the other
        assert all(organisation[a.home_workshop_id] != organisation[wid] for a in team)
        assert all(wid not in a.conflicts for a in team)
    assert {a.name for a in result["P08"]}.isdisjoint({"Pekka Nieminen"})  # declared a conflict with P08
    assert {a.name for a in result["P07"]} | {a.name for a in result["P12"]} >= set() and all(
        a.name != "Riikka Ojala" for wid in ("P07", "P12") for a in result[wid])
    summary = result.summary()
    # 24 places for 13 people: eleven audit twice, two once
    assert (summary.load_min, summary.load_max, summary.reciprocal_pairs, summary.same_municipality) == (1, 2, 0, 0)
    leads = [team[0].name for team in result.values()]
    assert len(set(leads)) == 12  # nobody leads twice


def test_peer_auditors_are_the_workshops_unless_people_are_named() -> None:
    ws = workshops(4)
    named = [Auditor("Maija Virtanen", "maija@example.fi", "p02"), Auditor("Ulla Ulkoinen", "", "X9")]
    pool = auditor_pool(ws, named)
    assert pool == (peer_auditor(ws[0]), Auditor("Maija Virtanen", "maija@example.fi", "P02"),
                    peer_auditor(ws[2]), peer_auditor(ws[3]))
    assert peer_auditor(ws[0]) == Auditor("Paja 1 (vertaisauditoija)", "p1@example.fi", "P01")


def test_too_few_workshops_for_a_peer_team() -> None:
    with pytest.raises(RoundError) as caught:
        assign(workshops(2), team_size=2)
    assert str(caught.value) == (
        "a peer round with teams of 2 needs at least 3 workshops (nobody audits their own workshop), and the "
        "register has 2. Add workshops, lower team_size in the round file, or name more auditors per workshop "
        "in an auditors file.")


def test_register_method_needs_auditors_and_enough_from_outside() -> None:
    with pytest.raises(RoundError, match="method \"register\" takes auditors from the auditors file"):
        assign(workshops(3), [], method="register")
    staff = [Auditor("A", "", "P01"), Auditor("B", "", "P01"), Auditor("C", "", "P02")]
    with pytest.raises(RoundError) as caught:
        assign(workshops(2), staff, team_size=2, method="register")
    assert str(caught.value) == (
        "1 workshop(s) cannot get a team of 2:\n"
        "  - workshop P01: Paja 1: only 1 auditor(s) may audit it, and a team needs 2; barred by the rules: 2 come "
        "from the workshop itself (A, B). Add auditors free of these, or lower team_size in the round file.")
    with pytest.raises(RoundError, match="'random' is not a way to assign auditors"):
        assign(workshops(3), method="random")
    with pytest.raises(RoundError, match="no workshops to assign"):
        assign([])


def test_no_auditor_free_of_conflicts_names_the_workshop_and_each_rule() -> None:
    ws = [Workshop("P01", "Paja 1", "Ahjo ry"), Workshop("P02", "Paja 2", "Ahjo ry"), Workshop("P03", "Paja 3", "Muu ry")]
    pool = [Auditor("Aila", "", "P02"), Auditor("Bertta", "", "", organisation="Ahjo ry"),
            Auditor("Cecilia", "", "P03", conflicts=("P01",)), Auditor("Dora", "", "P01")]
    with pytest.raises(RoundError) as caught:
        assign(ws, pool, team_size=1, method="register")
    assert str(caught.value) == (
        "1 workshop(s) cannot get a team of 1:\n"
        "  - workshop P01: Paja 1: only 0 auditor(s) may audit it, and a team needs 1; barred by the rules: 1 come "
        "from the workshop itself (Dora); 2 work for its organisation (Ahjo ry) (Bertta, Aila); 1 declared a "
        "conflict of interest with it (Cecilia). Add auditors free of these, or lower team_size in the round file.")
    pool.append(Auditor("Eero", "", "P03"))
    result = assign(ws, pool, team_size=1, method="register")
    assert [a.name for a in result["P01"]] == ["Eero"]
    assert all(a.name not in ("Aila", "Bertta", "Dora") for a in result["P02"])


def test_edited_assignment_may_not_break_the_rules(tmp_path: Path) -> None:
    ws = [Workshop("P01", "Paja 1", "Ahjo ry"), Workshop("P02", "Paja 2", "Ahjo ry"), Workshop("P03", "Paja 3", "Muu ry")]
    pool = [Auditor("Aila", "", "P02"), Auditor("Cecilia", "", "P03", conflicts=("P01",))]
    path = tmp_path / "jaot.csv"
    path.write_text("workshop_id;role;auditor_name\nP01;pääauditoija;Aila\nP01;auditoija;Cecilia\n", encoding="utf-8")
    _assignment, problems = read_assignment(path, ws, pool, allow_missing=True)
    assert messages(problems) == [
        f"{path}, line 2: Aila works for Ahjo ry, the organisation of P01, and cannot audit it; choose another auditor.",
        f"{path}, line 3: Cecilia declared a conflict of interest with P01 and cannot audit it; choose another auditor.",
    ]


def test_external_auditors_balanced_and_never_twice_in_a_team() -> None:
    external = [Auditor(f"Auditoija {i}", f"a{i}@example.fi") for i in range(5)]
    result = assign(workshops(12), external, team_size=3, method="register")
    assert all(len({a.name for a in team}) == 3 for team in result.values())
    summary = result.summary()
    assert (summary.auditors, summary.load_min, summary.load_max) == (5, 7, 8)


def test_same_municipality_avoided_when_the_pool_allows() -> None:
    result = assign(workshops(12, ("Tampere", "Oulu")), team_size=2)
    assert result.summary().same_municipality == 0
    result = assign(workshops(20, ("Tampere", "Oulu")), team_size=3)
    assert result.summary().same_municipality == 0


def test_mapping_interface_and_unused_auditors_count_in_the_load() -> None:
    ws = workshops(3)
    pool = [Auditor(f"A{i}") for i in range(8)]
    result = assign(ws, pool, team_size=1, method="register")
    assert isinstance(result, Assignment) and len(result) == 3 and result["P01"][0].role == LEAD
    assert result.get("P99") is None
    assert (result.summary().load_min, result.summary().load_max) == (0, 1)


# --- the assignment file -----------------------------------------------------------------------


def test_write_and_read_round_trip(tmp_path: Path, example) -> None:
    result = assign(example.workshops)
    path = write_assignment(result, tmp_path / "jaot.csv", lang="fi")  # the round's language
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["tunnus", "työpaja", "rooli", "auditoija", "sähköposti", "kotipaja"]
    assert rows[1][:3] == ["P01", "Nuorten työpaja Ahjo", LEAD] and len(rows) == 25
    again, problems = read_assignment(path, example.workshops, auditor_pool(example.workshops))
    assert problems == []
    assert dict(again) == dict(result)
    with pytest.raises(OutputExistsError) as caught:
        write_assignment(result, path)
    assert str(caught.value) == (f"{path}: already there, perhaps with your edits; keep it, or add --force to "
                                 "replace it with a new assignment.")
    write_assignment(result, path, force=True)
    # A round in English (support people) writes its header in English; either reads back the same.
    english = write_assignment(result, tmp_path / "jaot-en.csv", lang="en")
    assert english.read_text(encoding="utf-8-sig").splitlines()[0] == (
        "workshop id;workshop name;role;auditor;email;home workshop")
    assert read_assignment(english, example.workshops, auditor_pool(example.workshops)) == (again, [])


def test_names_that_look_like_formulas_stay_text(tmp_path: Path) -> None:
    ws = [Workshop("A", "=HYPERLINK(\"x\")"), Workshop("B", "+358 paja"), Workshop("C", "-Paja-"),
          Workshop("D", "@paja")]
    result = assign(ws)
    path = write_assignment(result, tmp_path / "jaot.csv")
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[1][:2] == ["A", "'=HYPERLINK(\"x\")"]
    assert {row[3] for row in rows[1:]} >= {"'+358 paja (vertaisauditoija)", "'-Paja- (vertaisauditoija)"}
    again, problems = read_assignment(path, ws, auditor_pool(ws))
    assert problems == [] and dict(again) == dict(result)


def test_edited_assignment_problems_with_their_lines(tmp_path: Path) -> None:
    ws = workshops(4)
    pool = auditor_pool(ws)
    path = tmp_path / "jaot.csv"
    path.write_text(
        "workshop_id;workshop_name;role;auditor_name;auditor_email;auditor_home_workshop\n"
        "P01;Paja 1;pääauditoija;Paja 2 (vertaisauditoija);;P02\n"   # completed from the pool
        "P01;Paja 1;auditoija;Paja 1 (vertaisauditoija);p1@example.fi;P01\n"
        "P09;Paja 9;auditoija;Paja 2 (vertaisauditoija);;P02\n"
        "P02;Paja 2;auditoija;Matti Meikäläinen;matti@example.fi;\n"
        "P02;Paja 2;pomo;Paja 3 (vertaisauditoija);;P03\n"
        "P03;Paja kolme;lead;Paja 4 (vertaisauditoija);;P04\n"
        "P03;Paja 3;pääauditoija;Paja 1 (vertaisauditoija);;P01\n"
        "P03;Paja 3;auditoija;Paja 4 (vertaisauditoija);;P04\n",
        encoding="utf-8")
    result, problems = read_assignment(path, ws, pool)
    assert messages(p for p in problems if p.severity == "error") == [
        f"{path}, line 3: Paja 1 (vertaisauditoija) comes from P01 and cannot audit it; choose another auditor.",
        f"{path}, line 4: workshop 'P09' is not in the register; correct the id or delete the row.",
        f"{path}, line 6: role 'pomo' is not known; write pääauditoija or auditoija.",
        f"{path}, line 8: P03 already has a pääauditoija (Paja 4 (vertaisauditoija), on line 7); one lead per "
        "workshop: write auditoija here.",
        f"{path}, line 9: Paja 4 (vertaisauditoija) is already in the team of P03 (on line 7); delete one of the rows.",
        f"{path}: P04 'Paja 4' has no auditors; add rows for it, or make a new assignment with "
        "`auditkit assign --force`.",
    ]
    assert messages(p for p in problems if p.severity == "warning") == [
        f"{path}, line 5: Matti Meikäläinen is not among the round's auditors; taken as written.",
        f"{path}, line 7: the register names P03 'Paja 3', not 'Paja kolme'; check that the id is right (the "
        "register's name is used).",
        f"{path}: P02 has no pääauditoija; the first listed, Matti Meikäläinen, leads.",
    ]
    assert result["P01"] == (Auditor("Paja 2 (vertaisauditoija)", "p2@example.fi", "P02", LEAD),)
    assert result["P02"] == (Auditor("Matti Meikäläinen", "matti@example.fi", "", LEAD),)
    assert "P04" not in result


def test_assignment_from_xlsx_and_comma_csv(tmp_path: Path) -> None:
    ws = workshops(3)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Työpajan tunnus", "Rooli", "Auditoija", "Kotipaja"])
    for wid, home in (("P01", "P02"), ("P02", "P03"), ("P03", "P01")):
        sheet.append([wid, "", f"Paja {home[-1]} (vertaisauditoija)", home])
    workbook.save(tmp_path / "jaot.xlsx")
    result, problems = read_assignment(tmp_path / "jaot.xlsx", ws, auditor_pool(ws))
    assert messages(problems) == [f"{tmp_path / 'jaot.xlsx'}: {wid} has no pääauditoija; the first listed, "
                                  f"Paja {home[-1]} (vertaisauditoija), leads."
                                  for wid, home in (("P01", "P02"), ("P02", "P03"), ("P03", "P01"))]
    assert result["P01"] == (Auditor("Paja 2 (vertaisauditoija)", "p2@example.fi", "P02", LEAD),)


def test_round_assignment_uses_the_edited_file(example) -> None:
    fresh, problems = round_assignment(example)
    assert problems == [] and len(fresh) == 12
    write_assignment(fresh, example.config.assignment_path)
    text = example.config.assignment_path.read_text(encoding="utf-8-sig")
    example.config.assignment_path.write_text(text.replace("Anne Saarinen", "Kaija Karelia"),
                                              encoding="utf-8-sig")
    edited, problems = round_assignment(example)
    assert any(a.name == "Kaija Karelia" for team in edited.values() for a in team)
    assert messages(problems) == [f"{example.config.assignment_path}, line {n}: Kaija Karelia is not among the "
                                  "round's auditors; taken as written." for n in _lines_with(text, "Anne Saarinen")]


def _lines_with(text: str, needle: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
