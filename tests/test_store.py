"""The versioned store: versions, same-file detection, restore and its audit trail,
kept file bytes, backup with an open WAL, a crash mid-transaction, and concurrent
writers and readers (separate processes, as in production)."""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

import fixtures as fx
from etl import pipeline, store


def _org_variant(formatie_inwonersloket: float) -> dict:
    sheets = fx.organisatie_sheets()
    sheets["Eenheden"][1][2] = formatie_inwonersloket
    return sheets


# --- versions ----------------------------------------------------------------------------------
def test_every_load_is_a_new_version(org_db, load):
    r2 = load(_org_variant(13), "formatie-v2.xlsx", peildatum=date(2021, 7, 1), user="controller")
    r3 = load(_org_variant(14), "formatie-v3.xlsx", peildatum=date(2021, 8, 1), user="controller")
    assert (r2.version, r3.version) == (2, 3)
    assert fx.query(org_db, "SELECT kind, version, peildatum, loaded_by, file_name, rows, is_current FROM versies") == [
        ("organisatie", 1, date(2021, 6, 1), "test", "organisatie.xlsx", 12, False),
        ("organisatie", 2, date(2021, 7, 1), "controller", "formatie-v2.xlsx", 12, False),
        ("organisatie", 3, date(2021, 8, 1), "controller", "formatie-v3.xlsx", 12, True)]
    # earlier versions stay, complete
    assert fx.query(org_db, "SELECT version, count(*), sum(formatie_fte) FROM org_eenheid GROUP BY 1 ORDER BY 1") == [
        (1, 4, 27.0), (2, 4, 28.0), (3, 4, 29.0)]
    assert fx.query(org_db, "SELECT sum(formatie_fte) FROM fte_per_eenheid") == [(29.0,)]


