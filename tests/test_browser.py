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

import fixtures as fx
from etl import store
from stuurbord.domain import aandacht
from etl.demo import load_demo

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium ontbreekt (make test installeert het)")

# (url path, title on the page, texts that must be visible)
PAGES = [
    ("", "Stuurbord", ["Formatie", "189,95 fte", "Demomodus — geen inlog"]),
    ("formatie", "Formatie en bezetting", ["189,95 fte", "Bezetting"]),
    ("formatie?weergave=Per+eenheid", "Formatie en bezetting", ["Schaalverdeling", "Plaatsingsvormen"]),
    ("formatie?weergave=Opbouw+van+de+formatie", "Formatie en bezetting", ["187,4396", "200,1100"]),
    ("formatie?weergave=Versies+vergelijken", "Formatie en bezetting", ["+1,50 fte", "Wijkbeheer en groenonderhoud"]),
    ("span", "Span of attention", ["Norm", "Uitzonderingen en afwijkingen", "Boven de norm",
                                   "Ondersteuning en Openbare Orde en Veiligheid delen coach/coördinator Kees Verzinsel",
                                   "Capaciteitsvraag van opgaven per coach/coördinator"]),
    ("regels", "Regels uit de notitie", ["Regels", "Wijken af", "span of attention — 1 wijkt af · 10 voldoet",
                                          "Uitzondering: Wijkbeheer en groenonderhoud heeft twee coach/coördinatoren"]),
    ("scenarios", "Scenario’s", ["Wijziging", "Vandaag", "Scenario", "Span per coach/coördinator"]),
    ("scenarios?weergave=Opgeslagen", "Scenario’s", ["Er zijn nog geen scenario’s opgeslagen"]),
    ("scenarios?weergave=Vergelijken", "Scenario’s", ["Links", "Rechts", "Regels uit de notitie"]),
    ("waswordt", "Van was naar wordt", ["228", "224", "De matrix achter het diagram"]),
    ("waswordt?weergave=Plaatsingsvormen", "Van was naar wordt", ["per eenheid en plaatsingsvorm"]),
    ("waswordt?weergave=Dubbele+plaatsingen", "Van was naar wordt", ["228 plaatsingen voor 224 personen"]),
    ("verloop", "Door de tijd", ["Formatie, bezetting en vacatures", "188,00", "189,50", "1 mei 2021",
                                 "Span per coach/coördinator", "Norm 22 fte"]),
    ("versies", "Versies", ["Was/wordt-lijst", "Oorspronkelijk bestand downloaden", "Deze versie terugzetten"]),
    ("laden", "Gegevens laden", ["Excel-bestand", "Soort gegevens", "Vastleggen"]),
    ("opgaven", "Opgaven", ["Planbord", "Verkenning", "Afgesloten", "Revitalisering Wassenaarse Slag",
                            "1 mijlpaal te laat", "Afgesloten zonder evaluatie", "Bespreekpunten"]),
    ("opgaven?weergave=Tabel", "Opgaven", ["Portefeuillehouder", "Sorteren op", "Te laat (open)"]),
    ("opgaven?weergave=Mijlpalen", "Opgaven", ["Peildatum 1 juni 2021", "Te laat (nog open)",
                                               "Ontwerp besproken met de strandexploitanten"]),
    ("opgaven?weergave=Budget", "Opgaven", ["over budget", "€\u00a0781.200"]),
    ("opgaven?weergave=Capaciteit", "Opgaven", ["Informatie & Automatisering", "33,7\u00a0%", "Grens 25\u00a0%"]),
    ("opgaven?weergave=Lange+termijn+agenda", "Opgaven", ["Burgemeester D. Demo", "Peildatum 1 juni 2021"]),
    ("opgaven?weergave=Per+opgave", "Opgaven", ["Projecten", "Looptijd", "Historie over de versies"]),
    ("dienstverlening", "Dienstverleningsnormen", ["Gehaald", "Niet gemeten", "dec 2022", "5,3 dagen",
                                                   "Telefoon binnen 30 seconden opgenomen", "Norm gehaald",
                                                   "Net niet gehaald", "Niet gehaald",
                                                   "Geen score in dec 2022. Laatste score: aug 2022."]),
    ("dienstverlening?weergave=Scorekaart&korrel=Tertiaal", "Dienstverleningsnormen",
     ["2022 T3", "Gewogen naar aantal: 4 maanden", "Gemiddelde van 4 maanden"]),
    ("dienstverlening?weergave=Trends", "Dienstverleningsnormen", ["80,0\u00a0%", "5,0 dagen",
                                                                   "Klanttevredenheid dienstverlening"]),
    ("dienstverlening?weergave=Per+norm", "Dienstverleningsnormen", ["Historie", "Notitie toevoegen",
                                                                     "Notitie opslaan"]),
    ("toegankelijkheid", "Toegankelijkheid", ["WCAG 2.1", "Ernstige problemen", "Bekende uitzonderingen", "Contact"]),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(db: Path, secrets: Path | None = None, port: int | None = None, env_extra: dict | None = None):
    """Streamlit on `db`. `secrets`: the secrets.toml to use; without it none at all (no login
    configured: the demo runs open), whatever .streamlit/secrets.toml a developer has locally.
    `env_extra`: more environment for the server."""
    port = port or _free_port()
    env = {k: v for k, v in os.environ.items() if k != "STUURBORD_ZONDER_INLOG"}
    env["STUURBORD_DB"] = str(db)
    env.update(env_extra or {})
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--secrets.files", str(secrets or db.parent / "geen-secrets.toml")],
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
        nav = page.locator(".st-key-navigatie").inner_text()
        assert "Organisatie" in nav and "Formatie en bezetting" in nav
        assert "Geladen gegevens" in page.locator("[data-testid='stSidebar']").inner_text()
        assert page.locator("h1").first.inner_text().strip() == "Span of attention"
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def own_server(demo_db_file, tmp_path):
    """A server on a private copy of the demo store (for tests that write)."""
    import shutil
    db = tmp_path / "eigen.duckdb"
    shutil.copyfile(demo_db_file, db)
    proc, url = _start_server(db)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, url: str, requests: list | None = None):
    """Open `url` and wait until the page is drawn. `requests`: a list that collects the URL
    of every request the browser makes (images, scripts, fetches), from the first one."""
    # Streamlit scrolls inside its own container, so a full-page screenshot is only as
    # tall as the viewport: use a tall one to see the whole page.
    page = browser.new_page(viewport={"width": 1440, "height": 2600})
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
    return wait_drawn(page)


