"""Writing outputs safely: never overwrite silently, and never leave a half-written file."""

from __future__ import annotations

import errno
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError, OutputExistsError, Text, say

# Characters XML 1.0 does not allow in text (and lone surrogates, which UTF-8 cannot encode): text
# from a register or a returned file must never break a document auditkit writes.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# What makes a spreadsheet read typed text as a formula (or a DDE command): OWASP's list. Text from a
# register or a returned file that starts so is written as text: a CSV cell gets an apostrophe before it
# (csvfile.guard), an .xlsx cell is stored as a string and shown as typed (excel/style.as_text).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula if it were typed into a cell."""
    return text.startswith(FORMULA_START)


def check_writable(path: Path, force: bool) -> None:
    """Raise OutputExistsError when path exists and force is not set."""
    if path.exists() and not force:
        raise OutputExistsError(say("{path}: the file exists; give another --out or add --force to overwrite it.",
                                    path=str(path)))


@contextmanager
def atomic_path(path: str | os.PathLike[str], *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `path`; when the block succeeds, move it into place in one step.

    Raises OutputExistsError when `path` exists and force is False. On failure the temporary file is
    removed and `path` is untouched.
    """
    target = Path(path)
    check_writable(target, force)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(fd)
    except OSError as err:
        raise OutputError(cannot_write(target, err)) from err
    tmp_path = Path(tmp)
    try:
        try:
            yield tmp_path
        except OSError as err:
            raise OutputError(cannot_write(target, err)) from err
        if not force and target.exists():
            raise OutputExistsError(say("{path}: the file appeared while writing; add --force to overwrite it.",
                                        path=str(target)))
        try:
            os.replace(tmp_path, target)
        except OSError as err:
            raise OutputError(cannot_write(target, err, replacing=target.exists())) from err
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def cannot_write(path: Path, err: OSError, *, replacing: bool = False, reading: bool = False) -> Text:
    """Why path cannot be written (or, with reading, read or written), for a person: the place, the problem
    and the fix, said in the reader's language when shown."""
    code = err.errno
    cannot = say("cannot be read or written") if reading else say("cannot be written")
    blocker = _file_in_the_way(path)
    if blocker is not None:
        return say("{path}: {cannot}: {blocker} is a file, not a folder. Give a path inside a folder (or rename that "
                   "file).", path=str(path), cannot=cannot, blocker=str(blocker))
    if code in (errno.EACCES, errno.EPERM):
        if replacing:
            return say("{path}: cannot be replaced: the file is in use or write-protected. If it is open in Excel or "
                       "Word, close it and run again; else check the file's permissions.", path=str(path))
        return say("{path}: {cannot}: no permission to write in {folder}. Choose another folder (-o/--out) or ask for "
                   "write access.", path=str(path), cannot=cannot, folder=str(path.parent))
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return say("{path}: {cannot}: the disk is full. Free some space or write to another disk (-o/--out).",
                   path=str(path), cannot=cannot)
    if code == errno.EROFS:
        return say("{path}: {cannot}: the disk is read-only (a CD, a locked USB stick or a read-only share). Choose "
                   "another folder (-o/--out).", path=str(path), cannot=cannot)
    if code == errno.ENAMETOOLONG:
        return say("{path}: {cannot}: the path is too long. Choose a folder nearer the root, e.g. C:\\Laatumerkki.",
                   path=str(path), cannot=cannot)
    return say("{path}: {cannot} ({reason}). Check the folder and try again, or choose another (-o/--out).",
               path=str(path), cannot=cannot, reason=str(err.strerror or err))


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest ancestor of path that exists as a file (so no folder can be made there), or None."""
    for parent in path.parents:
        try:
            if parent.exists():
                return parent if not parent.is_dir() else None
        except OSError:
            return None
    return None


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
