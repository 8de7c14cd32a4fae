"""The columnar fast path (etl/columnar.py) gives exactly what the regular path gives:
same rows in DuckDB, same errors, warnings and skipped rows — on clean, messy, mixed-type
and hostile sheets. Each case is loaded twice into copies of one store, once per reader."""
from __future__ import annotations

import shutil
from datetime import date, datetime

import pytest

import fixtures as fx
from etl import columnar, contract, pipeline, store
from etl.plan import Headers
from etl.sheets import Header
from etl.workbook import open_workbook

HEADER = ["Personeelsnummer", "Naam", "Nieuwe functie", "Eenheid", "Schaal", "Fte", "Plaatsingsvorm"]
EENHEDEN = ["Inwonersloket", "Belastingen", "Financiën", "ICT"]


def _clean_rows(n: int = 30) -> list[list]:
    return [[f"{i:06d}", f"Medewerker {i}", "Adviseur", EENHEDEN[i % 4], 4 + i % 10, [1.0, 0.8889, 0.5][i % 3],
             ["functievolgend", "passend", "uitwisselbaar"][i % 3]] for i in range(1, n + 1)]


def _mixed_rows(n: int = 40) -> list[list]:
    """What a hand-edited HR export looks like: numbers and Dutch text in one column."""
    rows = _clean_rows(n)
    for i, row in enumerate(rows):
        if i % 2:
            row[5] = f"{row[5]:g}".replace(".", ",")          # "0,8889" beside 0.8889
        if i % 3 == 0:
            row[0] = int(row[0])                              # personeelsnummer as a number
        if i % 4 == 1:
            row[4] = f"schaal {row[4]}"
    return rows


BIDI = "\u202e"
HOSTILE = ("**vet** :red[rood] $$x^2$$ `code` <b>html</b> <script>alert(1)</script> ![p](http://elders/p.png) "
           "http://elders.example \u202e0,17\u202c \u200bnul\u200b " + "lang " * 6_500)   # near a cell's 32.767
