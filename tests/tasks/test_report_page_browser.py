"""The report page in a real browser (Debian's headless chromium via selenium): it loads from disk, shows the
stories, fates and who copies whom, its search, sort, filters and pages work (on a warehouse the pipeline
built and on a generated page of 10,000 stories and 300 outlets), and a script inside an article does not run.
Writes screenshots (to $REPRINT_SCREENSHOT_DIR when set, e.g. `make screenshot` writes docs/)."""

import os
import random
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tasks.align import FATES
from tasks.report_page import PageConfig, render_index, story_file, write_report_pages

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1400",
]


def _missing(reason: str) -> None:
    # CI installs chromium itself (.ci/run): there a missing browser is a failure, not a skip.
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must install it: see .ci/run)")
    pytest.skip(f"{reason}; install them with `make browser`")


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        _missing("Debian's chromium and chromium-driver are not installed")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium is not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="reprint-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def index(corpus_warehouse: Path) -> Path:
    return write_report_pages(corpus_warehouse)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("REPRINT_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _story_id(warehouse: Path, source: str) -> str:
    import duckdb

    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    try:
        return con.execute(
            "select story_id from story_members join documents using (doc_id) where source = ?", [source]
        ).fetchall()[0][0]
    finally:
        con.close()


def _visible(driver, css: str) -> list:
    return [e for e in driver.find_elements("css selector", css) if e.is_displayed()]


def _ids(driver) -> list[str]:
    """The story ids of the rows drawn, top to bottom (one script call, not one per row)."""
    return driver.execute_script(
        "return [...document.querySelectorAll('#stories tbody tr.story')].map("
        "(tr) => tr.querySelector('.story-id').textContent)"
    )


def _only_fates(driver, keep: set[str]) -> None:
    for box in driver.find_elements("css selector", "input[data-filter=fate]"):
        if box.is_selected() != (box.get_attribute("value") in keep):
            box.click()


def _choose(driver, css: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("css selector", css)).select_by_value(value)


def _choose_outlet(driver, outlet: str) -> None:
    _choose(driver, "select[data-filter=outlet]", outlet)


def _search(driver, words: str) -> None:
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    box = driver.find_element("css selector", "input[name=q]")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    if words:
        box.send_keys(words)
    # the list is drawn once typing pauses; the address's # then names what it shows
    drawn = "return new URLSearchParams(location.hash.slice(1)).get('q') || ''"
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(drawn) == words)


def _sort(driver, key: str) -> None:
    driver.find_element("css selector", f"th[data-sort={key}] button").click()


def _text(driver, element_id: str) -> str:
    return driver.find_element("id", element_id).text


