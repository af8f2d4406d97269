"""`reprint run` at scale (#13): peak RSS of the whole process tree at several corpus sizes, a run killed with
SIGKILL and run again (what it resumes, and that it ends with the tables a run not killed makes), and a run on
1M documents timed as far as it gets.

    .venv/bin/python -m bench.scale_run sizes CORPUS [CORPUS ...] --work W
    .venv/bin/python -m bench.scale_run same-tables CORPUS --work W --kill "prepared \\d+ documents:15" ...
    .venv/bin/python -m bench.scale_run resume CORPUS --work W --kill "prepared \\d+ documents:300" \\
        [--stop-at 16:05] [--min-free-gb 3]

Every run is the CLI a user types, `reprint run CORPUS --warehouse WH --verbose` (report included), in its
own process group and session, with no Prefect setting from this environment and a fresh PREFECT_HOME
(bench/run_bench.py's way: the in-process path of a user without a Prefect server). The process tree's
resident memory (the run, its forkserver and worker processes, summed) is sampled every 0.5 s and charged to
the step the run's log says is running (bench.run_bench.STEP_ENDS); the largest single process's peak is the
kernel's (ru_maxrss of the run's process, and each worker's VmHWM while it lives).

--kill "REGEX:COUNT": SIGKILL the run's whole process group once its log has COUNT lines matching REGEX
(given once per run to kill; the last run is let finish). After each killed run the staged parts on disk are
counted (`WAREHOUSE/.staging/prepare/*/meta.json`, `.staging/align/*/fates.parquet`); the next run's log
says how many it reused ("reused the staged shard", "reused the staged fates") and how many it prepared.
`same-tables` also makes a warehouse with one run not killed and compares every table (sorted by its keys)
with the killed-and-resumed warehouse's. --stop-at HH:MM (UTC): kill the last run then if it has not ended,
and record how far it got (documents prepared, shards, the last step ended, seconds, peak RSS).

Results: the section of bench/results/scale.json named by the command (date, machine, commit, command, load
average in it); docs/memory.md's region `scale-results` is `render` of that file (make docs).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.run_bench import ROOT, STEP_ENDS, _git, machine, step_seconds, tree_processes
from bench.run_memory import _status_mb

RESULTS = ROOT / "bench" / "results" / "scale.json"
SAMPLE_SECONDS = 0.5
RSS_SPREAD = 1.3  # #13: peak RSS at 10k, 50k and 200k documents within 1.3x of each other
STEP_ENDS_NAMES = [step for step, _ in STEP_ENDS] + ["shutdown"]
PREPARED = re.compile(r"prepared \d+ documents")
REUSED_SHARD = re.compile(r"reused the staged shard of (\d+) documents")
PREPARED_DOCS = re.compile(r"(?:prepared|reused the staged shard of) (\d+) documents")
ALIGNED = re.compile(r"aligned \d+ stories")
REUSED_FATES = re.compile(r"reused the staged fates")


class Sampler(threading.Thread):
    """The process tree's RSS every SAMPLE_SECONDS, as (seconds since start, MB of the tree); each
    process's own high-water mark (VmHWM) while it lives."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.done = pid, threading.Event()
        self.samples: list[tuple[float, float]] = []
        self.high: dict[int, float] = {}  # pid -> VmHWM MB

    def run(self) -> None:
        import psutil

        start = time.monotonic()
        while not self.done.wait(SAMPLE_SECONDS):
            procs = tree_processes(self.pid)
            if not procs:
                continue
            total = 0
            for p in procs:
                try:
                    total += p.memory_info().rss
                    hwm = _status_mb(p.pid, "VmHWM") * 2**20 / 1e6  # MiB as MB
                    self.high[p.pid] = max(self.high.get(p.pid, 0.0), hwm)
                except (psutil.NoSuchProcess, FileNotFoundError, ProcessLookupError):
                    continue
            self.samples.append((time.monotonic() - start, total / 1e6))


def log_count(log: Path, pattern: re.Pattern) -> int:
    try:
        return sum(1 for line in log.read_text(errors="replace").splitlines() if pattern.search(line))
    except FileNotFoundError:
        return 0


