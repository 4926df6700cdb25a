"""The one jinja2 environment: templates from a user's folder first, then the bundled ones."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import jinja2

from .errors import TemplateError
from .resources import templates_dir


def environment(user_dir: str | os.PathLike[str] | None = None) -> jinja2.Environment:
    """A StrictUndefined environment looking in user_dir (if given) before the bundled templates."""
    folders = [str(user_dir)] if user_dir else []
    folders.append(str(templates_dir()))
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(name: str, user_dir: str | os.PathLike[str] | None = None, **context: Any) -> str:
    """Render a text template. Raises TemplateError naming the template and the problem."""
    env = environment(user_dir)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound:
        raise TemplateError(f"{name}: template not found in {user_dir or templates_dir()}; restore it.") from None
    except jinja2.TemplateSyntaxError as err:
        raise TemplateError(f"{err.filename or name}, line {err.lineno}: {err.message}; fix the template.") from None
    except jinja2.UndefinedError as err:
        raise TemplateError(f"{name}: {err.message}; use only the variables the tool supplies.") from None


def template_path(name: str, user_dir: str | os.PathLike[str] | None = None) -> Path:
    """The file a template name resolves to (user folder first)."""
    for folder in ([Path(user_dir)] if user_dir else []) + [templates_dir()]:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise TemplateError(f"{name}: not found in {user_dir or templates_dir()}; restore it.")
