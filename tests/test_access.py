"""Who may see and change what (issue #11), through AppTest with the identity injected the
way the shell reads it: the README's example secrets (at.secrets) and st.user as a real
OpenID Connect login fills it (at.user). The role × page matrix, each action at the moment
of writing, what the lezer and the raad must never see, the login and refusal screens, and
the audit trail. The real login in Chromium is in test_browser_login.py."""
from __future__ import annotations

import functools

import logging
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

import fixtures as fx
import identities
from etl import logboek, pipeline, store
from stuurbord import shell
from stuurbord.access import audit, identity
from stuurbord.ui import safe
from test_pages import _demo_template, demo_db  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"
APP = str(ROOT / "app.py")


def app(who: str | None = "beheer", *, secrets: dict | None = None, login: bool = True) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    return identities.login(at, who, secrets) if login else identities.without_login(at)


def goto(at: AppTest, path: str | None, tab: str | None = None) -> AppTest:
    """First run on the start page, then (like a deep link) `pages/<path>`."""
    at.run()
    if path:
        at.switch_page(path)
        if tab:
            at.query_params["weergave"] = tab
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def title(at: AppTest) -> str:
    return at.title[0].value if len(at.title) else ""


def texts(at: AppTest) -> str:
    """Every string in every element of the page (markdown, labels, options, captions, chart
    specs, the cells of every table) — what a person could read or find in the page source."""
    out: list[str] = []

    def walk_proto(msg, depth=0):
        if depth > 6:
            return
        for field, value in msg.ListFields():
            many = getattr(field, "is_repeated", None)
            many = many if isinstance(many, bool) else isinstance(value, (list, tuple)) or hasattr(value, "append")
            if field.type == field.TYPE_STRING:
                out.extend(value if many else [value])
            elif field.type == field.TYPE_MESSAGE and not hasattr(value, "keys"):
                for v in (value if many else [value]):
                    walk_proto(v, depth + 1)

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            walk_proto(proto)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    for df in at.dataframe:
        out.append(df.value.to_csv(index=False))
    return "\n".join(out)


PAGES = {path: (title_, shell.page_permission(path)) for _, path, title_, _, _ in shell.PAGES}
RAAD = {"pages/overzicht.py", "pages/raadspakket.py", "pages/formatie.py", "pages/span.py", "pages/opgaven.py",
        "pages/dienstverlening.py", "pages/toegankelijkheid.py"}
ORGANISATIEONTWERP = {"pages/regels.py", "pages/scenarios.py", "pages/waswordt.py", "pages/verloop.py"}
EXPECTED = {  # role -> pages it may open (everything else: "Geen toegang")
    "raad": RAAD,
    "lezer": RAAD | ORGANISATIEONTWERP,
    "controller": RAAD | ORGANISATIEONTWERP | {"pages/laden.py", "pages/versies.py", "pages/logboek.py"},
    "beheer": set(PAGES),
}


# --- the role × page matrix ------------------------------------------------------------------------------
@pytest.mark.parametrize("role", identities.ROLES)
def test_navigation_lists_exactly_the_pages_of_the_role(role):
    """What shell.pages() makes visible (the menu itself is checked in Chromium)."""
    who = identity.Identity("x", role=role)
    assert {p for p in PAGES if identity.allowed(shell.page_permission(p), who)} == EXPECTED[role]
    assert not [p for p in PAGES if identity.allowed(shell.page_permission(p), identity.NOBODY)]


def _spy(real, name, calls):
    """`real`, recording its calls; keeps its signature (data.get passes a connection to a
    function whose first parameter is `con`)."""
    @functools.wraps(real)
    def spy(*a, **k):
        calls.append(name)
        return real(*a, **k)
    return spy


