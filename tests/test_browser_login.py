"""A real login in Chromium against a real OpenID Connect provider (oidc-provider-mock,
started here on a free port), with the README's example secrets filled in: what each
role sees, that writes record the person from the token, and logout. Screenshots land in
tests/screenshots/ (login, Geen toegang, the sidebar identity)."""
from __future__ import annotations

import pytest

import fixtures as fx
import identities
from test_access import _people
from test_browser import CHROMIUM, ROOT, SHOTS, _free_port, _start_server, browser, open_page, wait_drawn  # noqa: F401

pytestmark = pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM),
                                reason="Debian chromium ontbreekt (make test installeert het)")
MAIN, SIDE = "[data-testid='stMain']", "[data-testid='stSidebar']"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


@pytest.fixture(scope="module")
def idp():
    """The identity provider: every person of identities.PEOPLE with name, e-mail and groups."""
    import oidc_provider_mock
    from oidc_provider_mock._storage import User
    users = [User(sub=p["sub"], claims={k: v for k, v in p.items() if k != "sub"}) for p in identities.PEOPLE.values()]
    with oidc_provider_mock.run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def site(idp, tmp_path_factory):
    """Stuurbord on a copy of the demo store, login configured as the README tells IT to.
    The app is opened as http://localhost:<port>, the origin of its redirect_uri (Streamlit
    accepts the auth cookie only from that origin)."""
    from etl.demo import load_demo
    folder = tmp_path_factory.mktemp("login")
    db = folder / "stuurbord.duckdb"
    load_demo(db=db, log=lambda *_: None)
    port = _free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(identities.example_toml(f"{idp}/.well-known/openid-configuration",
                                               f"http://localhost:{port}/oauth2callback"), encoding="utf-8")
    proc, _ = _start_server(db, secrets, port)
    yield f"http://localhost:{port}", db
    proc.terminate()
    proc.wait(timeout=10)


def wait_idle(page):
    wait_drawn(page)  # the script has finished and every chart is drawn (labels are in the charts' SVG)


def login(browser, url: str, who: str):
    """A fresh browser (no cookies), the Inloggen button, the provider's form, back in Stuurbord."""
    page = open_page(browser, url)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_placeholder("sub").fill(identities.PEOPLE[who]["sub"])
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**", timeout=30_000)
    wait_idle(page)
    return page


def goto(page, url: str):
    page.goto(url)
    wait_idle(page)
    return page.locator(MAIN).inner_text()


def nav(page) -> str:
    return page.locator(".st-key-navigatie").inner_text()


def test_anonymous_sees_only_the_welcome_and_login(site, browser):
    url, _ = site
    SHOTS.mkdir(parents=True, exist_ok=True)
    for path in ("", "formatie", "span", "laden", "versies", "logboek"):
        page = open_page(browser, f"{url}/{path}")
        try:
            body = page.locator(MAIN).inner_text()
            assert "Log in met uw account van de gemeente" in body
            assert page.get_by_role("button", name="Inloggen").count() == 1
            assert "189,95" not in body and "fte" not in body
            assert page.locator("[data-testid='stFileUploaderDropzoneInput']").count() == 0
            assert page.locator(".st-key-navigatie").count() == 0
            if not path:
                page.screenshot(path=str(SHOTS / "login.png"))
        finally:
            page.close()


def test_someone_without_a_mapped_group_gets_geen_toegang(site, browser):
    url, _ = site
    page = login(browser, url, "geen")
    try:
        body = page.locator(MAIN).inner_text()
        assert "Geen toegang" in body and "Gerrit Gast" in body and "functioneel beheerder" in body
        assert "189,95" not in body
        page.screenshot(path=str(SHOTS / "geen-toegang.png"))
        assert "189,95" not in goto(page, f"{url}/formatie")
    finally:
        page.close()


def test_lezer_sees_figures_but_no_employee_and_no_beheer(site, browser):
    url, db = site
    employees, numbers, roles = _people(db)
    page = login(browser, url, "lezer")
    try:
        menu = nav(page)
        assert "Formatie en bezetting" in menu and "Raadspakket" in menu
        for hidden in ("Gegevens laden", "Versies", "Logboek", "Instellingen"):
            assert hidden not in menu
        side = page.locator(SIDE).inner_text()
        assert "Lotte Lezer" in side and "Rol: lezer" in side and "Uitloggen" in side
        page.locator(SIDE).screenshot(path=str(SHOTS / "sidebar-identiteit.png"))
        seen = ""
        for path in ("", "formatie", "formatie?weergave=Per+eenheid", "formatie?weergave=Versies+vergelijken",
                     "span", "opgaven", "opgaven?weergave=Per+opgave", "dienstverlening?weergave=Per+norm"):
            body = goto(page, f"{url}/{path}")
            leaked = [n for n in employees | numbers if n in body]
            assert not leaked, f"{path}: {leaked[:3]}"
            seen += body
        assert "189,95 fte" in seen and "Bram Schijnvliet" in seen  # figures, and coaches by name
        assert "alleen zichtbaar voor de rollen controller en beheer" in seen
        for path in ("laden", "versies"):
            body = goto(page, f"{url}/{path}")
            assert "Geen toegang" in body and "U hebt geen toegang tot" in body
            assert page.locator("[data-testid='stFileUploaderDropzoneInput']").count() == 0
            assert "Oorspronkelijk bestand downloaden" not in body
        page.screenshot(path=str(SHOTS / "geen-toegang-pagina.png"))
    finally:
        page.close()


