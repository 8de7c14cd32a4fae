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

import fixtures as fx

from test_browser import CHROMIUM, SHOTS, _start_server, browser, demo_db_file, server, wait_drawn  # noqa: F401

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
ENGLISH = re.compile(r"\b(Link to heading|per file|Show/hide columns|Search|Fullscreen|Increment|Decrement|None|NaN|View more|"
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


def scan_all(browser, server: str, views=VIEWS) -> dict:  # noqa: F811
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


def test_axe_every_page_and_tab_has_no_serious_or_critical_violation(server, browser):  # noqa: F811
    from stuurbord.ui import toegankelijkheid
    report = scan_all(browser, server)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "axe.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    bad = {view: [f"{v['id']} ({v['impact']}, {v['nodes']}×: {v['targets'][:2]} {v['summary'][:160]})"
                  for v in r["violations"] if v["impact"] in ("serious", "critical")]
           for view, r in report.items()}
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, json.dumps(bad, indent=1, ensure_ascii=False)
    english = {view: r["engels"] for view, r in report.items() if r["engels"] and view != "toegankelijkheid"}
    assert not english, english
    # the verklaring states what this scan measured: views, engine, and what is left (minor/moderate)
    found = totals(report)
    assert toegankelijkheid.GEMETEN["weergaven"] == len(VIEWS)
    assert toegankelijkheid.GEMETEN["axe"] == next(iter(report.values()))["version"]
    assert toegankelijkheid.GEMETEN["ernstig"] == found["serious"] + found["critical"] == 0
    assert toegankelijkheid.GEMETEN["overig"] == found["moderate"] + found["minor"]


# --- keyboard only --------------------------------------------------------------------------------
@pytest.fixture
def own_server(demo_db_file, tmp_path):  # noqa: F811
    """A server on a private copy of the demo store (the keyboard flows write)."""
    import shutil
    db = tmp_path / "eigen.duckdb"
    shutil.copyfile(demo_db_file, db)
    proc, url = _start_server(db)
    yield url, db
    proc.terminate()
    proc.wait(timeout=10)


FOCUS_JS = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const s = getComputedStyle(e);
    const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none"
                 || s.borderColor !== getComputedStyle(e.parentElement).borderColor;
    return {name: (e.getAttribute("aria-label") || e.innerText || e.value || "").trim().slice(0, 120),
            tag: e.tagName, visible: e.matches(":focus-visible") && ring,
            inPopover: !!e.closest("[data-testid='stPopoverBody']"),
            uploader: !!e.closest("[data-testid='stFileUploaderDropzone']"),
            hidden: e.tabIndex < 0 && e.offsetWidth === 0};  // not in the tab order: focused by a script
}"""


def tab_to(page, name: str, limit: int = 150, key: str = "Tab", where: str | None = None) -> dict:
    """Press Tab until the focused element's text holds `name`; every element passed on the
    way must show where the focus is (WCAG 2.4.7). Returns the focused element's description."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        f = page.evaluate(FOCUS_JS)
        if f is None:
            continue
        seen.append(f["name"])
        assert f["visible"] or f["hidden"], f"geen zichtbare focus op {f}"
        if name in f["name"] and (where is None or f[where]):  # the name may start with an icon's ligature text (hidden from readers)
            return f
    pytest.fail(f"'{name}' niet bereikt met {key}; wel: {seen[-30:]}")


def keyboard_page(browser, url: str):
    """A page opened and drawn, nothing focused yet."""
    page = browser.new_page(viewport={"width": 1440, "height": 1200})
    page.goto(url)
    wait_drawn(page)
    return page


def wait_text(page, text: str, timeout: int = 30_000) -> None:
    page.wait_for_function("t => document.querySelector(\"[data-testid='stMain']\").innerText.includes(t)", arg=text,
                           timeout=timeout)


