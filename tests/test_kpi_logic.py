"""Dienstverleningsnormen logic (stuurbord.domain.kpi): periods, aggregation (weighted by aantal
or plain mean) with hand-computed figures, the status bands for both richtingen, grey
states, the scorecard order, notes placed on coarser periods, and the note write
(etl.annotations)."""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

import fixtures as fx
from etl import annotations
from stuurbord.ui import fmt, texts
from stuurbord.domain import kpi

NBSP = "\u00a0"


def _scores(rows: list[tuple], grain: str = "maand") -> pd.DataFrame:
    """(code, periode_start, waarde, aantal) -> a frame shaped like the view kpi_scores."""
    return pd.DataFrame([{"code": c, "periode_start": pd.Timestamp(s), "waarde": w, "aantal": a, "grain": grain}
                         for c, s, w, a in rows]).astype({"aantal": "Int64"})


def _norms(*rows: tuple) -> pd.DataFrame:
    """(code, streefwaarde, richting, meeteenheid)"""
    return pd.DataFrame([{"code": c, "omschrijving": f"Norm {c}", "eenheid": "Inwonersloket", "streefwaarde": s,
                          "richting": r, "meeteenheid": m, "bron": "wettelijk"} for c, s, r, m in rows])


def _one(df: pd.DataFrame, periode: str) -> dict:
    got = df[df["periode"] == periode]
    assert len(got) == 1, df
    return got.iloc[0].to_dict()


# --- periods -----------------------------------------------------------------------------------
@pytest.mark.parametrize("day,grain,key,start", [
    (date(2021, 6, 1), "maand", "2021-06", date(2021, 6, 1)),
    (date(2021, 6, 1), "kwartaal", "2021-Q2", date(2021, 4, 1)),
    (date(2021, 12, 1), "kwartaal", "2021-Q4", date(2021, 10, 1)),
    (date(2021, 4, 1), "tertiaal", "2021-T1", date(2021, 1, 1)),   # jan–apr
    (date(2021, 5, 1), "tertiaal", "2021-T2", date(2021, 5, 1)),   # mei–aug
    (date(2021, 9, 1), "tertiaal", "2021-T3", date(2021, 9, 1)),   # sep–dec
    (date(2021, 6, 1), "jaar", "2021", date(2021, 1, 1)),
])
def test_period_of(day, grain, key, start):
    assert kpi.period_of(day, grain) == (key, start)


@pytest.mark.parametrize("key,label", [("2021-06", "jun 2021"), ("2022-03", "mrt 2022"), ("2021-Q2", "2021 K2"),
                                       ("2021-T2", "2021 T2"), ("2021", "2021")])
def test_period_labels_are_dutch(key, label):
    assert kpi.period_label(key) == label


# --- aggregation -------------------------------------------------------------------------------
# Q1: jan 90 % of 1.000, feb 70 % of 3.000, mrt 80 % of 1.000.
# Weighted: (0,90×1000 + 0,70×3000 + 0,80×1000) / 5000 = (900 + 2100 + 800) / 5000 = 0,76.
# Plain mean: (0,90 + 0,70 + 0,80) / 3 = 0,80.
Q1 = [("T", "2021-01-01", 0.90, 1000), ("T", "2021-02-01", 0.70, 3000), ("T", "2021-03-01", 0.80, 1000)]


def test_quarter_weighted_by_aantal_when_every_month_has_one():
    r = _one(kpi.aggregate(_scores(Q1), "kwartaal"), "2021-Q1")
    assert r["waarde"] == pytest.approx(0.76)
    assert (r["methode"], r["aantal"], r["delen"], r["delen_verwacht"]) == (kpi.GEWOGEN, 5000, 3, 3)
    assert r["periode_label"] == "2021 K1"
    assert kpi.methode_tekst(r["methode"], r["delen"], r["delen_verwacht"], r["geleverd_per"], r["aantal"]) == \
        "Gewogen naar aantal: 3 maanden, n = 5.000."


def test_quarter_plain_mean_when_one_month_lacks_aantal():
    rows = Q1[:2] + [("T", "2021-03-01", 0.80, None)]
    r = _one(kpi.aggregate(_scores(rows), "kwartaal"), "2021-Q1")
    assert r["waarde"] == pytest.approx(0.80)
    assert r["methode"] == kpi.GEMIDDELDE and pd.isna(r["aantal"])
    assert kpi.methode_tekst(r["methode"], r["delen"], r["delen_verwacht"], r["geleverd_per"], r["aantal"]) == \
        "Gemiddelde van 3 maanden (niet elke maand heeft een aantal)."


