"""The L3S-GN1 benchmark's scoring on an annotated page written for this test (none of the data set's)."""

from pathlib import Path

from bench.l3s_gn1 import (
    Tally,
    fold_of,
    half_of,
    main,
    match_paragraph,
    paragraph_class,
    read_annotated,
    site_of,
)

# An annotated page in the data set's form: each text block in a span of class x-nc-selN (0 not content,
# 1 headline, 2 full text, 3 supplemental, 4 related, 5 comments); a script's text is no text.
PAGE = """<html><head><title>The Ferry Gazette</title><script>var x = "Home";</script></head><body>
<div><span class="x-nc-sel0">Home</span> | <span class="x-nc-sel0">Sport</span> | <span class="x-nc-sel0">
Weather</span></div>
<h1><span class="x-nc-sel1">Ferry service to resume on Monday</span></h1>
<p><span class="x-nc-sel2">The island ferry will sail again on Monday after three weeks in dry dock,
the operator said.</span></p>
<p><span class="x-nc-sel2">Repairs to the hull cost more than expected, a spokeswoman said, but <b>no
sailings</b> will be cut this summer.</span></p>
<p><span class="x-nc-sel3">The ferry leaving the harbour last spring.</span></p>
<ul><li><span class="x-nc-sel4">Bridge plan goes to council</span></li></ul>
<div><span class="x-nc-sel5">Great news for the island, about time too!</span></div>
<div>Copyright 2008 The Ferry Gazette. All rights reserved.</div>
</body></html>"""


def test_read_annotated_labels_each_word_and_skips_scripts():
    page = read_annotated(PAGE)
    assert "Home|Sport|Weather" in page.chars
    assert "var x" not in page.chars
    labels = {}  # each word's label at its first place on the page
    for k, word in enumerate(page.words()):
        labels.setdefault(word, page.word_label(k))
    assert labels["Ferry"] == 1 and labels["dry"] == 2 and labels["harbour"] == 3
    assert labels["council"] == 4 and labels["island,"] == 5
    assert labels["Copyright"] is None  # in no span: not content
    assert labels["sailings"] == 2  # inside <b> inside the full-text span


def test_paragraph_found_with_white_space_folded_takes_its_words_labels():
    page = read_annotated(PAGE)
    found, _ = match_paragraph(
        page,
        "Repairs to the hull cost more than expected, a spokeswoman said, but no sailings"
        " will be cut this summer.",
    )
    assert found is not None and set(found.labels) == {2}
    assert paragraph_class(found.labels) == "content"
    chrome, _ = match_paragraph(page, "Home | Sport | Weather")
    assert paragraph_class(chrome.labels) == "boilerplate"
    caption, _ = match_paragraph(page, "The ferry leaving the harbour last spring.")
    assert paragraph_class(caption.labels) == "unscored"
    assert match_paragraph(page, "A paragraph this page never printed at all, not one word of it.")[0] is None


def test_a_mended_word_is_still_found_word_by_word():
    page = read_annotated(PAGE)
    found, _ = match_paragraph(
        page, "The island ferry will sail again on Monday after three weeks in drydock, the operator said."
    )
    assert found is not None and paragraph_class(found.labels) == "content"


def test_tally_scores_flags_and_extraction():
    page = read_annotated(PAGE)
    tally = Tally()
    kept = [
        ("Home | Sport | Weather", False),  # chrome the flags missed
        ("Ferry service to resume on Monday", False),
        (
            "The island ferry will sail again on Monday after three weeks in dry dock, the operator said.",
            True,
        ),
        ("Great news for the island, about time too!", True),  # a comment, flagged
        ("Copyright 2008 The Ferry Gazette. All rights reserved.", True),
    ]
    tally.add_page(page, kept)
    tally.add_page(page, None)
    s = tally.summary()
    assert s["pages"] == 2 and s["pages_rejected"] == 1
    assert s["boilerplate"]["gold"] == 3 and s["boilerplate"]["missed"] == 1
    assert s["boilerplate"]["content_flagged"] == 1
    assert s["boilerplate"]["precision"] == round(2 / 3, 4) and s["boilerplate"]["recall"] == round(2 / 3, 4)
    # full text: 17 + 19 words a page, two pages; 17 kept (the second paragraph is not, nor the rejected page)
    assert s["full_text_kept"] == round(17 / 72, 4)
    # kept words 5 ("|" is a word) + 6 + 17 + 8 + 8; boilerplate 5 + 8 + 8; unflagged 5 + 6, 5 boilerplate
    assert s["kept_chrome_share"] == round(21 / 44, 4)
    assert s["unflagged_chrome_share"] == round(5 / 11, 4)


