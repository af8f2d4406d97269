"""Front matter of a Markdown file: the metadata block a static-site generator reads (Jekyll and Hugo's YAML
between `---` lines, Hugo's TOML between `+++` lines). It is the page's metadata, never its body text: a
reader of the rendered page sees its title and date in the page's header and the rest nowhere. reprint reads
the title, the date and the authors from it and leaves the block out of the document's text, as it leaves
an HTML page's <head> out (docs/inputs.md).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime

# A block that does not close within this many characters is not front matter (and a huge one is not read).
MAX_FRONT_MATTER_CHARS = 64 * 1024
_DELIMITERS = {"---": "YAML", "+++": "TOML"}
# The first line of a block that is meant as front matter though it cannot be parsed: `title: ...`, `key =`.
_KEY_LINE = re.compile(r"^[\w-]+ ?[:=]")
_COMMENT_LINES = re.compile(r"\A(?:[ \t]*(?:#[^\n]*)?\n)+")
_DATE_KEYS = ("date", "publishDate", "publishdate", "published", "pubDate", "published_at")
_AUTHOR_KEYS = ("author", "authors")
_MAX_AUTHORS = 20


@dataclass(frozen=True)
class FrontMatter:
    """What a file's front matter says, and the text after it."""

    fields: dict[str, str]  # title, published_at, author, page: those it gives as text
    body: str
    warning: str | None = None  # a block meant as front matter that could not be read (its fields unused)


def split_front_matter(text: str) -> FrontMatter | None:
    """The front matter at the start of `text` and the body after it; None when the text opens with none.

    A block counts when its first line is `---` (YAML) or `+++` (TOML), a line of the same closes it, and it
    reads as a mapping of keys; a Markdown text that opens with a horizontal rule (`---` and prose) has none.
    A block whose first line is a key (`title: ...`) but that cannot be parsed is still left out of the
    body, with a warning that its fields were not used.
    """
    start = text.lstrip("\ufeff")
    first, _, rest = start.partition("\n")
    kind = _DELIMITERS.get(first.rstrip())
    if kind is None:
        return None
    # The closing line may end in "\r": a file saved with Windows line ends (CRLF) closes its block with
    # "---\r" (ingest-10; the Matplotlib blog's posts).
    closing = re.search(
        rf"^{re.escape(first.rstrip())}[ \t\r]*$", rest[:MAX_FRONT_MATTER_CHARS], re.MULTILINE
    )
    if closing is None:
        return None
    block = rest[: closing.start()]
    body = rest[closing.end() :].lstrip("\r\n")
    import yaml  # imported at use: most inputs have no front matter, and a run with nothing new reads none

    try:
        fields = yaml.load(block, Loader=yaml.SafeLoader) if kind == "YAML" else tomllib.loads(block)
    except Exception as err:  # noqa: BLE001 - any parse failure (YAML raises many types, deep nesting too)
        # A site's template may open the block with a comment ("# Originally published at the following
        # URL", Digital.gov's posts): the first line that is not a comment tells a front matter.
        if not _KEY_LINE.match(_COMMENT_LINES.sub("", block.lstrip())):
            return None
        reason = str(err).splitlines()[0][:200] if str(err) else type(err).__name__
        read, unread = _yaml_entries(block) if kind == "YAML" else ({}, [])
        if not read:
            return FrontMatter(
                {}, body, f"its {kind} front matter could not be read ({reason}); its fields were not used"
            )
        return FrontMatter(
            _metadata(read),
            body,
            f"its {kind} front matter could not be read whole ({reason}); its "
            f"{', '.join(unread)} {'fields were' if len(unread) > 1 else 'field was'} not used",
        )
    if fields is None and not block.strip():
        return FrontMatter({}, body)
    if not isinstance(fields, dict):
        return None
    return FrontMatter(_metadata(fields), body)


# A top-level key of a YAML block: a line starting with one (what follows, indented or a list, is its value).
_TOP_KEY = re.compile(r"^([\w-]+)[ \t]*:", re.MULTILINE)


def _yaml_entries(block: str) -> tuple[dict, list[str]]:
    """The top-level entries of a YAML block that read on their own, and the keys of those that do not.

    One bad value (a photo credit written `name: *rboed*`, which YAML reads as an alias) makes the whole block
    unreadable, while the title, date and authors beside it are fine; a person reading the file sees them.
    """
    import yaml

    starts = [m.start() for m in _TOP_KEY.finditer(block)]
    read: dict = {}
    unread: list[str] = []
    for lo, hi in zip(starts, starts[1:] + [len(block)], strict=True):
        entry = block[lo:hi]
        key = _TOP_KEY.match(entry).group(1)
        try:
            value = yaml.load(entry, Loader=yaml.SafeLoader)
        except Exception:  # noqa: BLE001 - as above: any failure leaves this entry out
            unread.append(key)
            continue
        if isinstance(value, dict):
            read.update(value)
        else:
            unread.append(key)
    return read, unread


def _metadata(fields: dict) -> dict[str, str]:
    """title, published_at and author as text, from the keys static-site generators use for them."""
    meta: dict[str, str] = {}
    title = fields.get("title")
    if isinstance(title, str | int | float) and str(title).strip():
        meta["title"] = _filled(str(title).strip(), fields)
    for key in _DATE_KEYS:
        value = fields.get(key)
        if isinstance(value, datetime | date):
            meta["published_at"] = value.isoformat()
        elif isinstance(value, str) and value.strip():
            meta["published_at"] = value.strip()
        if "published_at" in meta:
            break
    for key in _AUTHOR_KEYS:
        names = _names(fields.get(key))
        if names:
            meta["author"] = ", ".join(names)
            break
    page = page_address(fields)
    if page:
        meta["page"] = page
    # The page's day as its front matter dates it ("2023-08-30"): a manifest may date the file otherwise (by
    # the commit that moved it), and what tells an outlet's yearly posts apart is the page's own (link-21).
    day = _day(next((fields[k] for k in _DATE_KEYS if fields.get(k)), None))
    if day:
        meta["day"] = day
    aliases = page_aliases(fields)
    if aliases:
        meta["aliases"] = "\n".join(aliases)
    return meta


