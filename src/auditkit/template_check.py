"""Checking a templates folder: every text template and base.docx, every problem in one run."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import jinja2.meta

from .errors import Problem, TemplateError, say
from .templating import _COMMON, TEMPLATES, environment, template_path, variables


def check_templates(user_dir: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Every problem with the templates auditkit would use (user_dir first, then the bundled ones).

    Checks that each template exists, parses, uses only the variables the tool supplies and renders
    with sample values; that base.docx opens and has every style the writers use; and warns about
    files in user_dir that auditkit does not use (a misspelt name overrides nothing).
    """
    problems: list[Problem] = []
    if user_dir is not None and not Path(user_dir).is_dir():
        return [Problem(str(user_dir), "", say("templates folder not found; give an existing folder with --templates."),
                        code="templates-folder-missing")]
    env = environment(user_dir)
    for name in TEMPLATES:
        try:
            path = template_path(name, user_dir)
        except TemplateError:
            problems.append(Problem(name, "", say("template missing; copy it from the bundled templates folder."),
                                    code="template-missing"))
            continue
        problems.extend(_check_one(env, name, path))
    from .word.styles import check_base  # the word package owns .docx

    problems.extend(check_base(user_dir))
    if user_dir is not None:
        known = set(TEMPLATES) | {"base.docx", "README.md"}
        for extra in sorted(Path(user_dir).glob("*.j2")):
            if extra.name not in known:
                problems.append(Problem(str(extra), "", say(
                    "not a template auditkit uses, so it changes nothing; name it as one of: {names}.",
                    names=", ".join(TEMPLATES)), "warning", "template-unknown"))
    return problems


def _check_one(env: jinja2.Environment, name: str, path: Path) -> list[Problem]:
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return [Problem(str(path), "", say("cannot be read as UTF-8 text ({reason}); save it as UTF-8.",
                                           reason=str(err)), code="template-not-utf8")]
    try:
        parsed = env.parse(source, name, str(path))
    except jinja2.TemplateSyntaxError as err:
        return [Problem(str(path), f"line {err.lineno}", say("{reason}; fix the template syntax.",
                                                             reason=str(err.message)), code="template-syntax")]
    allowed = variables(name)
    unknown = sorted(jinja2.meta.find_undeclared_variables(parsed) - allowed)
    if unknown:
        return [Problem(str(path), "", say("unknown variable(s) {unknown}; use only: {allowed}.",
                                           unknown=", ".join(unknown), allowed=", ".join(sorted(allowed))),
                        code="template-variable-unknown")]
    try:
        env.from_string(source).render(**_COMMON, **TEMPLATES[name])
    except jinja2.TemplateError as err:
        return [Problem(str(path), "", say("does not render ({reason}); fix the template.", reason=str(err)),
                        code="template-does-not-render")]
    return []