@pytest.mark.parametrize("role", identities.ROLES)
@pytest.mark.parametrize("path", list(PAGES))
def test_role_page_matrix(demo_db, monkeypatch, role, path):
    """Each role opens its pages; a deep link to any other page renders "Geen toegang" and the
    page's queries never run."""
    from stuurbord.data import queries
    calls = []
    for name in ("versies", "logboek", "gebeurtenissen", "fte_per_eenheid", "span_per_coach", "kpi_scores"):
        real = getattr(queries, name)
        monkeypatch.setattr(queries, name, _spy(real, name, calls))
    at = app(role).run()
    calls.clear()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    page_title, _ = PAGES[path]
    if path in EXPECTED[role]:
        assert title(at) == ("Stuurbord" if path == "pages/overzicht.py" else page_title)
        assert "Geen toegang" not in texts(at)
    else:
        assert title(at) == "Geen toegang"
        assert f"U hebt geen toegang tot {page_title}" in " ".join(e.value.replace("**", "") for e in at.error)
        assert calls == [], f"{path} ran queries for {role}: {calls}"
        assert not at.dataframe and not at.metric and not at.get("file_uploader")


def test_sidebar_names_the_person_and_role_with_logout(demo_db):
    at = goto(app("controller"), None)
    side = " ".join(m.value for m in at.sidebar.markdown)
    assert "Carla Controller" in side and "Rol: controller" in side
    assert [b.label for b in at.sidebar.button] == ["Uitloggen"]


# --- actions: each checked when it happens ---------------------------------------------------------------
def test_upload_only_for_controller_and_beheer_and_records_the_person(demo_db):
    at = goto(app("controller"), "pages/laden.py")
    at.file_uploader[0].upload("wasword-juni.xlsx", _changed_wasword()).run()
    assert not at.exception
    assert "Carla Controller (carla.controller@wassenaar.example)" in safe.plain(" ".join(c.value for c in at.caption))
    assert not [t for t in at.text_input if "naam" in t.label.lower()], "no typed name when logged in"
    at.button(key="vastleggen").click().run()
    assert any("versie 3" in s.value for s in at.success), [s.value for s in at.success]
    assert fx.query(demo_db, "SELECT loaded_by FROM versie WHERE kind = 'wasword' AND version = 3") == \
        [("Carla Controller",)]
    row = fx.query_dicts(demo_db, "SELECT * FROM logboek WHERE actie = 'laden' ORDER BY tijdstip DESC")[0]
    assert (row["naam"], row["email"], row["subject"], row["rol"], row["via"]) == \
        ("Carla Controller", "carla.controller@wassenaar.example", "u-0002", "controller", "oidc")
    assert row["versies"] == "wasword v3" and row["details"].startswith("sha256 ")


def _changed_wasword() -> bytes:
    import io

    import openpyxl
    wb = openpyxl.load_workbook(DEMO / "wasword-2021-06.xlsx")
    ws = wb.active
    r = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 8).value == 1 and ws.cell(r, 1).value)
    ws.cell(r, 8).value = 0.5
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_role_taken_away_before_the_click_writes_nothing(demo_db):
    """The commit checks the role when it happens: the controller's group is removed between
    the preview and Vastleggen (a new token); the click changes nothing."""
    at = goto(app("controller"), "pages/laden.py")
    at.file_uploader[0].upload("wasword-juni.xlsx", _changed_wasword()).run()
    before = fx.snapshot(demo_db)
    at.user = {**at.user, "groups": ["GG-Stuurbord-Lezers"]}
    at.button(key="vastleggen").click().run()
    assert title(at) == "Geen toegang"
    assert fx.snapshot(demo_db) == before


def test_restore_records_the_person(demo_db):
    at = goto(app("beheer"), "pages/versies.py")
    at.selectbox(key="versie_wasword").set_value(1).run()
    at.button(key="restore_wasword").click().run()
    assert not [t for t in at.text_input if "naam" in t.label.lower()]
    at.button(key="restore_ja").click().run()
    assert fx.query(demo_db, "SELECT version FROM huidige_versie WHERE kind = 'wasword'") == [(1,)]
    row = fx.query_dicts(demo_db, "SELECT * FROM logboek WHERE actie = 'terugzetten'")[0]
    assert (row["naam"], row["email"], row["versies"]) == ("Bert Beheer", "bert.beheer@wassenaar.example",
                                                           "wasword v1")
    assert fx.query(demo_db, "SELECT door, actie FROM gebeurtenis ORDER BY tijdstip DESC LIMIT 1") == \
        [("Bert Beheer", "restore")]


