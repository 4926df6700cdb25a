"""The round file: `init` writes a round that loads, and a broken round reports every problem at once."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from auditkit.errors import OutputExistsError, RoundError
from auditkit.model import Auditor
from auditkit.round import RoundConfig, init_round, later_deadlines, load_round, next_round, passed_deadline

# These tests pin the exact wording of problems in its English source (see conftest.english); the
# Finnish wording and the codes are checked in test_problem_messages.py.
pytestmark = pytest.mark.usefixtures("english")


def test_init_then_load(tmp_path: Path) -> None:
    written = init_round(tmp_path / "k")
    assert [p.name for p in written] == ["round.toml", "tyopajat.csv", "auditoijat.csv"]
    loaded = load_round(tmp_path / "k" / "round.toml")
    assert loaded.problems == ()
    import auditkit.round

    round_id, season, deadline = auditkit.round.next_round()  # as init calls it (conftest fixes the day)
    audit, comments = later_deadlines(deadline)
    assert loaded.config == RoundConfig(
        id=round_id, name=f"Laatumerkin auditointikierros, {season}", audit_type="peer", deadline=deadline,
        audit_deadline=audit, comments_deadline=comments,
        coordinator="Kaisa Koordinaattori", coordinator_email="koordinaattori@example.fi",
        return_to="koordinaattori@example.fi", register="tyopajat.csv", auditors="auditoijat.csv",
        assignment_method="peer", team_size=2, assignment_file="jaot.csv", output="output", base_dir=tmp_path / "k",
        file=str(tmp_path / "k" / "round.toml"), instance=loaded.config.instance)
    # init draws the round's own instance id: another round with the same id gets another.
    assert re.fullmatch(r"[0-9a-f]{12}", loaded.config.instance)
    init_round(tmp_path / "k2")
    assert load_round(tmp_path / "k2" / "round.toml").config.instance != loaded.config.instance
    assert deadline < audit < comments
    assert loaded.config.register_path == tmp_path / "k" / "tyopajat.csv"
    assert loaded.config.auditors_path == tmp_path / "k" / "auditoijat.csv"
    assert loaded.config.output_dir == tmp_path / "k" / "output"
    assert len(loaded.workshops) == 12 and len(loaded.auditors) == 13
    assert loaded.auditors[-1] == Auditor("Riikka Ojala", "riikka.ojala@example.fi", "P05", conflicts=("P07", "P12"))
    assert loaded.workshop("p04").name == "Nuorten työpaja Ääri/Reuna"
    assert loaded.workshop("P03").name == "Verstas \"Uusi suunta\""
    profiles = {w.profile.audience for w in loaded.workshops}
    assert profiles == {"youth", "adult", "both"}
    assert {w.profile.learning_environments for w in loaded.workshops} == {True, False}
    assert len({w.municipality for w in loaded.workshops}) >= 8
    assert all(w.email.endswith("@example.fi") for w in loaded.workshops)


def test_example_auditors_file_is_named_and_loads(tmp_path: Path) -> None:
    init_round(tmp_path)
    loaded = load_round(tmp_path / "round.toml")
    assert len(loaded.auditors) == 13
    assert loaded.auditors[0] == Auditor("Maija Virtanen", "maija.virtanen@example.fi", "P01")
    assert loaded.auditors[3].conflicts == ("P08",)


def test_next_round_follows_intos_deadlines() -> None:
    assert next_round(dt.date(2026, 5, 31)) == ("kevat-2026", "kevät 2026", "2026-06-01")
    assert next_round(dt.date(2026, 6, 1)) == ("syksy-2026", "syksy 2026", "2026-12-01")
    assert next_round(dt.date(2026, 12, 24)) == ("kevat-2027", "kevät 2027", "2027-06-01")


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    init_round(tmp_path)
    (tmp_path / "tyopajat.csv").write_text("oma", encoding="utf-8")
    (tmp_path / "round.toml").unlink()
    with pytest.raises(OutputExistsError) as caught:
        init_round(tmp_path)
    assert str(caught.value) == (f"{tmp_path / 'tyopajat.csv'}, {tmp_path / 'auditoijat.csv'}: already there; "
                                 "choose a new folder, or add --force to overwrite (your edits in them are lost).")
    assert not (tmp_path / "round.toml").exists()  # nothing written
    init_round(tmp_path, force=True)
    assert (tmp_path / "tyopajat.csv").read_text(encoding="utf-8-sig").startswith("tunnus;nimi")


BROKEN = """\
[round]
id = "Kevät 2026"
name = ""
audit_type = "vertais"
deadline = "1.6.2026"
extra = 1

