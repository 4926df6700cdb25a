"""Writing outputs safely: never overwrite silently, and never leave a half-written file."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputExistsError

# Characters XML 1.0 does not allow in text (and lone surrogates, which UTF-8 cannot encode): text
# from a register or a returned file must never break a document auditkit writes.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def check_writable(path: Path, force: bool) -> None:
    """Raise OutputExistsError when path exists and force is not set."""
    if path.exists() and not force:
        raise OutputExistsError(f"{path}: the file exists; give another --out or add --force to overwrite it.")


@contextmanager
def atomic_path(path: str | os.PathLike[str], *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `path`; when the block succeeds, move it into place in one step.

    Raises OutputExistsError when `path` exists and force is False. On failure the temporary file is
    removed and `path` is untouched.
    """
    target = Path(path)
    check_writable(target, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if not force and target.exists():
            raise OutputExistsError(f"{target}: the file appeared while writing; add --force to overwrite it.")
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes(path: str | os.PathLike[str], data: bytes, *, force: bool = False) -> Path:
    """Write bytes atomically; see atomic_path."""
    with atomic_path(path, force=force) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text(path: str | os.PathLike[str], text: str, *, force: bool = False) -> Path:
    """Write UTF-8 text atomically; see atomic_path."""
    return write_bytes(path, text.encode("utf-8"), force=force)


def write_with(path: str | os.PathLike[str], writer: Callable[[Path], None], *, force: bool = False) -> Path:
    """Call writer(tmp_path) and move the result into place atomically; see atomic_path."""
    with atomic_path(path, force=force) as tmp:
        writer(tmp)
    return Path(path)