def _whole_page_shot(driver, path: Path, element_id: str = "") -> None:
    """The whole page (or one element of it), however long: the window grows to hold it first."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(height + 100, 4000))
    try:
        if element_id:
            driver.find_element("id", element_id).screenshot(str(path))
        else:
            driver.save_screenshot(str(path))
    finally:
        driver.set_window_size(1280, 1400)


def _errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _catalog(warehouse: Path, query: str) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


HARBOUR, BRIDGE = "Dockers strike at Port Elling", "Marren bridge to close"


def test_index_loads_from_disk_with_stories_charts_and_filters(
    browser, index: Path, shots: Path, corpus_warehouse: Path
):
    browser.get(index.as_uri())
    titles = [e.text for e in _visible(browser, "tr.story a")]
    assert titles == [HARBOUR, BRIDGE]
    assert browser.find_elements("css selector", "#chart-outlets rect.fate-survived")
    assert browser.find_elements("css selector", "#chart-position rect.fate-disappeared")
    assert browser.find_elements("css selector", "tr.story svg.fate-bar rect.fate-survived")
    pairs = _catalog(corpus_warehouse, "select count(*) from outlet_copies")[0][0]
    assert pairs and len(_visible(browser, "#chart-copies rect.copies")) == pairs  # who copies whom, drawn
    _whole_page_shot(browser, shots / "report.png")
    assert (shots / "report.png").stat().st_size > 10_000

    _only_fates(browser, {"moved"})  # a checked fate selects: only the bridge story has a moved paragraph
    assert [e.text for e in _visible(browser, "tr.story a")] == [BRIDGE]
    _only_fates(browser, {"moved", "appeared"})  # any of them: the harbour story gained a paragraph
    assert [e.text for e in _visible(browser, "tr.story a")] == [HARBOUR, BRIDGE]
    _choose(browser, "select[name=mode]", "all")  # every one of them: no story has both
    assert _visible(browser, "tr.story") == [] and _text(browser, "shown-count") == "0"
    _only_fates(browser, {"appeared"})
    assert [e.text for e in _visible(browser, "tr.story a")] == [HARBOUR]
    _only_fates(browser, set())  # none checked: all
    _choose_outlet(browser, "tribune")  # tribune republished only the bridge story
    assert [e.text for e in _visible(browser, "tr.story a")] == [BRIDGE]
    _choose_outlet(browser, "")
    _search(browser, "container")  # in the harbour origin's first paragraph, not in a title
    assert [e.text for e in _visible(browser, "tr.story a")] == [HARBOUR]
    _search(browser, "TRIBUNE bridge")  # an outlet and a title word, any case
    assert [e.text for e in _visible(browser, "tr.story a")] == [BRIDGE]
    _search(browser, "")
    _sort(browser, "date")  # newest origin first: the harbour story (March) before the bridge (January)
    assert [e.text for e in _visible(browser, "tr.story a")] == [HARBOUR, BRIDGE]
    _sort(browser, "date")
    assert [e.text for e in _visible(browser, "tr.story a")] == [BRIDGE, HARBOUR]
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert _errors(browser) == []


def test_story_page_shows_the_reprint_tree_aligns_fates_and_keeps_the_script_inert(
    browser, index: Path, shots: Path, corpus_warehouse: Path
):
    story = _story_id(corpus_warehouse, "herald/harbour.txt")
    browser.get((index.parent / "stories" / story_file(story)).as_uri())
    tree = browser.find_elements("css selector", "#reprint-tree li")
    members = _catalog(
        corpus_warehouse,
        f"select doc_id, copied_from from story_members where story_id = '{story}' order by version",
    )
    assert [li.get_attribute("data-doc") for li in tree][0] == members[0][0] and len(tree) == len(members)
    for doc_id, copied_from in members[1:]:  # each version is drawn under the version it copied
        parent = browser.find_element("css selector", f'#reprint-tree li[data-doc="{doc_id}"]')
        assert parent.find_element("xpath", "../..").get_attribute("data-doc") == copied_from
    sections = [e.find_element("tag name", "h2").text for e in _visible(browser, "section.pair")]
    assert sections == ["gazette → courier", "gazette → herald"]
    fates = [e.get_attribute("data-fates") for e in _visible(browser, "tr[data-fates]")]
    assert fates.count("disappeared") == 2 and fates.count("appeared") == 1 and "survived" in fates
    body = browser.find_element("tag name", "body").text
    assert "<script>window.__pwned=1</script>" in body  # shown as text
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert browser.find_elements("css selector", "tr.fate-changed del")  # word-level marks
    browser.save_screenshot(str(shots / "report-story.png"))

    _only_fates(browser, {"disappeared", "appeared"})  # checked fates select the rows
    shown = [e.get_attribute("data-fates") for e in _visible(browser, "tr[data-fates]")]
    assert shown == [f for f in fates if f in ("disappeared", "appeared")]
    _choose_outlet(browser, "courier")
    assert [e.find_element("tag name", "h2").text for e in _visible(browser, "section.pair")] == [
        "gazette → courier"
    ]
    assert _errors(browser) == []


# --- a generated page at the scale the issue asks for -------------------------------------------------------

TOPICS = [
    "harbour",
    "bridge",
    "election",
    "flood",
    "budget",
    "vaccine",
    "strike",
    "wildfire",
    "court",
    "rail",
]
N_STORIES, N_OUTLETS = 10_000, 300
OUTLETS = [f"outlet {k:03d}" for k in range(N_OUTLETS - 1)] + ["<b>Bold</b> & Co"]


def _stories() -> list[dict]:
    """fate_mix_by_story-like rows: 10,000 stories over 300 outlets, in the view's order."""
    rng = random.Random(15)
    rows = []
    for k in range(N_STORIES):
        outlets = rng.sample(OUTLETS, rng.randint(2, 9))
        day = datetime(2024, 1, 1) + timedelta(hours=rng.randrange(24 * 700))
        counts = {f: (rng.randint(1, 6) if rng.random() < 0.4 else 0) for f in FATES}
        counts["survived"] += 1
        origin_paragraphs = sum(counts[f] for f in FATES[:-1])
        rows.append(
            {
                "story_id": f"s{k:05d}",
                "title": f"Story {k} on the {TOPICS[k % len(TOPICS)]}",
                "origin": outlets[0],
                "origin_published_at": None if k % 97 == 0 else day,
                "last_published_at": None if k % 97 == 0 else day + timedelta(days=rng.randint(0, 3)),
                "outlets": " | ".join(outlets),
                "republications": len(outlets) - 1,
                "survival_rate": counts["survived"] / origin_paragraphs,
                **counts,
            }
        )
    rows.sort(key=lambda r: (-r["republications"], r["story_id"]))
    return rows