def test_sites_split_by_registered_domain():
    assert (
        site_of("http://news.bbc.co.uk/2/hi/uk_news/1.stm")
        == site_of("http://www.bbc.co.uk/x")
        == "bbc.co.uk"
    )
    assert site_of("http://www.smh.com.au/news/a.html") == "smh.com.au"
    assert site_of("http://sports.example.com/a") == "example.com"
    assert half_of("bbc.co.uk") == half_of("bbc.co.uk") in ("dev", "test")


def test_skips_cleanly_without_the_mirror(tmp_path: Path, capsys):
    assert main(["--mirrors", str(tmp_path), "--out", str(tmp_path / "out.json")]) == 0
    assert "skipped" in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()


def test_stories_of_several_pages_are_counted_and_those_of_one_site_apart():
    from bench.l3s_gn1 import stories_joined

    pages = [
        ("a", "u", "wire.example"),
        ("b", "u", "paper.example"),
        ("c", "u", "cms.example"),
        ("d", "u", "cms.example"),
    ]
    story = {
        "a.html": "s1",
        "b.html": "s1",
        "c.html": "s2",
        "d.html": "s2",
        "other.html": "s2",
        "e.html": "s3",
    }
    assert stories_joined(story, pages) == {"stories": 2, "one_site": 1}
    assert stories_joined({"a.html": "s1", "b.html": "s2"}, pages) == {"stories": 0, "one_site": 0}


def test_only_the_dev_half_is_run_and_scored_when_asked(tmp_path: Path, monkeypatch):
    import bench.l3s_gn1 as l3s
    from bench.quality import Warehouse

    halves = {
        "dev": [("d1", "http://dev.example/1", "dev.example")],
        "test": [("t1", "http://t.example/1", "t.example")],
    }
    monkeypatch.setattr(l3s, "load_pages", lambda mirrors: halves)
    monkeypatch.setattr(l3s, "read_page", lambda where, kind, uuid: PAGE.encode())
    written = []

    def run(inputs, warehouse):
        written.extend(sorted(p.name for p in inputs[0].glob("*.html")))
        return 0.0

    monkeypatch.setattr(l3s, "run_reprint", run)
    stored = [("d1.html", 0, "Ferry service to resume on Monday", False)]
    monkeypatch.setattr(l3s, "read_warehouse", lambda w: Warehouse({"d1.html": "s"}, {}, stored, {}, []))
    result = l3s.measure(tmp_path, keep=tmp_path / "run", only="dev")
    # The test half's pages are not even written into the corpus the run reads.
    assert written == ["d1.html"]
    assert set(result) == {"seconds", "dev"} and result["dev"]["paragraphs_content"] == 1
    written.clear()
    assert set(l3s.measure(tmp_path, keep=tmp_path / "both")) == {"seconds", "dev", "test"}
    assert written == ["d1.html", "t1.html"]


def test_the_dev_half_is_scored_fold_by_fold_by_site(tmp_path: Path, monkeypatch):
    import bench.l3s_gn1 as l3s
    from bench.quality import Warehouse

    sites = [f"site{k}.example" for k in range(40)]
    # Each site has one fold, the same at every call; the folds are not the halves over again.
    assert all(fold_of(site, 3) == fold_of(site, 3) in (0, 1, 2) for site in sites)
    assert len({fold_of(site, 3) for site in sites}) == 3
    assert {(half_of(site), fold_of(site, 2)) for site in sites} == {
        (h, f) for h in ("dev", "test") for f in (0, 1)
    }
    # Two pages of one site score in one fold; a fold's figures count its pages only.
    halves = {"dev": [(f"d{k}", f"http://{sites[k % 3]}/{k}", sites[k % 3]) for k in range(6)], "test": []}
    monkeypatch.setattr(l3s, "load_pages", lambda mirrors: halves)
    monkeypatch.setattr(l3s, "read_page", lambda where, kind, uuid: PAGE.encode())
    monkeypatch.setattr(l3s, "run_reprint", lambda inputs, warehouse: 0.0)
    stored = [
        (f"d{k}.html", 0, "Copyright 2008 The Ferry Gazette. All rights reserved.", k == 0) for k in range(6)
    ]
    story = {f"d{k}.html": "s" for k in range(6)}
    monkeypatch.setattr(l3s, "read_warehouse", lambda w: Warehouse(story, {}, stored, {}, []))
    result = l3s.measure(tmp_path, keep=tmp_path / "run", only="dev", folds=3)["dev"]
    folds = result["folds"]
    assert sum(f["pages"] for f in folds) == 6
    expected = [sum(fold_of(sites[k % 3], 3) == f for k in range(6)) for f in range(3)]
    assert [f["pages"] for f in folds] == expected
    # The one page whose line is flagged counts in its site's fold alone.
    found = [f["boilerplate"]["flagged"] for f in folds]
    assert found[fold_of(sites[0], 3)] == 1 and sum(found) == 1