def test_versies_columns_and_hash(db, load, xlsx):
    path = xlsx(fx.organisatie_sheets(), "formatie.xlsx")
    before = datetime.now()
    load(path, peildatum=fx.PEILDATUM, user="j.jansen")
    [row] = fx.query_dicts(db, "SELECT * FROM versies")
    assert list(row)[:9] == ["kind", "version", "peildatum", "loaded_at", "loaded_by", "file_name", "sha256",
                             "rows", "is_current"]
    assert row["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert before - timedelta(seconds=1) <= row["loaded_at"] <= datetime.now()
    assert (row["kind"], row["version"], row["loaded_by"], row["file_name"], row["rows"], row["is_current"]) == (
        "organisatie", 1, "j.jansen", "formatie.xlsx", 12, True)
    assert (row["skipped_rows"], row["aantal_waarschuwingen"]) == (1, 0)


def test_warnings_are_kept_with_the_version(db, load):
    sheets = fx.organisatie_sheets()
    sheets["Eenheden"][0].append("Opmerking")
    load(sheets, peildatum=fx.PEILDATUM)
    assert fx.query(db, "SELECT warnings FROM versie") == [
        (["Blad 'Eenheden', cel D1: kolom 'Opmerking' is onbekend en is genegeerd."],)]


def test_file_bytes_are_kept(org_db, load, xlsx):
    path = xlsx(_org_variant(13), "v2.xlsx")
    load(path, peildatum=fx.PEILDATUM)
    data = path.read_bytes()
    assert fx.query(org_db, "SELECT b.inhoud, b.grootte FROM bestand b JOIN versies v USING (sha256) "
                            "WHERE v.version = 2") == [(data, len(data))]
    assert fx.query(org_db, "SELECT count(*) FROM bestand") == [(2,)]


# --- the same file again ------------------------------------------------------------------------
def test_same_file_is_recognised_not_loaded(db, load, xlsx):
    path = xlsx(fx.organisatie_sheets(), "formatie.xlsx")
    assert load(path, peildatum=fx.PEILDATUM).version == 1
    before = fx.snapshot(db)
    again = load(path, peildatum=date(2021, 9, 1))
    assert again.ok and not again.loaded and again.version == 1
    assert again.summary() == ("'formatie.xlsx' is al geladen als formatie en coaches versie 1; "
                               "er is geen nieuwe versie gemaakt.")
    assert again.as_json() == {"kind": "organisatie", "version": 1, "rows": 0, "skipped_rows": 0, "warnings": [],
                               "loaded": False}
    assert fx.snapshot(db) == before


def test_same_bytes_under_another_name_are_recognised(db, load, xlsx, tmp_path):
    path = xlsx(fx.organisatie_sheets(), "formatie.xlsx")
    load(path, peildatum=fx.PEILDATUM)
    copy = tmp_path / "kopie van formatie.xlsx"
    copy.write_bytes(path.read_bytes())
    assert not load(copy).loaded
    assert fx.query(db, "SELECT count(*) FROM versies") == [(1,)]


def test_same_file_as_an_older_version_points_to_restore(db, load, xlsx):
    first = xlsx(fx.organisatie_sheets(), "v1.xlsx")
    load(first, peildatum=fx.PEILDATUM)
    load(_org_variant(13), "v2.xlsx", peildatum=fx.PEILDATUM)
    again = load(first)
    assert not again.loaded and again.version == 1
    assert again.summary() == ("'v1.xlsx' is al geladen als formatie en coaches versie 1; er is geen nieuwe versie "
                               "gemaakt. Gebruik 'restore organisatie 1' om die terug te zetten.")
    assert fx.query(db, "SELECT version FROM versies WHERE is_current") == [(2,)]


# --- restore --------------------------------------------------------------------------------------
def test_restore_moves_the_pointer_and_is_recorded(org_db, load):
    load(_org_variant(13), "v2.xlsx", peildatum=fx.PEILDATUM, user="controller")
    assert pipeline.restore("organisatie", 1, user="beheerder", db=org_db) == 2
    assert fx.query(org_db, "SELECT version, is_current FROM versies") == [(1, True), (2, False)]
    assert fx.query(org_db, "SELECT sum(formatie_fte) FROM fte_per_eenheid") == [(27.0,)]
    assert fx.query(org_db, "SELECT door, kind, actie, version, vorige_version FROM gebeurtenis ORDER BY tijdstip") == [
        ("test", "organisatie", "load", 1, None), ("controller", "organisatie", "load", 2, 1),
        ("beheerder", "organisatie", "restore", 1, 2)]
    # restoring does not copy: the next load is version 3
    assert load(_org_variant(14), "v3.xlsx", peildatum=fx.PEILDATUM).version == 3


def test_restore_of_unknown_version(org_db):
    before = fx.snapshot(org_db)
    with pytest.raises(LookupError, match="Er is geen versie 9 van soort 'organisatie'."):
        pipeline.restore("organisatie", 9, db=org_db)
    assert fx.snapshot(org_db) == before


def test_restore_of_organisatie_changes_wasword_figures(full_db, load):
    """Views combine the current version of each kind: restoring the formatie changes formatie_fte only."""
    load(_org_variant(20), "v2.xlsx", peildatum=fx.PEILDATUM)
    q = "SELECT formatie_fte, bezetting_fte, vacature_fte FROM fte_per_eenheid WHERE eenheid = 'Inwonersloket'"
    assert fx.query(full_db, q) == [(20.0, 2.2, 17.8)]
    pipeline.restore("organisatie", 1, db=full_db)
    assert fx.query(full_db, q) == [(12.0, 2.2, 9.8)]


def test_refused_load_leaves_no_trace(full_db, load):
    before = fx.snapshot(full_db)
    sheets = fx.organisatie_sheets()
    sheets["Eenheden"][2][2] = "twintig"
    assert not load(sheets).ok
    assert fx.snapshot(full_db) == before


def test_reader_on_missing_database(tmp_path):
    with pytest.raises(store.StoreMissing):
        with store.reader(tmp_path / "nog-niet.duckdb"):
            pass


def test_schema_is_idempotent(full_db):
    before = fx.snapshot(full_db)
    store.initialise(full_db)
    with store.writer(full_db) as con:
        store.ensure_schema(con)
    assert fx.snapshot(full_db) == before


# --- backup -----------------------------------------------------------------------------------------
_LOAD_WITHOUT_CHECKPOINT = textwrap.dedent("""
    import sys
    from etl import pipeline, snapshot, store
    snapshot.try_publish = lambda db: None  # as if killed after the commit, before the publish
    original = store._connect
    def connect(path, read_only, timeout):
        con = original(path, read_only, timeout)
        if not read_only:
            con.execute("PRAGMA disable_checkpoint_on_shutdown")
        return con
    store._connect = connect
    result = pipeline.load(sys.argv[1], db=sys.argv[2], peildatum=None, user="wal")
    sys.exit(0 if result.loaded else 1)
""")


def test_backup_with_an_open_wal(full_db, xlsx, tmp_path):
    """A load whose data is still only in the WAL (no checkpoint) is in the backup too."""
    new = xlsx(_org_variant(15), "v2.xlsx")
    subprocess.run([sys.executable, "-c", _LOAD_WITHOUT_CHECKPOINT, str(new), str(full_db)], cwd=fx.ROOT,
                   check=True, timeout=60)
    assert Path(str(full_db) + ".wal").exists()
    dest = tmp_path / "backup" / "kopie.duckdb"
    dest.parent.mkdir()
    proc = fx.run_cli("backup", dest, "--db", full_db)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"Reservekopie gemaakt: {dest}"
    original, copy = fx.snapshot(full_db), fx.snapshot(dest)
    assert copy == original
    assert {"fte_per_eenheid", "span_per_coach", "formatie_opbouw", "kpi_scores", "opgave_voortgang",
            "versies"} <= set(copy)
    assert fx.query(dest, "SELECT sum(formatie_fte) FROM fte_per_eenheid") == [(30.0,)]


def test_backup_refuses_to_overwrite(full_db, tmp_path, cli):
    dest = tmp_path / "bestaat.duckdb"
    dest.write_bytes(b"iets")
    proc = cli("backup", dest, "--db", full_db)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"'{dest}' bestaat al; kies een nieuwe bestandsnaam voor de reservekopie."
    assert dest.read_bytes() == b"iets"


@pytest.mark.parametrize("name", ["stuurbord-prod.duckdb", "kopie 1.duckdb", "2021.duckdb", "select.duckdb",
                                  "stuurbord_reservekopie.duckdb", "o'brien \"x\".duckdb"])
def test_backup_for_any_database_file_name(full_db, tmp_path, cli, name):
    """Issue #12: DuckDB names the database after its file; the name is quoted, and the
    backup's own alias cannot clash with it."""
    source = tmp_path / name
    source.write_bytes(full_db.read_bytes())
    dest = tmp_path / "reserve kopie's" / f"{name}"
    proc = cli("backup", dest, "--db", source)
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    assert proc.stdout.strip() == f"Reservekopie gemaakt: {dest}"
    assert fx.snapshot(dest) == fx.snapshot(source)
    assert sorted(p.name for p in dest.parent.iterdir()) == [name]   # no part file left


def test_backup_into_folders_that_do_not_exist_yet(full_db, tmp_path, cli):
    dest = tmp_path / "backups" / "2021" / "juni.duckdb"
    proc = cli("backup", dest, "--db", full_db)
    assert proc.returncode == 0, proc.stderr
    assert fx.query(dest, "SELECT count(*) FROM versies") == [(4,)]


@pytest.mark.parametrize("where, message", [
    ("map", "is een map; geef de naam van het nieuwe bestand, bijvoorbeeld"),
    ("bestand/kopie.duckdb", "is een bestand, geen map; kies een andere plek voor de reservekopie."),
])
def test_backup_to_a_wrong_place_is_refused_in_dutch(full_db, tmp_path, cli, where, message):
    (tmp_path / "map").mkdir()
    (tmp_path / "bestand").write_bytes(b"x")
    proc = cli("backup", tmp_path / where, "--db", full_db)
    assert proc.returncode == 1 and message in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bestand", "map", "stuurbord.duckdb"]
    assert list((tmp_path / "map").iterdir()) == []


def test_a_failed_backup_leaves_nothing_and_a_retry_works(full_db, tmp_path, cli, monkeypatch):
    dest = tmp_path / "nieuw" / "kopie.duckdb"
    monkeypatch.setattr(store, "_db_name", lambda con: "bestaat_niet")   # COPY fails after ATTACH made the file
    proc = cli("backup", dest, "--db", full_db)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"De reservekopie '{dest}' kon niet worden gemaakt: ")
    assert "Er is niets achtergebleven; probeer het opnieuw." in proc.stderr
    assert not (tmp_path / "nieuw").exists()          # neither the file nor the folder made for it
    monkeypatch.undo()
    assert cli("backup", dest, "--db", full_db).returncode == 0
    assert fx.snapshot(dest) == fx.snapshot(full_db)


