"""The plain values that documents are made from and that read-back returns (frozen dataclasses)."""

from __future__ import annotations

import copyreg
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from .catalogue import Profile

AuditType = Literal["peer", "external"]
Role = Literal["self", "peer"]
AUDIT_TYPES: tuple[str, ...] = ("peer", "external")
ROLES: tuple[str, ...] = ("self", "peer")



@dataclass(frozen=True, slots=True)
class Workshop:
    """A workshop taking part in a round (a row of the register)."""

    id: str
    name: str
    organisation: str = ""
    municipality: str = ""
    region: str = ""
    email: str = ""
    profile: Profile = Profile()
    language: str = ""  # the register's kieli (fi, sv); "" = the round's language


@dataclass(frozen=True, slots=True)
class Auditor:
    """An auditor: a person, the workshop they come from (for peer audits), and their role in a team.

    organisation: the organisation they work for ("" when the register leaves it out: then their home
    workshop's organisation counts); conflicts: ids of the workshops they declared a conflict of
    interest with. Nobody is assigned to a workshop of their own organisation or one of their conflicts.
    """

    name: str
    email: str = ""
    home_workshop_id: str = ""
    role: str = "auditoija"  # "pääauditoija" for the lead
    organisation: str = ""
    conflicts: tuple[str, ...] = ()
    language: str = ""  # the auditor register's kieli: their letters' language (fi, sv); "" = the round's


@dataclass(frozen=True, slots=True)
class DocumentContext:
    """What a generated document says about whom it is for.

    Every string here is written into documents verbatim, each inside a single XML text node (one run
    in Word, one cell in Excel), so that a round can build each document once with placeholder values
    and stamp each workshop's values into a copy (see stamping.py).
    kit_id identifies this document set (workshop + role); deadline is an ISO date or "".
    """

    round_id: str
    round_name: str
    workshop: Workshop
    audit_type: str = "peer"
    role: str = "self"
    kit_id: str = ""
    deadline: str = ""
    auditors: tuple[Auditor, ...] = ()
    coordinator: str = ""
    return_to: str = ""
    comments_deadline: str = ""  # the workshop's comments on the draft audit report (ISO or "")
    round_instance: str = ""  # round.toml's instance: this round apart from any other with the same id
    language: str = "fi"  # the language the document is made in (i18n.LANGUAGES)


@dataclass(frozen=True, slots=True)
class ForwardedSelfAssessment:
    """The workshop's returned self-assessment as its audit report shows it: values forward computed,
    so that nobody copies a rating or works out a mean by hand.

    ratings: criterion number -> the rating as shown ("3 – Kehittynyt", "Ei sovellu", "Ei arviota");
    reasons: criterion number -> the workshop's short reason; means: area or element id -> (the mean of
    the workshop's ratings or None, whether the group is assessable); files: the returned files and
    when they were saved; notes: what the auditors must know (ratings not given, a workbook not back).
    """

    ratings: Mapping[int, str]
    reasons: Mapping[int, str]
    means: Mapping[str, tuple[float | None, bool]]
    files: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Identity:
    """What a returned file says it is (hidden sheet, custom properties, data sheet)."""

    format_version: str = ""
    content_version: str = ""
    content_hash: str = ""
    round_id: str = ""
    workshop_id: str = ""
    workshop_name: str = ""
    role: str = ""
    kit_id: str = ""
    # Added with the two phases; files made before them lack these and read as "".
    phase: str = ""  # AUDIT_PHASE on the auditors' workbook `forward` fills from the workshop's returns
    prefilled_from: str = ""  # on that workbook: the returned files it shows, with the times they were saved
    # Added with issue 11: the round's instance id (round.toml), so that another round with the same id
    # (another coordinator's) is told apart; files made before it read as "".
    round_instance: str = ""


AUDIT_PHASE = "2"


def _frozen(mapping: Mapping[str, str] | None = None) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping or {}))


# Read-back runs in worker processes for a large round: its read-only mappings must travel back.
def _proxy(items: dict[str, str]) -> MappingProxyType[str, str]:
    return MappingProxyType(items)


def _reduce(proxy: MappingProxyType[str, str]) -> tuple[Callable[[dict[str, str]], MappingProxyType[str, str]], tuple[dict[str, str]]]:
    return _proxy, (dict(proxy),)


copyreg.pickle(MappingProxyType, _reduce)


@dataclass(frozen=True, slots=True)
class CriterionResponse:
    """One criterion's answers from a returned file.

    rating: the level chosen (None when not given or refused); not_applicable: "Ei sovellu" chosen;
    na_accepted: for auditors, whether the workshop's "Ei sovellu" is accepted (None when not said);
    texts: the free-text fields by field key (e.g. "reasoning", "evidence", "strengths");
    place: where the rating is (a cell, or a form's criterion); places: other fields' cells by key (an
    auditor workbook's "na_accepted"), so that a message can point at the right one.
    """

    criterion_id: str
    number: int
    rating: int | None = None
    not_applicable: bool = False
    na_accepted: bool | None = None
    texts: Mapping[str, str] = field(default_factory=_frozen)
    place: str = ""
    places: Mapping[str, str] = field(default_factory=_frozen)  # field key -> its cell, where a reader knows it


@dataclass(frozen=True, slots=True)
class Returned:
    """A returned file as read: its identity, answers per criterion and the problems found.

    kind: "workbook" or "form"; saved_at: the modification time the file records (ISO), or "".
    """

    file: str
    kind: str
    identity: Identity
    responses: tuple[CriterionResponse, ...] = ()
    problems: tuple = ()  # tuple[Problem, ...]
    saved_at: str = ""
    texts: Mapping[str, str] = field(default_factory=_frozen)  # document-level fields (data sheet)
    # What the file SHOWS a person about whose it is (the workbook's ratings sheet, the form's data sheet
    # and title), to check against `identity`, which is hidden; "" where it shows nothing.
    shown: Identity = Identity()
    # Identity keys on which the file's own hidden records disagree (custom properties against the
    # identity sheet): a file that mixes two files.
    disputed: tuple[str, ...] = ()

    def response(self, number: int) -> CriterionResponse | None:
        for r in self.responses:
            if r.number == number:
                return r
        return None

    def by_number(self) -> dict[int, CriterionResponse]:
        """The responses by criterion number, the first of each (as `response` finds it): for looking many up."""
        out: dict[int, CriterionResponse] = {}
        for r in self.responses:
            out.setdefault(r.number, r)
        return out
