"""Views designed for a large municipality (issue #13): on the generated organisation at
scale 20 (220 eenheden, ~220 coaches, 60 opgaven, ~600 milestones, 100 norms) the pages start
at cluster level, chart the largest and most urgent items and offer the rest, while the
demo (tests/test_pages.py) looks as it always did."""
from __future__ import annotations

import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

import fixtures as fx
from etl.demo import load_demo
from stuurbord.domain import opgaven as og
from stuurbord.domain import organisatie as org
from stuurbord.ui import fmt

N = 20


@pytest.fixture(scope="module")
def _scale_template(tmp_path_factory):
    db = tmp_path_factory.mktemp("schaal20") / "groot.duckdb"
    load_demo(db=db, log=lambda *_: None, scale=N)
    return db


@pytest.fixture
def groot(_scale_template, tmp_path, monkeypatch):
    db = tmp_path / "groot.duckdb"
    shutil.copyfile(_scale_template, db)
    monkeypatch.setenv("STUURBORD_DB", str(db))
    return db


def run(page: str, tab: str | None = None) -> AppTest:
    at = AppTest.from_file(str(fx.ROOT / "app.py"), default_timeout=120)
    at.secrets = {"stuurbord": {"contact": "de test"}}  # no login configured: the (synthetic) demo runs open
    at.run()
    at.switch_page(f"pages/{page}")
    if tab:
        at.query_params["weergave"] = tab
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [e for e in at.error if "Er ging iets mis" in e.value]
    return at


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def test_formatie_starts_at_cluster_level_and_zooms_into_a_cluster(groot):
    clusters = fx.query(groot, "SELECT count(DISTINCT cluster), count(*) FROM fte_per_eenheid")[0]
    assert clusters[1] > org.MAX_EENHEDEN_IN_CHART
    at = run("formatie.py")
    treemap, bars = charts(at)[:2]
    assert len(treemap["data"][0]["ids"]) == clusters[0]  # one tile per cluster, no eenheden
    names = [r[0] for r in fx.query(groot, "SELECT DISTINCT cluster FROM fte_per_eenheid")]
    assert sorted(bars["data"][0]["y"]) == sorted(names)  # one bar per cluster, named by its cluster
    cluster_table = at.dataframe[0].value
    assert len(cluster_table) == clusters[0] and "Eenheden" in cluster_table.columns
    first = sorted(fx.query(groot, "SELECT DISTINCT cluster FROM fte_per_eenheid"))[0][0]
    at.selectbox(key="cluster").set_value(first).run()
    eenheden = fx.query(groot, "SELECT count(*) FROM fte_per_eenheid WHERE cluster = ?", [first])[0][0]
    treemap, bars = charts(at)[:2]
    assert len(treemap["data"][0]["ids"]) == 1 + eenheden  # the cluster and its eenheden
    assert len(at.dataframe[-1].value) == eenheden


def test_formatie_search_finds_one_eenheid(groot):
    at = run("formatie.py")
    name = fx.query(groot, "SELECT eenheid FROM fte_per_eenheid ORDER BY eenheid LIMIT 1 OFFSET 17")[0][0]
    at.text_input(key="zoek_eenheid").set_value(name).run()
    assert at.dataframe[-1].value["Eenheid"].tolist() == [name]


def test_span_charts_everyone_above_the_norm_and_the_largest_others(groot):
    span = fx.query_dicts(groot, "SELECT coach, fte FROM span_per_coach")
    above = [r for r in span if r["fte"] > 22]
    assert len(span) > org.MAX_COACHES_IN_CHART and above
    at = run("span.py")
    bars = next(c for c in charts(at) if c["data"][0]["type"] == "bar")
    shown = set(bars["data"][0]["y"])
    assert len(shown) == org.MAX_COACHES_IN_CHART and {r["coach"] for r in above} <= shown
    assert len(at.warning[0].value) < 1200  # names a few, not all, of those above the norm
    at.toggle(key="span_alle").set_value(True).run()
    bars = next(c for c in charts(at) if c["data"][0]["type"] == "bar")
    assert len(bars["data"][0]["y"]) == len(span)


def test_planbord_shows_the_opgaven_with_signals_first_per_fase(groot):
    n = fx.query(groot, "SELECT count(*) FROM opgave_voortgang")[0][0]
    assert n > og.MAX_KAARTEN_PER_FASE * len(og.FASEN)
    at = run("opgaven.py")
    rest = [c.value for c in at.caption if c.value.startswith("en nog ")]
    assert rest, "columns with more than the maximum say how many are left out"
    at.toggle(key="alle_kaarten").set_value(True).run()
    assert not [c.value for c in at.caption if c.value.startswith("en nog ")]


def test_milestone_timeline_shows_the_latest_ones(groot):
    assert fx.query(groot, "SELECT count(*) FROM opg_mijlpaal WHERE version = 1")[0][0] > og.MAX_MIJLPALEN_IN_CHART
    at = run("opgaven.py", "Mijlpalen")
    gantt = charts(at)[0]
    rows = set()
    for trace in gantt["data"]:
        y = trace.get("y") or []
        rows |= set(zip(*y)) if y and isinstance(y[0], list) else set(y)  # a two-level axis: (opgave, mijlpaal)
    assert 0 < len(rows) <= og.MAX_MIJLPALEN_IN_CHART


def test_norms_come_in_pages(groot):
    at = run("dienstverlening.py")
    assert len([m for m in at.metric if " · " in m.label]) == 24
    assert at.selectbox(key="tegels_pagina").options[0].startswith("1–24 van ")


