"""Checking a templates folder: every text template and base.docx, every problem in one run."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import jinja2.meta

from .errors import Problem, TemplateError
from .templating import _COMMON, TEMPLATES, environment, template_path, variables


def check_templates(user_dir: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Every problem with the templates auditkit would use (user_dir first, then the bundled ones).

    Checks that each template exists, parses, uses only the variables the tool supplies and renders
    with sample values; that base.docx opens and has every style the writers use; and warns about
    files in user_dir that auditkit does not use (a misspelt name overrides nothing).
    """
    problems: list[Problem] = []
    if user_dir is not None and not Path(user_dir).is_dir():
        return [Problem(str(user_dir), "", "templates folder not found; give an existing folder with --templates.")]
    env = environment(user_dir)
    for name in TEMPLATES:
        try:
            path = template_path(name, user_dir)
        except TemplateError:
            problems.append(Problem(name, "", "template missing; copy it from the bundled templates folder."))
            continue
        problems.extend(_check_one(env, name, path))
    from .word.styles import check_base  # the word package owns .docx

    problems.extend(check_base(user_dir))
    if user_dir is not None:
        known = set(TEMPLATES) | {"base.docx", "README.md"}
        for extra in sorted(Path(user_dir).glob("*.j2")):
            if extra.name not in known:
                problems.append(Problem(str(extra), "", "not a template auditkit uses, so it changes nothing; "
                                        f"name it as one of: {', '.join(TEMPLATES)}.", "warning"))
    return problems


def _check_one(env: jinja2.Environment, name: str, path: Path) -> list[Problem]:
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return [Problem(str(path), "", f"cannot be read as UTF-8 text ({err}); save it as UTF-8.")]
    try:
        parsed = env.parse(source, name, str(path))
    except jinja2.TemplateSyntaxError as err:
        return [Problem(str(path), f"line {err.lineno}", f"{err.message}; fix the template syntax.")]
    allowed = variables(name)
    unknown = sorted(jinja2.meta.find_undeclared_variables(parsed) - allowed)
    if unknown:
        return [Problem(str(path), "", f"unknown variable(s) {', '.join(unknown)}; use only: "
                        f"{', '.join(sorted(allowed))}.")]
    try:
        env.from_string(source).render(**_COMMON, **TEMPLATES[name])
    except jinja2.TemplateError as err:
        return [Problem(str(path), "", f"does not render ({err}); fix the template.")]
    return []
