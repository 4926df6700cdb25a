"""Benchmark: kit generation and compile for rounds of 10, 100 and 300 workshops.

Prints, per round size: total time, time per workshop (or per file), peak memory (RSS of a fresh
process per size), and the same figures for the floor we measure ourselves against: copying the
kit's bytes (kit); for compile, unzipping and parsing the returned files' XML with lxml plus writing the
outputs' bytes (each .docx/.xlsx packed again from its final parts).

    python bench/bench_round.py            # 10, 100, 300
    python bench/bench_round.py 10 50      # other sizes
    python bench/bench_round.py --kit-only # the kit and `auditkit --help` only
    python bench/bench_round.py --compile-only 300   # compile alone
"""

from __future__ import annotations

import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

PROFILES = [("nuoret", "kyllä"), ("nuoret", "ei"), ("aikuiset", "ei"), ("molemmat", "kyllä"), ("molemmat", "ei")]
MUNICIPALITIES = ["Helsinki", "Espoo", "Tampere", "Oulu", "Turku", "Jyväskylä", "Kuopio", "Lahti", "Pori", "Joensuu"]


def make_round(folder: Path, n: int) -> Path:
    from auditkit.round import init_round

    init_round(folder)
    rng = random.Random(n)
    lines = ["tunnus;nimi;organisaatio;kunta;alue;sähköposti;profiili;oppimisympäristöt"]
    for i in range(1, n + 1):
        audience, le = rng.choice(PROFILES)
        town = MUNICIPALITIES[i % len(MUNICIPALITIES)]
        lines.append(f'P{i:03d};Nuorten työpaja Ääri/Reuna "Pilotti" {i};{town}n kaupunki;{town};Alue;'
                     f"paja{i}@example.fi;{audience};{le}")
    (folder / "tyopajat.csv").write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    toml = folder / "round.toml"  # each workshop supplies an auditor: the example's people are not these workshops'
    toml.write_text(toml.read_text(encoding="utf-8").replace('auditors = "auditoijat.csv"', 'auditors = ""'),
                    encoding="utf-8")
    return toml


def timed_kit(folder: Path, n: int):
    """(round, catalogue, kit result, seconds) of making an n-workshop round's kits in folder."""
    from auditkit.assignment import round_assignment, write_assignment
    from auditkit.catalogue import load_catalogue
    from auditkit.kit import generate_kit
    from auditkit.round import load_round

    round_file = make_round(folder / "round", n)
    catalogue = load_catalogue()
    start = time.perf_counter()
    rnd = load_round(round_file)
    assignment, _ = round_assignment(rnd)
    write_assignment(assignment, rnd.config.assignment_path, force=True)  # forward takes the teams from it
    result = generate_kit(rnd, catalogue, assignment)
    return rnd, catalogue, result, time.perf_counter() - start


