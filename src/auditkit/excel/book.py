"""What every sheet of a scoring workbook is written from: the catalogue, the document's context, the
role's layout, the prefill, and what one sheet tells another (the ratings table's rows)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from openpyxl import Workbook

from ..catalogue import Catalogue, Criterion, Profile, applies, profile_reason
from ..labels import AUDIENCE_FI
from ..model import DocumentContext, Returned
from . import contract as k

# What the auditors' workbook shows where the workshop gave no rating.
MISSING_RATING = "Ei arviota"


@dataclass(slots=True)
class Book:
    """A scoring workbook being built. table_rows: criterion id -> its row on Arviointi; last_row: the
    table's last row (the summary's formulas range over the rows the ratings sheet wrote)."""

    cat: Catalogue
    ctx: DocumentContext
    prefill: Returned | None
    templates: str | os.PathLike[str] | None = None  # a folder of the user's templates (workbook_guide.j2)
    wb: Workbook = field(default_factory=Workbook)
    table_rows: dict[str, int] = field(default_factory=dict)
    last_row: int = k.FIRST_ROW

    @property
    def role(self) -> str:
        return self.ctx.role

    @property
    def layout(self) -> k.Layout:
        return k.LAYOUTS[self.ctx.role]

    @property
    def profile(self) -> Profile:
        return self.ctx.workshop.profile


class SheetWriter:
    """Writes one sheet of a Book; the book's values are at hand as self.cat, self.ctx and so on."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.cat = book.cat
        self.ctx = book.ctx
        self.role = book.role
        self.layout = book.layout
        self.profile = book.profile
        self.prefill = book.prefill
        self.wb = book.wb

    def prefilled(self, criterion: Criterion) -> tuple[str, str]:
        """The workshop's rating label and reasoning from the prefill (MISSING_RATING when it gave none),
        or empty without a prefill."""
        if self.prefill is None:
            return "", ""
        response = next((r for r in self.prefill.responses if r.criterion_id == criterion.id), None)
        reasoning = response.texts.get("reasoning", "") if response is not None else ""
        if response is not None and response.rating is not None and response.rating in self.cat.scale.values:
            return self.cat.scale.level(response.rating).label, reasoning
        if not applies(criterion, self.profile):
            return self.cat.scale.not_applicable.label, reasoning or profile_reason(criterion, self.profile)
        if response is not None and response.not_applicable:
            return self.cat.scale.not_applicable.label, reasoning
        return MISSING_RATING, reasoning

    def missing_in_prefill(self) -> list[int]:
        return [c.number for c in self.cat.criteria if self.prefilled(c)[0] == MISSING_RATING]


def profile_fi(profile: Profile) -> str:
    """The workshop's profile as the guide states it: "nuoret; oppimisympäristöt (opinnollistaminen): kyllä"."""
    audience = AUDIENCE_FI.get(profile.audience, profile.audience)
    environments = "kyllä" if profile.learning_environments else "ei"
    return f"{audience}; oppimisympäristöt (opinnollistaminen): {environments}"


def basename(path: str) -> str:
    """A returned file's name without its folder, whichever system's separators the path uses."""
    return re.split(r"[\\/]", path)[-1]
