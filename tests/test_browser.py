"""Real-browser tests: the app served by Streamlit, opened in Debian's Chromium via
Playwright (never `playwright install`). Screenshots land in tests/screenshots/."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from etl.demo import load_demo

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium ontbreekt (make test installeert het)")

# (url path, title on the page, texts that must be visible)
PAGES = [
    ("", "Stuurbord", ["Formatie", "189,95 fte"]),
    ("formatie", "Formatie en bezetting", ["189,95 fte", "Bezetting"]),
    ("formatie?weergave=Per+eenheid", "Formatie en bezetting", ["Schaalverdeling", "Plaatsingsvormen"]),
    ("formatie?weergave=Opbouw+van+de+formatie", "Formatie en bezetting", ["187,4396", "200,1100"]),
    ("formatie?weergave=Versies+vergelijken", "Formatie en bezetting", ["+1,50 fte", "Wijkbeheer en groenonderhoud"]),
    ("span", "Span of attention", ["Norm", "Uitzonderingen", "Gedeelde coach", "Boven de norm"]),
    ("versies", "Versies", ["Was/wordt-lijst"]),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(db: Path):
    port = _free_port()
    env = {**os.environ, "STUURBORD_DB": str(db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("Streamlit kwam niet op: " + proc.stdout.read().decode(errors="replace")[-2000:])
    return proc, url


@pytest.fixture(scope="module")
def demo_db_file(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    load_demo(db=db, log=lambda *_: None)
    return db


@pytest.fixture(scope="module")
def server(demo_db_file):
    proc, url = _start_server(demo_db_file)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_deep_link_as_first_request_on_a_fresh_server(demo_db_file, browser):
    """A bookmarked /span opened before anyone visited / must still get the app shell."""
    proc, url = _start_server(demo_db_file)
    try:
        page = open_page(browser, f"{url}/span")
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "Organisatie" in nav and "Formatie en bezetting" in nav
        assert "Geladen gegevens" in page.locator("[data-testid='stSidebar']").inner_text()
        assert page.locator("h1").first.inner_text().strip() == "Span of attention"
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, url: str):
    # Streamlit scrolls inside its own container, so a full-page screenshot is only as
    # tall as the viewport: use a tall one to see the whole page.
    page = browser.new_page(viewport={"width": 1440, "height": 2600})
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
    # the script has finished when the app reports notRunning *and* the main title is drawn
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning'] h1", timeout=30_000)
    # wait until every chart has drawn and no element is still a loading skeleton
    page.wait_for_function(
        """() => {
            const charts = document.querySelectorAll("[data-testid='stPlotlyChart']").length;
            const drawn = document.querySelectorAll("[data-testid='stPlotlyChart'] .js-plotly-plot .main-svg").length;
            const skeletons = document.querySelectorAll("[data-testid='stSkeleton']").length;
            return skeletons === 0 && drawn >= charts;
        }""", timeout=30_000)
    page.wait_for_timeout(500)
    return page


def _shot_name(path: str) -> str:
    return (path or "overzicht").replace("?weergave=", "-").replace("+", "-").lower()


@pytest.mark.parametrize("path,title,texts", PAGES, ids=[_shot_name(p[0]) for p in PAGES])
def test_page_renders_in_chromium(server, browser, path, title, texts):
    page = open_page(browser, f"{server}/{path}")
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{_shot_name(path)}.png"), full_page=True)
        assert page.locator("h1").first.inner_text().strip() == title
        body = page.locator("[data-testid='stMain']").inner_text()
        for text in texts:
            assert text in body, f"'{text}' niet zichtbaar op {path or '/'}"
        assert page.locator("[data-testid='stException']").count() == 0
        assert "Er ging iets mis" not in body
        assert "Traceback" not in body
    finally:
        page.close()


def test_dutch_months_and_numbers_in_plotly(server, browser):
    """Plotly gets separators ',.' and the Dutch locale: no '189.95' on the Formatie page charts."""
    page = open_page(browser, f"{server}/formatie")
    try:
        page.wait_for_selector(".js-plotly-plot", timeout=20_000)
        svg_text = " ".join(page.locator(".js-plotly-plot").all_inner_texts())
        assert "189.95" not in svg_text
    finally:
        page.close()


def test_cli_load_while_the_app_runs_shows_on_the_next_click(server, browser, demo_db_file):
    """The command line writes while Streamlit serves pages; no restart needed."""
    page = open_page(browser, f"{server}/formatie")
    try:
        assert "189,50 fte" in page.locator("[data-testid='stMain']").inner_text()
        for version, expected in ((1, "188,00 fte"), (2, "189,50 fte")):  # back to the demo's current
            done = subprocess.run([sys.executable, "-m", "etl", "restore", "wasword", str(version),
                                   "--db", str(demo_db_file)], cwd=ROOT, capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
            page.reload()
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning'] h1", timeout=30_000)
            page.wait_for_function(f"document.querySelector(\"[data-testid='stMain']\").innerText.includes('{expected}')",
                                   timeout=20_000)
    finally:
        page.close()
