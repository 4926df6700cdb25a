"""Checks on returned answers: pure functions run after either reader (workbook or form), on the values.

The readers say what a file holds and where; the rules about the answers live here, once: an Ei sovellu
needs a reason, whether a file holds any answer at all, a rating the form and the workbook disagree on,
an Ei sovellu the auditors left unanswered, and where two copies of a file differ.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .catalogue import Catalogue, Profile, applies, kit_profile_reasons, number_ranges
from .errors import Problem, Text, place_text, say
from .excel.contract import ACCEPT_NO, ACCEPT_YES
from .i18n import N_
from .model import CriterionResponse, Returned
from .scoring import ScoreProfile

# The answers of a criterion, as people name them in messages (CriterionResponse.texts keys and the rest).
FIELD_NAMES = {"rating": N_("rating"), "not_applicable": "Ei sovellu", "na_accepted": N_("acceptance of Ei sovellu"),
               "reasoning": N_("Reasoning (the field)"), "practice": N_("What we do (the field)"),
               "evidence": N_("Evidence (the field)"), "strengths": N_("Strengths (the field)"),
               "development": N_("Development targets (the field)"), "actions": N_("Actions (the field)"),
               "questions": N_("Questions (the field)"), "observations": N_("Observations (the field)")}


def where(x: CriterionResponse, key: str = "") -> str:
    """Where an answer is, as messages say it: "sheet Arviointi, cell G12" (a workbook reader's
    "Arviointi!G12") or "kriteeri 12, Perustelut" (a form's); the rating's place without a key."""
    return cell_place(x.places.get(key, x.place) if key else x.place)


def cell_place(place: str) -> str:
    """A workbook reader's place ("Arviointi!H22") as messages write it: "sheet Arviointi, cell H22"."""
    sheet, _, cell = place.rpartition("!")
    return f"sheet {sheet}, cell {cell}" if sheet else place


def short(text: str, limit: int = 60) -> str:
    """A text quoted in a message, on one line and cut at limit characters."""
    text = " ".join(text.split())
    return f"“{text}”" if len(text) <= limit else f"“{text[:limit]}…”"


# --- one file ----------------------------------------------------------------------------------


def file_problems(r: Returned, catalogue: Catalogue, profile: Profile | None = None) -> list[Problem]:
    """The problems of one returned file's answers, whichever reader read it. profile: the workshop's
    (None: every criterion applies)."""
    return not_applicable_without_reason(r, catalogue, profile)


def not_applicable_without_reason(r: Returned, catalogue: Catalogue, profile: Profile | None = None) -> list[Problem]:
    """A warning per Ei sovellu chosen without a reason, when the scale asks for one; a criterion outside the
    workshop's profile is Ei sovellu by the profile, which is reason enough."""
    na = catalogue.scale.not_applicable
    if not na.reason_required:
        return []
    return [Problem(r.file, where(x, "reasoning") if "reasoning" in x.places else where(x), say(
                    "criterion {number} is {na} without a reason; write in Perustelut why it does not apply.",
                    number=x.number, na=na.label), "warning", "not-applicable-without-reason")
            for x in r.responses if x.not_applicable and not x.texts.get("reasoning", "").strip()
            and (profile is None or applies(catalogue.criterion(x.number), profile))]


def answered(x: CriterionResponse, catalogue: Catalogue) -> bool:
    """Whether a person answered anything for the criterion (a rating, Ei sovellu, an acceptance, a text);
    the Ei sovellu a kit fills in for a criterion outside the workshop's profile is the kit's, not an answer."""
    texts = {key for key, value in x.texts.items() if value.strip()}
    if x.rating is not None or x.na_accepted is not None:
        return True
    if texts == {"reasoning"} and x.texts["reasoning"].strip() in _profile_reasons(catalogue, x.number):
        return False  # the kit's own words (its Ei sovellu may have been moved by a sort)
    return x.not_applicable or bool(texts)


def has_answers(r: Returned, catalogue: Catalogue) -> bool:
    return any(answered(x, catalogue) for x in r.responses)


def _profile_reasons(catalogue: Catalogue, number: int) -> set[str]:
    """The reasons a kit writes for this criterion's Ei sovellu, one per profile it does not apply to."""
    return set(kit_profile_reasons(catalogue.criterion(number)))


# --- a self-assessment's two files ---------------------------------------------------------------


def rated(x: CriterionResponse) -> bool:
    return x.rating is not None or x.not_applicable


def rating_label(catalogue: Catalogue, x: CriterionResponse) -> str:
    if x.not_applicable:
        return catalogue.scale.not_applicable.label
    return catalogue.scale.level(x.rating).label if x.rating in catalogue.scale.values else str(x.rating)


def self_conflicts(catalogue: Catalogue, workbook: Returned | None, form: Returned | None,
                   shown: Mapping[str, str]) -> list[Problem]:
    """The problems of putting the self-assessment together from its workbook and form: a rating the form
    gives that the workbook contradicts (an error: the workbook's counts), or gives where the workbook
    came back without one (a warning: the form's counts). shown: file -> its name in messages."""
    if workbook is None or form is None:
        return []
    book, sheet = shown.get(workbook.file, workbook.file), shown.get(form.file, form.file)
    out = []
    for c in catalogue.criteria:
        wb, fm = workbook.response(c.number), form.response(c.number)
        if fm is None or not rated(fm):
            continue
        if wb is not None and rated(wb):
            if (wb.rating, wb.not_applicable) != (fm.rating, fm.not_applicable):
                mine, theirs = rating_label(catalogue, fm), rating_label(catalogue, wb)
                out.append(Problem(sheet, where(fm, "rating"), say(
                    "criterion {number}: the form says {mine}, the workbook ({book}, {cell}) says {theirs}; the "
                    "workbook's {theirs} was used, because the rating has its home in the workbook (the form no "
                    "longer asks for one). If the form is right, correct the workbook and return it again.",
                    number=c.number, mine=mine, book=book, cell=wb.place, theirs=theirs),
                    code="form-and-workbook-ratings-differ"))
        else:
            out.append(Problem(sheet, where(fm, "rating"), say(
                "criterion {number}: the workbook ({book}) has no rating, so the form's {rating} was used. Ratings "
                "have their home in the workbook: ask the workshop to enter it there.", number=c.number, book=book,
                rating=rating_label(catalogue, fm)), "warning", "rating-only-in-form"))
    return out


# The auditors' two answers to a workshop's Ei sovellu, as the workbook's list shows them, said in the
# message's language (the round's: its workbooks show the same words).
_YES, _NO = say("Accepted (the answer)"), say("Not accepted (the answer)")


def blank_acceptances(catalogue: Catalogue, own: ScoreProfile, aud: Returned,
                      merged: Mapping[int, CriterionResponse], shown: Mapping[str, str]) -> list[Problem]:
    """A warning per Ei sovellu the workshop chose itself that the auditors neither rated, accepted nor
    rejected: such a criterion is unrated (never counted as 1) until they answer."""
    out = []
    na = catalogue.scale.not_applicable.label
    for number, mine in own.criteria.items():
        theirs = aud.response(number)
        if mine.source != "na" or theirs is None or rated(theirs) or theirs.na_accepted is not None:
            continue
        reason = merged[number].texts.get("reasoning", "") if number in merged else ""
        why = Text("({reason})", (("reason", short(reason)),)) if reason else say("(without a reason)")
        out.append(Problem(shown.get(aud.file, aud.file), where(theirs, "na_accepted"), say(
            "criterion {number}: the workshop chose {na} {why} and the auditors neither accepted nor rejected it; "
            "choose {yes} or {no}, or give a rating. Until then the criterion is unrated, so the recommendation "
            "cannot be complete.", number=number, na=na, why=why, yes=_YES, no=_NO),
            "warning", "not-applicable-unanswered"))
    return out


# --- copies of one file ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Difference:
    """One answer two copies give differently: the criterion, the field (FIELD_NAMES), each copy's value as
    shown and where it is in each."""

    number: int
    field: str
    first: str
    second: str
    first_place: str
    second_place: str


def answer_key(r: Returned) -> tuple[object, ...]:
    """Everything a file answers, comparable: two copies with equal keys hold the same answers."""
    return tuple(sorted((x.number, x.rating, x.not_applicable, x.na_accepted,
                         tuple(sorted((k, " ".join(v.split())) for k, v in x.texts.items() if v.strip())))
                        for x in r.responses))


def answer_digest(r: Returned) -> bytes:
    """answer_key as 16 bytes (BLAKE2b of its repr, which names each value unambiguously): equal for copies
    with equal keys, and small enough for a reading worker to send back with the file (compile groups
    copies by it without sending every text twice)."""
    return hashlib.blake2b(repr(answer_key(r)).encode(), digest_size=16).digest()


def texted_criteria(r: Returned) -> int:
    """How many criteria of a file have some text (compile's test for answers copied between workshops)."""
    return sum(1 for x in r.responses if any(v.strip() for v in x.texts.values()))


def differences(catalogue: Catalogue, a: Returned, b: Returned) -> list[Difference]:
    """Every answer on which two copies of a file differ, in criterion order (ratings first per criterion)."""
    out = []
    for c in catalogue.criteria:
        x, y = a.response(c.number), b.response(c.number)
        if x is None and y is None:
            continue
        if _rating(catalogue, x) != _rating(catalogue, y):
            out.append(Difference(c.number, "rating", _rating(catalogue, x), _rating(catalogue, y),
                                  _at(x, ""), _at(y, "")))
        if _accept(x) != _accept(y):
            out.append(Difference(c.number, "na_accepted", _accept(x), _accept(y), _at(x, "na_accepted"),
                                  _at(y, "na_accepted")))
        keys = sorted({*(x.texts if x else {}), *(y.texts if y else {})})
        for key in keys:
            first = " ".join((x.texts.get(key, "") if x else "").split())
            second = " ".join((y.texts.get(key, "") if y else "").split())
            if first != second:
                out.append(Difference(c.number, key, first, second, _at(x, key), _at(y, key)))
    return out


def _rating(catalogue: Catalogue, x: CriterionResponse | None) -> str:
    return rating_label(catalogue, x) if x is not None and rated(x) else ""


def _accept(x: CriterionResponse | None) -> str:
    if x is None or x.na_accepted is None:
        return ""
    return ACCEPT_YES if x.na_accepted else ACCEPT_NO


def _at(x: CriterionResponse | None, key: str) -> str:
    """Where an answer is, as the file names it (Arviointi!G12, kriteeri 12, Perustelut): said in a message
    in any language as it is."""
    if x is None:
        return ""
    return x.places.get(key, x.place) if key else x.place


def differences_text(diffs: Sequence[Difference], *, detailed: int = 3) -> Text:
    """Where copies differ, in a sentence: the criteria, then the first few answers with both values and cells."""
    numbers = sorted({d.number for d in diffs})
    text = criteria_differ(numbers)
    for i, d in enumerate(diffs[:detailed]):
        place = (place_text(d.first_place) if d.first_place == d.second_place
                 else say("{first} / {second}", first=place_text(d.first_place), second=place_text(d.second_place)))
        one = say("criterion {number}, {field} ({place}): {first} against {second}", number=d.number,
                  field=say(FIELD_NAMES.get(d.field, d.field)), place=place,
                  first=short(d.first, 30) if d.first else say("empty"),
                  second=short(d.second, 30) if d.second else say("empty"))
        text = Text("{before} — {one}" if i == 0 else "{before}; {one}", (("before", text), ("one", one)))
    if len(diffs) > detailed:
        text = say("{before}; and {count} more", before=text, count=len(diffs) - detailed)
    return text


def criteria_differ(numbers: Sequence[int]) -> Text:
    """ "criterion 5 differs" or "criteria 1–3, 7 differ"."""
    if len(numbers) == 1:
        return say("criterion {number} differs", number=numbers[0])
    return say("criteria {numbers} differ", numbers=number_ranges(numbers))
