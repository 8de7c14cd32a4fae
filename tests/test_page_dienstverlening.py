"""The Dienstverleningsnormen page with Streamlit's AppTest on the demo data: tile figures
equal the view's figures (and an independent SQL aggregation), filters, the drill table,
notes that survive a new KPI version and a restore, and the empty states."""
from __future__ import annotations

import shutil
from datetime import date

import openpyxl
import pytest

import fixtures as fx
from etl import pipeline
from etl.demo import DEMO_DIR
from stuurbord.ui import fmt, safe
from stuurbord.domain import kpi
from test_pages import _demo_template, demo_db, metric, run_page  # noqa: F401 (fixtures)

PAGE = "dienstverlening.py"


def _norms(db) -> dict[str, dict]:
    return {r["code"]: r for r in fx.query_dicts(db, "SELECT * FROM kpi_norm WHERE version = 1")}


def _tile_texts(at) -> str:
    return safe.plain("\n".join([m.value for m in at.markdown] + [c.value for c in at.caption]))


def test_month_tiles_equal_the_view(demo_db):
    view = fx.query_dicts(demo_db, "SELECT * FROM kpi_scores WHERE periode = '2022-12'")
    assert len(view) == 9  # BC-WOO delivers nothing after aug 2022
    at = run_page(PAGE)
    assert at.selectbox(key="periode_maand").value == "2022-12"  # default: the latest period with data
    for r in view:
        assert metric(at, f"{r['code']} · dec 2022") == kpi.waarde_tekst(r["waarde"], r["meeteenheid"])
    assert metric(at, "OR-MELD · dec 2022") == "5,3 dagen"
    assert metric(at, "DV-TEL30 · dec 2022") == "86,1\u00a0%"
    assert metric(at, "BC-WOO · dec 2022") == "–"
    # gehaald exactly where the view says norm_gehaald
    assert metric(at, "Gehaald") == str(sum(r["norm_gehaald"] for r in view)) == "7"
    assert int(metric(at, "Net niet gehaald")) + int(metric(at, "Niet gehaald")) == \
        sum(not r["norm_gehaald"] for r in view) == 2
    assert metric(at, "Niet gemeten") == "1"
    text = _tile_texts(at)
    assert "In dec 2022 haalden 7 van de 9 gemeten normen de streefwaarde: 1 net niet (binnen de marge) en 1 niet." \
        in text
    assert "Geen score in dec 2022. Laatste score: aug 2022." in text
    assert "Norm ≤ 5,0 dagen · oranje tot en met 5,25 dagen (5\u00a0% van de norm)" in text


def test_quarter_tiles_equal_an_independent_sql_aggregation(demo_db):
    expected = fx.query_dicts(demo_db, """
        SELECT code, meeteenheid, sum(aantal) AS n, count(*) AS maanden,
               CASE WHEN count(aantal) = count(*) AND sum(aantal) > 0 THEN sum(waarde * aantal) / sum(aantal)
                    ELSE avg(waarde) END AS waarde
        FROM kpi_scores WHERE periode BETWEEN '2022-10' AND '2022-12' GROUP BY ALL""")
    at = run_page(PAGE)
    at.button_group(key="korrel").set_value("kwartaal").run()
    assert not at.exception
    assert at.selectbox(key="periode_kwartaal").value == "2022-Q4"
    for r in expected:
        assert metric(at, f"{r['code']} · 2022 K4") == kpi.waarde_tekst(r["waarde"], r["meeteenheid"])
    tel = next(r for r in expected if r["code"] == "DV-TEL30")
    text = _tile_texts(at)
    assert f"Gewogen naar aantal: 3 maanden, n = {fmt.getal(tel['n'])}." in text
    assert "Gemiddelde van 3 maanden (niet elke maand heeft een aantal)." in text  # OR-GROEN has no Aantal
    norms = _norms(demo_db)
    status = [kpi.status(r["waarde"], norms[r["code"]]["streefwaarde"], norms[r["code"]]["richting"],
                         r["meeteenheid"]) for r in expected]
    assert metric(at, "Net niet gehaald") == str(status.count(kpi.MARGE)) == "1"  # PW-BIJST8 93,7 % < 95 %
    assert metric(at, "Niet gehaald") == str(status.count(kpi.NIET_GEHAALD)) == "0"
    assert metric(at, "Gehaald") == str(status.count(kpi.GEHAALD)) == "8"


