"""Cell parsing (etl.values): Dutch numbers, percentages, dates, periods, enums —
first as a table of cases, then through a real workbook so the cell types that
Excel/xlsxwriter produce (numbers, text, date cells) are what gets parsed."""
from __future__ import annotations

from datetime import date, datetime

import pytest

import fixtures as fx
from etl import contract as c
from etl import values as v


@pytest.mark.parametrize("raw, expected", [
    ("0,89", 0.89), ("1.234,5", 1234.5), (" 22 ", 22.0), ("0.89", 0.89), ("1.250.000", 1250000.0),
    ("83.950,50", 83950.5), ("1,234.5", 1234.5), ("-3,5", -3.5), ("€ 1.000", 1000.0), ("22\u00a0", 22.0),
    (7, 7.0), (0.5, 0.5), ("0.123", 0.123), ("12", 12.0),
])
def test_parse_number(raw, expected):
    assert v.parse_number(raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["twintig", "1,2,3x", "", "-", True, "12 fte"])
def test_parse_number_refuses(raw):
    with pytest.raises(v.BadValue, match="is geen getal"):
        v.parse_number(raw)


@pytest.mark.parametrize("raw, expected", [
    ("52%", 0.52), ("52 %", 0.52), ("0,52", 0.52), ("52", 0.52), (52, 0.52), (0.52, 0.52),
    ("52,5%", 0.525), (1, 1.0), ("100%", 1.0), ("1", 1.0),
])
def test_parse_percent(raw, expected):
    assert v.parse_percent(raw) == pytest.approx(expected)


def test_parse_percent_refuses_text():
    with pytest.raises(v.BadValue) as exc:
        v.parse_percent("veel%")
    assert str(exc.value) == "'veel%' is geen percentage."


@pytest.mark.parametrize("raw, expected", [
    ("01-06-2021", date(2021, 6, 1)), ("1-6-2021", date(2021, 6, 1)), ("2021-06-01", date(2021, 6, 1)),
    ("1 juni 2021", date(2021, 6, 1)), ("15 okt 2021", date(2021, 10, 15)), ("1 Juni 2021", date(2021, 6, 1)),
    (datetime(2021, 6, 1), date(2021, 6, 1)), (date(2021, 6, 1), date(2021, 6, 1)),
    (44348, date(2021, 6, 1)),  # an Excel serial that lost its date format
])
def test_parse_date(raw, expected):
    assert v.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["31-02-2021", "gisteren", "2021/13/01", "1 smarch 2021"])
def test_parse_date_refuses(raw):
    with pytest.raises(v.BadValue) as exc:
        v.parse_date(raw)
    assert str(exc.value) == f"'{raw}' is geen datum (gebruik dd-mm-jjjj of een Excel-datum)."


@pytest.mark.parametrize("raw, expected", [
    ("2021-06", ("2021-06", "maand", date(2021, 6, 1))),
    ("jun 2021", ("2021-06", "maand", date(2021, 6, 1))),
    ("juni 2021", ("2021-06", "maand", date(2021, 6, 1))),
    ("Juni 2021", ("2021-06", "maand", date(2021, 6, 1))),
    (date(2021, 6, 15), ("2021-06", "maand", date(2021, 6, 1))),
    (datetime(2021, 6, 1), ("2021-06", "maand", date(2021, 6, 1))),
    ("2021-Q2", ("2021-Q2", "kwartaal", date(2021, 4, 1))),
    ("Q2 2021", ("2021-Q2", "kwartaal", date(2021, 4, 1))),
    ("2021 K2", ("2021-Q2", "kwartaal", date(2021, 4, 1))),
    ("2021-T2", ("2021-T2", "tertiaal", date(2021, 5, 1))),
    ("T2 2021", ("2021-T2", "tertiaal", date(2021, 5, 1))),
    ("2021-T3", ("2021-T3", "tertiaal", date(2021, 9, 1))),
    ("2021", ("2021", "jaar", date(2021, 1, 1))),
    (2021, ("2021", "jaar", date(2021, 1, 1))),
])
def test_parse_period(raw, expected):
    assert v.parse_period(raw) == expected


@pytest.mark.parametrize("raw", ["2021-Q5", "2021-T4", "vorige maand", "13-2021"])
def test_parse_period_refuses(raw):
    with pytest.raises(v.BadValue, match="is geen periode"):
        v.parse_period(raw)


@pytest.mark.parametrize("raw, expected", [("schaal 10", 10), ("Schaal 10", 10), ("10", 10), (10, 10),
                                           (10.0, 10), ("SCHAAL  8", 8)])