def wait_drawn(page):
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
        for js_error in ("TypeError", "ReferenceError", "SyntaxError", "RangeError"):  # a chart failing in the browser
            assert js_error not in body, f"{js_error} in de pagina {path or '/'}"
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


def test_dienstverlening_note_typed_in_the_browser_shows_on_the_trend_chart(server, browser):
    """A note saved on the Per norm tab is written while Streamlit serves (the page releases
    its read-only connection first) and shows on the Trends chart at its point."""
    page = open_page(browser, f"{server}/dienstverlening?weergave=Per+norm")
    try:
        form = page.locator("[data-testid='stForm']")
        form.locator("[data-testid='stSelectbox']").first.click()
        page.keyboard.type("mrt 2022")
        page.keyboard.press("Enter")
        form.locator("input[aria-label='Notitie']").fill("storing telefooncentrale")
        form.locator("button", has_text="Notitie opslaan").click()
        page.wait_for_function("document.querySelector(\"[data-testid='stMain']\").innerText"
                               ".includes('Notitie opgeslagen')", timeout=20_000)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=20_000)
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "Notitie opgeslagen bij Telefoon binnen 30 seconden opgenomen, mrt 2022." in body
        assert "Notities bij deze norm" in body
        page.screenshot(path=str(SHOTS / "dienstverlening-notitie-opgeslagen.png"), full_page=True)
    finally:
        page.close()
    page = open_page(browser, f"{server}/dienstverlening?weergave=Trends")
    try:
        svg = " ".join(page.locator(".js-plotly-plot").all_inner_texts())
        assert "storing telefooncentrale" in svg
        page.screenshot(path=str(SHOTS / "dienstverlening-trends-notitie.png"), full_page=True)
    finally:
        page.close()


