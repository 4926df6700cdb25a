"""The workshop register and the auditor register: their rows as Workshops and Auditors, every problem
with its line."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .catalogue import Profile
from .errors import Param, Problem, Text, place_text, say
from .i18n import N_
from .model import Auditor, Workshop
from .records import Column, Record, listing, read_records
from .textnorm import header_key


REGISTER_COLUMNS: tuple[Column, ...] = (
    Column("id", "tunnus (id)", ("tunnus", "tunniste", "työpajan tunnus", "pajan tunnus", "workshop id", "code",
                                 "kod", "verkstadens kod")),
    Column("name", "nimi (name)", ("nimi", "työpaja", "työpajan nimi", "pajan nimi", "paja", "workshop",
                                   "workshop name", "namn", "verkstad", "verkstadens namn")),
    Column("organisation", "organisaatio (organisation)", ("organisaatio", "organization", "järjestäjä",
                                                           "taustaorganisaatio", "ylläpitäjä",
                                                           "huvudman", "bakgrundsorganisation")),
    Column("municipality", "kunta (municipality)", ("kunta", "kaupunki", "sijaintikunta", "kotikunta", "city", "kommun", "stad")),
    Column("region", "alue (region)", ("alue", "maakunta", "region", "county", "landskap")),
    Column("email", "sähköposti (email)", ("sähköposti", "sähköpostiosoite", "s-posti", "e-mail", "email address",
                                           "yhteyshenkilön sähköposti", "contact email",
                                           "e-post", "e-postadress")),
    Column("profile", "profiili (profile)", ("profiili", "kohderyhmä", "target group", "audience",
                                                     "profil", "målgrupp")),
    Column("learning_environments", "oppimisympäristöt (learning environments)", (
        "oppimisympäristöt", "oppimisympäristö", "learning environments", "learning environment",
        "opinnollistaminen", "lärmiljöer", "lärmiljö")),
    Column("language", "kieli (language: fi, sv)", ("kieli", "language", "språk", "asiointikieli", "työkieli"),
           listed=False),
)
AUDITOR_COLUMNS: tuple[Column, ...] = (
    Column("name", "nimi (name)", ("nimi", "auditoija", "auditor", "henkilö", "person", "namn",
                                   "auditör")),
    Column("email", "sähköposti (email)", REGISTER_COLUMNS[5].aliases),
    Column("home", "kotipaja (home workshop id)", ("kotipaja", "kotipajan tunnus", "home workshop",
                                                   "home workshop id", "työpaja", "työpajan tunnus", "paja",
                                                   "tunnus", "workshop id", "workshop",
                                                   "hemverkstad")),
    Column("organisation", "organisaatio (organisation)", REGISTER_COLUMNS[2].aliases),
    Column("conflicts", "esteellisyydet (declared conflicts of interest: workshop ids)", (
        "esteellisyydet", "esteellisyys", "esteellinen", "jäävi", "jäävit", "jääviys", "conflicts",
        "conflict of interest", "conflicts of interest", "declared conflicts",
        "jäv", "jävig")),
    REGISTER_COLUMNS[-1],
)
# Workshop ids in a cell of the conflicts column: "P03, P07", "P03 P07" or "P03/P07".
_ID_LIST = re.compile(r"[,;/\s]+")

PROFILE_VALUES: Mapping[str, str] = {
    header_key(k): v for k, v in {
        "nuoret": "youth", "nuori": "youth", "nuorten": "youth", "youth": "youth", "young people": "youth",
        "aikuiset": "adult", "aikuinen": "adult", "aikuisten": "adult", "adult": "adult", "adults": "adult",
        "molemmat": "both", "nuoret ja aikuiset": "both", "kaikki": "both", "both": "both", "all": "both",
        "unga": "youth", "vuxna": "adult", "båda": "both", "unga och vuxna": "both", "alla": "both",
    }.items()
}
PROFILE_FI = {"youth": "nuoret", "adult": "aikuiset", "both": "molemmat"}
YES_NO: Mapping[str, bool] = {
    header_key(k): v for k, v in {
        "kyllä": True, "k": True, "kylla": True, "on": True, "yes": True, "y": True, "1": True, "true": True, "x": True,
        "ei": False, "e": False, "no": False, "n": False, "0": False, "false": False,
        "ja": True, "nej": False,
    }.items()
}
# The register's kieli: the languages a workshop's documents (or an auditor's letters) can be made in.
LANGUAGE_VALUES: Mapping[str, str] = {
    header_key(k): v for k, v in {
        "fi": "fi", "suomi": "fi", "suomeksi": "fi", "finska": "fi", "finnish": "fi", "fi-fi": "fi",
        "sv": "sv", "svenska": "sv", "ruotsi": "sv", "ruotsiksi": "sv", "på svenska": "sv", "swedish": "sv",
        "sv-fi": "sv",
    }.items()
}
_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]{2,}$")


def is_email(text: str) -> bool:
    """Whether text looks like one email address (name@domain.tld)."""
    return bool(_EMAIL.match(text))


def id_sort_key(text: str) -> tuple[Any, ...]:
    """Sort ids the way people read them: P2 before P10, case ignored."""
    parts = tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                  for part in re.split(r"(\d+)", text.casefold()) if part)
    return (parts, text)


def read_register(path: str | Path) -> tuple[tuple[Workshop, ...], list[Problem]]:
    """Read the workshop register (CSV or .xlsx) into Workshops, in the file's order, and every problem.

    Ids are kept as given (trimmed) and must be unique (case ignored); names, organisations and the
    other texts are kept as written apart from surrounding spaces. Rows with errors are left out of the
    result; the problems say which and why. Never raises on a bad file.
    """
    name = str(path)
    records, problems = read_records(path, REGISTER_COLUMNS, ("id", "name"))
    workshops: list[Workshop] = []
    first_at: dict[str, tuple[str, str]] = {}
    no_profile: list[str] = []
    no_learning: list[str] = []
    for record in records:
        errors: list[tuple[str, Text]] = []
        wid = record.get("id")
        if not wid:
            errors.append(("id-empty", say("the id (tunnus) is empty; give each workshop its own id.")))
        elif wid.casefold() in first_at:
            first, spelled = first_at[wid.casefold()]
            errors.append(("id-twice", say("duplicate id '{id}' (first on {first}); give each workshop its own id.",
                                           id=wid, first=place_text(first)) if spelled == wid else
                           say("duplicate id '{id}' (first on {first} as '{spelled}'); give each workshop its own id.",
                               id=wid, first=place_text(first), spelled=spelled)))
        else:
            first_at[wid.casefold()] = (record.at, wid)
        if not record.get("name"):
            errors.append(("name-empty", say("the name (nimi) is empty; write the workshop's name.")))
        audience = _lookup(record, "profile", PROFILE_VALUES, "both", no_profile, errors, "profile-unknown",
                           N_("profile '{value}' is not known; write nuoret, aikuiset or molemmat (youth, adult, "
                              "both)."))
        learning = _lookup(record, "learning_environments", YES_NO, True, no_learning, errors,
                           "learning-environments-unknown",
                           N_("learning environments '{value}' is not known; write kyllä or ei (yes or no)."))
        email = record.get("email")
        if email and not is_email(email):
            errors.append(("email-invalid", say("'{email}' is not an email address; write one address, e.g. "
                                                "paja@example.fi.", email=email)))
        lang = _language(record, errors)
        problems.extend(Problem(name, record.place, message, code=code) for code, message in errors)
        if not errors:
            workshops.append(Workshop(
                id=wid, name=record.get("name"), organisation=record.get("organisation"),
                municipality=record.get("municipality"), region=record.get("region"), email=email,
                profile=Profile(audience=audience, learning_environments=learning), language=lang))
    for key, empty, label, default, effect, values in (
        ("profile", no_profile, N_("profile (profiili)"), "molemmat", N_("every criterion applies"),
         N_("nuoret, aikuiset or molemmat")),
        ("learning_environments", no_learning, N_("learning environments (oppimisympäristöt)"), "kyllä",
         N_("the learning-environment criteria apply"), N_("kyllä or ei")),
    ):
        said: dict[str, Param] = {"label": say(label), "default": default, "effect": say(effect),
                                  "values": say(values)}
        if records and not any(key in record.values for record in records):
            problems.append(Problem(name, "", Text(N_(
                "no column for {label}; every workshop is taken as {default}, so {effect}. Add the column and write "
                "{values}."), tuple(said.items())), "warning", f"{key.replace('_', '-')}-column-missing"))
        elif empty:
            problems.append(Problem(name, "", Text(N_(
                "no {label} on {rows}; taken as {default}, so {effect}. Write {values}."),
                tuple({**said, "rows": listing(empty)}.items())), "warning", f"{key.replace('_', '-')}-empty"))
    if not workshops and not any(p.severity == "error" for p in problems):
        problems.append(Problem(name, "", say("has no workshops; add one row per workshop below the header."),
                                code="no-workshops"))
    return tuple(workshops), problems


def _lookup(record: Record, key: str, table: Mapping[str, Any], default: Any, empty: list[str],
            errors: list[tuple[str, Text]], code: str, unknown: str) -> Any:
    """The value a record's word for `key` stands for in table; default when empty (noted in `empty`) or
    unknown (the `unknown` message, with the word, added to errors)."""
    text = record.get(key)
    if not text:
        empty.append(record.at)
        return default
    found = table.get(header_key(text))
    if found is None:
        errors.append((code, Text(unknown, (("value", text),))))
        return default
    return found


def _language(record: Record, errors: list[tuple[str, Text]]) -> str:
    """The language a record's kieli names ("fi", "sv"), or "" (empty: the round's); an unknown word is an
    error that says what to write."""
    text = record.get("language")
    if not text:
        return ""
    found = LANGUAGE_VALUES.get(header_key(text))
    if found is None:
        errors.append(("language-unknown", say(
            "language (kieli) '{value}' is not known; write fi (suomi) or sv (svenska), or leave it empty for the "
            "round's language.", value=text)))
        return ""
    return found


def read_auditors(path: str | Path) -> tuple[tuple[Auditor, ...], list[Problem]]:
    """Read an auditor register (name, email, home workshop id, organisation, declared conflicts of
    interest as workshop ids) into Auditors and every problem.

    The home workshop and conflict ids are kept as written; load_round checks them against the workshop
    register.
    """
    rows, problems = auditor_rows(path)
    return tuple(auditor for auditor, _record in rows), problems


def auditor_rows(path: str | Path) -> tuple[list[tuple[Auditor, Record]], list[Problem]]:
    name = str(path)
    records, problems = read_records(path, AUDITOR_COLUMNS, ("name",))
    rows: list[tuple[Auditor, Record]] = []
    first_at: dict[tuple[str, str], str] = {}
    for record in records:
        errors: list[tuple[str, Text]] = []
        person, email = record.get("name"), record.get("email")
        if not person:
            errors.append(("name-empty", say("the name (nimi) is empty; write the auditor's name.")))
        if email and not is_email(email):
            errors.append(("email-invalid", say("'{email}' is not an email address; write one address, e.g. "
                                                "etunimi.sukunimi@example.fi.", email=email)))
        key = (person.casefold(), email.casefold())
        if person and key in first_at:
            errors.append(("auditor-twice", say("{person} is listed twice (first on {first}); keep one row per "
                                                "person.", person=person, first=place_text(first_at[key]))))
        first_at.setdefault(key, record.at)
        lang = _language(record, errors)
        problems.extend(Problem(name, record.place, message, code=code) for code, message in errors)
        if not errors:
            conflicts = tuple(dict.fromkeys(i for i in _ID_LIST.split(record.get("conflicts")) if i))
            rows.append((Auditor(name=person, email=email, home_workshop_id=record.get("home"),
                                 organisation=record.get("organisation"), conflicts=conflicts,
                                 language=lang), record))
    if not records and not any(p.severity == "error" for p in problems):
        problems.append(Problem(name, "", say("has no auditors; add one row per auditor below the header."),
                                code="no-auditors"))
    return rows, problems
