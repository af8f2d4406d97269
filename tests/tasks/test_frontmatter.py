"""A Markdown file's front matter is its metadata, never its text (tasks/frontmatter.py, tasks/ingest.py)."""

from datetime import date

from tasks.frontmatter import split_front_matter
from tasks.ingest import discover_inputs, read_inputs
from tasks.prepare import prepare_documents

# Jekyll front matter with blank lines inside the YAML (each used to become a body paragraph).
JEKYLL = """---
title: "How a sprint moved an agency forward"
date: 2015-09-09
authors:
- jtag
- mollie

tags:
- agile

excerpt: "At the agency we experiment with ways to build digital services."
---

At the agency we experiment with ways to build digital services, and the sprint was one.

## Background

The division enforces labour laws across the country.
"""

HUGO_TOML = """+++
date = 2022-04-07
title = "Announcing Gadget 1.60.0"
author = "The Gadget Release Team"
+++

The Gadget team is happy to announce a new version.
"""

HUGO_AUTHORS = """---
title:  "Gadget 1.16.2 Release Announcement"
date: "2023-05-25T13:00:00.000Z"
authors:
- reswqa:
  name: "Wei Guo"
  twitter: "wguo"
---
The community is pleased to announce the second bug fix release.
"""


def test_yaml_and_toml_front_matter_give_title_date_authors_and_the_body_after_them():
    front = split_front_matter(JEKYLL)
    assert front.fields == {
        "title": "How a sprint moved an agency forward",
        "published_at": "2015-09-09",
        "author": "jtag, mollie",
        "day": "2015-09-09",
    }
    assert front.body.startswith("At the agency we experiment") and "excerpt" not in front.body
    toml = split_front_matter(HUGO_TOML)
    assert toml.fields["author"] == "The Gadget Release Team" and toml.fields["published_at"] == "2022-04-07"
    assert split_front_matter(HUGO_AUTHORS).fields["author"] == "Wei Guo"


def test_a_horizontal_rule_or_an_unclosed_block_is_no_front_matter():
    assert split_front_matter("---\nA first paragraph under a rule.\n\n---\n\nMore text.") is None
    assert split_front_matter("---\ntitle: never closed\n\nText.") is None
    assert split_front_matter("Text first.\n---\ntitle: x\n---\n") is None


def test_a_broken_block_meant_as_front_matter_is_left_out_with_a_warning():
    front = split_front_matter('---\ntitle: "unclosed quote\ndate: [2020\n---\n\nThe body.')
    assert front.body == "The body." and front.fields == {}
    assert "could not be read" in front.warning


def test_a_broken_block_opening_with_a_comment_is_front_matter_too():
    # A site's template opens every post's block with a comment (Digital.gov's "# Originally published at the
    # following URL"); with one value YAML cannot read, the block was taken for text and printed as the
    # post's first paragraph (found by bench.revisions, issue 12). Written for the test.
    text = (
        "---\n# Where the post first appeared\nsource_url: https://agency.example/blog/x\n"
        'title: "Harbour data, opened"\nsummary: **Bold** words YAML reads as an alias\n---\n\nThe body.'
    )
    front = split_front_matter(text)
    assert front.body == "The body." and front.fields["title"] == "Harbour data, opened"
    assert "summary field was not used" in front.warning
    # A rule followed by a comment-like line and prose is still no front matter.
    assert split_front_matter("---\n# A heading\nA first paragraph.\n\n---\n\nMore.") is None


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_a_markdown_files_front_matter_is_metadata_and_no_paragraph(tmp_path):
    write(tmp_path / "blog" / "sprint.md", JEKYLL)
    write(tmp_path / "blog" / "notes.txt", JEKYLL)  # only Markdown files have front matter
    write(tmp_path / "wire" / "release.md", HUGO_TOML)
    write(tmp_path / "wire" / "manifest.csv", "path,title\nrelease.md,The manifest's title\n")
    items, rejects = discover_inputs([tmp_path])
    docs, more = read_inputs(items)
    by = {d.source: d for d in docs}
    sprint = by["blog/sprint.md"]
    assert (sprint.title, str(sprint.published_at), sprint.author) == (
        "How a sprint moved an agency forward",
        "2015-09-09 00:00:00",
        "jtag, mollie",
    )
    assert by["wire/release.md"].title == "The manifest's title"  # a manifest wins
    assert by["blog/notes.txt"].title is None and by["blog/notes.txt"].text.startswith("---")
    docs_table, paras = prepare_documents([sprint])
    texts = paras.column("text").to_pylist()
    # No piece of the YAML is a paragraph, and the body's first paragraph is body, not a title.
    assert texts[0].startswith("At the agency we experiment") and not any("excerpt" in t for t in texts)
    assert docs_table.column("title").to_pylist() == ["How a sprint moved an agency forward"]
    assert rejects == [] and more == []


