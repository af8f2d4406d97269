"""Walking an input folder safely: only regular files inside the folder are found. Special files (pipes,
devices, sockets) and links that lead out of the folder are refused by type before anything opens them, a
folder that is a reprint warehouse is never read, and a deep or looping tree is walked without recursion."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from tasks.limits import file_kind

WAREHOUSE_MARKERS = ("corpus.duckdb", ".versions")


def is_warehouse(folder: Path) -> bool:
    """Whether the folder is a reprint warehouse (its report page and catalog must never become inputs)."""
    return all((folder / marker).exists() for marker in WAREHOUSE_MARKERS)


def inside(path: Path, root: Path) -> bool:
    """Whether `path` (resolved) is `root` or under it (compared as text: both are resolved, and this runs
    for every input file)."""
    here, top = str(path), str(root)
    return here == top or here.startswith(top if top.endswith(os.sep) else top + os.sep)


def resolved(path: Path) -> Path | None:
    """The path with every link followed, or None when it cannot be (a loop, a name too long)."""
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None


class Resolver:
    """`resolved` for many files in few folders, in text: each folder is resolved once (Path.resolve looks at
    every component of a path, a system call each), and a file that is not a link is its resolved folder plus
    its name, known from one lstat. Links are resolved in full, as `resolved` does. The files it found to be
    regular files (not links) are remembered (`files`), so asking whether one is a file needs no second stat.
    Paths are text: a manifest of 100,000 rows made, hashed and compared a `pathlib` path per row in each of
    these steps, most of a run's discovery (3-4 s CPU at 100k files, `Path.__hash__` the largest part).
    """

    def __init__(self, listed: dict[str, set[str]] | None = None) -> None:
        self.folders: dict[str, str | None] = {}
        self.files: set[str] = set()
        # {resolved folder: names of the regular files (not links) a listing found in it}: a path naming one
        # of them through these very folders is resolved without a system call.
        self.listed = listed or {}

    def __call__(self, path: str) -> str | None:
        parent, name = os.path.split(path)
        if name in ("", ".", ".."):
            return _resolved_text(path)
        if name in self.listed.get(parent, ()):
            target = os.path.join(parent, name)
            self.files.add(target)
            return target
        folder = self.folders.get(parent, _UNSEEN)
        if folder is _UNSEEN:
            folder = self.folders[parent] = _resolved_text(parent)
        if folder is None:
            return None
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return None
        if stat.S_ISLNK(mode):
            return _resolved_text(path)
        target = os.path.join(folder, name)
        if stat.S_ISREG(mode):
            self.files.add(target)
        return target

    def is_file(self, target: str) -> bool:
        """Whether `target` (a path this resolver returned) is a regular file, or leads to one."""
        return target in self.files or os.path.isfile(target)


def _resolved_text(path: str) -> str | None:
    found = resolved(Path(path))
    return None if found is None else str(found)


_UNSEEN = object()  # a folder not resolved yet


def walk_files(root: Path, refuse) -> Iterator[tuple[Path, list[str], set[str]]]:
    """(folder, sorted names of its regular files, those of them that are links) for each folder under `root`,
    top-down in name order. Each folder is `root` resolved and names under it: a folder is never reached
    through a link, so a file that is not a link is at its resolved path.

    Hidden entries are skipped. `refuse(path, reason)` is called for each entry that is not read and why.
    Links are followed only to regular files inside `root`; links to folders are not followed (as os.walk),
    so a loop of links cannot be entered.
    """
    root = root.resolve()
    stack = [root]
    seen: set[tuple[int, int]] = set()
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as err:
            refuse(folder, f"could not be listed ({err.strerror or err}); its files were not read")
            continue
        if (info.st_dev, info.st_ino) in seen:  # the same folder mounted twice
            continue
        seen.add((info.st_dev, info.st_ino))
        files: list[str] = []
        links: set[str] = set()
        folders: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                # Most entries: a regular file by the entry's own type (no stat, no Path made).
                if entry.is_file(follow_symlinks=False):
                    files.append(entry.name)
                    continue
                mode = entry.stat(follow_symlinks=False).st_mode
                path = Path(entry.path)
                if stat.S_ISLNK(mode):
                    reason = _link_refused(path, root)
                    if reason:
                        refuse(path, reason)
                    else:
                        files.append(entry.name)
                        links.add(entry.name)
                elif stat.S_ISDIR(mode):
                    if is_warehouse(path):
                        refuse(path, "is a reprint warehouse; warehouses are never read as input")
                    else:
                        folders.append(path)
                else:
                    refuse(path, f"is {file_kind(mode)}, not a regular file; reprint reads only files")
            except OSError as err:
                refuse(Path(entry.path), f"could not be examined ({err.strerror or err})")
        yield folder, files, links
        stack.extend(reversed(folders))


def _link_refused(path: Path, root: Path) -> str | None:
    """Why a link found in the tree is not read, or None when it leads to a regular file inside the root."""
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return "could not be read: it is a link to something that is gone (No such file or directory)"
    except (OSError, RuntimeError):
        return "could not be read: it is a loop of links (or its target's name is too long)"
    if not inside(target, root):
        return "is a link to a place outside the input folder; reprint reads only files inside it"
    mode = os.stat(target).st_mode
    if stat.S_ISDIR(mode):
        return "is a link to a folder; its files are read where they are, not through the link"
    if not stat.S_ISREG(mode):
        return f"is a link to {file_kind(mode)}, not a regular file; reprint reads only files"
    return None
