"""Page tests with Streamlit's AppTest: the figures on screen equal the views'
figures (formatted by stuurbord.ui.fmt), empty and broken states, comparisons."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import fixtures as fx
import identities
from etl.demo import load_demo
from stuurbord.ui import fmt, safe

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    load_demo(db=path, log=lambda *_: None)
    return path


@pytest.fixture
def demo_db(tmp_path, monkeypatch, _demo_template) -> Path:
    """The embedded demo data (two wasword versions) in a private copy; STUURBORD_DB set."""
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(_demo_template, path)
    monkeypatch.setenv("STUURBORD_DB", str(path))
    return path


def run_page(page: str | None = None, tab: str | None = None, role: str | None = "beheer",
             user: dict | None = None) -> AppTest:
    """Run app.py as someone logged in with `role` (identities.PEOPLE; None: no login configured),
    switch to `page`, optionally open a tab (lazy tabs bound to ?weergave=). `user`: claims that
    replace the person's own (a name, an e-mail address)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if role is None:
        identities.without_login(at)
    else:
        identities.login(at, role)
        if user:
            at.user = {"is_logged_in": True, **identities.PEOPLE[role], **user}
    at.run()
    if page:
        at.switch_page(f"pages/{page}")
        if tab:
            at.query_params["weergave"] = tab
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [e for e in at.error if "Er ging iets mis" in e.value], [e.value for e in at.error]
    return at


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if safe.plain(m.label) == label]
    assert values, f"geen metric '{label}': {[m.label for m in at.metric]}"
    return values[0]


def all_markdown(at: AppTest) -> str:
    """The Markdown of the page as a reader sees it (data text is escaped by safe.md)."""
    return safe.plain("\n".join(m.value for m in at.markdown))


# --- Formatie ------------------------------------------------------------------------
def test_formatie_headline_figures_equal_the_view(demo_db):
    rows = fx.query_dicts(demo_db, "SELECT * FROM fte_per_eenheid")
    formatie = sum(r["formatie_fte"] for r in rows)
    bezetting = sum(r["bezetting_fte"] for r in rows)
    personen = fx.query(demo_db, "SELECT count(DISTINCT personeelsnummer) FROM ww_plaatsing "
                                 "WHERE version = 2 AND NOT is_vacature")[0][0]
    at = run_page("formatie.py")
    assert metric(at, "Formatie") == "189,95 fte" == f"{fmt.fte(formatie)} fte"
    assert metric(at, "Bezetting") == "189,50 fte" == f"{fmt.fte(bezetting)} fte"
    assert metric(at, "Vacatures") == "0,45 fte"
    assert metric(at, "Personen") == fmt.getal(personen) == "224"
    assert metric(at, "Eenheden") == "11"
    assert metric(at, "Clusters") == "5"
    assert metric(at, "Fte per persoon") == fmt.getal(bezetting / personen, 2)


def test_formatie_table_shows_every_eenheid_in_dutch_numbers(demo_db):
    at = run_page("formatie.py")
    table = at.dataframe[0].value
    view = {r["eenheid"]: r for r in fx.query_dicts(demo_db, "SELECT * FROM fte_per_eenheid")}
    assert len(table) == 11
    for _, row in table.iterrows():
        v = view[row["Eenheid"]]
        assert row["Formatie fte"] == fmt.fte(v["formatie_fte"])
        assert row["Bezetting fte"] == fmt.fte(v["bezetting_fte"])
        assert row["Vacature fte"] == fmt.fte(v["vacature_fte"])
        assert row["Personen"] == fmt.getal(v["personen"])


def test_formatie_opbouw_explains_the_memo_difference(demo_db):
    at = run_page("formatie.py", "Opbouw van de formatie")
    text = all_markdown(at)
    assert "380,00 × 52 % = 197,6000 fte" in text.replace("\u00a0", " ")
    assert "opgegeven is 200,1100 fte, dat is +2,5100 fte meer dan berekend" in text
    assert "Berekend totaal: 187,4396 fte; opgegeven totaal: 189,9496 fte (verschil +2,5100 fte)" in text
    assert "financiële bijdrage" in text


def test_formatie_version_comparison_in_plain_dutch(demo_db):
    cmp = fx.query_dicts(demo_db, """
        SELECT eenheid, sum(fte) FILTER (WHERE version = 2) - sum(fte) FILTER (WHERE version = 1) AS d
        FROM ww_plaatsing WHERE NOT is_vacature GROUP BY eenheid""")
    at = run_page("formatie.py", "Versies vergelijken")
    text = all_markdown(at)
    wijkbeheer = next(r for r in cmp if r["eenheid"] == "Wijkbeheer en groenonderhoud")
    assert f"{fmt.signed(wijkbeheer['d'])} fte bij Wijkbeheer en groenonderhoud" in text
    assert metric(at, "Verschil") == "+1,50 fte"  # 188,00 -> 189,50


