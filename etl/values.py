"""Cell value parsing: Dutch numbers, percentages, dates, periods, enumerations.

Every parser takes the raw cell as python-calamine gives it (str, int, float,
bool, date, datetime, time or None) and returns the typed value, or raises
`BadValue` with a Dutch message (without sheet/cell; the caller adds those).
Empty cells never reach a parser: the caller treats them as missing.
"""
from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta

from . import contract as c

MAANDEN = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mrt": 3, "maa": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12,
    # English abbreviations seen in exports from English-language tools
    "mar": 3, "may": 5, "oct": 10,
}
_EXCEL_EPOCH = date(1899, 12, 30)


class BadValue(ValueError):
    """A cell that cannot be read as its column's type (message in Dutch)."""


def norm_key(text: str) -> str:
    """Header/sheet key: case-, whitespace-, accent- and punctuation-insensitive."""
    text = unicodedata.normalize("NFKD", str(text)).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def clean_text(value) -> str:
    """Trim and fold internal runs of whitespace (incl. non-breaking spaces)."""
    return " ".join(str(value).split())


def fold(text: str) -> str:
    """Matching key for names and codes: trimmed, folded spaces, case-folded."""
    return " ".join(str(text).split()).casefold()


def show(value) -> str:
    """A raw cell as quoted in a message (without invisible characters, at most 60 long)."""
    from .rules import strip_invisible
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, float):
        value = repr(value).replace(".", ",")  # a numeric cell 8.5 is quoted the Dutch way: '8,5'
    text = clean_text(strip_invisible(str(value))[0])
    return text if len(text) <= 60 else text[:57] + "…"


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


# --- numbers -----------------------------------------------------------------
_NUM_CLEAN = re.compile(r"[\s\u00a0\u202f€]")
_DUTCH_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_ENGLISH_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3}){2,}$")
_PLAIN = re.compile(r"^-?(\d+|\d*\.\d+|\d+\.)$")


def _text_number(text: str) -> float:
    """Dutch (`1.234,5`, `0,89`) or plain English (`0.89`) notation."""
    # a trailing footnote marker is not part of the number: the memo writes "52%*"
    s = _NUM_CLEAN.sub("", text).replace("\u2212", "-").rstrip("*")
    if s.startswith("+"):
        s = s[1:]
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):       # 1.234,5 (Dutch)
            s = s.replace(".", "").replace(",", ".")
        else:                                  # 1,234.5 (English)
            s = s.replace(",", "")
    elif "," in s:
        s = s.replace(",", "") if _ENGLISH_THOUSANDS.match(s) else s.replace(",", ".")
    elif _DUTCH_THOUSANDS.match(s) and not s.lstrip("-").startswith("0"):
        # "1.250" or "1.250.000": a dot followed by groups of three digits is a
        # Dutch thousands separator (the contract's first notation).
        s = s.replace(".", "")
    if not _PLAIN.match(s):
        raise ValueError
    return float(s)


def parse_number(value) -> float:
    if isinstance(value, bool):
        raise BadValue(f"'{show(value)}' is geen getal.")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return _text_number(value)
        except ValueError:
            pass
    raise BadValue(f"'{show(value)}' is geen getal.")


def parse_percent(value) -> float:
    """52 %, 52%, 0,52 and 52 are the same fraction 0.52 (above 1 means percent)."""
    if isinstance(value, str) and value.strip().rstrip("*").rstrip().endswith("%"):
        try:
            return _text_number(value.strip().rstrip("*").rstrip()[:-1]) / 100
        except ValueError:
            raise BadValue(f"'{show(value)}' is geen percentage.") from None
    try:
        number = parse_number(value)
    except BadValue:
        raise BadValue(f"'{show(value)}' is geen percentage.") from None
    return number / 100 if number > 1 else number


def parse_value(value) -> float:
    """A KPI value or target: a number, or a percentage written with `%`."""
    if isinstance(value, str) and value.strip().endswith("%"):
        return parse_percent(value)
    return parse_number(value)


def parse_int(value) -> int:
    number = parse_number(value)
    if not number.is_integer():
        raise BadValue(f"'{show(value)}' is geen geheel getal.")
    return int(number)


_SCHAAL = re.compile(r"^(?:schaal\s*)?(\d{1,2})$", re.IGNORECASE)


def parse_schaal(value) -> int:
    if isinstance(value, str):
        m = _SCHAAL.match(clean_text(value))
        if not m:
            raise BadValue(f"'{show(value)}' is geen salarisschaal (1 tot en met 18).")
        return int(m.group(1))
    try:
        return parse_int(value)
    except BadValue:
        raise BadValue(f"'{show(value)}' is geen salarisschaal (1 tot en met 18).") from None


