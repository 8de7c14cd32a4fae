"""Read-only snapshots (etl/snapshot.py): every write publishes one, the app reads it and so
never waits for a writer, a reader keeps the snapshot it opened, a failed publish never
shows stale data, and several app processes share one snapshot folder."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

import duckdb
import pytest

import fixtures as fx
from etl import snapshot, store
from stuurbord import data
from stuurbord.data import queries


def _versions(path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return dict(con.execute("SELECT kind, version FROM huidige_versie").fetchall())
    finally:
        con.close()


def test_a_load_publishes_a_snapshot_with_the_committed_state(org_db, load):
    assert snapshot.current(org_db) is None  # the template copy has none yet: readers use the main file
    assert load(fx.wasword_sheets()).loaded
    snap = snapshot.current(org_db)
    assert snap is not None and snap.parent == snapshot.folder(org_db)
    assert _versions(snap) == _versions(org_db) == {"organisatie": 1, "wasword": 1}
    pointer = json.loads((snapshot.folder(org_db) / snapshot.POINTER).read_text())
    assert pointer["name"] == snap.name
    assert oct(snap.stat().st_mode & 0o777) == oct(0o640)  # not world-readable (it holds names)


def test_a_refused_or_same_file_load_publishes_nothing_new(org_db, load, xlsx):
    path = xlsx(fx.wasword_sheets(), "ww.xlsx")
    assert load(path).loaded
    first = snapshot.current(org_db)
    assert not load(path).loaded  # same file again
    assert not load({"Was-wordt": [["Nieuwe functie", "Eenheid", "Fte"], ["x", "Onbekend", "twee"]]}).ok
    assert snapshot.current(org_db) == first
    assert sorted(p.name for p in snapshot.folder(org_db).glob("snapshot-*.duckdb")) == [first.name]


def test_a_reader_keeps_its_snapshot_and_the_next_run_sees_the_new_one(org_db, load):
    assert load(fx.wasword_sheets(), name="ww1.xlsx").loaded
    with data.run_scope(org_db):
        before = data.versions()["wasword"]["version"]
        con = data.connection()  # a cursor on the snapshot, held across the next load
        # a second version of the was/wordt-lijst: one person's fte changed
        sheets = fx.wasword_sheets()
        rows = [list(r) for r in sheets["Blad1"]]
        header = rows[0]
        fte = header.index("Fte")
        rows[1][fte] = 0.5
        assert load({"Blad1": rows}, name="ww2.xlsx").loaded
        # the open reader still reads the state it started with, unaffected by the write
        assert con.execute("SELECT version FROM huidige_versie WHERE kind = 'wasword'").fetchone()[0] == before
        assert data.versions()["wasword"]["version"] == before  # one run, one state
    with data.run_scope(org_db):
        assert data.versions()["wasword"]["version"] == before + 1
        assert data.get(queries.versies, "wasword")["version"].tolist() == [before + 1, before]


def test_the_app_reads_while_a_writer_holds_the_database(org_db, load, monkeypatch):
    assert load(fx.wasword_sheets()).loaded
    monkeypatch.setenv("STUURBORD_READ_TIMEOUT", "0")  # a reader of the main file would give up at once
    with store.writer(org_db) as con:  # the file is held read-write, as during a commit
        con.execute("SELECT 1")
        with pytest.raises(store.StoreBusy):
            store.open_reader(org_db).close()
        data.clear_cache()
        with data.run_scope(org_db):
            assert data.get(queries.kerncijfers)["eenheden"] == len(fx.organisatie_sheets()["Eenheden"]) - 1


def test_a_failed_publish_never_shows_stale_data(org_db, load, monkeypatch):
    assert load(fx.wasword_sheets(), name="ww1.xlsx").loaded
    old = snapshot.current(org_db)

    def broken(src, dest):
        dest.write_bytes(b"half")  # a partial copy, then the disk is full
        raise OSError("schijf vol")
    monkeypatch.setattr(snapshot, "_copy", broken)
    sheets = fx.wasword_sheets()
    rows = [list(r) for r in sheets["Blad1"]]
    rows[1][rows[0].index("Fte")] = 0.5
    assert load({"Blad1": rows}, name="ww2.xlsx").loaded  # the commit stands; only the publish failed
    assert old.exists() and _versions(old)["wasword"] == 1    # the previous snapshot is intact...
    assert snapshot.current(org_db) is None                   # ...but no longer current: it is not the main file
    assert not list(snapshot.folder(org_db).glob("*.tmp"))    # no half-written copy left behind
    with data.run_scope(org_db):
        assert data.versions()["wasword"]["version"] == 2     # readers fall back to the main file
    monkeypatch.undo()
    assert subprocess.run([sys.executable, "-m", "etl", "snapshot", "--db", str(org_db)], cwd=fx.ROOT,
                          capture_output=True, text=True).returncode == 0
    assert _versions(snapshot.current(org_db))["wasword"] == 2


def test_old_snapshots_are_pruned(org_db, load):
    for n in range(5):
        sheets = fx.wasword_sheets()
        rows = [list(r) for r in sheets["Blad1"]]
        rows[1][rows[0].index("Fte")] = round(0.5 + n / 10, 4)
        assert load({"Blad1": rows}, name=f"ww{n}.xlsx").loaded
    names = sorted(p.name for p in snapshot.folder(org_db).glob("snapshot-*.duckdb"))
    assert len(names) == snapshot.KEEP and names[-1] == snapshot.current(org_db).name


READER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from stuurbord import data
    seen = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with data.run_scope({db!r}):
            v = data.versions()["wasword"]["version"]
        if v not in seen:
            seen.add(v)
            print(v, flush=True)
        if v == 2:
            break
        time.sleep(0.05)
""")


