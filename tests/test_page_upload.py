"""The upload page (Gegevens laden) and the versions page's compare/restore/download,
through Streamlit's AppTest: the same pipeline as `python -m etl load`, nothing written
before Vastleggen, a refused file leaves the store as it was."""
from __future__ import annotations

import io
from datetime import date
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import streamlit

import fixtures as fx
import identities
from etl import pipeline, store
from stuurbord.ui import fmt, safe
from stuurbord.domain import diff
from stuurbord.data import queries
from stuurbord.data import upload as upload_worker
from test_pages import _demo_template, demo_db, metric, run_page  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"
PERSON = identities.PEOPLE["beheer"]["name"]  # run_page logs in as beheer: every write records that name


@pytest.fixture
def ww06_db(db) -> Path:
    """The demo organisatie and only the newer demo wasword (2021-06) as version 1."""
    from datetime import date
    for name, peil in (("organisatie.xlsx", date(2021, 6, 1)), ("wasword-2021-06.xlsx", date(2021, 6, 1))):
        assert pipeline.load(DEMO / name, peildatum=peil, user="test", db=db).loaded
    return db


def upload(at, name: str, content: bytes, peildatum=date(2022, 12, 31)):
    """Upload a file; when it names no peildatum (the page then asks for one), choose `peildatum`."""
    at.file_uploader[0].upload(name, content).run()
    assert not at.exception, [e.value for e in at.exception]
    if at.date_input and at.date_input[0].value is None and peildatum is not None:
        at.date_input[0].set_value(peildatum).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def table(at, title_col: str) -> pd.DataFrame:
    frames = [df.value for df in at.dataframe if title_col in df.value.columns]
    assert frames, [list(df.value.columns) for df in at.dataframe]
    return frames[0]


def texts(elements) -> str:
    """The text a reader sees (data text in the Markdown is escaped by safe.md)."""
    return safe.plain("\n".join(e.value for e in elements))


# --- preview against the SQL comparison ----------------------------------------------------------
def test_preview_diff_equals_the_sql_comparison(demo_db):
    with store.reader(demo_db) as con:
        d = diff.diff("wasword", diff.stored_frames(con, "wasword", 1), diff.stored_frames(con, "wasword", 2))
        per, changes = queries.compare_eenheden(con, 1, 2), queries.compare_plaatsingen(con, 1, 2)
    pd.testing.assert_frame_equal(d["per_eenheid"][list(per.columns)].reset_index(drop=True),
                                  per.reset_index(drop=True), check_dtype=False)
    assert sorted(zip(d["wijzigingen"]["personeelsnummer"], d["wijzigingen"]["status"],
                      d["wijzigingen"]["bleef_in_dienst"])) == \
        sorted(zip(changes["personeelsnummer"], changes["status"], changes["bleef_in_dienst"]))


def test_organisatie_diff_added_removed_changed():
    old = pd.DataFrame({"cluster": ["A", "A", "B"], "eenheid": ["Loket", "ICT", "Post"], "formatie_fte": [10, 2, 3.0]})
    new = pd.DataFrame({"cluster": ["A", "A", "C"], "eenheid": ["loket", "ICT", "Archief"], "formatie_fte": [11, 2, 1.0]})
    d = diff.organisatie_diff(old, new).set_index("eenheid")
    assert d.loc["loket", "status"] == "gewijzigd" and d.loc["loket", "verschil"] == 1
    assert d.loc["ICT", "status"] == "ongewijzigd"
    assert d.loc["Archief", "status"] == "toegevoegd" and d.loc["Post", "status"] == "vervallen"
    s = diff.organisatie_summary(d.reset_index())
    assert (s["toegevoegd"], s["vervallen"], s["gewijzigd"], s["formatie_oud"], s["formatie_nieuw"]) == (1, 1, 1, 15, 14)


# --- upload: good files -----------------------------------------------------------------------------
def test_first_load_into_an_empty_store(db):
    at = run_page("laden.py")
    upload(at, "organisatie.xlsx", (DEMO / "organisatie.xlsx").read_bytes())
    assert "Formatie en coaches" in texts(at.caption)            # recognised automatically
    assert metric(at, "Eenheden toegevoegd") == "11"
    assert metric(at, "Formatie") == "189,95 fte"
    assert fx.query(db, "SELECT count(*) FROM versie")[0][0] == 0  # nothing written before Vastleggen
    at.button(key="vastleggen").click().run()
    assert not at.exception
    assert "geladen als formatie en coaches versie 1" in texts(at.success)
    assert fx.query(db, "SELECT kind, version, loaded_by FROM versie") == [("organisatie", 1, PERSON)]
    assert "Formatie en coaches: versie 1" in texts(at.sidebar.markdown)