def parse_id(value) -> str:
    """Personeelsnummer: text, leading zeros kept; a numeric cell loses none it never had."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(value)


def parse_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return clean_text(value)


# --- dates -------------------------------------------------------------------
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_D_MONTH_Y = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$")


def _excel_serial(number: float) -> date:
    if not 1 <= number < 2958466:
        raise ValueError
    return _EXCEL_EPOCH + timedelta(days=int(number))


def text_date(text: str) -> date | None:
    """`dd-mm-jjjj`, `d-m-jjjj`, `jjjj-mm-dd`, `1 juni 2021`; None when no date."""
    s = clean_text(text).casefold()
    s = s.split(" 00:00")[0]  # "2021-06-01 00:00:00" from a text export
    try:
        if m := _DMY.match(s):
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if m := _YMD.match(s):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if (m := _D_MONTH_Y.match(s)) and m.group(2) in MAANDEN:
            return date(int(m.group(3)), MAANDEN[m.group(2)], int(m.group(1)))
    except ValueError:
        return None
    return None


def parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return _excel_serial(float(value))
        except ValueError:
            pass
    if isinstance(value, str) and (d := text_date(value)):
        return d
    raise BadValue(f"'{show(value)}' is geen datum (gebruik dd-mm-jjjj of een Excel-datum).")


def parse_bool_or_date(value):
    """`ja`/`nee` (also x, true/false) or a date (meaning: yes, on that date)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        key = fold(value)
        if key in ("ja", "j", "x", "yes", "true", "waar", "gereed"):
            return True
        if key in ("nee", "n", "no", "false", "onwaar"):
            return False
    try:
        return parse_date(value)
    except BadValue:
        raise BadValue(f"'{show(value)}' is geen ja/nee en geen datum.") from None


# --- periods (P&C cycle) -----------------------------------------------------
_P_YM = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_P_MY = re.compile(r"^(\d{1,2})[-/](\d{4})$")
_P_MONTH = re.compile(r"^([a-z]+)\.?[\s-]+(\d{4})$")
_P_Q = re.compile(r"^(\d{4})[\s-]*[qk]([1-4])$|^[qk]([1-4])[\s-]*(\d{4})$")
_P_T = re.compile(r"^(\d{4})[\s-]*t([1-3])$|^t([1-3])[\s-]*(\d{4})$")
_P_Y = re.compile(r"^(\d{4})$")

GRAINS = ("maand", "kwartaal", "tertiaal", "jaar")


def month_period(year: int, month: int) -> tuple[str, str, date]:
    return f"{year:04d}-{month:02d}", "maand", date(year, month, 1)


def parse_period(value) -> tuple[str, str, date]:
    """Return (canonical text, grain, first day): `2021-06`, `2021-Q2`, `2021-T2`, `2021`."""
    if isinstance(value, (date, datetime)):
        return month_period(value.year, value.month)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2200:
            return f"{int(value)}", "jaar", date(int(value), 1, 1)
        try:
            d = _excel_serial(float(value))
            return month_period(d.year, d.month)
        except ValueError:
            pass
    if isinstance(value, str):
        s = clean_text(value).casefold()
        try:
            if m := _P_YM.match(s):
                return month_period(int(m.group(1)), int(m.group(2)))
            if m := _P_MY.match(s):
                return month_period(int(m.group(2)), int(m.group(1)))
            if (m := _P_MONTH.match(s)) and m.group(1) in MAANDEN:
                return month_period(int(m.group(2)), MAANDEN[m.group(1)])
            if m := _P_Q.match(s):
                year, q = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
                return f"{year}-Q{q}", "kwartaal", date(int(year), 3 * int(q) - 2, 1)
            if m := _P_T.match(s):
                year, t = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
                return f"{year}-T{t}", "tertiaal", date(int(year), 4 * int(t) - 3, 1)
            if m := _P_Y.match(s):
                return s, "jaar", date(int(s), 1, 1)
            if d := text_date(s):
                return month_period(d.year, d.month)
        except ValueError:
            pass
    raise BadValue(f"'{show(value)}' is geen periode (bijv. 2021-06, jun 2021, 2021-Q2, 2021-T2 of 2021).")


def parse_enum(value, column: c.Column) -> str:
    key = fold(parse_text(value))
    key = column.aliases.get(key, key)
    if key in column.choices:
        return key
    allowed = ", ".join(column.choices)
    raise BadValue(f"'{show(value)}' is geen geldige waarde; kies uit: {allowed}.")


PARSERS = {
    c.TEXT: parse_text,
    c.ID: parse_id,
    c.NUMBER: parse_number,
    c.PERCENT: parse_percent,
    c.VALUE: parse_value,
    c.INT: parse_int,
    c.SCHAAL: parse_schaal,
    c.DATE: parse_date,
    c.BOOL_OR_DATE: parse_bool_or_date,
    c.PERIOD: parse_period,
}


def parse(value, column: c.Column):
    """Parse one non-empty cell for `column`, including its range check."""
    if column.type == c.ENUM:
        return parse_enum(value, column)
    result = PARSERS[column.type](value)
    if column.min is not None or column.max is not None:
        _check_range(result, column, value)
    return result


def _check_range(number, column: c.Column, raw) -> None:
    low, high = column.min, column.max
    too_low = low is not None and (number <= low if column.min_exclusive else number < low)
    too_high = high is not None and number > high
    if too_low or too_high:
        if column.type == c.PERCENT:  # a share or progress: bounds as percentages, "tussen 0 % en 100 %"
            fmt = lambda x: f"{x * 100:g} %".replace(".", ",")  # noqa: E731 - message-only formatting
        else:
            fmt = lambda x: f"{x:g}".replace(".", ",")  # noqa: E731 - message-only formatting
        if low is not None and high is not None:
            rng = f"groter dan {fmt(low)} en hoogstens {fmt(high)}" if column.min_exclusive else \
                f"tussen {fmt(low)} en {fmt(high)}"
        elif low is not None:
            rng = f"groter dan {fmt(low)}" if column.min_exclusive else f"minstens {fmt(low)}"
        else:
            rng = f"hoogstens {fmt(high)}"
        raise BadValue(f"'{show(raw)}' valt buiten het bereik: {column.name} moet {rng} zijn.")