def _copy_floor(out: Path, copy_to: Path) -> float:
    """Seconds to write the same bytes to the same number of files as the kit has, in one process."""
    files = [p for p in out.rglob("*") if p.is_file()]
    start = time.perf_counter()
    for p in files:
        target = copy_to / p.relative_to(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(p.read_bytes())
    return time.perf_counter() - start


def bench_kit(n: int) -> dict[str, float]:
    """A round's first kit (every distinct document built), then the same kit again with --force (the
    documents the first built reused, every kit stamped and written anew), each beside copying its bytes.

    The machine's other work moves every figure: the reused kit runs 3 times, each followed by the copy,
    and the ratio is the median of the 3 pairs'."""
    from auditkit.kit import generate_kit

    with tempfile.TemporaryDirectory() as tmp:
        rnd, catalogue, result, kit_seconds = timed_kit(Path(tmp), n)
        first_copy = _copy_floor(result.out_dir, Path(tmp) / "copy" / "first")
        first_peak = _peak_mb()
        assignment, _ = _assignment(rnd)
        runs = []
        for i in range(3):
            start, start_cpu = time.perf_counter(), _cpu_seconds()
            again = generate_kit(rnd, catalogue, assignment, force=True)
            seconds, cpu = time.perf_counter() - start, _cpu_seconds() - start_cpu
            copy = _copy_floor(result.out_dir, Path(tmp) / "copy" / str(i))
            runs.append((seconds / copy, seconds, cpu, copy))
            assert again.documents_built == 0 and again.documents_reused == result.documents_built
        again_ratio, again_seconds, again_cpu, copy_seconds = sorted(runs)[1]
        files = [p for p in result.out_dir.rglob("*") if p.is_file()]
        return {"workshops": n, "seconds": kit_seconds, "per_workshop_ms": kit_seconds / n * 1000,
                "files": len(files), "mbytes": sum(p.stat().st_size for p in files) / 1e6,
                "first_copy_seconds": first_copy, "ratio_to_copy": kit_seconds / first_copy,
                "documents_built": result.documents_built, "copy_seconds": copy_seconds,
                "again_seconds": again_seconds, "again_ratio": again_ratio, "again_cpu": again_cpu,
                "documents_reused": again.documents_reused, "peak_mb": first_peak}


def _assignment(rnd):
    from auditkit.assignment import kit_assignment

    assignment, _problems, _added = kit_assignment(rnd)
    return assignment, _problems


def _cpu_seconds() -> float:
    """CPU seconds of this process and of the workers it has waited for."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(r.ru_utime + r.ru_stime for r in usage)


def _peak_mb() -> float:
    """The largest resident size of this process and of any worker it has waited for (MB)."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


def bench_help() -> dict[str, float]:
    """Median wall seconds of `auditkit --help` in a fresh process (5 runs), and of a bare interpreter."""
    import statistics

    script = Path(sys.executable).with_name("auditkit")
    command = [str(script)] if script.is_file() else [sys.executable, "-c", "from auditkit.cli import main; main()"]

    def median_wall(args: list[str]) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    return {"help_seconds": median_wall([*command, "--help"]),
            "python_seconds": median_wall([sys.executable, "-c", "pass"])}


def bench_compile(n: int) -> dict[str, float]:
    """Make an n-workshop round with every file returned (forwarding them), then measure compile in a
    fresh process (`--compile-run`), so that its peak memory and its workers' are compile's alone."""
    from auditkit.catalogue import load_catalogue
    from auditkit.demo import simulate_audits, simulate_self_assessments
    from auditkit.forward import forward_round
    from auditkit.kit import kit_for_round
    from auditkit.round import load_round

    with tempfile.TemporaryDirectory() as tmp:
        round_file = make_round(Path(tmp) / "round", n)
        catalogue = load_catalogue()
        rnd = load_round(round_file)
        kit = kit_for_round(round_file, catalogue).result  # writes the assignment forward reads
        returned = Path(tmp) / "palautetut"
        simulate_self_assessments(rnd, kit.out_dir, returned, catalogue, forms=False, problems=False)
        start = time.perf_counter()
        forward = forward_round(round_file, catalogue, [returned])
        forward_seconds = time.perf_counter() - start
        assert len(forward.made) == n, forward.not_back[:3]
        simulate_audits(rnd, kit.out_dir, returned, catalogue, problems=False, reports=False)
        run = _run_flag("--compile-run", tmp)
        bound = _run_flag("--compile-run", tmp, "--without-pictures")
        return {"workshops": n, "forward_seconds": forward_seconds, "forward_ms": forward_seconds / n * 1000, **run,
                "bound_seconds": bound["total_seconds"], "bound_cpu_seconds": bound["cpu_seconds"]}


def bench_compile_run(folder: Path, without_pictures: bool = False) -> dict[str, float]:
    """compile of the round in folder (made by bench_compile): reading, then every output; and the floors.

    without_pictures: every chart's picture is one constant PNG instead of being drawn, and no floor is
    measured: what compile would take if its pictures cost nothing (the bound of any faster way to show
    them, such as native Word charts or another renderer). The outputs are not the real reports."""
    if without_pictures:
        _pictures_cost_nothing()
    from auditkit.catalogue import load_catalogue
    from auditkit.compile import compile_round
    from auditkit.excel import read_workbook
    from auditkit.manifest import round_manifest
    from auditkit.report import write_outputs
    from auditkit.round import load_round
    from auditkit.word import read_form

    catalogue = load_catalogue()
    rnd = load_round(folder / "round" / "round.toml")
    returned = folder / "palautetut"
    out = folder / ("koonti-ilman-kuvia" if without_pictures else "koonti")
    workbooks = sorted(returned.rglob("*.xlsx"))
    cpu = _cpu_seconds()
    start = time.perf_counter()
    kit_ids, forwarded = round_manifest(rnd)  # as `auditkit compile` does: the manifest read once, timed
    result = compile_round(catalogue, [returned], round_=rnd, kit_ids=kit_ids, forwarded=forwarded,
                           read_workbook=read_workbook, read_form=read_form)
    seconds = time.perf_counter() - start
    assert result.clean, result.problems[:3]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    outputs = write_outputs(catalogue, result, out)
    total_seconds = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu
    main_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert len(outputs.feedback) == len(result.workshops)
    if without_pictures:
        return {"total_seconds": total_seconds, "cpu_seconds": cpu}
    parse_seconds = _parse_floor(workbooks)
    write_seconds = _write_floor(out, folder / "floor")
    floor = parse_seconds + write_seconds
    return {"workbooks": len(workbooks), "seconds": seconds, "per_file_ms": seconds / len(workbooks) * 1000,
            "parse_seconds": parse_seconds, "ratio_to_parse": seconds / parse_seconds, "peak_mb": peak,
            "report_seconds": total_seconds - seconds, "total_seconds": total_seconds,
            "write_seconds": write_seconds, "floor_seconds": floor, "ratio_to_floor": total_seconds / floor,
            "main_peak_mb": main_peak, "cpu_seconds": cpu,
            "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "outputs": sum(1 for p in out.rglob("*") if p.is_file()),
            "outputs_mb": sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6}


def _pictures_cost_nothing() -> None:
    """Every profile and heat map a constant picture (a blank one of a profile's size), not drawn."""
    import struct
    import zlib

    from auditkit.word import pictures

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    width, height = 945, 399
    png = b"".join((b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
                    chunk(b"IDAT", zlib.compress(b"\x00" * (width * 3 + 1) * height)), chunk(b"IEND", b"")))
    pictures.ProfileChart._draw = lambda self, values, notes, stacked=None: png  # type: ignore[method-assign]
    pictures.HeatMap.png = lambda self, labels, values: png  # type: ignore[method-assign]


def _parse_floor(workbooks: list[Path]) -> float:
    """Seconds to unzip every XML part of the returned workbooks and parse it with lxml, in one process."""
    from lxml import etree

    start = time.perf_counter()
    for path in workbooks:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.endswith((".xml", ".rels")):
                    etree.fromstring(z.read(name))
    return time.perf_counter() - start


def _write_floor(out: Path, to: Path) -> float:
    """Seconds to write the outputs' bytes: each .docx/.xlsx packed again from its final parts (deflated
    as they are), each other file written as it is, in one process. Reading them is not timed."""
    files = sorted(p for p in out.rglob("*") if p.is_file())
    seconds = 0.0
    for p in files:
        target = to / p.relative_to(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        if p.suffix not in (".docx", ".xlsx"):
            content = p.read_bytes()
            start = time.perf_counter()
            target.write_bytes(content)
            seconds += time.perf_counter() - start
            continue
        with zipfile.ZipFile(p) as z:
            members = [(info, z.read(info)) for info in z.infolist()]
        start = time.perf_counter()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as packed:
            for info, data in members:
                packed.writestr(info, data, info.compress_type)
        target.write_bytes(buffer.getvalue())
        seconds += time.perf_counter() - start
    return seconds


def print_compile(compiled: dict[int, dict]) -> None:
    print("\nforward: an audit pack per returned self-assessment (auditors' workbook, report, the returned files)")
    print(f"{'workshops':>9} {'total s':>8} {'ms/workshop':>12}")
    for n, r in compiled.items():
        print(f"{r['workshops']:>9} {r['forward_seconds']:>8.2f} {r['forward_ms']:>12.1f}")
    print("\ncompile: reading the returned workbooks (self and auditor workbook per workshop)")
    print(f"{'workbooks':>9} {'read s':>8} {'ms/file':>8} {'parse s':>8} {'x parse':>8} {'peak MB':>8}")
    for r in compiled.values():
        print(f"{r['workbooks']:>9} {r['seconds']:>8.2f} {r['per_file_ms']:>8.1f} {r['parse_seconds']:>8.3f} "
              f"{r['ratio_to_parse']:>8.1f} {r['peak_mb']:>8.0f}")
    print("\ncompile with every output (read, then koontiraportti.docx, koonti.xlsx, the CSVs, and per workshop")
    print("its feedback and development plan), against its floor")
    print(f"{'workshops':>9} {'outputs':>7} {'MB':>6} {'total s':>8} {'reports s':>9} {'cpu s':>6} {'parse s':>8} "
          f"{'write s':>8} {'floor s':>8} {'x floor':>8} {'main MB':>8} {'worker MB':>9}")
    for n, r in compiled.items():
        print(f"{n:>9} {r['outputs']:>7} {r['outputs_mb']:>6.1f} {r['total_seconds']:>8.2f} {r['report_seconds']:>9.2f} "
              f"{r['cpu_seconds']:>6.1f} {r['parse_seconds']:>8.3f} {r['write_seconds']:>8.3f} {r['floor_seconds']:>8.3f} "
              f"{r['ratio_to_floor']:>8.1f} {r['main_peak_mb']:>8.0f} {r['worker_peak_mb']:>9.0f}")
    print("(on every core; floor: unzipping and parsing every XML part of the returned workbooks with lxml,")
    print(" plus writing the outputs' bytes, each .docx/.xlsx packed again from its final parts, in one process;")
    print(" cpu s: CPU time of compile and its workers; main MB: peak of the compile process; worker MB: peak of")
    print(" its largest worker.)")
    for n, r in compiled.items():
        print(f"without drawing pictures (each a constant PNG: the bound of any faster picture), {n} workshops: "
              f"{r['bound_seconds']:.2f} s wall, {r['bound_cpu_seconds']:.1f} s CPU")


def bench_documents() -> dict[str, float]:
    """Median milliseconds of building, filling and reading one document (7 runs each)."""
    import statistics

    from auditkit.catalogue import Profile, load_catalogue
    from auditkit.excel import build_workbook, fill_workbook, read_workbook
    from auditkit.model import Auditor, DocumentContext, Workshop
    from auditkit.word import build_audit_report, build_form, build_glossary, fill_form, read_form

    catalogue = load_catalogue()
    ctx = DocumentContext("r", "Kierros", Workshop("P1", "Paja", profile=Profile("both", True)), kit_id="k",
                          auditors=(Auditor("A"), Auditor("B")))
    peer = DocumentContext(**{**{f: getattr(ctx, f) for f in ctx.__slots__}, "role": "peer"})

    def median_ms(func) -> float:
        times = []
        for _ in range(7):
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    form = build_form(catalogue, ctx)
    book = build_workbook(catalogue, ctx)
    answers = {c.number: {"rating": "3 – Kehittynyt", "reasoning": "Perustelu"} for c in catalogue.criteria}
    with tempfile.TemporaryDirectory() as tmp:
        form_path, book_path = Path(tmp) / "f.docx", Path(tmp) / "w.xlsx"
        form_path.write_bytes(fill_form(form, catalogue, {n: {"practice": "x", "evidence": "y"} for n in answers}))
        book_path.write_bytes(fill_workbook(book, catalogue, answers))
        return {
            "build form": median_ms(lambda: build_form(catalogue, ctx)),
            "build audit report": median_ms(lambda: build_audit_report(catalogue, peer)),
            "build glossary": median_ms(lambda: build_glossary(catalogue, ctx)),
            "build workbook (self)": median_ms(lambda: build_workbook(catalogue, ctx)),
            "build workbook (peer)": median_ms(lambda: build_workbook(catalogue, peer)),
            "fill form": median_ms(lambda: fill_form(form, catalogue, {1: {"practice": "x"}})),
            "fill workbook": median_ms(lambda: fill_workbook(book, catalogue, answers)),
            "read form": median_ms(lambda: read_form(form_path, catalogue)),
            "read workbook": median_ms(lambda: read_workbook(book_path, catalogue)),
        }


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] in ("--kit", "--compile"):
        func = bench_kit if sys.argv[1] == "--kit" else bench_compile
        print(json.dumps(func(int(sys.argv[2]))))
        return
    if len(sys.argv) > 2 and sys.argv[1] == "--compile-run":
        print(json.dumps(bench_compile_run(Path(sys.argv[2]), without_pictures="--without-pictures" in sys.argv)))
        return
    if len(sys.argv) > 2 and sys.argv[1] == "--compile-only":  # the compile tables alone
        print_compile({int(a): _run("--compile", int(a)) for a in sys.argv[2:]})
        return
    if sys.argv[1:] == ["--documents"]:
        print(json.dumps(bench_documents()))
        return
    kit_only = "--kit-only" in sys.argv  # the kit's figures and --help, without the documents' and compile's
    sizes = [int(a) for a in sys.argv[1:] if a != "--kit-only"] or [10, 100, 300]
    if not kit_only:
        print("one document (median of 7, ms)")
        for name, ms in _run_flag("--documents").items():
            print(f"  {name:<24} {ms:>7.1f}")
        print()
    print("kit generation (a fresh process per size; peak = max RSS of that process and its workers)")
    print(f"{'workshops':>9} {'files':>6} {'MB':>6} {'total s':>8} {'ms/workshop':>12} {'copy s':>7} "
          f"{'x copy':>7} {'built':>6} {'again s':>8} {'copy s':>7} {'x copy':>7} {'cpu s':>6} {'reused':>7} "
          f"{'peak MB':>8}")
    for n in sizes:
        r = _run("--kit", n)
        print(f"{r['workshops']:>9} {r['files']:>6} {r['mbytes']:>6.1f} {r['seconds']:>8.2f} "
              f"{r['per_workshop_ms']:>12.1f} {r['first_copy_seconds']:>7.3f} {r['ratio_to_copy']:>7.1f} "
              f"{r['documents_built']:>6} {r['again_seconds']:>8.2f} {r['copy_seconds']:>7.3f} "
              f"{r['again_ratio']:>7.1f} "
              f"{r['again_cpu']:>6.2f} {r['documents_reused']:>7} {r['peak_mb']:>8.0f}")
    print("(total: load the round, assign, make every kit, zip them, write the manifest, then copy: writing the")
    print(" kit's bytes to as many files; again: the same kit with --force, reusing the documents the first built,")
    print(" each run followed by the copy, the median of 3 pairs by ratio; cpu s: the again run's CPU on both cores)")
    h = bench_help()
    print(f"\nauditkit --help (a fresh process, median of 5): {h['help_seconds']:.3f} s; "
          f"python -c pass: {h['python_seconds']:.3f} s; x python {h['help_seconds'] / h['python_seconds']:.1f}")
    if kit_only:
        return
    compiled = {n: _run("--compile", n) for n in sizes}
    print_compile(compiled)


def _run(flag: str, n: int) -> dict:
    return _run_flag(flag, str(n))


def _run_flag(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
