"""The report page in a real browser (Debian's headless chromium via selenium): it loads from disk, shows the
stories and fates, its filters work, and a script inside an article does not run. Writes screenshots
(to $REPRINT_SCREENSHOT_DIR when set, e.g. `make screenshot` writes docs/)."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tasks.report_page import story_file, write_report_pages

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


def _only_fates(driver, keep: set[str]) -> None:
    for box in driver.find_elements("css selector", "input[data-filter=fate]"):
        if box.is_selected() != (box.get_attribute("value") in keep):
            box.click()


def _choose_outlet(driver, outlet: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("css selector", "select[data-filter=outlet]")).select_by_value(outlet)


def _errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_index_loads_from_disk_with_stories_charts_and_filters(browser, index: Path, shots: Path):
    browser.get(index.as_uri())
    titles = [e.text for e in _visible(browser, "tr.story a")]
    assert titles == ["Dockers strike at Port Elling", "Marren bridge to close"]
    assert browser.find_elements("css selector", "#chart-outlets rect.fate-survived")
    assert browser.find_elements("css selector", "#chart-position rect.fate-disappeared")
    browser.save_screenshot(str(shots / "report.png"))
    assert (shots / "report.png").stat().st_size > 10_000

    _only_fates(browser, {"moved"})  # only the bridge story has a moved paragraph
    assert [e.text for e in _visible(browser, "tr.story a")] == ["Marren bridge to close"]
    _only_fates(browser, {"appeared"})  # only the harbour story gained a paragraph
    assert [e.text for e in _visible(browser, "tr.story a")] == ["Dockers strike at Port Elling"]
    assert browser.find_element("id", "shown-count").text == "1"
    _only_fates(browser, {"survived", "appeared"})
    _choose_outlet(browser, "tribune")  # tribune republished only the bridge story
    assert [e.text for e in _visible(browser, "tr.story a")] == ["Marren bridge to close"]
    _choose_outlet(browser, "")
    assert len(_visible(browser, "tr.story")) == 2
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert _errors(browser) == []


def test_story_page_aligns_fates_filters_rows_and_keeps_the_script_inert(
    browser, index: Path, shots: Path, corpus_warehouse: Path
):
    story = _story_id(corpus_warehouse, "herald/harbour.txt")
    browser.get((index.parent / "stories" / story_file(story)).as_uri())
    sections = [e.find_element("tag name", "h2").text for e in _visible(browser, "section.pair")]
    assert sections == ["gazette → courier", "gazette → herald"]
    fates = [e.get_attribute("data-fates") for e in _visible(browser, "tr[data-fates]")]
    assert fates.count("disappeared") == 2 and fates.count("appeared") == 1 and "survived" in fates
    body = browser.find_element("tag name", "body").text
    assert "<script>window.__pwned=1</script>" in body  # shown as text
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert browser.find_elements("css selector", "tr.fate-changed del")  # word-level marks
    browser.save_screenshot(str(shots / "report-story.png"))

    _only_fates(browser, set(fates) - {"survived"})
    shown = [e.get_attribute("data-fates") for e in _visible(browser, "tr[data-fates]")]
    assert shown == [f for f in fates if f != "survived"]
    _choose_outlet(browser, "courier")
    assert [e.find_element("tag name", "h2").text for e in _visible(browser, "section.pair")] == [
        "gazette → courier"
    ]
    assert _errors(browser) == []