def test_wasword_preview_figures_then_commit_then_same_file(ww06_db):
    at = run_page("laden.py")
    content = (DEMO / "wasword-2021-05.xlsx").read_bytes()
    upload(at, "wasword-2021-05.xlsx", content)
    # the demo's two versions: 189,50 fte (2021-06, current) -> 188,00 fte (2021-05)
    assert metric(at, "Bezetting") == "188,00 fte"
    assert metric(at, "Verschil") == "-1,50 fte"
    shown = table(at, "Fte (nieuw)").set_index("Eenheid")
    at.button(key="vastleggen").click().run()
    assert "versie 2" in texts(at.success)
    assert fx.query(ww06_db, "SELECT version FROM huidige_versie WHERE kind = 'wasword'") == [(2,)]
    assert fx.query(ww06_db, "SELECT actie, version, vorige_version, door FROM gebeurtenis "
                             "WHERE kind = 'wasword' ORDER BY tijdstip") == [("load", 1, None, "test"),
                                                                             ("load", 2, 1, PERSON)]
    # the preview's figures per eenheid are what the store now says
    with store.reader(ww06_db) as con:
        per = queries.compare_eenheden(con, 1, 2)
    for r in per.itertuples():
        assert shown.loc[r.eenheid, "Fte (versie 1)"] == fmt.fte(r.fte_oud)
        assert shown.loc[r.eenheid, "Fte (nieuw)"] == fmt.fte(r.fte_nieuw)
        assert shown.loc[r.eenheid, "Personen (nieuw)"] == fmt.getal(r.personen_nieuw)
    # every page shows the new data at once
    assert "Was/wordt-lijst: versie 2" in texts(at.sidebar.markdown)
    # the same file again: recognised, not loaded twice
    upload(at, "kopie.xlsx", content)
    assert "al geladen als Was/wordt-lijst versie 2" in texts(at.info)
    assert not [b for b in at.button if b.key == "vastleggen"]
    assert fx.query(ww06_db, "SELECT count(*) FROM versie WHERE kind = 'wasword'") == [(2,)]


def test_annuleren_writes_nothing(ww06_db):
    before = fx.snapshot(ww06_db)
    at = run_page("laden.py")
    upload(at, "wasword-2021-05.xlsx", (DEMO / "wasword-2021-05.xlsx").read_bytes())
    at.button(key="annuleren").click().run()
    assert "Geannuleerd" in texts(at.success)
    assert fx.snapshot(ww06_db) == before


def test_kind_override_and_edited_peildatum(ww06_db):
    from datetime import date
    at = run_page("laden.py")
    at.selectbox(key="soort_0").set_value("wasword").run()
    upload(at, "ww.xlsx", (DEMO / "wasword-2021-05.xlsx").read_bytes())
    assert "automatisch" not in texts(at.caption)
    at.date_input[0].set_value(date(2021, 5, 15)).run()
    at.button(key="vastleggen").click().run()
    assert fx.query(ww06_db, "SELECT peildatum FROM versie WHERE kind = 'wasword' AND version = 2") == \
        [(date(2021, 5, 15),)]


def test_messy_file_reports_unknown_columns_sheets_and_skipped_rows(org_db, tmp_path):
    sheets = fx.wasword_sheets()
    sheets["Blad1"][0].append("Opmerking")                           # unknown column
    sheets["Blad1"].append([None] * 8 + ["los commentaar"])         # row with only an unknown cell
    sheets["Blad1"].append(["Totaal", None, None, None, None, None, 7.7, None])   # total row: skipped
    sheets["Notities"] = [["Dit blad hoort er niet bij"]]          # unknown sheet
    content = fx.write_xlsx(tmp_path / "rommelig.xlsx", sheets).read_bytes()
    at = run_page("laden.py")
    upload(at, "rommelig.xlsx", content)
    unknown = table(at, "Melding")
    assert not at.error
    joined = texts(at.subheader)
    assert "Onbekende kolommen en bladen" in joined
    frames = [df.value for df in at.dataframe if list(df.value.columns) == ["Blad", "Cel", "Melding"]]
    messages = pd.concat(frames)
    assert ((messages["Blad"] == "Notities") & messages["Melding"].str.contains("onbekend blad")).any()
    assert messages["Melding"].str.contains("kolom 'Opmerking' is onbekend").any()
    assert any("Overgeslagen rijen" in e.label for e in at.expander)
    assert len(unknown) >= 1
    at.button(key="vastleggen").click().run()
    assert "versie 1" in texts(at.success)
    assert fx.query(org_db, "SELECT skipped_rows FROM versie WHERE kind = 'wasword'") == [(1,)]


