"""What one run did, in the shape of its Prefect artifacts: a table of fate counts per story aligned in the
run and a short markdown summary."""

from __future__ import annotations

from collections import Counter, defaultdict

import pyarrow as pa

from tasks.align import FATES

MAX_ROWS = 1000  # an artifact is for a person to read in the UI; the warehouse has the rest


def fate_counts(fates: pa.Table, members: pa.Table, stories: list[str]) -> list[dict]:
    """One row per story (of `stories`): members, republications and how many fate rows of each kind."""
    wanted = set(stories)
    counts: dict[str, Counter] = defaultdict(Counter)
    for story, fate in zip(
        fates.column("story_id").to_pylist(), fates.column("fate").to_pylist(), strict=True
    ):
        if story in wanted:
            counts[story][fate] += 1
    size = Counter(s for s in members.column("story_id").to_pylist() if s in wanted)
    return [
        {
            "story_id": s,
            "members": size[s],
            "republications": size[s] - 1,
            **{fate: counts[s][fate] for fate in FATES},
        }
        for s in sorted(wanted)[:MAX_ROWS]
    ]


def summary_markdown(summary: dict, warehouse: str) -> str:
    """The run in a few lines a person reads in the Prefect UI."""
    lines = [
        f"# reprint run into `{warehouse}`",
        "",
        "| | |",
        "|---|---|",
        f"| input files read (new or changed) | {summary['read_inputs']} |",
        f"| input files unchanged, skipped | {summary['unchanged_inputs']} |",
        f"| documents added or replaced | {summary['new_documents']} |",
        f"| documents in the warehouse | {summary['documents']} |",
        f"| stories | {summary['stories']} |",
        f"| stories aligned in this run | {summary['aligned_stories']} |",
        f"| rejects from this run | {summary['rejects']} |",
        f"| warehouse version | `{summary['version']}` |",
    ]
    if summary["aligned_stories"] > MAX_ROWS:
        lines += ["", f"The fate table artifact lists the first {MAX_ROWS} stories aligned in this run."]
    return "\n".join(lines) + "\n"
