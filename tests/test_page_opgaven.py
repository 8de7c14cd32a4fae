"""The Opgaven page (AppTest): the figures on screen equal the view opgave_voortgang and
hand-computed values at the demo peildatum 1-6-2021; filters, the capacity grens, the
drill per opgave, history across versions and the empty state."""
from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest

import fixtures as fx
from stuurbord.ui import fmt, safe
from stuurbord.domain import opgaven as og
from test_pages import _demo_template, demo_db, metric, run_page  # noqa: F401 - fixtures

PEIL = date(2021, 6, 1)
IA = "Informatie & Automatisering"


def _view(db) -> list[dict]:
    return fx.query_dicts(db, "SELECT * FROM opgave_voortgang")


def _open_late(db) -> list[tuple]:
    """Hand-computed: open milestones planned before the peildatum."""
    return fx.query(db, "SELECT opgave, mijlpaal FROM opg_mijlpaal WHERE version = 1 AND gerealiseerd IS NULL "
                        "AND gepland < DATE '2021-06-01' ORDER BY rij")


def _planbord(at) -> dict[str, list[str]]:
    """fase heading -> opgave names on the cards in that column."""
    board = {}
    for col in at.columns:
        heads = [safe.plain(m.value) for m in col.markdown if m.value.startswith("#### ")]
        if len(heads) == 1:
            board[heads[0][5:].replace("\u00ad", "")] = [m.value[2:-2] for m in col.markdown
                                                        if m.value.startswith("**") and m.value.endswith("**")]
    return board


def _cards(at) -> dict[str, str]:
    """opgave name -> all markdown of its card."""
    out = {}
    for col in at.columns:
        current = None
        for m in col.markdown:
            value = safe.plain(m.value)
            if value.startswith("**") and value.endswith("**"):
                current = value[2:-2]
                out[current] = ""
            elif current:
                out[current] += value + "\n"
    return out


def test_headline_figures_equal_the_view_and_hand_counts(demo_db):
    view = _view(demo_db)
    late = _open_late(demo_db)
    assert late == [("Revitalisering Wassenaarse Slag", "Ontwerp besproken met de strandexploitanten"),
                    ("Inclusie en participatie", "Nota inclusiebeleid in het college")]
    at = run_page("opgaven.py")
    assert metric(at, "Lopende opgaven") == fmt.getal(sum(r["fase"] != "afgesloten" for r in view)) == "8"
    assert metric(at, "Mijlpalen te laat") == fmt.getal(len(late)) == "2"
    assert metric(at, "Afgesloten zonder evaluatie") == "1"
    assert metric(at, "Over budget") == fmt.getal(sum(r["besteed"] > r["budget"] for r in view)) == "1"
    assert metric(at, "Overvraagde eenheden") == "1"
    assert metric(at, "Zonder opdrachtgever") == "0"
    text = safe.plain("\n".join(m.value for m in at.markdown))
    assert ("**Te laat** — Revitalisering Wassenaarse Slag (opdrachtgever Iris Bedachtveld): mijlpaal “Ontwerp "
            "besproken met de strandexploitanten” was gepland op 15 mei 2021") in text
    assert "**Afgesloten zonder evaluatie** — Ledverlichting openbare ruimte" in text
    assert "nadat het succes is gevierd en de evaluatie is voltooid" in text
    assert f"**Overvraagd** — {IA}" in text


def test_planbord_has_a_column_per_fase_with_the_views_opgaven(demo_db):
    view = _view(demo_db)
    at = run_page("opgaven.py")
    board = _planbord(at)
    assert list(board) == [og.FASE_LABELS[f] for f in og.FASEN]
    for fase in og.FASEN:
        assert board[og.FASE_LABELS[fase]] == [r["opgave"] for r in view if r["fase"] == fase], fase
    counts = Counter(r["fase"] for r in view)
    captions = [safe.plain(c.value) for c in at.caption]
    for fase in og.FASEN:
        assert fmt.aantal_tekst(counts[fase], "opgave", "opgaven") in captions
    assert set(counts) == set(og.FASEN)  # the demo has every fase


def test_planbord_cards_show_owner_progress_budget_and_signals(demo_db):
    at = run_page("opgaven.py")
    cards = _cards(at)
    assert len(cards) == 10
    slag = cards["Revitalisering Wassenaarse Slag"]
    assert "Opdrachtgever: Iris Bedachtveld" in slag and "Wethouder A. Voorbeeld" in slag
    assert "Besteed €\u00a0186.400 van €\u00a01.250.000 (**15\u00a0%**)" in slag
    assert "1 mijlpaal te laat" in slag
    led = cards["Ledverlichting openbare ruimte"]
    assert "Afgesloten zonder evaluatie" in led and "€\u00a021.200 over budget" in led
    assert "Geen signalen" in cards["Wilhelminaplein De Kieviet"]  # afgesloten after its evaluation
    assert f"{IA} overvraagd" in cards["Zaakgericht werken"]
    progress = [p.value for p in at.get("progress")]
    assert len(progress) == 10


