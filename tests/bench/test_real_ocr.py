"""One story cut out of an OCR'd newspaper page by its lines (bench/real/ocr.py): authored page text, not the
corpus's."""

import hashlib
import subprocess

import pytest

from bench.real import assemble, ocr

PAGE = (
    b"THE DAILY EXAMPLE\n"
    b"HARBOUR MASTER\n"
    b"FINED FOR TOLLS\n"
    b"Truro, May 3. A harbour mas\n"
    b"ter was fined today for keep\n"
    b"ing tolls.\n"
    b"(Continued on Page Two.)\n"
    b"GRAIN PRICES FALL\n"
)


def test_a_cut_keeps_the_lines_named_as_the_ocr_gave_them():
    assert ocr.cut(PAGE, 2, 7) == (
        "HARBOUR MASTER\nFINED FOR TOLLS\nTruro, May 3. A harbour mas\nter was fined today for keep\n"
        "ing tolls.\n(Continued on Page Two.)\n"
    )


@pytest.mark.parametrize("first, last", [(0, 3), (5, 4), (7, 9)])
def test_lines_not_on_the_page_are_refused(first, last):
    with pytest.raises(ocr.CutError):
        ocr.cut(PAGE, first, last)


def test_assemble_cuts_a_story_out_of_a_page_and_checks_its_sha256(tmp_path):
    repo = tmp_path / "mirrors" / "someone+pages" / "repo"
    repo.mkdir(parents=True)
    (repo / "page.txt").write_bytes(PAGE)
    for args in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "p"],
    ):
        subprocess.run(["git", *args], cwd=repo, check=True)
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True
    ).stdout.strip()
    story = ocr.cut(PAGE, 2, 6).encode()
    sources, manifest = tmp_path / "sources.toml", tmp_path / "manifest.csv"
    manifest.write_text("path,outlet,url,published_at,title\n")
    entry = (
        f'[[file]]\nname = "ocr/harbour.txt"\nrepo = "someone/pages"\ncommit = "{commit}"\n'
        'path = "page.txt"\nlines = [2, 6]\nsha256 = "{}"\n'
    )
    sources.write_text(entry.format(hashlib.sha256(story).hexdigest()))
    corpus = tmp_path / "corpus"
    assert assemble.assemble(tmp_path / "mirrors", corpus, sources, manifest) == 1
    assert (corpus / "ocr" / "harbour.txt").read_bytes() == story
    sources.write_text(entry.format(hashlib.sha256(PAGE).hexdigest()))  # the page's digest, not the cut's
    with pytest.raises(assemble.AssembleError, match="sha256"):
        assemble.assemble(tmp_path / "mirrors", corpus, sources, manifest)
