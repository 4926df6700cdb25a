"""The values the prose templates get (templating.TEMPLATES declares their names)."""

from __future__ import annotations

from typing import Any

from ..catalogue import Catalogue
from ..dates import date_fi
from ..labels import AUDIT_TYPE_FI
from ..model import DocumentContext


def common_variables(catalogue: Catalogue, ctx: DocumentContext | None) -> dict[str, Any]:
    """The variables every template may use; the round's values verbatim ("" without a context)."""
    meta = catalogue.meta
    audit_type = ctx.audit_type if ctx else "peer"
    return {
        "title": meta.title,
        "subtitle": meta.subtitle,
        "publisher": meta.publisher,
        "year": meta.year,
        "source": meta.source,
        "content_version": catalogue.version,
        "criteria_count": len(catalogue.criteria),
        "question": meta.question,
        "not_applicable": catalogue.scale.not_applicable.label,
        "scale_min": catalogue.scale.min,
        "scale_max": catalogue.scale.max,
        "workshop": ctx.workshop.name if ctx else "",
        "organisation": ctx.workshop.organisation if ctx else "",
        "round_name": ctx.round_name if ctx else "",
        "round_id": ctx.round_id if ctx else "",
        "kit_id": ctx.kit_id if ctx else "",
        "deadline": date_fi(ctx.deadline) if ctx else "",
        "return_to": ctx.return_to if ctx else "",
        "coordinator": ctx.coordinator if ctx else "",
        "audit_type": audit_type,
        "audit_type_fi": AUDIT_TYPE_FI.get(audit_type, audit_type),
    }


def joined(names: list[str]) -> str:
    """Finnish list: "A", "A ja B", "A, B ja C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " ja " + names[-1]
