"""Revision histories as a judge nobody labelled: every version of one post is one story, two posts are two.

Issue 12 asks that reprint be right on real text it was not written on. A blog kept in git holds that text
with its answer: each post's file went through revisions (a typo fixed, a paragraph added, a date moved, a
section rewritten), and a blog's posts are written on the outlet's templates (release announcements, monthly
updates, security releases, event calls), which is where linking goes wrong. This bench takes posts of public
blogs' git histories that no part of the labelled set (bench/real) holds, two or three versions of each whose
text differs, writes them as files of one outlet per blog, with no URL (so the versions must be found by
their text, as in a dump of files), runs `reprint run` on them and scores the stories against the rule
"same file, same story".

The rule is the judge's one judgement: a post rewritten from top to bottom at one path is still counted one
story (a reader would call it a new post only when the path was reused for another subject). So recall is
also given by how much of its text a version kept (the similarity of the versions' bodies), and the pairs of
different posts reprint put in one story are listed with their titles for a reader to judge.

    .venv/bin/python -m bench.revisions --posts 20 80     # two corpus sizes, posts per blog

The blogs are read from their git mirrors (the workplace's `fetch` tool: fetch github:OWNER/NAME, brought to
/work/.mirror); a blog whose mirror is absent is skipped and said so. Texts are never committed; the JSON
stores paths, commits and scores. Results: bench/results/revisions.json, page docs/revisions.md.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from bench.quality import ROOT, commit_of, read_warehouse, run_reprint
from tasks.frontmatter import split_front_matter

MIRRORS = Path(os.environ.get("REPRINT_MIRRORS", "/work/.mirror"))
RESULTS = ROOT / "bench" / "results" / "revisions.json"
PAGE = ROOT / "docs" / "revisions.md"


@dataclass(frozen=True)
class Blog:
    repo: str  # owner/name on GitHub
    folder: str  # where its posts are, at the mirror's HEAD
    outlet: str
    licence: str


# Blogs whose posts are revised in git, none of them a source of a withheld part (blind5's news pages,
# blind6's OpenTelemetry blog, blind7's ASF blogs). Files the labelled set holds are left out (sources.toml).
BLOGS = (
    Blog("rust-lang/blog.rust-lang.org", "content/", "Rust Blog", "MIT OR Apache-2.0"),
    Blog("GSA/digitalgov.gov", "content/news/", "Digital.gov", "CC0-1.0 (US government work)"),
    Blog("18F/18f.gsa.gov", "content/posts/", "18F", "CC0-1.0 (US government work)"),
    Blog("ropensci/roweb3", "content/blog/", "rOpenSci", "CC-BY-4.0"),
    Blog("nodejs/nodejs.org", "apps/site/pages/en/blog/", "Node.js", "MIT"),
)
SUFFIXES = (".md", ".markdown", ".html")
# A post's versions are taken when their bodies differ at least this much (a changed front matter alone,
# or a changed character, is the same text twice).
MAX_SIMILARITY = 0.999
# A Hugo page bundle's translation of a post: index.<language>.md.
_TRANSLATION = re.compile(r"index(?:\.[a-z]{2}(?:-[a-z]{2})?)?\.(?:md|markdown|html)")
# A version with fewer words than this is no text to judge (a file emptied, a redirect stub).
MIN_WORDS = 30
BANDS = ((0.9, "kept 90% or more"), (0.5, "kept 50-90%"), (0.0, "kept under 50%"))


def git(repo: Path, *args: str, data: str | None = None, check: bool = True) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], input=data, capture_output=True, text=True, check=check
    ).stdout


def labelled_paths() -> set[tuple[str, str]]:
    """(repo, path) of every file of the labelled set: a judge of unseen text must not hold them."""
    files = tomllib.loads((ROOT / "bench" / "real" / "sources.toml").read_text())["file"]
    return {(f["repo"], f["path"]) for f in files}


def histories(repo: Path, folder: str) -> dict[str, list[tuple[str, int]]]:
    """Per post path (at HEAD), the commits that changed it at that path, oldest first: (commit, time)."""
    at_head = {p for p in git(repo, "ls-tree", "-r", "--name-only", "HEAD", "--", folder).splitlines()}
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    commit, when = "", 0
    # A mirror may hold part of the history (a snapshot's missing objects end the log there): what it holds.
    log = git(repo, "log", "--format=@%H %ct", "--name-only", "HEAD", "--", folder, check=False)
    for line in log.splitlines():
        if line.startswith("@"):
            commit, stamp = line[1:].split()
            when = int(stamp)
        elif line in at_head and line.endswith(SUFFIXES):
            out[line].append((commit, when))
    return {p: sorted(c, key=lambda c: c[1]) for p, c in out.items()}


def body(text: str) -> str:
    front = split_front_matter(text)
    return (front.body if front is not None else text).strip()


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


@dataclass(frozen=True)
class Version:
    blog: Blog
    path: str
    commit: str
    time: int
    text: str


def versions_of(repo: Path, blog: Blog, path: str, commits: list[tuple[str, int]]) -> list[Version]:
    """The post's first version, its last, and the one between when three differ: versions whose bodies
    differ (MAX_SIMILARITY); one version when its history changed nothing of its text."""
    blobs = git(repo, "cat-file", "--batch-check", data="".join(f"{c}:{path}\n" for c, _ in commits))
    seen: dict[str, tuple[str, int]] = {}
    for (commit, when), line in zip(commits, blobs.splitlines(), strict=True):
        blob = line.split()[0]
        if line.endswith("missing") or blob in seen:
            continue
        seen[blob] = (commit, when)
    picked: list[Version] = []
    for blob, (commit, when) in seen.items():
        text = git(repo, "cat-file", "-p", blob)
        if len(body(text).split()) < MIN_WORDS:
            continue
        if all(similarity(body(text), body(v.text)) < MAX_SIMILARITY for v in picked[-1:]):
            picked.append(Version(blog, path, commit, when, text))
    if len(picked) > 3:
        picked = [picked[0], picked[len(picked) // 2], picked[-1]]
    return picked


def stable_order(paths: list[str]) -> list[str]:
    return sorted(paths, key=lambda p: hashlib.sha256(p.encode()).hexdigest())


def sample(posts: int) -> tuple[list[Version], list[str]]:
    """Per blog, `posts` revised posts (two or three versions each) and as many posts of one version, in a
    fixed order (a hash of the path), so that a larger sample holds the smaller one."""
    skip = labelled_paths()
    chosen: list[Version] = []
    said: list[str] = []
    for blog in BLOGS:
        repo = MIRRORS / blog.repo.replace("/", "+") / "repo"
        if not repo.exists():
            said.append(f"{blog.repo}: no mirror at {repo} (fetch github:{blog.repo}); skipped")
            continue
        history = histories(repo, blog.folder)
        revised, single = 0, 0
        for path in stable_order([p for p in history if (blog.repo, p) not in skip]):
            if revised >= posts and single >= posts:
                break
            if len(history[path]) > 1 and revised < posts:
                found = versions_of(repo, blog, path, history[path])
                if len(found) > 1:
                    chosen += found
                    revised += 1
                    continue
                if found and single < posts:  # one text in its history (front matter changed, a stub)
                    chosen += found
                    single += 1
                    continue
            if single < posts:
                commit, when = history[path][-1]
                text = git(repo, "show", f"{commit}:{path}")
                if len(body(text).split()) >= MIN_WORDS:
                    chosen.append(Version(blog, path, commit, when, text))
                    single += 1
        said.append(f"{blog.repo}: {revised} revised posts, {single} posts of one version")
    return chosen, said


def source_name(v: Version) -> str:
    blog = v.blog.repo.split("/")[1]
    return f"{blog}/{v.path.replace('/', '__')}/{v.commit[:10]}{Path(v.path).suffix}"


def write_corpus(versions: list[Version], folder: Path) -> None:
    rows = []
    for v in versions:
        target = folder / source_name(v)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(v.text, encoding="utf-8")
        when = datetime.fromtimestamp(v.time, UTC).isoformat(timespec="seconds")
        rows.append([source_name(v), v.blog.outlet, when])
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["path", "outlet", "published_at"])
        writer.writerows(rows)


def title_of(v: Version) -> str:
    front = split_front_matter(v.text)
    title = (front.fields.get("title") if front is not None else None) or ""
    return str(title) or v.path


def work_of(v: Version) -> str:
    """The post a file is a language of: a Hugo page bundle's translations (`index.es.md`, `index.pt.md`) are
    one post's; any other file is a post of its own."""
    path = PurePosixPath(v.path)
    if _TRANSLATION.fullmatch(path.name):
        return f"{v.blog.repo}:{path.parent}"
    return f"{v.blog.repo}:{v.path}"