def test_export_by_keyboard_without_a_trap(server, browser):  # noqa: F811
    """Exporteren opens with Enter, a CSV downloads with Enter, Escape closes the popover and the
    focus comes back out of it."""
    page = keyboard_page(browser, f"{server}/span")
    try:
        tab_to(page, "Exporteren")
        page.keyboard.press("Enter")
        page.get_by_test_id("stPopoverBody").wait_for(timeout=30_000)
        f = tab_to(page, "CSV")
        assert f["inPopover"]
        with page.expect_download(timeout=30_000) as csv_file:
            page.keyboard.press("Enter")
        assert csv_file.value.suggested_filename.endswith(".csv")
        page.keyboard.press("Escape")
        page.get_by_test_id("stPopoverBody").wait_for(state="hidden", timeout=10_000)
        f = page.evaluate(FOCUS_JS)
        assert f is None or not f["inPopover"]
        tab_to(page, "Gegevens van deze grafiek")  # and on: nothing holds the focus
        page.keyboard.press("Enter")
        page.locator("details[open] [data-testid='stDataFrame']").first.wait_for(timeout=10_000)
    finally:
        page.close()


def test_upload_by_keyboard(own_server, browser, tmp_path):  # noqa: F811
    """Gegevens laden with the keyboard alone: the uploader's button opens the file chooser with
    Enter, the preview shows, Vastleggen commits with Enter."""
    url, db = own_server
    sheets = fx.opgaven_sheets(capaciteit=False)  # its Capaciteit names eenheden of the test organisatie
    sheets["Opgaven"].append(["Toetsenbordopgave", "A. Adviseur", None, "verkenning", None, None, None, None, None,
                              None])
    upload = fx.write_xlsx(tmp_path / "opgaven toetsenbord.xlsx", sheets)
    page = keyboard_page(browser, f"{url}/laden")
    try:
        f = tab_to(page, "Upload", where="uploader")
        assert f["tag"] == "BUTTON", f
        from playwright.sync_api import TimeoutError as PlaywrightTimeout
        for attempt in range(3):  # the first Enter right after the page is drawn is sometimes not yet handled
            try:
                with page.expect_file_chooser(timeout=5_000) as chooser:
                    page.keyboard.press("Enter")
                break
            except PlaywrightTimeout:
                assert page.evaluate(FOCUS_JS)["tag"] == "BUTTON"
        else:
            pytest.fail("Enter op de knop Upload opent geen bestandskeuze")
        chooser.value.set_files(str(upload))
        wait_text(page, "Dit bestand noemt geen peildatum", 60_000)  # the workbook names none: type it
        tab_to(page, "day, Peildatum")  # a date field of three segments: the digits move on by themselves
        page.keyboard.type("01062021")
        page.keyboard.press("Tab")     # to the calendar button, whose calendar opens
        page.keyboard.press("Escape")  # closes it; the typed date stays
        page.keyboard.press("Tab")     # leaving the field sends its value
        try:
            page.get_by_role("button", name="Vastleggen").wait_for(timeout=60_000)
        finally:
            page.screenshot(path=str(SHOTS / "toetsenbord-laden-voorbeeld.png"), full_page=True)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "KB" not in body and "per file" not in body
        tab_to(page, "Vastleggen")
        page.keyboard.press("Enter")
        wait_text(page, "vastgelegd", 60_000)
        page.screenshot(path=str(SHOTS / "toetsenbord-laden.png"), full_page=True)
    finally:
        page.close()
    assert fx.query(db, "SELECT max(version) FROM versie WHERE kind = 'opgaven'") == [(2,)]


def test_scenario_by_keyboard(own_server, browser):  # noqa: F811
    """Scenario’s with the keyboard alone: apply the edit the form offers (an eenheid to another
    coach), name the scenario and save it."""
    url, db = own_server
    page = keyboard_page(browser, f"{url}/scenarios")
    try:
        tab_to(page, "Toepassen")
        page.keyboard.press("Enter")
        wait_text(page, "Wijzigingen in dit scenario")
        wait_drawn(page)
        tab_to(page, "Naam van het scenario")
        page.keyboard.type("Met het toetsenbord")
        page.keyboard.press("Enter")  # a text input applies its value on Enter
        wait_drawn(page)
        tab_to(page, "Scenario opslaan")
        page.keyboard.press("Enter")
        wait_text(page, "’ opgeslagen door")
    finally:
        page.screenshot(path=str(SHOTS / "toetsenbord-scenario.png"), full_page=True)
        page.close()
    assert fx.query(db, "SELECT naam FROM scenario") == [("Met het toetsenbord",)]
