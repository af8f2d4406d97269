"""Wire stories cut out of a Reuters-21578-style SGML file (bench/real/wire.py) and assembled from a mirror by
their NEWID (bench/real/assemble.py): authored SGML, not the collection's."""

import hashlib
import subprocess

import pytest

from bench.real import assemble, wire

SGML = b"""<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="1" NEWID="7">
<DATE> 3-MAR-1987 11:05:14.21</DATE>
<TOPICS></TOPICS>
<TEXT>&#2;
<TITLE>HARBOUR BOARD SETS NEW TOLLS &amp; FEES</TITLE>
<DATELINE>    KINGSTON, March 3 - </DATELINE><BODY>The harbour board said it would raise its
tolls by four pct from April 1.
    The rise is the first in two years, the board said, and
follows a 12 pct rise in its costs.
    Shipping lines said they would pass the rise on.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="2" NEWID="8">
<DATE> 3-MAR-1987 11:09:00.00</DATE>
<TEXT TYPE="BRIEF">&#2;
<TITLE>HARBOUR BOARD TOLLS UP</TITLE>
&#3;</TEXT>
</REUTERS>
"""


def test_a_wire_story_is_cut_into_headline_and_paragraphs_with_its_date():
    stories = wire.articles(SGML)
    assert set(stories) == {7, 8}
    story = stories[7]
    assert story["date"].isoformat() == "1987-03-03T11:05:14"
    assert wire.render(story) == (
        "HARBOUR BOARD SETS NEW TOLLS & FEES\n\n"
        "KINGSTON, March 3 - The harbour board said it would raise its\ntolls by four pct from April 1.\n\n"
        "The rise is the first in two years, the board said, and\nfollows a 12 pct rise in its costs.\n\n"
        "Shipping lines said they would pass the rise on.\n\n"
        "Reuter\n"
    )
    assert stories[8]["body"] == ""  # a headline-only brief has no body


def test_the_selection_pairs_like_headlines_within_a_week_without_the_wires_tags():
    words = wire.title_words("CORRECTED - ACME <ACM> 4TH QTR NET")
    assert {"ACME", "ACM", "QTR", "NET"} <= words and "CORRECTED" not in words
    base = {"date": wire.articles(SGML)[7]["date"], "body": "text"}
    stories = {
        1: base | {"title": "HARBOUR BOARD SETS NEW TOLLS"},
        2: base | {"title": "UPDATE - HARBOUR BOARD SETS NEW TOLLS"},
        3: base | {"title": "MINERS VOTE TO END STRIKE"},
    }
    assert wire.candidates(stories) == [(1.0, 1, 2)]


@pytest.fixture
def mirror(tmp_path):
    repo = tmp_path / "mirrors" / "wire+collection" / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "reut2-000.sgm").write_bytes(SGML)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "sgml"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout
    return tmp_path, commit.strip()


def test_assemble_cuts_the_article_an_entry_names_and_checks_its_sha256(mirror):
    tmp, commit = mirror
    text = wire.render(wire.articles(SGML)[7]).encode()
    entry = "\n".join(
        [
            'name = "wire/reuters-7.txt"',
            'repo = "wire/collection"',
            f'commit = "{commit}"',
            'path = "reut2-000.sgm"',
            "",
        ]
    )
    sources = tmp / "sources.toml"
    sources.write_text(f'[[file]]\n{entry}article = 7\nsha256 = "{hashlib.sha256(text).hexdigest()}"\n')
    manifest = tmp / "manifest.csv"
    manifest.write_text("path,outlet\nwire/reuters-7.txt,Reuters\n")
    corpus = tmp / "corpus"
    assert assemble.assemble(tmp / "mirrors", corpus, sources, manifest) == 1
    assert (corpus / "wire" / "reuters-7.txt").read_bytes() == text
    sources.write_text(f'[[file]]\n{entry}article = 9\nsha256 = "{hashlib.sha256(text).hexdigest()}"\n')
    with pytest.raises(assemble.AssembleError, match="no article NEWID=9"):
        assemble.assemble(tmp / "mirrors", corpus, sources, manifest)