def test_raad_sees_suppressed_figures_and_no_names(site, browser):
    url, db = site
    employees, numbers, roles = _people(db)
    page = login(browser, url, "raad")
    try:
        menu = nav(page)
        assert "Gegevens laden" not in menu and "Versies" not in menu
        span = goto(page, f"{url}/span")
        assert "Wijkbeheer en groenonderhoud (coach 1 van 2)" in span
        formatie = goto(page, f"{url}/formatie")
        page.screenshot(path=str(SHOTS / "raad-formatie.png"), full_page=True)
        assert "<5" in formatie
        for body in (span, formatie, goto(page, f"{url}/opgaven"), goto(page, f"{url}/")):
            leaked = [n for n in employees | numbers | roles if n in body]
            assert not leaked, leaked[:3]
    finally:
        page.close()


def test_controller_uploads_restores_and_the_token_names_them_then_logs_out(site, browser, tmp_path):
    import openpyxl
    url, db = site
    wb = openpyxl.load_workbook(ROOT / "data" / "demo" / "wasword-2021-06.xlsx")
    ws = wb.active
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 8).value == 1 and ws.cell(r, 1).value)
    ws.cell(row, 8).value = 0.5
    changed = tmp_path / "wasword-aangepast.xlsx"
    wb.save(changed)
    page = login(browser, url, "controller")

    def wait_for(text: str):
        page.wait_for_function(f"document.querySelector(\"{MAIN}\").innerText.includes({text!r})", timeout=30_000)
        page.wait_for_selector(IDLE, timeout=30_000)

    try:
        goto(page, f"{url}/laden")
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(changed))
        wait_for("Fte gewijzigd")
        body = page.locator(MAIN).inner_text().replace("\u2060", "")  # safe.md's word joiner after the @
        assert "Wordt vastgelegd als Carla Controller (carla.controller@wassenaar.example)" in body
        assert page.locator("input[aria-label^='Uw naam']").count() == 0
        page.locator("button:not([disabled])", has_text="Vastleggen").click()
        wait_for("geladen als was/wordt-lijst versie 3")
        assert fx.query(db, "SELECT loaded_by FROM versie WHERE kind = 'wasword' AND version = 3") == \
            [("Carla Controller",)]
        goto(page, f"{url}/versies")
        page.locator(".st-key-versie_wasword [data-testid='stSelectbox']").click()
        page.locator("[role='option']", has_text="versie 2 ·").click()
        page.wait_for_selector(IDLE, timeout=30_000)
        page.locator(".st-key-restore_wasword button:not([disabled])").click()
        page.wait_for_selector("[role='dialog']", timeout=20_000)
        page.locator("[role='dialog'] button:not([disabled])", has_text="Ja, terugzetten").click()
        wait_for("versie 2 is weer de huidige versie")
        rows = fx.query(db, "SELECT actie, naam, email, subject, via FROM logboek WHERE actie IN "
                            "('laden', 'terugzetten') AND via = 'oidc' ORDER BY tijdstip")
        assert rows == [("laden", "Carla Controller", "carla.controller@wassenaar.example", "u-0002", "oidc"),
                        ("terugzetten", "Carla Controller", "carla.controller@wassenaar.example", "u-0002", "oidc")]
        with page.expect_download(timeout=30_000) as dl:
            page.get_by_role("button", name="Oorspronkelijk bestand downloaden").first.click()
        assert dl.value.suggested_filename.endswith(".xlsx")
        assert fx.query(db, "SELECT naam FROM logboek WHERE actie = 'download'") == [("Carla Controller",)]
        goto(page, f"{url}/logboek")
        page.locator("input[aria-label='Persoon (naam of e-mail bevat)']").fill("carla.controller@")
        page.keyboard.press("Enter")
        wait_for("3 regels")  # geladen, teruggezet, gedownload (the table itself is a canvas)
        page.screenshot(path=str(SHOTS / "logboek.png"), full_page=True)

        # logout: the identity cookie is gone, the provider's end-session page, back to the login
        page.locator(SIDE).get_by_role("button", name="Uitloggen").click()
        page.wait_for_url("**/oauth2/end_session**", timeout=30_000)
        page.get_by_role("button").first.click()  # the mock provider asks to confirm
        page.wait_for_url(f"{url}/**", timeout=30_000)
        wait_idle(page)
        body = page.locator(MAIN).inner_text()
        assert "Log in met uw account van de gemeente" in body and "Carla" not in body
        assert "189,95" not in goto(page, f"{url}/formatie")
    finally:
        page.close()


@pytest.mark.parametrize("who", ["lezer", "raad"])
def test_start_page_at_1440x900_as_lezer_and_raad(site, browser, who):
    """The start page as a manager (lezer) and as the raad at 1440×900: what needs attention
    above the fold; the raad's list names nobody (screenshots for the closing note)."""
    from test_browser import FOLD, assert_signals_above_the_fold
    url, db = site
    employees, numbers, roles = _people(db)
    page = login(browser, url, who)
    try:
        page.set_viewport_size(FOLD)
        goto(page, url)
        page.screenshot(path=str(SHOTS / f"start-1440x900-{who}.png"))
        body = page.locator(MAIN).inner_text()
        assert "Wat aandacht vraagt" in body and "Peildata meer dan een kwartaal uit elkaar" in body
        if who == "lezer":
            assert_signals_above_the_fold(page, 6)
            assert "Bram Schijnvliet" in body or "Alle 10 signalen" in body
        else:
            assert_signals_above_the_fold(page, 4)
            leaked = [n for n in employees | numbers | roles if n in body]
            assert not leaked, leaked[:3]
    finally:
        page.close()