def test_export_popover_downloads_a_png_and_a_csv_for_the_raad(server, browser):
    """Span page → Exporteren: the PNG is rendered by kaleido (system Chromium) with the coach
    named by the eenheden led; the CSV opens in Dutch Excel."""
    page = open_page(browser, f"{server}/span")
    page.get_by_role("button", name="Exporteren").click()
    page.get_by_role("button", name="Span of attention per coach/coördinator", exact=True).wait_for(timeout=30_000)
    page.screenshot(path=str(SHOTS / "export-popover.png"))
    with page.expect_download(timeout=60_000) as png:
        page.get_by_role("button", name="Span of attention per coach/coördinator", exact=True).click()
    assert png.value.suggested_filename.startswith("span-of-attention_") and png.value.suggested_filename.endswith(".png")
    data = Path(png.value.path()).read_bytes()
    assert data[:4] == b"\x89PNG"
    (SHOTS / "export-span.png").write_bytes(data)
    with page.expect_download(timeout=30_000) as csv_file:
        page.get_by_test_id("stPopoverBody").get_by_role("button", name="CSV").click()
    text = Path(csv_file.value.path()).read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Coach/coördinator van;Fte"), "raad: coaches by eenheid, no names"
    assert "Wijkbeheer en groenonderhoud (coach 1 van 2);22,43;27,0;22;ja" in text
    assert page.locator("[data-testid='stBaseButton-elementToolbar'][aria-label='Download as CSV']").count() == 0
    page.close()


def test_raadspakket_in_one_click(server, browser):
    from pypdf import PdfReader
    page = open_page(browser, f"{server}/raadspakket")
    page.get_by_role("button", name="Raadspakket maken").click()
    page.get_by_role("button", name="PDF downloaden").wait_for(timeout=90_000)
    page.screenshot(path=str(SHOTS / "raadspakket.png"))
    with page.expect_download(timeout=30_000) as pdf:
        page.get_by_role("button", name="PDF downloaden").click()
    reader = PdfReader(pdf.value.path())
    assert len(reader.pages) >= 8
    assert "Raadspakket Stuurbord" in reader.pages[0].extract_text()
    assert pdf.value.suggested_filename.startswith("raadspakket_")
    page.close()


def test_versies_download_gives_the_original_file(server, browser):
    """The stored file is read only when the button is clicked (a callable in its own thread)."""
    page = open_page(browser, f"{server}/versies")
    with page.expect_download(timeout=30_000) as dl:
        page.get_by_role("button", name="Oorspronkelijk bestand downloaden").first.click()
    name = dl.value.suggested_filename
    assert Path(dl.value.path()).read_bytes() == (ROOT / "data" / "demo" / name).read_bytes()
    page.close()


# --- hostile text (issue #12) -----------------------------------------------------------------
HOSTILE_PAGES = [
    "", "formatie", "formatie?weergave=Per+eenheid", "formatie?weergave=Opbouw+van+de+formatie",
    "formatie?weergave=Versies+vergelijken", "span", "opgaven", "opgaven?weergave=Tabel", "opgaven?weergave=Mijlpalen",
    "opgaven?weergave=Budget", "opgaven?weergave=Capaciteit", "opgaven?weergave=Lange+termijn+agenda",
    "opgaven?weergave=Per+opgave", "dienstverlening", "dienstverlening?weergave=Trends",
    "dienstverlening?weergave=Per+norm", "versies", "laden", "raadspakket", "regels", "scenarios",
    "scenarios?weergave=Opgeslagen", "scenarios?weergave=Vergelijken", "waswordt",
    "waswordt?weergave=Plaatsingsvormen", "waswordt?weergave=Dubbele+plaatsingen", "verloop", "logboek",
    "instellingen"]
