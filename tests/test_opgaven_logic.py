"""The governance rules of stuurbord.domain.opgaven on small hand-made DataFrames: late milestones
at a given peildatum, capacity netted against bezetting, and the signals per opgave."""
from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from stuurbord.ui import fmt, safe, texts
from stuurbord.domain import opgaven as og

PEIL = date(2021, 6, 1)


def _ms(rows):
    return pd.DataFrame(rows, columns=["opgave", "mijlpaal", "gepland", "gerealiseerd"]).astype(
        {"gepland": "datetime64[ns]", "gerealiseerd": "datetime64[ns]"})


MIJLPALEN = _ms([
    ("X", "open, een dag over datum", date(2021, 5, 31), None),
    ("X", "open, gepland op de peildatum", date(2021, 6, 1), None),
    ("X", "te laat gehaald", date(2021, 3, 1), date(2021, 3, 11)),
    ("Y", "op tijd gehaald", date(2021, 4, 1), date(2021, 3, 20)),
    ("Y", "precies op tijd", date(2021, 4, 1), date(2021, 4, 1)),
    ("Y", "open, lang over datum", date(2021, 1, 1), None),
    ("Z", "toekomst", date(2022, 1, 1), None),
])


def test_milestone_status_and_days_late_at_the_peildatum():
    s = og.mijlpaal_status(MIJLPALEN, PEIL)
    assert list(s["status"]) == ["te laat", "gepland", "te laat gehaald", "gehaald", "gehaald", "te laat", "gepland"]
    # 31 May -> 1 June = 1 day; 1 Jan -> 1 June = 151 days; realised 10 days after plan
    assert list(s["dagen_te_laat"]) == [1, 0, 10, 0, 0, 151, 0]


def test_late_per_opgave_counts_only_open_milestones_past_their_date():
    late = og.te_laat_per_opgave(MIJLPALEN, PEIL)
    assert late.to_dict() == {"X": 1, "Y": 1}
    # one day later the milestone due on 1 June is late too
    assert og.te_laat_per_opgave(MIJLPALEN, date(2021, 6, 2)).to_dict() == {"X": 2, "Y": 1}


def test_the_view_total_is_open_late_plus_realised_late():
    """opgave_voortgang.mijlpalen_te_laat = open past date + realised after plan."""
    s = og.mijlpaal_status(MIJLPALEN, PEIL)
    total = s[s["status"].isin([og.TE_LAAT, og.TE_LAAT_GEHAALD])].groupby("opgave").size().to_dict()
    assert total == {"X": 2, "Y": 1}


OPGAVEN = pd.DataFrame({
    "opgave": ["X", "Y", "Z", "W", "V"],
    "opdrachtgever": ["A. Adviseur", "B. Adviseur", "onbekend", "C. Adviseur", "  "],
    "fase": ["uitvoering", "afgesloten", "ontwerp", "afgesloten", "verkenning"],
    "budget": [100_000.0, 50_000.0, None, 10_000.0, 0.0],
    "besteed": [120_000.0, 40_000.0, 10.0, 10_000.0, 0.0],
    "evaluatie_gereed": [None, None, None, True, None],
})
CAPACITEIT = pd.DataFrame({
    "opgave": ["X", "Z", "Y", "X", "Z", "X"],
    "eenheid": ["Alfa", "alfa", "Alfa", "Beta", "Gamma", "Nergens"],
    "gevraagd_fte": [2.0, 1.0, 5.0, 1.0, 0.5, 1.0],
    "toegezegd_fte": [1.5, None, 5.0, 1.0, 0.0, 1.0],
})
EENHEDEN = pd.DataFrame({"eenheid": ["Alfa", "Beta", "Gamma"], "cluster": ["C1", "C1", "C2"],
                         "bezetting_fte": [10.0, 20.0, 0.0]})


def test_capacity_per_eenheid_netted_against_bezetting():
    cap = og.capaciteit_per_eenheid(CAPACITEIT, OPGAVEN, EENHEDEN, 0.25).set_index("eenheid")
    # Alfa: X 2,0 + Z 1,0 (case-insensitive match); Y is afgesloten and claims nothing
    assert cap.loc["Alfa", "gevraagd_fte"] == 3.0
    assert cap.loc["Alfa", "toegezegd_fte"] == 1.5  # empty toegezegd counts as 0
    assert cap.loc["Alfa", "opgaven"] == 2 and cap.loc["Alfa", "namen"] == "X, Z"
    assert cap.loc["Alfa", "aandeel_gevraagd"] == pytest.approx(0.30)
    assert cap.loc["Alfa", "aandeel_toegezegd"] == pytest.approx(0.15)
    assert bool(cap.loc["Alfa", "overvraagd"])
    assert cap.loc["Beta", "aandeel_gevraagd"] == pytest.approx(0.05) and not cap.loc["Beta", "overvraagd"]
    # no bezetting but asked: infinitely over-asked; unknown eenheid: share unknown, not flagged
    assert math.isinf(cap.loc["Gamma", "aandeel_gevraagd"]) and bool(cap.loc["Gamma", "overvraagd"])
    assert fmt.is_missing(cap.loc["Nergens", "aandeel_gevraagd"]) and not cap.loc["Nergens", "overvraagd"]
    assert list(cap.index)[:2] == ["Gamma", "Alfa"]  # highest share first


