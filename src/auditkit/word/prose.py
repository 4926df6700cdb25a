"""Prose helpers for the Word documents' templates, in the document's language."""

from __future__ import annotations

from ..i18n import DEFAULT_LANGUAGE, wording


def joined(names: list[str], lang: str = DEFAULT_LANGUAGE) -> str:
    """A list said in a language: "A", "A ja B", "A, B ja C" (Swedish "A, B och C")."""
    if len(names) <= 1:
        return "".join(names)
    _ = wording("documents", lang)
    return _("{items} and {last}", items=", ".join(names[:-1]), last=names[-1])