def test_filter_on_eenheid_shows_only_its_norms(demo_db):
    at = run_page(PAGE)
    at.selectbox(key="eenheid").select("Inwonersloket").run()
    tiles = [safe.plain(m.label) for m in at.metric if "·" in m.label]
    assert sorted(tiles) == ["DV-BALIE15 · dec 2022", "DV-MAIL2 · dec 2022", "DV-TEL30 · dec 2022"]
    at.selectbox(key="bron").select("college").run()
    assert any("Geen normen voor deze combinatie" in i.value for i in at.info)


def test_drill_table_has_every_month_with_value_n_and_status(demo_db):
    view = fx.query_dicts(demo_db, "SELECT * FROM kpi_scores WHERE code = 'DV-TEL30' ORDER BY periode DESC")
    at = run_page(PAGE, "Per norm")
    assert at.selectbox(key="norm").value == "DV-TEL30"
    table = at.dataframe[0].value
    assert len(table) == len(view) == 24
    for (_, row), v in zip(table.iterrows(), view):
        assert row["Waarde"] == kpi.waarde_tekst(v["waarde"], "%")
        assert row["n (aantal)"] == fmt.getal(v["aantal"])
        assert ("Norm gehaald" in row["Status"]) == v["norm_gehaald"]
    dip = table[table["Periode"] == "mrt 2022"].iloc[0]
    assert (dip["Waarde"], dip["Status"]) == ("52,0\u00a0%", "✕ Niet gehaald")
    assert table[table["Periode"] == "okt 2021"].iloc[0]["Status"] == "◆ Net niet gehaald"  # 78,6 %


def _add_note(at, periode: str, tekst: str):
    at.selectbox(key="notitie_periode").select(periode)
    at.text_input(key="notitie_tekst").input(tekst)
    return at.button(key="notitie_opslaan").click().run()


def _note_cell(at, periode_label: str) -> str:
    table = at.dataframe[0].value
    return table[table["Periode"] == periode_label].iloc[0]["Notitie"]