def test_parse_schaal(raw, expected):
    assert v.parse_schaal(raw) == expected


def test_schaal_range_message():
    col = next(col for col in c.WASWORD.sheets[0].columns if col.field == "schaal")
    with pytest.raises(v.BadValue) as exc:
        v.parse(19, col)
    assert str(exc.value) == "'19' valt buiten het bereik: Schaal moet tussen 1 en 18 zijn."


def test_parse_id_keeps_leading_zeros():
    assert v.parse_id("000123") == "000123"
    assert v.parse_id(" 000123 ") == "000123"
    assert v.parse_id(123.0) == "123"


@pytest.mark.parametrize("raw, expected", [("Functievolgend", "functievolgend"), (" VACATURE ", "vacature")])
def test_parse_enum_case_folded(raw, expected):
    col = next(col for col in c.WASWORD.sheets[0].columns if col.field == "plaatsingsvorm")
    assert v.parse(raw, col) == expected


@pytest.mark.parametrize("raw, expected", [("plus", "+"), ("bij", "+"), ("min", "-"), ("af", "-"),
                                           ("Basis", "basis"), ("-", "-")])
def test_bewerking_aliases(raw, expected):
    col = next(col for col in c.ORGANISATIE.sheet("Opbouw").columns if col.field == "bewerking")
    assert v.parse(raw, col) == expected


@pytest.mark.parametrize("raw, expected", [("ja", True), ("Nee", False), ("x", True),
                                           ("1-6-2021", date(2021, 6, 1))])
def test_parse_bool_or_date(raw, expected):
    assert v.parse_bool_or_date(raw) == expected


@pytest.mark.parametrize("header", ["Formatie (fte)", "formatie_fte", "FORMATIE FTE", " Formatie  fte ",
                                    "Formatie-FTE", "formatie.fte"])
def test_norm_key_makes_one_name(header):
    assert v.norm_key(header) == v.norm_key("Formatie fte") == "formatiefte"


def test_norm_key_ignores_accents():
    assert v.norm_key("Coach/coördinator") == v.norm_key("coach coordinator")


def test_clean_text_and_fold():
    assert v.clean_text("  Team   Burgerzaken\u00a0 ") == "Team Burgerzaken"
    assert v.fold(" inwonersloket ") == v.fold("Inwonersloket")


