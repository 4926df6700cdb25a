"""Running independent jobs on every core: forked workers that inherit the shared state.

Kit generation, compile and the reports each do many independent pieces of work (documents to
build, files to read, reports to write). fork_map runs them in worker processes forked from this
one, so the shared state (catalogue, round result) is inherited rather than pickled per job, and
returns the results in the order of the items, so the outcome is the same as running them in turn.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
_JOB: tuple[Callable[[Any, Any], Any], Any] | None = None


def fork_map(func: Callable[[Any, Item], Result], state: Any, items: Iterable[Item], *, parallel_from: int,
             chunksize: int = 1) -> Iterator[Result]:
    """func(state, item) for each item, in order; on every core when there are parallel_from items or more.

    func must be a module-level function; its results travel back pickled. An exception in a job
    is raised here, as it would be when running in turn.
    """
    global _JOB
    items = list(items)
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < parallel_from or workers < 2:
        yield from (func(state, item) for item in items)
        return
    _JOB = (func, state)  # inherited by the forked workers
    try:
        with ProcessPoolExecutor(min(workers, len(items)), mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_run, items, chunksize=chunksize)
    finally:
        _JOB = None


def _run(item: Any) -> Any:
    assert _JOB is not None
    func, state = _JOB
    return func(state, item)