# pages that show the data in tables, lists and canvases only (innerText does not reach those)
TABLES_ONLY = ("versies", "laden", "raadspakket", "logboek", "instellingen", "waswordt", "regels")
# what a reader sees as typed (before the invisible characters of fixtures.HOSTILE)
HOSTILE_TYPED = "**vet** _schuin_ `code` ~~weg~~ :red"  # short enough for an axis label


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """A server on a store whose every text column holds fixtures.HOSTILE (and 100.000-character names)."""
    d = tmp_path_factory.mktemp("vijandig")
    db = d / "vijandig.duckdb"
    store.initialise(db)
    fx.load_hostile(db, d)
    # not demo data and no login configured: only the test door lets a browser in (docs/access.md)
    proc, url = _start_server(db, env_extra={"STUURBORD_ZONDER_INLOG": "1"})
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def assert_inert(page, url: str, requests: list[str], where: str) -> str:
    """No request left the server, nothing from the data became an image, a link, LaTeX or a
    format; returns the page's text as a reader sees it."""
    outside = [r for r in requests if not r.startswith((url, "data:", "blob:", "about:"))]
    assert not outside, f"{where}: verzoeken buiten de server: {outside[:5]}"
    main = page.locator("[data-testid='stMain']")
    assert main.locator("img[src*='elders.invalid']").count() == 0
    assert main.locator("a[href*='elders.invalid'], a[href^='mailto:']").count() == 0
    assert main.locator(".katex").count() == 0, f"{where}: LaTeX uit de gegevens"
    assert page.locator(".js-plotly-plot a").count() == 0, f"{where}: een link in een grafiek"
    for tag, word in (("strong", "vet"), ("em", "schuin"), ("del", "weg"), ("code", "code")):
        # our own bold texts may hold data ("**Te laat** — <opgave>"); none is the data's own markup
        assert word not in [t.strip() for t in main.locator(tag).all_inner_texts()], f"{where}: <{tag}>{word}"
    text = main.inner_text().replace("\u2060", "")
    assert not any(c in text for c in ("\u202e", "\u200b", "\u2066")), f"{where}: onzichtbare tekens"
    return text


@pytest.mark.parametrize("path", HOSTILE_PAGES, ids=[_shot_name(p) for p in HOSTILE_PAGES])
def test_hostile_text_is_plain_text_in_chromium_and_nothing_leaves_localhost(hostile_server, browser, path):
    requests: list[str] = []
    page = open_page(browser, f"{hostile_server}/{path}", requests)
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"vijandig-{_shot_name(path)}.png"), full_page=True)
        text = assert_inert(page, hostile_server, requests, path or "/")
        assert page.locator("[data-testid='stException']").count() == 0 and "Er ging iets mis" not in text
        if not path.startswith(TABLES_ONLY):
            assert HOSTILE_TYPED in text, f"de tekst staat niet zoals getypt op {path or '/'}"
    finally:
        page.close()


