"""The hostile corpus, workbook side: one broken, old, edited or malicious file per case (issue 7).

`build_corpus` writes each case from a good workbook the way a broken or hostile client would send
it: the package rewritten at the XML level (zip members added, patched or removed), or bytes that
are no workbook at all. It returns, per file, a piece of the problem compile must report for it.
The old .xls, the .ods and the password-encrypted workbook are the good workbook saved by LibreOffice
(UNO) as a person would with File > Save As; building the corpus therefore needs LibreOffice with
python3-uno (see libreoffice.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from auditkit.catalogue import Catalogue
from auditkit.excel import fill_workbook
from auditkit.excel import contract as k
from auditkit.excel.cells import Package

# Formula-looking texts a hostile client types into reasoning cells, as text.
FORMULA_TEXTS = ('=HYPERLINK("http://x.invalid","klikkaa")', "=cmd|' /C calc'!A0", "@SUM(A1)", "+1+1")
# Cached values of the real formulas in formulas.xlsx: read-back must never return them.
CACHED = ("klikkaa", "2", "3")
BOMB_BYTES = 300 * 1024 * 1024
OLD_SAVE = "2001-01-01T00:00:00Z"  # corpus files were saved before the good file, so compile keeps the good one
DUPLICATE_SAVE = "2000-01-01T00:00:00Z"  # the copy is the oldest of its workshop's files, so it is the one set aside
CASES = (
    "not-a-zip.xlsx", "empty.xlsx", "truncated.xlsx", "old-excel.xls", "old-excel-renamed.xlsx", "libreoffice.ods",
    "libreoffice-renamed.xlsx", "csv-renamed.xlsx", "encrypted.xlsx", "zip-bomb-declared.xlsx",
    "zip-bomb-actual.xlsx", "zip-bomb-lying.xlsx", "entity-bomb.xlsx", "far-cell.xlsx", "raw-control.xlsx",
    "other-round.xlsx", "old-content.xlsx", "duplicate.xlsx", "identity-deleted.xlsx", "rows-reordered.xlsx",
    "rating-7.xlsx", "rating-kolme.xlsx", "formulas.xlsx", "long-text.xlsx", "control-emoji.xlsx",
)

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_saved_cache: dict[str, dict[str, bytes]] = {}


def build_corpus(folder: Path, good: Path, catalogue: Catalogue) -> dict[str, str]:
    """Write one file per hostile case into folder, each made from `good` (a filled self-assessment
    workbook of a real kit), and return {file name: a substring the compile problem for it contains}.

    The substrings hold when the corpus is compiled against the round `good` belongs to, with or
    without `good` beside it: "other-round.xlsx" is refused for its round, and "duplicate.xlsx" (the
    same answers as `good`, recorded as saved earlier) is reported as another copy of the workshop's
    workbook: noted beside `good` when the coordinator chose `good`, in conflict when nobody chose (no
    save time decides). `good` is a workbook as a kit makes it and fill_workbook fills it (inline
    strings; the corpus edits its XML).
    """
    folder.mkdir(parents=True, exist_ok=True)
    data = good.read_bytes()
    book = _Book(data)
    write = lambda name, content: (folder / name).write_bytes(content)  # noqa: E731
    expected: dict[str, str] = {}

    def case(name: str, content: bytes, reason: str) -> None:
        write(name, content)
        expected[name] = reason

    case("not-a-zip.xlsx", bytes(range(256)) * 8, "is not an Excel workbook")
    case("empty.xlsx", b"", "is empty")
    case("truncated.xlsx", data[: len(data) * 2 // 3], "is damaged or incomplete")
    saved = _saved_by_libreoffice(data)
    case("old-excel.xls", saved["xls"], "old Excel")
    case("old-excel-renamed.xlsx", saved["xls"], "old Excel")
    case("libreoffice.ods", saved["ods"], "OpenDocument spreadsheet (.ods)")
    case("libreoffice-renamed.xlsx", saved["ods"], "OpenDocument spreadsheet (.ods)")
    case("csv-renamed.xlsx", "Nro;Arvio;Perustelut\r\n1;3;Strategia päivitetään\r\n2;Ei sovellu;Ei koske\r\n"
         .encode("utf-8-sig"), "is a text file (CSV or similar) renamed")
    case("encrypted.xlsx", saved["encrypted"], "password to open")
    case("zip-bomb-declared.xlsx", book.declared_bomb(), "refused unread")
    first_id = catalogue.criteria[0].id
    case("zip-bomb-actual.xlsx", book.strings_bomb(first_id, lie=False), "refused unread")
    case("zip-bomb-lying.xlsx", book.strings_bomb(first_id, lie=True), "is damaged")
    case("entity-bomb.xlsx", book.edit_sheet(k.SHEET_RATINGS, _billion_laughs), "declares a DTD or entities")
    case("far-cell.xlsx", book.edit_sheet(k.SHEET_RATINGS, _far_cell), "XFD1048576")
    case("raw-control.xlsx", book.edit_sheet(k.SHEET_RATINGS, lambda x: x.replace(b"</t>", b"\x01</t>", 1)),
         "is damaged")
    case("other-round.xlsx", book.identity(round_id="toinen-kierros"), "belongs to round 'toinen-kierros'")
    case("old-content.xlsx", book.identity(content_version="2021.1", content_hash="0" * 64),
         "made from content version 2021.1")
    case("duplicate.xlsx", book.saved_at(DUPLICATE_SAVE), "copy of workshop")
    case("identity-deleted.xlsx", book.without_sheet(k.SHEET_IDENTITY), "identity sheet _tunniste was deleted")
    case("rows-reordered.xlsx", book.swap_ids(catalogue.criteria[0].id, catalogue.criteria[1].id),
         "the rows were sorted or edited")
    first, second, third = (c.number for c in catalogue.criteria[2:5])
    case("rating-7.xlsx", book.fill(catalogue, {first: {"rating": "7"}}), "7 is out of range")
    case("rating-kolme.xlsx", book.fill(catalogue, {second: {"rating": "kolme"}}), "'kolme' is not a rating")
    texts = {c.number: {"reasoning": text} for c, text in zip(catalogue.criteria, FORMULA_TEXTS)}
    case("formulas.xlsx", book.formulas(catalogue, texts), "which is not read")
    case("long-text.xlsx", book.fill(catalogue, {third: {"reasoning": "Pitkä perustelu. " * 5_882 + "Loppu."}}),
         "more than a cell of Excel holds")
    case("control-emoji.xlsx", book.fill(catalogue, {1: {"reasoning": "Hyvä 👍 ja\x07 kello\x0b soi 🙂"},
                                                     2: {"reasoning": "Liite 😀 \x1bESC"}}),
         "invisible control character")
    old_time = 978_307_200  # 2001-01-01: the file system agrees with the recorded save
    for name in expected:
        os.utime(folder / name, (old_time, old_time))
    assert tuple(expected) == CASES
    return expected


class _Book:
    """The good workbook's members, and the hostile variants made from them."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.members = {info.filename: z.read(info) for info in z.infolist()}
            self.sheets = dict(Package(z).sheets)
        self.data = data
        self.members["docProps/core.xml"] = _saved(self.members["docProps/core.xml"])
        _inline_shared_strings(self.members)

    def _zip(self, members: dict[str, bytes]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, part in members.items():
                z.writestr(name, part)
        return out.getvalue()

    def saved_at(self, when: str) -> bytes:
        """The same workbook, recorded as saved at another time (a copy sent again, an earlier version)."""
        return self._zip({**self.members, "docProps/core.xml": _saved(self.members["docProps/core.xml"], when)})

    def edit_sheet(self, sheet: str, change: Callable[[bytes], bytes]) -> bytes:
        part = self.sheets[sheet]
        return self._zip({**self.members, part: change(self.members[part])})

    def fill(self, catalogue: Catalogue, answers: dict[int, dict[str, object]]) -> bytes:
        """Values typed as a client writes them (inline strings, control characters as _xHHHH_)."""
        return fill_workbook(self._zip(self.members), catalogue, answers)  # type: ignore[arg-type]

    def formulas(self, catalogue: Catalogue, texts: dict[int, dict[str, object]]) -> bytes:
        """Formula-looking texts as text, and real formulas with forged cached values beside them."""
        filled = zipfile.ZipFile(io.BytesIO(self.fill(catalogue, texts)))
        members = {info.filename: filled.read(info) for info in filled.infolist()}
        part = self.sheets[k.SHEET_RATINGS]
        xml = members[part].decode("utf-8")
        layout = k.LAYOUTS["self"]
        rows = _rows_by_id(xml)
        formulas = {
            (catalogue.criteria[4].id, "reasoning"): '<f>HYPERLINK("http://x.invalid","klikkaa")</f><v>klikkaa</v>',
            (catalogue.criteria[5].id, "reasoning"): "<f>1+1</f><v>2</v>",
            (catalogue.criteria[6].id, "rating"): "<f>1+2</f><v>3</v>",
        }
        for (cid, key), content in formulas.items():
            ref = f"{layout.letter(key)}{rows[cid]}"
            cell = re.compile(rf'<c r="{ref}"([^>]*?)(?:/>|>.*?</c>)', re.S)
            style = re.search(r'\ss="\d+"', cell.search(xml).group(1))  # type: ignore[union-attr]
            xml = cell.sub(f'<c r="{ref}"{style.group(0) if style else ""} t="str">{content}</c>', xml, count=1)
        members[part] = xml.encode("utf-8")
        return self._zip(members)

    def swap_ids(self, first: str, second: str) -> bytes:
        """The hidden ids of two criterion rows exchanged: each row now shows another criterion."""
        return self.edit_sheet(k.SHEET_RATINGS, lambda xml: xml.replace(f">{first}<".encode(), b">\0<")
                               .replace(f">{second}<".encode(), f">{first}<".encode())
                               .replace(b">\0<", f">{second}<".encode()))

    def identity(self, **changes: str) -> bytes:
        """The identity changed consistently, on the hidden sheet and in the custom properties."""
        members = dict(self.members)
        sheet = self.sheets[k.SHEET_IDENTITY]
        for key, value in changes.items():
            members[sheet] = re.sub(rf"(>{key}</t>.*?<t[^>]*>)[^<]*(</t>)".encode(),
                                    lambda m: m.group(1) + value.encode() + m.group(2), members[sheet], count=1,
                                    flags=re.S)
            members["docProps/custom.xml"] = re.sub(
                rf'(name="{key}"[^>]*>\s*<vt:lpwstr[^>]*>)[^<]*(</vt:lpwstr>)'.encode(),
                lambda m: m.group(1) + value.encode() + m.group(2), members["docProps/custom.xml"], count=1)
        return self._zip(members)

    def without_sheet(self, name: str) -> bytes:
        """A sheet deleted as Excel deletes one: from the workbook, its relationships and content types."""
        members = dict(self.members)
        part = self.sheets[name]
        del members[part]
        workbook = members["xl/workbook.xml"].decode("utf-8")
        rid = re.search(rf'<sheet [^>]*name="{name}"[^>]*r:id="(rId\d+)"[^>]*/>', workbook).group(1)  # type: ignore[union-attr]
        members["xl/workbook.xml"] = re.sub(rf'<sheet [^>]*name="{name}"[^>]*/>', "", workbook).encode("utf-8")
        members["xl/_rels/workbook.xml.rels"] = re.sub(
            rf'<Relationship [^>]*Id="{rid}"[^>]*/>'.encode(), b"", members["xl/_rels/workbook.xml.rels"])
        members["[Content_Types].xml"] = re.sub(
            rf'<Override [^>]*PartName="/{part}"[^>]*/>'.encode(), b"", members["[Content_Types].xml"])
        return self._zip(members)

    def declared_bomb(self) -> bytes:
        """A small file whose ratings sheet declares 4 GB: the readers would trust that size."""
        part = self.sheets[k.SHEET_RATINGS]
        entries = [(name, data, len(data)) for name, data in self.members.items()]
        return _raw_zip([(n, d, 4_000_000_000 if n == part else size) for n, d, size in entries])

    def strings_bomb(self, criterion_id: str, *, lie: bool) -> bytes:
        """300 MB of one letter in the shared strings (a few hundred KB packed), used by the criterion's
        evidence cell; with lie, the part declares only 2 KB, so a reader that trusts declared sizes is fooled."""
        members = dict(self.members)
        members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                         b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rIdBomb" Type="http://schemas.openxmlformats.org/officeDocument/'
                                 b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        part = self.sheets[k.SHEET_RATINGS]
        members[part] = _shared_string_cell(members[part], criterion_id)
        entries: list[tuple[str, bytes, int]] = [(n, d, len(d)) for n, d in members.items()]
        head = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" count="1" uniqueCount="1"><si><t>'.encode()
        compressed, crc, size = _deflate_run(head, b"A", BOMB_BYTES, b"</t></si></sst>")
        entries.append(("xl/sharedStrings.xml", _Packed(compressed, crc), 2048 if lie else size))
        return _raw_zip(entries)


def _inline_shared_strings(members: dict[str, bytes]) -> None:
    """Texts as inline strings, as openpyxl and some other clients write them: the cases below edit a
    row's texts where they stand. (Kits carry a shared-strings table, as Excel writes them.)"""
    sst = members.pop("xl/sharedStrings.xml", None)
    if sst is None:
        return
    items = re.findall(rb"<si>(.*?)</si>", sst, re.S)
    for name in [n for n in members if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]:
        members[name] = re.sub(rb'<c\b([^>]*?) t="s"([^>]*)><v>(\d+)</v></c>',
                               lambda m: b'<c%s t="inlineStr"%s><is>%s</is></c>' % (m.group(1), m.group(2),
                                                                                   items[int(m.group(3))]),
                               members[name])
    members["xl/_rels/workbook.xml.rels"] = re.sub(rb'<Relationship [^>]*Target="sharedStrings.xml"[^>]*/>', b"",
                                                   members["xl/_rels/workbook.xml.rels"])
    members["[Content_Types].xml"] = re.sub(rb'<Override [^>]*PartName="/xl/sharedStrings.xml"[^>]*/>', b"",
                                            members["[Content_Types].xml"])


def _saved(core: bytes, when: str = OLD_SAVE) -> bytes:
    return re.sub(rb"(<dcterms:modified\b[^>]*>)[^<]*(</dcterms:modified>)",
                  lambda m: m.group(1) + when.encode() + m.group(2), core)


def _rows_by_id(xml: str) -> dict[str, int]:
    return {m.group(2): int(m.group(1)) for m in re.finditer(r'<c r="A(\d+)"[^>]*><is><t[^>]*>([^<]+)</t>', xml)}


def _billion_laughs(xml: bytes) -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                                          for i in range(1, 10)]
    doctype = f"<!DOCTYPE worksheet [{''.join(entities)}]>".encode()
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return b'<?xml version="1.0" encoding="UTF-8"?>' + doctype + body.replace(b"</t>", b"&lol9;</t>", 1)