def test_backup_of_a_missing_database_creates_nothing(tmp_path, cli):
    proc = cli("backup", tmp_path / "kopie.duckdb", "--db", tmp_path / "geen.duckdb")
    assert proc.returncode == 1 and "Er is nog geen database om te kopiëren" in proc.stderr
    assert list(tmp_path.iterdir()) == []


# --- file permissions -------------------------------------------------------------------------------
def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_store_files_are_not_readable_by_others(tmp_path, xlsx):
    """Issue #12: the database, its WAL, the lock file, backups and the folders made for them
    get no access for others, even under a permissive umask."""
    old = os.umask(0o002)
    try:
        db = tmp_path / "data" / "stuurbord.duckdb"
        workbook = xlsx(fx.organisatie_sheets(), "formatie.xlsx")
        subprocess.run([sys.executable, "-c", _LOAD_WITHOUT_CHECKPOINT, str(workbook), str(db)], cwd=fx.ROOT,
                       check=True, timeout=60)
        wal = Path(str(db) + ".wal")
        assert wal.exists()  # kept by the load without checkpoint
        for path in (db, wal, Path(str(db) + ".lock")):
            assert _mode(path) == 0o640, (path, oct(_mode(path)))
        assert _mode(db.parent) == 0o750
        dest = tmp_path / "reserve" / "kopie.duckdb"
        store.backup(dest, db)
        assert (_mode(dest), _mode(dest.parent)) == (0o640, 0o750)
        assert os.umask(0o002) == 0o002   # the process umask is back as it was
    finally:
        os.umask(old)