def test_grens_is_strictly_greater_than():
    cap = og.capaciteit_per_eenheid(CAPACITEIT, OPGAVEN, EENHEDEN, 0.30).set_index("eenheid")
    assert not cap.loc["Alfa", "overvraagd"]  # 30 % is not more than 30 %
    cap = og.capaciteit_per_eenheid(CAPACITEIT, OPGAVEN, EENHEDEN, 0.04).set_index("eenheid")
    assert bool(cap.loc["Beta", "overvraagd"])


def test_capacity_per_opgave_sums_and_gap():
    po = og.capaciteit_per_opgave(CAPACITEIT).set_index("opgave")
    assert po.loc["X"].to_dict() == {"gevraagd_fte": 4.0, "toegezegd_fte": 3.5, "tekort_fte": 0.5}
    assert po.loc["Z"].to_dict() == {"gevraagd_fte": 1.5, "toegezegd_fte": 0.0, "tekort_fte": 1.5}


def test_signals_per_opgave():
    ms = _ms([("X", "m", date(2021, 5, 1), None), ("X", "n", date(2021, 5, 2), None),
              ("W", "m", date(2021, 1, 1), date(2021, 2, 1))])
    per = og.capaciteit_per_eenheid(CAPACITEIT, OPGAVEN, EENHEDEN, 0.25)
    sig = og.signalen(OPGAVEN, ms, CAPACITEIT, per, PEIL)
    codes = og.signal_codes(sig)
    assert codes["X"] == {og.MIJLPAAL_TE_LAAT, og.OVER_BUDGET, og.EENHEID_OVERVRAAGD}
    assert codes["Y"] == {og.ZONDER_EVALUATIE}  # afgesloten, evaluatie not done; claims on Alfa ignored
    assert codes["Z"] == {og.GEEN_OPDRACHTGEVER, og.EENHEID_OVERVRAAGD}  # budget unknown: not over budget
    assert codes["W"] == set()  # afgesloten after the evaluation; realised-late milestone is history
    assert codes["V"] == {og.GEEN_OPDRACHTGEVER}  # budget 0, nothing spent: not over budget
    texts_x = [s.text for s in sig["X"]]
    assert texts_x == ["2 mijlpalen te laat", "€\u00a020.000 over budget", "Alfa overvraagd"]
    assert [s.text for s in sig["Z"]] == ["Geen opdrachtgever", "Alfa overvraagd", "Gamma overvraagd"]


@pytest.mark.parametrize("name,none", [(None, True), ("", True), ("  ", True), ("N.T.B.", True), ("-", True),
                                       ("Vacature", True), ("Iris Bedachtveld", False)])
def test_geen_opdrachtgever(name, none):
    assert og.geen_opdrachtgever(name) is none


@pytest.mark.parametrize("fase,gereed,signal", [("afgesloten", None, True), ("afgesloten", False, True),
                                                ("afgesloten", pd.NA, True), ("afgesloten", True, False),
                                                ("evaluatie", None, False)])
def test_afgesloten_zonder_evaluatie(fase, gereed, signal):
    assert og.afgesloten_zonder_evaluatie(fase, gereed) is signal


def test_budget_use_and_its_text():
    assert og.budget_gebruik(760_000, 781_200) == pytest.approx(1.027894, rel=1e-5)
    assert og.budget_gebruik(None, 10) is None and og.budget_gebruik(0, 10) is None
    assert og.gebruik_tekst(0.37) == "37\u00a0%"
    assert og.gebruik_tekst(9_800 / 2_400_000) == "0,4\u00a0%"  # not "0 %": something was spent
    assert og.gebruik_tekst(None) == fmt.MISSING


def test_badges_carry_icon_and_text_not_colour_alone():
    badge = og.Signal(og.MIJLPAAL_TE_LAAT, "1 mijlpaal te laat").badge()
    assert badge == ":red-background[:material/schedule: **1 mijlpaal te laat**]"
    # the text is data (it may name an eenheid): escaped, so a bracket cannot end the directive
    assert og.Signal(og.OVER_BUDGET, "x [y]").badge() == ":orange-background[:material/euro: **x \\[y\\]**]"


def test_planbord_has_every_fase_even_empty_ones():
    cols = og.per_fase(OPGAVEN)
    assert list(cols) == list(og.FASEN)
    assert list(cols["afgesloten"]["opgave"]) == ["Y", "W"] and cols["besluitvorming"].empty


def test_bespreekpunten_name_owner_and_quote_the_memo():
    ms = og.mijlpaal_status(_ms([("X", "Aanbesteding", date(2021, 5, 1), None)]), PEIL)
    per = og.capaciteit_per_eenheid(CAPACITEIT, OPGAVEN, EENHEDEN, 0.25)
    lines = texts.opgaven_bespreekpunten(OPGAVEN, ms, per, 0.25)
    assert safe.plain(lines[0]) == ("**Te laat** — X (opdrachtgever A. Adviseur): mijlpaal “Aanbesteding” was gepland op "
                        "1 mei 2021 en is nog niet gehaald (31 dagen over datum).")
    text = "\n".join(lines)
    assert "**Afgesloten zonder evaluatie** — Y" in text and "nadat het succes is gevierd" in text
    assert "**Geen opdrachtgever** — Z" in text and "**Geen opdrachtgever** — V" in text
    assert "**Over budget** — X: besteed €\u00a0120.000 van €\u00a0100.000" in text
    assert "**Overvraagd** — Alfa: lopende opgaven vragen 3,00 fte, 30,0\u00a0% van de bezetting (10,00 fte)" in text
