"""Hostile inputs, each run as its own `reprint run` next to a good file, bounded in memory (RLIMIT_AS) and
time (a timeout): one line per input with the outcome, the exit status, whether the good file reached the
warehouse, the seconds taken and the run's peak RSS. Results go to bench/results/hostile.json.

    .venv/bin/python bench/hostile.py [--only NAME ...] [--memory-gb 6] [--timeout 300] [--files 50000]
        [--reprint OTHER/.venv/bin/reprint --out OTHER.json]   # the same inputs through another checkout

Bombs are built small on disk (a few MB compressed); the 200 MB line, the 1.5 GiB archive record and the
50,000 small files are written to a temporary folder and removed afterwards.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import zstandard

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tasks.warehouse import read_table  # noqa: E402

GOOD = (
    "The harbour board met on Tuesday to discuss the new ferry timetable and the cost of repairs.\n\n"
    "Members agreed that the morning crossing will leave half an hour earlier from the first of May.\n"
)
PAGE = (ROOT / "tests/fixtures/corpus/coastal-herald/harbour-bridge-closure.html").read_text()
STATED = "2025-02-17T16:40:00+00:00"
MB = 1 << 20


def _zeros_into(out, total: int) -> None:
    chunk = b"\0" * (4 * MB)
    for _ in range(total // len(chunk)):
        out.write(chunk)


def _warc_record(
    url: str, body_size: int | None, body: bytes = b"", date: str = "2025-02-17T16:40:00Z"
) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    length = len(http) + (body_size if body_size is not None else len(body))
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{abs(hash(url)):032x}>\r\n"
        f"WARC-Target-URI: {url}\r\nWARC-Date: {date}\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()
    return head + http + body


# Each case writes its hostile input into `folder`, next to good.txt, and may return options for the run.
def bomb_gzip(folder: Path):
    with gzip.open(folder / "bomb.jsonl.gz", "wb", compresslevel=9) as out:
        _zeros_into(out, 1024 * MB)


def bomb_zstd(folder: Path):
    with (
        open(folder / "bomb.jsonl.zst", "wb") as raw,
        zstandard.ZstdCompressor(level=3).stream_writer(raw) as out,
    ):
        _zeros_into(out, 4096 * MB)


def warc_1_5_gib_record(folder: Path):
    size = 1536 * MB
    with open(folder / "crawl.warc.gz", "wb") as raw:  # one gzip member per record, as WARC tools write them
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1) as out:
            out.write(_warc_record("https://a.example/huge", size))
            _zeros_into(out, size)
            out.write(b"\r\n\r\n")
        with gzip.GzipFile(fileobj=raw, mode="wb") as out:
            out.write(_warc_record("https://a.example/ok", None, PAGE.encode()) + b"\r\n\r\n")


def warc_gzip_bomb_in_record(folder: Path):
    inner = gzip.compress(b"\0" * (512 * MB), compresslevel=9)
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:0000000000000000000000000000000b>\r\n"
        "WARC-Target-URI: https://a.example/bomb\r\nWARC-Date: 2025-02-17T16:40:00Z\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http) + len(inner)}\r\n\r\n"
    ).encode()
    (folder / "bomb.warc").write_bytes(head + http + inner + b"\r\n\r\n")


def jsonl_200_mb_line(folder: Path):
    with open(folder / "dump.jsonl", "wb") as out:
        out.write(json.dumps({"text": GOOD + " First."}).encode() + b"\n" + b'{"text": "')
        for _ in range(200):
            out.write(b"a" * MB)
        out.write(b'"}\n' + json.dumps({"text": GOOD + " Last."}).encode() + b"\n")


def manifest_to_dev_zero(folder: Path):
    (folder / "manifest.csv").symlink_to("/dev/zero")


def fifo_txt(folder: Path):
    os.mkfifo(folder / "x.txt")


def fifo_manifest(folder: Path):
    os.mkfifo(folder / "manifest.csv")


def link_dev_zero(folder: Path):
    (folder / "zero.txt").symlink_to("/dev/zero")


def link_dev_urandom(folder: Path):
    (folder / "random.txt").symlink_to("/dev/urandom")


def link_etc_passwd(folder: Path):
    (folder / "passwd.txt").symlink_to("/etc/passwd")


def symlink_loop(folder: Path):
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "up").symlink_to(folder)


def nested_1100_folders(folder: Path):
    here = folder
    for _ in range(1100):
        here = here / "d"
        here.mkdir()
    (here / "deep.txt").write_text(GOOD + " Deep.")


def manifest_dotdot_and_absolute(folder: Path):
    (folder / "sub").mkdir()
    (folder / "sub" / "a.txt").write_text(GOOD + " Sub.")
    (folder / "sub" / "manifest.csv").write_text(
        "path,outlet\n../good.txt,Stolen\n/etc/passwd,Stolen\na.txt,Ok\n"
    )


def manifest_field_over_128kb(folder: Path):
    (folder / "manifest.csv").write_text(f"path,title\ngood.txt,{'t' * 200_000}\n")


def manifest_nul(folder: Path):
    (folder / "manifest.csv").write_bytes(
        b"path,outlet\n" + b"good.txt,Daily\n" * 5000 + b"good.txt,Da\x00ily\n"
    )


def manifest_1m_rows(folder: Path):
    rows = "".join(f"good.txt,Outlet {n}\n" for n in range(1_000_000))
    (folder / "manifest.csv").write_text("path,outlet\n" + rows)


def dates_out_of_range(folder: Path):
    lines = [
        {"text": GOOD + f" {d}", "published_at": d}
        for d in ("0000-01-01", "10000-01-01", "9999-12-31T23:00:00-05:00")
    ]
    (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    (folder / "a.txt").write_text(GOOD + " Manifest.")
    (folder / "manifest.csv").write_text("path,published_at\na.txt,9999-12-31T23:59:59-10:00\n")
    (folder / "page.html").write_text(PAGE.replace(STATED, "9999-12-31T23:00:00-05:00"))
    date = "9999-12-31T23:00:00-05:00"
    (folder / "crawl.warc").write_bytes(
        _warc_record("https://a.example/d", None, PAGE.encode(), date) + b"\r\n\r\n"
    )


def json_100k_deep(folder: Path):
    (folder / "deep.jsonl").write_text('{"text": "x", "n": ' + "[" * 100_000 + "]" * 100_000 + "}\n")


def lone_surrogate_url(folder: Path):
    (folder / "feed.jsonl").write_text(
        '{"text": "' + GOOD.replace("\n", " ") + '", "url": "https://a.example/\\ud800"}\n'
    )


def title_100_mb(folder: Path):
    with open(folder / "feed.jsonl", "w") as out:
        out.write('{"text": "' + GOOD.replace("\n", " ") + '", "title": "' + "T" * (100 * MB) + '"}\n')


def title_20_mb(folder: Path):
    with open(folder / "feed.jsonl", "w") as out:
        out.write('{"text": "' + GOOD.replace("\n", " ") + '", "title": "' + "T" * (20 * MB) + '"}\n')


def terminal_escapes_in_names(folder: Path):
    (folder / "x\x1b]0;owned\x07\x1b[2J\nreprint: forged.txt").write_text(GOOD + " Escapes.")


def rich_markup_in_metadata(folder: Path):
    (folder / "a.txt").write_text(GOOD + " Markup.")
    (folder / "manifest.csv").write_text(
        'path,outlet,title\na.txt,"[link=https://evil.example]Reuters[/link]","[/] :smile:"\n'
    )


def mixed_utf8_cp1252(folder: Path):
    (folder / "mixed.txt").write_bytes(
        "Łódź and Zürich signed the agreement.\n\n".encode()
        + "The café owners’ “at last”.\n".encode("cp1252")
    )


def html_100k_deep(folder: Path):
    (folder / "deep.html").write_text(
        "<html><body>" + "<div>" * 100_000 + "<p>" + GOOD * 3 + "</p></body></html>"
    )


def warehouse_inside_input(folder: Path):
    return {"warehouse": folder / "wh"}


def warehouse_as_own_input(folder: Path):
    return {"extra_run": True}


def files_per_shard_zero(folder: Path):
    return {"args": ["--files-per-shard", "0"]}


def many_small_files(folder: Path, count: int = 50_000):
    for k in range(count):
        sub = folder / f"f{k // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{k:06d}.txt").write_text(f"Item {k}: a short note about the number {k * 7919 % 100003}.\n")


CASES = {
    f.__name__: f
    for f in [
        bomb_gzip,
        bomb_zstd,
        warc_1_5_gib_record,
        warc_gzip_bomb_in_record,
        jsonl_200_mb_line,
        manifest_to_dev_zero,
        fifo_txt,
        fifo_manifest,
        link_dev_zero,
        link_dev_urandom,
        link_etc_passwd,
        symlink_loop,
        nested_1100_folders,
        manifest_dotdot_and_absolute,
        manifest_field_over_128kb,
        manifest_nul,
        manifest_1m_rows,
        dates_out_of_range,
        json_100k_deep,
        lone_surrogate_url,
        title_100_mb,
        title_20_mb,
        terminal_escapes_in_names,
        rich_markup_in_metadata,
        mixed_utf8_cp1252,
        html_100k_deep,
        warehouse_inside_input,
        warehouse_as_own_input,
        files_per_shard_zero,
        many_small_files,
    ]
}


def run_bounded(args: list[str], memory_bytes: int, timeout: float, env: dict) -> dict:
    """Run a command with an address-space limit and a timeout; exit status, seconds, peak RSS, output."""

    def limit():
        os.setsid()
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err, preexec_fn=limit, env=env, cwd=ROOT)
        deadline = start + timeout
        status, usage, timed_out = None, None, False
        while status is None:
            pid, raw, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status = os.waitstatus_to_exitcode(raw)
                break
            if time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                timed_out = True
                _, raw, usage = os.wait4(proc.pid, 0)
                status = os.waitstatus_to_exitcode(raw)
                break
            time.sleep(0.2)
        proc.returncode = status
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return {
            "status": status,
            "timed_out": timed_out,
            "seconds": round(seconds, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024),
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }


def outcome(result: dict) -> str:
    """The run's verdict in a few words: its first reject or fault line, or how it ended."""
    if result["timed_out"]:
        return "HUNG (killed at the timeout)"
    if result["status"] < 0:
        return f"killed by signal {-result['status']}"
    lines = [
        line
        for line in result["stderr"].splitlines()
        if line.startswith(("reprint:", "usage:", "reprint run:"))
    ]
    rejected = [
        line.removeprefix("reprint: rejected ") for line in lines if line.startswith("reprint: rejected")
    ]
    if "Traceback" in result["stderr"]:
        return "TRACEBACK: " + result["stderr"].strip().splitlines()[-1][:90]
    if rejected:
        return f"{len(rejected)} rejected; " + rejected[0][:100]
    return lines[-1][:110] if lines else "ingested, nothing rejected"