def _far_cell(xml: bytes) -> bytes:
    xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml, count=1)
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>kaukana</t></is></c></row>'
    return xml.replace(b"</sheetData>", far + b"</sheetData>", 1)


def _shared_string_cell(xml: bytes, criterion_id: str) -> bytes:
    """The criterion's reasoning cell refers to shared string 0 (the bomb)."""
    text = xml.decode("utf-8")
    row = _rows_by_id(text)[criterion_id]
    ref = f"{k.LAYOUTS['self'].letter('reasoning')}{row}"
    cell = re.compile(rf'<c r="{ref}"([^>]*?)(?:/>|>.*?</c>)', re.S)
    style = re.search(r'\ss="\d+"', cell.search(text).group(1))  # type: ignore[union-attr]
    return cell.sub(f'<c r="{ref}"{style.group(0) if style else ""} t="s"><v>0</v></c>', text, count=1).encode("utf-8")


class _Packed(bytes):
    """Member data deflated already, with its CRC."""

    def __new__(cls, compressed: bytes, crc: int) -> _Packed:
        obj = super().__new__(cls, compressed)
        obj.crc = crc  # type: ignore[attr-defined]
        return obj


def _deflate_run(head: bytes, unit: bytes, count: int, tail: bytes) -> tuple[bytes, int, int]:
    """head + unit * count + tail, raw-deflated: a 1 MB chunk is packed once and repeated (a full flush
    resets the stream, so packed pieces join into one valid stream), so memory and time stay small."""

    def pack(data: bytes, final: bool = False) -> bytes:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        return packer.compress(data) + packer.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)

    chunk = unit * (1 << 20)
    repeats = count // len(chunk)
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    packed = pack(head) + pack(chunk) * repeats + pack(tail, final=True)
    return packed, crc, len(head) + repeats * len(chunk) + len(tail)


