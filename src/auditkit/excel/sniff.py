"""Checking a returned file before any parser sees it: what it really is, and whether it is safe.

Each kind of file that is not a usable .xlsx (empty, truncated, encrypted, old .xls, .ods, a CSV or a
Word document renamed, a zip bomb) gets one message that says what to do.
"""

from __future__ import annotations

import io
import os
import zipfile

from ..errors import Text, say
from ..packages import OLE_SIGNATURE, expanding_member, is_encrypted
from . import contract as k



class NotAWorkbook(Exception):
    """The file cannot be read as a workbook; the message (a Text, `.text`) says why and what to do."""

    def __init__(self, text: Text) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return self.text.said()


def load_package(path: str | os.PathLike[str]) -> tuple[bytes, zipfile.ZipFile]:
    """Read the file into memory (the original is never touched) and open it as a checked zip.

    Returns the bytes and the open ZipFile. Raises NotAWorkbook with a message for a person.
    """
    try:
        size = os.path.getsize(path)
        if size > k.MAX_FILE_BYTES:
            raise NotAWorkbook(say(
                "is {size} MB, far more than a filled workbook ({limit} MB at most); check that it is the right file.",
                size=round(size / 1e6), limit=round(k.MAX_FILE_BYTES / 1e6)))
        with open(path, "rb") as handle:
            data = handle.read(size + 1)  # read(n) takes n bytes of memory before it reads
    except FileNotFoundError:
        raise NotAWorkbook(say("does not exist; check the path.")) from None
    except IsADirectoryError:
        raise NotAWorkbook(say("is a folder, not a workbook; give the .xlsx file.")) from None
    except OSError as err:
        raise NotAWorkbook(say("cannot be opened ({reason}); check that you may read it.",
                                   reason=str(err.strerror or err))) from None
    if not data.strip(b"\x00 \t\r\n"):
        raise NotAWorkbook(say("is empty; ask for the workbook again (it was not saved or not attached whole)."))
    if data.startswith(OLE_SIGNATURE):
        if is_encrypted(data):
            raise NotAWorkbook(say(
                "is protected with a password to open (encrypted); ask the sender to remove the password "
                "(Excel: File > Info > Protect Workbook > Encrypt with Password, empty it) and send it again."))
        raise NotAWorkbook(say("is an old Excel 97–2003 workbook (.xls); open it in Excel or LibreOffice and save it "
                               "as an Excel workbook (.xlsx) and send that."))
    if not data.startswith(b"PK"):
        raise NotAWorkbook(_not_zip(data))
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise NotAWorkbook(say(
            "is damaged or incomplete (cut off while saving, downloading or attaching); "
            "ask for the workbook again.")) from None
    _check_kind(package)
    _check_sizes(package)
    return data, package


def read_part(package: zipfile.ZipFile, name: str | zipfile.ZipInfo, limit: int = k.MAX_MEMBER_BYTES) -> bytes:
    """A member's bytes, inflating no more than it declares (and never more than limit).

    zipfile's read() inflates a member in one go whatever size it declares: a member that declares
    2 KB but holds 300 MB would take 300 MB before its CRC is checked. Read this way, a member longer
    than it declares fails its CRC check (zipfile.BadZipFile) after its declared size.
    """
    info = name if isinstance(name, zipfile.ZipInfo) else package.getinfo(name)
    with package.open(info) as member:
        return member.read(min(info.file_size, limit))


def _not_zip(data: bytes) -> Text:
    head = data[:4096]
    if head.lstrip().lower().startswith((b"<html", b"<!doctype html")):
        return say("is a web page (HTML), not a workbook; open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx).")
    if head.lstrip().startswith(b"<?xml"):
        return say("is an XML file (perhaps Excel 2003 XML), not a workbook; open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx).")
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = head.decode("latin-1")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    if text and printable / len(text) > 0.95:
        return say("is a text file (CSV or similar) renamed to a workbook; open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx), using the "
                   "workbook the kit sent.")
    return say("is not an Excel workbook; open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx).")


def _check_kind(package: zipfile.ZipFile) -> None:
    names = set(package.namelist())
    if "xl/workbook.xml" in names:
        return
    if "mimetype" in names:
        try:
            mimetype = read_part(package, "mimetype", 100)
        except Exception:  # noqa: BLE001 - a damaged member is reported as not a workbook
            mimetype = b""
        if b"opendocument.spreadsheet" in mimetype:
            raise NotAWorkbook(say(
                "is an OpenDocument spreadsheet (.ods); in LibreOffice choose File > Save As > "
                "Excel 2007-365 (.xlsx) and send that."))
        raise NotAWorkbook(say("is an OpenDocument file, not a workbook; open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx)."))
    if "word/document.xml" in names:
        raise NotAWorkbook(say("is a Word document, not a workbook; send the .xlsx workbook of the kit."))
    if any(name.startswith("ppt/") for name in names):
        raise NotAWorkbook(say("is a PowerPoint presentation, not a workbook; send the .xlsx workbook of the kit."))
    raise NotAWorkbook(say("is a zip archive but not an Excel workbook; open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx)."))


def _check_sizes(package: zipfile.ZipFile) -> None:
    """Refuse a zip bomb from the sizes it declares (the readers honour them) before parsing."""
    infos = package.infolist()
    info = expanding_member(infos, floor=k.RATIO_FLOOR, max_ratio=k.MAX_RATIO, max_size=k.MAX_MEMBER_BYTES)
    if info is not None:
        ratio = info.file_size / max(info.compress_size, 1)
        raise NotAWorkbook(say(
            "declares a part ({part}) of {size} MB packed {ratio}:1, far beyond a filled workbook; it was refused "
            "unread (a damaged or malicious file). Ask for the workbook again.", part=info.filename,
            size=round(info.file_size / 1e6), ratio=round(ratio)))
    total = sum(i.file_size for i in infos)
    if total > k.MAX_TOTAL_BYTES:
        raise NotAWorkbook(say(
            "declares {size} MB of content, far beyond a filled workbook; it was refused unread. Ask for the "
            "workbook again.", size=round(total / 1e6)))