def _new_kpi_version(db, tmp_path) -> None:
    """Load the demo kpi file with one changed score as version 2 (a real new version)."""
    path = tmp_path / "kpi-2023.xlsx"
    shutil.copyfile(DEMO_DIR / "kpi.xlsx", path)
    book = openpyxl.load_workbook(path)
    sheet = book["Scores"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "DV-TEL30" and row[1].value == "2022-03":
            row[2].value = 0.55
    book.save(path)
    result = pipeline.load(path, kind="kpi", peildatum=date(2023, 1, 31), user="test", db=db)
    assert result.loaded, fx.errors(result)


def test_note_shows_after_rerun_and_survives_a_new_kpi_version_and_a_restore(demo_db, tmp_path):
    at = run_page(PAGE, "Per norm", role="lezer")  # the author is the person logged in, never typed
    assert "Auteur: **Lotte Lezer** (van uw inlog)" in [c.value for c in at.caption]
    at = _add_note(at, "2022-03", "  storing   telefooncentrale ")
    assert not at.exception
    assert [safe.plain(s.value) for s in at.success] == ["Notitie opgeslagen bij Telefoon binnen 30 seconden opgenomen, mrt 2022."]
    assert _note_cell(at, "mrt 2022") == "storing telefooncentrale"
    assert _note_cell(at, "feb 2022") == ""
    notes = at.dataframe[1].value
    assert notes.iloc[0][["Periode", "Notitie", "Auteur"]].tolist() == ["mrt 2022", "storing telefooncentrale",
                                                                       "Lotte Lezer"]
    assert fx.query(demo_db, "SELECT code, periode, tekst, auteur FROM kpi_notitie") == [
        ("DV-TEL30", "2022-03", "storing telefooncentrale", "Lotte Lezer")]

    _new_kpi_version(demo_db, tmp_path)
    at.run()
    assert "kpi-2023" in fx.query(demo_db, "SELECT file_name FROM versies WHERE kind = 'kpi' AND is_current")[0][0]
    table = at.dataframe[0].value
    assert table[table["Periode"] == "mrt 2022"].iloc[0]["Waarde"] == "55,0\u00a0%"  # the new version's figure
    assert _note_cell(at, "mrt 2022") == "storing telefooncentrale"

    pipeline.restore("kpi", 1, user="test", db=demo_db)
    at.run()
    assert _note_cell(at, "mrt 2022") == "storing telefooncentrale"
    # on a coarser grain the month note sits on its quarter, with the month named
    at.button_group(key="korrel").set_value("kwartaal").run()
    assert _note_cell(at, "2022 K1") == "mrt 2022: storing telefooncentrale"


def test_note_shows_on_the_scorecard_tile_of_its_period(demo_db):
    at = run_page(PAGE, "Per norm")
    _add_note(at, "2022-12", "nieuw telefoniesysteem")
    at = run_page(PAGE)  # a new session: the note comes from the database
    assert any(c.value == "✎ nieuw telefoniesysteem" for c in at.caption)


def test_empty_note_is_refused_in_dutch(demo_db):
    at = run_page(PAGE, "Per norm")
    at = _add_note(at, "2022-03", "   ")
    assert any("Een lege notitie wordt niet opgeslagen" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.success
    assert fx.query(demo_db, "SELECT count(*) FROM kpi_notitie") == [(0,)]


def test_note_input_is_limited_to_200_characters(demo_db):
    at = run_page(PAGE, "Per norm")
    assert at.text_input(key="notitie_tekst").max_chars == kpi.MAX_NOTITIE == 200


@pytest.mark.parametrize("tab", [None, "Trends", "Per norm"])
def test_every_tab_runs_on_every_grain(demo_db, tab):
    at = run_page(PAGE, tab)
    for grain in kpi.GRAINS:
        at.button_group(key="korrel").set_value(grain).run()
        assert not at.exception, [e.value for e in at.exception]
        assert not at.error, [e.value for e in at.error]


def test_empty_store_explains_what_to_load(tmp_path, monkeypatch):
    monkeypatch.setenv("STUURBORD_DB", str(tmp_path / "nog-niet.duckdb"))
    at = run_page(PAGE)
    info = " ".join(i.value for i in at.info)
    assert "nog geen gegevens" in info and "Dienstverleningsnormen" in info and "python -m etl demo" in info


def test_other_kinds_loaded_but_no_kpi(org_db):
    at = run_page(PAGE)
    info = " ".join(i.value for i in at.info)
    assert "het kpi-bestand (bladen Normen en Scores)" in info
    assert not at.metric


def test_many_norms_come_in_pages_most_urgent_first(db, load):
    """A large municipality: 30 norms. The scorecard shows 24 tiles (the missed norms first)
    and a page chooser; the second page holds the other 6. Trends come 12 per page."""
    assert load(fx.organisatie_sheets()).loaded
    normen = [["Code", "Omschrijving", "Streefwaarde", "Meeteenheid"]]
    scores = [["Code", "Periode", "Waarde"]]
    for i in range(30):
        normen.append([f"N{i:02d}", f"Norm {i:02d}", "80%", "%"])
        scores.append([f"N{i:02d}", "2022-12", "50%" if i >= 27 else "90%"])  # N27..N29 missed
    assert load({"Normen": normen, "Scores": scores}, name="kpi.xlsx").loaded
    at = run_page(PAGE)
    tiles = [m.label for m in at.metric if "· dec 2022" in m.label]
    assert len(tiles) == 24 and tiles[:3] == ["N27 · dec 2022", "N28 · dec 2022", "N29 · dec 2022"]
    chooser = at.selectbox(key="tegels_pagina")
    assert chooser.options == ["1–24 van 30", "25–30 van 30"]
    chooser.select_index(1).run()
    assert len([m for m in at.metric if "· dec 2022" in m.label]) == 6
    at = run_page(PAGE, "Trends")
    assert at.selectbox(key="trends_pagina").options == ["1–12 van 30", "13–24 van 30", "25–30 van 30"]
