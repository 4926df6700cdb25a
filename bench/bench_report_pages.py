"""Benchmark: how long the consolidated report is, in printed pages, for rounds of 12 and 300 workshops.

A round is made as bench_round.py makes it (kits, every workbook returned, filled as people would),
compiled, and its koontiraportti.docx printed to PDF by LibreOffice. Prints per size: pages, the
pages of the workshop section, seconds to build the report and to print it, and whether every page
number the report gives (its contents, each workshop's page) is where LibreOffice printed it.
Needs LibreOffice (soffice) and poppler-utils (pdftotext, pdfinfo).

    python bench/bench_report_pages.py            # 12, 300
    python bench/bench_report_pages.py 40 100     # other sizes
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_round import make_round  # noqa: E402


def measure(n: int) -> dict[str, object]:
    from auditkit.assignment import round_assignment, write_assignment
    from auditkit.catalogue import load_catalogue
    from auditkit.compile import compile_round
    from auditkit.demo import simulate_round
    from auditkit.excel import read_workbook
    from auditkit.kit import generate_kit
    from auditkit.manifest import forwarded_workshops, round_kit_ids
    from auditkit.office import pdf_copies
    from auditkit.round import load_round
    from auditkit.word import build_consolidated_report, read_form

    with tempfile.TemporaryDirectory() as tmp:
        catalogue = load_catalogue()
        rnd = load_round(make_round(Path(tmp) / "round", n))
        assignment, _ = round_assignment(rnd)
        write_assignment(assignment, rnd.config.assignment_path, force=True)  # forward takes the teams from it
        generate_kit(rnd, catalogue, assignment)
        returned = Path(tmp) / "palautetut"
        simulate_round(rnd.config.base_dir / "round.toml", catalogue, returned, forms=False)
        result = compile_round(catalogue, [returned], round_=rnd, kit_ids=round_kit_ids(rnd), forwarded=forwarded_workshops(rnd),
                               read_workbook=read_workbook, read_form=read_form)
        start = time.perf_counter()
        report = Path(tmp) / "koontiraportti.docx"
        report.write_bytes(build_consolidated_report(catalogue, result))
        built = time.perf_counter() - start
        start = time.perf_counter()
        copies = pdf_copies([report])
        printed = time.perf_counter() - start
        if copies.problems:
            raise SystemExit(str(copies.problems[0]))
        text = subprocess.run(["pdftotext", "-layout", str(copies.made[0]), "-"], capture_output=True, text=True,
                              check=True).stdout
        pages = text.split("\f")[:-1]
        contents = re.findall(r"^(\S.*?)\.{5,}\s*(\d+)$", pages[0], re.M)
        wrong = [t for t, p in contents if not re.search(rf"^\s*{re.escape(t)}\s*$", pages[int(p) - 1], re.M)]
        listed = [(w, int(p)) for page in pages if "Ehdotukset työpajoittain" in page
                  for w, p in re.findall(r"^\s*(P\d+)\s.*?\s(\d+)\s*$", page, re.M)]
        wrong += [w for w, p in listed if not re.search(rf"^\s*{w} ", pages[p - 1], re.M)]
        first = dict(contents).get("Työpajat", "0")
        after = dict(contents).get("Mitä ei tarkistettu", "0")
        return {"workshops": n, "pages": len(pages), "workshop_pages": int(after) - int(first),
                "build_s": built, "print_s": printed, "numbers_checked": len(contents) + len(listed),
                "numbers_wrong": len(wrong)}


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [12, 300]
    print(f"{'workshops':>9} {'pages':>6} {'of which workshops':>19} {'build s':>8} {'print s':>8} "
          f"{'page numbers':>13} {'wrong':>6}")
    for n in sizes:
        r = measure(n)
        print(f"{r['workshops']:>9} {r['pages']:>6} {r['workshop_pages']:>19} {r['build_s']:>8.1f} "
              f"{r['print_s']:>8.1f} {r['numbers_checked']:>13} {r['numbers_wrong']:>6}")


if __name__ == "__main__":
    main()