# --- the same rules through a real workbook ------------------------------------------------
def test_numbers_in_a_workbook(load, db):
    """Formatie fte written as number cells and as Dutch/English text all load as numbers."""
    sheets = fx.organisatie_sheets(opbouw=False)
    sheets["Eenheden"][1:] = [
        ["C", "Een", "0,89"], ["C", "Twee", "1.234,5"], ["C", "Drie", " 22 "], ["C", "Vier", "0.89"],
        ["C", "Vijf", 3.25], ["C", "Zes", 7],
    ]
    sheets["Coaches"][1:] = [["K", name, None] for name in ("Een", "Twee", "Drie", "Vier", "Vijf", "Zes")]
    result = load(sheets, peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    got = dict(fx.query(db, "SELECT eenheid, formatie_fte FROM fte_per_eenheid"))
    assert got == {"Een": 0.89, "Twee": 1234.5, "Drie": 22.0, "Vier": 0.89, "Vijf": 3.25, "Zes": 7.0}


SHARES = ["52%", "52 %", "0,52", "52", 0.52, 52, "52,0%"]


def test_percentages_in_a_workbook(load, db):
    """Opbouw's Percentage in every accepted notation is stored as the fraction 0.52."""
    sheets = fx.organisatie_sheets()
    sheets["Opbouw"][1:] = [[f"Regel {i}", 100, share, "basis" if i == 0 else "+", None]
                            for i, share in enumerate(SHARES)]
    result = load(sheets, peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert fx.query(db, "SELECT percentage, fte_berekend FROM formatie_opbouw WHERE onderdeel <> 'Totaal' "
                        "ORDER BY volgorde") == [(pytest.approx(0.52), pytest.approx(52.0))] * len(SHARES)
    assert fx.query(db, "SELECT fte_berekend, fte_opgegeven FROM formatie_opbouw WHERE onderdeel = 'Totaal'") == [
        (pytest.approx(52.0 * len(SHARES)), None)]


def test_empty_optional_number_is_null_not_zero(org_db, load):
    """An empty Fte opgegeven is NULL: the line's verschil and the Totaal's stated sum stay NULL."""
    sheets = fx.organisatie_sheets()
    sheets["Opbouw"][2][4] = None          # MO in de hosting: stated figure missing
    result = load(sheets, "org2.xlsx", peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    rows = fx.query(org_db, "SELECT onderdeel, fte_opgegeven, verschil FROM formatie_opbouw ORDER BY volgorde")
    assert rows[1] == ("MO in de hosting", None, None)
    assert rows[-1] == ("Totaal", None, None)
    assert fx.query(org_db, "SELECT count(*) FROM org_opbouw WHERE version = 2 AND fte_opgegeven = 0") == [(0,)]


@pytest.mark.parametrize("raw,expected", [("52%*", 0.52), ("52 %*", 0.52), ("200,11*", 2.0011), ("0,52**", 0.52)])
def test_trailing_footnote_marker_as_in_the_memo(raw, expected):
    """The memo's table writes '52%*' with a footnote; the marker is not part of the value."""
    from etl.values import parse_percent
    assert parse_percent(raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["5*3", "*", "52%x"])
def test_a_star_inside_a_number_is_still_refused(raw):
    from etl.values import BadValue, parse_percent
    with pytest.raises(BadValue):
        parse_percent(raw)


# --- invisible characters and the RE2 candidates of the columnar reader (etl/rules.py) ----------------
def _ranges(predicate) -> tuple:
    import sys
    out, start = [], None
    for cp in range(sys.maxunicode + 2):
        hit = cp <= sys.maxunicode and predicate(chr(cp))
        if hit and start is None:
            start = cp
        elif not hit and start is not None:
            out.append((start, cp - 1))
            start = None
    return tuple(out)


def test_the_character_tables_are_pythons_own():
    """Invisible = Unicode categories Cc and Cf without white space; white space = str.isspace.
    Recomputed here, so a Python with a newer Unicode version tells us."""
    import unicodedata

    from etl import rules
    assert rules.INVISIBLE_RANGES == _ranges(lambda ch: unicodedata.category(ch) in ("Cc", "Cf") and not ch.isspace())
    assert rules.WHITESPACE_RANGES == _ranges(str.isspace)


@pytest.mark.parametrize("raw, expected, removed", [
    ("\u202eab\u202c", "ab", "\u202e\u202c"), ("a\u200bb\u200b", "ab", "\u200b"), ("\ufeffx", "x", "\ufeff"),
    ("gewoon", "gewoon", ""), ("**vet** <b>x</b> $$x$$ ![p](http://e/p.png)", "**vet** <b>x</b> $$x$$ ![p](http://e/p.png)", ""),
    ("\u200b", None, "\u200b"), ("  ", None, ""), ("a\tb", "a\tb", ""), (0.5, 0.5, ""), (None, None, ""),
])
def test_clean_cell(raw, expected, removed):
    from etl.rules import clean_cell
    assert clean_cell(raw) == (expected, removed)


@pytest.mark.parametrize("label, total", [
    ("Totaal", True), ("  TOTAAL:", True), ("Subtotaal ICT", True), ("generaal totaal", True),
    ("Totaalbedrag", False), ("Totaal fte in de WODV", True), ("Eindtotaal", False), ("\u00a0Totaal", True),
])
def test_total_labels(label, total):
    from etl.rules import is_total_label
    assert is_total_label(label) is total


def test_the_re2_candidates_cover_every_text_python_would_change():
    """The columnar reader leaves a text alone when its RE2 candidate pattern does not match;
    so every text that clean_cell or values.clean_text changes, or that is blank, must match."""
    import random

    import pyarrow as pa
    import pyarrow.compute as pc

    from etl.rules import TEXT_CANDIDATE_RE2, TOTAL_CANDIDATE_RE2, WHITESPACE_RANGES, clean_cell, is_total_label
    spaces = [chr(cp) for a, b in WHITESPACE_RANGES for cp in range(a, b + 1)]
    pieces = ["a", "b", "Totaal", "taal", "1", ".", ",", "é", "\u202e", "\u200b", "\u00ad", "\x07"] + spaces
    rnd = random.Random(1)
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 5))) for _ in range(20000)]
    candidate = pc.match_substring_regex(pa.array(texts), TEXT_CANDIDATE_RE2).to_pylist()
    for text, is_candidate in zip(texts, candidate):
        value, removed = clean_cell(text)
        if value is None or removed or v.clean_text(value) != text:
            assert is_candidate, repr(text)
    maybe_total = pc.match_substring_regex(pa.array(texts), TOTAL_CANDIDATE_RE2).to_pylist()
    for text, is_candidate in zip(texts, maybe_total):
        if is_total_label(text):
            assert is_candidate, repr(text)
