"""Checks on Office files from outside, before any parser sees them; shared by the form and workbook
readers, which word the messages for their own format.

An OLE compound file is an old binary .xls/.doc, or an OOXML package encrypted with a password to
open. A zip member that declares far more than it packs is a zip bomb: the readers honour declared
sizes, so it is refused before anything is inflated.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def is_encrypted(data: bytes) -> bool:
    """Whether data (the file, or its first megabyte) is an OOXML package encrypted by Office."""
    return data.startswith(OLE_SIGNATURE) and _ENCRYPTED_STREAM in data


def expanding_member(infos: Iterable[zipfile.ZipInfo], *, floor: int, max_ratio: float,
                     max_size: int | None = None) -> zipfile.ZipInfo | None:
    """The first member declaring more than max_size, or more than floor at over max_ratio:1; else None."""
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if (max_size is not None and info.file_size > max_size) or (info.file_size > floor and ratio > max_ratio):
            return info
    return None
