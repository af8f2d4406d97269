"""Benchmark: what adding 1% new documents to a large warehouse costs, against a full run of the same corpus.

    .venv/bin/python bench/incremental.py --documents 100000 [--out bench/out/incremental]

Generates a corpus of stories (an origin plus republications by other outlets, with paragraphs dropped,
edited, reordered and outlet footers added) as one .txt file per document under <out>/corpus/<outlet>/, runs
`reprint run` on it into a fresh warehouse (the full run), runs it again unchanged (the idle run), adds 1% new
documents (half republications of stored stories, half new stories) and runs it again (the incremental run),
then checks the incremental warehouse equals a from-scratch run over the grown corpus when --verify is given.
The documents are generated here from a fixed word list and seed (the shared corpus generator was not
there yet).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTLETS = [f"outlet{k:02d}" for k in range(40)]
FOOTERS = {
    o: f"Read more from {o} and subscribe to our newsletter for daily updates from the newsroom of {o}."
    for o in OUTLETS
}


def vocabulary() -> list[str]:
    """Words of the seed texts: the generated documents read like (scrambled) news English."""
    words = set()
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        words.update(w.strip(".,;:“”\"'()’").lower() for w in path.read_text(encoding="utf-8").split())
    return sorted(w for w in words if w.isalpha() and len(w) > 2)


def paragraph(rng: random.Random, words: list[str]) -> str:
    sentences = []
    for _ in range(rng.randint(2, 3)):
        s = " ".join(rng.choice(words) for _ in range(rng.randint(10, 18)))
        sentences.append(s[0].upper() + s[1:] + ".")
    return " ".join(sentences)


def republish(rng: random.Random, words: list[str], origin: list[str]) -> list[str]:
    """A republication: most paragraphs kept, some dropped, edited or swapped, one maybe added."""
    paras = [p for p in origin if rng.random() > 0.1] or origin[:1]
    for k, text in enumerate(paras):
        if rng.random() < 0.15:
            tokens = text.split()
            tokens[rng.randrange(len(tokens))] = rng.choice(words)
            paras[k] = " ".join(tokens)
    if len(paras) > 2 and rng.random() < 0.2:
        a, b = rng.sample(range(len(paras)), 2)
        paras[a], paras[b] = paras[b], paras[a]
    if rng.random() < 0.2:
        paras.insert(rng.randrange(len(paras) + 1), paragraph(rng, words))
    return paras


def write_story(folder: Path, rng: random.Random, words: list[str], story: int, n_docs: int, day: int) -> int:
    origin = [paragraph(rng, words) for _ in range(rng.randint(4, 8))]
    outlets = rng.sample(OUTLETS, n_docs)
    for version, outlet in enumerate(outlets):
        paras = origin if version == 0 else republish(rng, words, origin)
        write_document(folder, outlet, f"s{story:07d}-v{version}-d{day}", paras)
    return n_docs


def write_document(folder: Path, outlet: str, name: str, paras: list[str]) -> None:
    path = folder / outlet / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    title = f"Story {name.split('-')[0]}"
    path.write_text("\n\n".join([title, *paras, FOOTERS[outlet]]) + "\n", encoding="utf-8")


def generate(folder: Path, n_documents: int, seed: int = 0) -> dict:
    """Stories of 1-4 documents until `n_documents`; returns how to grow the corpus later."""
    rng = random.Random(seed)
    words = vocabulary()
    written = story = 0
    while written < n_documents:
        written += write_story(folder, rng, words, story, min(rng.randint(1, 4), n_documents - written), 0)
        story += 1
    return {"stories": story, "documents": written}


def grow(folder: Path, state: dict, n_new: int, seed: int = 1) -> None:
    """Add `n_new` documents: half new republications of stored stories, half new stories."""
    rng = random.Random(seed)
    words = vocabulary()
    for k in range(n_new // 2):
        story = rng.randrange(state["stories"])
        origins = sorted(folder.glob(f"*/s{story:07d}-v0-d0.txt"))
        text = origins[0].read_text(encoding="utf-8").split("\n\n")[1:-1]
        write_document(folder, rng.choice(OUTLETS), f"s{story:07d}-v9{k}-d1", republish(rng, words, text))
    written, story = 0, state["stories"]
    while written < n_new - n_new // 2:
        written += write_story(
            folder, rng, words, story, min(rng.randint(1, 4), n_new - n_new // 2 - written), 1
        )
        story += 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path) -> tuple[subprocess.Popen, str]:
    """A real Prefect server for the runs, so none pays for (or times out starting) a temporary one."""
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
    }
    home.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "prefect"),
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    api = f"http://127.0.0.1:{port}/api"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2):
                return server, api
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("the Prefect server did not start")


def run(corpus: Path, warehouse: Path, env: dict) -> float:
    start = time.perf_counter()
    # The code next to this file, even when it is a copy (so a long benchmark is not disturbed by edits).
    subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(corpus), "--warehouse", str(warehouse), "--no-report"],
        check=True,
        env={**env, "PYTHONPATH": str(ROOT)},
    )
    return time.perf_counter() - start


def tables(warehouse: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from tasks.warehouse import TABLES, read_table, sort_table

    return {name: sort_table(read_table(warehouse, name), name) for name in TABLES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--new-share", type=float, default=0.01)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/out/incremental")
    parser.add_argument(
        "--verify", action="store_true", help="also compare with a from-scratch run (one more full run)"
    )
    parser.add_argument(
        "--stage",
        choices=["all", "full", "grow", "link"],
        default="all",
        help="full: generate and run the full corpus; grow: the later runs, on what `full` left in --out; "
        "link: the link step alone, on what `grow` left",
    )
    args = parser.parse_args()
    if args.stage == "link":
        print(json.dumps(link_step(args.out / "warehouse-before", args.out / "warehouse"), indent=2))
        return
    if args.stage != "grow":
        shutil.rmtree(args.out, ignore_errors=True)
    corpus, warehouse = args.out / "corpus", args.out / "warehouse"
    server, api = start_server(args.out / "prefect-server")
    env = {**os.environ, "PREFECT_HOME": str(args.out / "prefect"), "PREFECT_API_URL": api}
    try:
        if args.stage != "grow":
            run_full(args, corpus, warehouse, env)
        if args.stage != "full":
            measure(args, corpus, warehouse, env)
    finally:
        server.terminate()
        server.wait()
    if args.stage != "full":
        print(json.dumps(link_step(args.out / "warehouse-before", warehouse), indent=2))


def run_full(args: argparse.Namespace, corpus: Path, warehouse: Path, env: dict) -> None:
    """Generate the corpus and run it into a fresh warehouse; what the later runs are compared with."""
    started = time.perf_counter()
    state = generate(corpus, args.documents)
    print(
        f"generated {state['documents']} documents in {time.perf_counter() - started:.0f} s", file=sys.stderr
    )
    state["full_run_s"] = run(corpus, warehouse, env)
    (args.out / "state.json").write_text(json.dumps(state))


def measure(args: argparse.Namespace, corpus: Path, warehouse: Path, env: dict) -> None:
    state = json.loads((args.out / "state.json").read_text())
    full = state["full_run_s"]
    idle = run(corpus, warehouse, env)
    n_new = int(args.documents * args.new_share)
    shutil.rmtree(args.out / "warehouse-before", ignore_errors=True)
    shutil.copytree(warehouse, args.out / "warehouse-before", symlinks=True)  # for link_step
    grow(corpus, state, n_new)
    incremental = run(corpus, warehouse, env)
    result = {
        "documents": state["documents"],
        "new_documents": n_new,
        "full_run_s": round(full, 1),
        "idle_run_s": round(idle, 1),
        "incremental_run_s": round(incremental, 1),
        "incremental_over_full": round(incremental / full, 4),
        "idle_over_full": round(idle / full, 4),
    }
    if args.verify:
        scratch = args.out / "scratch"
        result["scratch_run_s"] = round(
            run(corpus, scratch, {**env, "PREFECT_HOME": str(args.out / "p2")}), 1
        )
        mine, theirs = tables(warehouse), tables(scratch)
        result["incremental_equals_scratch"] = {n: mine[n].equals(theirs[n]) for n in mine}
    print(json.dumps(result, indent=2))


def link_step(before: Path, after: Path) -> dict:
    """The link step of the incremental run (stories over the whole corpus; keys, paragraphs read for
    alignment only where a story changed) against the same step with nothing stored, as a full run does it,
    timed in this process on the grown warehouse's documents, and whether both give the same stories."""
    sys.path.insert(0, str(ROOT))
    import resource

    from tasks.changes import replace_documents
    from tasks.stories import changed_documents, find_stories, keyed_members
    from tasks.warehouse import SCHEMAS, read_table, sort_table

    stored = {name: read_table(before, name) for name in ("paragraphs", "story_members")}
    # The grown corpus as the run saw it before linking: stored flags for text repeated in an outlet dropped.
    docs, paras = replace_documents(
        read_table(after, "documents"),
        read_table(after, "paragraphs"),
        SCHEMAS["documents"].empty_table(),
        SCHEMAS["paragraphs"].empty_table(),
        set(),
    )
    started = time.perf_counter()
    members, flagged = find_stories(docs, paras)
    full, full_body = keyed_members(members, flagged)
    full_s = time.perf_counter() - started
    started = time.perf_counter()
    members, flagged = find_stories(docs, paras)
    linked_s = time.perf_counter() - started
    changed = changed_documents(stored["paragraphs"], flagged)
    grown, body = keyed_members(members, flagged, stored["story_members"], changed)
    incremental_s = time.perf_counter() - started
    return {
        "link_step_full_s": round(full_s, 1),
        "link_step_incremental_s": round(incremental_s, 1),
        "of_which_linking_s": round(linked_s, 1),
        "link_step_incremental_over_full": round(incremental_s / full_s, 3),
        "documents_read_for_alignment": {"full": len(full_body), "incremental": len(body)},
        "same_story_members": sort_table(grown, "story_members").equals(sort_table(full, "story_members")),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


if __name__ == "__main__":
    main()