def _copies() -> list[dict]:
    rng = random.Random(16)
    pairs = {(rng.choice(OUTLETS[:60]), rng.choice(OUTLETS)) for _ in range(3000)}
    return [
        {
            "from_outlet": a,
            "to_outlet": b,
            "copies": rng.randint(1, 400),
            "stories": rng.randint(1, 300),
            "median_delay_hours": rng.choice([None, 0.5, 3.0, 12.0, 40.0, 200.0]),
            "median_origin_kept": rng.random(),
            "median_origin_verbatim": rng.random(),
        }
        for a, b in sorted(pairs)
    ]


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> tuple[Path, list[dict]]:
    stories = _stories()
    leads = {
        s["story_id"]: f"Lead of {s['story_id']}: the {TOPICS[int(s['story_id'][1:]) % 7]} desk"
        for s in stories
    }
    leads["s00042"] = "Pickets sang </script><script>window.__pwned=2</script> all night"
    page = render_index(
        {"documents": 60_000, "stories": 21_000, "shared": 12_000, "rejects": 0},
        stories,
        [],
        [],
        [],
        PageConfig(max_stories=N_STORIES, max_story_pages=2500),
        _copies(),
        leads,
    )
    path = tmp_path_factory.mktemp("large") / "index.html"
    path.write_text(page, encoding="utf-8")
    return path, [dict(s, lead=leads[s["story_id"]]) for s in stories]


def _found(story: dict, words: str) -> bool:
    text = "\n".join([story["title"], story["lead"], story["story_id"], story["outlets"]]).lower()
    return all(w in text for w in words.lower().split())


def _expected(stories: list[dict], keep, key=None, reverse=False) -> list[str]:
    rows = [s for s in stories if keep(s)]
    if key:
        # the page's order: a stable sort of the view's order (Python's stays stable reversed), unknowns last
        known = sorted((s for s in rows if key(s) is not None), key=key, reverse=reverse)
        rows = known + [s for s in rows if key(s) is None]
    return [s["story_id"] for s in rows]