@pytest.mark.parametrize("role,may", [("raad", False), ("lezer", True), ("controller", True)])
def test_note_form_and_author_from_the_login(demo_db, role, may):
    at = goto(app(role), "pages/dienstverlening.py", "Per norm")
    assert bool([b for b in at.get("form_submit_button") if b.proto.label == "Notitie opslaan"]) is may
    if not may:
        return
    assert not [t for t in at.text_input if t.label == "Auteur"]
    at.text_input(key="notitie_tekst").input("storing telefooncentrale")
    at.button(key="notitie_opslaan").click().run()
    person = identities.PEOPLE[role]
    assert fx.query(demo_db, "SELECT auteur, tekst FROM kpi_notitie") == [(person["name"], "storing telefooncentrale")]
    row = fx.query_dicts(demo_db, "SELECT * FROM logboek WHERE actie = 'notitie'")[0]
    assert (row["naam"], row["email"], row["subject"]) == (person["name"], person["email"], person["sub"])


def test_settings_only_for_beheer_recorded_and_used_by_the_span_page(demo_db):
    at = goto(app("beheer"), "pages/instellingen.py")
    assert "minder dan 5 personen" in " ".join(c.value for c in at.caption)
    at.number_input(key="instelling_span_norm").set_value(20)
    at.button(key="instellingen_opslaan").click().run()
    assert any("Norm span of attention 20" in s.value for s in at.success), [s.value for s in at.success]
    assert fx.query(demo_db, "SELECT waarde FROM instelling WHERE sleutel = 'span_norm_fte'") == [("20",)]
    row = fx.query_dicts(demo_db, "SELECT * FROM logboek WHERE actie = 'instelling'")[0]
    assert (row["naam"], row["onderwerp"], row["details"]) == ("Bert Beheer", "span_norm_fte", "22 -> 20")
    at.switch_page("pages/span.py").run()
    assert at.number_input(key="norm").value == 20
    assert [m.value for m in at.metric if m.label == "Boven de norm"] == ["3"]


# --- what the lezer and the raad must never see ---------------------------------------------------------
LEZER_TOUR = [("pages/overzicht.py", None), ("pages/raadspakket.py", None), ("pages/span.py", None),
              ("pages/formatie.py", "Verdeling"), ("pages/formatie.py", "Per eenheid"),
              ("pages/formatie.py", "Opbouw van de formatie"), ("pages/formatie.py", "Versies vergelijken"),
              ("pages/opgaven.py", "Planbord"), ("pages/opgaven.py", "Tabel"), ("pages/opgaven.py", "Mijlpalen"),
              ("pages/opgaven.py", "Budget"), ("pages/opgaven.py", "Capaciteit"),
              ("pages/opgaven.py", "Lange termijn agenda"), ("pages/opgaven.py", "Per opgave"),
              ("pages/dienstverlening.py", "Scorekaart"), ("pages/dienstverlening.py", "Trends"),
              ("pages/dienstverlening.py", "Per norm")]


def _people(db) -> tuple[set[str], set[str], set[str]]:
    """(employee names that are not also organisational roles, personeelsnummers, role names)."""
    employees = {r[0] for r in fx.query(db, "SELECT DISTINCT naam FROM ww_plaatsing WHERE naam IS NOT NULL")}
    numbers = {r[0] for r in fx.query(db, "SELECT DISTINCT personeelsnummer FROM ww_plaatsing "
                                          "WHERE personeelsnummer IS NOT NULL")}
    roles = {r[0] for r in fx.query(db, """
        SELECT coach FROM org_coach UNION SELECT opdrachtgever FROM opg_opgave
        UNION SELECT portefeuillehouder FROM opg_opgave WHERE portefeuillehouder IS NOT NULL
        UNION SELECT projectleider FROM opg_project""")}
    return employees - roles, numbers, roles