# The keys a static-site generator builds a page's address from: an explicit address (Jekyll's `permalink`,
# Hugo's `url`, Zola's and Gatsby's `path`: "inside-rust/2025/08/20/electing-new-project-directors-2025"),
# else the page's `slug` under its date (`/blog/:year/:month/:day/:slug/`, the pattern of Hugo and Jekyll
# blogs). A permalink with placeholders (`/:year/:title/`) is a pattern, not an address.
_ADDRESS_KEYS = ("permalink", "url", "path")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
# A `path` may name a file the page shows or is built from (`path: images/harbour.png`), not the page.
_FILE_NAME = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|pdf|md|markdown|ipynb|rmd)$", re.IGNORECASE)


def page_address(fields: dict) -> str | None:
    """The address the front matter gives its page, as the site builds it: its `permalink`, `url` or `path`
    (a path, trailing slash dropped), else its date's day and its `slug` ("2026-02-23/forum-closing"); None
    when it gives neither. A draft of a post in the site's repository and the post as published carry the
    same one, whatever the text became in between (their titles may differ: a draft's working title); two
    posts of a series have a slug and a date each (two posts on one slug, years apart, are two pages)."""
    for key in _ADDRESS_KEYS:
        value = fields.get(key)
        if (
            isinstance(value, str)
            and value.strip()
            and ":" not in value.split("://")[-1]
            and not (key == "path" and _FILE_NAME.search(value.strip()))
        ):
            return value.strip().rstrip("/") or "/"
    slug = fields.get("slug")
    if not isinstance(slug, str | int) or not str(slug).strip():
        return None
    day = _day(next((fields[k] for k in _DATE_KEYS if fields.get(k)), None))
    return f"{day}/{str(slug).strip().strip('/')}" if day else None


# The keys a static-site generator keeps a moved page's former addresses under, each redirected to the page:
# Hugo's and Zola's `aliases`, Jekyll's `redirect_from` (jekyll-redirect-from).
_ALIAS_KEYS = ("aliases", "redirect_from")
_MAX_ALIASES = 20


def page_aliases(fields: dict) -> list[str]:
    """The former addresses of the page the front matter gives (`aliases`, `redirect_from`; a string or a list
    of them, trailing slash dropped), in order: a post moved to a new address keeps its old one as an alias,
    so that its first version, at the old address, and its later ones are one page (link-21: Rust's post on
    renaming its default branch, whose address was fixed to match the file's name the day it was posted)."""
    out: list[str] = []
    for key in _ALIAS_KEYS:
        value = fields.get(key)
        for item in (value if isinstance(value, list) else [value])[:_MAX_ALIASES]:
            # An alias is an address of this site: a whole URL (another site's page) is none.
            if isinstance(item, str) and item.strip() and ":" not in item:
                out.append(item.strip().rstrip("/") or "/")
    return list(dict.fromkeys(out))


def _day(value: object) -> str | None:
    """The calendar day a front-matter date names, as written (not shifted to UTC: the site builds the address
    from the day its author wrote)."""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if not isinstance(value, str):
        return None
    if _ISO_DAY.match(value.strip()):
        return value.strip()[:10]
    from tasks.dates import parse_timestamp  # imported at use: dateutil, for the few files with front matter

    try:  # the one reader of written dates ("October 7, 2025")
        moment = parse_timestamp(value)
    except ValueError:
        return None
    return moment.date().isoformat() if moment else None


# A variable of the site's generator in a front-matter title, filled from the same front matter when the page
# is built: Apache Grails's blog engine (`[%version]`), Jekyll (`{{ page.version }}`), Hugo
# (`{{ .Params.version }}`). "Apache Grails [%version] - Release Announcement" is the page's title with the
# version in it (the release it announces: tasks/evidence.py release_of).
_TITLE_VARIABLE = re.compile(r"\[%(\w+)\]|\{\{-?\s*(?:page|\.Params)\.(\w+)\s*-?\}\}")


def _filled(title: str, fields: dict) -> str:
    """The title with its generator's variables filled from the front matter's own scalar fields; a variable
    the front matter does not give is left as it stands."""
    if "[%" not in title and "{{" not in title:
        return title

    def value(match: re.Match) -> str:
        found = fields.get(match.group(1) or match.group(2))
        return str(found) if isinstance(found, str | int | float) and str(found).strip() else match.group(0)

    return _TITLE_VARIABLE.sub(value, title)


def _names(value: object) -> list[str]:
    """Author names from a string, a list of strings, or entries that are mappings with a `name` (Hugo's
    `- id: {name: ...}` or `- {name: ..., twitter: ...}`)."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items[:_MAX_AUTHORS]:
        if isinstance(item, dict):
            name = item.get("name")
            if name is None and len(item) == 1:
                key, inner = next(iter(item.items()))
                name = inner.get("name") if isinstance(inner, dict) else key
            item = name
        if isinstance(item, str | int) and str(item).strip():
            names.append(str(item).strip())
    return names
