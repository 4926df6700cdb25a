"""Where the bundled content and templates are, installed or in a source checkout."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
CONTENT_ENV = "AUDITKIT_CONTENT"


def _bundled(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    # A source checkout (src/auditkit/ two levels below the repository root).
    return _PACKAGE.parent.parent / name


def content_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the content folder: the one given, else $AUDITKIT_CONTENT, else the bundled one."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(CONTENT_ENV)
    if env:
        return Path(env)
    return _bundled("content")


def templates_dir() -> Path:
    """Return the bundled templates folder."""
    return _bundled("templates")