# --- templates -----------------------------------------------------------------------------------
def test_templates_offered_per_kind_and_an_empty_one_is_refused(db, monkeypatch):
    from streamlit.delta_generator import DeltaGenerator

    from etl import templates
    given = {}
    original = DeltaGenerator.download_button

    def spy(self, label, data, *args, **kwargs):
        given[kwargs["key"]] = (label, data, kwargs.get("file_name"), kwargs.get("on_click"))
        return original(self, label, data, *args, **kwargs)
    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    at = run_page("laden.py")
    assert [e.label for e in at.expander][0] == "Sjablonen: lege Excel-bestanden met de juiste kolommen"
    assert sorted(given) == ["sjabloon_kpi", "sjabloon_opgaven", "sjabloon_organisatie", "sjabloon_wasword"]
    label, data, name, on_click = given["sjabloon_wasword"]
    assert (label, name, on_click) == ("Was/wordt-lijst", "sjabloon-wasword.xlsx", "ignore")
    assert data() == templates.template_bytes("wasword")       # built only when clicked
    assert given["sjabloon_organisatie"][2] == "sjabloon-organisatie.xlsx"
    # the empty template back through the page: refused naming its empty sheets, nothing written
    before = fx.snapshot(db)
    upload(at, "sjabloon-kpi.xlsx", given["sjabloon_kpi"][1]())
    assert "geweigerd: 2 fouten" in texts(at.error)
    assert list(table(at, "Melding")["Melding"]) == ["er staan geen gegevens onder de kopregel (rij 3)."] * 2
    assert fx.snapshot(db) == before


# --- upload: refused files -------------------------------------------------------------------------
def test_bad_file_shows_every_error_with_sheet_and_cell_and_changes_nothing(org_db, tmp_path):
    sheets = fx.wasword_sheets()
    sheets["Blad1"][1][6] = "veel"                     # fte not a number: G2
    sheets["Blad1"][4][4] = "Onbestaande eenheid"      # unknown eenheid: E5
    content = fx.write_xlsx(tmp_path / "fout.xlsx", sheets).read_bytes()
    before = fx.snapshot(org_db)
    at = run_page("laden.py")
    upload(at, "fout.xlsx", content)
    assert "geweigerd" in texts(at.error) and "Er is niets gewijzigd" in texts(at.error)
    errors = table(at, "Melding")
    assert list(errors.columns) == ["Blad", "Cel", "Melding"]
    cells = set(zip(errors["Blad"], errors["Cel"]))
    assert ("Blad1", "G2") in cells and ("Blad1", "E5") in cells
    with store.reader(org_db) as con:   # the same messages as the command line gives
        prep = pipeline.prepare(content, "fout.xlsx", con=con)
    assert list(errors["Melding"]) == [e.message for e in prep.errors]
    assert not [b for b in at.button if b.key == "vastleggen"]
    assert fx.snapshot(org_db) == before


@pytest.mark.parametrize("name,content", [
    ("willekeurig.xlsx", bytes(range(256)) * 40),
    ("leeg.xlsx", b""),
    ("geen-werkboek.xlsx", (lambda b: (zipfile.ZipFile(b, "w").writestr("a.txt", "hoi"), b.getvalue())[1])(io.BytesIO())),
])
def test_hostile_files_are_refused_without_traceback(org_db, name, content):
    before = fx.snapshot(org_db)
    at = run_page("laden.py")
    upload(at, name, content)
    assert "geweigerd" in texts(at.error)
    assert not [e for e in at.error if "Er ging iets mis" in e.value]
    errors = table(at, "Melding")
    assert len(errors) >= 1 and errors["Melding"].str.len().min() > 10
    assert fx.snapshot(org_db) == before


def test_zip_bomb_is_refused(org_db, monkeypatch):
    monkeypatch.setenv("STUURBORD_MAX_UNPACKED_BYTES", "100000")
    buf = io.BytesIO()
    good = (DEMO / "organisatie.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/media/bom.bin", b"\0" * 5_000_000)
    before = fx.snapshot(org_db)
    at = run_page("laden.py")
    upload(at, "bom.xlsx", buf.getvalue())
    assert "geweigerd" in texts(at.error)
    assert fx.snapshot(org_db) == before