CASES = {
    "clean": [HEADER] + _clean_rows(),
    "messy": [
        ["Was/wordt-lijst (synthetisch)"],
        ["Peildatum: 01-06-2021"],
        [],
        ["Pers.nr.", "Naam medewerker", "Opmerking", "Functie (wordt)", "Team", "Salarisschaal", "Omvang (fte)",
         "Plaatsing"],
        ["000123", "  Anna   de Vries ", "x", "Adviseur", " inwonersloket ", "schaal 10", 0.8889, "Functievolgend"],
        ["000124", "Bram\u00a0\tde  Wit", None, "Adviseur", "Belastingen", "11", 1.0, "PASSEND"],
        [],
        [None, None, None, "Adviseur", "ICT", "9", 0.5, "vacature"],
        ["000125", "Carla", None, "Medewerker", "Onbekend team", "8", 0.5, "geschikt"],
        ["000126", None, None, "Medewerker", "Financiën", "schaal 19", 0.0, "ontslagen"],
        [None, "Dirk", None, "Medewerker", "Financiën", "7", 1.0, None],
        ["000127", "Eva", None, "Medewerker", "ICT", "7", 0.8, "passend"],
        ["000127", "Eva", None, "Medewerker", "Financiën", "7", 0.6, "passend"],
        ["Totaal", None, None, None, None, None, 5.5, None],
    ],
    "mixed_types": [HEADER, ["000001", "A", "Adviseur", "ICT", 8, "0,5", "passend"],
                    ["000002", "B", "Adviseur", "ICT", 8, 1.0, "passend"]],
    "mixed_columns": [HEADER] + _mixed_rows(),
    # the Dutch text "1.234" is 1234 (out of range), the number 1.234 is 1,234 (out of range too):
    # different messages; text "0.5" and number 0.5 are one value; a boolean is no number
    "mixed_lookalikes": [HEADER] + _clean_rows(6) + [
        ["000101", "P", "Adviseur", "ICT", 8, "1.234", "passend"],
        ["000102", "Q", "Adviseur", "ICT", 8, 1.234, "passend"],
        ["000103", "R", "Adviseur", "ICT", "8", "0.5", "passend"],
        ["000104", "S", "Adviseur", "ICT", 8.0, True, "passend"],
        [104.0, "T", "Adviseur", "ICT", 8, 0.25, 5],
        ["000106", 1e-05, "Adviseur", "ICT", 8, "1e3", "passend"],
        ["000107", 1e20, 12, "ICT", "", " ", "\u00a0"],
    ],
    "booleans_elsewhere": [HEADER + ["Actief"]] + [row + [i % 2 == 0] for i, row in enumerate(_clean_rows(12))],
    "a_date_in_a_text_column": [HEADER] + _clean_rows(5) + [["000201", date(2021, 6, 1), "Adviseur", "ICT", 8,
                                                                0.5, "passend"]],
    "total_rows": [
        ["Opmerking", *HEADER],
        [None, *_clean_rows(1)[0]],
        ["Totaal", None, None, None, None, None, 0.8889, None],                 # label in a remarks column
        ["nagekomen", "000002", "B", "Adviseur", "ICT", 8, 0.5, "passend"],      # a remark on a data row
        [None, "Subtotaal ICT", None, None, None, None, 1.5, None],              # label in the key column
        ["Totaal herzien", "000003", "C", "Adviseur", "ICT", 8, 0.5, "passend"],  # complete: data
        [5, "Totaal", None, None, None, None, 1.0, None],                      # a number comes first: no total
        ["alleen een opmerking", None, None, None, None, None, None, None],   # no contract value: blank
        [f"{BIDI}\u200bTOTAAL:", None, None, None, None, None, 3.0, None],      # invisible characters first
        [datetime(2021, 6, 1), "Totaal", None, None, None, None, 1.0, None],
    ],
    "invisible_characters": [HEADER] + _clean_rows(4) + [
        ["000301", f"Jan{BIDI}0,17", "Adviseur", f"{BIDI}ICT", 8, "0,5\u200b", "passend\u2066"],
        ["000302", "\u200b", "Adviseur", "ICT", 8, 0.5, "\ufeffpassend"],
        ["\u200e", "Naam", "Adviseur", "\u2060", 8, 0.5, "passend"],
        ["000304", "Tab\tin\u00adnaam", "Adviseur", "ICT", 8, "\u200b", None],
    ],
    "hostile_text": [HEADER + ["Huidige functie", "Huidige afdeling"]] + _clean_rows(4) + [
        ["000501", HOSTILE, HOSTILE, "ICT", 8, 0.5, "passend", HOSTILE, HOSTILE]],
    "many_invisible_cells": [HEADER] + [[f"{i:06d}", f"Naam {i}\u200e", "Adviseur", "ICT", 8, 0.5, "passend"]
                                        for i in range(1, 16)],
    "columns_in_another_order": [
        [None, None, "Lijst"],
        [None, "Fte", "Eenheid", "Personeelsnummer", "Nieuwe functie", "Onbekend", "Schaal"],
        [None, "1,5", "Nergens", None, None, 3, "twintig"],
        [None, 0.5, "ICT", "000401", "Adviseur", "x", 8],
    ],
}


def _load_both(tmp_path, org_db, rows, engine: str = "xlsxwriter") -> dict:
    path = fx.write_xlsx(tmp_path / "ww.xlsx", {"Was-wordt": rows}, engine=engine)
    out = {}
    for label, threshold in (("regulier", 10**9), ("kolommen", 0)):
        db = tmp_path / f"{label}.duckdb"
        shutil.copyfile(org_db, db)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("STUURBORD_COLUMNAR_MIN_ROWS", str(threshold))
            result = pipeline.load(path, kind="wasword", peildatum=date(2021, 6, 1), user="test", db=db)
        rows_in_db = fx.query(db, "SELECT * EXCLUDE (version) FROM ww_plaatsing ORDER BY rij") if result.loaded else []
        out[label] = (fx.errors(result), fx.warnings(result), [str(s) for s in result.prepared.skipped], rows_in_db)
    return out


