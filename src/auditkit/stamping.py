"""Build a document once, stamp each workshop's details into copies: placeholders in OOXML packages.

A round is the same documents with different names on them. The writers are called once per distinct
document (role, profile, audit type, team size) with placeholder values such as ``⟦workshop.name⟧``;
`Blueprint` splits each XML part of the package at its placeholders and compresses the constant
pieces once. `Blueprint.stamp` then writes a package for one workshop by splicing the values, as stored
(uncompressed) deflate blocks, between the pre-compressed pieces: a raw deflate stream may be cut after
a full flush and joined with another, so the result is an ordinary, valid zip.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .errors import AuditkitError
from .model import Auditor, DocumentContext, Workshop
from .outputs import XML_FORBIDDEN
from .packages import Deflated, pack_members

# ASCII on purpose: openpyxl writes non-ASCII characters as numeric character references.
OPEN, CLOSE = "[[ak:", "]]"
_TOKEN = re.compile(r"\[\[ak:([a-z0-9_.]+)\]\]")
# Worksheet header/footer strings use & as a control character: a literal & is written &&.
_HEADER_FOOTER = re.compile(r"<(?:\w+:)?(odd|even|first)(Header|Footer)\b[^>]*>$")


def token(name: str) -> str:
    return f"{OPEN}{name}{CLOSE}"


def placeholder_context(ctx: DocumentContext) -> DocumentContext:
    """ctx with every per-workshop string replaced by its placeholder (profile, role, round kept)."""
    w = ctx.workshop
    ws = Workshop(
        id=token("workshop.id"),
        name=token("workshop.name"),
        organisation=token("workshop.organisation"),
        municipality=token("workshop.municipality"),
        region=token("workshop.region"),
        email=token("workshop.email"),
        profile=w.profile,
    )
    auditors = tuple(
        Auditor(token(f"auditor{i}.name"), token(f"auditor{i}.email"), token(f"auditor{i}.home"), token(f"auditor{i}.role"))
        for i in range(len(ctx.auditors))
    )
    return replace(ctx, workshop=ws, kit_id=token("kit_id"), auditors=auditors)


def values_of(ctx: DocumentContext) -> dict[str, str]:
    """The values that placeholder_context's placeholders stand for."""
    w = ctx.workshop
    values = {
        "workshop.id": w.id,
        "workshop.name": w.name,
        "workshop.organisation": w.organisation,
        "workshop.municipality": w.municipality,
        "workshop.region": w.region,
        "workshop.email": w.email,
        "kit_id": ctx.kit_id,
    }
    for i, a in enumerate(ctx.auditors):
        values.update({f"auditor{i}.name": a.name, f"auditor{i}.email": a.email,
                       f"auditor{i}.home": a.home_workshop_id, f"auditor{i}.role": a.role})
    return values


def _xml_escape(value: str) -> str:
    value = XML_FORBIDDEN.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _deflate(data: bytes, final: bool) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


# CRC-32 of joined pieces without reading the pieces again (zlib's crc32_combine, which Python's zlib does
# not offer): crc(a + b) = x^(8 len b) · crc(a) ^ crc(b) modulo the CRC's polynomial, in its reflected form.
# Worth it from a few kilobytes on: a form's document.xml is ~500 KB in pieces between 9 placeholders.
_POLY = 0xEDB88320
_COMBINE_FROM = 16_384


def _multmodp(a: int, b: int) -> int:
    """a(x) · b(x) modulo the CRC-32 polynomial (reflected bit order, as zlib's multmodp)."""
    m, p = 1 << 31, 0
    while True:
        if a & m:
            p ^= b
            if (a & (m - 1)) == 0:
                return p
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1


def _powers() -> list[int]:
    """x^(2^k) modulo the polynomial, k = 0..31."""
    table, p = [], 1 << 30  # x^1
    for _ in range(32):
        table.append(p)
        p = _multmodp(p, p)
    return table


_X2N = _powers()