def test_an_older_world_readable_database_is_tightened_on_the_next_write(full_db):
    os.chmod(full_db, 0o644)
    with store.writer(full_db):
        pass
    assert _mode(full_db) == 0o640


# --- crash mid-transaction ------------------------------------------------------------------------------
def _lock_is_held(db: Path) -> bool:
    fd = os.open(str(db) + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def _wait_for_lock(db: Path, proc: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not _lock_is_held(db):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the loader never took the writer lock"
        time.sleep(0.02)


def _db_state(pid: int, path: Path) -> tuple[bool, bool]:
    """(process `pid` has `path` open, its main thread sleeps) from Linux /proc. For a load run
    with STUURBORD_TEST_PAUSE_IN_COMMIT, both means: inside the commit's pause, before COMMIT."""
    try:
        is_open = any(os.readlink(fd) == str(path) for fd in Path(f"/proc/{pid}/fd").iterdir())
        return is_open, Path(f"/proc/{pid}/wchan").read_text().strip() == "hrtimer_nanosleep"
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return False, False


def _big_wasword(rows: int = 3000) -> dict:
    eenheden = ["Inwonersloket", "Belastingen", "Financiën", "ICT"]
    data = [[f"{i:06d}", f"Medewerker {i}", None, "Medewerker", eenheden[i % 4], 8, 0.5, None] for i in range(rows)]
    return {"Lijst": [fx.WASWORD["Blad1"][0], *data]}


def test_kill_9_inside_the_transaction_leaves_the_previous_state(full_db, xlsx):
    big = xlsx(_big_wasword(), "big.xlsx")
    before = fx.snapshot(full_db)
    proc = fx.popen_cli("load", big, "--db", full_db, "--peildatum", "2021-07-01",
                        env={"STUURBORD_TEST_PAUSE_IN_COMMIT": "5"})
    _wait_for_lock(full_db, proc)
    deadline, opened = time.monotonic() + 20, None   # then: rows inserted, sleeping before COMMIT
    while True:
        is_open, sleeping = _db_state(proc.pid, full_db)
        opened = opened or (time.monotonic() if is_open else None)
        if is_open and (sleeping or time.monotonic() - opened > 1.0):  # (1 s: where wchan is hidden)
            break
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.01)
    time.sleep(0.2)
    assert proc.poll() is None
    os.kill(proc.pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert out == ""                      # it never got to report a load
    assert not _lock_is_held(full_db)     # the flock died with the process
    assert fx.snapshot(full_db) == before
    # and the next load succeeds, as version 2, with all its rows
    result = pipeline.load(big, db=full_db, peildatum=date(2021, 7, 1))
    assert result.loaded and result.version == 2
    assert fx.query(full_db, "SELECT count(*), sum(fte) FROM ww_plaatsing WHERE version = 2") == [(3000, 1500.0)]
    assert fx.query(full_db, "SELECT sum(personen) FROM fte_per_eenheid") == [(3000,)]


# --- concurrency -------------------------------------------------------------------------------------------
def test_two_loads_at_once_are_serialised(org_db, xlsx):
    a, b = xlsx(_org_variant(13), "a.xlsx"), xlsx(_org_variant(14), "b.xlsx")
    first = fx.popen_cli("load", a, "--db", org_db, "--json", env={"STUURBORD_TEST_PAUSE_IN_COMMIT": "2"})
    _wait_for_lock(org_db, first)
    second = fx.popen_cli("load", b, "--db", org_db, "--json")
    out1, err1 = first.communicate(timeout=60)
    out2, err2 = second.communicate(timeout=60)
    assert (first.returncode, second.returncode) == (0, 0), (err1, err2)
    assert (json.loads(out1)["version"], json.loads(out2)["version"]) == (2, 3)
    assert fx.query(org_db, "SELECT version, file_name, is_current FROM versies") == [
        (1, "organisatie.xlsx", False), (2, "a.xlsx", False), (3, "b.xlsx", True)]
    assert fx.query(org_db, "SELECT version, count(*), sum(formatie_fte) FROM org_eenheid GROUP BY 1 ORDER BY 1") == [
        (1, 4, 27.0), (2, 4, 28.0), (3, 4, 29.0)]
    assert fx.query(org_db, "SELECT actie, version, vorige_version FROM gebeurtenis ORDER BY tijdstip") == [
        ("load", 1, None), ("load", 2, 1), ("load", 3, 2)]


def test_second_load_is_refused_when_the_lock_wait_times_out(org_db, xlsx):
    a, b = xlsx(_org_variant(13), "a.xlsx"), xlsx(_org_variant(14), "b.xlsx")
    first = fx.popen_cli("load", a, "--db", org_db, env={"STUURBORD_TEST_PAUSE_IN_COMMIT": "3"})
    _wait_for_lock(org_db, first)
    second = fx.run_cli("load", b, "--db", org_db, "--json", env={"STUURBORD_LOCK_TIMEOUT": "1"})
    assert second.returncode == 1
    assert "al een ander bestand geladen" in second.stderr
    assert json.loads(second.stdout) == {"errors": [
        "Er wordt op dit moment al een ander bestand geladen of hersteld. Wacht tot dat klaar is en probeer het "
        "dan opnieuw."]}
    first.communicate(timeout=60)
    assert first.returncode == 0
    assert fx.query(org_db, "SELECT version, file_name, is_current FROM versies") == [
        (1, "organisatie.xlsx", False), (2, "a.xlsx", True)]
    assert fx.query(org_db, "SELECT version, count(*) FROM org_eenheid GROUP BY 1 ORDER BY 1") == [(1, 4), (2, 4)]


_READER_LOOP = textwrap.dedent("""
    import json, sys, time
    from etl import store
    db = sys.argv[1]
    seen, reads, after_new, deadline = set(), 0, 0, time.monotonic() + 30
    while after_new < 10 and time.monotonic() < deadline:
        with store.reader(db) as con:
            bezetting = con.execute("SELECT round(sum(bezetting_fte), 4) FROM fte_per_eenheid").fetchone()[0]
            versions = con.execute("SELECT count(*) FROM versies WHERE kind = 'wasword'").fetchone()[0]
            rows = con.execute("SELECT count(*) FROM ww_plaatsing WHERE version = "
                               "(SELECT version FROM huidige_versie WHERE kind = 'wasword')").fetchone()[0]
        seen.add((versions, bezetting, rows))
        reads += 1
        after_new += versions > 1
        if reads == 1:
            print("gestart", flush=True)
        time.sleep(0.005)
    print(json.dumps({"reads": reads, "seen": sorted(seen)}))
""")


def test_load_while_another_process_keeps_reading(full_db, xlsx):
    """A reader process opens read-only connections in a tight loop (until it has seen the new
    version ten times); the command line loads meanwhile. Only whole versions are ever seen."""
    big = xlsx(_big_wasword(), "big.xlsx")
    reader = subprocess.Popen([sys.executable, "-c", _READER_LOOP, str(full_db)], cwd=fx.ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "gestart", reader.stderr.read()
    loaded = fx.run_cli("load", big, "--db", full_db, "--peildatum", "2021-07-01", "--json")
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["version"] == 2
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    report = json.loads(out)
    assert report["reads"] > 10
    assert [tuple(s) for s in report["seen"]] == [(1, 5.7, 10), (2, 1500.0, 3000)]
