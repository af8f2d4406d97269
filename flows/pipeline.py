"""The reprint flow: tasks/run.py's run, each step a Prefect task, so the UI shows every step and its log
beside the run, and the shard steps run on a Dask cluster when one is given.

On a local run the shard steps' tasks hand their work to worker processes (tasks.run.worker_processes): the
cores work, and Prefect's threads only wait. On a Dask cluster the tasks run on its workers, which read and
write the warehouse's staged parts themselves.

`reprint run` runs this flow when a Prefect API is configured, a Dask cluster is given or --prefect is passed;
otherwise it runs the same tasks/run.py in-process (flows/local.py; docs/pipeline.md, Run modes).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import replace
from functools import partial

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows import progress
from flows.cli import DASK_ADDRESS_ENV
from flows.local import IO_RETRIES, IO_RETRY_DELAY_SECONDS
from tasks import run as steps
from tasks.limits import DEFAULT_LIMITS
from tasks.run_summary import fate_counts, summary_markdown
from tasks.warehouse import lasting_fault

SHARDS_IN_FLIGHT_ENV = "REPRINT_SHARDS_IN_FLIGHT"
windowed = steps.windowed


def transient(task, task_run, state) -> bool:
    """Whether an IO task's failure may pass if tried again: a full disk or a refused write will not."""
    try:
        error = state.result(raise_on_failure=False)
    except Exception:  # noqa: BLE001 - no result to look at: retry as before
        return True
    return not lasting_fault(error)


IO_TASK = {
    "retries": IO_RETRIES,
    "retry_delay_seconds": IO_RETRY_DELAY_SECONDS,
    "retry_condition_fn": transient,
}


def shards_in_flight() -> int:
    """How many shards run at once. Each holds its working set in memory, so submitting every shard at once
    made a run's memory grow with its number of files (50,000 small files: 6-7 GB). Twice the cores keeps
    them busy; on a Dask cluster set $REPRINT_SHARDS_IN_FLIGHT to the cluster's threads."""
    return max(1, int(os.environ.get(SHARDS_IN_FLIGHT_ENV) or 2 * (os.cpu_count() or 1)))


def shard_step(step: Callable, job: tuple):
    """A shard step's task: the work is done in a worker process when the run has them."""
    return steps.in_worker(step, *job)


class PrefectRunner(steps.Runner):
    """Each step a task run; shard steps submitted to the flow's task runner, a window at a time."""

    def __init__(self, clustered: bool) -> None:
        super().__init__(shards_in_flight())
        self.clustered = clustered

    def call(self, name: str, step: Callable, *args, io: bool = False):
        return task(step, name=name, cache_policy=NO_CACHE, **(IO_TASK if io else {}))(*args)

    def map(self, name: str, step: Callable, jobs: Iterable[tuple]) -> Iterator:
        shard = task(shard_step, name=name, cache_policy=NO_CACHE)
        return windowed((partial(shard.submit, step, job) for job in jobs), self.in_flight)

    def log(self, message: str, *args) -> None:
        get_run_logger().info(message, *args)

    def warn(self, message: str, *args) -> None:
        get_run_logger().warning(message, *args)

    def expect(self, step: str, n: int) -> None:
        progress.expect(step, n)

    def advance(self, step: str, n: int) -> None:
        progress.advance(step, n)

    def workers(self, shards: int):
        # On a cluster the workers are Dask's: a task runs its step in the Dask worker's own process.
        return nullcontext() if self.clustered else super().workers(shards)


@task(cache_policy=NO_CACHE)
def publish_artifacts(outcome: steps.Outcome, warehouse: str) -> None:
    create_table_artifact(
        key="reprint-story-fates",
        table=fate_counts(outcome.fates, outcome.members, outcome.aligned),
        description="Fate counts per story aligned in this run",
    )
    create_markdown_artifact(
        key="reprint-run-summary",
        markdown=summary_markdown(outcome.summary, warehouse),
        description="What this reprint run did",
    )


@flow(name="reprint", log_prints=False)
def reprint_flow(
    inputs: list[str],
    warehouse: str = "warehouse",
    files_per_shard: int = 500,
    stories_per_shard: int = 500,
    wait: bool = False,
    max_document_bytes: int = DEFAULT_LIMITS.max_document_bytes,
    checksum: bool = False,
) -> dict:
    """Ingest what is new or changed in `inputs` into `warehouse`, then re-align the stories it touches.

    wait: when another run holds the warehouse, wait for it instead of refusing.
    max_document_bytes: a document (file, JSONL line, archive record) larger than this is rejected.
    checksum: hash every input file, instead of trusting one whose size and modification time are stored.
    """
    options = steps.RunOptions(
        files_per_shard,
        stories_per_shard,
        wait,
        replace(DEFAULT_LIMITS, max_document_bytes=max_document_bytes),
        checksum,
    )
    clustered = type(reprint_flow_runner()).__name__ == "DaskTaskRunner"
    outcome = steps.run(inputs, warehouse, options, PrefectRunner(clustered))
    publish_artifacts(outcome, warehouse)
    return outcome.summary


def reprint_flow_runner():
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    return context.task_runner if context else None


def task_runner_for(address: str | None):
    """A DaskTaskRunner on the cluster at `address` (or $REPRINT_DASK_ADDRESS); None: Prefect's default."""
    address = address or os.environ.get(DASK_ADDRESS_ENV)
    if not address:
        return None
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=address)


if os.environ.get(DASK_ADDRESS_ENV):
    # Served and deployed runs load the flow by name, so the cluster has to come from the environment.
    reprint_flow = reprint_flow.with_options(task_runner=task_runner_for(None))


def run(inputs: list[str], warehouse: str = "warehouse", dask_address: str | None = None, **options) -> dict:
    """Run the flow, on a Dask cluster when an address is given or set in the environment."""
    runner = task_runner_for(dask_address)
    chosen = reprint_flow.with_options(task_runner=runner) if runner else reprint_flow
    return chosen(inputs=inputs, warehouse=warehouse, **options)