def _crc_shift(length: int) -> int:
    """The operator x^(8 · length) that moves a CRC past `length` bytes (zlib's x2nmodp(length, 3))."""
    p, k = 1 << 31, 3  # x^0
    while length:
        if length & 1:
            p = _multmodp(_X2N[k & 31], p)
        length >>= 1
        k += 1
    return p


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of a + b from crc(a), crc(b) and len(b)."""
    return _multmodp(_crc_shift(length2), crc1) ^ crc2 if length2 else crc1


def _stored(data: bytes) -> bytes:
    """data as stored (uncompressed) deflate blocks, which may follow a full flush and precede more of the
    stream: a value is a few dozen bytes, and a compressor set up for each would cost more than it saves."""
    blocks = [data[i:i + 0xFFFF] for i in range(0, len(data), 0xFFFF)] or [b""]
    return b"".join(b"\x00" + struct.pack("<HH", len(b), len(b) ^ 0xFFFF) + b for b in blocks)


@dataclass(frozen=True, slots=True)
class _Part:
    """One zip member: either constant (compressed once) or split at placeholders."""

    name: str
    constant: bytes | None          # compressed bytes of a member without placeholders
    crc: int
    size: int
    pieces: tuple[bytes, ...] = ()  # compressed constant pieces between placeholders (len = tokens + 1)
    raw_pieces: tuple[bytes, ...] = ()
    # Per raw piece: its CRC-32 and the operator that appends it to a CRC (_crc_shift), or 0 for a piece short
    # enough to run through zlib.crc32 each time.
    crcs: tuple[tuple[int, int], ...] = ()
    tokens: tuple[tuple[str, bool], ...] = ()  # (name, inside a header/footer string)


class Blueprint:
    """A package built once with placeholders, ready to be stamped many times."""

    def __init__(self, package: bytes, known: set[str] | None = None) -> None:
        self.parts: list[_Part] = []
        with zipfile.ZipFile(io.BytesIO(package)) as z:
            for info in z.infolist():
                data = z.read(info)
                self.parts.append(self._prepare(info.filename, data, known))

    @staticmethod
    def _prepare(name: str, data: bytes, known: set[str] | None) -> _Part:
        if not name.endswith((".xml", ".rels")) or OPEN.encode() not in data:
            return _Part(name, _deflate(data, final=True), zlib.crc32(data), len(data))
        text = data.decode("utf-8")
        raw: list[bytes] = []
        tokens: list[tuple[str, bool]] = []
        last = 0
        for match in _TOKEN.finditer(text):
            if known is not None and match.group(1) not in known:
                raise AuditkitError(f"{name}: unknown placeholder {match.group(0)}; the writer and stamping disagree.")
            before = text[last:match.start()]
            raw.append(before.encode("utf-8"))
            opening = text.rfind("<", 0, match.start())
            tag = text[opening:text.find(">", opening) + 1] if opening >= 0 else ""
            tokens.append((match.group(1), bool(_HEADER_FOOTER.search(tag))))
            last = match.end()
        raw.append(text[last:].encode("utf-8"))
        if any(OPEN.encode() in r for r in raw):
            raise AuditkitError(f"{name}: a placeholder was split or malformed; write each value in one XML text node.")
        pieces = tuple(_deflate(r, final=(i == len(raw) - 1)) for i, r in enumerate(raw))
        crcs = tuple((zlib.crc32(r), _crc_shift(len(r)) if len(r) >= _COMBINE_FROM else 0) for r in raw)
        return _Part(name, None, 0, 0, pieces, tuple(raw), tokens=tuple(tokens), crcs=crcs)

    @property
    def placeholders(self) -> set[str]:
        return {t for p in self.parts for t, _ in p.tokens}

    def stamp(self, values: Mapping[str, str]) -> bytes:
        """The package with every placeholder replaced by its value (XML-escaped)."""
        members: list[tuple[str, Deflated]] = []
        for part in self.parts:
            if part.constant is not None:
                compressed, crc, size = part.constant, part.crc, part.size
            else:
                chunks_c: list[bytes] = [part.pieces[0]]
                crc = part.crcs[0][0]
                size = len(part.raw_pieces[0])
                for (name, header_footer), piece, raw, (raw_crc, shift) in zip(
                        part.tokens, part.pieces[1:], part.raw_pieces[1:], part.crcs[1:]):
                    value = _xml_escape(values.get(name, ""))
                    if header_footer:
                        value = value.replace("&amp;", "&amp;&amp;")
                    v = value.encode("utf-8")
                    chunks_c += [_stored(v), piece]
                    crc = zlib.crc32(v, crc)
                    crc = _multmodp(shift, crc) ^ raw_crc if shift else zlib.crc32(raw, crc)
                    size += len(v) + len(raw)
                compressed = b"".join(chunks_c)
            members.append((part.name, Deflated(compressed, crc, size)))
        return pack_members(members)