def _fast(tmp_path, rows, name="x.xlsx"):
    """read_sheet_columnar on a workbook of `rows` (None when it gives up)."""
    path = fx.write_xlsx(tmp_path / name, {"Was-wordt": rows})
    wb = open_workbook(path.read_bytes(), name, keep_xml_rows=0)
    spec = contract.WASWORD.sheets[0]
    header = Headers(wb)("Was-wordt", spec)
    assert isinstance(header, Header)
    return wb, columnar.read_sheet_columnar(wb, spec, "Was-wordt", header)


@pytest.mark.parametrize("case", CASES)
def test_both_paths_give_identical_results(tmp_path, org_db, case):
    both = _load_both(tmp_path, org_db, CASES[case])
    assert both["kolommen"] == both["regulier"]


def test_a_late_text_in_a_numeric_column_is_still_text(tmp_path, org_db):
    """fastexcel guesses a column's type from its first 1000 rows by default; a Dutch "1.234"
    in row 1500 must still be the text 1234 (out of range), not the number 1,234."""
    rows = [HEADER] + _clean_rows(1600)
    rows[1500][5] = "1.234"
    rows[1550][5] = "0,5"
    both = _load_both(tmp_path, org_db, rows)
    assert both["kolommen"] == both["regulier"]
    assert "Blad 'Was-wordt', cel F1501: '1.234' valt buiten het bereik: Fte moet groter dan 0 en hoogstens " \
           "1,2 zijn." in both["kolommen"][0]


def test_formulas_without_saved_values_on_both_paths(tmp_path, org_db):
    rows = [HEADER] + _clean_rows(6)
    rows[3][5] = "=0.5+0.5"       # openpyxl writes a formula without a saved value
    rows.insert(5, [None, None, None, None, None, "=1", None])    # a row of nothing but such a formula
    both = _load_both(tmp_path, org_db, rows, engine="openpyxl")
    assert both["kolommen"] == both["regulier"]
    formula = "formule zonder opgeslagen waarde. Open het bestand in Excel, laat het herberekenen en sla het opnieuw op."
    assert both["kolommen"][0][:4] == [
        f"Blad 'Was-wordt', cel F4: {formula}", "Blad 'Was-wordt', cel C6: Nieuwe functie ontbreekt (verplicht).",
        "Blad 'Was-wordt', cel D6: Eenheid ontbreekt (verplicht).", f"Blad 'Was-wordt', cel F6: {formula}"]


def test_messy_sheet_errors_are_the_contract_messages(tmp_path, org_db):
    errors = _load_both(tmp_path, org_db, CASES["messy"])["kolommen"][0]
    text = "\n".join(errors)
    assert "Blad 'Was-wordt', cel E9: eenheid 'Onbekend team' bestaat niet in de huidige formatie" in text
    assert "Blad 'Was-wordt', cel F10: 'schaal 19' valt buiten het bereik: Schaal moet tussen 1 en 18 zijn." in text
    assert "Blad 'Was-wordt', cel G10: '0' valt buiten het bereik" in text
    assert "Blad 'Was-wordt', cel H10: 'ontslagen' is geen geldige waarde" in text
    assert "Blad 'Was-wordt', cel A11: Personeelsnummer ontbreekt" in text
    assert "personeelsnummer 000127 heeft samen 1,4 fte (cellen G12, G13)" in text


def test_lookalike_numbers_keep_their_own_type(tmp_path, org_db):
    errors, _, _, _ = _load_both(tmp_path, org_db, CASES["mixed_lookalikes"])["kolommen"]
    assert "Blad 'Was-wordt', cel F8: '1.234' valt buiten het bereik: Fte moet groter dan 0 en hoogstens 1,2 zijn." \
        in errors
    assert "Blad 'Was-wordt', cel F9: '1,234' valt buiten het bereik: Fte moet groter dan 0 en hoogstens 1,2 zijn." \
        in errors
    assert "Blad 'Was-wordt', cel F11: 'True' is geen getal." in errors
    assert "Blad 'Was-wordt', cel G12: '5' is geen geldige waarde; kies uit: functievolgend, uitwisselbaar, " \
           "passend, geschikt, boventallig, vacature." in errors
    assert "Blad 'Was-wordt', cel F13: '1e3' is geen getal." in errors


