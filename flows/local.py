"""`reprint run` without Prefect: tasks/run.py's run in this process, the shard steps in worker processes,
with the terminal's progress bars and, with --verbose, the run's log lines on stderr.

This is the run users get when no Prefect API is configured and no Dask cluster is asked for. It imports no
Prefect: a Prefect run with no API would only start a temporary server whose records vanish with it
(docs/startup.md). Configure PREFECT_API_URL, or pass --prefect, and the same steps run as the Prefect flow
(flows/pipeline.py) instead.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flows import progress
from tasks import run as steps
from tasks.warehouse import WarehouseBusy, lasting_fault

# An IO step (finding the inputs, reading the warehouse, the commit, the report pages) that fails for a reason
# that may pass is tried again, as the Prefect flow's tasks are (flows/pipeline.py uses the same numbers).
IO_RETRIES = 2
IO_RETRY_DELAY_SECONDS = 1.0
LOGGER = "reprint"


def transient(error: BaseException) -> bool:
    """Whether an IO step's failure may pass if tried again: a full disk, a refused write or another run
    holding the warehouse will not."""
    return isinstance(error, Exception) and not lasting_fault(error) and not isinstance(error, WarehouseBusy)


class TerminalRunner(steps.Runner):
    """The steps in this process, as tasks/run.py's Runner, with progress bars and IO steps tried again."""

    def call(self, name: str, step: Callable, *args, io: bool = False):
        for attempt in range(IO_RETRIES + 1 if io else 1):
            try:
                return step(*args)
            except Exception as err:
                if not io or attempt == IO_RETRIES or not transient(err):
                    raise
                self.warn("%s failed (%s: %s); trying again", name, type(err).__name__, err)
                time.sleep(IO_RETRY_DELAY_SECONDS)
        raise AssertionError("unreachable")  # pragma: no cover

    def expect(self, step: str, n: int) -> None:
        progress.expect(step, n)

    def advance(self, step: str, n: int) -> None:
        progress.advance(step, n)


@contextmanager
def run_log(verbose: bool) -> Iterator[None]:
    """The run's log lines (tasks/run.py logs to the `reprint` logger) on stderr with --verbose, else nowhere:
    the command prints what a person needs (rejects, the summary) itself."""
    logger = logging.getLogger(LOGGER)
    handler: logging.Handler
    if verbose:
        handler = logging.StreamHandler(sys.stderr)
        line = "%(asctime)s.%(msecs)03d | %(levelname)-7s | %(message)s"
        handler.setFormatter(logging.Formatter(line, "%H:%M:%S"))
    else:
        handler = logging.NullHandler()
    saved = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # not to Python's last-resort handler, which would print every warning
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def run(inputs: list[str], warehouse: str, options: steps.RunOptions, verbose: bool = False) -> dict:
    """Run the steps here; the summary the flow would return."""
    with run_log(verbose):
        return steps.run(inputs, warehouse, options, TerminalRunner()).summary