def test_ten_thousand_stories_search_sort_filter_and_page(browser, large, shots: Path):
    path, stories = large
    browser.get(path.as_uri())
    assert len(browser.find_elements("css selector", "#stories tbody tr.story")) == 100  # one page drawn
    assert _text(browser, "shown-count") == "10000" and _text(browser, "page-of") == "1 of 100"
    assert "2000 more are in the catalog" in _text(browser, "left-off")
    everything = _expected(stories, lambda s: True)
    assert _ids(browser) == everything[:100]
    browser.find_element("id", "next").click()
    assert _ids(browser) == everything[100:200] and _text(browser, "page-range") == "101–200"
    _choose(browser, "select[name=size]", "25")
    assert _ids(browser) == everything[:25] and _text(browser, "page-of") == "1 of 400"

    _sort(browser, "survival")  # highest first; ties keep the view's order
    assert _ids(browser) == _expected(stories, lambda s: True, lambda s: s["survival_rate"], True)[:25]
    _sort(browser, "date")  # newest origin first, undated last
    day = lambda s: s["origin_published_at"] and s["origin_published_at"].date().isoformat()  # noqa: E731
    assert _ids(browser) == _expected(stories, lambda s: True, day, True)[:25]
    _sort(browser, "date")  # oldest first, undated still last
    oldest = _expected(stories, lambda s: True, day)
    assert _ids(browser) == oldest[:25]
    assert oldest[-1] in {s["story_id"] for s in stories if not s["origin_published_at"]}
    browser.find_element("id", "next").click()
    browser.find_element("id", "next").click()
    assert _text(browser, "page-of") == "3 of 400" and _ids(browser) == oldest[50:75]

    _sort(browser, "reps")
    for words in ("flood", "flood budget", "outlet 007", "FLOOD s001"):
        _search(browser, words)  # every word, any case, in a title, the lead, the id or an outlet
        want = _expected(stories, lambda s, words=words: _found(s, words))
        assert want and _text(browser, "shown-count") == str(len(want)) and _ids(browser) == want[:25]
    _search(browser, "")

    _only_fates(browser, {"split"})  # a checked fate selects the stories that have it
    want = _expected(stories, lambda s: s["split"] > 0)
    assert 0 < len(want) < N_STORIES and _text(browser, "shown-count") == str(len(want))
    assert _ids(browser) == want[:25]
    _only_fates(browser, {"split", "merged"})
    _choose(browser, "select[name=mode]", "all")
    want = _expected(stories, lambda s: s["split"] > 0 and s["merged"] > 0)
    assert _text(browser, "shown-count") == str(len(want)) and _ids(browser) == want[:25]
    _choose_outlet(browser, "<b>Bold</b> & Co")  # an outlet whose name is markup, as text
    want = _expected(stories, lambda s: s["split"] and s["merged"] and "<b>Bold</b> & Co" in s["outlets"])
    assert _ids(browser) == want[:25]
    assert browser.find_elements("xpath", "//td[contains(., '<b>Bold</b> & Co')]")

    # The address keeps the search, filters, sort and page: a story page's "back" finds the same list.
    where = browser.current_url
    assert "#" in where and "fates=split%2Cmerged" in where
    browser.get("about:blank")
    browser.get(where)
    assert _ids(browser) == want[:25]
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert _errors(browser) == []


def test_ten_thousand_stories_an_article_script_stays_text_and_the_network_is_readable(
    browser, large, shots: Path
):
    path, stories = large
    browser.get(path.as_uri())
    assert "2500 stories with most republications have a page" in _text(browser, "no-page")
    for rank, linked in ((0, True), (2499, True), (2500, False), (9999, False)):
        _search(browser, stories[rank]["story_id"])
        (row,) = browser.find_elements("css selector", "#stories tbody tr.story")
        links = [a.get_attribute("href") for a in row.find_elements("tag name", "a")]
        assert links == (
            [path.parent.joinpath("stories", f"{stories[rank]['story_id']}.html").as_uri()] if linked else []
        )
        assert ("(no story page)" in row.text) != linked
    _search(browser, "pickets")
    assert _ids(browser) == ["s00042"]
    assert "</script><script>window.__pwned=2</script>" in _text(browser, "stories")  # text, not a script
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    _search(browser, "")
    # 300 outlets: the 30 with most copies, the rest summed in a row and a column
    matrix = browser.find_element("id", "chart-copies")
    assert len(matrix.find_elements("css selector", "rect.self")) == 31
    assert "other outlets" in matrix.text or matrix.find_elements("xpath", ".//*[text()='other outlets']")
    assert matrix.size["width"] < 800 and matrix.size["height"] < 800
    assert len(browser.find_elements("css selector", "#copy-pairs tbody tr")) == 15
    _whole_page_shot(browser, shots / "report-copies.png", "copies")
    assert _errors(browser) == []
