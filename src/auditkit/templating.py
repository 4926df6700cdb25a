"""The one jinja2 environment: templates from a user's folder first, then the bundled ones.

Also the list of templates auditkit uses and the variables each may use (template_check.py checks a
templates folder against them).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import jinja2

from .catalogue import Catalogue
from .errors import TemplateError, say
from .i18n import DEFAULT_LANGUAGE, install_jinja, language, wording
from .labels import AUDIT_TYPE, label
from .model import DocumentContext
from .resources import templates_dir

# Variables every prose template may use, with sample values for checking (common_variables gives
# the real ones). Document-level values come verbatim from the round (DocumentContext).
_COMMON: dict[str, Any] = {
    "title": "Työpajatoiminnan laatukriteerit",
    "subtitle": "Työpajatoiminnan käsitteet ja laatukriteerit",
    "publisher": "Into – etsivä nuorisotyö ja työpajatoiminta ry",
    "year": 2022,
    "source": "https://www.intory.fi/",
    "content_version": "2022.1",
    "criteria_count": 51,
    "question": "Mitä me teemme tässä asiassa?",
    "not_applicable": "Ei sovellu",
    "scale_min": 1,
    "scale_max": 4,
    "workshop": "Paja",
    "organisation": "Organisaatio",
    "round_name": "Kevät 2025",
    "round_id": "2025-1",
    "kit_id": "K-1",
    "deadline": "2025-06-01",
    "return_to": "laatu@example.fi",
    "coordinator": "Koordinaattori",
    "audit_type": "peer",
    "audit_type_fi": "Vertaisauditointi",
}

# Each template auditkit renders: the variables it is given beyond the common ones (sample values).
TEMPLATES: dict[str, dict[str, Any]] = {
    "form_instructions.j2": {},
    "getting_started.j2": {"steps": ["Kysy: Mitä me teemme tässä asiassa?", "Hae", "Kehitä"]},
    "scale_intro.j2": {"practice_elements": "Suunta ja Toiminta", "results_elements": "Tuloksellisuuden seuranta"},
    "form_element_intro.j2": {"heading": "Suunta", "areas": ["Alue"], "first": 1, "last": 16, "results": False},
    "glossary_intro.j2": {},
    "report_intro.j2": {},
    "report_conflict.j2": {},
    "report_method.j2": {},
    "report_assessment.j2": {"rejected_counts_as": 1},
    "report_recommendation.j2": {"recommended": "suositellaan", "conditional": "suositellaan ehdollisesti",
                                 "not_recommended": "ei suositella"},
    "report_comments.j2": {},
    "report_annexes.j2": {},
    "workbook_guide.j2": {"role": "self", "missing_rating": "Ei arviota", "accept_yes": "Hyväksytään",
                          "accept_no": "Ei hyväksytä", "rejected_counts_as": 1, "getting_started_title": "Miten aloitan?",
                          "getting_started": ["Kysy", "Hae", "Kehitä"], "rule_lines": ["Sääntö.", "Keskiarvot."],
                          "outside": "1–3", "profile": "nuoret", "prefill_from_form": False, "prefill_missing": ""},
}


def variables(name: str) -> frozenset[str]:
    """The variables template `name` may use."""
    return frozenset(_COMMON) | frozenset(TEMPLATES[name])


def domain_of(name: str) -> str:
    """The catalogue a template's {% trans %} texts belong to (see i18n.TEMPLATE_SOURCES)."""
    if name.startswith("round/"):
        return "messages"
    return "workbooks" if Path(name).name.startswith("workbook") else "documents"


@functools.lru_cache(maxsize=32)
def _environment(user_dir: str | None, lang: str, domain: str) -> jinja2.Environment:
    folders = [user_dir] if user_dir else []
    folders.append(str(templates_dir()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # a {% trans %} block's lines joined as the catalogue has them
    install_jinja(env, wording(domain, lang))
    return env


def environment(user_dir: str | os.PathLike[str] | None = None, lang: str = DEFAULT_LANGUAGE,
                domain: str = "documents") -> jinja2.Environment:
    """A StrictUndefined environment looking in user_dir (if given) before the bundled templates, its
    {% trans %} blocks said in a language from a domain's catalogue.

    One environment per folder, language and domain is kept, so templates are compiled once per
    process (jinja2 still notices a template file that changed).
    """
    return _environment(str(user_dir) if user_dir else None, language(lang).code, domain)


def render(name: str, user_dir: str | os.PathLike[str] | None = None, *, lang: str = DEFAULT_LANGUAGE,
           **context: Any) -> str:
    """Render a text template in a language (its {% trans %} blocks from the template's catalogue).
    Raises TemplateError naming the template and the problem."""
    env = environment(user_dir, lang, domain_of(name))
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound:
        raise TemplateError(say("{name}: template not found in {folder}; restore it.", name=name,
                                folder=str(user_dir or templates_dir()))) from None
    except UnicodeDecodeError as err:
        raise TemplateError(say("{path}: not UTF-8 text (byte {byte} cannot be read as UTF-8); save the template as "
                                "UTF-8 in your editor.", path=str(template_path(name, user_dir)), byte=err.start)) from None
    except jinja2.TemplateSyntaxError as err:
        raise TemplateError(say("{name}, line {line}: {reason}; fix the template.", name=err.filename or name,
                                line=err.lineno, reason=str(err.message))) from None
    except jinja2.UndefinedError as err:
        raise TemplateError(say("{name}: {reason}; use only the variables the tool supplies.", name=name,
                                reason=str(err.message))) from None
    except jinja2.TemplateError as err:
        raise TemplateError(say("{name}: {reason}; fix the template.", name=name, reason=str(err))) from None


def template_path(name: str, user_dir: str | os.PathLike[str] | None = None) -> Path:
    """The file a template name resolves to (user folder first)."""
    for folder in ([Path(user_dir)] if user_dir else []) + [templates_dir()]:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise TemplateError(say("{name}: not found in {folder}; restore it.", name=name, folder=str(user_dir or templates_dir())))


def common_variables(catalogue: Catalogue, ctx: DocumentContext | None) -> dict[str, Any]:
    """The variables every template may use; the round's values verbatim ("" without a context), dates
    and labels in the document's language (ctx.language)."""
    meta = catalogue.meta
    audit_type = ctx.audit_type if ctx else "peer"
    lang = ctx.language if ctx else DEFAULT_LANGUAGE
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
        "deadline": wording("documents", lang).date(ctx.deadline) if ctx else "",
        "return_to": ctx.return_to if ctx else "",
        "coordinator": ctx.coordinator if ctx else "",
        "audit_type": audit_type,
        "audit_type_fi": label(AUDIT_TYPE, audit_type, lang),  # the name is old: in the document's language
    }
