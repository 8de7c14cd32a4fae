"""The DuckDB store: where the file lives, how to open it, and the writer lock.

Concurrency design (see docs/architecture.md for the measurements behind it):
DuckDB lets one process hold a file read-write, and that excludes every other
process, read-only ones included. So nobody keeps the file open:

* Readers (the app, scripts) open a short-lived read-only connection per
  page run / command, and retry for a few seconds while a writer holds it.
  The app reads an immutable snapshot instead (etl/snapshot.py), published by
  every writer after its commit, so it never waits for a writer.
* Writers (loads, restores, annotations, settings) first take an exclusive
  `flock` on `<db>.lock` — that serialises them across processes and threads —
  and only then open the file read-write, for the one transaction, and close.
  A second writer waits up to STUURBORD_LOCK_TIMEOUT seconds, then is refused
  with a clear message. The lock dies with its process (kill -9 included).
"""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from . import snapshot

if TYPE_CHECKING:  # imported on first use (see warm_up)
    import duckdb

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "stuurbord.duckdb"
SCHEMA_VERSION = 3  # 2: logboek (audit trail), setting capaciteit_grens; 3: + regel, regelcontrole, scenario
_SCHEMA_SQL = (Path(__file__).parent / "schema.sql").read_text(encoding="utf-8")


class StoreBusy(Exception):
    """Another load holds the store; the message is Dutch."""


class StoreMissing(Exception):
    """No database yet (nothing loaded)."""


def db_path(path: str | os.PathLike | None = None) -> Path:
    """--db, else STUURBORD_DB, else data/stuurbord.duckdb."""
    return Path(path or os.environ.get("STUURBORD_DB") or DEFAULT_DB)


def _is_lock_error(exc: Exception) -> bool:
    """Another process holds the file, or this process has it open in the other mode
    (DuckDB refuses read-only and read-write connections to one file in one process)."""
    text = str(exc).lower()
    return ("lock" in text and ("conflicting" in text or "could not set" in text)) or \
        "different configuration" in text


def warm_up() -> None:
    """Import DuckDB and start its engine once, in memory: the first connection of a process
    costs 20–40 ms more than later ones. The command-line load runs this in a thread while
    it parses (etl/__main__.py), so that the connection after parsing opens quickly."""
    import duckdb
    duckdb.connect(":memory:").close()


def _connect(path: Path, read_only: bool, timeout: float) -> duckdb.DuckDBPyConnection:
    import duckdb
    deadline = time.monotonic() + timeout
    delay = 0.01
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                if _is_lock_error(exc):
                    raise StoreBusy("De database is bezet door een andere bewerking; probeer het zo opnieuw.") from exc
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def open_reader(path: str | os.PathLike | None = None, timeout: float | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection the caller closes (the app keeps one per script run)."""
    path = db_path(path)
    if not path.exists():
        raise StoreMissing(str(path))
    timeout = float(os.environ.get("STUURBORD_READ_TIMEOUT", 10)) if timeout is None else timeout
    return _connect(path, read_only=True, timeout=timeout)


@contextmanager
def reader(path: str | os.PathLike | None = None, timeout: float | None = None):
    """A read-only connection for one unit of work; closed afterwards."""
    con = open_reader(path, timeout)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def write_lock(path: str | os.PathLike | None = None, timeout: float | None = None):
    """Exclusive writer lock across processes and threads (flock on <db>.lock)."""
    path = db_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    timeout = float(os.environ.get("STUURBORD_LOCK_TIMEOUT", 30)) if timeout is None else timeout
    fd = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy("Er wordt op dit moment al een ander bestand geladen of hersteld. "
                                    "Wacht tot dat klaar is en probeer het dan opnieuw.") from None
                time.sleep(0.05)
        yield path
    finally:
        os.close(fd)  # releases the flock


@contextmanager
def writer(path: str | os.PathLike | None = None, lock_held: bool = False):
    """A read-write connection inside the writer lock, with the schema in place."""
    path = db_path(path)
    if lock_held:
        con = _connect(path, read_only=False, timeout=float(os.environ.get("STUURBORD_READ_TIMEOUT", 10)))
        try:
            ensure_schema(con)
            yield con
        finally:
            con.close()
        snapshot.try_publish(path)  # still under the writer lock: readers switch to the new state
        return
    with write_lock(path):
        with writer(path, lock_held=True) as con:
            yield con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create tables and (re)create the stable views; idempotent, one transaction."""
    import duckdb
    try:  # (information_schema is a slow catalog scan; this runs on every write)
        if con.execute("SELECT max(version) FROM schema_info").fetchone()[0] == SCHEMA_VERSION:
            return
    except duckdb.CatalogException:
        pass  # a new, empty database
    con.begin()
    try:
        for statement in _split_sql(_SCHEMA_SQL):
            con.execute(statement)
        con.execute("DELETE FROM schema_info")
        con.execute("INSERT INTO schema_info VALUES (?)", [SCHEMA_VERSION])
        con.commit()
    except Exception:
        con.rollback()
        raise


def _split_sql(sql: str) -> list[str]:
    """Statements of schema.sql, executed one by one inside one explicit transaction
    (a ';'-separated batch is not atomic in DuckDB 2.0)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def initialise(path: str | os.PathLike | None = None) -> Path:
    """Create an empty store with schema and views (used by tests and `etl demo`)."""
    with writer(path):
        pass
    return db_path(path)


def backup(dest: str | os.PathLike, path: str | os.PathLike | None = None) -> Path:
    """A consistent copy, correct with an open WAL: under the writer lock, CHECKPOINT,
    then copy the database into a fresh file through DuckDB itself."""
    dest = Path(dest)
    if dest.exists():
        raise FileExistsError(f"{dest} bestaat al")
    if not db_path(path).exists():
        raise StoreMissing(f"Er is nog geen database om te kopiëren ({db_path(path)}).")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with writer(path) as con:
        con.execute("CHECKPOINT")
        con.execute(f"ATTACH '{_sql_str(dest)}' AS backup_db")
        try:
            con.execute("COPY FROM DATABASE {} TO backup_db".format(_db_name(con)))
        finally:
            con.execute("DETACH backup_db")
    return dest


def _db_name(con) -> str:
    return con.execute("SELECT current_database()").fetchone()[0]


def _sql_str(path: Path) -> str:
    return str(path).replace("'", "''")
