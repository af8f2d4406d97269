"""Issue 13's benchmarks, measured on `reprint run` itself: the real CLI in a subprocess, each run into an
empty warehouse with a fresh PREFECT_HOME, its wall time and the peak RSS of its whole process tree.

The runs see no Prefect setting from the environment that runs the bench (every PREFECT_* variable is
dropped), so they take the path of a user who has configured no Prefect server: in-process since the run
modes (docs/pipeline.md), the Prefect flow with a temporary server before. Start-up also measures the flow
path as it is now: `reprint run --prefect` (a temporary server) and a run against a `prefect server start`
that is already up (PREFECT_API_URL set).

    .venv/bin/python -m bench.run_bench                                  # everything, at the issue's sizes
    .venv/bin/python -m bench.run_bench --documents 10000 --rss-documents 10000 --incremental-documents 10000
    .venv/bin/python -m bench.run_bench --only startup --before b03f4c5  # one measurement, two commits

Every figure is a ratio against a baseline measured in the same run, on the same machine and files:
- end to end: `reprint run` against the DuckDB floor (bench.throughput.duckdb_floor: read every file,
  lower-case it, split it into words, one thread per core) on the same generated corpus (make_corpus);
- memory: peak RSS at each size against the smallest;
- a daily run: +1% new documents on an N-document warehouse, and a run with nothing new, against the full run;
- start-up: `reprint run seeds/` against `python -c "import prefect"`.
With --before REV the same measurements run on that commit (a git archive, with this venv when its
requirements.lock is the same, else its own), just before the current code's.

Results go to bench/results/run.json (date, machine, load average, commit, command) and
docs/run-benchmarks.md, which `render` writes from the JSON alone.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.throughput import checkout, duckdb_floor, make_corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
RESULTS = ROOT / "bench" / "results" / "run.json"
PAGE = ROOT / "docs" / "run-benchmarks.md"
# The targets, stored with the figures so that the page states what each was measured against.
TARGETS = {"over_floor": 8.0, "rss_spread": 1.3, "incremental_over_full": 0.05, "idle_over_full": 0.02}
MEASUREMENTS = ("startup", "end-to-end", "incremental")
# Launch the CLI of another tree with this venv's interpreter: its folder first on sys.path.
_LAUNCH = "import sys; sys.path.insert(0, sys.argv.pop(1)); from flows.cli import main; sys.exit(main())"


# --- one run of the CLI ----------------------------------------------------------------------------------


class Code:
    """A tree of reprint's code and the interpreter that runs it."""

    def __init__(self, folder: Path, python: Path, label: str):
        self.folder, self.python, self.label = folder, python, label

    def command(self, *args: str) -> list[str]:
        if (
            self.folder == self.python.parents[2]
        ):  # the tree whose .venv this is: the console script users run
            return [str(self.python.parent / "reprint"), *args]
        return [str(self.python), "-c", _LAUNCH, str(self.folder), *args]