def test_plain_mean_when_aantal_sums_to_zero():
    rows = [("T", "2021-01-01", 0.90, 0), ("T", "2021-02-01", 0.70, 0)]
    r = _one(kpi.aggregate(_scores(rows), "kwartaal"), "2021-Q1")
    assert r["waarde"] == pytest.approx(0.80) and r["methode"] == kpi.GEMIDDELDE


def test_incomplete_quarter_is_aggregated_and_says_so():
    # jan + feb only: (900 + 2100) / 4000 = 0,75
    r = _one(kpi.aggregate(_scores(Q1[:2]), "kwartaal"), "2021-Q1")
    assert r["waarde"] == pytest.approx(0.75) and (r["delen"], r["delen_verwacht"]) == (2, 3)
    assert kpi.methode_tekst(r["methode"], r["delen"], r["delen_verwacht"], r["geleverd_per"], r["aantal"]) == \
        "Gewogen naar aantal: 2 van 3 maanden, n = 4.000."


def test_tertiaal_and_year_from_months():
    # apr 60 % of 1.000 joins T1 (jan–apr); mei 50 % of 500 opens T2.
    rows = Q1 + [("T", "2021-04-01", 0.60, 1000), ("T", "2021-05-01", 0.50, 500)]
    t = kpi.aggregate(_scores(rows), "tertiaal")
    # T1: (3800 + 600) / 6000 = 0,7333…
    assert _one(t, "2021-T1")["waarde"] == pytest.approx(4400 / 6000)
    assert _one(t, "2021-T2")["waarde"] == pytest.approx(0.50)
    assert (_one(t, "2021-T1")["delen"], _one(t, "2021-T1")["delen_verwacht"]) == (4, 4)
    # jaar: (4400 + 250) / 6500
    j = _one(kpi.aggregate(_scores(rows), "jaar"), "2021")
    assert j["waarde"] == pytest.approx(4650 / 6500) and (j["delen"], j["delen_verwacht"], j["aantal"]) == (5, 12, 6500)


def test_month_grain_keeps_the_delivered_value():
    m = kpi.aggregate(_scores(Q1), "maand")
    assert m["waarde"].tolist() == [0.90, 0.70, 0.80]
    assert set(m["methode"]) == {kpi.OPGEGEVEN} and m["aantal"].tolist() == [1000, 3000, 1000]


def test_quarterly_delivered_code_is_never_split_into_months_or_tertialen():
    rows = [("V", "2021-01-01", 60.0, 10), ("V", "2021-04-01", 56.0, 30), ("V", "2021-07-01", 40.0, None)]
    s = _scores(rows, grain="kwartaal")
    assert kpi.aggregate(s, "maand").empty and kpi.aggregate(s, "tertiaal").empty
    q = kpi.aggregate(s, "kwartaal")
    assert q["waarde"].tolist() == [60.0, 56.0, 40.0] and set(q["methode"]) == {kpi.OPGEGEVEN}
    j = _one(kpi.aggregate(s, "jaar"), "2021")  # one quarter without aantal: plain mean (60+56+40)/3 = 52
    assert j["waarde"] == pytest.approx(52.0) and j["methode"] == kpi.GEMIDDELDE
    assert (j["delen"], j["delen_verwacht"]) == (3, 4)


# --- status ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("waarde,expected", [
    (0.85, kpi.GEHAALD), (0.80, kpi.GEHAALD),          # on the norm counts as gehaald
    (0.799, kpi.MARGE), (0.75, kpi.MARGE),             # band edge (80 − 5 procentpunt) is still oranje
    (0.7499, kpi.NIET_GEHAALD), (0.52, kpi.NIET_GEHAALD),
    (None, kpi.GEEN_METING), (float("nan"), kpi.GEEN_METING),
])
def test_status_percent_norm_higher_is_better(waarde, expected):
    assert kpi.status(waarde, 0.80, "hoger", "%") == expected


@pytest.mark.parametrize("waarde,expected", [
    (4.0, kpi.GEHAALD), (5.0, kpi.GEHAALD),
    (5.1, kpi.MARGE), (5.25, kpi.MARGE),               # 5 + 5 % of 5 = 5,25
    (5.26, kpi.NIET_GEHAALD), (9.4, kpi.NIET_GEHAALD),
])
def test_status_days_norm_lower_is_better(waarde, expected):
    assert kpi.status(waarde, 5, "lager", "dagen") == expected


