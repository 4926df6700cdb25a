"""Benchmark: reading returned workbooks (excel.read_workbook), in one process, against its floor.

Prints the CPU time a workbook takes to read (the fastest of three passes over the folder), the total,
and the floor: unzipping the parts read-back reads and parsing each with ElementTree's C parser
(nothing else). With --parts, the parse time of each part of the folder's first workbook, and which
parts read-back opens.

    python bench/bench_read.py FOLDER            # e.g. a round's palautetut/ after compile
    python bench/bench_read.py FOLDER --parts
"""

from __future__ import annotations

import sys
import time
import zipfile
from pathlib import Path
from xml.etree.ElementTree import XML

# The parts read-back opens in a kit's workbook (see --parts): the workbook's index and relationships,
# the document properties, the shared strings and styles, the identity sheet and the ratings sheet.
READ = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "docProps/core.xml", "docProps/custom.xml",
        "xl/sharedStrings.xml", "xl/styles.xml", "xl/worksheets/sheet6.xml", "xl/worksheets/sheet2.xml")


def cpu(passes: int, func, items) -> float:
    best = float("inf")
    for _ in range(passes):
        start = time.process_time()
        for item in items:
            func(item)
        best = min(best, time.process_time() - start)
    return best


def floor(path: Path) -> None:
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        for name in READ:
            if name in names:
                XML(package.read(name))


def opened_parts(path: Path, catalogue) -> list[str]:
    from auditkit.excel import cells, readback, sniff

    opened: list[str] = []
    original = sniff.read_part

    def spy(package, name, limit=sniff.k.MAX_MEMBER_BYTES):
        opened.append(name if isinstance(name, str) else name.filename)
        return original(package, name, limit)

    cells.read_part = readback.read_part = spy
    try:
        readback.read_workbook(path, catalogue)
    finally:
        cells.read_part = readback.read_part = original
    return opened


def main(argv: list[str]) -> None:
    from auditkit.catalogue import load_catalogue
    from auditkit.excel import read_workbook

    folder = Path(argv[0])
    books = sorted(folder.rglob("*.xlsx"))
    if not books:
        sys.exit(f"{folder}: no .xlsx files")
    catalogue = load_catalogue()
    for path in books[:10]:  # imports, and what is remembered once per kit
        read_workbook(path, catalogue)
    seconds = cpu(3, lambda path: read_workbook(path, catalogue), books)
    base = cpu(3, floor, books)
    print(f"{len(books)} workbooks")
    print(f"  read_workbook  {seconds * 1000 / len(books):6.2f} ms a workbook, {seconds:6.2f} s in all (CPU)")
    print(f"  floor          {base * 1000 / len(books):6.2f} ms a workbook, {base:6.2f} s in all "
          f"(unzip and parse the parts read)   ratio {seconds / base:.1f}")
    if "--parts" in argv:
        first = books[0]
        print(f"\n{first.name}: parse of each part (ms, best of 200)")
        with zipfile.ZipFile(first) as package:
            for info in package.infolist():
                data = package.read(info)
                best = cpu(5, lambda _: [XML(data) for _ in range(40)], [0]) / 40
                print(f"  {info.filename:38} {len(data):7} bytes  {best * 1000:6.3f}")
        print("read-back opens:", ", ".join(opened_parts(first, catalogue)))


if __name__ == "__main__":
    main(sys.argv[1:])