def reprint_run(
    corpus: Path,
    warehouse: Path,
    home: Path,
    log: Path,
    kill: tuple[re.Pattern, int] | None,
    stop_at: float,
    min_free_gb: float = 0.0,
    options: tuple[str, ...] = (),
) -> dict:
    """`reprint run CORPUS --warehouse WAREHOUSE --verbose`, killed (SIGKILL to its process group) when its
    log has `kill`'s count of matching lines, at the epoch `stop_at`, or when the warehouse's disk has less
    than `min_free_gb` free (the disk is shared); what it took and how far it got."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("PREFECT_")}
    env |= {"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    command = [str(ROOT / ".venv" / "bin" / "reprint"), "run", str(corpus), "--warehouse", str(warehouse)]
    command += ["--verbose", *options]
    home.mkdir(parents=True, exist_ok=True)
    started_at, started = time.time(), time.perf_counter()
    load = os.getloadavg()
    with open(log, "w") as err:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True
        )
        sampler = Sampler(proc.pid)
        sampler.start()
        killed = None
        while True:  # os.wait4, not proc.poll(): poll reaps the process and its resource usage with it
            done, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.2)
            if kill is not None and log_count(log, kill[0]) >= kill[1]:
                killed = f"{kill[1]} log lines matching {kill[0].pattern!r}"
            elif time.time() >= stop_at:
                killed = f"--stop-at {datetime.fromtimestamp(stop_at, UTC):%H:%M} UTC"
            elif shutil.disk_usage(warehouse.parent).free < min_free_gb * 1e9:
                killed = f"less than {min_free_gb} GB free on the disk (--min-free-gb)"
            if killed:
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                break
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        if killed:  # the forkserver and workers watch the run's process and end with it; wait for them
            deadline = time.monotonic() + 30
            while _group_alive(proc.pid) and time.monotonic() < deadline:
                time.sleep(0.5)
        sampler.done.set()
        sampler.join()
    code = proc.returncode
    failed = None
    if code and not killed:  # recorded, not raised: how far a failing run got is a figure too
        errors = [line for line in log.read_text(errors="replace").splitlines() if "Error" in line]
        failed = errors[-1] if errors else f"exit code {code}"
    steps = step_seconds(log, started_at, seconds)
    peaks = step_peaks(steps, sampler.samples)
    text = log.read_text(errors="replace")
    out = {
        "seconds": round(seconds, 1),
        "load_average": [list(load), list(os.getloadavg())],
        "killed": killed,
        "failed": failed,
        "exit_code": code,
        "peak_rss_mb": round(max((mb for _, mb in sampler.samples), default=0.0), 1),
        "driver_peak_rss_mb": round(usage.ru_maxrss * 1024 / 1e6, 1),
        "largest_process_rss_mb": round(max([usage.ru_maxrss * 1024 / 1e6, *sampler.high.values()]), 1),
        "processes_seen": len(sampler.high),
        "steps": steps,
        "step_peak_rss_mb": peaks,
        "prepare_shards": {
            "prepared": len(PREPARED.findall(text)),
            "reused": len(REUSED_SHARD.findall(text)),
            "documents": sum(int(n) for n in PREPARED_DOCS.findall(text)),
        },
        "align_shards": {"aligned": len(ALIGNED.findall(text)), "reused": len(REUSED_FATES.findall(text))},
        "last_log_line": _last_line(text),
    }
    if killed or failed:
        out["steps_logged"] = [s for s, pattern in STEP_ENDS if re.search(pattern, text)]
        out["staged_on_disk"] = staged_parts(warehouse)
    else:
        out["summary"] = _summary(text)
    return out


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if " | " in line]
    return lines[-1] if lines else ""


def _summary(text: str) -> str:
    ends = [line for line in text.splitlines() if re.search(STEP_ENDS[-1][1], line)]
    return ends[-1].split(" | ")[-1] if ends else ""


def step_peaks(steps: dict[str, float], samples: list[tuple[float, float]]) -> dict[str, float]:
    """The tree's peak RSS in each step's window (the windows follow one another in STEP_ENDS order, each
    as long as step_seconds says)."""
    peaks, start = {}, 0.0
    for step, length in steps.items():
        inside = [mb for t, mb in samples if start <= t < start + length]
        if inside:
            peaks[step] = round(max(inside), 1)
        start += length
    return peaks


def staged_parts(warehouse: Path) -> dict[str, int]:
    """Parts under their key (a `*.tmp-*` folder is a part a killed worker was still writing)."""
    staging = warehouse / ".staging"
    return {
        step: sum(1 for path in staging.glob(f"{step}/*/{name}") if ".tmp-" not in path.parent.name)
        for step, name in (("prepare", "meta.json"), ("align", "fates.parquet"))
    }


def snapshot_digests(warehouse: Path) -> dict[str, dict]:
    """Each table of the warehouse, sorted by its keys: rows and a hash of its Arrow data."""
    import hashlib

    import pyarrow as pa

    from tasks.warehouse import TABLES, read_table, sort_table

    out = {}
    for name in TABLES:
        table = sort_table(read_table(warehouse, name), name).combine_chunks()
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        out[name] = {"rows": table.num_rows, "sha256": hashlib.sha256(sink.getvalue()).hexdigest()}
    return out


def _kills(given: list[str]) -> list[tuple[re.Pattern, int]]:
    out = []
    for text in given:
        pattern, _, count = text.rpartition(":")
        out.append((re.compile(pattern), int(count)))
    return out


def killed_and_resumed(
    corpus: Path, warehouse: Path, work: Path, kills: list, stop_at: float, min_free_gb: float, options: tuple
) -> list[dict]:
    """One run per --kill, each killed at its condition, then a run let go to its end (or --stop-at)."""
    runs = []
    for k, kill in enumerate([*kills, None]):
        log = work / f"{warehouse.name}-run{k + 1}.log"
        home = work / f"home-{warehouse.name}-{k + 1}"
        shutil.rmtree(home, ignore_errors=True)
        run = reprint_run(corpus, warehouse, home, log, kill, stop_at, min_free_gb, options)
        runs.append({"run": k + 1, **run})
        print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
        shutil.rmtree(home, ignore_errors=True)
        if run["killed"] and (kill is None or "log lines" not in run["killed"]):
            break  # stopped by the clock or the disk, not by its --kill: the next run would not resume it
    return runs


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["sizes", "same-tables", "resume", "render"])
    parser.add_argument("corpus", type=Path, nargs="*")
    parser.add_argument("--work", type=Path, default=Path("/tmp/reprint-scale"))
    parser.add_argument("--kill", action="append", default=[], help="REGEX:COUNT, once per run to kill")
    parser.add_argument("--stop-at", default=None, help="HH:MM UTC: kill the last run then")
    parser.add_argument("--keep", action="store_true", help="keep the warehouses")
    parser.add_argument("--append", action="store_true", help="sizes: add to the runs stored before")
    parser.add_argument("--files-per-shard", type=int, default=None, help="reprint run's option")
    parser.add_argument("--min-free-gb", type=float, default=3.0, help="kill a run when the disk has less")
    parser.add_argument("--json", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.command == "render":  # the page's region: `make docs` (docs/generate.py) writes it
        from docs.generate import main as generate

        generate([])
        return {}
    args.work.mkdir(parents=True, exist_ok=True)
    stop_at = float("inf")
    if args.stop_at:
        hour, minute = map(int, args.stop_at.split(":"))
        now = datetime.now(UTC)
        stop_at = now.replace(hour=hour, minute=minute, second=0, microsecond=0).timestamp()
    section: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "commit": _git("rev-parse", "HEAD"),
        "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "command": "python -m bench.scale_run " + shlex.join(argv if argv is not None else sys.argv[1:]),
    }
    kills = _kills(args.kill)
    options = ("--files-per-shard", str(args.files_per_shard)) if args.files_per_shard else ()
    if args.command == "sizes":
        section["runs"] = []
        if args.append and args.json.exists():  # more sizes beside those measured before, each run as it was
            before = json.loads(args.json.read_text()).get("sizes", {})
            section["runs"] = before.get("runs", [])
            later = f"then {section['command']}, at {section['commit'][:7]}"
            section["command"] = f"{before['command']} ({later})"
        for corpus in args.corpus:
            warehouse = args.work / f"warehouse-{corpus.name}"
            shutil.rmtree(warehouse, ignore_errors=True)
            home = args.work / f"home-{corpus.name}"
            shutil.rmtree(home, ignore_errors=True)
            log = args.work / f"{warehouse.name}.log"
            run = reprint_run(corpus, warehouse, home, log, None, stop_at, args.min_free_gb, options)
            section["runs"].append({"corpus": corpus.name, **run})
            print(json.dumps(section["runs"][-1]), file=sys.stderr, flush=True)
            save(args.json, "sizes", section)
            shutil.rmtree(home, ignore_errors=True)
            if not args.keep:
                shutil.rmtree(warehouse, ignore_errors=True)
        peaks = [r["peak_rss_mb"] for r in section["runs"] if not r["killed"] and not r.get("failed")]
        section["rss_spread"] = round(max(peaks) / min(peaks), 2) if len(peaks) > 1 else None
    else:
        (corpus,) = args.corpus
        warehouse = args.work / f"warehouse-{args.command}-{corpus.name}"
        shutil.rmtree(warehouse, ignore_errors=True)
        section["corpus"] = corpus.name
        section["runs"] = killed_and_resumed(
            corpus, warehouse, args.work, kills, stop_at, args.min_free_gb, options
        )
        if args.command == "same-tables":
            section["resumed_tables"] = snapshot_digests(warehouse)
            straight = args.work / f"warehouse-straight-{corpus.name}"
            shutil.rmtree(straight, ignore_errors=True)
            home = args.work / "home-straight"
            shutil.rmtree(home, ignore_errors=True)
            section["straight_run"] = reprint_run(
                corpus, straight, home, args.work / "straight.log", None, float("inf"), 0.0, options
            )
            section["straight_tables"] = snapshot_digests(straight)
            section["same_tables"] = section["straight_tables"] == section["resumed_tables"]
            shutil.rmtree(home, ignore_errors=True)
            if not args.keep:
                shutil.rmtree(straight, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(warehouse, ignore_errors=True)
    save(args.json, args.command, section)
    return section


def save(path: Path, name: str, section: dict) -> None:
    results = json.loads(path.read_text()) if path.exists() else {}
    results[name] = section
    # Where and when, for the index of results (docs/benchmarks.md): the section saved last's.
    results |= {key: section[key] for key in ("date", "machine", "commit")}
    path.write_text(json.dumps(results, indent=1) + "\n")


# --- the page ----------------------------------------------------------------------------------------------


def _header(section: dict) -> list[str]:
    m = section["machine"]
    commit = section["commit"][:7] + (
        " with uncommitted changes" if section.get("uncommitted_changes") else ""
    )
    return [
        f"Measured {section['date']} at commit {commit}, {m['cpus']} cores, {m['memory_gb']} GiB, "
        f"{m['platform']}, Python {m['python']}:",
        "",
        "```",
        section["command"],
        "```",
        "",
    ]


def _load(run: dict) -> str:
    start, end = run["load_average"]
    return f"{start[0]:.1f} → {end[0]:.1f}"


def _peak_step(run: dict) -> str:
    peaks = run.get("step_peak_rss_mb") or {}
    return max(peaks, key=peaks.get) if peaks else "-"


def _runs_table(runs: list[dict]) -> list[str]:
    lines = [
        "| run | ended | seconds | prepare shards: prepared / reused | documents prepared or reused "
        "| align shards: aligned / reused | staged parts on disk after it (prepare / align) "
        "| peak RSS MB (tree) | largest process MB | load |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        ended = f"killed ({r['killed']})" if r["killed"] else "completed"
        staged = r.get("staged_on_disk")
        staged = f"{staged['prepare']} / {staged['align']}" if staged else "-"
        lines.append(
            f"| {r['run']} | {cell(ended)} | {r['seconds']:,} "
            f"| {r['prepare_shards']['prepared']} / {r['prepare_shards']['reused']} "
            f"| {r['prepare_shards']['documents']:,} "
            f"| {r['align_shards']['aligned']} / {r['align_shards']['reused']} "
            f"| {staged} "
            f"| {r['peak_rss_mb']:,} | {r['largest_process_rss_mb']:,} | {_load(r)} |"
        )
    return lines


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(results: dict) -> str:
    """docs/memory.md's region `scale-results` from bench/results/scale.json alone (the docs test compares
    the two)."""
    lines = [
        "Measured on `reprint run CORPUS --warehouse WH --verbose` itself (report included), each run in",
        "its own process group with a fresh PREFECT_HOME and no Prefect setting (the in-process path), into",
        "an empty warehouse unless it resumes a killed run's. Peak RSS is the whole process tree's (the run,",
        "its forkserver and worker processes), sampled every 0.5 s; the largest process is the kernel's",
        "high-water mark. The corpora are bench/corpus.py's generated stories as",
        "`bench.throughput.make_corpus` writes them (about 22 paragraphs a document), the larger ones",
        "written by `bench.scale_corpus` (the same files).",
        "",
    ]
    sizes = results.get("sizes")
    if sizes:
        lines += ["#### Peak RSS by corpus size", ""] + _header(sizes)
        lines += [
            "| corpus | seconds | peak RSS MB (tree) | in step | largest process MB "
            "| the run's own process MB | load |",
            "|---|---:|---:|---|---:|---:|---:|",
        ]
        for r in sizes["runs"]:
            corpus = r["corpus"] + (f" (stopped: {cell(r['killed'])}; peak so far)" if r["killed"] else "")
            lines.append(
                f"| {corpus} | {r['seconds']:,} | **{r['peak_rss_mb']:,}** | {_peak_step(r)} "
                f"| {r['largest_process_rss_mb']:,} | {r['driver_peak_rss_mb']:,} | {_load(r)} |"
            )
        steps = [s for s in STEP_ENDS_NAMES if any(s in r["steps"] for r in sizes["runs"])]
        lines += [
            "",
            "Per step: wall seconds and the tree's peak RSS MB while it ran (from the run's log clock):",
            "",
            "| step | " + " | ".join(r["corpus"] for r in sizes["runs"]) + " |",
            "|---|" + "---:|" * len(sizes["runs"]),
        ]
        for step in steps:
            lines.append(
                f"| {step} | "
                + " | ".join(
                    f"{r['steps'].get(step, 0.0):,} s, {r['step_peak_rss_mb'].get(step, '-')} MB"
                    for r in sizes["runs"]
                )
                + " |"
            )
        spread = sizes.get("rss_spread")
        done = [r["peak_rss_mb"] for r in sizes["runs"] if not r["killed"]]
        for r in (r for r in sizes["runs"] if r["killed"] and done):
            so_far = r["peak_rss_mb"] / min(done)
            lines += [
                "",
                f"{r['corpus']} stopped before its end (steps it reached: {', '.join(r['steps_logged'])}): "
                f"not in the spread below; its peak so far is already {so_far:.2f}x the smallest run's.",
            ]
        missing = sizes.get("not_completed", []) + [
            {"corpus": r["corpus"], "reason": r["failed"]} for r in sizes["runs"] if r.get("failed")
        ]
        verdict = "met" if spread is not None and spread <= RSS_SPREAD else "not met"
        if missing:
            verdict = "not shown: a size did not complete"
        for m in missing:
            lines += ["", f"{m['corpus']} did not complete: {cell(m['reason'])}."]
        lines += [
            "",
            f"Largest over smallest peak (tree): **{spread}x** (at most {RSS_SPREAD}x wanted: {verdict}).",
            "",
        ]
    for name, title in (
        ("same-tables", "Killed, run again: the same tables as a run not killed"),
        ("resume", "1M documents: killed, run again"),
    ):
        section = results.get(name)
        if not section:
            continue
        lines += [f"#### {title} ({section['corpus']})", ""] + _header(section) + _runs_table(section["runs"])
        if "same_tables" in section:
            straight = section["straight_run"]
            lines += [
                "",
                f"A run not killed, into its own warehouse: {straight['seconds']:,} s, peak RSS "
                f"{straight['peak_rss_mb']:,} MB. Every table sorted by its keys, the killed-and-resumed "
                f"warehouse against it: **{'the same' if section['same_tables'] else 'DIFFERENT'}**.",
                "",
                "| table | rows (resumed) | rows (not killed) | same |",
                "|---|---:|---:|---|",
            ]
            for table, digest in section["resumed_tables"].items():
                other = section["straight_tables"][table]
                lines.append(
                    f"| {table} | {digest['rows']:,} | {other['rows']:,} "
                    f"| {'yes' if digest == other else 'no'} |"
                )
        last = section["runs"][-1]
        if last["killed"]:
            lines += [
                "",
                f"The last run did not finish: stopped ({last['killed']}) after {last['seconds']:,} s; "
                f"steps it reached: {', '.join(last.get('steps_logged', [])) or 'none'}; its last log line: "
                f"`{last['last_log_line']}`.",
            ]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    main()