def test_placement_list_only_for_roles_with_personal_data(demo_db):
    """The lezer gets no row per person at all (test_access.py checks every page and tab)."""
    at = run_page("formatie.py", "Per eenheid", role="lezer")
    for df in at.dataframe:
        assert not {"Naam", "Personeelsnummer", "Functie", "Schaal"} & set(df.value.columns)
    at = run_page("formatie.py", "Per eenheid", role="controller")
    assert any("Naam" in df.value.columns for df in at.dataframe)


# --- Span of attention -----------------------------------------------------------------
def test_span_page_matches_view_and_flags_the_coach_above_norm(demo_db):
    view = fx.query_dicts(demo_db, "SELECT * FROM span_per_coach")
    above = [r for r in view if r["boven_norm"]]
    assert [r["coach"] for r in above] == ["Bram Schijnvliet"]
    at = run_page("span.py")
    assert metric(at, "Coach/coördinatoren") == "11"
    assert metric(at, "Boven de norm") == "1"
    assert metric(at, "Grootste span") == f"{fmt.fte(above[0]['fte'])} fte" == "22,43 fte"
    table = at.dataframe[0].value
    for _, row in table.iterrows():
        v = next(r for r in view if r["coach"] == row["Coach/coördinator"])
        assert row["Fte"] == fmt.fte(v["fte"]) and row["Eenheden"] == v["eenheden"]
    # the exceptions come from the rule results (tests/test_regels.py): the memo's two, as the data shows them
    ok = [x.value.replace("\\", "") for x in at.success]
    assert ok == ["**Voldoet** — Ondersteuning en Openbare Orde en Veiligheid delen coach/coördinator Kees Verzinsel, "
                  "zoals de notitie beschrijft.",
                  "**Voldoet** — Wijkbeheer en groenonderhoud heeft 2 coach/coördinatoren (Bram Schijnvliet 60\u00a0% en "
                  "Noor Fictiefsma 40\u00a0%), zoals de notitie beschrijft."]
    assert "**Wijkt af** — Bram Schijnvliet leidt 22,43 fte" in " ".join(w.value for w in at.warning).replace("\\", "")
    assert "maximaal 22 fte" in " ".join(c.value for c in at.caption)


def test_span_norm_can_be_changed_on_the_page(demo_db):
    at = run_page("span.py")
    at.number_input(key="norm").set_value(20).run()
    above = fx.query(demo_db, "SELECT count(*) FROM span_per_coach WHERE fte > 20")[0][0]
    assert metric(at, "Boven de norm") == fmt.getal(above) == "3"


# --- empty and broken states ---------------------------------------------------------------
@pytest.mark.parametrize("page", [None, "formatie.py", "span.py", "versies.py", "regels.py", "scenarios.py",
                                  "waswordt.py", "verloop.py"])
def test_empty_store_explains_what_to_load(tmp_path, monkeypatch, page):
    monkeypatch.setenv("STUURBORD_DB", str(tmp_path / "nog-niet.duckdb"))
    at = run_page(page)
    info = " ".join(i.value for i in at.info)
    assert "nog geen gegevens" in info and "python -m etl demo" in info


def test_broken_database_gives_a_dutch_message_not_a_traceback(tmp_path, monkeypatch):
    bad = tmp_path / "kapot.duckdb"
    bad.write_bytes(b"dit is geen database" * 100)
    monkeypatch.setenv("STUURBORD_DB", str(bad))
    for login in (identities.without_login, lambda at: identities.login(at, "beheer")):
        at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
        at.run()
        assert not at.exception
        assert any("database" in e.value for e in at.error), [e.value for e in at.error]
        assert not at.metric and not at.dataframe


def test_new_load_shows_on_next_run_without_restart(demo_db):
    from etl import pipeline
    at = run_page("formatie.py")
    assert metric(at, "Bezetting") == "189,50 fte"
    pipeline.restore("wasword", 1, user="test", db=demo_db)
    at.run()
    assert metric(at, "Bezetting") == "188,00 fte"


def test_overzicht_names_where_it_strains(demo_db):
    over = fx.query_dicts(demo_db, "SELECT * FROM fte_per_eenheid WHERE vacature_fte < 0 ORDER BY vacature_fte")
    at = run_page()
    at.toggle(key="alle_signalen").set_value(True).run()
    text = all_markdown(at)
    assert "**Bram Schijnvliet** :small[· Boven de span-norm]" in text and "22,43 fte · norm 22 fte (+0,43 fte)" in text
    for r in over:
        assert f"**{r['eenheid']}** :small[· Overbezet]" in text
        assert f"{fmt.fte(r['bezetting_fte'])} fte bezet · formatie {fmt.fte(r['formatie_fte'])} fte" in text


def test_overzicht_summarises_opgaven_and_dienstverlening(demo_db):
    at = run_page()
    assert metric(at, "Mijlpalen te laat") == "2"      # open and planned before 1 juni 2021
    assert metric(at, "Overvraagde eenheden") == "1"   # Informatie & Automatisering
    assert metric(at, "Gehaald") == "7" and metric(at, "Niet gehaald") == "1"  # dec 2022
    at.toggle(key="alle_signalen").set_value(True).run()
    text = all_markdown(at)
    assert "**Revitalisering Wassenaarse Slag** :small[· 1 mijlpaal te laat]" in text