[coordinator]
email = "koord.example.fi"

[register]
workshops = "tyopajat.csv"
auditors = "puuttuu.csv"

[assignment]
method = "random"
team_size = "2"

[outputs]
folder = "x"
"""


def test_broken_round_reports_every_problem(tmp_path: Path) -> None:
    (tmp_path / "round.toml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "tyopajat.csv").write_text("tunnus;nimi;profiili\nP1;Paja;nuoret\nP1;Toinen;lapset\n",
                                           encoding="utf-8")
    with pytest.raises(RoundError) as caught:
        load_round(tmp_path / "round.toml")
    name, register = tmp_path / "round.toml", tmp_path / "tyopajat.csv"
    assert caught.value.message == f"{name}: 12 problem(s) to fix before the round can be used:"
    assert [str(p) for p in caught.value.problems] == [
        f"{name}, key round.extra: unknown key; [round] has id, name, audit_type, deadline, instance, language.",
        f"{name}, table [outputs]: unknown table; a round file has [round], [deadlines], [coordinator], [register], "
        "[assignment], [output].",
        f"{name}, key round.id: 'Kevät 2026' is not a safe id; use lower-case letters a–z, digits and hyphens, "
        "e.g. id = \"kevat-2026\".",
        f"{name}, key round.name: is empty; write the round's name as the documents should show it.",
        f"{name}, key round.audit_type: 'vertais' is not an audit type; write \"peer\" (vertaisauditointi) or "
        "\"external\" (ulkoinen auditointi).",
        f"{name}, key round.deadline: '1.6.2026' is not a date as YYYY-MM-DD; write e.g. deadline = \"2026-06-01\".",
        f"{name}, key coordinator.email: 'koord.example.fi' is not an email address; write one address.",
        f"{name}, key assignment.method: 'random' is not a way to assign auditors; write \"peer\" (auditors from "
        "the participating workshops) or \"register\" (from the auditors file).",
        f"{name}, key assignment.team_size: '2' is not a team size; write a whole number from 1 to 10 without "
        "quotes, e.g. team_size = 2.",
        f"{name}, key register.auditors: '{tmp_path / 'puuttuu.csv'}' not found; the path is relative to the "
        "round file's folder. Correct the file name.",
        f"{register}, line 3: duplicate id 'P1' (first on line 2); give each workshop its own id.",
        f"{register}, line 3: profile 'lapset' is not known; write nuoret, aikuiset or molemmat (youth, adult, both).",
    ]


def test_round_file_syntax_error_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "round.toml"
    path.write_text("[round]\nid = kevat\n", encoding="utf-8")
    with pytest.raises(RoundError) as caught:
        load_round(path)
    assert str(caught.value) == (
        "The round file cannot be read:\n"
        f"  - {path}, line 2: Invalid value; fix the syntax there: text goes in double quotes, e.g. "
        "name = \"Kevät 2026\".")
    with pytest.raises(RoundError) as caught:
        load_round(tmp_path / "ei.toml")
    assert str(caught.value.problems[0]) == (
        f"{tmp_path / 'ei.toml'}: file not found; give the path of a round file, or make one with "
        "`auditkit init FOLDER`.")


def test_minimal_round_defaults_toml_date_and_warnings(tmp_path: Path) -> None:
    (tmp_path / "pajat.csv").write_text("id,name\nA,Paja A\n", encoding="utf-8")
    path = tmp_path / "round.toml"
    path.write_text("\ufeff[round]\nid = \"r1\"\nname = \"Kierros\"\ndeadline = 2020-06-01\n"
                    "[register]\nworkshops = \"pajat.csv\"\n", encoding="utf-8")
    loaded = load_round(path)
    assert (loaded.config.deadline, loaded.config.team_size, loaded.config.assignment_method) == ("2020-06-01", 2, "peer")
    # A round file made before round instances: it works, and the warning suggests a line to add.
    instance = loaded.problems[0]
    assert (instance.place, instance.severity) == ("key round.instance", "warning")
    assert re.fullmatch(
        "the round has no instance id, so files of another round with the same id 'r1' \\(another coordinator's, or a "
        "later round's\\) cannot be told apart from this round's. Add under \\[round\\] the line "
        "instance = \"[0-9a-f]{12}\"; kits made before keep working, kits made after carry it.", instance.message)
    assert [str(p) for p in loaded.problems[1:]] == [
        f"{path}, table [deadlines]: no audit deadline; the auditors' packs will not say when the audit is due. Add "
        "audit = \"YYYY-MM-DD\" under [deadlines].",
        f"{tmp_path / 'pajat.csv'}: no column for profile (profiili); every workshop is taken as molemmat, so every "
        "criterion applies. Add the column and write nuoret, aikuiset or molemmat.",
        f"{tmp_path / 'pajat.csv'}: no column for learning environments (oppimisympäristöt); every workshop is taken "
        "as kyllä, so the learning-environment criteria apply. Add the column and write kyllä or ei.",
    ]


def test_peer_round_auditors_must_come_from_the_register(tmp_path: Path) -> None:
    init_round(tmp_path)
    path = tmp_path / "round.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('auditors = ""', 'auditors = "auditoijat.csv"'),
                    encoding="utf-8")
    with (tmp_path / "auditoijat.csv").open("a", encoding="utf-8") as handle:
        handle.write("Ulla Ulkoinen;ulla@example.fi;P99\r\nKalle Koti;kalle@example.fi;\r\n")
    with pytest.raises(RoundError) as caught:
        load_round(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'auditoijat.csv'}, line 15: Ulla Ulkoinen: home workshop 'P99' is not in the register; in a "
        "peer round each auditor comes from a participating workshop. Give its id as in the register.",
        f"{tmp_path / 'auditoijat.csv'}, line 16: Kalle Koti: no home workshop (kotipaja); in a peer round each "
        "auditor comes from a participating workshop. Give its id as in the register.",
    ]
    # In a round with an auditor register, people from elsewhere are fine.
    path.write_text(path.read_text(encoding="utf-8").replace('method = "peer"', 'method = "register"'),
                    encoding="utf-8")
    assert len(load_round(path).auditors) == 15


def test_register_method_needs_an_auditors_file(tmp_path: Path) -> None:
    init_round(tmp_path)
    path = tmp_path / "round.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('method = "peer"', 'method = "register"')
                    .replace('audit_type = "peer"', 'audit_type = "external"')
                    .replace('auditors = "auditoijat.csv"', 'auditors = ""'), encoding="utf-8")
    with pytest.raises(RoundError) as caught:
        load_round(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}, key assignment.method: \"register\" takes the auditors from the auditors file, but "
        "register.auditors is empty; give the file, or use method = \"peer\"."]


def test_deadlines_per_phase_and_the_old_single_deadline(tmp_path: Path) -> None:
    (tmp_path / "pajat.csv").write_text("id,name\nA,Paja A\n", encoding="utf-8")
    path = tmp_path / "round.toml"
    base = "[round]\nid = \"r1\"\nname = \"Kierros\"\n{}[register]\nworkshops = \"pajat.csv\"\n"
    path.write_text(base.format("deadline = \"2026-12-01\"\n[deadlines]\naudit = \"2027-02-01\"\n"
                                "comments = 2027-02-15\n"), encoding="utf-8")
    config = load_round(path).config
    assert (config.deadline, config.audit_deadline, config.comments_deadline) == ("2026-12-01", "2027-02-01",
                                                                                "2027-02-15")
    assert config.deadline_of("self") == "2026-12-01" and config.deadline_of("audit") == "2027-02-01"
    path.write_text(base.format("deadline = \"2026-12-01\"\n[deadlines]\nself_assessment = \"2026-12-02\"\n"
                                "audit = \"2026-11-01\"\ncomments = \"1.2.2027\"\n"), encoding="utf-8")
    with pytest.raises(RoundError) as caught:
        load_round(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}, key round.deadline: '2026-12-01' and deadlines.self_assessment '2026-12-02' disagree; the "
        "self-assessment has one deadline: keep deadlines.self_assessment and remove round.deadline.",
        f"{path}, key deadlines.comments: '1.2.2027' is not a date as YYYY-MM-DD; write e.g. comments = \"2027-02-01\".",
        f"{path}, key deadlines.audit: 1.11.2026 is not after the self-assessment deadline 2.12.2026, but the auditors "
        "start from the returned self-assessments; correct the dates.",
    ]


def test_a_passed_deadline_is_a_warning_where_documents_would_show_it(tmp_path: Path) -> None:
    init_round(tmp_path, today=dt.date(2026, 3, 1))
    config = load_round(tmp_path / "round.toml").config
    assert config.deadline == "2026-06-01"
    assert passed_deadline(config, "self", dt.date(2026, 6, 1)) is None
    assert str(passed_deadline(config, "self", dt.date(2026, 6, 2))) == (
        f"{tmp_path / 'round.toml'}: the self-assessment deadline 1.6.2026 has passed, and the documents made now "
        "show it; check the date.")
    assert passed_deadline(config, "audit", dt.date(2026, 6, 2)) is None