@pytest.mark.parametrize("waarde,expected", [(7.5, kpi.GEHAALD), (7.2, kpi.MARGE), (7.125, kpi.MARGE),
                                             (7.1, kpi.NIET_GEHAALD)])
def test_status_score_norm_uses_five_percent_of_the_norm(waarde, expected):
    assert kpi.status(waarde, 7.5, "hoger", "score") == expected


def test_grey_without_streefwaarde_and_without_value():
    assert kpi.status(0.91, None, "hoger", "%") == kpi.GEEN_NORM
    assert kpi.status(0.91, float("nan"), "hoger", "%") == kpi.GEEN_NORM
    assert kpi.status(None, None, "hoger", "%") == kpi.GEEN_METING


def test_weighted_float_noise_still_meets_the_norm():
    rows = [("T", f"2021-0{m}-01", 0.9, n) for m, n in ((1, 3), (2, 7), (3, 11))]
    w = _one(kpi.aggregate(_scores(rows), "kwartaal"), "2021-Q1")["waarde"]
    assert w < 0.9  # 0.8999999999999999: binary noise, not a miss
    assert kpi.status(w, 0.9, "hoger", "%") == kpi.GEHAALD


def test_norm_and_band_texts():
    assert kpi.norm_tekst(0.8, "hoger", "%") == f"≥ 80,0{NBSP}%"
    assert kpi.norm_tekst(5, "lager", "dagen") == "≤ 5,0 dagen"
    assert kpi.norm_tekst(None, "hoger", "%") == "geen streefwaarde"
    assert kpi.marge_tekst(0.8, "hoger", "%") == f"oranje vanaf 75,0{NBSP}% (5 procentpunt)"
    assert kpi.marge_tekst(5, "lager", "dagen") == f"oranje tot en met 5,25 dagen (5{NBSP}% van de norm)"
    assert kpi.marge_tekst(7.5, "hoger", "score") == f"oranje vanaf 7,125 (5{NBSP}% van de norm)"
    assert kpi.waarde_tekst(0.861, "%") == f"86,1{NBSP}%" and kpi.waarde_tekst(None, "%") == "–"


# --- scorecard -------------------------------------------------------------------------------------
def test_scorecard_orders_by_urgency_and_shows_unmeasured_norms():
    norms = _norms(("OK", 0.8, "hoger", "%"), ("LEEG", 0.8, "hoger", "%"), ("ROOD", 5, "lager", "dagen"),
                   ("ORANJE", 0.9, "hoger", "%"), ("GRIJS", None, "hoger", "score"))
    s = _scores([("OK", "2021-02-01", 0.85, 10), ("ROOD", "2021-02-01", 6.0, 10), ("ORANJE", "2021-02-01", 0.87, 5),
                 ("GRIJS", "2021-02-01", 7.0, None), ("LEEG", "2021-01-01", 0.70, 4), ("OK", "2021-01-01", 0.5, 1)])
    hist = kpi.history(s, norms, "maand")
    assert kpi.periods(hist) == ["2021-02", "2021-01"]
    card = kpi.scorecard(hist, norms, "2021-02", "maand")
    assert card["code"].tolist() == ["ROOD", "ORANJE", "OK", "LEEG", "GRIJS"]
    assert card["status"].tolist() == [kpi.NIET_GEHAALD, kpi.MARGE, kpi.GEHAALD, kpi.GEEN_METING, kpi.GEEN_NORM]
    leeg = card[card["code"] == "LEEG"].iloc[0]
    assert kpi.geen_meting_tekst(leeg["laatste"], "2021-02") == "Geen score in feb 2021. Laatste score: jan 2021."
    assert card[card["code"] == "OK"].iloc[0]["spark_waarde"] == [0.5, 0.85]
    n = kpi.counts(card)
    assert n == {kpi.NIET_GEHAALD: 1, kpi.MARGE: 1, kpi.GEHAALD: 1, kpi.GEEN_METING: 1, kpi.GEEN_NORM: 1}
    assert texts.kpi_samenvatting(n, "feb 2021") == (
        "In feb 2021 haalde 1 van de 3 gemeten normen de streefwaarde: 1 net niet (binnen de marge) en 1 niet. "
        "1 norm is in deze periode niet gemeten. 1 norm heeft geen streefwaarde.")