def test_an_unreadable_front_matter_is_a_warning_and_the_document_is_ingested(tmp_path):
    write(tmp_path / "post.md", '---\ntitle: "unclosed\ndate: [2020\n---\n\nThe body of the post.')
    items, _ = discover_inputs([tmp_path])
    docs, rejects = read_inputs(items)
    assert docs[0].text == "The body of the post."
    assert [(r.source, r.severity) for r in rejects] == [("post.md", "warning")]
    assert "front matter could not be read" in rejects[0].reason


def test_one_unreadable_yaml_value_leaves_the_others_read():
    # The shape of a real post (Open Life Science's convening draft): a photo credit `*rboed*` reads as a YAML
    # alias and breaks the block; its title, authors and date are readable and a person sees them.
    block = (
        '---\nlayout: post\ntitle: "From Surviving to Thriving"\nauthors:\n- Kari L. Jordan\n- Erin Becker\n'
        "date: 2024-05-02\nphotos:\n  name: *rboed*\n  license: CC-BY 2.0\n---\n\nThe body."
    )
    front = split_front_matter(block)
    assert front.body == "The body."
    assert front.fields == {
        "title": "From Surviving to Thriving",
        "published_at": "2024-05-02",
        "author": "Kari L. Jordan, Erin Becker",
        "day": "2024-05-02",
    }
    assert "its photos field was not used" in front.warning


NEWSLETTER = """---
title: "Weekly 42"
---
# Weekly 42

Welcome to the weekly digest of the garden club.
<!-- Events go here, one line each -->
The spring fair opens on May 4 at the town hall.

<!--
The plant swap is postponed.

Ask Maria for the new date.
-->

Seedlings are <!-- TODO: price --> free for members.

```html
<!-- a comment shown as code -->
```
"""


def test_a_markdown_files_html_comments_are_not_its_text(tmp_path):
    # A page never shows an HTML comment: an editor's placeholder in a newsletter's template, a passage taken
    # out of the page across paragraphs. A code block shows it literally; a plain text file has no markup.
    write(tmp_path / "club" / "weekly-42.md", NEWSLETTER)
    write(tmp_path / "club" / "weekly-42.txt", NEWSLETTER)
    docs, _ = read_inputs(discover_inputs([tmp_path])[0])
    by = {d.source: d for d in docs}
    _, paras = prepare_documents([by["club/weekly-42.md"]])
    texts = paras.column("text").to_pylist()
    assert not any("go here" in t or "swap" in t or "Maria" in t or "TODO" in t for t in texts)
    # The comment between two lines was a block of its own: the lines around it are two paragraphs.
    assert "Welcome to the weekly digest of the garden club." in texts
    assert "The spring fair opens on May 4 at the town hall." in texts
    assert any(t.startswith("Seedlings are") and t.endswith("free for members.") for t in texts)
    assert any("<!-- a comment shown as code -->" in t for t in texts)
    assert "Maria" in by["club/weekly-42.txt"].text