def test_hostile_upload_and_raadspakket_in_chromium(hostile_server, browser, tmp_path):
    """A hostile workbook with a hostile file name through Gegevens laden, then the pack made
    in the browser from hostile data: no outside request, the PDF holds the text as text."""
    from pypdf import PdfReader
    sheets = fx.hostile_sheets()["opgaven"]  # the stored version, plus one opgave
    sheets["Opgaven"].append([fx.hostile("G9"), "A. Adviseur", None, "verkenning"])
    sheets["Opgaven"].insert(0, ["Peildatum: 31-12-2022"])  # else the page first asks for one
    upload = fx.write_xlsx(tmp_path / f"opgaven {fx.HOSTILE[:30].replace('`', '')}.xlsx", sheets)
    requests: list[str] = []
    page = open_page(browser, f"{hostile_server}/laden", requests)
    try:
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(upload))
        try:
            page.wait_for_function("document.querySelector(\"[data-testid='stMain']\").innerText"
                                   ".includes('Opgaven toegevoegd')", timeout=60_000)
        finally:
            page.screenshot(path=str(SHOTS / "vijandig-laden-voorbeeld.png"), full_page=True)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)
        text = assert_inert(page, hostile_server, requests, "laden")
        assert "Toegevoegd: G9 " + HOSTILE_TYPED in text
    finally:
        page.close()
    requests = []
    page = open_page(browser, f"{hostile_server}/raadspakket", requests)
    try:
        page.get_by_role("button", name="Raadspakket maken").click()
        page.get_by_role("button", name="PDF downloaden").wait_for(timeout=120_000)
        with page.expect_download(timeout=30_000) as pdf:
            page.get_by_role("button", name="PDF downloaden").click()
        text = "\n".join(p.extract_text() for p in PdfReader(pdf.value.path()).pages)
        assert "**vet** _schuin_ `code`" in text and ":red[rood]" in text
        assert_inert(page, hostile_server, requests, "raadspakket")
    finally:
        page.close()


def test_a_file_over_25_mb_is_refused_in_dutch_in_the_browser(server, browser, tmp_path):
    """26 MB: under Streamlit's own limit (50 MB, English tooltip), over the contract's 25 MB."""
    big = tmp_path / "groot.xlsx"
    big.write_bytes(b"PK\x03\x04" + b"\x00" * (26 * 1024 * 1024))
    page = open_page(browser, f"{server}/laden")
    try:
        shown = page.evaluate("""() => {
            const zone = document.querySelector("[data-testid='stFileUploaderDropzoneInstructions']");
            return [zone.innerText.trim(), getComputedStyle(zone.firstElementChild, '::after').content];
        }""")
        assert shown == ["", '"Maximaal 25 MB · .xlsx of .xlsm"'], shown  # not Streamlit's "50MB per file"
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(big))
        page.wait_for_function("document.querySelector(\"[data-testid='stMain']\").innerText.includes('geweigerd')",
                               timeout=60_000)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)
        body = page.locator("[data-testid='stMain']").inner_text()
        page.screenshot(path=str(SHOTS / "laden-te-groot.png"), full_page=True)
        assert "'groot.xlsx' is geweigerd: 1 fout" in body and "or smaller" not in body
    finally:
        page.close()


def _idle(page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)


def _pick(page, key: str, option: str) -> None:
    """Choose an option of the selectbox with widget key `key` (clicked, not typed: typing
    filters fuzzily)."""
    page.locator(f".st-key-{key} [data-testid='stSelectbox']").click()
    page.locator("[role='option']", has_text=option).first.click()
    _idle(page)


def _wait_for(page, text: str) -> None:
    page.wait_for_function(f"document.querySelector(\"[data-testid='stMain']\").innerText.includes({text!r})",
                           timeout=30_000)
    _idle(page)


