"""Assemble the real development set, bench/real/corpus/, from fetched git mirrors on this machine.

Run: `.venv/bin/python -m bench.real.assemble [--mirrors DIR]`.
The documents are other people's published text and are not committed: bench/real/sources.toml names, per
file, the public repository, commit and path it is read from (`git show COMMIT:PATH` in the mirror
DIR/<owner>+<name>/repo, DIR being /work/.mirror or $REPRINT_MIRRORS) and the sha256 of the file as labelled,
so the set assembled is exactly the one bench/real/labels.toml describes. An entry with `article = NEWID`
names one wire story of a Reuters-21578 SGML file, cut out of it as a plain-text document by
bench/real/wire.py; an entry with `render = "meter-pa"` or `"meter-newspaper"` names a file of the METER
corpus, written as plain text by bench/real/meter.py; an entry with `lines = [FIRST, LAST]` names one story
cut out of an OCR'd newspaper page by bench/real/ocr.py. The set's own manifest (bench/real/manifest.csv,
written for this set) is copied beside
the documents, where `reprint run` reads it.
A missing mirror is named with the way to bring it (the workplace's `fetch` tool: `fetch github:owner/name`).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from bench.real import meter, ocr, wire

REAL = Path(__file__).resolve().parent
CORPUS = REAL / "corpus"
SOURCES = REAL / "sources.toml"
MANIFEST = REAL / "manifest.csv"
DEFAULT_MIRRORS = Path(os.environ.get("REPRINT_MIRRORS", "/work/.mirror"))
HOW = "python -m bench.real.assemble"


class AssembleError(Exception):
    """The set cannot be assembled: a mirror is missing, or a file is not the one labelled."""


def load_sources(path: Path = SOURCES) -> list[dict]:
    with open(path, "rb") as f:
        return tomllib.load(f)["file"]


def is_assembled(corpus: Path = CORPUS, sources: Path = SOURCES, manifest: Path = MANIFEST) -> bool:
    """Whether the corpus folder holds exactly the set sources.toml names: every file with its labelled
    sha256, no other document, and today's manifest. A set assembled before the labels grew (or changed) is
    not the set they describe, and scoring it would give another set's figures under today's labels."""
    files = {s["name"]: s["sha256"] for s in load_sources(sources)}
    if not (corpus / "manifest.csv").is_file() or not all((corpus / n).is_file() for n in files):
        return False
    present = {
        p.relative_to(corpus).as_posix()
        for p in corpus.rglob("*")
        if p.is_file() and p.name != "manifest.csv" and not any(part.startswith(".") for part in p.parts)
    }
    return (
        present == set(files)
        and (corpus / "manifest.csv").read_bytes() == manifest.read_bytes()
        and all(hashlib.sha256((corpus / n).read_bytes()).hexdigest() == sha for n, sha in files.items())
    )


NOT_ASSEMBLED = f"real set not assembled (bench/real/corpus/ is built from fetched mirrors): run `{HOW}`"


def git_dir(mirrors: Path, repo: str) -> Path:
    """The git directory of a fetched repository: <owner>+<name>/repo (bare), <owner>+<name>/repo/.git (a
    snapshot the fetch tool brought as a work-tree checkout), or <owner>+<name> itself if bare."""
    base = mirrors / repo.replace("/", "+")
    for where in (base / "repo" / ".git", base / "repo"):
        if where.is_dir():
            return where
    return base


def read_blob(mirrors: Path, source: dict) -> bytes:
    where = git_dir(mirrors, source["repo"])
    if not where.is_dir():
        raise AssembleError(
            f"{source['name']}: no mirror of {source['repo']} at {where}; bring it with the fetch tool"
            f" (`fetch github:{source['repo']}`), or point --mirrors / REPRINT_MIRRORS at a folder with it"
        )
    shown = subprocess.run(
        ["git", f"--git-dir={where}", "show", f"{source['commit']}:{source['path']}"], capture_output=True
    )
    if shown.returncode:
        raise AssembleError(
            f"{source['name']}: {source['repo']} mirror at {where} has no {source['commit']}:{source['path']}"
            f" ({shown.stderr.decode(errors='replace').strip()}); fetch a newer snapshot (`fetch github:"
            f"{source['repo']}`)"
        )
    return shown.stdout


def document(mirrors: Path, source: dict, blobs: dict) -> bytes:
    """The bytes of one document: the file itself, the wire story `article` cut out of it (each SGML file
    read once for all its stories, `blobs` keeping what was read), a METER file as `render` writes it, or the
    lines of an OCR page holding one story."""
    if "lines" in source:
        return ocr.cut(read_blob(mirrors, source), *source["lines"]).encode()
    if "render" in source:
        return meter.RENDER[source["render"]](read_blob(mirrors, source)).encode()
    if "article" not in source:
        return read_blob(mirrors, source)
    key = (source["repo"], source["commit"], source["path"])
    if key not in blobs:
        blobs[key] = wire.articles(read_blob(mirrors, source))
    if source["article"] not in blobs[key]:
        raise AssembleError(f"{source['name']}: no article NEWID={source['article']} in {source['path']}")
    return wire.render(blobs[key][source["article"]]).encode()


def assemble(
    mirrors: Path = DEFAULT_MIRRORS,
    corpus: Path = CORPUS,
    sources_file: Path = SOURCES,
    manifest: Path = MANIFEST,
) -> int:
    """Write every file of sources.toml under `corpus`, each checked against its sha256; the number written.
    Nothing is left half written: the set goes to a sibling folder that replaces `corpus` only when whole."""
    sources = load_sources(sources_file)
    missing = sorted({s["repo"] for s in sources if not git_dir(mirrors, s["repo"]).is_dir()})
    if missing:
        raise AssembleError(
            f"no mirror under {mirrors} of: {', '.join(missing)}; bring each with the fetch tool ("
            + ", ".join(f"`fetch github:{r}`" for r in missing)
            + ")"
        )
    staging = corpus.with_name(corpus.name + ".part")
    shutil.rmtree(staging, ignore_errors=True)
    blobs: dict = {}
    for source in sources:
        data = document(mirrors, source, blobs)
        digest = hashlib.sha256(data).hexdigest()
        if digest != source["sha256"]:
            shutil.rmtree(staging, ignore_errors=True)
            raise AssembleError(
                f"{source['name']}: {source['repo']} {source['commit']}:{source['path']} has sha256 {digest},"
                f" not the labelled {source['sha256']}"
            )
        target = staging / source["name"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    shutil.copyfile(manifest, staging / "manifest.csv")
    shutil.rmtree(corpus, ignore_errors=True)
    staging.rename(corpus)
    return len(sources)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS, help="folder of fetched mirrors")
    args = parser.parse_args(argv)
    try:
        n = assemble(args.mirrors)
    except AssembleError as e:
        print(f"real set not assembled: {e}", file=sys.stderr)
        return 1
    print(f"assembled {n} documents and manifest.csv in {CORPUS} (each checked against its sha256)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
