"""What every sheet of a scoring workbook is written from: the catalogue, the document's context, the
role's layout, the prefill, and what one sheet tells another (the ratings table's rows)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from openpyxl import Workbook

from ..catalogue import Catalogue, Criterion, Profile, applies
from ..i18n import C_, Wording, wording
from ..labels import AUDIENCE, label
from ..model import DocumentContext, Returned
from . import contract as k
from .contract import profile_reason as profile_reason  # the workbooks say it in their language

# What the auditors' workbook shows where the workshop gave no rating (in Finnish, as forward.py marks
# it; missing_rating(lang) in any language).
MISSING_RATING = "Ei arviota"
_MISSING_RATING = C_("rating", "No rating")


def missing_rating(lang: str) -> str:
    return wording("workbooks", lang).pgettext("rating", _MISSING_RATING)


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
    def lang(self) -> str:
        """The workbook's language (the document context's)."""
        return self.ctx.language

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
        self.lang = book.lang
        self.w: Wording = wording("workbooks", book.lang)

    def prefilled(self, criterion: Criterion) -> tuple[str, str]:
        """The workshop's rating label and reasoning from the prefill (missing_rating when it gave none),
        or empty without a prefill."""
        if self.prefill is None:
            return "", ""
        response = next((r for r in self.prefill.responses if r.criterion_id == criterion.id), None)
        reasoning = response.texts.get("reasoning", "") if response is not None else ""
        if response is not None and response.rating is not None and response.rating in self.cat.scale.values:
            return self.cat.scale.level(response.rating).label, reasoning
        if not applies(criterion, self.profile):
            return (self.cat.scale.not_applicable.label,
                    reasoning or profile_reason(criterion, self.profile, self.lang))
        if response is not None and response.not_applicable:
            return self.cat.scale.not_applicable.label, reasoning
        return missing_rating(self.lang), reasoning

    def missing_in_prefill(self) -> list[int]:
        missing = missing_rating(self.lang)
        return [c.number for c in self.cat.criteria if self.prefilled(c)[0] == missing]


def profile_text(profile: Profile, lang: str = "fi") -> str:
    """The workshop's profile as the guide states it: "nuoret; oppimisympäristöt (opinnollistaminen): kyllä"."""
    _ = wording("workbooks", lang)
    audience = label(AUDIENCE, profile.audience, lang)
    environments = _("yes") if profile.learning_environments else _("no")
    return _("{audience}; learning environments (opinnollistaminen): {answer}", audience=audience,
             answer=environments)


def criteria_list(numbers: list[int], lang: str = "fi") -> str:
    """"kriteerille 12" / "kriteereille 12, 20–22" (as catalogue.criteria_fi), "kriterium 12" in Swedish:
    the criteria the workshop gave no rating, as the guide says it."""
    from ..catalogue import number_ranges

    w = wording("workbooks", lang)
    return w.ngettext("for criterion {numbers}", "for criteria {numbers}", len(numbers),
                      numbers=number_ranges(numbers))


def basename(path: str) -> str:
    """A returned file's name without its folder, whichever system's separators the path uses."""
    return re.split(r"[\\/]", path)[-1]
