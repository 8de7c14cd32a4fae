"""Dutch formatting: the one place where numbers, amounts, percentages and dates become text.

Every page, chart, table and export formats through this module, so a number reads the
same everywhere ("1.234,50"). Pure functions, no Streamlit import. Missing values (None,
NaN, NaT, pd.NA) become MISSING, an en dash "–", in every function.

Decisions (and why):

- Rounding is half away from zero on the *decimal* value. A float is converted with
  ``Decimal(str(x))`` (Python's shortest repr, i.e. the number as it was typed in Excel)
  and quantized with ROUND_HALF_UP. So 0.125 -> "0,13" and 1.005 -> "1,01", which is what
  a controller recomputing by hand (or Excel's ROUND) expects. Plain ``f"{x:.2f}"`` would
  give "0,12" (round-half-even) and "1,00" (the binary float is 1.00499999...), and
  numbers in the dashboard would then disagree with the spreadsheet by one cent.
- Negative zero never shows: anything that rounds to zero prints without a sign ("0,00",
  never "-0,00").
- The minus sign is ASCII "-" (U+002D), not the typographic "−" (U+2212): text copied
  from the screen or from an export must stay a number when pasted into Excel (nl-NL
  Excel parses "-0,45" but keeps "−0,45" as text), and a search for "-0,45" must find it.
- Between a number and "%" and between "€" and the amount sits a no-break space U+00A0
  (NBSP below): Dutch style "93,5 %" / "€ 1.250", and a label never wraps between number
  and unit. Code (and tests) comparing these strings must expect "\\u00a0", not " ".
- Thousands are grouped from 1.000 on (four-digit numbers too), like Plotly's d3 format
  with ``separators=",."`` does on the axes, so screen, hover and export agree.
- Infinity prints as "∞" / "-∞" rather than as a misleading number.

Plotly: ``plotly_config()`` gives the ``config`` for ``st.plotly_chart`` with the Dutch
locale (month and day names on date axes, Dutch modebar tooltips); ``apply_dutch_layout()``
sets ``layout.separators`` so numbers on axes read "1.234,5" even where the config does
not travel (static image export). ``dutch_month_ticks()`` is a server-side fallback that
writes Dutch month tick labels into the figure itself.
"""
from __future__ import annotations

import copy
import math
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any, Iterable

import numpy as np
import pandas as pd

MISSING = "–"  # en dash U+2013
NBSP = "\u00a0"
MINUS = "-"  # ASCII on purpose, see module docstring

MAANDEN = ["januari", "februari", "maart", "april", "mei", "juni",
           "juli", "augustus", "september", "oktober", "november", "december"]
MAANDEN_KORT = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
# Sunday first: the order d3 (and so Plotly's locale "days"/"shortDays") expects.
DAGEN = ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"]
DAGEN_KORT = ["zo", "ma", "di", "wo", "do", "vr", "za"]


# --------------------------------------------------------------------------- numbers

def is_missing(x: Any) -> bool:
    """True for None, NaN (float, numpy, Decimal), NaT and pd.NA."""
    if x is None:
        return True
    if isinstance(x, float):  # includes numpy.float64
        return math.isnan(x)
    if isinstance(x, Decimal):
        return x.is_nan()
    if isinstance(x, (str, bytes, int)):
        return False
    try:
        result = pd.isna(x)
    except (TypeError, ValueError):
        return False
    return isinstance(result, (bool, np.bool_)) and bool(result)


def _to_decimal(x: Any) -> Decimal:
    if isinstance(x, Decimal):
        return x
    if isinstance(x, (str, bytes)):
        # Formatting text that looks like a number would hide a bug upstream (double formatting).
        raise TypeError(f"fmt expects a number, not text: {x!r}")
    if isinstance(x, (bool, np.bool_)):
        return Decimal(int(x))
    if isinstance(x, (int, np.integer)):
        return Decimal(int(x))
    if isinstance(x, (float, np.floating)):
        # str() is the shortest repr that round-trips (also for float32): 0.1 -> "0.1",
        # not 0.1000000000000000055...
        return Decimal(str(x))
    return Decimal(str(float(x)))


