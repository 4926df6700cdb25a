"""Running independent jobs on every core, on every system: forked workers where the system forks,
spawned ones elsewhere (Windows), each given the shared state once.

Kit generation, compile and the reports each do many independent pieces of work (documents to
build, files to read, reports to write). fork_map runs them in worker processes and returns the
results in the order of the items, so the outcome is the same as running them in turn. The shared
state (catalogue, round result) goes to each worker once, through the pool's initializer: a forked
worker inherits it, a spawned one (Windows has no fork) reads it from a file it was pickled into
once, never per job. AUDITKIT_START_METHOD=spawn makes a Linux machine behave as Windows does (CI uses it);
AUDITKIT_WORKERS=1 runs everything in turn.

Memory: a worker freezes what it starts with (gc.freeze: the inherited state is never scanned by the
cycle collector again, so its pages stay shared with the main process, and a full collection takes
~1 ms instead of ~70). Jobs that leave garbage in reference cycles (a python-docx document holds
~1.5 MB of XML that only the cycle collector frees) ask for a collection after each job (collect=True):
without it a worker building feedback reports grew by 115 MB in 80 reports. After each collection the
memory freed is given back to the system (glibc's malloc_trim, on Linux), so that a worker that built
the consolidated report does not keep the 90 MB it needed for the rest of its life.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import multiprocessing
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
START_METHOD_ENV = "AUDITKIT_START_METHOD"
WORKERS_ENV = "AUDITKIT_WORKERS"
MAX_WORKERS = 8
Collect = bool | Callable[[Any], bool]
_JOB: tuple[Callable[[Any, Any], Any], Any, Collect] | None = None


def workers() -> int:
    """How many worker processes a parallel run uses: $AUDITKIT_WORKERS (1: everything in turn), else
    one per core, at most MAX_WORKERS."""
    wanted = os.environ.get(WORKERS_ENV, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return min(os.cpu_count() or 1, MAX_WORKERS)


def context() -> BaseContext:
    """The start method: $AUDITKIT_START_METHOD when the system has it, else fork where there is fork
    (Linux, macOS; fast, nothing pickled), else spawn (Windows)."""
    methods = multiprocessing.get_all_start_methods()
    wanted = os.environ.get(START_METHOD_ENV, "").strip().lower()
    if wanted in methods:
        return multiprocessing.get_context(wanted)
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def fork_map(func: Callable[[Any, Item], Result], state: Any, items: Iterable[Item], *, parallel_from: int,
             chunksize: int = 1, collect: Collect = False) -> Iterator[Result]:
    """func(state, item) for each item, in order; on every core when there are parallel_from items or more.

    func must be a module-level function, and state, items and results picklable (a spawned worker
    receives them pickled). An exception in a job is raised here, as it would be when running in turn.
    collect: a worker runs the cycle collector after each job (for jobs that leave cyclic garbage), or
    after the jobs whose item collect(item) is true for (a module-level function).
    """
    items = list(items)
    count = workers()
    if len(items) < parallel_from or count < 2:
        yield from _in_turn(func, state, items, collect)
        return
    ctx = context()
    with contextlib.ExitStack() as stack:
        if ctx.get_start_method() == "fork":
            initializer = functools.partial(_start, func, state, collect)  # inherited by the forked workers: nothing pickled
        else:
            # Pickled once into a private file that each worker reads as it starts. Passed to the pool,
            # the state would be written to each new worker's pipe in turn, and the next worker would
            # start only when the one before had imported everything and read it (a second each).
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="auditkit-job-")))
            (folder / "job.pickle").write_bytes(pickle.dumps((func, state, collect), pickle.HIGHEST_PROTOCOL))
            initializer = functools.partial(_start_from, str(folder / "job.pickle"))
        pool = stack.enter_context(ProcessPoolExecutor(min(count, len(items)), mp_context=ctx,
                                                       initializer=initializer))
        yield from pool.map(_run, items, chunksize=chunksize)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where there is none (macOS, Windows, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


def _collects_after(collect: Collect, item: Any) -> bool:
    return collect is True or (callable(collect) and collect(item))


def _collect() -> None:
    """Free what the last job left in reference cycles and give the memory back to the system."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _in_turn(func: Callable[[Any, Item], Result], state: Any, items: list[Item], collect: Collect
             ) -> Iterator[Result]:
    """func(state, item) for each item in this process; with collect, what each leaves in cycles is
    freed after it (what was there before is frozen meanwhile, so that each collection is quick)."""
    if not collect:
        yield from (func(state, item) for item in items)
        return
    gc.freeze()
    try:
        for item in items:
            yield func(state, item)
            if _collects_after(collect, item):
                _collect()
    finally:
        gc.unfreeze()


def _start(func: Callable[[Any, Any], Any], state: Any, collect: Collect) -> None:
    """A worker's first step: keep the job's function and shared state for every item it is given."""
    global _JOB
    _JOB = (func, state, collect)
    gc.freeze()


def _start_from(path: str) -> None:
    """A spawned worker's first step: the job's function and shared state, from the file made for it."""
    _start(*pickle.loads(Path(path).read_bytes()))


def _run(item: Any) -> Any:
    assert _JOB is not None
    func, state, collect = _JOB
    try:
        return func(state, item)
    finally:
        if _collects_after(collect, item):
            _collect()