def test_table_equals_the_view_and_filters_by_signal(demo_db):
    view = {r["opgave"]: r for r in _view(demo_db)}
    late = Counter(o for o, _ in _open_late(demo_db))
    at = run_page("opgaven.py", "Tabel")
    table = at.dataframe[0].value
    assert len(table) == 10
    for _, row in table.iterrows():
        v = view[row["Opgave"]]
        assert row["Fase"] == v["fase"] and row["Opdrachtgever"] == v["opdrachtgever"]
        assert row["Te laat of te laat gehaald"] == fmt.getal(v["mijlpalen_te_laat"])
        assert row["Te laat (open)"] == fmt.getal(late[row["Opgave"]])
        assert row["Gevraagd fte"] == fmt.fte(v["gevraagd_fte"])
    # the view's total = open + realised late (hand count: 2 open, 3 realised late)
    assert sum(v["mijlpalen_te_laat"] for v in view.values()) == 5
    at.multiselect(key="f_signaal").set_value([og.MIJLPAAL_TE_LAAT]).run()
    assert set(at.dataframe[0].value["Opgave"]) == set(late) == {"Revitalisering Wassenaarse Slag",
                                                                 "Inclusie en participatie"}
    at.multiselect(key="f_signaal").set_value([]).run()
    at.multiselect(key="f_ph").set_value(["Burgemeester D. Demo"]).run()
    assert set(at.dataframe[0].value["Opgave"]) == {o for o, v in view.items()
                                                    if v["portefeuillehouder"] == "Burgemeester D. Demo"}


def test_table_sorts_on_the_numbers_not_on_the_text(demo_db):
    at = run_page("opgaven.py", "Tabel")
    at.selectbox(key="sort").set_value("Budgetgebruik").run()
    at.toggle(key="desc").set_value(True).run()
    first = at.dataframe[0].value.iloc[0]
    assert first["Opgave"] == "Ledverlichting openbare ruimte" and first["Budgetgebruik"] == "103\u00a0%"
    # as text "9 %" would sort above "64 %"; by number it comes after
    order = list(at.dataframe[0].value["Opgave"])
    assert order.index("Social intranet en leerplatform") < order.index("Clusterkamers raadhuis De Paauw")


def test_capacity_flags_the_over_asked_eenheid(demo_db):
    bez = {r["eenheid"]: r["bezetting_fte"] for r in fx.query_dicts(demo_db, "SELECT * FROM fte_per_eenheid")}
    asked = fx.query(demo_db, """
        SELECT c.eenheid, sum(c.gevraagd_fte), sum(coalesce(c.toegezegd_fte, 0))
        FROM opg_capaciteit c JOIN opg_opgave o ON o.version = c.version AND o.opgave = c.opgave
        WHERE c.version = 1 AND o.fase <> 'afgesloten' GROUP BY 1""")
    shares = {e: g / bez[e] for e, g, _ in asked}
    assert [e for e, s in shares.items() if s > 0.25] == [IA]
    at = run_page("opgaven.py", "Capaciteit")
    table = at.dataframe[0].value.set_index("Eenheid")
    ia = table.loc[IA]
    gevraagd, toegezegd = next((g, t) for e, g, t in asked if e == IA)
    assert (gevraagd, toegezegd) == pytest.approx((6.5, 3.9))
    assert ia["Overvraagd"] == "ja"
    assert ia["Gevraagd fte"] == fmt.fte(gevraagd) == "6,50"
    assert ia["Toegezegd fte"] == "3,90"
    assert ia["Gevraagd van bezetting"] == fmt.pct(gevraagd / bez[IA]) == "33,7\u00a0%"
    assert list(table[table["Overvraagd"] == "ja"].index) == [IA]
    assert any(IA in safe.plain(w.value) for w in at.warning)
    # the grens is a page setting: at 10 % three eenheden are over-asked, at 40 % none
    at.number_input(key="grens").set_value(10).run()
    assert metric(at, "Overvraagde eenheden") == fmt.getal(sum(s > 0.10 for s in shares.values())) == "3"
    at.number_input(key="grens").set_value(40).run()
    assert metric(at, "Overvraagde eenheden") == "0"