def _raw_zip(entries: list[tuple[str, bytes, int]]) -> bytes:
    """A zip whose members declare the sizes given (the truth or a lie); data deflated unless _Packed."""
    out = io.BytesIO()
    central = []
    for name, data, declared in entries:
        if isinstance(data, _Packed):
            compressed, crc = bytes(data), data.crc  # type: ignore[attr-defined]
        else:
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            compressed, crc = packer.compress(data) + packer.flush(), zlib.crc32(data)
        encoded = name.encode("utf-8")
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, crc, len(compressed), declared,
                              len(encoded), 0) + encoded + compressed)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21, crc,
                                   len(compressed), declared, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    out.write(b"".join(central))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def _saved_by_libreoffice(data: bytes) -> dict[str, bytes]:
    """The workbook saved by LibreOffice as Excel 97–2003 (.xls), as OpenDocument (.ods) and as .xlsx
    with a password to open; made once per workbook and test process (starting the office takes seconds)."""
    key = hashlib.sha256(data).hexdigest()
    if key not in _saved_cache:
        from libreoffice import run_uno, uno_office

        with tempfile.TemporaryDirectory(prefix="ak-hostile-") as tmp:
            folder = Path(tmp)
            (folder / "avoin.xlsx").write_bytes(data)
            jobs = [{"target": str(folder / "vanha.xls"), "filter": "MS Excel 97"},
                    {"target": str(folder / "paja.ods"), "filter": "calc8"},
                    {"target": str(folder / "salattu.xlsx"), "filter": "Calc MS Excel 2007 XML", "password": "salasana"}]
            (folder / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
            with uno_office() as pipe:
                run_uno(pipe, "save_workbook_as.py", str(folder / "avoin.xlsx"), str(folder / "jobs.json"))
            _saved_cache[key] = {kind: (folder / name).read_bytes()
                                 for kind, name in (("xls", "vanha.xls"), ("ods", "paja.ods"), ("encrypted", "salattu.xlsx"))}
    return _saved_cache[key]
