"""How far a run has got, for the terminal: the flow reports files, documents and stories as they are done,
and the CLI draws them as progress bars. With nothing drawing (tests, a script), reports cost nothing."""

from __future__ import annotations

from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

STEPS = {"files": "reading files", "documents": "preparing documents", "stories": "aligning stories"}
_shown: tuple[Progress, dict[str, list[int]]] | None = None  # bars, {step: [task, total]}


@contextmanager
def progress_bars(console: Console):
    """Draw the run's progress on `console` while the block runs (only when it is a terminal)."""
    global _shown
    bars = Progress(
        TextColumn("{task.description:<20}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
    )
    _shown = (bars, {})
    try:
        with bars:
            yield bars
    finally:
        _shown = None


def expect(step: str, n: int) -> None:
    """`n` more items of `step` are on their way."""
    if _shown is None:
        return
    bars, totals = _shown
    if step not in totals:
        totals[step] = [bars.add_task(STEPS[step], total=0), 0]
    totals[step][1] += n
    bars.update(totals[step][0], total=totals[step][1])


def advance(step: str, n: int) -> None:
    """`n` items of `step` are done."""
    if _shown is not None and step in _shown[1]:
        _shown[0].advance(_shown[1][step][0], n)