def good_present(warehouse: Path) -> bool:
    try:
        return any(
            s.endswith("good.txt") for s in read_table(warehouse, "documents").column("source").to_pylist()
        )
    except Exception:  # noqa: BLE001 - no warehouse at all
        return False


def markdown_table(results: dict) -> str:
    """A results file as the table in docs/hostile-inputs.md."""
    lines = [
        f"{results['date']}, {results['machine']}, commit {results['commit'][:10]}, "
        f"limit {results['memory_limit_gb']:g} GB address space and "
        f"{results['timeout_seconds']:g} s per run:",
        "",
        "| input | exit | good file in | seconds | peak RSS MB | outcome |",
        "|---|---|---|---|---|---|",
    ]
    for run in results["runs"]:
        outcome = run["outcome"].replace("|", "\\|")
        good = "yes" if run["good_present"] else "NO"
        cells = [run["input"], run["exit"], good, run["seconds"], run["peak_rss_mb"], outcome]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


def commit_of_repo() -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="run only these cases")
    parser.add_argument(
        "--memory-gb", type=float, default=6.0, help="address-space limit per run (RLIMIT_AS)"
    )
    parser.add_argument(
        "--timeout", type=float, default=300.0, help="seconds per run before it counts as hung"
    )
    parser.add_argument("--files", type=int, default=50_000, help="files for many_small_files")
    parser.add_argument("--out", default=str(ROOT / "bench/results/hostile.json"))
    parser.add_argument(
        "--reprint",
        help="the reprint command of another checkout, to measure it the same way (e.g. before a fix)",
    )
    parser.add_argument(
        "--table", metavar="RESULTS", help="print a results file as a markdown table and stop"
    )
    options = parser.parse_args()
    if options.table:
        print(markdown_table(json.loads(Path(options.table).read_text())))
        return
    names = options.only or list(CASES)
    env = {**os.environ, "PREFECT_HOME": os.environ.get("PREFECT_HOME", str(ROOT / ".prefect"))}
    reprint = [options.reprint] if options.reprint else [sys.executable, "-m", "flows.cli"]
    rows = []
    print(f"{'input':<30} {'exit':>4} {'good':>5} {'s':>7} {'MB':>6}  outcome", flush=True)
    for name in names:
        tmp = tempfile.mkdtemp(prefix=f"hostile-{name}-")
        if True:
            folder = Path(tmp) / "in"
            folder.mkdir()
            (folder / "good.txt").write_text(GOOD)
            build = CASES[name]
            extra = (build(folder, options.files) if name == "many_small_files" else build(folder)) or {}
            warehouse = Path(extra.get("warehouse", Path(tmp) / "wh"))
            command = [*reprint, "run", str(folder), "--warehouse", str(warehouse), *extra.get("args", [])]
            if extra.get("extra_run"):  # the warehouse exists (a first run), then is given as its own input
                run_bounded(command, int(options.memory_gb * 2**30), options.timeout, env)
                command = [*reprint, "run", str(folder), str(warehouse), "--warehouse", str(warehouse)]
            result = run_bounded(command, int(options.memory_gb * 2**30), options.timeout, env)
            present = good_present(warehouse)
            verdict = outcome(result)
            print(
                f"{name:<30} {result['status']:>4} {str(present):>5} {result['seconds']:>7} "
                f"{result['peak_rss_mb']:>6}  {verdict}",
                flush=True,
            )
            rows.append(
                {
                    "input": name,
                    "exit": result["status"],
                    "good_present": present,
                    "seconds": result["seconds"],
                    "peak_rss_mb": result["peak_rss_mb"],
                    "outcome": verdict,
                    "timed_out": result["timed_out"],
                    "stderr_tail": result["stderr"].strip().splitlines()[-3:],
                }
            )
        subprocess.run(["rm", "-rf", tmp], check=False)  # deep trees: rm copes, shutil.rmtree recurses
    if options.only and Path(options.out).exists():  # a partial rerun replaces its rows in the results
        kept = [r for r in json.loads(Path(options.out).read_text())["runs"] if r["input"] not in names]
        order = list(CASES)
        rows = sorted(
            kept + rows, key=lambda r: order.index(r["input"]) if r["input"] in order else len(order)
        )
    Path(options.out).write_text(
        json.dumps(
            {
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
                "commit": commit_of_repo(),
                "reprint": options.reprint or "this checkout",
                "memory_limit_gb": options.memory_gb,
                "timeout_seconds": options.timeout,
                "runs": rows,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
