"""Whose a returned file is: what it shows against its hidden identity, its name, the round, the register
and the manifest. Pure functions on what the readers returned; compile calls check_identity per file.

A file is used only when everything it says about itself agrees: the workshop and kit id it shows a person
(the workbook's ratings sheet, the form's data sheet and title) with the identity it hides (custom
properties, the identity sheet), that identity with the round (its id and instance), the register and the
kit ids the round's manifest lists, and its file name with the workshop it holds. Otherwise it is refused
with a message naming both identities, so that no answer is ever put under the wrong workshop or round.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .catalogue import Catalogue
from .errors import Problem, Text, say
from .i18n import N_
from .labels import ROLE_LABEL
from .model import Identity, Returned, Workshop
from .textnorm import squeeze

# Identity keys whose disagreement between a workbook's two hidden records makes it unusable.
_BINDING = ("workshop_id", "workshop_name", "role", "kit_id", "round_id", "round_instance", "content_hash")
_MIN_NAME = 5  # a workshop name shorter than this is not looked for in file names (too many false hits)


@dataclass(frozen=True, slots=True)
class RoundFacts:
    """What the round says a returned file must be; empty where compile has no round file.

    register: the workshops of the round (or, without one, those the returned files name), for the ids and
    names a file name may carry; kit_ids: the manifest's kit id -> (workshop id, role), None without one.
    """

    round_id: str = ""
    instance: str = ""
    register: Sequence[Workshop] = ()
    kit_ids: Mapping[str, tuple[str, str]] | None = None
    checked_register: bool = False  # whether register is the round's (every workshop must be in it)
    by_id: Mapping[str, Workshop] = field(default_factory=dict)
    naming: tuple[Naming, ...] = ()  # how a file name may name each workshop (see naming)

    @staticmethod
    def of(round_id: str, instance: str, register: Sequence[Workshop], kit_ids: Mapping[str, tuple[str, str]] | None,
           checked_register: bool) -> RoundFacts:
        return RoundFacts(round_id, instance, tuple(register), kit_ids, checked_register,
                          {w.id.casefold(): w for w in register}, naming(register))


@dataclass(frozen=True, slots=True)
class Naming:
    """How a file name names a workshop: its id as a word (anywhere, or only at the start for a short or
    numeric one), and its name when the name tells this one workshop ("" when it does not)."""

    workshop: Workshop
    wid: str
    anywhere: bool
    name: str


def naming(register: Sequence[Workshop]) -> tuple[Naming, ...]:
    """Each workshop's Naming, worked out once per round: a name counts only when it is long enough and is
    no part of another workshop's name ("Nuorten työpaja" inside "Nuorten työpaja Ahjo" tells neither)."""
    names = {w.id: _words(w.name) for w in register}
    padded = [f" {t} " for t in names.values()]
    out = []
    for w in register:
        wid, text = _words(w.id), names[w.id]
        telling = len(text) >= _MIN_NAME and (" " in text or len(text) >= 10) and \
            sum(1 for t in padded if f" {text} " in t) == 1
        out.append(Naming(w, wid, len(wid) >= 2 and (not wid.isdigit() or len(wid) >= 4), text if telling else ""))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Verdict:
    """check_identity's answer: the file as it counts (its identity completed where the manifest or the
    register could tell the workshop), "used" or "refused", and the problems."""

    returned: Returned
    status: str
    problems: tuple[Problem, ...] = ()


def describe(ident: Identity, *, round_too: bool = False) -> Text:
    """An identity as messages name it: "workshop P01 (Nuorten työpaja Ahjo), kit id P01-self-1a2b3c4d"."""
    who = ident.workshop_id or ""
    if ident.workshop_name:
        who = f"{who} ({ident.workshop_name})" if who else f"“{ident.workshop_name}”"
    parts: list[Text] = [say("workshop {who}", who=who)] if who else []
    if ident.kit_id:
        parts.append(say("kit id {kit_id}", kit_id=ident.kit_id))
    if round_too and ident.round_id:
        parts.append(say("round {round} (instance {instance})", round=ident.round_id, instance=ident.round_instance)
                     if ident.round_instance else say("round {round}", round=ident.round_id))
    if not parts:
        return say("no workshop")
    text = parts[0]
    for part in parts[1:]:
        text = Text("{a}, {b}", (("a", text), ("b", part)))
    return text