def test_milestone_gantt_marks_the_late_ones_and_the_peildatum(demo_db):
    at = run_page("opgaven.py", "Mijlpalen")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    late = next(t for t in spec["data"] if t.get("name") == "Te laat (nog open)")
    # the labels wrap over lines (charts._wrap) so the dates keep the chart's width
    assert [y.replace("<br>", " ") for y in late["y"][1]] == [m for _, m in _open_late(demo_db)]
    assert any(a["text"] == "<b>Peildatum 1 juni 2021</b>" for a in spec["layout"]["annotations"])
    assert spec["layout"]["shapes"][0]["x0"] == "2021-06-01"
    table = at.dataframe[0].value
    assert len(table) == fx.query(demo_db, "SELECT count(*) FROM opg_mijlpaal WHERE version = 1")[0][0]
    at.toggle(key="alleen_te_laat").set_value(True).run()
    assert len(at.dataframe[0].value) == sum(r["mijlpalen_te_laat"] for r in _view(demo_db))


def test_lange_termijn_agenda_groups_opgaven_per_portefeuillehouder(demo_db):
    view = _view(demo_db)
    at = run_page("opgaven.py", "Lange termijn agenda")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    # the first trace fixes the row order; labels wrap over lines (charts._wrap)
    rows = [[y.replace("<br>", " ") for y in level] for level in spec["data"][0]["y"]]
    assert sorted(zip(*rows)) == sorted((r["portefeuillehouder"], r["opgave"]) for r in view)
    assert rows[0] == sorted(rows[0])


def test_drill_per_opgave(demo_db):
    at = run_page("opgaven.py", "Per opgave")
    at.selectbox(key="opgave").set_value("Zaakgericht werken").run()
    assert metric(at, "Fase") == "Uitvoering" and metric(at, "Voortgang") == "40\u00a0%"
    projects, milestones, capacity, history = (d.value for d in at.dataframe)
    assert list(projects["Projectleider"]) == ["Gerda Proefkamp", "Thijs Denkhout"]
    assert list(projects["Intern/extern"]) == ["extern", "intern"]
    assert list(milestones["Mijlpaal"]) == ["Keuze zaaksysteem", "Eerste tien processen zaakgericht"]
    cap = capacity.set_index("Eenheid")
    assert cap.loc[IA, "Gevraagd fte"] == "3,20" and cap.loc[IA, "Nog niet toegezegd fte"] == "1,40"
    assert cap.loc[IA, "Eenheid overvraagd"] == "ja" and cap.loc["Post & Archief", "Eenheid overvraagd"] == "nee"
    assert history.to_dict("records") == [{"Versie": "1", "Peildatum": "1 juni 2021", "Fase": "uitvoering",
                                           "Voortgang": "40\u00a0%", "Besteed": "€\u00a0231.800",
                                           "Te laat of te laat gehaald": "0", "Opdrachtgever": "Ruud Denkbeeld"}]


def test_history_across_opgaven_versions(full_db, xlsx):
    from etl import pipeline
    sheets = fx.opgaven_sheets()
    sheets["Opgaven"][1][3] = "evaluatie"
    sheets["Opgaven"][1][6] = "90%"
    result = pipeline.load(xlsx(sheets, "opgaven-2.xlsx"), peildatum=date(2021, 10, 1), user="test", db=full_db)
    assert result.loaded, fx.errors(result)
    at = run_page("opgaven.py", "Per opgave")
    assert at.selectbox(key="opgave").value == "Duurzaam Wassenaar"
    history = at.dataframe[-1].value
    # version 2 at 1-10-2021: Aanbesteding and Oplevering (1-9) open and late, Subsidie realised late = 3
    assert list(history["Versie"]) == ["2", "1"]
    assert list(history["Peildatum"]) == ["1 oktober 2021", "1 juni 2021"]
    assert list(history["Fase"]) == ["evaluatie", "uitvoering"]
    assert list(history["Voortgang"]) == ["90\u00a0%", "40\u00a0%"]
    assert list(history["Te laat of te laat gehaald"]) == ["3", "2"]


def test_empty_state_explains_what_to_load(tmp_path, monkeypatch):
    monkeypatch.setenv("STUURBORD_DB", str(tmp_path / "nog-niet.duckdb"))
    at = run_page("opgaven.py")
    info = " ".join(i.value for i in at.info)
    assert "nog geen gegevens" in info and "opgavenregister" in info
    assert not at.metric and not at.dataframe


def test_opgaven_without_formatie_still_show_the_board(db, load, xlsx):
    result = load(fx.opgaven_sheets(capaciteit=False))
    assert result.loaded, fx.errors(result)
    at = run_page("opgaven.py")
    assert metric(at, "Overvraagde eenheden") == fmt.MISSING
    assert _planbord(at)["Uitvoering"] == ["Duurzaam Wassenaar"]
    at = run_page("opgaven.py", "Capaciteit")
    assert any("formatie" in i.value for i in at.info)