def _counts(pairs: list[tuple[bool, bool]]) -> dict[str, float | int]:
    tp = sum(g and f for g, f in pairs)
    fp = sum(f and not g for g, f in pairs)
    fn = sum(g and not f for g, f in pairs)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "linked": tp, "wrong": fp, "missed": fn}


def score(versions: list[Version], story: dict[str, str]) -> dict:
    """Pairwise scores against "same file, same story" over the pairs of documents of one blog, recall by
    the share of text versions kept, and the pairs of posts found in one story (titles, for a reader).

    Two pairs are not counted, and are listed instead: documents of two blogs (a post one blog republished
    from another is what reprint exists to find; the rule "same file" cannot say), and two languages of one
    post (a judgement call: one story, or two)."""
    gold = {source_name(v): f"{v.blog.repo}:{v.path}" for v in versions}
    found = {s: story[s] for s in gold if s in story}
    result: dict = {"documents": len(gold), "stories": len(set(gold.values()))}
    per_blog, every = {}, []
    for blog in BLOGS:
        mine = [v for v in versions if v.blog == blog]
        pairs = []
        for i, a in enumerate(mine):
            for b in mine[i + 1 :]:
                if a.path != b.path and work_of(a) == work_of(b):
                    continue  # two languages of one post
                sa, sb = source_name(a), source_name(b)
                pairs.append((a.path == b.path, sa in found and found.get(sa) == found.get(sb)))
        if mine:
            per_blog[blog.repo] = _counts(pairs)
            every += pairs
    result["scores"] = _counts(every)
    result["blogs"] = per_blog
    by_post: dict[str, list[Version]] = defaultdict(list)
    for v in versions:
        by_post[gold[source_name(v)]].append(v)
    bands = {label: [0, 0] for _, label in BANDS}
    split = []
    for post, vs in sorted(by_post.items()):
        for i in range(len(vs)):
            for j in range(i + 1, len(vs)):
                kept = similarity(body(vs[i].text), body(vs[j].text))
                label = next(label for floor, label in BANDS if kept >= floor)
                same = found.get(source_name(vs[i])) == found.get(source_name(vs[j])) is not None
                bands[label][0] += same
                bands[label][1] += 1
                if not same:
                    split.append(
                        {"post": post, "kept": round(kept, 3), "a": vs[i].commit[:10], "b": vs[j].commit[:10]}
                    )
    result["recall_by_text_kept"] = {k: {"linked": a, "pairs": n} for k, (a, n) in bands.items()}
    result["split_pairs"] = split
    stories: dict[str, list[Version]] = defaultdict(list)
    for v in versions:
        if source_name(v) in found:
            stories[found[source_name(v)]].append(v)
    joined = []
    for members in stories.values():
        posts = sorted({gold[source_name(v)] for v in members})
        if len(posts) > 1:
            kind = (
                "across blogs"
                if len({v.blog.repo for v in members}) > 1
                else "languages of one post"
                if len({work_of(v) for v in members}) == 1
                else "one blog"
            )
            joined.append({"kind": kind, "posts": posts, "titles": sorted({title_of(v) for v in members})})
    result["posts_joined"] = sorted(joined, key=lambda j: (j["kind"], j["posts"]))
    return result