def test_total_rows_as_the_contract_says(tmp_path, org_db):
    errors, warnings, skipped, rows = _load_both(tmp_path, org_db, CASES["total_rows"])["kolommen"]
    assert skipped == [
        "Blad 'Was-wordt': rij 3 ('Totaal') is een totaalregel en is overgeslagen.",
        "Blad 'Was-wordt': rij 5 ('Subtotaal ICT') is een totaalregel en is overgeslagen.",
        "Blad 'Was-wordt': rij 9 ('TOTAAL:') is een totaalregel en is overgeslagen."]
    # row 6 ("Totaal herzien", every required column filled) is data; rows 7 and 10 start with a
    # number or a date, so they are no total rows: their missing columns are errors
    assert errors == [
        "Blad 'Was-wordt', cel D7: Nieuwe functie ontbreekt (verplicht).",
        "Blad 'Was-wordt', cel E7: Eenheid ontbreekt (verplicht).",
        "Blad 'Was-wordt', cel D10: Nieuwe functie ontbreekt (verplicht).",
        "Blad 'Was-wordt', cel E10: Eenheid ontbreekt (verplicht).",
        "Blad 'Was-wordt', cel G10: personeelsnummer Totaal heeft samen 2 fte (cellen G7, G10); meer dan 1,2 fte "
        "per persoon is niet toegestaan."]
    assert rows == []


def test_total_rows_load_without_their_numbers(tmp_path, org_db):
    rows = [r for i, r in enumerate(CASES["total_rows"], start=1) if i not in (7, 10)]
    both = _load_both(tmp_path, org_db, rows)
    assert both["kolommen"] == both["regulier"]
    stored = both["kolommen"][3]
    assert [(r[0], r[1], r[8]) for r in stored] == [(2, "000001", 0.8889), (4, "000002", 0.5), (6, "000003", 0.5)]


def test_invisible_characters_are_removed_with_a_warning_per_cell(tmp_path, org_db):
    both = _load_both(tmp_path, org_db, CASES["invisible_characters"])
    errors, warnings, _, _ = both["kolommen"]
    assert warnings == [
        "Blad 'Was-wordt', cel B6: onzichtbaar teken verwijderd (U+202E RIGHT-TO-LEFT OVERRIDE).",
        "Blad 'Was-wordt', cel D6: onzichtbaar teken verwijderd (U+202E RIGHT-TO-LEFT OVERRIDE).",
        "Blad 'Was-wordt', cel F6: onzichtbaar teken verwijderd (U+200B ZERO WIDTH SPACE).",
        "Blad 'Was-wordt', cel G6: onzichtbaar teken verwijderd (U+2066 LEFT-TO-RIGHT ISOLATE).",
        "Blad 'Was-wordt', cel B7: onzichtbaar teken verwijderd (U+200B ZERO WIDTH SPACE).",
        "Blad 'Was-wordt', cel G7: onzichtbaar teken verwijderd (U+FEFF ZERO WIDTH NO-BREAK SPACE).",
        "Blad 'Was-wordt', cel A8: onzichtbaar teken verwijderd (U+200E LEFT-TO-RIGHT MARK).",
        "Blad 'Was-wordt', cel D8: onzichtbaar teken verwijderd (U+2060 WORD JOINER).",
        "Blad 'Was-wordt', cel B9: onzichtbaar teken verwijderd (U+00AD SOFT HYPHEN).",
        "Blad 'Was-wordt', cel F9: onzichtbaar teken verwijderd (U+200B ZERO WIDTH SPACE)."]
    assert errors == ["Blad 'Was-wordt', cel D8: Eenheid ontbreekt (verplicht).",      # only a WORD JOINER
                      "Blad 'Was-wordt', cel F9: Fte ontbreekt (verplicht).",           # only a ZERO WIDTH SPACE
                      "Blad 'Was-wordt', cel A8: Personeelsnummer ontbreekt (verplicht, behalve bij een vacature)."]