def check_identity(r: Returned, shown: str, kind: str, catalogue: Catalogue, facts: RoundFacts) -> Verdict:
    """Whether a read file may be used, and why not. shown: the file's name in messages; kind: "workbook"
    or "form". Never raises."""
    problems: list[Problem] = []
    ident = r.identity
    document = ROLE_LABEL.get("form" if kind == "form" else ident.role, "file")

    def refuse(message: Text, code: str) -> Verdict:
        return Verdict(r, "refused", (*problems, Problem(shown, "tunniste", message, code=code)))

    disputed = [key for key in r.disputed if key in _BINDING]
    if disputed:
        return refuse(say("the workbook's two hidden records of whose it is (its document properties and the sheet "
                          "_tunniste) disagree on {keys}: it mixes two workbooks, so it is not clear whose answers it "
                          "holds, and it was not used. Ask the workshop for its own workbook.",
                          keys=", ".join(disputed)), "identity-disagrees")
    mixed, edited = _shown_against_hidden(r, kind, document, shown)
    if mixed:
        return refuse(mixed, "shown-identity-differs")
    if edited is not None:
        problems.append(edited)
    if not ident.workshop_id and kind == "workbook":
        return refuse(say(_GONE), "identity-gone")
    if not ident.workshop_id:
        found = _workshop_of(r, facts, problems, shown)
        if isinstance(found, tuple):
            return refuse(*found)
        ident = found
        r = replace(r, identity=ident)
    if kind == "workbook" and ident.role not in ("self", "peer"):
        return refuse(say("unknown role '{role}'; use the workbook sent in the kit.", role=ident.role), "role-unknown")
    other_round = _other_round(ident, facts)
    if other_round:
        return refuse(other_round, "other-round")
    if ident.content_hash and ident.content_hash != catalogue.hash:
        version = (say("content version {version}", version=ident.content_version) if ident.content_version
                   else say("other content"))
        return refuse(say("made from {version} ({hash}), but this round uses {used} ({used_hash}); criteria may "
                          "differ, so it was not compiled. Send the workshop a new kit and ask them to copy their "
                          "answers into it.", version=version, hash=ident.content_hash[:12], used=catalogue.version,
                          used_hash=catalogue.short_hash), "content-differs")
    if facts.checked_register and ident.workshop_id.casefold() not in facts.by_id:
        return refuse(say("names workshop '{workshop}', which is not in the round's register; check the register "
                          "or the file.", workshop=ident.workshop_id), "workshop-not-in-register")
    if facts.kit_ids and ident.kit_id:
        expected = facts.kit_ids.get(ident.kit_id)
        if expected is None:
            return refuse(say("kit id '{kit_id}' is not in the round's manifest: the file is {identity} of another "
                              "kit (another round, perhaps another coordinator's with the same workshop ids), so it "
                              "was not compiled. Send the workshop its own kit of this round.", kit_id=ident.kit_id,
                              identity=describe(ident, round_too=True)), "kit-id-unknown")
        if expected[0].casefold() != ident.workshop_id.casefold():
            return refuse(say("kit id '{kit_id}' was made for workshop '{expected}', but the file says '{workshop}'; "
                              "it was not compiled.", kit_id=ident.kit_id, expected=expected[0],
                              workshop=ident.workshop_id), "kit-id-other-workshop")
    misnamed = _named_for_another(shown, ident, facts.naming, document)
    if misnamed:
        return refuse(misnamed, "file-named-for-another")
    return Verdict(r, "used", tuple(problems))


def _fold(text: str) -> str:
    return squeeze(text).casefold()