def _check_decimals(decimals: int) -> None:
    if not isinstance(decimals, (int, np.integer)) or isinstance(decimals, bool) or decimals < 0:
        raise ValueError(f"decimals must be a whole number >= 0, got {decimals!r}")


def _round(d: Decimal, decimals: int) -> Decimal:
    """Round half away from zero to `decimals` places, with enough precision for any size."""
    ctx = Context(prec=max(28, d.adjusted() + int(decimals) + 3), rounding=ROUND_HALF_UP)
    q = d.quantize(Decimal(1).scaleb(-int(decimals)), context=ctx)
    return q.copy_abs() if q.is_zero() else q  # no negative zero


_SWAP = str.maketrans({",": ".", ".": ","})


def _number(x: Any, decimals: int, plus: bool = False, group: bool = True) -> str:
    if is_missing(x):
        return MISSING
    _check_decimals(decimals)
    d = _to_decimal(x)
    if d.is_nan():
        return MISSING
    if d.is_infinite():
        return (MINUS if d < 0 else "+" if plus else "") + "∞"
    q = _round(d, decimals)
    body = f"{q.copy_abs():{',' if group else ''}.{int(decimals)}f}".translate(_SWAP)
    sign = MINUS if q < 0 else "+" if plus and q > 0 else ""
    return sign + body


def getal(x: Any, decimals: int = 0) -> str:
    """A plain number: getal(1234) -> "1.234", getal(0.5, 1) -> "0,5"."""
    return _number(x, decimals)


def kaal(x: Any, decimals: int = 2) -> str:
    """A number for a CSV file that Dutch Excel reads as a number: decimal comma, no
    thousands separator (Excel would keep "1.234,50" as text in some set-ups):
    kaal(1234.5) -> "1234,50". Missing -> "" (an empty cell, not a dash)."""
    return "" if is_missing(x) else _number(x, decimals, group=False)


def fte(x: Any, decimals: int = 2) -> str:
    """Fte, two decimals by default: 189.95 -> "189,95", 1234.5 -> "1.234,50"."""
    return _number(x, decimals)


def signed(x: Any, decimals: int = 2) -> str:
    """A difference with explicit sign: "+1,50", "-0,45"; zero (after rounding) is "0,00".
    The minus is ASCII "-" so exports stay numeric and searchable."""
    return _number(x, decimals, plus=True)


def pct(fraction: Any, decimals: int = 1) -> str:
    """A fraction as percentage: 0.935 -> "93,5 %" (no-break space U+00A0 before "%").
    Multiplied by 100 in Decimal, so 0.935 is exactly 93.5 before rounding."""
    if is_missing(fraction):
        return MISSING
    d = _to_decimal(fraction)
    if d.is_nan():
        return MISSING
    return f"{_number(d * 100, decimals)}{NBSP}%"


def euro(x: Any, decimals: int = 0) -> str:
    """An amount: "€ 1.250.000", euro(83950.5, 2) -> "€ 83.950,50", negative "€ -1.250"
    (CLDR nl pattern). No-break space U+00A0 after "€"."""
    n = _number(x, decimals)
    return MISSING if n == MISSING else f"€{NBSP}{n}"


def aantal_tekst(n: Any, enkelvoud: str, meervoud: str, decimals: int = 0) -> str:
    """Count with noun: "1 plaatsing", "2 plaatsingen", "1.250 plaatsingen", "0 plaatsingen".
    The singular is used when the number *as shown* is "1"."""
    shown = getal(n, decimals)
    if shown == MISSING:
        return MISSING
    return f"{shown} {enkelvoud if shown == '1' else meervoud}"


def d3_number_format(decimals: int = 2) -> str:
    """The d3 format for Plotly (tickformat, hovertemplate "%{y:,.2f}") matching fte()/getal().
    Needs layout.separators=",." (apply_dutch_layout) or the nl locale to print "1.234,50".
    Caveat: d3 rounds the binary float (0.125 -> "0,12"); for exact agreement with the
    tables, pre-format with fmt and pass the text via customdata."""
    _check_decimals(decimals)
    return f",.{int(decimals)}f"