def test_invisible_characters_stored_without_them(tmp_path, org_db):
    rows = CASES["invisible_characters"][:7]
    both = _load_both(tmp_path, org_db, rows)
    assert both["kolommen"] == both["regulier"]
    stored = {r[1]: r for r in both["kolommen"][3]}
    assert stored["000301"][2:] == ("Jan0,17", None, None, "Adviseur", "ICT", 8, 0.5, "passend", False)
    assert all(BIDI not in str(r) and "\u200b" not in str(r) for r in both["kolommen"][3])


def test_hostile_text_is_stored_as_written_without_its_invisible_characters(tmp_path, org_db):
    both = _load_both(tmp_path, org_db, CASES["hostile_text"])
    assert both["kolommen"] == both["regulier"]
    errors, warnings, _, rows = both["kolommen"]
    assert errors == [] and len(warnings) == 4       # one per hostile cell: B, C, H and I of row 6
    expected = " ".join(HOSTILE.replace("\u202e", "").replace("\u202c", "").replace("\u200b", "").split())
    stored = next(r for r in rows if r[1] == "000501")
    assert stored[2] == stored[3] == stored[4] == stored[5] == expected     # markup is data, kept as written
    assert len(expected) > 32_000


def test_many_cells_of_one_column_are_counted_after_the_first_ten(tmp_path, org_db):
    both = _load_both(tmp_path, org_db, CASES["many_invisible_cells"])
    warnings = both["kolommen"][1]
    assert len(warnings) == 11 and warnings[9].startswith("Blad 'Was-wordt', cel B11: onzichtbaar teken")
    assert warnings[10] == ("Blad 'Was-wordt': in nog 5 cellen van kolom Naam (B12 tot en met B16) zijn onzichtbare "
                            "tekens verwijderd (U+200E LEFT-TO-RIGHT MARK).")


def test_which_sheets_take_the_fast_path(tmp_path):
    wb, clean = _fast(tmp_path, CASES["clean"], "clean.xlsx")
    assert clean is not None and clean.rownums[0] == 2 and len(clean.rownums) == 30
    assert wb._book is None  # python-calamine was never needed
    for case in ("messy", "mixed_types", "mixed_columns", "mixed_lookalikes", "booleans_elsewhere", "total_rows",
                 "invisible_characters", "columns_in_another_order"):
        assert _fast(tmp_path, CASES[case], f"{case}.xlsx")[1] is not None, case
    # a date among text: python-calamine gives a date object that fastexcel's text cannot tell
    assert _fast(tmp_path, CASES["a_date_in_a_text_column"], "date.xlsx")[1] is None


def test_fast_path_figures_in_the_views(tmp_path, org_db, monkeypatch):
    monkeypatch.setenv("STUURBORD_COLUMNAR_MIN_ROWS", "0")
    path = fx.write_xlsx(tmp_path / "ww.xlsx", {"Was-wordt": CASES["mixed_columns"]})
    result = pipeline.load(path, kind="wasword", peildatum=date(2021, 6, 1), user="test", db=org_db)
    assert result.loaded, fx.errors(result)
    with store.reader(org_db) as con:
        got = dict(con.execute("SELECT eenheid, bezetting_fte FROM fte_per_eenheid").fetchall())
    expected = {}
    for row in _clean_rows(40):
        expected[row[3]] = expected.get(row[3], 0) + row[5]
    assert got == pytest.approx(expected)


def test_the_sheet_xml_is_asked_only_where_a_cell_type_changes_the_outcome(tmp_path, monkeypatch):
    """A string fastexcel may have made of a number ("0.5", "12") is looked up in the XML only
    when text and number would differ in value or message ("1.234", an out-of-range "1.5")."""
    asked = []
    real = columnar.cell_types
    monkeypatch.setattr(columnar, "cell_types", lambda xml, column: asked.append(column) or real(xml, column))
    assert _fast(tmp_path, CASES["mixed_columns"], "gemengd.xlsx")[1] is not None
    assert asked == []
    assert _fast(tmp_path, CASES["mixed_lookalikes"], "lookalikes.xlsx")[1] is not None
    assert "F" in asked
