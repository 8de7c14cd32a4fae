"""Exact strings for every Dutch formatter in stuurbord.ui.fmt."""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from stuurbord.ui import fmt

NB = "\u00a0"  # no-break space between number and unit
DASH = "–"
MISSING_VALUES = [None, float("nan"), np.nan, np.float32("nan"), pd.NA, pd.NaT, Decimal("NaN")]


# --------------------------------------------------------------------------- missing

@pytest.mark.parametrize("value", MISSING_VALUES, ids=repr)
@pytest.mark.parametrize("func", [fmt.fte, fmt.getal, fmt.signed, fmt.pct, fmt.euro])
def test_missing_numbers_are_an_en_dash(func, value):
    assert func(value) == DASH


@pytest.mark.parametrize("value", [None, float("nan"), pd.NaT, pd.NA, np.datetime64("NaT"), "", "  "], ids=repr)
@pytest.mark.parametrize("func", [fmt.datum, fmt.datum_kort, fmt.maand, fmt.maand_kort])
def test_missing_dates_are_an_en_dash(func, value):
    assert func(value) == DASH


def test_missing_constant_is_en_dash():
    assert fmt.MISSING == "\u2013"


@pytest.mark.parametrize("value,expected", [
    (None, True), (float("nan"), True), (pd.NA, True), (pd.NaT, True), (np.datetime64("NaT"), True),
    (Decimal("NaN"), True), (0, False), (0.0, False), ("", False), (date(2021, 6, 1), False), ([1, 2], False),
])
def test_is_missing(value, expected):
    assert fmt.is_missing(value) is expected


# --------------------------------------------------------------------------- fte / getal

@pytest.mark.parametrize("value,decimals,expected", [
    (189.95, 2, "189,95"),
    (1234.5, 2, "1.234,50"),
    (0, 2, "0,00"),
    (0.0, 2, "0,00"),
    (-0.0, 2, "0,00"),
    (-0.0001, 2, "0,00"),
    (-0.004, 2, "0,00"),
    (-0.005, 2, "-0,01"),
    (-12.5, 2, "-12,50"),
    (-1234.567, 2, "-1.234,57"),
    (0.125, 2, "0,13"),      # half away from zero, not banker's "0,12"
    (0.135, 2, "0,14"),
    (1.005, 2, "1,01"),      # decimal value, not the binary float 1.00499999...
    (2.675, 2, "2,68"),
    (0.88889, 4, "0,8889"),
    (0.88885, 4, "0,8889"),
    (1234.5, 0, "1.235"),
    (999.995, 2, "1.000,00"),
    (1_234_567.891, 2, "1.234.567,89"),
    (1e15, 2, "1.000.000.000.000.000,00"),
    (12, 2, "12,00"),
])
def test_fte(value, decimals, expected):
    assert fmt.fte(value, decimals) == expected


def test_fte_default_two_decimals():
    assert fmt.fte(189.95) == "189,95"
    assert fmt.fte(1) == "1,00"


@pytest.mark.parametrize("value,decimals,expected", [
    (1234, 0, "1.234"),
    (220, 0, "220"),
    (0.5, 1, "0,5"),
    (0.5, 0, "1"),
    (-0.5, 0, "-1"),
    (1.5, 0, "2"),
    (2.5, 0, "3"),           # not 2 (round half to even)
    (-2.5, 0, "-3"),
    (-0.4, 0, "0"),
    (0, 0, "0"),
    (999, 0, "999"),
    (1000, 0, "1.000"),
    (-1000, 0, "-1.000"),
    (12345678, 0, "12.345.678"),
    (10**30, 0, "1.000.000.000.000.000.000.000.000.000.000"),
    (3.14159, 3, "3,142"),
])
def test_getal(value, decimals, expected):
    assert fmt.getal(value, decimals) == expected


@pytest.mark.parametrize("value,expected", [
    (np.int64(1234), "1.234"), (np.float64(1234.5), "1.235"), (np.float32(2.5), "3"),
    (Decimal("1234.5"), "1.235"), (True, "1"), (False, "0"),
])
def test_getal_accepts_numpy_decimal_and_bool(value, expected):
    assert fmt.getal(value) == expected


def test_float32_rounds_on_its_own_shortest_repr():
    assert fmt.fte(np.float32(2.675)) == "2,68"


def test_huge_float_does_not_raise():
    out = fmt.getal(1.7976931348623157e308)
    assert out.startswith("179.769.313.486.231.570.000") and out.endswith(".000")