# --------------------------------------------------------------------------- dates

_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def _to_date(d: Any) -> date | None:
    if is_missing(d):
        return None
    if isinstance(d, datetime):  # includes pandas.Timestamp
        return d.date()
    if isinstance(d, date):
        return d
    if isinstance(d, np.datetime64):
        return pd.Timestamp(d).date()
    if isinstance(d, str):
        s = d.strip()
        if not s:
            return None
        m = _YEAR_MONTH.match(s)
        if m:
            return date(int(m.group(1)), int(m.group(2)), 1)
        try:
            return datetime.fromisoformat(s.replace("Z", "+00:00")).date()
        except ValueError:
            raise ValueError(f"not an ISO date (YYYY-MM-DD): {d!r}") from None
    raise TypeError(f"fmt expects a date, got {type(d).__name__}: {d!r}")


def datum(d: Any) -> str:
    """Long date: "1 juni 2021". Accepts date, datetime, pandas Timestamp, numpy datetime64,
    ISO string ("2021-06-01", "2021-06-01T10:00:00")."""
    x = _to_date(d)
    return MISSING if x is None else f"{x.day} {MAANDEN[x.month - 1]} {x.year}"


def datum_kort(d: Any) -> str:
    """Short date: "01-06-2021"."""
    x = _to_date(d)
    return MISSING if x is None else f"{x.day:02d}-{x.month:02d}-{x.year:04d}"


def tijdstip(t: Any) -> str:
    """Date and time to the minute, as a Dutch sentence writes it: "29 november 2022, 14:05"
    (datetime, pandas Timestamp, ISO string). The one format of a moment on screen, in the
    pack and in exports (Versies, notes, Logboek, the cover); a date alone is datum()."""
    if is_missing(t):
        return MISSING
    if isinstance(t, str):
        t = datetime.fromisoformat(t.strip())
    elif isinstance(t, np.datetime64):
        t = pd.Timestamp(t)
    if not isinstance(t, datetime):
        return datum(t)
    return f"{datum(t)}, {t.hour:02d}:{t.minute:02d}"


def maand(d: Any) -> str:
    """Month and year: "juni 2021". Also accepts "2021-06"."""
    x = _to_date(d)
    return MISSING if x is None else f"{MAANDEN[x.month - 1]} {x.year}"


def maand_kort(d: Any) -> str:
    """Short month and year: "jun 2021" (tick labels)."""
    x = _to_date(d)
    return MISSING if x is None else f"{MAANDEN_KORT[x.month - 1]} {x.year}"


# --------------------------------------------------------------------------- Plotly

# Keys are the English strings plotly.js passes through its localize function. Several
# were renamed between plotly.js versions (e.g. "Download plot as a png" -> "... a PNG" in
# the plotly.js 3.8 that Streamlit 1.67 bundles), so both spellings are listed. Streamlit's
# own "Fullscreen" modebar button is not localized by plotly.js and stays English.
_PLOTLY_DICTIONARY_NL = {
    "Autoscale": "Automatisch schalen",
    "Box Select": "Rechthoek selecteren",
    "Click to enter Colorscale title": "Klik om de titel van de kleurschaal in te voeren",
    "Click to enter Plot title": "Klik om de titel van de grafiek in te voeren",
    "Click to enter Plot subtitle": "Klik om de ondertitel van de grafiek in te voeren",
    "Click to enter X axis title": "Klik om de titel van de x-as in te voeren",
    "Click to enter Y axis title": "Klik om de titel van de y-as in te voeren",
    "Compare data on hover": "Waarden vergelijken",
    "Double-click on legend to isolate one trace": "Dubbelklik op de legenda om één reeks apart te tonen",
    "Double-click to zoom back out": "Dubbelklik om uit te zoomen",
    "Download plot": "Grafiek downloaden",
    "Download plot as a PNG": "Download als PNG",
    "Download plot as a png": "Download als PNG",
    "Image download succeeded": "Afbeelding gedownload",
    "Lasso Select": "Lasso selecteren",
    "Pan": "Verschuiven",
    "Preparing image - this may take a few seconds": "Afbeelding wordt gemaakt, een ogenblik geduld",
    "Produced with Plotly.js": "Gemaakt met Plotly.js",
    "Reset": "Herstellen",
    "Reset axes": "Assen herstellen",
    "Reset view": "Beeld herstellen",
    "Reset views": "Beelden herstellen",
    "Show closest data on hover": "Dichtstbijzijnde waarde tonen",
    "Snapshot succeeded": "Afbeelding gedownload",
    "Sorry, there was a problem downloading your image!": "Het downloaden van de afbeelding is mislukt.",
    "Sorry, there was a problem downloading your snapshot!": "Het downloaden van de afbeelding is mislukt.",
    "Taking snapshot - this may take a few seconds": "Afbeelding wordt gemaakt, een ogenblik geduld",
    "Toggle Spike Lines": "Hulplijnen aan/uit",
    "Toggle show closest data on hover": "Dichtstbijzijnde waarde tonen aan/uit",
    "Zoom": "Zoomen",
    "Zoom in": "Inzoomen",
    "Zoom out": "Uitzoomen",
    "mean:": "gemiddelde:",
    "median:": "mediaan:",
}