def test_lezer_sees_no_employee_on_any_page_or_tab(demo_db):
    employees, numbers, roles = _people(demo_db)
    seen_roles = False
    for path, tab in LEZER_TOUR:
        at = goto(app("lezer"), path, tab)  # a fresh session per tab: the lazy tab is really open
        if tab:
            assert [t for t in at.tabs if t.label == tab and t.children], f"{path}: tab {tab} did not open"
        text = texts(at)
        leaked = sorted(n for n in employees | numbers if n in text)
        assert not leaked, f"{path} {tab}: {leaked[:5]}"
        seen_roles |= any(r in text for r in roles)
        assert "Oorspronkelijk bestand downloaden" not in text
    assert seen_roles, "the lezer does see coaches and opdrachtgevers by name"
    at = goto(app("lezer"), "pages/formatie.py", "Per eenheid")
    assert "alleen zichtbaar voor de rollen controller en beheer" in " ".join(c.value for c in at.caption)
    assert [df for df in at.dataframe if "Plaatsingsvorm" in df.value.columns and "Plaatsingen" in df.value.columns]


def test_controller_sees_the_placement_list_with_names(demo_db):
    at = goto(app("controller"), "pages/formatie.py", "Per eenheid")
    assert any({"Naam", "Personeelsnummer", "Schaal"} <= set(df.value.columns) for df in at.dataframe)


def test_raad_sees_no_names_at_all_and_suppressed_figures(demo_db):
    employees, numbers, roles = _people(demo_db)
    at = app("raad")
    suppressed = False
    for path in ("pages/overzicht.py", "pages/formatie.py", "pages/span.py", "pages/opgaven.py",
                 "pages/dienstverlening.py", "pages/raadspakket.py"):
        goto(at, path)
        text = texts(at)
        leaked = sorted(n for n in employees | numbers | roles if n in text)
        assert not leaked, f"{path}: {leaked[:5]}"
        suppressed |= "<5" in text
        assert not [b for b in at.get("form_submit_button")], path  # no note form
    assert suppressed
    goto(at, "pages/span.py")
    cells = texts(at)
    assert "Wijkbeheer en groenonderhoud (coach 1 van 2)" in cells, "coaches named by their eenheden"


def test_raad_formatie_equals_the_raadspakket_table(full_db):
    """On the test organisation's small eenheden: the same "<5" cells as the raadspakket."""
    from stuurbord.data import queries
    from stuurbord.export import views
    with store.reader(full_db) as con:
        table, _ = views.formatie_tabel(queries.fte_per_eenheid(con), queries.fte_per_cluster(con),
                                        queries.kerncijfers(con)["personen"])
    at = goto(app("raad"), "pages/formatie.py")
    shown = next(df.value for df in at.dataframe if "Formatie (fte)" in df.value.columns)
    expected = pd.DataFrame({c.label: [table.text(i, c) for i in table.rows()] for c in table.columns})
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), expected)
    assert shown.loc[shown["Eenheid"] == "Inwonersloket", "Personen"].tolist() == ["<5"]


# --- who is not let in --------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [None, "pages/formatie.py", "pages/laden.py", "pages/versies.py"])
def test_anonymous_gets_only_the_welcome_and_login(demo_db, path):
    at = goto(app(None), path)
    assert title(at) == "Stuurbord"
    assert [b.label for b in at.button] == ["Inloggen"]
    assert "Log in met uw account van de gemeente" in " ".join(m.value for m in at.markdown)
    assert not at.metric and not at.dataframe and not at.get("file_uploader") and not at.sidebar.markdown


def test_logged_in_without_a_mapped_group_gets_geen_toegang(demo_db, caplog):
    caplog.set_level(logging.INFO)
    at = goto(app("geen"), "pages/formatie.py")
    assert title(at) == "Geen toegang"
    body = " ".join(m.value for m in at.markdown)
    assert "Gerrit Gast" in body and "functioneel beheerder van Stuurbord" in body
    assert [b.label for b in at.button] == ["Uitloggen"]
    assert not at.metric and not at.dataframe
    log = "\n".join(r.getMessage() for r in caplog.records)
    assert "u-0005" in log and "Gerrit" not in log and "gerrit.gast@" not in log, "only the subject in logs"


