"""auditkit.deflate: the zip parts and PNG pictures auditkit writes are standard deflate whichever backend
compresses them (ISA-L where installed, else zlib), so every office program and image reader opens them."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest

from auditkit import deflate
from auditkit.packages import pack, pack_members

DATA = (b'<w:p><w:r><w:t xml:space="preserve">Ty\xc3\xb6paja \xc3\x84\xc3\xa4ri/Reuna</w:t></w:r></w:p>' * 3000
        + bytes(range(256)) * 40)


@pytest.fixture(params=["installed", "zlib"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "zlib":
        monkeypatch.setattr(deflate, "_isal", None)
    return deflate.backend()


def test_isal_is_installed_where_it_has_a_wheel() -> None:
    assert deflate.backend() == "isal"  # this machine is x86-64 Linux: pyproject's marker installs it


def test_raw_and_wrapped_streams_inflate_with_zlib(backend: str) -> None:
    assert zlib.decompress(deflate.raw(DATA), -15) == DATA
    assert zlib.decompress(deflate.wrapped(DATA)) == DATA
    assert len(deflate.raw(DATA)) < len(DATA) / 5
    assert deflate.raw(DATA) == deflate.raw(DATA)  # the same input, the same bytes


def test_a_package_opens_with_its_parts_as_given(backend: str) -> None:
    parts = {"[Content_Types].xml": b"<Types/>", "word/document.xml": DATA, "word/media/image1.png": b"\x89PNG..."}
    for data in (pack(parts, stored=(".png",)), pack_members(parts.items(), stored=(".png",))):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert z.testzip() is None
            assert {name: z.read(name) for name in z.namelist()} == parts
            assert z.getinfo("word/media/image1.png").compress_type == zipfile.ZIP_STORED


def test_a_picture_has_the_same_pixels_whichever_backend_compressed_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from auditkit.word.pictures import profile_chart

    def pixels(png: bytes) -> bytes:
        chunks, at = [], 8
        while at < len(png):
            size, kind = struct.unpack(">I4s", png[at:at + 8])
            if kind == b"IDAT":
                chunks.append(png[at + 8:at + 8 + size])
            at += size + 12
        return zlib.decompress(b"".join(chunks))

    chart = profile_chart(("Suunta", "Toiminta"), ("Itsearvio", "Auditoijat", "Kierros"))
    values = [[3.0, 2.5], [2.75, None], [3.1, 3.2]]
    fast = chart._draw(values, ())
    monkeypatch.setattr(deflate, "_isal", None)
    slow = chart._draw(values, ())
    assert fast != slow and pixels(fast) == pixels(slow)
