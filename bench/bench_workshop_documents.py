"""Benchmark: the three documents compile writes per workshop (feedback report, development plan as Word
document and as workbook), CPU per document in one process.

A round is made as bench_round.py makes it (kits, every workbook returned), compiled, and the profile
pictures drawn first (as compile draws them on its picture workers, so a feedback report is given its
picture). Then each workshop's documents are built as report.write_outputs builds them (report._document),
three passes, the fastest kept. Beside each figure its floor: packing the same document's final parts
(deflating its XML as the document does, the pictures stored, the parts every document of the round has the
same compressed once), which any writer of those bytes pays.

    python bench/bench_workshop_documents.py          # 300 workshops
    python bench/bench_workshop_documents.py 40       # another size
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_round import make_round  # noqa: E402

PASSES = 3


def measure(n: int) -> tuple[int, dict[str, float], dict[str, float]]:
    """(workshops, CPU seconds per kind for all of them, the floor's seconds per kind)."""
    from auditkit import report
    from auditkit.assignment import round_assignment, write_assignment
    from auditkit.catalogue import load_catalogue
    from auditkit.compile import compile_round
    from auditkit.demo import simulate_round
    from auditkit.excel import read_workbook
    from auditkit.kit import generate_kit
    from auditkit.manifest import forwarded_workshops, round_kit_ids
    from auditkit.packages import Deflated, deflated, pack_members
    from auditkit.round import load_round
    from auditkit.word import read_form
    from auditkit.word.consolidated import Pictures

    with tempfile.TemporaryDirectory() as tmp:
        catalogue = load_catalogue()
        rnd = load_round(make_round(Path(tmp) / "round", n))
        assignment, _ = round_assignment(rnd)
        write_assignment(assignment, rnd.config.assignment_path, force=True)
        generate_kit(rnd, catalogue, assignment)
        returned = Path(tmp) / "palautetut"
        simulate_round(rnd.config.base_dir / "round.toml", catalogue, returned, forms=False)
        result = compile_round(catalogue, [returned], round_=rnd, kit_ids=round_kit_ids(rnd),
                               forwarded=forwarded_workshops(rnd), read_workbook=read_workbook, read_form=read_form)
    pictures = Pictures(catalogue, result)
    for key in pictures.keys():
        if key[0] == "profile":
            pictures.draw(key)
    shared = (catalogue, result, None, ";", {})
    indexes = [i for i, w in enumerate(result.workshops) if w.returned_self or w.returned_auditor]
    names = ("a.docx", "b.docx", "c.xlsx")
    kinds = ("feedback", "plan document", "plan workbook")
    best: dict[str, float] = {}
    made: list[tuple[bytes, ...]] = []
    timed = {"build_feedback_report": kinds[0], "build_plan_report": kinds[1], "build_plan_workbook": kinds[2],
             "development_plan": "the plan itself"}
    spent: Counter[str] = Counter()
    for function, kind in timed.items():
        original = getattr(report, function)

        def wrapped(*args: object, _original: object = original, _kind: str = kind, **kwargs: object) -> object:
            start = time.process_time()
            out = _original(*args, **kwargs)  # type: ignore[operator]
            spent[_kind] += time.process_time() - start
            return out

        setattr(report, function, wrapped)
    report._document(shared, (names, report.WORKSHOP, indexes[0], None))  # the shells, made once per process
    for _ in range(PASSES):
        spent.clear()
        made = [report._document(shared, (names, report.WORKSHOP, i, None)) for i in indexes]
        for kind, seconds in spent.items():
            best[kind] = min(best.get(kind, seconds), seconds)
    floor: dict[str, float] = {}
    for position, kind in enumerate(kinds):
        members: list[list[tuple[str, bytes | Deflated]]] = []
        for documents in made:
            with zipfile.ZipFile(io.BytesIO(documents[position])) as z:
                members.append([(name, z.read(name)) for name in z.namelist()])
        # A part every document of the round has the same (a Word document's styles) is compressed once.
        same = {name: deflated(data) for name, data in members[0]
                if all(dict(parts).get(name) == data for parts in members)}
        members = [[(name, same.get(name) or data) for name, data in parts] for parts in members]
        for _ in range(PASSES):
            start = time.process_time()
            for parts in members:
                pack_members(parts, stored=(".png",))
            floor[kind] = min(floor.get(kind, 1e9), time.process_time() - start)
    return len(indexes), best, floor


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    count, best, floor = measure(n)
    print(f"{count} workshops' documents, CPU in one process (the fastest of {PASSES} passes)")
    print(f"{'document':<18} {'ms each':>8} {'s for all':>10} {'floor ms':>9} {'x floor':>8}")
    for kind, seconds in best.items():
        low = floor.get(kind)
        print(f"{kind:<18} {seconds / count * 1000:>8.2f} {seconds:>10.2f} "
              + (f"{low / count * 1000:>9.2f} {seconds / low:>8.1f}" if low else f"{'':>9} {'':>8}"))
    total = sum(best.values())
    low = sum(floor.values())
    print(f"{'all':<18} {total / count * 1000:>8.2f} {total:>10.2f} {low / count * 1000:>9.2f} {total / low:>8.1f}")
    print("(floor: packing each document's final parts again, its XML deflated as the document does, the parts")
    print(" every document of the round has the same compressed once)")


if __name__ == "__main__":
    main()
