"""Kind kpi: norms, scores in long and wide form, period notations, % values as
fractions, one grain per code, and the view kpi_scores with norm_gehaald."""
from __future__ import annotations

from datetime import date

import pytest

import fixtures as fx

NORMEN = fx.KPI["Normen"]


def _kpi(scores: list[list], normen: list[list] = NORMEN) -> dict:
    return {"Normen": [list(r) for r in normen], "Scores": [list(r) for r in scores]}


def test_standard_kpi_scores(full_db):
    assert fx.query(full_db, "SELECT code, eenheid, periode, periode_start, waarde, streefwaarde, richting, "
                             "meeteenheid, norm_gehaald FROM kpi_scores") == [
        ("KCC-01", "Inwonersloket", "2021-01", date(2021, 1, 1), 0.93, 0.8, "hoger", "%", True),
        ("KCC-01", "Inwonersloket", "2021-02", date(2021, 2, 1), 0.75, 0.8, "hoger", "%", False),
        ("KCC-01", "Inwonersloket", "2021-03", date(2021, 3, 1), 0.8, 0.8, "hoger", "%", True),
        ("VERG-01", None, "2021-Q1", date(2021, 1, 1), 60.0, 56.0, "lager", "dagen", False),
        ("VERG-01", None, "2021-Q2", date(2021, 4, 1), 56.0, 56.0, "lager", "dagen", True),
        ("VERG-01", None, "2021-Q3", date(2021, 7, 1), 40.5, 56.0, "lager", "dagen", True),
    ]
    assert fx.query(full_db, "SELECT code, omschrijving, bron FROM kpi_norm ORDER BY code") == [
        ("KCC-01", "Telefoon binnen 30 seconden opgenomen", "dienstverleningsmanifest"),
        ("VERG-01", "Doorlooptijd omgevingsvergunning", "wettelijk")]
    assert fx.query(full_db, "SELECT aantal FROM kpi_scores WHERE code = 'KCC-01' ORDER BY periode") == [
        (120,), (98,), (None,)]


PERIODS = [  # (as written, canonical periode, periode_start)
    ("2021-06", "2021-06", date(2021, 6, 1)),
    ("jun 2021", "2021-06", date(2021, 6, 1)),
    ("juni 2021", "2021-06", date(2021, 6, 1)),
    (date(2021, 6, 15), "2021-06", date(2021, 6, 1)),        # an Excel date cell: its month
    ("2021-Q2", "2021-Q2", date(2021, 4, 1)),
    ("Q2 2021", "2021-Q2", date(2021, 4, 1)),
    ("2021 K2", "2021-Q2", date(2021, 4, 1)),
    ("2021-T2", "2021-T2", date(2021, 5, 1)),
    ("T2 2021", "2021-T2", date(2021, 5, 1)),
    ("2021", "2021", date(2021, 1, 1)),
    (2021, "2021", date(2021, 1, 1)),                         # a number cell
]


