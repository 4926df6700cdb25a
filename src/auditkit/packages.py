"""Zip packages, whatever their format: checks on files from outside before any parser sees them
(shared by the form, workbook and register readers and the unpacking of returned archives, each of
which words the messages for its own files and keeps its own bounds), rewriting a package member by
member, and writing zips with fixed times, so that the same parts give the same bytes.

An OLE compound file is an old binary .xls/.doc, or an OOXML package encrypted with a password to
open. A zip member that declares far more than it packs is a zip bomb: the readers honour declared
sizes, so it is refused before anything is inflated.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .deflate import raw as raw_deflate

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def is_encrypted(data: bytes) -> bool:
    """Whether data (the file, or its first megabyte) is an OOXML package encrypted by Office."""
    return data.startswith(OLE_SIGNATURE) and _ENCRYPTED_STREAM in data


def too_packed(size: int, packed: int, *, floor: int, max_ratio: float) -> bool:
    """Whether size bytes declared over packed bytes is a zip bomb's packing: more than floor bytes at over
    max_ratio:1 (real documents pack 5-20:1)."""
    return size > floor and size / max(packed, 1) > max_ratio


def expanding_member(infos: Iterable[zipfile.ZipInfo], *, floor: int, max_ratio: float,
                     max_size: int | None = None) -> zipfile.ZipInfo | None:
    """The first member declaring more than max_size, or more than floor at over max_ratio:1; else None."""
    for info in infos:
        if (max_size is not None and info.file_size > max_size) or too_packed(
                info.file_size, info.compress_size, floor=floor, max_ratio=max_ratio):
            return info
    return None


FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# Already compressed: stored as they are in an archive (compressing them again costs time, saves nothing).
OFFICE_SUFFIXES = (".docx", ".xlsx")


def _entry(name: str) -> zipfile.ZipInfo:
    """A member's entry with the fixed time and plain file attributes."""
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.external_attr = 0o644 << 16
    return info


def pack(parts: Mapping[str, bytes], *, compresslevel: int | None = None, stored: tuple[str, ...] = ()) -> bytes:
    """A package of these members, in this order, with fixed times: the same parts give the same bytes.
    Members whose names end in one of `stored` are kept uncompressed; compresslevel: zlib's, where ISA-L
    is missing (deflate.raw)."""
    return pack_members(parts.items(), level=6 if compresslevel is None else compresslevel, stored=stored)


@dataclass(frozen=True, slots=True)
class Deflated:
    """A member's bytes compressed once (raw deflate), to be written into many packages as they are."""

    data: bytes
    crc: int
    size: int


def deflated(data: bytes, level: int = 6) -> Deflated:
    """data compressed for a zip member (deflate.raw; level: zlib's, where ISA-L is missing)."""
    return Deflated(raw_deflate(data, level), zlib.crc32(data), len(data))


def pack_members(members: Iterable[tuple[str, bytes | Deflated]], *, level: int = 6,
                 stored: tuple[str, ...] = ()) -> bytes:
    """A package of these members, in this order, with fixed times (as `pack`): a Deflated member is
    written as it was compressed, bytes are compressed at `level` or, when the name ends in one of
    `stored` (a PNG, already compressed), kept as they are."""
    out = io.BytesIO()
    central = []
    for name, data in members:
        method = 8
        if isinstance(data, Deflated):
            member = data
        elif stored and name.endswith(stored):
            member, method = Deflated(data, zlib.crc32(data), len(data)), 0
        else:
            member = deflated(data, level)
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else 0x800  # 0x800: the name is UTF-8
        offset = out.tell()
        head = (20, flags, method, 0, (1 << 5) | 1, member.crc, len(member.data), member.size, len(encoded))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *head, 0) + encoded)
        out.write(member.data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *head, 0, 0, 0, 0, 0o644 << 16, offset)
                       + encoded)
    start = out.tell()
    out.write(b"".join(central))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def archive(files: Mapping[str, bytes]) -> bytes:
    """A zip to send people (a kit, an auditor's packs): members by name, Office files stored as they are,
    fixed times, so that the same files give the same bytes."""
    return pack({name: files[name] for name in sorted(files)}, stored=OFFICE_SUFFIXES)


def rewrite(source: zipfile.ZipFile, change: Callable[[str, bytes], bytes], *, fixed_time: bool = False,
            compresslevel: int | None = None) -> bytes:
    """The package with each member's bytes passed through change(name, data), in the same order.

    Members keep their zip entries (name, time, attributes), or with fixed_time get 1980-01-01 and
    plain file attributes, so the same parts give the same bytes. compresslevel: zlib's 0–9 (default 6).
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info))
            if fixed_time:
                info = _entry(info.filename)
            target.writestr(info, data, zipfile.ZIP_DEFLATED, compresslevel)
    return out.getvalue()


_MODIFIED = re.compile(rb"(<dcterms:modified\b[^>]*>)[^<]*(</dcterms:modified>)")


def set_modified(core: bytes, when: str) -> bytes:
    """docProps/core.xml recording `when` (ISO time) as the last save, as an office program would."""
    return _MODIFIED.sub(lambda m: m.group(1) + when.encode() + m.group(2), core)