@pytest.mark.parametrize("value,expected", [(float("inf"), "∞"), (float("-inf"), "-∞")])
def test_infinity(value, expected):
    assert fmt.getal(value) == expected


def test_text_is_refused():
    with pytest.raises(TypeError):
        fmt.fte("1,5")


@pytest.mark.parametrize("decimals", [-1, 1.5, "2", True])
def test_bad_decimals(decimals):
    with pytest.raises(ValueError):
        fmt.getal(1, decimals)


def test_getal_works_in_pandas_map():
    s = pd.Series([1234.0, None, 0.5])
    assert s.map(fmt.getal).tolist() == ["1.234", DASH, "1"]
    assert pd.Series([1.5, np.nan], dtype="Float64").map(fmt.fte).tolist() == ["1,50", DASH]


# --------------------------------------------------------------------------- signed

@pytest.mark.parametrize("value,decimals,expected", [
    (1.5, 2, "+1,50"),
    (-0.45, 2, "-0,45"),
    (0, 2, "0,00"),
    (-0.0, 2, "0,00"),
    (-0.0001, 2, "0,00"),
    (0.0001, 2, "0,00"),
    (0.005, 2, "+0,01"),
    (-0.005, 2, "-0,01"),
    (1234.5, 2, "+1.234,50"),
    (-1234.5, 0, "-1.235"),
    (0.00005, 4, "+0,0001"),
    (-0.125, 2, "-0,13"),
    (float("inf"), 2, "+∞"),
])
def test_signed(value, decimals, expected):
    assert fmt.signed(value, decimals) == expected


def test_signed_uses_ascii_minus():
    assert "\u2212" not in fmt.signed(-1)
    assert fmt.signed(-1).startswith("-")


# --------------------------------------------------------------------------- pct

@pytest.mark.parametrize("value,decimals,expected", [
    (0.935, 1, f"93,5{NB}%"),
    (0.9355, 1, f"93,6{NB}%"),
    (1, 1, f"100,0{NB}%"),
    (0, 1, f"0,0{NB}%"),
    (-0.0001, 1, f"0,0{NB}%"),
    (-0.05, 1, f"-5,0{NB}%"),
    (0.00125, 2, f"0,13{NB}%"),
    (0.5, 0, f"50{NB}%"),
    (0.125, 0, f"13{NB}%"),
    (12.345, 1, f"1.234,5{NB}%"),
])
def test_pct(value, decimals, expected):
    assert fmt.pct(value, decimals) == expected


def test_pct_default_one_decimal_with_no_break_space():
    assert fmt.pct(0.935) == "93,5\u00a0%"
    assert " " not in fmt.pct(0.935)


# --------------------------------------------------------------------------- euro

@pytest.mark.parametrize("value,decimals,expected", [
    (1_250_000, 0, f"€{NB}1.250.000"),
    (83950.5, 2, f"€{NB}83.950,50"),
    (0, 0, f"€{NB}0"),
    (-1250, 0, f"€{NB}-1.250"),
    (-0.001, 2, f"€{NB}0,00"),
    (0.125, 2, f"€{NB}0,13"),
    (999.5, 0, f"€{NB}1.000"),
])
def test_euro(value, decimals, expected):
    assert fmt.euro(value, decimals) == expected


# --------------------------------------------------------------------------- aantal_tekst

@pytest.mark.parametrize("n,expected", [
    (1, "1 plaatsing"),
    (1.0, "1 plaatsing"),
    (2, "2 plaatsingen"),
    (0, "0 plaatsingen"),
    (1250, "1.250 plaatsingen"),
    (np.int64(1), "1 plaatsing"),
    (None, DASH),
    (float("nan"), DASH),
])
def test_aantal_tekst(n, expected):
    assert fmt.aantal_tekst(n, "plaatsing", "plaatsingen") == expected


def test_aantal_tekst_with_decimals():
    assert fmt.aantal_tekst(1.5, "persoon", "personen", 1) == "1,5 personen"
    assert fmt.aantal_tekst(1.0, "persoon", "personen", 1) == "1,0 personen"


# --------------------------------------------------------------------------- dates