def _shown_against_hidden(r: Returned, kind: str, document: str, shown_name: str) -> tuple[Text | None, Problem | None]:
    """(the refusal when what the file shows a person names another document, workshop, kit or round than its
    hidden identity, else ""; a warning when only the workshop's name was edited). The kit id decides: a
    sheet or data sheet that shows the file's own kit id is the file's own, whatever name it shows; without a
    kit id in sight (a workbook of an earlier kit), a name unlike the hidden one means another workshop's."""
    shown, hidden = r.shown, r.identity
    if shown.role and hidden.role and shown.role != hidden.role:
        return say("shows the {shown} (its title) but its document properties say it is the {hidden} of {identity}: "
                   "the content was pasted into another document, so it was not used. Ask the workshop to return the "
                   "document itself.", shown=_role_shown(shown.role), hidden=_role_shown(hidden.role),
                   identity=describe(hidden)), None
    differs = [key for key in ("kit_id", "workshop_name", "round_id")
               if getattr(shown, key) and getattr(hidden, key) and _fold(getattr(shown, key)) != _fold(getattr(hidden, key))]
    if kind == "workbook":
        sheet = next((x.place.rpartition("!")[0] for x in r.responses if "!" in x.place), "")
        where, what = say("the sheet {sheet}", sheet=sheet or "Arviointi"), say("sheet")
    else:
        where, what = say("its data sheet (Perustiedot)"), say("content")
    same_kit = bool(shown.kit_id and hidden.kit_id) and "kit_id" not in differs
    alike = difflib.SequenceMatcher(None, _fold(shown.workshop_name), _fold(hidden.workshop_name)).ratio() >= _ALIKE
    if "workshop_name" in differs and (same_kit or (differs == ["workshop_name"] and alike)):
        return None, Problem(shown_name, "tunniste", say(
            "{where} shows the workshop's name as “{shown}”, the kit wrote “{hidden}”; read as workshop {workshop}'s "
            "({identity}), since {why} Check the name if it matters.", where=where, shown=shown.workshop_name,
            hidden=hidden.workshop_name, workshop=hidden.workshop_id, identity=describe(hidden),
            why=say("the kit id it shows is its own.") if same_kit else say("the names are alike.")),
            "warning", "workshop-name-edited")
    if same_kit or not differs:  # the kit id in sight is the file's own (it names the round as well)
        return None, None
    own = hidden.workshop_name or hidden.workshop_id
    other = shown.workshop_name or say("the other workshop")
    rounds = "round_id" in differs
    return say("{where} shows {shown}, but the {document}'s hidden identity is {hidden}: the {what} was pasted over "
               "from {source}. It was not used, so that no answer goes to the wrong workshop. If these are {own}'s "
               "answers, ask them to enter them in their own {document}; if they are {other}'s, use that workshop's "
               "own file.", where=where,
               shown=say("{who}, round {round}", who=describe(shown), round=shown.round_id) if rounds else describe(shown),
               document=document,
               hidden=say("{who}, round {round}", who=describe(hidden), round=hidden.round_id) if rounds else describe(hidden),
               what=what, source=_source(differs, document), own=own, other=other), None


_ALIKE = 0.75  # names this alike (difflib's ratio) are one name edited, not another workshop's


def _source(differs: Sequence[str], document: str) -> Text:
    """Whose file the shown part came from, by what differs: another workshop's, or (the same workshop
    shown, another kit id or round) the workshop's own file of another kit."""
    if "workshop_name" in differs:
        return say("another workshop's {document}", document=document)
    return say("the same workshop's {document} of another kit (another round's, perhaps another coordinator's)",
               document=document)


_ROLE_SHOWN = {"self": N_("self-assessment form"), "peer": N_("audit report"), "glossary": N_("glossary (Käsitteet)"),
               "consolidated": N_("consolidated report"), "feedback": N_("feedback report"),
               "plan": N_("development plan")}
_GONE = N_("the file does not say which workshop it belongs to (its identity is gone); ask the workshop to copy its "
           "answers into a fresh kit file.")


def _role_shown(role: str) -> Text | str:
    return say(_ROLE_SHOWN[role]) if role in _ROLE_SHOWN else role


def _workshop_of(r: Returned, facts: RoundFacts, problems: list[Problem], shown: str) -> Identity | tuple[Text, str]:
    """The identity completed with the workshop a file shows but does not name by id (a form whose editor
    dropped its properties shows its kit id and workshop name): from the manifest's kit id, else from a
    register name that only one workshop has. (The refusal, its code) when neither tells."""
    ident = r.identity
    gone = (say(_GONE), "identity-gone")
    if facts.kit_ids and ident.kit_id:
        expected = facts.kit_ids.get(ident.kit_id)
        if expected is None:
            return (say("shows kit id {kit_id}, which this round's manifest does not list: it comes from another kit "
                        "(another round, perhaps another coordinator's), so it was not compiled. Send the workshop its "
                        "own kit of this round.", kit_id=ident.kit_id), "kit-id-unknown")
        wanted = "peer" if ident.role == "peer" else "self"
        if expected[1] != wanted:
            return (say("shows kit id {kit_id}, which was made for another document; it was not compiled.",
                        kit_id=ident.kit_id), "kit-id-other-document")
        w = facts.by_id.get(expected[0].casefold())
        problems.append(Problem(shown, "tunniste", say(
            "identified as workshop {workshop}'s by the kit id it shows ({kit_id}), since its document properties "
            "were lost.", workshop=expected[0], kit_id=ident.kit_id), "warning", "identified-by-kit-id"))
        return replace(ident, workshop_id=expected[0], workshop_name=ident.workshop_name or (w.name if w else ""))
    if ident.workshop_name and facts.checked_register:
        same = [w for w in facts.register if _fold(w.name) == _fold(ident.workshop_name)]
        if len(same) == 1:
            problems.append(Problem(shown, "tunniste", say(
                "identified as workshop {workshop}'s by the name it shows (“{name}”), since its document properties "
                "were lost and it shows no kit id of this round's manifest.", workshop=same[0].id,
                name=ident.workshop_name), "warning", "identified-by-name"))
            return replace(ident, workshop_id=same[0].id)
    return gone