# The `format` block of a plotly.js locale module (same keys as plotly.js's src/locale-en.js).
_PLOTLY_FORMAT_NL = {
    "days": DAGEN,
    "shortDays": DAGEN_KORT,
    "months": MAANDEN,
    "shortMonths": MAANDEN_KORT,
    "periods": ["AM", "PM"],
    "dateTime": "%a %-d %b %Y %X",
    "date": "%d-%m-%Y",
    "time": "%H:%M:%S",
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": [f"€{NBSP}", ""],
    "year": "%Y",
    "month": "%b %Y",
    "dayMonth": "%-d %b",
    "dayMonthYear": "%-d %b %Y",
}

PLOTLY_LOCALE_NL: dict = {"dictionary": _PLOTLY_DICTIONARY_NL, "format": _PLOTLY_FORMAT_NL}


def plotly_config(filename: str = "stuurbord") -> dict:
    """The `config` for st.plotly_chart / fig.show: Dutch locale, no Plotly logo, PNG
    download at double resolution named `filename`.png. A fresh deep copy on every call."""
    return {
        "locale": "nl",
        "locales": {"nl": copy.deepcopy(PLOTLY_LOCALE_NL)},
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }


FONT_FAMILY = '"Source Sans", "Source Sans Pro", "Segoe UI", Arial, sans-serif'
# d3 time formats for hover labels on date axes, matching datum() and maand(). Plotly's own
# default hover joins "dayMonth" and "year" with a comma ("1 mrt, 2021"), which is English
# word order; these give "1 maart 2021" / "maart 2021".
DATE_HOVERFORMAT = "%-d %B %Y"
MONTH_HOVERFORMAT = "%B %Y"


def _date_values(values: Any) -> list[date] | None:
    """The values as dates if they are dates (datetime64 array, date objects, ISO strings)."""
    if values is None:
        return None
    arr = np.asarray(values)
    if arr.size == 0:
        return None
    if arr.dtype.kind == "M":
        return [x for x in pd.to_datetime(arr.ravel()).date if not is_missing(x)]
    if arr.dtype.kind not in "OU":
        return None
    out = []
    for v in arr.ravel():
        if is_missing(v):
            continue
        if isinstance(v, (date, np.datetime64)):
            out.append(_to_date(v))
        elif isinstance(v, str) and re.match(r"^\d{4}-\d{2}-\d{2}", v):
            try:
                out.append(_to_date(v))
            except ValueError:
                return None
        else:
            return None
    return out or None