def tree_processes(pid: int) -> list:
    """Process `pid` and all its descendants now (psutil processes; none once it is gone)."""
    import psutil

    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _tree_rss(pid: int) -> int:
    """Bytes resident in process `pid` and all its descendants now."""
    import psutil

    total = 0
    for p in tree_processes(pid):
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def cli_env(prefect_home: Path, api_url: str | None = None) -> dict[str, str]:
    """The environment a measured `reprint` runs in: this process's, without PYTHONPATH or any Prefect
    setting, with its own PREFECT_HOME; api_url: the Prefect server it reports to (PREFECT_API_URL)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("PREFECT_")}
    env |= {"PREFECT_HOME": str(prefect_home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def run_cli(
    code: Code, args: list[str], prefect_home: Path, log: Path | None = None, api_url: str | None = None
) -> dict:
    """Run `reprint ARGS` to its end; wall seconds, peak RSS of the process tree (sampled every 0.2 s) and of
    its largest process (exact, from the kernel's accounting of the waited-for processes). No Prefect setting
    of this process reaches it; api_url: the Prefect server it reports to (PREFECT_API_URL)."""
    env = cli_env(prefect_home, api_url)
    peak = [0]
    started_at = time.time()
    started = time.perf_counter()
    with open(log or os.devnull, "w") as err:
        proc = subprocess.Popen(
            code.command(*args), cwd=code.folder, env=env, stdout=subprocess.DEVNULL, stderr=err
        )
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.2):
                peak[0] = max(peak[0], _tree_rss(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        tail = log.read_text()[-3000:] if log else ""
        raise RuntimeError(f"reprint {' '.join(args)} failed ({proc.returncode}):\n{tail}")
    return {
        "seconds": round(seconds, 2),
        "started_at": started_at,
        "peak_rss_mb": round(max(peak[0], usage.ru_maxrss * 1024) / 1e6, 1),
        "largest_process_rss_mb": round(usage.ru_maxrss * 1024 / 1e6, 1),
    }


# Where each step of a run ends, by the last line `reprint run --verbose` logs for it (tasks/run.py's log
# lines); a step the run did not log (nothing to align) takes no time.
STEP_ENDS = (
    ("start-up and discover", r"found \d+ input files"),
    ("prepare shards", r"read \d+ files: |prepared \d+ documents|reused the staged shard"),
    ("link", r"linked \d+ documents"),
    ("align shards (and the body file)", r"aligned \d+ stories|reused the staged fates"),
    ("reuse outside stories", r"found \d+ passages shared by pairs"),
    ("commit and catalog", r"committed version|nothing changed: "),
    ("report pages", r"\d+ documents \(\d+ added or replaced\) in \d+ stories"),
)


def step_ends(log: Path, started_at: float) -> dict[str, float]:
    """Seconds after `started_at` (epoch) at which each step of a `reprint run --verbose` ended (in
    STEP_ENDS order, each no earlier than the one before; a step not logged ends with the one before), from
    its log's clock times (HH:MM:SS.mmm, this machine's local time)."""
    import re
    from datetime import datetime

    start = datetime.fromtimestamp(started_at)
    logged: dict[str, float] = {}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        stamp = re.match(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) \| ", line)
        if not stamp:
            continue
        h, m, sec, ms = map(int, stamp.groups())
        at = start.replace(hour=h, minute=m, second=sec, microsecond=ms * 1000)
        offset = (at - start).total_seconds() % 86400  # a run across midnight
        for step, pattern in STEP_ENDS:
            if re.search(pattern, line):
                logged[step] = offset
    ends, last = {}, 0.0
    for step, _ in STEP_ENDS:
        last = ends[step] = max(logged.get(step, last), last)
    return ends


def step_seconds(log: Path, started_at: float, seconds: float) -> dict[str, float]:
    """Wall seconds of each step of a `reprint run --verbose` (step_ends), the run starting at `started_at`
    (epoch) and taking `seconds`; what follows the report (the summary, the process ending) is `shutdown`."""
    out, last = {}, 0.0
    for step, end in step_ends(log, started_at).items():
        out[step] = round(end - last, 2)
        last = end
    out["shutdown"] = round(max(seconds - last, 0.0), 2)
    return out


def prefect_template(code: Code, work: Path) -> Path:
    """A PREFECT_HOME after one seed run (with the API database it created, when the code runs the Prefect
    flow). Each measured run gets a copy: none pays for creating the database (measured once, in `startup`),
    none reuses another's cached results."""
    home = work / f"prefect-template-{code.label}"
    if not (home / ".seeded").exists():
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        run_cli(code, ["run", str(SEEDS), "--warehouse", str(work / "template-warehouse")], home)
        shutil.rmtree(work / "template-warehouse", ignore_errors=True)
        (home / ".seeded").touch()
    return home


def fresh_home(template: Path, where: Path) -> Path:
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(template, where, ignore=shutil.ignore_patterns("storage"))
    return where


