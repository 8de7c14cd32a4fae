"""What needs attention (stuurbord.domain.aandacht) and the start page built on it: the
ranking, the raad's view without names, the peildata warning, and the deep links that open
each signal's view already filtered (AppTest; the Chromium walk is in test_browser.py)."""
from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

import fixtures as fx
from etl import store
from stuurbord.data import queries
from stuurbord.domain import aandacht as a
from stuurbord.domain import kpi, regels
from stuurbord.domain import opgaven as og
from stuurbord.ui import safe, texts
from test_access import app, goto
from test_pages import _demo_template, demo_db, run_page  # noqa: F401 - fixtures

PEIL = date(2021, 6, 1)


# --- ranking (pure) -------------------------------------------------------------------------------------
def _regel(regel_id, onderwerp, waarde, grens, soort="coach", status=regels.WIJKT_AF):
    return {"regel": regel_id, "onderwerp": onderwerp, "status": status, "toelichting": f"{onderwerp} wijkt af",
            "bron": "notitie", "regel_id": regel_id, "volgorde": 1, "onderwerp_soort": soort, "waarde": waarde,
            "grens": grens}


def _opgaven(*rows):
    cols = ["opgave", "opdrachtgever", "fase", "budget", "besteed", "evaluatie_gereed"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


def _ms(*rows):
    d = pd.DataFrame(rows, columns=["opgave", "mijlpaal", "gepland", "gerealiseerd"])
    d["gepland"] = pd.to_datetime(d["gepland"])
    d["gerealiseerd"] = pd.to_datetime(d["gerealiseerd"])
    return og.mijlpaal_status(d, PEIL)


def test_trend_compares_the_excess_with_the_previous_one():
    assert a.trend(2.0, None) == a.ONBEKEND
    assert a.trend(2.0, 0.0) == a.NIEUW
    assert a.trend(2.0, 1.0) == a.ERGER
    assert a.trend(1.0, 2.0) == a.BETER
    assert a.trend(1.0, 1.0) == a.GELIJK


def test_a_coach_just_over_the_norm_ranks_below_late_milestones_and_overspending():
    res = pd.DataFrame([_regel(regels.SPAN, "Coach Krap", 22.43, 22.0)])
    voortgang = _opgaven(("Haven", "Iris", "uitvoering", 100_000.0, 120_000.0, None),
                         ("Plein", "Joost", "ontwerp", 100_000.0, 90_000.0, None))
    ms = _ms(("Plein", "Ontwerp klaar", "2021-03-01", None),  # 92 days late, open
             ("Plein", "Start", "2021-01-01", "2021-02-01"))  # achieved late: not a signal
    s = a.lijst(res, None, None, None, voortgang, ms, pd.DataFrame(), 0.25, None, None, None, "")
    assert list(s["soort"]) == [a.TE_LAAT, a.OVER_BUDGET, a.SPAN]
    late, budget, span = s.itertuples()
    assert late.overschrijding == pytest.approx(a.MAX_OVERSCHRIJDING)  # 92 days: capped
    assert late.label == "1 mijlpaal te laat"
    assert late.params == {"weergave": "Per opgave", "opgave": "Plein"} and late.eigenaar == "Joost"
    assert budget.overschrijding == pytest.approx(2.0)  # 20 % over, 10 % is serious
    assert budget.waarde == "€\u00a0120.000 besteed" and budget.norm == "budget €\u00a0100.000 (+€\u00a020.000)"
    assert span.overschrijding == pytest.approx(0.43 / 22 / 0.10)
    assert span.waarde == "22,43 fte" and span.params == {"coach": "Coach Krap"}


def test_a_signal_that_is_new_or_worse_since_the_previous_version_ranks_higher():
    res = pd.DataFrame([_regel(regels.SPAN, "A", 23.0, 22.0), _regel(regels.SPAN, "B", 23.0, 22.0),
                        _regel(regels.SPAN, "C", 23.0, 22.0)])
    vorig = pd.DataFrame({"coach": ["A", "B", "C"], "fte": [21.0, 23.0, 24.0], "norm_fte": [22.0] * 3})
    s = a.lijst(res, None, vorig, None, None, None, None, 0.25, None, None, None, "")
    assert list(s["onderwerp"]) == ["A", "B", "C"]
    assert list(s["verandering"]) == [a.NIEUW, a.GELIJK, a.BETER]
    assert s["ernst"].iloc[0] - s["ernst"].iloc[1] == pytest.approx(a.TREND_BONUS[a.NIEUW])


def test_missed_norms_rank_by_how_far_beyond_the_marge_they_are():
    card = pd.DataFrame([
        {"code": "K1", "omschrijving": "Telefoon", "eenheid": "KCC", "streefwaarde": 0.8, "richting": "hoger",
         "meeteenheid": "%", "waarde": 0.6, "status": kpi.NIET_GEHAALD},
        {"code": "K2", "omschrijving": "Post", "eenheid": None, "streefwaarde": 0.8, "richting": "hoger",
         "meeteenheid": "%", "waarde": 0.78, "status": kpi.MARGE},
        {"code": "K3", "omschrijving": "Mail", "eenheid": "KCC", "streefwaarde": 0.8, "richting": "hoger",
         "meeteenheid": "%", "waarde": 0.9, "status": kpi.GEHAALD}])
    s = a.lijst(None, None, None, None, None, None, None, 0.25, None, card, None, "dec 2022")
    assert list(s["params"]) == [{"weergave": "Per norm", "norm": "K1"}, {"weergave": "Per norm", "norm": "K2"}]
    assert s["overschrijding"].iloc[0] == pytest.approx(0.2 / 0.05 / 2)
    assert s["eigenaar"].iloc[1] == kpi.GEEN_EENHEID and s["eigenaar_rol"].iloc[0] == "proceseigenaar"
    assert s["waarde"].iloc[0] == "60,0\u00a0% in dec 2022"


def test_the_raad_gets_no_coach_and_no_names():
    res = pd.DataFrame([_regel(regels.SPAN, "Coach Krap", 25.0, 22.0),
                        _regel("evaluatie", "Plein", None, None, soort="opgave")])
    voortgang = _opgaven(("Plein", "Joost Geheim", "afgesloten", 10.0, 20.0, False))
    s = a.lijst(res, None, None, None, voortgang, _ms(("Plein", "x", "2021-07-01", None)), pd.DataFrame(), 0.25,
                None, None, None, "")
    assert "Coach Krap" in set(s["onderwerp"]) and "Joost Geheim" in set(s["eigenaar"])
    raad = a.voor(s, namen=False)
    assert "Coach Krap" not in set(raad["onderwerp"])
    assert not raad["eigenaar"].notna().any()
    assert set(raad["soort"]) == {a.OVER_BUDGET, a.REGEL} and set(raad.loc[raad["soort"] == a.REGEL, "waarde"]) == {""}


@pytest.mark.parametrize("dates,warn", [
    ((date(2021, 6, 1), date(2021, 9, 1)), False),   # exactly a quarter
    ((date(2021, 6, 1), date(2021, 9, 2)), True),
    ((date(2021, 11, 30), date(2022, 2, 28)), False),  # month ends: 30 november + 3 months = 28 februari
    ((date(2021, 6, 1), date(2022, 12, 31)), True),
])
def test_peildata_more_than_a_quarter_apart_are_named(dates, warn):
    versions = {"organisatie": {"peildatum": dates[0]}, "wasword": {"peildatum": dates[0]},
                "kpi": {"peildatum": dates[1]}}
    text = a.peildata_waarschuwing(versions, texts.KIND_LABELS)
    assert (text is not None) == warn
    if warn:
        assert "Formatie en coaches en Was/wordt-lijst" in text and "Dienstverleningsnormen" in text
    assert a.peildata_waarschuwing({"kpi": {"peildatum": dates[1]}}, texts.KIND_LABELS) is None


# --- on the demo data -----------------------------------------------------------------------------------------
def _demo_signals(db, namen=True):
    with store.reader(db) as con:
        v = queries.current_versions(con)
        voortgang = queries.opgave_voortgang(con)
        fte = queries.fte_per_eenheid(con)
        ms = og.mijlpaal_status(queries.opg_mijlpalen(con), v["opgaven"]["peildatum"])
        per = og.capaciteit_per_eenheid(queries.opg_capaciteit(con), voortgang, fte, 0.25)
        hist = kpi.history(queries.kpi_scores(con), queries.kpi_normen(con), "maand")
        p = kpi.periods(hist)
        card = kpi.scorecard(hist, queries.kpi_normen(con), p[0], "maand")
        prev = a.periode_scores(hist, p[1])
        s = a.lijst(queries.regelcontrole(con), queries.coach_eenheden(con),
                    a.vorige_peildatum(queries.span_verloop(con)), a.vorige_peildatum(queries.organisatie_verloop(con)),
                    voortgang, ms, per, 0.25, queries.opg_vorige_versie(con), card, prev, kpi.period_label(p[0]))
    return a.voor(s, namen), ms


def test_demo_signals_cover_every_source_and_agree_with_the_pages(demo_db):
    s, ms = _demo_signals(demo_db)
    assert set(s["bron"]) == set(a.BRONNEN)
    late = s[s["soort"] == a.TE_LAAT]
    assert sorted(late["onderwerp"]) == sorted(ms.loc[ms["status"] == og.TE_LAAT, "opgave"].unique())
    span = s[s["soort"] == a.SPAN].iloc[0]
    assert span.onderwerp == "Bram Schijnvliet" and span.waarde == "22,43 fte"
    assert s.index[s["soort"] == a.SPAN][0] > 2, "a coach 0,43 fte over the norm is not the first thing listed"
    assert list(s["ernst"]) == sorted(s["ernst"], reverse=True)


# --- the start page (AppTest) -------------------------------------------------------------------------------------
def _signal_subjects(at) -> list[str]:
    """The subjects of the listed signals ("**subject** :small[· kind]"), as a reader sees them."""
    return [safe.plain(m.group(1)) for m in (re.match(r"\*\*(.+?)\*\* :small\[· ", x.value) for x in at.markdown) if m]


def test_start_page_lists_the_signals_first_with_owner_figure_and_norm(demo_db):
    at = goto(app("lezer"), None)
    s, _ = _demo_signals(demo_db)
    assert at.subheader[0].value == "Wat aandacht vraagt"
    shown = _signal_subjects(at)
    assert shown == [safe.tekst(x) for x in s["onderwerp"].head(a.TOP)]
    text = safe.plain("\n".join(m.value for m in at.markdown))
    assert "Proceseigenaar:] Wijkbeheer en groenonderhoud" in text
    assert "5,3 dagen in dec 2022 · norm ≤ 5,0 dagen" in text
    at.toggle(key="alle_signalen").set_value(True).run()
    assert _signal_subjects(at) == [safe.tekst(x) for x in s["onderwerp"]]
    assert "Bram Schijnvliet" in _signal_subjects(at)


def test_start_page_warns_that_the_peildata_are_far_apart(demo_db):
    at = goto(app("lezer"), None)
    warning = at.warning[0].value
    assert warning.startswith("Peildata meer dan een kwartaal uit elkaar: ")
    assert "Dienstverleningsnormen 31 december 2022" in warning and "1 juni 2021" in warning


def test_start_page_for_the_raad_names_nobody(demo_db):
    at = goto(app("raad"), None)
    shown = _signal_subjects(at)
    assert shown and "Bram Schijnvliet" not in shown
    text = "\n".join(m.value for m in at.markdown)
    for name in ("Joost Proefhuis", "Iris Bedachtveld", "Kees Verzinsel", "Opdrachtgever:"):
        assert name not in text


# --- deep links: each signal's link opens its view, filtered -----------------------------------------------------
def _follow(path: str, **params):
    """As the lezer: the start page, then `path` with the link's query parameters."""
    at = app("lezer")
    at.run()
    at.switch_page(path)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("path,params,key,value", [
    ("pages/span.py", {"coach": "Bram Schijnvliet"}, "coach", "Bram Schijnvliet"),
    ("pages/opgaven.py", {"weergave": "Per opgave", "opgave": "Ledverlichting openbare ruimte"}, "opgave",
     "Ledverlichting openbare ruimte"),
    ("pages/dienstverlening.py", {"weergave": "Per norm", "norm": "OR-MELD"}, "norm", "OR-MELD"),
    ("pages/formatie.py", {"weergave": "Per eenheid", "eenheid": "openbare orde en veiligheid"}, "eenheid",
     "Openbare Orde en Veiligheid"),
    ("pages/opgaven.py", {"weergave": "Capaciteit", "eenheid": "Informatie & Automatisering"}, "cap_eenheid",
     "Informatie & Automatisering"),
])
def test_a_deep_link_opens_the_view_filtered_on_its_subject(demo_db, path, params, key, value):
    at = _follow(path, **params)
    assert at.selectbox(key=key).value == value
    if "weergave" in params:
        assert [t for t in at.tabs if t.label == params["weergave"] and t.children]
    sb = at.selectbox(key=key)
    sb.select_index(next(i for i in range(len(sb.options)) if i != sb.index)).run()
    assert at.selectbox(key=key).value != value, "after the link, the user's own choice wins"


def test_span_deep_link_shows_that_coach_first(demo_db):
    at = _follow("pages/span.py", coach="Bram Schijnvliet")
    head = [h.value for h in at.subheader]
    assert head[0] == "Bram Schijnvliet: 22,43 fte"
    assert any("+0,43 fte ten opzichte van de norm" in m.value for m in at.markdown)


def test_an_unknown_deep_link_says_so_in_dutch(demo_db):
    at = _follow("pages/span.py", coach="Niemand Bekend")
    assert any("uit de link is hier niet gevonden" in i.value for i in at.info)


def test_regel_deep_link_opens_only_that_rule(demo_db):
    at = _follow("pages/regels.py", regel="evaluatie")
    opened = [e.label for e in at.expander if e.proto.expanded]
    assert len(opened) == 1 and "evaluatie" in opened[0]


def test_the_capacity_signal_opens_the_claims_on_that_eenheid(demo_db):
    signals, _ = _demo_signals(demo_db)
    signal = next(r for r in signals.to_dict("records") if r["soort"] == a.OVERVRAAGD)
    assert signal["params"] == {"weergave": "Capaciteit", "eenheid": signal["onderwerp"]}
    at = _follow("pages/opgaven.py", **signal["params"])
    table = next(t.value for t in at.dataframe if "Gevraagd fte" in t.value.columns and "Opgave" in t.value.columns)
    asked = fx.query(demo_db, "SELECT opgave, gevraagd_fte FROM opg_capaciteit WHERE version = 1 AND "
                              "lower(eenheid) = lower(?) ORDER BY gevraagd_fte DESC", [signal["onderwerp"]])
    assert sorted(table["Opgave"]) == sorted(o for o, _ in asked)