def test_a_load_in_progress_is_told_clearly(ww06_db, monkeypatch):
    monkeypatch.setenv("STUURBORD_LOCK_TIMEOUT", "0.2")
    at = run_page("laden.py")
    upload(at, "wasword-2021-05.xlsx", (DEMO / "wasword-2021-05.xlsx").read_bytes())
    before = fx.snapshot(ww06_db)
    with store.write_lock(ww06_db):     # another session (or the command line) is loading
        at.button(key="vastleggen").click().run()
    assert not at.exception
    assert "Er wordt al een ander bestand geladen" in texts(at.error)
    assert fx.snapshot(ww06_db) == before
    at.button(key="vastleggen").click().run()       # the lock is free again
    assert "versie 2" in texts(at.success)


# --- robustness: a worker process for large files, two sessions at once -----------------------------
def test_a_large_file_is_read_in_the_worker_process(ww06_db, monkeypatch):
    import os

    def not_here(*args, **kwargs):
        raise AssertionError("read in the app process")
    monkeypatch.setattr(upload_worker, "ISOLATE_MIN_BYTES", 0)      # every file counts as large
    monkeypatch.setattr(pipeline, "read_file", not_here)      # the worker process has the real one
    at = run_page("laden.py")
    upload(at, "wasword-2021-05.xlsx", (DEMO / "wasword-2021-05.xlsx").read_bytes())
    assert metric(at, "Bezetting") == "188,00 fte" and metric(at, "Verschil") == "-1,50 fte"
    assert upload_worker._submit(os.getpid).result() != os.getpid()
    # the limits come from this process's environment, whatever the worker inherited
    monkeypatch.setenv("STUURBORD_MAX_FILE_BYTES", "1000")
    upload(at, "wasword-2021-06-kopie.xlsx", (DEMO / "wasword-2021-05.xlsx").read_bytes() + b"\0")
    assert "geweigerd" in texts(at.error)
    assert list(table(at, "Melding")["Melding"]) == [
        "Het bestand is 17,2 kB; de grens is 1000 bytes. Verwijder overbodige bladen of kolommen, of vraag de "
        "beheerder de grens te verhogen."]


def test_the_worker_ends_when_the_app_process_is_killed():
    import os
    import signal
    import subprocess
    import sys
    import time
    app = subprocess.Popen([sys.executable, "-c", "import os, sys, time; sys.path.insert(0, '.')\n"
                            "from stuurbord.data import upload\n"
                            "print(upload._submit(os.getpid).result(), flush=True); time.sleep(60)"],
                           cwd=ROOT, stdout=subprocess.PIPE, text=True)
    worker = int(app.stdout.readline())
    assert worker != app.pid
    os.kill(worker, 0)                                        # alive
    app.send_signal(signal.SIGKILL)
    app.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            if "\nState:\tZ" in Path(f"/proc/{worker}/status").read_text():
                break                                          # ended, not yet reaped
        except FileNotFoundError:
            break
        time.sleep(0.1)
    else:
        os.kill(worker, signal.SIGKILL)
        pytest.fail("the worker outlived the app process")