def measure(posts: int, work: Path) -> dict:
    versions, said = sample(posts)
    corpus = work / f"corpus-{posts}"
    write_corpus(versions, corpus)
    seconds = run_reprint([corpus], work / f"warehouse-{posts}")
    out = read_warehouse(work / f"warehouse-{posts}")
    result = score(versions, out.story)
    result |= {"posts_per_blog": posts, "sampled": said, "seconds": round(seconds, 1), "rejects": out.rejects}
    return result


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def render_page(results: dict) -> str:
    lines = [
        "# Revision histories: a judge nobody labelled",
        "",
        "Generated from bench/results/revisions.json by `bench.revisions.render_page` (`make docs`).",
        "What the bench does and why: the docstring of [bench/revisions.py](../bench/revisions.py).",
        "Every version of one post's file is one story, two posts of one blog are two; the versions carry no",
        "URL and are found by their text. Pairs are counted within each blog; posts two blogs share and",
        "languages of one post are listed, not counted.",
        "",
        f"Measured {results['date']} on {results['machine']}, commit {results['commit'][:10]}:",
        f"`{results['command']}`.",
        "",
        "| revised posts per blog | documents | posts | precision | recall | F1 | pairs wrong | pairs missed "
        "| seconds |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in results["runs"]:
        s = run["scores"]
        lines.append(
            f"| {run['posts_per_blog']} | {run['documents']} | {run['stories']} | {s['precision']:.3f} | "
            f"{s['recall']:.3f} | {s['f1']:.3f} | {s['wrong']} | {s['missed']} | {run['seconds']} |"
        )
    for run in results["runs"]:
        lines += ["", f"## {run['posts_per_blog']} revised posts per blog", ""]
        lines += [f"- {s}" for s in run["sampled"]]
        lines += [
            "",
            "| blog | precision | recall | F1 | pairs wrong | pairs missed |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for blog, s in run["blogs"].items():
            lines.append(
                f"| {blog} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['wrong']} | "
                f"{s['missed']} |"
            )
        lines += ["", "Versions of one post linked, by how much of its text the later version kept:", ""]
        lines += ["| text kept | linked | pairs |", "|---|---:|---:|"]
        for band, c in run["recall_by_text_kept"].items():
            lines.append(f"| {band} | {c['linked']} | {c['pairs']} |")
        lines += ["", f"Posts put in one story: {len(run['posts_joined'])}.", ""]
        for j in run["posts_joined"]:
            posts = " / ".join(f"`{p}`" for p in j["posts"])
            lines.append(f"- {j['kind']}: {posts}: " + " / ".join(j["titles"]))
        lines += ["", f"Versions of one post left apart: {len(run['split_pairs'])}.", ""]
        for p in run["split_pairs"]:
            lines.append(f"- `{p['post']}` {p['a']} / {p['b']}: {p['kept']:.0%} of the text kept")
        if run["rejects"]:
            lines += ["", "Rejected inputs:", ""] + [f"- `{s}`: {r}" for s, r in run["rejects"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.revisions", description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[20, 80], help="revised posts per blog")
    parser.add_argument(
        "--work", type=Path, default=None, help="where corpora and warehouses go (a temp dir)"
    )
    parser.add_argument("--json", type=Path, default=RESULTS)
    parser.add_argument("--page", type=Path, default=PAGE)
    opts = parser.parse_args(argv)
    if not any((MIRRORS / b.repo.replace("/", "+") / "repo").exists() for b in BLOGS):
        print(
            f"no blog mirror under {MIRRORS}: fetch them first (see this module's docstring)", file=sys.stderr
        )
        raise SystemExit(2)
    with tempfile.TemporaryDirectory(prefix="revisions-") as tmp:
        work = opts.work or Path(tmp)
        results = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "commit": commit_of(),
            "command": "python -m bench.revisions " + " ".join(argv if argv is not None else sys.argv[1:]),
            "runs": [measure(n, work) for n in opts.posts],
        }
    opts.json.write_text(json.dumps(results, indent=1) + "\n")
    opts.page.write_text(render_page(results))
    print(f"wrote {opts.json} and {opts.page}")
    for run in results["runs"]:
        s = run["scores"]
        size = f"{run['posts_per_blog']} posts/blog, {run['documents']} documents"
        print(f"{size}: P {s['precision']:.3f} R {s['recall']:.3f}")
    return results


if __name__ == "__main__":
    main()