def test_two_app_processes_share_one_snapshot_folder(org_db, load):
    assert load(fx.wasword_sheets(), name="ww1.xlsx").loaded
    script = READER.format(root=str(fx.ROOT), db=str(org_db))
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "1"
        sheets = fx.wasword_sheets()
        rows = [list(r) for r in sheets["Blad1"]]
        rows[1][rows[0].index("Fte")] = 0.5
        assert load({"Blad1": rows}, name="ww2.xlsx").loaded
        for p in procs:
            assert p.stdout.readline().strip() == "2"
            assert p.wait(timeout=30) == 0
    finally:
        for p in procs:
            p.kill()


def test_a_reader_node_with_only_the_snapshot_folder(org_db, load, tmp_path, monkeypatch):
    """More machines: a node gets a copy of the snapshot folder and no main file."""
    assert load(fx.wasword_sheets()).loaded
    node = tmp_path / "node"
    shutil.copytree(snapshot.folder(org_db), node / "snapshots")
    monkeypatch.setenv("STUURBORD_SNAPSHOTS", str(node / "snapshots"))
    data.clear_cache()
    with data.run_scope(node / "stuurbord.duckdb"):  # no such file on this node
        assert data.versions()["wasword"]["version"] == 1
        assert len(data.get(queries.fte_per_eenheid)) == len(fx.organisatie_sheets()["Eenheden"]) - 1


def test_a_store_from_an_older_version_is_brought_up_to_date_by_the_app(full_db):
    """After installing a new Stuurbord, the first page run upgrades the schema (as any writer
    would) instead of failing on a view that does not exist yet."""
    con = duckdb.connect(str(full_db))
    con.execute("DROP VIEW regelcontrole")
    con.execute("UPDATE schema_info SET version = 1")
    con.close()
    data.clear_cache()
    with data.run_scope(full_db):
        assert data.state()["schema"] == store.SCHEMA_VERSION
        assert len(data.get(queries.regelcontrole)) > 0
    assert fx.query(full_db, "SELECT max(version) FROM schema_info") == [(store.SCHEMA_VERSION,)]
    assert snapshot.current(full_db) is not None  # the upgrade published a snapshot like any write