def test_an_unusable_worker_falls_back_to_reading_here(ww06_db, monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    def broken(*args):
        raise BrokenProcessPool("worker died")
    monkeypatch.setattr(upload_worker, "ISOLATE_MIN_BYTES", 0)
    monkeypatch.setattr(upload_worker, "_submit", broken)
    at = run_page("laden.py")
    upload(at, "wasword-2021-05.xlsx", (DEMO / "wasword-2021-05.xlsx").read_bytes())
    assert metric(at, "Bezetting") == "188,00 fte"


def _other_wasword(tmp_path) -> bytes:
    """The demo's 2021-06 list with one placement's fte lowered by 0,5 (1 -> 0,5 or similar)."""
    import openpyxl
    wb = openpyxl.load_workbook(DEMO / "wasword-2021-06.xlsx")
    ws = wb.active
    head = next(r for r in range(1, 20) if ws.cell(r, 8).value == "Fte")
    row = next(r for r in range(head + 1, ws.max_row + 1) if (ws.cell(r, 8).value or 0) >= 1)
    ws.cell(row, 8).value = ws.cell(row, 8).value - 0.5
    wb.save(tmp_path / "ander.xlsx")
    return (tmp_path / "ander.xlsx").read_bytes()


def _versions_are_whole(db) -> list[tuple]:
    """(version, file, rows) of every wasword version, after checking that each has exactly its
    rows and that no rows belong to a version that does not exist."""
    versions = fx.query(db, "SELECT version, file_name, rows FROM versie WHERE kind = 'wasword' ORDER BY version")
    stored = dict(fx.query(db, "SELECT version, count(*) FROM ww_plaatsing GROUP BY version"))
    assert stored == {v: rows for v, _, rows in versions}
    return versions


def test_two_sessions_commit_one_after_the_other(ww06_db, tmp_path):
    a, b = run_page("laden.py"), run_page("laden.py")
    upload(a, "wasword-2021-05.xlsx", (DEMO / "wasword-2021-05.xlsx").read_bytes())
    upload(b, "ander.xlsx", _other_wasword(tmp_path))
    assert metric(a, "Verschil") == "-1,50 fte" and metric(b, "Verschil") == "-0,50 fte"  # both against versie 1
    a.button(key="vastleggen").click().run()
    assert "geladen als was/wordt-lijst versie 2" in texts(a.success)
    # B saw the difference with versie 1; its click shows the difference with versie 2 first
    b.button(key="vastleggen").click().run()
    assert not b.exception
    assert "Intussen is er een andere versie van Was/wordt-lijst geladen (nu versie 2)" in texts(b.warning)
    assert "Vergeleken met de huidige versie 2" in texts(b.markdown)
    assert metric(b, "Verschil") == "+1,00 fte"               # 188,00 (versie 2) -> 189,00
    assert _versions_are_whole(ww06_db)[-1][0] == 2
    b.button(key="vastleggen").click().run()
    assert "geladen als was/wordt-lijst versie 3" in texts(b.success)
    assert _versions_are_whole(ww06_db) == [(1, "wasword-2021-06.xlsx", 231), (2, "wasword-2021-05.xlsx", 232),
                                            (3, "ander.xlsx", 231)]
    assert fx.query(ww06_db, "SELECT version, vorige_version, door FROM gebeurtenis WHERE kind = 'wasword' "
                             "ORDER BY version") == [(1, None, "test"), (2, 1, PERSON), (3, 2, PERSON)]
    assert fx.query(ww06_db, "SELECT round(sum(bezetting_fte), 2) FROM fte_per_eenheid") == [(189.0,)]


def test_a_commit_waits_for_a_load_in_progress_then_both_are_whole(ww06_db, tmp_path):
    import threading
    import time
    a, b = run_page("laden.py"), run_page("laden.py")
    upload(a, "wasword-2021-05.xlsx", (DEMO / "wasword-2021-05.xlsx").read_bytes())
    upload(b, "ander.xlsx", _other_wasword(tmp_path))
    held, release = threading.Event(), threading.Event()

    def other_writer():                 # another session or the command line, mid-load
        with store.write_lock(ww06_db):
            held.set()
            release.wait(10)
    t = threading.Thread(target=other_writer)
    t.start()
    held.wait(5)
    threading.Timer(1.0, release.set).start()
    start = time.monotonic()
    a.button(key="vastleggen").click().run()           # waits for the lock (STUURBORD_LOCK_TIMEOUT 30 s)
    waited = time.monotonic() - start
    t.join()
    assert waited >= 0.9
    assert "versie 2" in texts(a.success) and "Er werd tegelijk een ander bestand geladen" in texts(a.success)
    b.button(key="vastleggen").click().run()
    b.button(key="vastleggen").click().run()
    assert "versie 3" in texts(b.success)
    assert [v for v, _, _ in _versions_are_whole(ww06_db)] == [1, 2, 3]
    assert fx.query(ww06_db, "SELECT version FROM huidige_versie WHERE kind = 'wasword'") == [(3,)]


# --- versions page: compare, restore, download ------------------------------------------------------
def test_versions_page_compares_two_versions(demo_db):
    at = run_page("versies.py")
    assert not at.metric, "the comparison is lazy: nothing computed while its expander is closed"
    at.session_state["vergelijk_wasword"] = True      # the user opens the expander
    at.run()
    assert metric(at, "Verschil") == "+1,50 fte"     # wasword versie 1 -> versie 2


def test_restore_after_confirmation_moves_the_pointer_and_records_an_event(demo_db):
    at = run_page("versies.py")
    at.selectbox(key="versie_wasword").set_value(1).run()
    at.button(key="restore_wasword").click().run()
    assert "versie 1 wordt weer de huidige versie" in texts(at.markdown)
    assert fx.query(demo_db, "SELECT version FROM huidige_versie WHERE kind = 'wasword'") == [(2,)]
    at.button(key="restore_nee").click().run()        # cancelled: nothing changed
    assert fx.query(demo_db, "SELECT version FROM huidige_versie WHERE kind = 'wasword'") == [(2,)]
    at.button(key="restore_wasword").click().run()
    at.button(key="restore_ja").click().run()
    assert not at.exception
    assert "versie 1 is weer de huidige versie" in texts(at.success)
    assert fx.query(demo_db, "SELECT version FROM huidige_versie WHERE kind = 'wasword'") == [(1,)]
    assert fx.query(demo_db, "SELECT actie, door, version, vorige_version FROM gebeurtenis WHERE kind = 'wasword' "
                             "ORDER BY tijdstip DESC LIMIT 1") == [("restore", PERSON, 1, 2)]
    assert "Was/wordt-lijst: versie 1" in texts(at.sidebar.markdown)


def test_download_gives_the_original_bytes(demo_db, monkeypatch):
    given = {}
    original = streamlit.download_button

    def spy(label, data, *args, **kwargs):
        given[kwargs.get("key")] = (data, kwargs.get("file_name"))
        return original(label, data, *args, **kwargs)
    monkeypatch.setattr(streamlit, "download_button", spy)
    at = run_page("versies.py")
    at.selectbox(key="versie_wasword").set_value(1).run()
    data, name = given["download_wasword"]
    assert callable(data), "read only when clicked, not on every run"
    data = data()
    assert name == "wasword-2021-05.xlsx"
    assert data == (DEMO / "wasword-2021-05.xlsx").read_bytes()


@pytest.mark.parametrize("name,expected", [("kpi.xlsx", {"Scores gewijzigd": "2", "Normen toegevoegd": "0"}),
                                           ("opgaven.xlsx", {"Fase gewijzigd": "1", "Opgaven toegevoegd": "0"})])
def test_kpi_and_opgaven_preview(demo_db, tmp_path, name, expected):
    import openpyxl
    wb = openpyxl.load_workbook(DEMO / name)
    if name == "kpi.xlsx":        # two scores one higher
        ws = next(w for w in wb.worksheets if w.title.lower() == "scores")
        col = next(c for c in range(1, ws.max_column + 1) if str(ws.cell(1, c).value).lower() == "waarde")
        for r in (2, 3):
            ws.cell(r, col).value = float(ws.cell(r, col).value) + 1
    else:                          # one opgave to another fase
        ws = next(w for w in wb.worksheets if w.title.lower() == "opgaven")
        head = next(r for r in range(1, 20) if any(str(ws.cell(r, c).value).lower() == "fase"
                                                     for c in range(1, ws.max_column + 1)))
        col = next(c for c in range(1, ws.max_column + 1) if str(ws.cell(head, c).value).lower() == "fase")
        ws.cell(head + 1, col).value = "afgesloten" if ws.cell(head + 1, col).value != "afgesloten" else "uitvoering"
    wb.save(tmp_path / name)
    at = run_page("laden.py")
    upload(at, name, (tmp_path / name).read_bytes())
    for label, value in expected.items():
        assert metric(at, label) == value


def test_a_file_without_peildatum_waits_for_the_user_to_choose_one(db, tmp_path):
    """No silent "today": the date field starts empty and nothing can be stored until it is filled."""
    from datetime import date
    assert pipeline.load(fx.write_organisatie(tmp_path / "org.xlsx"), peildatum=fx.PEILDATUM, user="t", db=db).loaded
    path = fx.write_wasword(tmp_path / "zonder-peildatum.xlsx")  # names no peildatum anywhere
    at = run_page("laden.py")
    upload(at, path.name, path.read_bytes(), peildatum=None)
    assert at.date_input[0].value is None
    assert "noemt geen peildatum" in texts(at.warning)
    assert not [b for b in at.button if b.key == "vastleggen"]
    at.date_input[0].set_value(date(2021, 7, 1)).run()
    assert not at.warning or "noemt geen peildatum" not in texts(at.warning)
    assert "0 waarschuwingen. Peildatum 1 juli 2021" in texts(at.markdown)
    at.button(key="vastleggen").click().run()
    assert fx.query(db, "SELECT peildatum FROM versie WHERE kind = 'wasword'") == [(date(2021, 7, 1),)]