def reprint_run(
    code: Code,
    inputs: list[Path],
    warehouse: Path,
    home: Path,
    work: Path,
    *options: str,
    api_url: str | None = None,
) -> dict:
    """`reprint run INPUTS --warehouse WAREHOUSE` as a user types it (report included, printed to nowhere)."""
    log = work / f"{warehouse.name}.log"
    args = ["run", *map(str, inputs), "--warehouse", str(warehouse), *options]
    return run_cli(code, args, home, log, api_url=api_url)


class PrefectServer:
    """`prefect server start` on a free loopback port with its own PREFECT_HOME, for the flow path's start-up
    as a user with a server runs it; stopped on leaving."""

    def __init__(self, code: Code, work: Path) -> None:
        self.code, self.home = code, work / f"prefect-server-{code.label}"

    def __enter__(self) -> str:
        import socket
        import urllib.request

        shutil.rmtree(self.home, ignore_errors=True)
        self.home.mkdir(parents=True)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env |= {"PREFECT_HOME": str(self.home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        env |= {"PREFECT_UI_ENABLED": "false", "PREFECT_SERVER_API_HOST": "127.0.0.1"}
        prefect = self.code.python.parent / "prefect"
        self.log = open(self.home / "server.log", "w")
        self.process = subprocess.Popen(
            [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}/api"
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        return url
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        log = self.home / "server.log"
        raise RuntimeError(f"prefect server start did not answer within 300 s: see {log}")

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        self.log.close()


# --- the measurements --------------------------------------------------------------------------------------


def measure_startup(code: Code, work: Path, repeats: int) -> dict:
    """`reprint run seeds/` into an empty warehouse, with a new PREFECT_HOME (first run: the API database is
    created) and then with that home kept (every later run), against `python -c "import prefect"`."""
    home = work / f"prefect-template-{code.label}"  # the later measurements copy it (prefect_template)
    shutil.rmtree(home, ignore_errors=True)

    def seeds_run(k: int) -> dict:
        warehouse = work / f"startup-warehouse-{code.label}-{k}"
        shutil.rmtree(warehouse, ignore_errors=True)
        return reprint_run(code, [SEEDS], warehouse, home, work)

    first = seeds_run(0)
    later = [seeds_run(k)["seconds"] for k in range(1, repeats + 1)]
    imports = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([str(code.python), "-c", "import prefect"], check=True, cwd=work)
        imports.append(time.perf_counter() - started)
    seeds, prefect = statistics.median(later), statistics.median(imports)
    result = {
        "seeds_seconds": round(seeds, 2),
        "seeds_seconds_each": [round(s, 2) for s in later],
        "seeds_first_run_seconds": first["seconds"],
        "import_prefect_seconds": round(prefect, 2),
        "over_import_prefect": round(seeds / prefect, 2),
        "repeats": repeats,
    }
    if (code.folder / "flows" / "local.py").exists():  # code with run modes: the flow path's start-up too
        result["flow"] = measure_flow_startup(code, work, repeats, prefect)
    return result


def measure_flow_startup(code: Code, work: Path, repeats: int, import_prefect: float) -> dict:
    """`reprint run seeds/` as the Prefect flow: with --prefect (a temporary server; its PREFECT_HOME kept
    after a first run that created the API database) and against a `prefect server start` already running."""
    home = work / f"prefect-flow-home-{code.label}"
    shutil.rmtree(home, ignore_errors=True)

    def seeds_run(name: str, *options: str, api_url: str | None = None) -> float:
        warehouse = work / f"startup-warehouse-{code.label}-{name}"
        shutil.rmtree(warehouse, ignore_errors=True)
        return reprint_run(code, [SEEDS], warehouse, home, work, *options, api_url=api_url)["seconds"]

    first = seeds_run("prefect-0", "--prefect")
    temporary = [seeds_run(f"prefect-{k}", "--prefect") for k in range(1, repeats + 1)]
    with PrefectServer(code, work) as url:
        server = [seeds_run(f"server-{k}", api_url=url) for k in range(repeats)]
    return {
        "temporary_server_seconds": round(statistics.median(temporary), 2),
        "temporary_server_seconds_each": [round(s, 2) for s in temporary],
        "temporary_server_first_run_seconds": first,
        "temporary_server_over_import_prefect": round(statistics.median(temporary) / import_prefect, 2),
        "running_server_seconds": round(statistics.median(server), 2),
        "running_server_seconds_each": [round(s, 2) for s in server],
        "running_server_over_import_prefect": round(statistics.median(server) / import_prefect, 2),
    }


def estimate(done: list[dict], n: int) -> float | None:
    """Seconds a run of n documents should take, scaled linearly from the largest one measured."""
    if not done:
        return None
    last = max(done, key=lambda r: r["documents"])
    return last["seconds"] * n / last["documents"]


def measure_sizes(code: Code, opts: argparse.Namespace, out: dict, save) -> None:
    """One full run per size (wall time and peak RSS), into `out`; the DuckDB floor on the sizes that compare
    with it (--documents), the spread of peak RSS over the --rss-documents sizes."""
    template = prefect_template(code, opts.work)
    floor_sizes, rss_sizes, work = opts.documents, opts.rss_documents, opts.work
    runs, skipped = out["runs"], out["skipped"]
    for n in sorted(set(floor_sizes) | set(rss_sizes)):
        guess = estimate(runs, n)
        if guess is not None and guess > opts.budget_seconds:
            skipped.append(
                {
                    "documents": n,
                    "reason": f"estimated {guess / 60:.0f} min (linear from the {runs[-1]['documents']:,}"
                    f"-document run) is over the budget of {opts.budget_seconds / 60:.0f} min "
                    "(--budget-seconds)",
                }
            )
            print(f"  {code.label}: {n} documents skipped: {skipped[-1]['reason']}", file=sys.stderr)
            save()
            continue
        corpus = make_corpus(n, work)
        warehouse = work / f"warehouse-{code.label}-{n}"
        shutil.rmtree(warehouse, ignore_errors=True)
        home = fresh_home(template, work / f"home-{code.label}-{n}")
        run = {"documents": n, **reprint_run(code, [corpus], warehouse, home, work, "--verbose")}
        run["steps"] = step_seconds(work / f"{warehouse.name}.log", run.pop("started_at"), run["seconds"])
        if n in floor_sizes:
            floor = duckdb_floor(corpus, threads=os.cpu_count() or 1)
            run |= {
                "floor_seconds": round(floor["seconds"], 4),  # a tiny corpus reads in hundredths of a second
                "floor_threads": floor["threads"],
                "files": floor["files"],
                "words": floor["words"],
                "over_floor": round(run["seconds"] / floor["seconds"], 1),
            }
        print(f"  {code.label}: {n} documents: {run}", file=sys.stderr)
        runs.append(run)
        measured = [r["peak_rss_mb"] for r in runs if r["documents"] in rss_sizes]
        out["rss_spread"] = round(max(measured) / min(measured), 2) if len(measured) > 1 else None
        save()
        shutil.rmtree(warehouse, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)


def _link_documents(source: Path, target: Path, rows: list[list[str]], header: list[str]) -> None:
    """Hard links to the files of `rows` (manifest rows) in `target`, and a manifest naming them all."""
    for row in rows:
        dest = target / row[0]
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.link(source / row[0], dest)
    with open(target / "manifest.csv", "w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([header, *rows])


def measure_incremental(code: Code, work: Path, n: int, share: float) -> dict:
    """A full run of n documents, a run with nothing new, then a run after 1% new documents were added.

    The corpus is the first n documents of make_corpus(n + new): the new ones are the next documents of the
    same generator (mostly new stories; the story cut at n gets its remaining versions), added to the folder
    with their manifest rows as a daily drop would add them.
    """
    new = max(1, round(n * share))
    grown = make_corpus(n + new, work)
    with open(grown / "manifest.csv", newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    folder = work / f"incremental-{code.label}-{n}" / "corpus"
    shutil.rmtree(folder.parent, ignore_errors=True)
    folder.mkdir(parents=True)
    _link_documents(grown, folder, rows[:n], header)
    warehouse, home = (
        folder.parent / "warehouse",
        fresh_home(prefect_template(code, work), folder.parent / "home"),
    )
    log = work / f"{warehouse.name}.log"  # each run's `--verbose` log, read for its steps before the next

    def timed() -> dict:
        done = reprint_run(code, [folder], warehouse, home, work, "--verbose")
        done["steps"] = step_seconds(log, done.pop("started_at"), done["seconds"])
        return done

    full = timed()
    idle = timed()
    _link_documents(grown, folder, rows, header)
    added = timed()
    result = {
        "documents": n,
        "new_documents": new,
        "full_seconds": full["seconds"],
        "idle_seconds": idle["seconds"],
        "incremental_seconds": added["seconds"],
        "incremental_over_full": round(added["seconds"] / full["seconds"], 3),
        "idle_over_full": round(idle["seconds"] / full["seconds"], 3),
        "peak_rss_mb": {
            "full": full["peak_rss_mb"],
            "idle": idle["peak_rss_mb"],
            "incremental": added["peak_rss_mb"],
        },
        # Wall seconds per step of each run (step_seconds), to see where a daily run's time goes.
        "steps": {"full": full["steps"], "idle": idle["steps"], "incremental": added["steps"]},
    }
    print(f"  {code.label}: incremental: {result}", file=sys.stderr)
    shutil.rmtree(folder.parent, ignore_errors=True)
    return result


def measure(code: Code, opts: argparse.Namespace, out: dict, save) -> None:
    """The measurements `opts.only` names, into `out`; save() after each: a long run killed keeps them."""
    # The tree's bytecode first, as an install writes it (Makefile): where PYTHONDONTWRITEBYTECODE is set (as
    # on this project's machine) every run would otherwise compile the modules from source, and a tree from
    # `git archive` never has any.
    subprocess.run(
        [str(code.python), "-m", "compileall", "-q", str(code.folder / "tasks"), str(code.folder / "flows")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if "startup" in opts.only:
        out["startup"] = measure_startup(code, opts.work, opts.repeats)
        print(f"  {code.label}: startup: {out['startup']}", file=sys.stderr)
        save()
    if "end-to-end" in opts.only:
        out["sizes"] = {"runs": [], "skipped": [], "rss_spread": None}
        measure_sizes(code, opts, out["sizes"], save)
    if "incremental" in opts.only:
        out["incremental"] = measure_incremental(code, opts.work, opts.incremental_documents, opts.new_share)
        save()


# --- where and what -----------------------------------------------------------------------------------------


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True, cwd=cwd).stdout.strip()


def machine() -> dict:
    import psutil

    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def before_code(revision: str, work: Path) -> Code:
    """The tree at `revision`, run by this venv when its requirements.lock is the same, else by its own."""
    folder = checkout(revision, work)
    lock = (folder / "requirements.lock").read_bytes()
    python = Path(sys.executable)
    if lock != (ROOT / "requirements.lock").read_bytes():
        venv = work / f"venv-{hashlib.sha256(lock).hexdigest()[:12]}"
        if not (venv / ".installed").exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            pip = [
                str(venv / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ]
            subprocess.run([*pip, "-r", str(folder / "requirements.lock")], check=True)
            (venv / ".installed").touch()
        python = venv / "bin" / "python"
    return Code(folder, python, f"before-{revision}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.run_bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--documents", type=int, nargs="+", default=[10_000, 50_000], help="against the floor"
    )
    parser.add_argument("--rss-documents", type=int, nargs="+", default=[10_000, 50_000, 200_000])
    parser.add_argument("--incremental-documents", type=int, default=100_000, help="the warehouse's size N")
    parser.add_argument("--new-share", type=float, default=0.01)
    parser.add_argument("--repeats", type=int, default=3, help="start-up runs (their median is reported)")
    parser.add_argument(
        "--budget-seconds",
        type=float,
        default=3600,
        help="skip a size whose run is estimated to take longer than this (the reason is stored)",
    )
    parser.add_argument("--only", nargs="+", choices=MEASUREMENTS, default=list(MEASUREMENTS))
    parser.add_argument("--before", metavar="REV", help="also measure this git revision, just before")
    parser.add_argument(
        "--before-only", nargs="+", choices=MEASUREMENTS, help="what to measure at REV (default: --only)"
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/reprint-bench"))
    parser.add_argument("--json", type=Path, default=RESULTS)
    parser.add_argument("--page", type=Path, default=PAGE, help="the Markdown page rendered from the JSON")
    opts = parser.parse_args(argv)
    opts.work.mkdir(parents=True, exist_ok=True)
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "commit": _git("rev-parse", "HEAD"),
        # Of the code measured: a results file an earlier (or killed) run left changed is no change of it.
        "uncommitted_changes": bool(
            _git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results", ":!docs")
        ),
        "command": "python -m bench.run_bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        "targets": TARGETS,
        "code": {},
    }

    def save(complete: bool = False) -> None:
        results["complete"] = complete
        results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
        opts.json.parent.mkdir(parents=True, exist_ok=True)
        opts.json.write_text(json.dumps(results, indent=1) + "\n")
        opts.page.write_text(render(results))

    if opts.before:
        old = before_code(opts.before, opts.work)
        results["before"] = {
            "revision": opts.before,
            "commit": _git("rev-parse", f"{opts.before}^{{commit}}"),
        }
        only = opts.before_only or opts.only
        measure(
            old,
            argparse.Namespace(**{**vars(opts), "only": only}),
            results["code"].setdefault("before", {}),
            save,
        )
    measure(
        Code(ROOT, Path(sys.executable), "current"), opts, results["code"].setdefault("current", {}), save
    )
    save(complete=True)
    print(render(results))
    return results


# --- the page -----------------------------------------------------------------------------------------------


def _verdict(value: float | None, target: float) -> str:
    if value is None:
        return "not measured"
    return "met" if value <= target else "not met"


def _figures(measured: dict, targets: dict) -> list[str]:
    lines: list[str] = []
    startup = measured.get("startup")
    if startup:
        lines += [
            "- Start-up: `reprint run seeds/` (2 documents, an empty warehouse) took "
            f"**{startup['seeds_seconds']} s** "
            f"(median of {startup['repeats']}; {startup['seeds_first_run_seconds']} s on a new PREFECT_HOME"
            + ("" if "flow" in startup else ", whose API database it creates")  # in-process: it creates none
            + f"), against {startup['import_prefect_seconds']} s for "
            f'`python -c "import prefect"`: **{startup["over_import_prefect"]}x**.',
        ]
        flow = startup.get("flow")
        if flow:
            lines += [
                "- The same as the Prefect flow (docs/pipeline.md, Run modes): "
                "`reprint run seeds/ --prefect` (a temporary server) "
                f"**{flow['temporary_server_seconds']} s** "
                f"({flow['temporary_server_over_import_prefect']}x; "
                f"{flow['temporary_server_first_run_seconds']} s on a new PREFECT_HOME); "
                "with PREFECT_API_URL naming a `prefect server start` already running "
                f"**{flow['running_server_seconds']} s** "
                f"({flow['running_server_over_import_prefect']}x).",
            ]
    sizes = measured.get("sizes")
    if sizes:
        lines += [
            "",
            "| documents | files | `reprint run` s | DuckDB floor s | over floor | peak RSS MB (tree) "
            "| largest process MB |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in sizes["runs"]:
            floor = f"{r['floor_seconds']}" if "floor_seconds" in r else "-"
            over = f"{r['over_floor']}x" if "over_floor" in r else "-"
            lines.append(
                f"| {r['documents']:,} | {r.get('files', '-')} | {r['seconds']} | {floor} | {over} "
                f"| {r['peak_rss_mb']:,} | {r['largest_process_rss_mb']:,} |"
            )
        stepped = [r for r in sizes["runs"] if r.get("steps")]
        if stepped:
            lines += [
                "",
                "Where the seconds go (wall seconds per step, from the run's `--verbose` log):",
                "",
                "| step | " + " | ".join(f"{r['documents']:,} documents" for r in stepped) + " |",
                "|---|" + "---:|" * len(stepped),
            ]
            lines += [
                f"| {step} | " + " | ".join(f"{r['steps'].get(step, 0.0)}" for r in stepped) + " |"
                for step in stepped[0]["steps"]
            ]
        worst = max((r["over_floor"] for r in sizes["runs"] if "over_floor" in r), default=None)
        lines += [
            "",
            f"- Over the floor: at most {targets['over_floor']}x wanted; worst measured "
            f"{worst}x: {_verdict(worst, targets['over_floor'])}.",
            f"- Peak RSS across sizes: within {targets['rss_spread']}x wanted; "
            + (f"measured {sizes['rss_spread']}x: " if sizes["rss_spread"] else "one size run: ")
            + f"{_verdict(sizes['rss_spread'], targets['rss_spread'])}.",
        ]
        lines += [f"- {s['documents']:,} documents not run: {s['reason']}." for s in sizes["skipped"]]
    inc = measured.get("incremental")
    if inc:
        lines += [
            f"- A daily run on a {inc['documents']:,}-document warehouse: full run {inc['full_seconds']} s; "
            f"nothing new {inc['idle_seconds']} s (**{inc['idle_over_full']:.1%}** of it, at most "
            f"{targets['idle_over_full']:.0%} wanted: "
            f"{_verdict(inc['idle_over_full'], targets['idle_over_full'])}); "
            f"{inc['new_documents']:,} new documents {inc['incremental_seconds']} s "
            f"(**{inc['incremental_over_full']:.1%}**, at most {targets['incremental_over_full']:.0%} "
            "wanted: "
            f"{_verdict(inc['incremental_over_full'], targets['incremental_over_full'])}).",
        ]
    return lines


def render(results: dict) -> str:
    """docs/run-benchmarks.md from bench/results/run.json alone (the docs test compares the two)."""
    m = results["machine"]
    commit = results["commit"][:7] + (
        " with uncommitted changes" if results.get("uncommitted_changes") else ""
    )
    lines = [
        "# `reprint run` benchmarks",
        "",
        "<!-- Generated by bench/run_bench.py from bench/results/run.json: edit those, not this page. -->",
        "",
        "Measured on `reprint run` itself: the CLI in a subprocess, into an empty warehouse, with a",
        "fresh PREFECT_HOME (a copy of one a seed run used) and no Prefect setting, as a user with no",
        "Prefect server runs it: in-process where the code has run modes (docs/pipeline.md), else the",
        "Prefect flow with a temporary server; report included; peak RSS of its whole process tree (worker",
        "processes and any temporary Prefect server included), sampled every 0.2 s. The corpora are",
        "bench/corpus.py's generated news stories (`bench.throughput.make_corpus`, about 22 paragraphs a",
        "document); the floor is DuckDB reading the same files into lower-cased words, one thread per core.",
        "",
        f"Measured {results['date']} at commit {commit}, {m['cpus']} cores, {m['memory_gb']} GiB, "
        f"{m['platform']}, Python {m['python']}; load average {results['load_average_start']} at the start "
        "and "
        f"{results.get('load_average_end')} at the end (the machine is shared: figures from a loaded machine "
        "are slower than an idle one's).",
        "",
        "```",
        results["command"],
        "```",
        "",
    ]
    before = results.get("before")
    if before:
        lines += [f"## At {before['revision']} ({before['commit'][:7]}), measured just before", ""]
        lines += _figures(results["code"]["before"], results["targets"]) + ["", "## Now", ""]
    lines += _figures(results["code"].get("current", {}), results["targets"])
    if not results.get("complete", True):
        lines += ["", "_Incomplete: the run stopped before every measurement was made._"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
