"""Turning what people type into a rating cell into a rating: one function for every reader."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .catalogue import Scale
from .errors import Text, say
from .i18n import N_
from .textnorm import fold as _norm


@dataclass(frozen=True, slots=True)
class ParsedRating:
    """value: the level (None if empty, N/A or refused); not_applicable; error: why it was refused and
    the fix (a Text, said in the reader's language), code: the problem's code."""

    value: int | None = None
    not_applicable: bool = False
    error: Text | None = None
    code: str = ""

    @property
    def empty(self) -> bool:
        return self.value is None and not self.not_applicable and self.error is None


def parse_rating(raw: object, scale: Scale) -> ParsedRating:
    """Read a rating as people enter it.

    Accepts a level as number or text (3, 3.0, "3", " 3 ", "3,0"), a drop-down label ("3 – Kehittynyt",
    "3 - kehittynyt"), a level name ("Kehittynyt"), and "Ei sovellu" (any case) or its code. Empty gives
    an empty result. Anything else, or a number off the scale, gives error with the reason and the fix.
    """
    if raw is None or isinstance(raw, bool):
        return ParsedRating() if raw is None else _refused(N_("'{value}' is not a rating; {allowed}."), str(raw), scale)
    if isinstance(raw, (int, float)):
        number = float(raw)
        if number != number or not number.is_integer():  # NaN or a fraction
            return _refused(N_("{value} is not a level of the scale; {allowed}."), str(raw), scale)
        return _level(int(number), scale, str(raw))
    known = _known(scale)  # a round's ratings are the same few texts: each read once per scale
    parsed = known.get(raw) if isinstance(raw, str) else None
    if parsed is None:
        parsed = _parse_text(raw, scale)
        if isinstance(raw, str) and len(known) < _MEMO_TEXTS:
            known[raw] = parsed
    return parsed


_MEMO_TEXTS = 4096
_memo: dict[int, tuple[Scale, dict[str, ParsedRating]]] = {}


def _known(scale: Scale) -> dict[str, ParsedRating]:
    """The texts already parsed on this scale (by identity: hashing a scale costs more than parsing)."""
    entry = _memo.get(id(scale))
    if entry is None or entry[0] is not scale:
        if len(_memo) >= 8:
            _memo.clear()
        entry = _memo[id(scale)] = (scale, {})
    return entry[1]


def _parse_text(raw: object, scale: Scale) -> ParsedRating:
    text = _norm(str(raw))
    if not text:
        return ParsedRating()
    not_applicable, levels = _keys(scale)
    if text in not_applicable:
        return ParsedRating(not_applicable=True)
    if text in levels:
        return ParsedRating(value=levels[text])
    match = re.fullmatch(r"([+-]?\d+)(?:[.,]0+)?", text)
    if match:
        return _level(int(match.group(1)), scale, str(raw).strip())
    shown = str(raw).strip()
    if len(shown) > 40:
        shown = shown[:40] + "…"
    return _refused(N_("'{value}' is not a rating; {allowed}."), shown, scale)


def _refused(msgid: str, shown: str, scale: Scale) -> ParsedRating:
    allowed = say("choose {low}–{high} or {na} from the list", low=scale.min, high=scale.max,
                  na=scale.not_applicable.label)
    return ParsedRating(error=say(msgid, value=shown, allowed=allowed), code="rating-not-on-scale")


@lru_cache(maxsize=8)
def _keys(scale: Scale) -> tuple[frozenset[str], dict[str, int]]:
    """What "Ei sovellu" and each level may be typed as, folded (the first level a text names wins),
    made once per scale: a round's reading asks for them for every rating."""
    na = scale.not_applicable
    levels: dict[str, int] = {}
    for level in scale.levels:
        for key in (_norm(level.label), _norm(f"{level.value} - {level.name}"), _norm(level.name)):
            levels.setdefault(key, level.value)
    return frozenset({_norm(na.label), _norm(na.code), _norm(na.plain or na.label)}), levels


def _level(value: int, scale: Scale, shown: str) -> ParsedRating:
    if value in scale.values:
        return ParsedRating(value=value)
    return _refused(N_("{value} is out of range; {allowed}."), shown, scale)