def test_scenario_made_by_clicking_saved_as_variant_b_and_found_again(own_server, browser):
    """Issue #15, done when: move Post & Archief to another coach, see the new spans and rule
    results beside today's, save it as "Variant B" and find it again."""
    page = open_page(browser, f"{own_server}/scenarios")
    try:
        _pick(page, "sc_eenheid", "Post & Archief")
        _pick(page, "sc_naar", "Ruben Testerink")
        page.locator(".st-key-sc_toepassen button").click()
        _wait_for(page, "Post & Archief naar Ruben Testerink")
        _wait_for(page, "28,03 fte")  # the scenario's largest span (elements are replaced one by one)
        page.wait_for_function("document.querySelectorAll(\"[data-testid='stPlotlyChart'] .main-svg\").length > 0")
        body = page.locator("[data-testid='stMain']").inner_text()
        page.screenshot(path=str(SHOTS / "scenario-post-archief-verplaatst.png"), full_page=True)
        assert "28,03 fte" in body and "22,43 fte" in body  # largest span: today Bram 22,43, scenario Ruben 28,03
        assert "Ruben Testerink leidt 28,03 fte (Informatie & Automatisering en Post & Archief), 6,03 fte boven de " \
               "norm van 22 fte." in body
        page.screenshot(path=str(SHOTS / "scenario-post-archief-verplaatst.png"), full_page=True)
        page.locator(".st-key-sc_naam input").fill("Variant B")
        page.keyboard.press("Enter")
        _idle(page)
        page.locator(".st-key-sc_opslaan button").click()
        _wait_for(page, "Scenario ‘Variant B’ opgeslagen")
        page.screenshot(path=str(SHOTS / "scenario-opgeslagen.png"), full_page=True)
    finally:
        page.close()
    page = open_page(browser, f"{own_server}/scenarios?weergave=Opgeslagen")
    try:
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "Variant B" in body
        page.screenshot(path=str(SHOTS / "scenario-lijst.png"), full_page=True)
        page.locator(".st-key-sc_openen button").click()
        _wait_for(page, "Scenario Variant B")
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "Post & Archief naar Ruben Testerink" in body and "28,03 fte" in body
        page.screenshot(path=str(SHOTS / "scenario-heropend.png"), full_page=True)
    finally:
        page.close()


# --- the start page: what needs attention, above the fold, one click to the filtered view -----------------
FOLD = {"width": 1440, "height": 900}


def signal_row(page, text: str):
    """The row of the attention list that names `text`."""
    return page.locator(".st-key-aandacht [data-testid='stHorizontalBlock']").filter(has_text=text).first


def assert_signals_above_the_fold(page, n: int) -> None:
    rows = page.locator(".st-key-aandacht [data-testid='stHorizontalBlock']")
    assert rows.count() >= n
    for i in range(n):
        box = rows.nth(i).bounding_box()
        assert box and box["y"] + box["height"] <= FOLD["height"], f"signaal {i + 1} staat onder de vouw: {box}"


def test_start_page_shows_what_needs_attention_above_the_fold(server, browser):
    page = browser.new_page(viewport=FOLD)
    try:
        page.goto(server)
        wait_drawn(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "start-1440x900-demo.png"))
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "Wat aandacht vraagt" in body and "Peildata meer dan een kwartaal uit elkaar" in body
        assert_signals_above_the_fold(page, aandacht.TOP)
    finally:
        page.close()


@pytest.mark.parametrize("subject,url_part,expect", [
    ("Bram Schijnvliet", "/span?coach=", "Bram Schijnvliet: 22,43 fte"),
    ("(OR-MELD)", "/dienstverlening?", "Historie"),
    ("Openbare Orde en Veiligheid", "/formatie?", "Schaalverdeling"),
])
def test_following_a_signal_lands_on_the_filtered_view(server, browser, subject, url_part, expect):
    page = browser.new_page(viewport=FOLD)
    try:
        page.goto(server)
        wait_drawn(page)
        signal_row(page, subject).get_by_role("link", name="Open").click()
        page.wait_for_url(lambda u: url_part in u, timeout=30_000)
        wait_drawn(page)
        main = page.locator("[data-testid='stMain']")
        assert expect in main.inner_text()
        if "dienstverlening" in url_part:  # the Per norm tab, with this norm chosen (not the first one)
            assert page.get_by_role("tab", name="Per norm").get_attribute("aria-selected") == "true"
            assert "Norm ≤ 5,0 dagen" in main.inner_text()
        if "formatie" in url_part:  # the Per eenheid tab, on this eenheid (not the first one)
            assert "Plaatsingen in Openbare Orde en Veiligheid" in main.inner_text()
        page.screenshot(path=str(SHOTS / f"signaal-{url_part.strip('/?=').replace('?', '-')}.png"))
    finally:
        page.close()
