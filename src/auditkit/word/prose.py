"""Finnish prose helpers for the Word documents' templates."""

from __future__ import annotations




def joined(names: list[str]) -> str:
    """Finnish list: "A", "A ja B", "A, B ja C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " ja " + names[-1]
