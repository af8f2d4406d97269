"""Serve the reprint flow on a cron schedule: a long-running process that starts a run at each scheduled time
(and whenever one is started from the Prefect UI or CLI). Schedules need a real Prefect server:

    prefect server start                                   # terminal 1, UI at http://127.0.0.1:4200
    export PREFECT_API_URL=http://127.0.0.1:4200/api       # terminal 2
    python -m flows.deploy /data/incoming --warehouse /data/warehouse --cron "0 3 * * *" \\
        --timezone Europe/Paris
    prefect deployment run reprint/daily                   # a run now, besides the schedule

The deployment runs one flow run at a time: a run that comes due while another is running waits in Prefect
(state `AwaitingConcurrencySlot`) instead of starting and blocking on the warehouse's lock. prefect.yaml
describes the same deployment for a work pool and `prefect worker start` (docs/production.md).
"""

from __future__ import annotations

import argparse
import os
import sys
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flows.pipeline import DASK_ADDRESS_ENV


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.deploy", description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders to ingest at every run")
    parser.add_argument("--warehouse", default="warehouse", help="warehouse folder (default: ./warehouse)")
    parser.add_argument(
        "--cron", default="0 3 * * *", help="when to run, in cron syntax (default: 03:00 daily)"
    )
    parser.add_argument("--timezone", default="UTC", help="time zone of the cron schedule (default: UTC)")
    parser.add_argument("--name", default="daily", help="deployment name (default: daily)")
    parser.add_argument(
        "--dask-address",
        default=None,
        help=f"run the shards on this Dask cluster (default: ${DASK_ADDRESS_ENV})",
    )
    args = parser.parse_args(argv)
    if not os.environ.get("PREFECT_API_URL"):
        print(
            "reprint: schedules need a Prefect server: run `prefect server start` and set PREFECT_API_URL "
            "(e.g. http://127.0.0.1:4200/api)",
            file=sys.stderr,
        )
        return 2
    try:
        ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        parser.error(f"--timezone {args.timezone!r} is not a time zone name (e.g. Europe/Paris)")
    from prefect.schedules import Cron

    try:
        schedule = Cron(args.cron, timezone=args.timezone)
    except ValueError as err:
        parser.error(f"--cron {args.cron!r}: {err}")
    if args.dask_address:
        os.environ[DASK_ADDRESS_ENV] = args.dask_address  # each served run loads the flow with this runner
    from prefect.client.schemas.objects import ConcurrencyLimitConfig

    from flows.pipeline import reprint_flow

    reprint_flow.serve(
        name=args.name,
        schedule=schedule,
        # One run at a time across every process serving this deployment; the next one queues in Prefect.
        global_limit=ConcurrencyLimitConfig(limit=1, collision_strategy="ENQUEUE"),
        parameters={
            "inputs": [os.path.abspath(p) for p in args.inputs],
            "warehouse": os.path.abspath(args.warehouse),
            "wait": True,
        },
        description="Ingest what is new or changed, re-align the stories it touches.",
        tags=["reprint"],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