@pytest.mark.parametrize("value", [
    date(2021, 6, 1),
    datetime(2021, 6, 1, 23, 59),
    pd.Timestamp("2021-06-01"),
    pd.Timestamp("2021-06-01 10:00", tz="Europe/Amsterdam"),
    np.datetime64("2021-06-01"),
    "2021-06-01",
    " 2021-06-01 ",
    "2021-06-01T10:00:00",
    "2021-06-01 10:00:00",
    "2021-06-01T10:00:00Z",
], ids=repr)
def test_date_inputs(value):
    assert fmt.datum(value) == "1 juni 2021"
    assert fmt.datum_kort(value) == "01-06-2021"
    assert fmt.maand(value) == "juni 2021"
    assert fmt.maand_kort(value) == "jun 2021"


@pytest.mark.parametrize("value,expected", [
    (date(2021, 1, 31), "31 januari 2021"),
    (date(2021, 3, 15), "15 maart 2021"),
    (date(2024, 12, 9), "9 december 2024"),
    (date(999, 1, 1), "1 januari 999"),
])
def test_datum(value, expected):
    assert fmt.datum(value) == expected


def test_datum_kort_pads():
    assert fmt.datum_kort(date(2024, 12, 9)) == "09-12-2024"
    assert fmt.datum_kort(date(999, 1, 1)) == "01-01-0999"


def test_maand_accepts_year_month():
    assert fmt.maand("2021-06") == "juni 2021"
    assert fmt.maand("2021-10") == "oktober 2021"


def test_bad_dates():
    with pytest.raises(ValueError):
        fmt.datum("1 juni 2021")
    with pytest.raises(TypeError):
        fmt.datum(20210601)


def test_month_and_day_names():
    assert fmt.MAANDEN == ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                           "september", "oktober", "november", "december"]
    assert fmt.MAANDEN_KORT == ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    assert fmt.DAGEN == ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"]
    assert fmt.DAGEN_KORT == ["zo", "ma", "di", "wo", "do", "vr", "za"]
    # Sunday first, as d3 wants: 6 June 2021 was a Sunday.
    assert fmt.DAGEN[(date(2021, 6, 6).weekday() + 1) % 7] == "zondag"


# --------------------------------------------------------------------------- d3 / Plotly

@pytest.mark.parametrize("decimals,expected", [(0, ",.0f"), (1, ",.1f"), (2, ",.2f"), (4, ",.4f")])
def test_d3_number_format(decimals, expected):
    assert fmt.d3_number_format(decimals) == expected


def test_d3_number_format_default():
    assert fmt.d3_number_format() == ",.2f"


def test_plotly_locale_shape():
    loc = fmt.PLOTLY_LOCALE_NL
    assert set(loc) == {"dictionary", "format"}
    f = loc["format"]
    assert f["days"] == fmt.DAGEN and f["shortDays"] == fmt.DAGEN_KORT
    assert f["months"] == fmt.MAANDEN and f["shortMonths"] == fmt.MAANDEN_KORT
    assert f["date"] == "%d-%m-%Y" and f["decimal"] == "," and f["thousands"] == "."
    assert f["grouping"] == [3]
    # the keys plotly.js reads from a locale's format block
    assert {"periods", "dateTime", "time", "currency", "year", "month", "dayMonth", "dayMonthYear"} <= set(f)
    d = loc["dictionary"]
    assert d["Download plot as a PNG"] == "Download als PNG"   # plotly.js 3 spelling
    assert d["Download plot as a png"] == "Download als PNG"   # older spelling
    assert d["Zoom in"] == "Inzoomen" and d["Zoom out"] == "Uitzoomen"
    assert d["Reset axes"] == "Assen herstellen" and d["Autoscale"] == "Automatisch schalen"
    assert d["Pan"] == "Verschuiven" and d["Zoom"] == "Zoomen"
    assert d["Box Select"] == "Rechthoek selecteren" and d["Lasso Select"] == "Lasso selecteren"
    assert d["Toggle Spike Lines"] == "Hulplijnen aan/uit"
    assert d["Show closest data on hover"] == "Dichtstbijzijnde waarde tonen"
    assert d["Compare data on hover"] == "Waarden vergelijken"
    assert d["Reset view"] == "Beeld herstellen"
    assert d["Produced with Plotly.js"] == "Gemaakt met Plotly.js"
    assert d["Double-click to zoom back out"] == "Dubbelklik om uit te zoomen"
    json.dumps(loc)  # travels as JSON through st.plotly_chart