def test_the_page_address_is_the_permalink_or_the_slug_under_its_day():
    def address(block: str) -> str | None:
        return split_front_matter(f"---\n{block}\n---\n\nThe body.").fields.get("page")

    # A Hugo blog builds /blog/:year/:month/:day/:slug/ from these: the day as written, not shifted to UTC.
    assert address("slug: harbour-closing\ndate: '2026-02-23'") == "2026-02-23/harbour-closing"
    assert address("slug: harbour-closing\ndate: 2026-02-23 23:30:00-05:00") == "2026-02-23/harbour-closing"
    assert address("slug: harbour-closing\ndate: October 7, 2025") == "2025-10-07/harbour-closing"
    # An explicit address wins; a permalink pattern with placeholders is no address.
    assert (
        address("permalink: /blog/harbour-closing.html/\nslug: x\ndate: 2026-01-01")
        == "/blog/harbour-closing.html"
    )
    assert address("url: /blog/harbour-closing.html") == "/blog/harbour-closing.html"
    # Zola's (and Gatsby's) `path` is the page's address, its day in its folders (ingest-11); a `path` naming
    # an image or a source file is not.
    zola = '+++\npath = "inside-harbour/2025/08/20/harbour-closing"\ntitle = "Closing"\n+++\n\nThe body.'
    assert split_front_matter(zola).fields.get("page") == "inside-harbour/2025/08/20/harbour-closing"
    # The page's day is its date's, as written (ingest-11), with or without a slug.
    assert split_front_matter("+++\ndate = 2023-08-30\n+++\n\nBody.").fields.get("day") == "2023-08-30"
    assert address("path: images/harbour.png\nslug: harbour\ndate: 2026-01-01") == "2026-01-01/harbour"
    assert address("permalink: /:year/:title/\nslug: harbour\ndate: 2026-01-01") == "2026-01-01/harbour"
    # A slug without a date, or a date alone, names no page.
    assert address("slug: harbour-closing") is None
    assert address("title: Harbour closing\ndate: 2026-02-23") is None
    assert split_front_matter(HUGO_TOML).fields.get("page") is None


def test_a_moved_pages_former_addresses_are_its_aliases():
    zola = '+++\npath = "2025/10/16/harbour-closing"\naliases = ["2025/10/16/harbor-closing/"]\n+++\n\nBody.'
    assert split_front_matter(zola).fields.get("aliases") == "2025/10/16/harbor-closing"
    jekyll = "---\nredirect_from:\n  - /old/harbour.html\n  - https://other.example/x\n---\n\nBody."
    assert split_front_matter(jekyll).fields.get("aliases") == "/old/harbour.html"
    assert "aliases" not in split_front_matter("---\ntitle: Harbour\n---\n\nBody.").fields


def test_a_draft_and_its_post_store_the_address_their_front_matter_gives(tmp_path):
    post = (
        "---\nslug: harbour-closing\ntitle: 'Our harbour office is closed'\ndate: '2026-02-23'\n---\n\n{}\n"
    )
    write(tmp_path / "site" / "draft.md", post.format("As of this week the office is closed."))
    write(tmp_path / "site" / "post.md", post.format("As of this week we are closing the office."))
    write(tmp_path / "site" / "manifest.csv", "path,title\ndraft.md,Our harbour office (draft)\n")
    docs, _ = read_inputs(discover_inputs([tmp_path])[0])
    docs_table, _ = prepare_documents(sorted(docs, key=lambda d: d.source))
    # The manifest's title wins, the address is the front matter's own.
    assert docs_table.column("title").to_pylist() == [
        "Our harbour office (draft)",
        "Our harbour office is closed",
    ]
    assert docs_table.column("page_address").to_pylist() == ["2026-02-23/harbour-closing"] * 2
    assert docs_table.column("page_aliases").to_pylist() == [None, None]
    assert docs_table.column("page_day").to_pylist() == [date(2026, 2, 23)] * 2
    moved = (
        '+++\npath = "2026/02/23/harbour-closing"\naliases = ["2026/02/23/harbor", "/x/"]\n+++\n\nClosed.\n'
    )
    write(tmp_path / "zola" / "moved.md", moved)
    docs, _ = read_inputs(discover_inputs([tmp_path / "zola"])[0])
    docs_table, _ = prepare_documents(docs)
    assert docs_table.column("page_aliases").to_pylist() == [["2026/02/23/harbor", "/x"]]


def test_front_matter_of_a_file_with_windows_line_ends_is_metadata():
    # ingest-10: a post saved with CRLF line ends (a blank line inside its YAML too) closes its block with
    # "---\r"; the block is still metadata and the body starts after it.
    text = (
        '---\r\ntitle: "Drawing the stripes"\r\ndate: 2019-11-11T09:21:28+01:00\r\nauthor: Jane Doe\r\n\r\n'
        "resources:\r\n- name: featuredImage\r\n  src: thumb.png\r\n---\r\n\r\n\r\n"
        "The stripes show a century of temperatures as one row of colours.\r\n"
    )
    found = split_front_matter(text)
    assert found is not None and found.warning is None
    assert found.fields["title"] == "Drawing the stripes"
    assert found.body.startswith("The stripes show a century")