def test_was_wordt_flows_start_per_cluster_and_zoom_into_one(groot):
    eenheden = fx.query(groot, "SELECT count(DISTINCT eenheid) FROM ww_plaatsing WHERE version = "
                               "(SELECT version FROM huidige_versie WHERE kind = 'wasword')")[0][0]
    assert eenheden > org.MAX_EENHEDEN_IN_CHART
    clusters = sorted(r[0] for r in fx.query(groot, "SELECT DISTINCT cluster FROM fte_per_eenheid"))
    at = run("waswordt.py")
    sankey = charts(at)[0]["data"][0]
    targets = {sankey["node"]["label"][t].rsplit(" (", 1)[0] for t in sankey["link"]["target"]}
    assert targets == set(clusters)  # one node per new cluster, not 1.100 eenheden
    total = fx.query(groot, "SELECT count(*) FROM ww_plaatsing WHERE version = "
                            "(SELECT version FROM huidige_versie WHERE kind = 'wasword')")[0][0]
    assert at.dataframe[0].value.iloc[-1]["Totaal"] == fmt.getal(total)  # the matrix still sums to the list
    at.selectbox(key="stromen_cluster").set_value(clusters[0]).run()
    sankey = charts(at)[0]["data"][0]
    targets = {sankey["node"]["label"][t].rsplit(" (", 1)[0] for t in sankey["link"]["target"]}
    mine = {r[0] for r in fx.query(groot, "SELECT eenheid FROM fte_per_eenheid WHERE cluster = ?", [clusters[0]])}
    assert targets and targets <= mine


def test_span_over_time_draws_a_dozen_lines_and_who_crossed_the_norm(groot):
    crossed = {r[0] for r in fx.query(groot, "SELECT coach FROM span_per_coach WHERE fte > norm_fte")}
    at = run("verloop.py")
    lines = next(c for c in charts(at) if any(t.get("name", "").startswith("Coach") for t in c["data"]))
    names = {t["name"] for t in lines["data"] if t.get("mode") == "lines+markers"}
    assert crossed <= names and len(names) <= max(len(crossed), org.MAX_COACHES_IN_VERLOOP)
    extra = sorted(set(at.multiselect(key="verloop_coaches").options) - names)[0]
    at.multiselect(key="verloop_coaches").select(extra).run()
    lines = next(c for c in charts(at) if any(t.get("name", "").startswith("Coach") for t in c["data"]))
    assert extra in {t["name"] for t in lines["data"]}
    coaches = fx.query(groot, "SELECT count(*) FROM span_per_coach")[0][0]
    assert len(at.dataframe[1].value) == coaches  # the table keeps everyone


def test_scenario_comparison_charts_who_matters_and_tables_everyone(groot):
    span = fx.query_dicts(groot, "SELECT coach, fte, norm_fte FROM span_per_coach")
    above = {r["coach"] for r in span if r["fte"] > r["norm_fte"]}
    at = run("scenarios.py")
    bars = next(c for c in charts(at) if c["data"][0]["type"] == "bar")
    shown = set(bars["data"][0]["y"])
    assert above <= shown and len(shown) == max(len(above), org.MAX_COACHES_IN_CHART) < len(span)
    assert len(at.dataframe[0].value) == len(span)


def test_the_raad_span_chart_at_scale_shows_those_above_the_norm_and_the_table_all(groot):
    from etl import store
    from stuurbord.data import queries
    from stuurbord.export import views
    with store.reader(groot) as con:
        span, fte = queries.span_per_coach(con), queries.fte_per_eenheid(con)
    section = views.span(span, fte, 22.0)
    bars = section.figures[0].fig.data[0]
    assert len(bars.y) == org.MAX_COACHES_IN_CHART < len(span) == len(section.tables[0].frame)
    assert f"{org.MAX_COACHES_IN_CHART} van de {fmt.getal(len(span))} coach" in section.figures[0].note


def test_the_raadspakket_of_a_large_municipality_is_made_and_charts_what_reads(groot):
    """At scale the pack charts clusters, the largest budgets and claims and the norms that
    were missed; every table keeps all rows; the PDF is made (it was refused at 100x)."""
    from etl import store
    from stuurbord.export import images, pack, views
    with store.reader(groot) as con:
        pakket = pack.build(con)
        n_norms = len(con.execute("SELECT DISTINCT code FROM kpi_scores").fetchall())
    by = {s.slug: s for s in pakket.sections}
    clusters = fx.query(groot, "SELECT count(DISTINCT cluster) FROM fte_per_eenheid")[0][0]
    formatie = by["formatie"].figures[0]
    assert formatie.title == "Formatie en bezetting per cluster" and len(formatie.fig.data[0].y) == clusters
    assert len(by["formatie"].tables[0].frame) > 220  # every eenheid, plus the totals
    for fig in by["opgaven"].figures:
        assert len(fig.fig.data[0].y if fig.fig.data[0].orientation == "h" else fig.fig.data[0].x) <= 40
    trends = [f for f in by["dienstverlening"].figures if f.slug.startswith("trends-")]
    assert n_norms > views.MAX_TRENDS and 0 < len(trends) <= views.MAX_TRENDS // views.PER_GRID
    assert "niet of net niet gehaald" in trends[0].note
    if images.available():
        assert pakket.pdf and pakket.melding is None and pakket.pages > 10