def test_unknown_role_in_the_mapping_gives_no_access(demo_db):
    secrets = identities.example_secrets()
    secrets["stuurbord"]["rollen"] = {"claim": "groups", "admin": ["GG-Stuurbord-Lezers"]}
    at = goto(app("lezer", secrets=secrets), None)
    assert title(at) == "Geen toegang"
    cfg = identity.config(secrets, {})
    assert any("kent geen rol 'admin'" in w for w in cfg.warnings)


@pytest.mark.parametrize("change,message", [
    ({"cookie_secret": "kort"}, "cookie_secret is te kort"),
    ({"cookie_secret": "a" * 64}, "niet willekeurig genoeg"),
    ({"cookie_secret": "VERVANG-door-een-lange-willekeurige-tekenreeks"}, "voorbeeldbestand"),
    ({"redirect_uri": "http://localhost:8501/"}, "/oauth2callback"),
])
def test_a_weak_configuration_lets_nobody_in(demo_db, change, message):
    secrets = identities.example_secrets()
    secrets["auth"].update(change)
    at = goto(app("beheer", secrets=secrets), "pages/formatie.py")
    assert title(at) == "Stuurbord is niet goed ingesteld"
    assert message in " ".join(m.value for m in at.markdown)
    assert not at.metric and not at.dataframe and not at.button


def test_missing_role_mapping_lets_nobody_in(demo_db):
    secrets = identities.example_secrets()
    del secrets["stuurbord"]["rollen"]
    at = goto(app("beheer", secrets=secrets), None)
    assert title(at) == "Stuurbord is niet goed ingesteld"


@pytest.mark.parametrize("secret,ok", [("k3Vq9-TzW8pLx2Rb7Nf0Yc4Hs6Ud1Ga5Je-MoPi_Qw", True),
                                       ("0123456789abcdef" * 4, True), ("wachtwoord" * 4, False),
                                       ("x" * 31, False), ("", False), (None, False)])
def test_cookie_secret_strength(secret, ok):
    assert (identity.secret_strength(secret) is None) is ok


# --- no login configured --------------------------------------------------------------------------------------
def test_demo_without_login_runs_open_with_a_banner(demo_db):
    at = goto(app(login=False), "pages/laden.py")
    assert title(at) == "Gegevens laden"
    assert any("Demomodus — geen inlog" in w.value for w in at.warning)
    assert at.get("file_uploader")


def test_real_data_without_login_shows_nothing(full_db):
    for path in (None, "pages/formatie.py", "pages/versies.py"):
        at = goto(app(login=False), path)
        assert title(at) == "Stuurbord: inloggen is nog niet ingesteld"
        assert "[auth]" in " ".join(m.value for m in at.markdown)
        assert not at.metric and not at.dataframe and not at.sidebar.markdown


def test_explicit_override_shows_everything_with_a_red_banner(full_db, monkeypatch):
    monkeypatch.setenv(identity.ZONDER_INLOG, "1")
    at = goto(app(login=False), "pages/formatie.py")
    assert title(at) == "Formatie en bezetting"
    assert any("Zonder inlog" in e.value for e in at.error)
    assert at.metric


def test_a_demo_store_with_an_uploaded_file_is_real_data(demo_db):
    """Uploading in demo mode makes the store real: the next run refuses (and says why)."""
    at = goto(app(login=False), "pages/laden.py")
    at.file_uploader[0].upload("wasword-juni.xlsx", _changed_wasword()).run()
    at.button(key="vastleggen").click().run()
    assert fx.query(demo_db, "SELECT loaded_by FROM versie WHERE version = 3") == [(identity.DEMO_NAME,)]
    at.run()
    assert title(at) == "Stuurbord: inloggen is nog niet ingesteld"


# --- the trusted reverse proxy ----------------------------------------------------------------------------------
HEADERS = {"X-Forwarded-User": "sub", "X-Forwarded-Email": "email", "X-Forwarded-Preferred-Username": "name",
           "X-Forwarded-Groups": "groups"}