def _dutch_date_hover(fig) -> None:
    """Set hoverformat on date axes that have none: "%B %Y" when every point is the first
    of a month (monthly series), else "%-d %B %Y"."""
    found: dict[str, list[date]] = {}
    for trace in fig.data:
        for letter in ("x", "y"):
            if letter not in trace or f"{letter}axis" not in trace:
                continue
            dates = _date_values(trace[letter])
            if dates:
                ref = trace[f"{letter}axis"] or letter
                found.setdefault(ref.replace(letter, f"{letter}axis", 1), []).extend(dates)
    for key, dates in found.items():
        axis = fig.layout[key] if key in fig.layout else None
        if axis is None or axis.hoverformat or axis.type not in (None, "date", "-"):
            continue
        monthly = all(d.day == 1 for d in dates)
        fig.update_layout({key: {"hoverformat": MONTH_HOVERFORMAT if monthly else DATE_HOVERFORMAT}})


def apply_dutch_layout(fig):
    """Dutch separators (",." -> "1.234,5" on axes and in d3-formatted hovers), thousands
    grouped from 1.000 on, Dutch date hover labels on date axes and a calm look. Keeps the
    Streamlit template when the figure has it; a figure made outside Streamlit (exports)
    gets "plotly_white" instead of Plotly's grey default. Call it last: axis settings only
    reach the axes that exist. Returns fig."""
    fig.update_layout(separators=",.", font_family=FONT_FAMILY, hoverlabel_font_family=FONT_FAMILY)
    # Plotly groups thousands only from 10.000 on by default ("1500"); getal() writes "1.500".
    fig.update_xaxes(separatethousands=True)
    fig.update_yaxes(separatethousands=True)
    _dutch_date_hover(fig)
    try:
        import plotly.io as pio
        if fig.layout.template == pio.templates["plotly"]:
            fig.update_layout(template="plotly_white")
    except Exception:  # pragma: no cover - the template is cosmetic only
        pass
    return fig


def dutch_month_ticks(fig, dates: Iterable[Any], axis: str = "x"):
    """Fallback that does not depend on the Plotly locale: write Dutch month labels into the
    figure as tickvals/ticktext, one tick per distinct month in `dates` ("jan", "feb", ...);
    the first tick of each year also shows the year ("jan<br>2021"), as Plotly does.
    `axis` "x" or "y" (applies to all axes of that kind). Returns fig."""
    months = sorted({(x.year, x.month) for x in (_to_date(d) for d in dates) if x is not None})
    if not months:
        return fig
    vals, texts, seen = [], [], set()
    for y, m in months:
        vals.append(date(y, m, 1).isoformat())
        texts.append(MAANDEN_KORT[m - 1] if y in seen else f"{MAANDEN_KORT[m - 1]}<br>{y}")
        seen.add(y)
    update = {"tickmode": "array", "tickvals": vals, "ticktext": texts}
    (fig.update_xaxes if axis.startswith("x") else fig.update_yaxes)(**update)
    return fig


def dutch_date_axis(fig, start: Any, end: Any, axis: str = "x", max_ticks: int = 12):
    """Dutch month names on a date axis without Plotly's locale, which a picture rendered by
    kaleido (PNG, raadspakket) does not get: ticks on the first of a month every 1, 2, 3, 6 or
    12 months, the smallest step that keeps at most `max_ticks` between `start` and `end`;
    labels "jan 2022" (maand_kort), or "2022" for yearly ticks. Returns fig."""
    lo, hi = _to_date(start), _to_date(end)
    if lo is None or hi is None:
        return fig
    months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    step = next((s for s in (1, 2, 3, 6, 12) if months / s <= max_ticks), 12 * (months // (12 * max_ticks) + 1))
    y, m = lo.year, lo.month
    m0 = ((m - 1) // step) * step + 1 if step <= 12 else 1  # ticks on quarter/half-year/year boundaries
    first = date(y, m0, 1)
    vals, texts = [], []
    d = first
    while d <= hi:
        if d >= date(lo.year, lo.month, 1):
            vals.append(d.isoformat())
            texts.append(str(d.year) if step % 12 == 0 else maand_kort(d))
        n = d.month - 1 + step
        d = date(d.year + n // 12, n % 12 + 1, 1)
    update = {"tickmode": "array", "tickvals": vals, "ticktext": texts}
    (fig.update_xaxes if axis.startswith("x") else fig.update_yaxes)(**update)
    return fig
