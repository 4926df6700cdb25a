"""Benchmark: kit, compile and reports of one round with forked workers, spawned workers (as on
Windows, which has no fork) and everything in turn.

Each run is a fresh process with AUDITKIT_START_METHOD / AUDITKIT_WORKERS set; the modes take turns,
and the median and the best of the repeats are printed, since a shared machine varies a lot.

    python bench/bench_workers.py            # 100 workshops, 5 repeats
    python bench/bench_workers.py 300 3      # other size and repeats
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODES = {"fork": {"AUDITKIT_START_METHOD": "fork"}, "spawn": {"AUDITKIT_START_METHOD": "spawn"},
         "in turn": {"AUDITKIT_WORKERS": "1"}}
STEPS = ("kit", "compile", "reports")


def one_run(n: int) -> dict[str, float]:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_round import timed_kit

    from auditkit.compile import compile_round
    from auditkit.demo import simulate_round
    from auditkit.excel import read_workbook
    from auditkit.manifest import forwarded_workshops, round_kit_ids
    from auditkit.report import write_outputs
    from auditkit.word import read_form

    with tempfile.TemporaryDirectory() as tmp:
        rnd, catalogue, kit, kit_seconds = timed_kit(Path(tmp), n)
        back = Path(tmp) / "palautetut"
        simulate_round(rnd.config.base_dir / "round.toml", catalogue, back, forms=False)
        start = time.perf_counter()
        result = compile_round(catalogue, [back], round_=rnd, kit_ids=round_kit_ids(rnd), forwarded=forwarded_workshops(rnd),
                               read_workbook=read_workbook, read_form=read_form)
        compile_seconds = time.perf_counter() - start
        assert result.clean and result.summary()["used"] == 2 * n, result.summary()
        start = time.perf_counter()
        write_outputs(catalogue, result, Path(tmp) / "koonti")
        return {"kit": kit_seconds, "compile": compile_seconds, "reports": time.perf_counter() - start}


def main() -> None:
    if sys.argv[1:2] == ["--run"]:
        print(json.dumps(one_run(int(sys.argv[2]))))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    times: dict[str, dict[str, list[float]]] = {mode: {step: [] for step in STEPS} for mode in MODES}
    for _ in range(repeats):
        for mode, env in MODES.items():
            out = subprocess.run([sys.executable, __file__, "--run", str(n)], capture_output=True, text=True,
                                 env={**os.environ, **env}, check=True)
            for step, seconds in json.loads(out.stdout.splitlines()[-1]).items():
                times[mode][step].append(seconds)
    print(f"{n} workshops, {repeats} runs per mode, {os.cpu_count()} cores: seconds, median (best)")
    print(f"{'':<8}" + "".join(f"{step:>16}" for step in STEPS))
    for mode in MODES:
        cells = "".join(f"{statistics.median(times[mode][s]):>9.2f} ({min(times[mode][s]):>4.1f})" for s in STEPS)
        print(f"{mode:<8}{cells}")


if __name__ == "__main__":
    main()
