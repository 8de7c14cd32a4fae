"""The columnar fast path (etl/columnar.py) gives exactly what the regular path gives:
same rows in DuckDB, same errors, warnings and skipped rows — on clean and messy sheets."""
from __future__ import annotations

import shutil
from datetime import date

import pytest

import fixtures as fx
from etl import columnar, contract, pipeline, store
from etl.workbook import open_workbook

HEADER = ["Personeelsnummer", "Naam", "Nieuwe functie", "Eenheid", "Schaal", "Fte", "Plaatsingsvorm"]


def _clean_rows(n: int = 30) -> list[list]:
    eenheden = ["Inwonersloket", "Belastingen", "Financiën", "ICT"]
    return [[f"{i:06d}", f"Medewerker {i}", "Adviseur", eenheden[i % 4], 4 + i % 10, [1.0, 0.8889, 0.5][i % 3],
             ["functievolgend", "passend", "uitwisselbaar"][i % 3]] for i in range(1, n + 1)]


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
}


def _load_both(tmp_path, org_db, rows) -> dict:
    path = fx.write_xlsx(tmp_path / "ww.xlsx", {"Was-wordt": rows})
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


@pytest.mark.parametrize("case", CASES)
def test_both_paths_give_identical_results(tmp_path, org_db, case):
    both = _load_both(tmp_path, org_db, CASES[case])
    assert both["kolommen"] == both["regulier"]


def test_messy_sheet_errors_are_the_contract_messages(tmp_path, org_db):
    errors = _load_both(tmp_path, org_db, CASES["messy"])["kolommen"][0]
    text = "\n".join(errors)
    assert "Blad 'Was-wordt', cel E9: eenheid 'Onbekend team' bestaat niet in de huidige formatie" in text
    assert "Blad 'Was-wordt', cel F10: 'schaal 19' valt buiten het bereik: Schaal moet tussen 1 en 18 zijn." in text
    assert "Blad 'Was-wordt', cel G10: '0' valt buiten het bereik" in text
    assert "Blad 'Was-wordt', cel H10: 'ontslagen' is geen geldige waarde" in text
    assert "Blad 'Was-wordt', cel A11: Personeelsnummer ontbreekt" in text
    assert "personeelsnummer 000127 heeft samen 1,4 fte (cellen G12, G13)" in text


def test_clean_large_sheet_takes_the_fast_path_and_mixed_columns_do_not(tmp_path):
    spec = contract.WASWORD.sheets[0]
    clean = fx.write_xlsx(tmp_path / "clean.xlsx", {"Was-wordt": CASES["clean"]})
    wb = open_workbook(clean.read_bytes(), "clean.xlsx")
    sheet = columnar.read_sheet_columnar(wb, spec, "Was-wordt")
    assert sheet is not None and sheet.rownums[0] == 2 and len(sheet.rownums) == 30
    assert wb._book is None  # python-calamine was never needed
    messy = fx.write_xlsx(tmp_path / "messy.xlsx", {"Was-wordt": CASES["messy"]})
    assert columnar.read_sheet_columnar(open_workbook(messy.read_bytes(), "x.xlsx"), spec, "Was-wordt") is not None
    mixed = fx.write_xlsx(tmp_path / "mixed.xlsx", {"Was-wordt": CASES["mixed_types"]})
    assert columnar.read_sheet_columnar(open_workbook(mixed.read_bytes(), "m.xlsx"), spec, "Was-wordt") is None


def test_fast_path_figures_in_the_views(tmp_path, org_db, monkeypatch):
    monkeypatch.setenv("STUURBORD_COLUMNAR_MIN_ROWS", "0")
    path = fx.write_xlsx(tmp_path / "ww.xlsx", {"Was-wordt": CASES["clean"]})
    result = pipeline.load(path, kind="wasword", peildatum=date(2021, 6, 1), user="test", db=org_db)
    assert result.loaded, fx.errors(result)
    with store.reader(org_db) as con:
        got = dict(con.execute("SELECT eenheid, bezetting_fte FROM fte_per_eenheid").fetchall())
    expected = {}
    for row in CASES["clean"][1:]:
        expected[row[3]] = expected.get(row[3], 0) + row[5]
    assert got == pytest.approx(expected)
