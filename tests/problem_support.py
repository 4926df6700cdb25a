"""Problems as a test compares them with the wording it expects: said in the current language, codes aside."""

from __future__ import annotations

from collections.abc import Iterable

from auditkit.errors import Problem


def said(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Each problem with its place and message said (in the current language) as plain text, without its
    code: equal to a Problem(file, place, "the message", severity) a test writes out."""
    return tuple(Problem(p.file, p.place, p.message, p.severity) for p in problems)