def test_plotly_config():
    cfg = fmt.plotly_config("formatie-treemap")
    assert cfg["locale"] == "nl"
    assert cfg["locales"] == {"nl": fmt.PLOTLY_LOCALE_NL}
    assert cfg["displaylogo"] is False
    assert cfg["toImageButtonOptions"] == {"format": "png", "filename": "formatie-treemap", "scale": 2}
    assert fmt.plotly_config()["toImageButtonOptions"]["filename"] == "stuurbord"
    json.dumps(cfg)


def test_plotly_config_is_a_fresh_copy():
    cfg = fmt.plotly_config()
    cfg["locales"]["nl"]["format"]["months"][0] = "changed"
    assert fmt.MAANDEN[0] == "januari"
    assert fmt.plotly_config()["locales"]["nl"]["format"]["months"][0] == "januari"


def test_apply_dutch_layout_numbers():
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1234.5, 2.5]))
    out = fmt.apply_dutch_layout(fig)
    assert out is fig
    assert fig.layout.separators == ",."
    assert fig.layout.xaxis.separatethousands is True and fig.layout.yaxis.separatethousands is True
    assert fig.layout.xaxis.hoverformat is None  # categories, not dates
    assert fig.layout.font.family == fmt.FONT_FAMILY


def test_apply_dutch_layout_replaces_plotly_grey_default():
    import plotly.io as pio
    fig = go.Figure(go.Bar(x=[1], y=[1]), layout={"template": pio.templates["plotly"]})
    fmt.apply_dutch_layout(fig)
    assert fig.layout.template == pio.templates["plotly_white"]


def test_apply_dutch_layout_keeps_other_templates():
    import plotly.io as pio
    fig = go.Figure(go.Bar(x=[1], y=[1]), layout={"template": pio.templates["simple_white"]})
    fmt.apply_dutch_layout(fig)
    assert fig.layout.template == pio.templates["simple_white"]


def test_apply_dutch_layout_month_series_hover():
    dates = pd.date_range("2021-01-01", "2021-12-01", freq="MS")
    fig = fmt.apply_dutch_layout(go.Figure(go.Scatter(x=dates, y=list(range(12)))))
    assert fig.layout.xaxis.hoverformat == "%B %Y"  # "maart 2021", like fmt.maand
    assert fig.layout.yaxis.hoverformat is None


def test_apply_dutch_layout_daily_hover_and_horizontal():
    fig = go.Figure(go.Scatter(x=["2021-03-05", "2021-04-01"], y=[1, 2]))
    assert fmt.apply_dutch_layout(fig).layout.xaxis.hoverformat == "%-d %B %Y"  # like fmt.datum
    fig = go.Figure(go.Bar(y=[date(2021, 3, 5)], x=[3], orientation="h"))
    assert fmt.apply_dutch_layout(fig).layout.yaxis.hoverformat == "%-d %B %Y"


def test_apply_dutch_layout_respects_existing_hoverformat():
    fig = go.Figure(go.Scatter(x=pd.date_range("2021-01-01", periods=3), y=[1, 2, 3]))
    fig.update_xaxes(hoverformat="%d-%m-%Y")
    assert fmt.apply_dutch_layout(fig).layout.xaxis.hoverformat == "%d-%m-%Y"


def test_apply_dutch_layout_on_treemap():
    fig = go.Figure(go.Treemap(labels=["a", "b"], parents=["", "a"], values=[2, 1]))
    assert fmt.apply_dutch_layout(fig).layout.separators == ",."


def test_dutch_month_ticks():
    dates = pd.date_range("2021-11-01", "2022-02-01", freq="MS")
    fig = go.Figure(go.Scatter(x=dates, y=[1, 2, 3, 4]))
    out = fmt.dutch_month_ticks(fig, dates)
    assert out is fig
    assert fig.layout.xaxis.tickmode == "array"
    assert list(fig.layout.xaxis.tickvals) == ["2021-11-01", "2021-12-01", "2022-01-01", "2022-02-01"]
    assert list(fig.layout.xaxis.ticktext) == ["nov<br>2021", "dec", "jan<br>2022", "feb"]


def test_dutch_month_ticks_dedups_and_skips_missing():
    fig = go.Figure(go.Scatter(x=["2021-03-05", "2021-03-20"], y=[1, 2]))
    fmt.dutch_month_ticks(fig, ["2021-03-05", "2021-03-20", None, "2021-05-02"], axis="x")
    assert list(fig.layout.xaxis.ticktext) == ["mrt<br>2021", "mei"]
    empty = go.Figure()
    assert fmt.dutch_month_ticks(empty, [None]).layout.xaxis.tickmode is None
