"""METER-style wire copy and newspaper stories written as plain text (bench/real/meter.py), chosen by the
parts' selection rule and assembled from a mirror (bench/real/assemble.py): authored text, not the
corpus's."""

import hashlib
import subprocess

import pytest

from bench.real import assemble, meter

RULE = "  " + "-" * 72
PA = (
    f"{RULE}\n\n{RULE}\n\n"
    "           09:05 03/05/00: Page 1 (HHH) COURTS Harbour\n"
    f"{RULE}\n"
    "(with pic)<\n"
    "\x19HARBOUR MASTER FINED OVER #2,000 TOLLS<\n"
    "\x19By A Reporter, PA News<\n"
    "\x19A harbour master was today fined for keeping tolls he took from\n"
    "visiting yachts.<\n"
    "\x19He admitted the charge at Truro Crown Court. <\n"
    "\x19mfl<\n"
    "\x19\n"
).encode("latin-1")


def test_pa_copy_loses_its_header_and_marks_and_keeps_its_words():
    assert meter.slug(PA) == "09:05 03/05/00: Page 1 (HHH) COURTS Harbour"
    assert meter.render_pa(PA) == (
        "(with pic)\n\n"
        "HARBOUR MASTER FINED OVER #2,000 TOLLS\n\n"
        "By A Reporter, PA News\n\n"
        "A harbour master was today fined for keeping tolls he took from\nvisiting yachts.\n\n"
        "He admitted the charge at Truro Crown Court.\n\n"
        "mfl\n"
    )
    assert meter.headline(PA) == "HARBOUR MASTER FINED OVER #2,000 TOLLS"


def test_a_desk_note_run_into_the_headline_is_not_the_headline():
    raw = f"{RULE}\n(Corrected repetition: par 2\nnow reads) SHIP SEIZED<\n\x19Text.<\n".encode("latin-1")
    assert meter.pa_paragraphs(raw)[0] == "(Corrected repetition: par 2\nnow reads) SHIP SEIZED"
    assert meter.headline(raw) == "SHIP SEIZED"


def test_a_newspaper_story_is_its_latin1_text():
    raw = "A harbour master was fined \xa3500 yesterday.\n\nHe kept the tolls.\n".encode("latin-1")
    assert meter.render_newspaper(raw) == "A harbour master was fined £500 yesterday.\n\nHe kept the tolls.\n"


def test_the_manifest_dates_pa_copy_by_its_slug_and_papers_the_next_day():
    assert meter.manifest_row("meter-pa", "meter/03.05.00/harbour/harbour1.txt", PA) == (
        "meter/03.05.00/harbour/harbour1.txt",
        "Press Association",
        "",
        "2000-05-03T09:05:00",
        "HARBOUR MASTER FINED OVER #2,000 TOLLS",
    )
    row = meter.manifest_row("meter-newspaper", "meter/31.12.99/harbour/harbour12_times.txt", b"x")
    assert row == ("meter/31.12.99/harbour/harbour12_times.txt", "The Times", "", "2000-01-01", "")


def test_the_selection_takes_page_one_and_its_versions_and_every_paper_story_of_a_catchline():
    pa, np = f"{meter.ROOT}/PA/rawtexts/courts", f"{meter.ROOT}/newspapers/rawtexts/courts"
    paths = [
        f"{pa}/03.05.00/harbour/harbour1.txt",
        f"{pa}/03.05.00/harbour/harbour1sub.txt",
        f"{pa}/03.05.00/harbour/harbour2.txt",  # page 2: the rest of the copy, left out
        f"{pa}/03.05.00/.DS_Store",
        f"{np}/03.05.00/harbour/harbour12_times.txt",
        f"{pa}/03.05.00/anchor/anchor1.txt",
        f"{pa}/04.05.00/rope/rope1.txt",  # another day
        f"{meter.ROOT}/PA/rawtexts/showbiz/03.05.00/star/star1.txt",  # another domain
    ]
    chosen = meter.selection(paths, days=("03.05.00",))
    assert [(key, kind, name) for key, kind, _, name in chosen] == [
        ("03.05.00/anchor", "meter-pa", "meter/03.05.00/anchor/anchor1.txt"),
        ("03.05.00/harbour", "meter-pa", "meter/03.05.00/harbour/harbour1.txt"),
        ("03.05.00/harbour", "meter-pa", "meter/03.05.00/harbour/harbour1sub.txt"),
        ("03.05.00/harbour", "meter-newspaper", "meter/03.05.00/harbour/harbour12_times.txt"),
    ]


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode, reason="no git")
def test_assemble_writes_a_pa_file_as_rendered_and_checks_its_sha256(tmp_path):
    repo = tmp_path / "mirrors" / "someone+meter" / "repo"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q")
    (repo / "harbour1.txt").write_bytes(PA)
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "copy")
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True
    ).stdout.strip()
    text = meter.render_pa(PA).encode()
    sources = tmp_path / "sources.toml"
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,outlet,url,published_at,title\n")
    entry = (
        f'[[file]]\nname = "meter/h1.txt"\nrepo = "someone/meter"\ncommit = "{commit}"\n'
        'path = "harbour1.txt"\n'
        'render = "meter-pa"\nsha256 = "{}"\n'
    )
    sources.write_text(entry.format(hashlib.sha256(text).hexdigest()))
    corpus = tmp_path / "corpus"
    assert assemble.assemble(tmp_path / "mirrors", corpus, sources, manifest) == 1
    assert (corpus / "meter" / "h1.txt").read_bytes() == text
    sources.write_text(
        entry.format(hashlib.sha256(PA).hexdigest())
    )  # the raw file's digest: not the one labelled
    with pytest.raises(assemble.AssembleError, match="sha256"):
        assemble.assemble(tmp_path / "mirrors", corpus, sources, manifest)