def test_filter_on_eenheid_and_bron():
    norms = _norms(("A", 1, "hoger", None), ("B", 1, "hoger", None)).assign(
        eenheid=["Inwonersloket", None], bron=["wettelijk", "college"])
    assert kpi.eenheid_options(norms) == ["Inwonersloket", kpi.GEEN_EENHEID]
    assert kpi.filter_norms(norms, kpi.GEEN_EENHEID)["code"].tolist() == ["B"]
    assert kpi.filter_norms(norms, bron="wettelijk")["code"].tolist() == ["A"]
    assert kpi.filter_norms(norms, "Inwonersloket", "college").empty


# --- notes -----------------------------------------------------------------------------------------
NOTES = pd.DataFrame([
    {"code": "dv-tel30", "periode": "2022-03", "tekst": "storing telefooncentrale", "auteur": "a",
     "tijdstip": datetime(2022, 4, 2, 9, 0)},
    {"code": "DV-TEL30", "periode": "2022-Q1", "tekst": "kwartaalnotitie", "auteur": "b",
     "tijdstip": datetime(2022, 4, 3, 9, 0)},
    {"code": "WEG", "periode": "2022-03", "tekst": "norm bestaat niet meer", "auteur": "c",
     "tijdstip": datetime(2022, 4, 4, 9, 0)},
])


def test_month_note_shows_on_every_coarser_period_and_codes_match_case_insensitively():
    codes = ["DV-TEL30"]
    per = kpi.notes_per_period(kpi.notes_at(NOTES, "maand", codes))
    assert per == {("DV-TEL30", "2022-03"): ["storing telefooncentrale"]}  # a quarter note has no month
    per = kpi.notes_per_period(kpi.notes_at(NOTES, "kwartaal", codes))
    assert per == {("DV-TEL30", "2022-Q1"): ["mrt 2022: storing telefooncentrale", "kwartaalnotitie"]}
    per = kpi.notes_per_period(kpi.notes_at(NOTES, "tertiaal", codes))
    assert per == {("DV-TEL30", "2022-T1"): ["mrt 2022: storing telefooncentrale"]}
    per = kpi.notes_per_period(kpi.notes_at(NOTES, "jaar", codes))
    assert per == {("DV-TEL30", "2022"): ["mrt 2022: storing telefooncentrale", "2022 K1: kwartaalnotitie"]}


def test_annotation_is_trimmed_canonical_and_refused_when_empty_long_or_unknown(full_db):
    import getpass
    saved = annotations.add("kcc-01", "mrt 2021", "  storing \n telefooncentrale  ", "  ", db=full_db)
    assert (saved["code"], saved["periode"], saved["tekst"], saved["auteur"]) == \
        ("KCC-01", "2021-03", "storing telefooncentrale", getpass.getuser())  # no name: the server's user
    with pytest.raises(annotations.InvalidNote, match="lege notitie"):
        annotations.add("KCC-01", "2021-03", " \n ", "x", db=full_db)
    with pytest.raises(annotations.InvalidNote, match="maximaal 200 tekens; deze heeft er 201"):
        annotations.add("KCC-01", "2021-03", "x" * 201, "x", db=full_db)
    annotations.add("KCC-01", "2021-Q1", "y" * 200, "x", db=full_db)  # exactly the limit is fine
    with pytest.raises(annotations.InvalidNote, match="geen norm met code 'XYZ'"):
        annotations.add("XYZ", "2021-03", "tekst", "x", db=full_db)
    with pytest.raises(annotations.InvalidNote, match="geen periode"):
        annotations.add("KCC-01", "maart", "tekst", "x", db=full_db)
    assert fx.query(full_db, "SELECT code, periode, tekst, auteur FROM kpi_notitie ORDER BY periode") == [
        ("KCC-01", "2021-03", "storing telefooncentrale", getpass.getuser()), ("KCC-01", "2021-Q1", "y" * 200, "x")]


def test_tijdstip_format():
    assert fmt.tijdstip(datetime(2022, 4, 2, 9, 5, 31)) == "2 april 2022, 09:05"
    assert fmt.tijdstip(pd.Timestamp("2026-12-01 08:20")) == "1 december 2026, 08:20"
    assert fmt.tijdstip(None) == "–"