def test_period_notations(db, load):
    """One code per notation (a code keeps one grain), all in one workbook."""
    normen = [["Code", "Omschrijving", "Streefwaarde"]] + [[f"P{i:02d}", "x", 50] for i in range(len(PERIODS))]
    scores = [["Code", "Periode", "Waarde"]] + [[f"P{i:02d}", raw, 50] for i, (raw, _, _) in enumerate(PERIODS)]
    result = load(_kpi(scores, normen), peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert fx.query(db, "SELECT periode, periode_start FROM kpi_scores ORDER BY code") == [
        (periode, start) for _, periode, start in PERIODS]


PERCENT_VALUES = ["0,93", "93%", "93 %", "93", 93, 0.93, "0.93"]


def test_percent_values_are_fractions(db, load):
    normen = [["Code", "Omschrijving", "Streefwaarde", "Meeteenheid"]] + [
        [f"K{i}", "x", "90%", "%"] for i in range(len(PERCENT_VALUES))]
    scores = [["Code", "Periode", "Waarde"]] + [[f"K{i}", "2021-06", raw] for i, raw in enumerate(PERCENT_VALUES)]
    result = load(_kpi(scores, normen), peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert fx.query(db, "SELECT waarde, streefwaarde, norm_gehaald FROM kpi_scores ORDER BY code") == [
        (pytest.approx(0.93), pytest.approx(0.9), True)] * len(PERCENT_VALUES)


PERCENT_TARGETS = ["80%", "80", 80, "0,8", 0.8]


def test_percent_targets_are_fractions(db, load):
    normen = [["Code", "Omschrijving", "Streefwaarde", "Meeteenheid"]] + [
        [f"K{i}", "x", target, "procent"] for i, target in enumerate(PERCENT_TARGETS)]
    scores = [["Code", "Periode", "Waarde"]] + [[f"K{i}", "2021-06", "79%"] for i in range(len(PERCENT_TARGETS))]
    assert load(_kpi(scores, normen), peildatum=fx.PEILDATUM).loaded
    assert fx.query(db, "SELECT meeteenheid, streefwaarde, norm_gehaald FROM kpi_scores ORDER BY code") == [
        ("%", pytest.approx(0.8), False)] * len(PERCENT_TARGETS)


def test_non_percent_values_stay_numbers(db, load):
    assert load(_kpi([["Code", "Periode", "Waarde"], ["VERG-01", "2021-Q1", "93"]]), peildatum=fx.PEILDATUM).loaded
    assert fx.query(db, "SELECT waarde, norm_gehaald FROM kpi_scores") == [(93.0, False)]


def test_norm_gehaald_by_direction(db, load):
    """Target 10; scores 12 and 8 (and 10: meeting the target exactly counts as met)."""
    normen = [["Code", "Omschrijving", "Streefwaarde", "Richting"],
              ["H", "hoger", 10, "hoger"], ["L", "lager", 10, "LAGER"], ["D", "standaard", 10, None]]
    scores = [["Code", "Periode", "Waarde"]] + [[code, f"2021-0{m}", v] for code in "HLD"
                                               for m, v in ((1, 12), (2, 8), (3, 10))]
    assert load(_kpi(scores, normen), peildatum=fx.PEILDATUM).loaded
    assert fx.query(db, "SELECT code, richting, list(norm_gehaald ORDER BY periode) FROM kpi_scores "
                        "GROUP BY 1, 2 ORDER BY 1") == [
        ("D", "hoger", [True, False, True]), ("H", "hoger", [True, False, True]), ("L", "lager", [False, True, True])]


def test_hoger_is_beter_column(db, load):
    normen = [["Code", "Omschrijving", "Streefwaarde", "Hoger is beter"], ["J", "ja", 10, "ja"], ["N", "nee", 10, "Nee"]]
    scores = [["Code", "Periode", "Waarde"], ["J", "2021-01", 12], ["N", "2021-01", 12]]
    assert load(_kpi(scores, normen), peildatum=fx.PEILDATUM).loaded
    assert fx.query(db, "SELECT code, richting, norm_gehaald FROM kpi_scores") == [
        ("J", "hoger", True), ("N", "lager", False)]


# --- wide form -------------------------------------------------------------------------------
def test_wide_with_text_period_headers(db, load):
    scores = [["Scores per maand"], ["Code", "Omschrijving", "jan 2021", "feb 2021", "mrt 2021"],
              ["KCC-01", "Telefoon", "91%", "0,79", None],
              ["VERG-01", "Vergunning", None, None, None],
              ["Totaal", None, 1, 1, 1]]
    result = load(_kpi(scores), peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert fx.warnings(result) == ["Blad 'Scores', cel B2: kolom 'Omschrijving' is geen periode en is genegeerd."]
    assert [str(s) for s in result.prepared.skipped] == [
        "Blad 'Scores': rij 5 ('Totaal') is een totaalregel en is overgeslagen."]
    assert fx.query(db, "SELECT code, periode, waarde, norm_gehaald FROM kpi_scores") == [
        ("KCC-01", "2021-01", pytest.approx(0.91), True), ("KCC-01", "2021-02", pytest.approx(0.79), False)]


def test_wide_with_excel_date_headers(db, load):
    scores = [["Code", date(2021, 1, 1), date(2021, 2, 1), date(2021, 3, 1)],
              ["KCC-01", 0.81, "82%", 83],
              ["VERG-01", None, None, None]]                        # a code without values: no rows
    result = load(_kpi(scores), peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert fx.query(db, "SELECT code, periode, periode_start, waarde FROM kpi_scores") == [
        ("KCC-01", "2021-01", date(2021, 1, 1), pytest.approx(0.81)),
        ("KCC-01", "2021-02", date(2021, 2, 1), pytest.approx(0.82)),
        ("KCC-01", "2021-03", date(2021, 3, 1), pytest.approx(0.83))]


def test_wide_unknown_code_is_named(db, load):
    scores = [["Code", "jan 2021"], ["KCC-01", 0.9], ["ONB-1", 3]]
    assert fx.errors(load(_kpi(scores), peildatum=fx.PEILDATUM)) == [
        "Blad 'Scores', cel A3: code 'ONB-1' staat niet op het blad 'Normen'. Bekende codes: KCC-01, VERG-01."]


def test_wide_with_quarter_headers_and_bad_cell(db, load):
    scores = [["Indicator", "2021-Q1", "Q2 2021", "2021 K3"], ["VERG-01", 60, "veel", 40]]
    assert fx.errors(load(_kpi(scores), peildatum=fx.PEILDATUM)) == ["Blad 'Scores', cel C2: 'veel' is geen getal."]


# --- refusals ----------------------------------------------------------------------------------
def test_unknown_code_is_named(full_db, load):
    before = fx.snapshot(full_db)
    scores = [["Code", "Periode", "Waarde"], ["KCC-01", "2021-06", 0.9], ["ONB-99", "2021-06", 3],
              ["onb-99", "2021-07", 4]]
    assert fx.errors(load(_kpi(scores), peildatum=fx.PEILDATUM)) == [
        "Blad 'Scores', cel A3: code 'ONB-99' staat niet op het blad 'Normen'. Bekende codes: KCC-01, VERG-01."]
    assert fx.snapshot(full_db) == before


def test_grain_mixing_is_refused(full_db, load):
    scores = [["Code", "Periode", "Waarde"], ["KCC-01", "2021-01", 0.9], ["KCC-01", "2021-Q2", 0.9],
              ["VERG-01", "2021-Q1", 50], ["VERG-01", "2021-T2", 50]]
    before = fx.snapshot(full_db)
    assert fx.errors(load(_kpi(scores), peildatum=fx.PEILDATUM)) == [
        "Blad 'Scores', cel B3: code 'KCC-01' mengt perioden: '2021-Q2' is een kwartaal, maar B2 is een maand. "
        "Gebruik per code één soort periode.",
        "Blad 'Scores', cel B5: code 'VERG-01' mengt perioden: '2021-T2' is een tertiaal, maar B4 is een "
        "kwartaal. Gebruik per code één soort periode."]
    assert fx.snapshot(full_db) == before


def test_different_grains_for_different_codes_are_fine(db, load):
    scores = [["Code", "Periode", "Waarde"], ["KCC-01", "2021-01", 0.9], ["VERG-01", "2021", 50]]
    assert load(_kpi(scores), peildatum=fx.PEILDATUM).loaded
    assert fx.query(db, "SELECT code, grain FROM kpi_scores") == [("KCC-01", "maand"), ("VERG-01", "jaar")]


def test_same_period_twice_is_refused(db, load):
    scores = [["Code", "Periode", "Waarde"], ["KCC-01", "2021-06", 0.9], ["KCC-01", "juni 2021", 0.8]]
    assert fx.errors(load(_kpi(scores), peildatum=fx.PEILDATUM)) == [
        "Blad 'Scores', cel B3: code 'KCC-01' heeft voor periode 2021-06 al een waarde (B2)."]


def test_duplicate_norm_code_is_refused(db, load):
    normen = [list(r) for r in NORMEN] + [["kcc-01", "Nog eens", None, 0.5, None, None, None]]
    assert fx.errors(load(_kpi([["Code", "Periode", "Waarde"], ["KCC-01", "2021-06", 0.9]], normen),
                          peildatum=fx.PEILDATUM)) == [
        "Blad 'Normen', cel A4: code 'kcc-01' komt dubbel voor (ook in rij 2)."]


def test_bad_score_cells_all_at_once(db, load):
    scores = [["Code", "Periode", "Waarde", "Aantal"], ["KCC-01", "vorige maand", 0.9, 10],
              ["KCC-01", "2021-06", "goed", 10], ["KCC-01", "2021-07", 0.9, "2,5"], [None, "2021-08", 0.9, 1]]
    assert fx.errors(load(_kpi(scores), peildatum=fx.PEILDATUM)) == [
        "Blad 'Scores', cel B2: 'vorige maand' is geen periode (bijv. 2021-06, jun 2021, 2021-Q2, 2021-T2 of 2021).",
        "Blad 'Scores', cel C3: 'goed' is geen getal.",
        "Blad 'Scores', cel D4: '2,5' is geen geheel getal.",
        "Blad 'Scores', cel A5: Code ontbreekt (verplicht)."]


def test_bad_meeteenheid_lists_choices(db, load):
    normen = [list(r) for r in NORMEN]
    normen[1][5] = "procenten"
    assert fx.errors(load(_kpi([["Code", "Periode", "Waarde"], ["KCC-01", "2021-06", 0.9]], normen),
                          peildatum=fx.PEILDATUM)) == [
        "Blad 'Normen', cel F2: 'procenten' is geen geldige waarde; kies uit: %, dagen, aantal, uren, score."]


def test_norm_eenheid_checked_against_formatie(org_db, load):
    normen = [list(r) for r in NORMEN]
    normen[1][2] = "inwonersloket"
    normen[2][2] = "Burgerzaken"
    result = load(_kpi([["Code", "Periode", "Waarde"], ["KCC-01", "2021-06", 0.9]], normen), peildatum=fx.PEILDATUM)
    assert result.loaded
    assert fx.warnings(result) == [
        "Blad 'Normen', cel C3: eenheid 'Burgerzaken' is niet bekend in de formatie; de norm wordt wel geladen."]
    assert fx.query(org_db, "SELECT code, eenheid FROM kpi_norm ORDER BY code") == [
        ("KCC-01", "Inwonersloket"), ("VERG-01", "Burgerzaken")]