def test_identity_from_a_trusted_proxy(demo_db):
    secrets = {"stuurbord": identities.example_secrets()["stuurbord"]}
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets = secrets
    at.user = {"sub": "u-0002", "email": "carla.controller@wassenaar.example", "name": "Carla Controller",
               "groups": "GG-Iedereen, GG-Stuurbord-Controllers"}  # one header, comma-separated
    with patch_config_options({"server.trustedUserHeaders": HEADERS}):
        goto(at, "pages/laden.py")
        assert title(at) == "Gegevens laden"
        assert "Rol: controller" in " ".join(m.value for m in at.sidebar.markdown)
        at.user = {"sub": None, "email": None, "name": None, "groups": None}  # the request came around the proxy
        at.run()
        assert title(at) == "Geen toegang" and not at.get("file_uploader")


def test_proxy_and_oidc_together_is_refused():
    cfg = identity.config(identities.example_secrets(), HEADERS)
    assert cfg.problems and "Kies één van beide" in cfg.problems[0]


# --- the audit trail ------------------------------------------------------------------------------------------
def test_a_download_is_recorded_before_the_file_leaves(demo_db):
    who = identity.Identity("Lotte Lezer", "lotte.lezer@wassenaar.example", "u-0001", "lezer", via="oidc")
    make = audit.download(lambda: b"inhoud", who, "span-of-attention.csv", {"organisatie": 1, "wasword": 2})
    assert make() == b"inhoud"
    row = fx.query_dicts(demo_db, "SELECT * FROM logboek WHERE actie = 'download'")[0]
    assert (row["naam"], row["email"], row["subject"], row["onderwerp"], row["versies"]) == \
        ("Lotte Lezer", "lotte.lezer@wassenaar.example", "u-0001", "span-of-attention.csv",
         "organisatie v1, wasword v2")


def test_a_download_that_cannot_be_recorded_does_not_happen(demo_db, monkeypatch):
    who = identity.Identity("Lotte Lezer", role="lezer")
    monkeypatch.setattr(logboek, "add", lambda *a, **k: (_ for _ in ()).throw(store.StoreBusy("bezet")))
    make = audit.download(lambda: b"inhoud", who, "x.csv", {})
    with pytest.raises(store.StoreBusy):
        make()


def test_raadspakket_build_is_recorded(demo_db, monkeypatch):
    from stuurbord.export import images
    monkeypatch.setattr(images, "browser", lambda: None)
    at = goto(app("raad"), "pages/raadspakket.py")
    at.button(key="pakket_maken").click().run()
    row = fx.query_dicts(demo_db, "SELECT * FROM logboek WHERE actie = 'raadspakket'")[0]
    assert row["naam"] == "Rob Raadslid" and row["rol"] == "raad"
    assert row["versies"] == "kpi v1, opgaven v1, organisatie v1, wasword v2"


def test_logboek_page_shows_who_did_what(demo_db):
    at = goto(app("controller"), "pages/versies.py")
    pipeline.restore("wasword", 1, user=identity.Identity("Bert Beheer", "bert.beheer@wassenaar.example", "u-0003",
                                                          "beheer", via="oidc"), db=demo_db)
    at.switch_page("pages/logboek.py").run()
    table = at.dataframe[0].value
    first = table.iloc[0]
    assert (first["Naam"], first["E-mail"], first["Actie"], first["Versies"]) == \
        ("Bert Beheer", "bert.beheer@wassenaar.example", "teruggezet", "wasword v1")
    assert "demo" in set(table["Naam"])  # the demo loads, from the command line


# --- the check for IT ---------------------------------------------------------------------------------------------
def test_check_command_refuses_the_unfilled_example_and_accepts_it_filled(tmp_path, capsys):
    from stuurbord.access.__main__ import main
    assert main(["--secrets", str(identities.EXAMPLE)]) == 1
    assert "cookie_secret is nog de tekst uit het voorbeeldbestand" in capsys.readouterr().out
    filled = tmp_path / "secrets.toml"
    filled.write_text(identities.example_toml("https://idp.example/.well-known/openid-configuration",
                                              "https://stuurbord.wassenaar.example/oauth2callback"), encoding="utf-8")
    assert main(["--secrets", str(filled)]) == 0
    out = capsys.readouterr().out
    assert "OpenID Connect" in out and "In orde." in out and identities.COOKIE_SECRET not in out
