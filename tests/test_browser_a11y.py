"""Accessibility in Chromium (issue #17, docs/accessibility.md): an axe-core scan of every page
and every tab (WCAG 2.1 A/AA rules; no serious or critical violation), the figures the
toegankelijkheidsverklaring states, keyboard-only flows and screenshots of the charts that
must not hide their own data at 1440 and 1024 px."""
from __future__ import annotations

import json
import os
import re
from collections import Counter

import pytest

from test_browser import CHROMIUM, SHOTS, _start_server, demo_db_file, open_page, wait_drawn  # noqa: F401

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium ontbreekt (make test installeert het)")

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# every page and every tab a manager, controller or beheerder can open (demo data, role beheer)
VIEWS = [
    "", "raadspakket",
    "formatie", "formatie?weergave=Per+eenheid", "formatie?weergave=Opbouw+van+de+formatie",
    "formatie?weergave=Versies+vergelijken",
    "span", "regels",
    "scenarios", "scenarios?weergave=Opgeslagen", "scenarios?weergave=Vergelijken",
    "waswordt", "waswordt?weergave=Plaatsingsvormen", "waswordt?weergave=Dubbele+plaatsingen",
    "verloop",
    "opgaven", "opgaven?weergave=Tabel", "opgaven?weergave=Mijlpalen", "opgaven?weergave=Budget",
    "opgaven?weergave=Capaciteit", "opgaven?weergave=Lange+termijn+agenda", "opgaven?weergave=Per+opgave",
    "dienstverlening", "dienstverlening?weergave=Trends", "dienstverlening?weergave=Per+norm",
    "laden", "versies", "logboek", "instellingen", "toegankelijkheid",
]


@pytest.fixture(scope="module")
def server(demo_db_file):  # noqa: F811
    proc, url = _start_server(demo_db_file)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"])
        yield b
        b.close()


def axe_scan(page) -> dict:
    """axe-core (bundled in axe-playwright-python, nothing downloaded) on the open page: the
    violations of the WCAG 2.1 A/AA rules, as {"version": …, "violations": [{id, impact, nodes}]}."""
    from axe_playwright_python.sync_playwright import Axe
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    r = result.response
    return {"version": r["testEngine"]["version"],
            "violations": [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]),
                            "targets": [" ".join(map(str, n["target"])) for n in v["nodes"][:5]],
                            "summary": v["nodes"][0].get("failureSummary", "")[:300]} for v in r["violations"]]}


# Streamlit's English that Stuurbord replaces or hides (docs/accessibility.md); what truly stays is
# in toegankelijkheid.ENGELS and not searched for here
ENGLISH = re.compile(r"\b(per file|Show/hide columns|Search|Fullscreen|Increment|Decrement|None|NaN|View more|"
                     r"View less|\d+(\.\d+)?[KM]B)\b")
# what a reader or a screen reader gets: visible text, table cells (the grid's DOM behind its
# canvas), and the names of buttons and inputs
READABLE_JS = """() => {
    const main = document.querySelector("[data-testid='stApp']");
    const names = [...main.querySelectorAll("[aria-label], [title], [placeholder]")]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.getAttribute("aria-label"), e.getAttribute("title"), e.getAttribute("placeholder")].join(" "));
    const cells = [...main.querySelectorAll("[role='gridcell'], [role='columnheader']")].map(e => e.textContent);
    return [main.innerText, ...names, ...cells].join("\\n");
}"""


def english_words(page) -> list[str]:
    """English words from Streamlit (or a None from the data) on the open page."""
    return sorted({m.group(0) for m in ENGLISH.finditer(page.evaluate(READABLE_JS))})


def scan_all(browser, server: str, views=VIEWS) -> dict:
    """One page object, one server: every view opened in turn, scanned, and read for English."""
    page = browser.new_page(viewport={"width": 1440, "height": 1200})
    report = {}
    try:
        for view in views:
            page.goto(f"{server}/{view}")
            page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
            wait_drawn(page)
            report[view or "overzicht"] = axe_scan(page) | {"engels": english_words(page)}
    finally:
        page.close()
    return report


def totals(report: dict) -> Counter:
    """Violating nodes per impact over all views."""
    c = Counter()
    for view in report.values():
        for v in view["violations"]:
            c[v["impact"]] += v["nodes"]
    return c


def test_axe_every_page_and_tab_has_no_serious_or_critical_violation(server, browser):
    from stuurbord.ui import toegankelijkheid
    report = scan_all(browser, server)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "axe.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    bad = {view: [f"{v['id']} ({v['impact']}, {v['nodes']}×: {v['targets'][:2]} {v['summary'][:160]})"
                  for v in r["violations"] if v["impact"] in ("serious", "critical")]
           for view, r in report.items()}
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, json.dumps(bad, indent=1, ensure_ascii=False)
    english = {view: r["engels"] for view, r in report.items() if r["engels"]}
    assert not english, english
    # the verklaring states what this scan measured: views, engine, and what is left (minor/moderate)
    found = totals(report)
    assert toegankelijkheid.GEMETEN["weergaven"] == len(VIEWS)
    assert toegankelijkheid.GEMETEN["axe"] == next(iter(report.values()))["version"]
    assert toegankelijkheid.GEMETEN["ernstig"] == found["serious"] + found["critical"] == 0
    assert toegankelijkheid.GEMETEN["overig"] == found["moderate"] + found["minor"]
