"""Helpers for the report tests: a compiled round of any size, made without Office files (no tests here).

compile_round takes its readers as arguments; these readers make each workshop's answers from the
returned file's name (P001-self.xlsx, P001-peer.xlsx, P001-form.docx), so a round of 300 workshops
compiles in well under a second and every figure in it is known to the test.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from auditkit.catalogue import Catalogue, Profile, applies
from auditkit.compile import compile_round
from auditkit.results import RoundResult
from auditkit.errors import Problem
from auditkit.model import CriterionResponse, Identity, Returned, Workshop
from auditkit.round import Round, RoundConfig

ROUND_ID = "2026-syksy"
# (workshop id, role, criterion number, field key) -> text, for texts a test wants to see in a report
Texts = Mapping[tuple[str, str, int, str], str]


def workshops(n: int) -> tuple[Workshop, ...]:
    profiles = (Profile("youth", True), Profile("both", False), Profile("adult", False), Profile("both", True))
    return tuple(Workshop(id=f"P{i:03d}", name=f"Työpaja Ääri-{i} \"Reuna\"", organisation=f"Örkin kunta {i}",
                          municipality="Oulu", profile=profiles[i % len(profiles)]) for i in range(1, n + 1))


def _answers(catalogue: Catalogue, w: Workshop, role: str, texts: Texts,
             own_na: Mapping[str, tuple[int, ...]] | None = None) -> tuple[CriterionResponse, ...]:
    rng = random.Random(f"{w.id}-{role}")
    base = 2.4 + (int(w.id[1:]) % 6) * 0.3
    out = []
    for c in catalogue.criteria:
        fields: dict[str, str] = {}
        if not applies(c, w.profile) or c.number in (own_na or {}).get(w.id, ()):
            # the workshop says Ei sovellu (by its profile, or chosen itself); the auditors accept it
            rating, na, accepted = (None, False, True) if role == "peer" else (None, True, None)
        else:
            rating, na, accepted = max(1, min(4, round(base + rng.gauss(0, 0.5)))), False, None
            if role == "peer" and rng.random() < 0.2:
                rating = max(1, rating - 1)
        if role == "form":  # the form holds the narrative; the rating is the workbook's
            rating, na = None, False
        if role in ("peer", "form") and c.number % 5 == 0:
            fields["strengths"] = f"Vahvuus {c.number} ({role}, {w.id})."  # each workshop's own words
        if role in ("peer", "form") and c.number % 7 == 0:
            fields["development"] = f"Kehitettävää {c.number} ({role}, {w.id})."
        for (wid, r, number, key), text in texts.items():
            if (wid, r, number) == (w.id, role, c.number):
                fields[key] = text
        out.append(CriterionResponse(f"tpk-{c.number:02d}", c.number, rating, na, accepted,
                                     MappingProxyType(fields), f"kriteeri {c.number}"))
    return tuple(out)


def compiled_round(catalogue: Catalogue, folder: Path, n: int, *, missing: tuple[tuple[str, str], ...] = (),
                   forms: bool = True, texts: Texts | None = None,
                   problems: Mapping[str, tuple[Problem, ...]] | None = None, with_round: bool = True,
                   own_na: Mapping[str, tuple[int, ...]] | None = None) -> RoundResult:
    """A round of n workshops compiled from stand-in files: self and peer workbooks for every workshop
    but those in `missing` ((id, "self"/"peer")), forms for every other workshop when `forms`, the
    given texts typed in, the given problems (by file name) reported by the readers, and own_na: the
    criteria a workshop chose Ei sovellu for itself (by id; the auditors accept them). Without
    with_round it is compiled as `auditkit compile` without a round file."""
    ws = workshops(n)
    by_id = {w.id: w for w in ws}
    texts = texts or {}
    problems = problems or {}
    folder.mkdir(parents=True, exist_ok=True)
    for w in ws:
        for role, suffix in (("self", "xlsx"), ("peer", "xlsx"), ("form", "docx")):
            if (w.id, role) in missing or (role == "form" and (not forms or int(w.id[1:]) % 2)):
                continue
            (folder / f"{w.id}-{role}.{suffix}").write_bytes(b"stand-in")

    def read(path: Path, catalogue: Catalogue) -> Returned:
        wid, role = path.stem.split("-")
        w = by_id[wid]
        identity = Identity("1", catalogue.version, catalogue.hash, ROUND_ID, wid, w.name,
                            "self" if role == "form" else role, f"{ROUND_ID}-{wid}-{role}")
        return Returned(str(path), "form" if role == "form" else "workbook", identity,
                        _answers(catalogue, w, role, texts, own_na), problems.get(path.name, ()),
                        f"2026-11-{1 + int(wid[1:]) % 28:02d}T12:00:00Z")

    round_ = Round(RoundConfig(ROUND_ID, "Laatumerkin auditointikierros, syksy 2026"), ws) if with_round else None
    return compile_round(catalogue, [folder], round_=round_, read_workbook=read, read_form=read)
