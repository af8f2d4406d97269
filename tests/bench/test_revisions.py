"""The revision-history judge: posts sampled from a blog's git history with their versions, scored against
"same file, same story"; a git repository written for the test stands for a fetched mirror."""

import subprocess
from pathlib import Path

import pytest

import bench.revisions as revisions
from bench.revisions import Blog

HARBOUR = (
    "The harbour board voted on Tuesday to close the north pier for repairs from March, after divers found "
    "cracks in three of its piles.\n\nFerries will use the south pier until the work ends in the autumn."
)
MARKET = (
    "The farmers' market moves to the town square on Saturdays from June, the council said on Monday, after "
    "traders asked for more room and better parking than the old car park behind the library could give them."
)
FLOOD = (
    "Flood barriers along the river walk will be tested on Sunday morning; the path closes from 7 a.m. until "
    "noon, and walkers are asked to use the upper road while crews raise and lower each of the twelve gates."
)


def _commit(repo: Path, files: dict[str, str], when: int) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    env = {"GIT_AUTHOR_DATE": f"{when} +0000", "GIT_COMMITTER_DATE": f"{when} +0000"}
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "post"],
        cwd=repo,
        check=True,
        env={**env, "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def blog(tmp_path, monkeypatch) -> Blog:
    work = tmp_path / "work"
    work.mkdir()
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    front = "---\ntitle: {}\n---\n\n"
    _commit(work, {"posts/harbour.md": front.format("Pier closes") + HARBOUR}, 1_700_000_000)
    _commit(work, {"posts/market.md": front.format("Market moves") + MARKET}, 1_700_100_000)
    # A revision (a sentence added), a front-matter-only change (the same text: not a version), a new post.
    _commit(
        work,
        {"posts/harbour.md": front.format("Pier closes") + HARBOUR + "\n\nThe board meets again in May."},
        1_700_200_000,
    )
    _commit(work, {"posts/market.md": front.format("Market moves to the square") + MARKET}, 1_700_300_000)
    _commit(work, {"posts/flood.md": front.format("Barrier test") + FLOOD}, 1_700_400_000)
    # A post and its translation in a page bundle; then the post emptied to a stub (no text to judge).
    _commit(
        work,
        {
            "posts/bridge/index.md": front.format("Bridge") + MARKET,
            "posts/bridge/index.es.md": front.format("Puente") + MARKET,
        },
        1_700_500_000,
    )
    _commit(work, {"posts/bridge/index.md": front.format("Bridge") + "Moved."}, 1_700_600_000)
    mirrors = tmp_path / "mirror"
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(work), str(mirrors / "town+blog" / "repo")], check=True
    )
    town = Blog("town/blog", "posts/", "Town Blog", "CC0-1.0")
    monkeypatch.setattr(revisions, "MIRRORS", mirrors)
    monkeypatch.setattr(revisions, "BLOGS", (town, Blog("absent/blog", "posts/", "Absent", "-")))
    monkeypatch.setattr(revisions, "labelled_paths", lambda: set())
    return town


def test_a_sample_holds_each_revised_posts_differing_versions_and_says_what_it_skipped(blog):
    versions, said = revisions.sample(posts=5)
    by_path = {}
    for v in versions:
        by_path.setdefault(v.path, []).append(v)
    assert len(by_path["posts/harbour.md"]) == 2  # two texts
    assert len(by_path["posts/market.md"]) == 1  # its revision changed the front matter only
    assert len(by_path["posts/flood.md"]) == 1
    assert len(by_path["posts/bridge/index.md"]) == 1  # its stub is no version
    assert by_path["posts/harbour.md"][0].text.endswith(HARBOUR)
    assert by_path["posts/harbour.md"][1].text.endswith("The board meets again in May.")
    assert said == [
        "town/blog: 1 revised posts, 4 posts of one version",
        f"absent/blog: no mirror at {revisions.MIRRORS / 'absent+blog' / 'repo'} "
        "(fetch github:absent/blog); skipped",
    ]


def test_the_score_counts_versions_left_apart_and_posts_put_together(blog, tmp_path):
    versions, _ = revisions.sample(posts=5)
    names = [revisions.source_name(v) for v in versions]
    harbour = [n for n, v in zip(names, versions, strict=True) if v.path == "posts/harbour.md"]
    market = next(n for n, v in zip(names, versions, strict=True) if v.path == "posts/market.md")
    flood = next(n for n, v in zip(names, versions, strict=True) if v.path == "posts/flood.md")
    bridge = [n for n, v in zip(names, versions, strict=True) if v.path.startswith("posts/bridge/")]
    # reprint's stories: the harbour post's versions apart, the market and flood posts one story, the two
    # languages of the bridge post one story (not counted either way).
    found = {harbour[0]: "s1", harbour[1]: "s2", market: "s3", flood: "s3", bridge[0]: "s4", bridge[1]: "s4"}
    result = revisions.score(versions, found)
    assert result["documents"] == 6 and result["stories"] == 5
    assert result["scores"]["precision"] == 0.0 and result["scores"]["recall"] == 0.0
    assert result["scores"]["wrong"] == 1 and result["scores"]["missed"] == 1
    assert [p["post"] for p in result["split_pairs"]] == ["town/blog:posts/harbour.md"]
    assert (
        result["recall_by_text_kept"]["kept 50-90%"]["pairs"]
        + result["recall_by_text_kept"]["kept 90% or more"]["pairs"]
        == 1
    )
    assert result["posts_joined"] == [
        {
            "kind": "languages of one post",
            "posts": ["town/blog:posts/bridge/index.es.md", "town/blog:posts/bridge/index.md"],
            "titles": ["Bridge", "Puente"],
        },
        {
            "kind": "one blog",
            "posts": ["town/blog:posts/flood.md", "town/blog:posts/market.md"],
            "titles": ["Barrier test", "Market moves"],  # the first of its versions with one text
        },
    ]
    revisions.write_corpus(versions, tmp_path / "corpus")
    assert sorted(p.name for p in (tmp_path / "corpus").rglob("*.md") if p.is_file()) == sorted(
        Path(n).name for n in names
    )
    assert (tmp_path / "corpus" / "manifest.csv").read_text().count("Town Blog") == 6