def _other_round(ident: Identity, facts: RoundFacts) -> Text | None:
    """The refusal when the file belongs to another round (its id, or the same id and another instance)."""
    if not facts.round_id:
        return None
    if ident.round_id and ident.round_id != facts.round_id:
        return say("belongs to round '{found}', not '{expected}' ({identity}); it was not compiled. Move it to that "
                   "round's folder.", found=ident.round_id, expected=facts.round_id, identity=describe(ident))
    ours = (say("{round} (instance {instance})", round=facts.round_id, instance=facts.instance) if facts.instance
            else say("{round} (no instance)", round=facts.round_id))
    if ident.round_instance and facts.instance and ident.round_instance != facts.instance:
        return say("belongs to another round with the same id: the file is {identity}, this round is {ours}. It comes "
                   "from another coordinator's (or an earlier) round, so it was not compiled; the workshop must copy "
                   "its answers into this round's kit.", identity=describe(ident, round_too=True), ours=ours)
    if ident.round_instance and not facts.instance and not (facts.kit_ids and ident.kit_id in facts.kit_ids):
        return say("is {identity}, but this round's round.toml has no instance, so the file comes from another round "
                   "with the same id (another coordinator's?) and was not compiled. If this round's round.toml lost "
                   "its instance line, put back instance = \"{instance}\" under [round].",
                   identity=describe(ident, round_too=True), instance=ident.round_instance)
    return None


def _named_for_another(shown: str, ident: Identity, known: Sequence[Naming], document: str) -> Text | None:
    """The refusal when the file's name names another workshop than the one it holds ("Save As" under a
    sibling workshop's name): a workshop's id as a word of the name, or its whole name."""
    named = _workshops_named(_words(Path(shown).stem), known)
    if not named or ident.workshop_id.casefold() in {w.id.casefold() for w in named}:
        return None
    other = named[0]
    holder = f"{ident.workshop_id} ({ident.workshop_name})" if ident.workshop_name else ident.workshop_id
    return say("the file's name names workshop {other} ({other_name}), but the file is workshop {holder}'s "
               "{document} ({identity}): it was saved under another workshop's name (Save As). It was not used, since "
               "it is not clear whose answers it holds. If they are {workshop}'s, give the file its workshop's name; "
               "if they are {other}'s, ask {other} to copy them into its own {document}.", other=other.id,
               other_name=other.name, holder=holder, document=document, identity=describe(ident),
               workshop=ident.workshop_id)


def _words(text: str) -> str:
    """Text as its words, lower case, one space apart: how kit file names and register names are compared
    (a kit file name drops or replaces the characters files cannot hold)."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold()))


def _workshops_named(name: str, known: Sequence[Naming]) -> list[Workshop]:
    """The workshops a file name (as _words) names: by id as a word (a short or purely numeric id only at
    the start, where kits put it) or by a telling name; a name inside a longer one found at the same place
    does not count."""
    padded = f" {name} "
    spans: list[tuple[int, int, Workshop]] = []
    for n in known:
        if n.wid and f" {n.wid} " in padded:
            if n.anywhere:
                spans += [(m.start(), m.end(), n.workshop) for m in re.finditer(re.escape(f" {n.wid} "), padded)]
            elif padded.startswith(f" {n.wid} "):
                spans.append((0, len(n.wid) + 2, n.workshop))
        if n.name and f" {n.name} " in padded:
            spans += [(m.start(), m.end(), n.workshop) for m in re.finditer(re.escape(f" {n.name} "), padded)]
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[Workshop] = []
    for a, b, w in spans:
        if any(c <= a and b <= d and (d - c) > (b - a) and v is not w for c, d, v in spans):
            continue  # a short id or name inside another workshop's longer one
        if w not in out:
            out.append(w)
    return out