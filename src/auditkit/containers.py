"""Returned files inside archives, and the files computers leave beside returns.

People return a whole kit as a .zip (Windows' "Send to > Compressed folder", macOS' "Compress").
`expand` opens such an archive, within bounds (member count, total size, each member's size and
packing ratio, nesting depth, no member path leaving the archive, no password), unpacks its members
into a private temporary folder and gives them to compile as if they had been returned loose; each
is named "archive.zip/member.xlsx" in messages. A member or archive that cannot be opened safely
is not unpacked; a stand-in carrying the reason takes its place, so compile reports it like any bad
file (see `refusal`, which works in spawned worker processes too).

`is_junk` recognises what no person returned on purpose: macOS' AppleDouble files (`__MACOSX/`,
`._name`) and `.DS_Store`, Windows' Thumbs.db and desktop.ini, and the lock files Office and
LibreOffice leave while a document is open (`~$name`, `.~lock.name#`). They are passed over in silence.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import Text, say
from .packages import too_packed

MAX_MEMBERS = 2000
MAX_TOTAL_BYTES = 500 * 1024 * 1024  # all members of one archive, nested ones included
MAX_MEMBER_BYTES = 25 * 1024 * 1024  # a kit file with its answers is far smaller
MAX_RATIO = 200  # unpacked / packed, for members over RATIO_FLOOR bytes: a zip bomb
RATIO_FLOOR = 1024 * 1024
MAX_DEPTH = 3  # an archive in an archive in an archive
_JUNK_NAMES = frozenset({".ds_store", "thumbs.db", "ehthumbs.db", "desktop.ini", ".localized"})
_OOXML_MAIN = {"xl/workbook.xml": ".xlsx", "word/document.xml": ".docx"}


def is_junk(path: str | PurePosixPath | Path) -> bool:
    """Whether a file (by its path within what was returned) is one the computer made, not a person:
    AppleDouble (`__MACOSX/`, `._name`), .DS_Store, Thumbs.db, desktop.ini, Office lock files."""
    parts = PurePosixPath(str(path).replace("\\", "/")).parts
    if not parts:
        return False
    name = parts[-1]
    return ("__MACOSX" in parts[:-1] or name.startswith("._") or name.casefold() in _JUNK_NAMES
            or name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#")))


@dataclass(frozen=True, slots=True)
class Member:
    """A file that came out of an archive: the archive as returned, the member's path within it
    (nested archives joined with "/"), and why it was not unpacked (None when it was)."""

    archive: Path
    inner: str
    refusal: Text | None = None


_MEMBERS: dict[Path, Member] = {}  # unpacked (or stand-in) path -> where it came from
_EXPANDED: dict[tuple[str, int, int], list[Path]] = {}  # archive (path, size, mtime) -> its files
_ROOT: Path | None = None
_PREFIX = "auditkit-zip-"
_STAND_IN = b"auditkit: not unpacked\n"


def member(path: Path) -> Member | None:
    """Where a path given by `expand` came from, when it came out of an archive (in this process)."""
    return _MEMBERS.get(path)


def refusal(path: Path) -> Text | None:
    """Why a path given by `expand` stands for something not unpacked, or None. Works in a worker process
    too (a spawned worker has none of this process's records): a stand-in carries its reason inside (the
    text's source and values as JSON, so that it is said in the reader's language)."""
    found = _MEMBERS.get(path)
    if found is not None:
        return found.refusal
    if not any(part.startswith(_PREFIX) for part in path.parts):
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_STAND_IN) + 4096)
    except OSError:
        return None
    if not head.startswith(_STAND_IN):
        return None
    try:
        msgid, params = json.loads(head[len(_STAND_IN):].decode("utf-8"))
        return Text(str(msgid), tuple((str(k), v) for k, v in params))
    except (ValueError, TypeError):
        return Text(head[len(_STAND_IN):].decode("utf-8", "replace"))


def expand(path: Path) -> list[Path]:
    """The files a returned file stands for: the file itself, or for a .zip its members, unpacked
    (nested archives too) into a private folder removed when the program ends. Junk is left out.
    An archive or member that cannot be opened safely stands in the list as a small file whose
    `refusal` is the reason."""
    if path.suffix.lower() != ".zip":
        return [path]
    try:
        stat = path.stat()
    except OSError:
        return [path]  # compile says why it cannot be read
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _EXPANDED:
        _EXPANDED[key] = _Unpacker(path).run()
    return list(_EXPANDED[key])


def _root() -> Path:
    global _ROOT
    if _ROOT is None:
        _ROOT = Path(tempfile.mkdtemp(prefix=_PREFIX))
        atexit.register(shutil.rmtree, _ROOT, True)
    return _ROOT


class _Unpacker:
    """Unpacks one returned archive, counting what it has taken against the bounds."""

    def __init__(self, archive: Path) -> None:
        self.archive = archive
        self.total = 0
        self.count = 0
        self.out: list[Path] = []
        self.folder = Path(tempfile.mkdtemp(prefix="a", dir=_root()))

    def run(self) -> list[Path]:
        try:
            with zipfile.ZipFile(self.archive) as z:
                suffix = _office_suffix(z)
                if suffix:  # an Office file whose name ends in .zip (renamed, or so saved by a mail program)
                    target = self._folder() / (_safe(self.archive.stem) + suffix)
                    shutil.copyfile(self.archive, target)
                    self._keep(target, "")
                    return self.out
                refusal = self._open(z, "", 1, self.archive.name)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            refusal = say("the archive is damaged or incomplete (cut off while downloading or attaching?), so it was "
                          "not opened; ask for it again.")
        if refusal:
            self._stand_in("", refusal)
        return self.out

    def _open(self, z: zipfile.ZipFile, prefix: str, depth: int, label: str) -> Text | None:
        """Unpack z's members (prefix: their path within the returned archive); a refusal of the whole
        archive, or None."""
        infos = [i for i in z.infolist() if not i.is_dir() and not is_junk(_name(i))]
        self.count += len(infos)
        if self.count > MAX_MEMBERS:
            return say("{archive} holds more than {count} files, far more than returned kits; it was not opened. "
                       "Unpack it and return the kit files themselves.", archive=label, count=MAX_MEMBERS)
        declared = sum(i.file_size for i in infos)
        if self.total + declared > MAX_TOTAL_BYTES:
            return say("{archive} would unpack to {size} MB, far more than returned kits; it was not opened (a "
                       "damaged or malicious archive). Return the kit files themselves.", archive=label,
                       size=(self.total + declared) // (1024 * 1024))
        self.total += declared
        for info in sorted(infos, key=_name):
            inner = prefix + _name(info)
            why = _unsafe(info, _name(info))
            if why:
                self._stand_in(inner, why)
            elif _name(info).lower().endswith(".zip"):
                self._nested(z, info, inner, depth)
            else:
                path = self._write(z, info, inner)
                if path is not None:
                    self._keep(path, inner)
        return None

    def _nested(self, z: zipfile.ZipFile, info: zipfile.ZipInfo, inner: str, depth: int) -> None:
        if depth >= MAX_DEPTH:
            self._stand_in(inner, say("an archive inside {depth} archives; it was not opened. Unpack the archives "
                                      "and return the kit files themselves.", depth=depth))
            return
        path = self._write(z, info, inner)
        if path is None:
            return
        try:
            with zipfile.ZipFile(path) as nested:
                suffix = _office_suffix(nested)
                refusal = None if suffix else self._open(nested, inner + "/", depth + 1, PurePosixPath(inner).name)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            suffix, refusal = "", say("the archive inside the archive is damaged, so it was not opened; ask for the "
                                      "files again.")
        if suffix:
            self._keep(path.rename(path.with_suffix(suffix)), inner)
            return
        path.unlink(missing_ok=True)
        if refusal:
            self._stand_in(inner, refusal)

    def _folder(self) -> Path:
        """A new folder for one file, so that members of the same name never meet."""
        folder = self.folder / f"{self.count}-{len(self.out)}-{len(os.listdir(self.folder))}"
        folder.mkdir()
        return folder

    def _write(self, z: zipfile.ZipFile, info: zipfile.ZipInfo, inner: str) -> Path | None:
        """The member unpacked under its own name (so its type is seen) with its time, or None (refused)."""
        target = self._folder() / _safe(PurePosixPath(inner).name)
        try:
            with z.open(info) as source, target.open("wb") as out:
                remaining = info.file_size  # never more than it declares (the bounds were checked on that)
                while remaining > 0:
                    chunk = source.read(min(remaining, 1 << 20))
                    if not chunk:
                        break
                    out.write(chunk)
                    remaining -= len(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
            target.unlink(missing_ok=True)
            self._stand_in(inner, say("cannot be unpacked from the archive (it is damaged or uses an unknown "
                                      "compression); unpack it on your computer and return the file itself."))
            return None
        if info.date_time[0] >= 1980:  # the member's own time, which compile may compare between copies
            when = time.mktime((*info.date_time, 0, 0, -1))
            os.utime(target, (when, when))
        return target

    def _keep(self, path: Path, inner: str) -> None:
        _MEMBERS[path] = Member(self.archive, inner)
        self.out.append(path)

    def _stand_in(self, inner: str, refusal: Text) -> None:
        """A small file that stands for what was not unpacked, carrying the reason (see refusal)."""
        path = self._folder() / (_safe(PurePosixPath(inner).name) if inner else _safe(self.archive.name))
        path.write_bytes(_STAND_IN + json.dumps([refusal.msgid, [list(p) for p in refusal.params]]).encode("utf-8"))
        _MEMBERS[path] = Member(self.archive, inner, refusal)
        self.out.append(path)


def _office_suffix(z: zipfile.ZipFile) -> str:
    """".xlsx" or ".docx" when the archive is itself an Office file, else ""."""
    names = set(z.namelist())
    if "[Content_Types].xml" not in names:
        return ""
    return next((suffix for part, suffix in _OOXML_MAIN.items() if part in names), "")


def _name(info: zipfile.ZipInfo) -> str:
    """The member's path as its maker meant it. Zips made by Windows' own "Compressed folder" store
    names in the DOS code page (850 on a Finnish Windows) without saying so; Python reads such names
    as code page 437, which turns ä into õ. Names flagged UTF-8 (bit 11) are right as they are."""
    name = info.filename
    if not info.flag_bits & 0x800 and not name.isascii():
        raw = name.encode("cp437", errors="replace")
        for encoding in ("utf-8", "cp850"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return name.replace("\\", "/")


def _unsafe(info: zipfile.ZipInfo, name: str) -> Text | None:
    """Why a member must not be unpacked, or None."""
    parts = PurePosixPath(name).parts
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
        return say("the member's path leads outside the archive (an absolute path or ..), so it was not unpacked; "
                   "ask for the files again, zipped as they are.")
    if info.flag_bits & 0x1:
        return say("is protected with a password inside the archive, so it cannot be read; ask for the archive "
                   "again without a password.")
    if info.file_size > MAX_MEMBER_BYTES:
        return say("is {size} MB inside the archive, far larger than a kit file; it was not unpacked. Return the "
                   "kit's file without pictures or attachments inside.", size=info.file_size // (1024 * 1024))
    if too_packed(info.file_size, info.compress_size, floor=RATIO_FLOOR, max_ratio=MAX_RATIO):
        return say("would unpack to far more than it takes in the archive (a zip bomb?), so it was not unpacked; ask "
                   "for the file again.")
    return None


_UNSAFE_CHARACTERS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _safe(name: str) -> str:
    """A member's name as a file name on this system (characters no system allows replaced)."""
    return _UNSAFE_CHARACTERS.sub("_", name).strip(" .") or "nimetön"
