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

Files: the database, its WAL, the lock file, backups, the read-only snapshots
and any folder made for them are created without access for others (mode 0640,
folders 0750: group may read, others nothing), whatever the process umask
(`private_files`).
"""
from __future__ import annotations

import fcntl
import os
import threading
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


class BackupFailed(Exception):
    """A backup could not be made; the message is Dutch. Nothing is left behind."""


# --- file permissions ---------------------------------------------------------------------------
PRIVATE_UMASK = 0o027          # files 0640, folders 0750 (or stricter with a stricter umask)
_UMASK_LOCK = threading.Lock()
_umask_depth = 0
_umask_saved = 0


@contextmanager
def private_files():
    """Files created inside (by this process, any thread) get no access for others. The umask
    is process-wide: nested and concurrent uses share one setting and restore it once."""
    global _umask_depth, _umask_saved
    with _UMASK_LOCK:
        if _umask_depth == 0:
            _umask_saved = os.umask(PRIVATE_UMASK)
            os.umask(_umask_saved | PRIVATE_UMASK)
        _umask_depth += 1
    try:
        yield
    finally:
        with _UMASK_LOCK:
            _umask_depth -= 1
            if _umask_depth == 0:
                os.umask(_umask_saved)


def _tighten(path: Path) -> None:
    """Take away others' access to a file made before this rule (or by a looser umask)."""
    try:
        mode = os.stat(path).st_mode
        if mode & 0o007:
            os.chmod(path, mode & 0o7770)
    except OSError:  # missing, or not ours to change
        pass


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
    """Import DuckDB (about 60 ms). The command-line load runs this in a thread while fastexcel
    parses (etl/startup.py). Starting an in-memory engine as well measured no faster."""
    import duckdb  # noqa: F401


def _connect(path: Path, read_only: bool, timeout: float) -> duckdb.DuckDBPyConnection:
    import duckdb
    deadline = time.monotonic() + timeout
    delay = 0.01
    while True:
        try:
            # a writer's work is one small transaction: one thread does it with less CPU than two
            # (commit of the 50.000-row bench list: 31 against 41 ms CPU, docs/performance.md)
            return duckdb.connect(str(path), read_only=read_only, config={} if read_only else {"threads": 1})
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
    timeout = float(os.environ.get("STUURBORD_LOCK_TIMEOUT", 30)) if timeout is None else timeout
    with private_files():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT, 0o640)
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
        with private_files():  # the database, its WAL, an attached backup and the snapshot
            for existing in (path, Path(str(path) + ".wal"), Path(str(path) + ".lock")):
                _tighten(existing)
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
    """A consistent copy, correct with an open WAL: under the writer lock, CHECKPOINT, then copy
    the database through DuckDB itself into a hidden file beside `dest`, which becomes `dest`
    only when complete. Folders that do not exist yet are made. Refuses an existing `dest`
    (FileExistsError); a failed attempt leaves nothing behind (BackupFailed, Dutch)."""
    dest, source = Path(dest), db_path(path)
    if not source.exists():
        raise StoreMissing(f"Er is nog geen database om te kopiëren ({source}).")
    if dest.exists():
        raise FileExistsError(f"{dest} bestaat al")
    made = _make_folders(dest.parent)
    part = dest.with_name(f".{dest.name}.{os.getpid()}.onvolledig")
    try:
        with writer(source) as con:
            con.execute("CHECKPOINT")
            alias = "stuurbord_reservekopie"
            name = _db_name(con)
            if name == alias:
                alias += "_2"
            con.execute(f"ATTACH '{_sql_str(part)}' AS {_ident(alias)}")
            try:
                con.execute(f"COPY FROM DATABASE {_ident(name)} TO {_ident(alias)}")
            finally:
                con.execute(f"DETACH {_ident(alias)}")
        _publish(part, dest)
    except BaseException as exc:
        for leftover in (part, Path(str(part) + ".wal")):
            leftover.unlink(missing_ok=True)
        for folder in reversed(made):
            try:
                folder.rmdir()
            except OSError:
                pass
        if isinstance(exc, (FileExistsError, StoreBusy)) or not isinstance(exc, Exception):
            raise
        raise BackupFailed(f"De reservekopie '{dest}' kon niet worden gemaakt: {_reason(exc)} "
                           "Er is niets achtergebleven; probeer het opnieuw.") from exc
    return dest


def _make_folders(folder: Path) -> list[Path]:
    """Make `folder` and its missing parents (0750); return the ones made, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    if folder.exists() and not folder.is_dir():
        raise BackupFailed(f"'{folder}' is een bestand, geen map; kies een andere plek voor de reservekopie.")
    made = []
    with private_files():
        for new in reversed(missing):
            try:
                new.mkdir(mode=0o750)
            except OSError as exc:
                for m in reversed(made):
                    m.rmdir()
                raise BackupFailed(f"De map '{new}' kan niet worden gemaakt: {_reason(exc)}") from exc
            made.append(new)
    return made


def _publish(part: Path, dest: Path) -> None:
    """Give the complete copy its name, never over an existing file."""
    try:
        os.link(part, dest)        # atomic, and fails when dest exists
        part.unlink()
    except FileExistsError:
        raise
    except OSError:                # a file system without hard links
        if dest.exists():
            raise FileExistsError(f"{dest} bestaat al") from None
        os.rename(part, dest)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, PermissionError):
        return "geen toestemming om daar te schrijven."
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}."
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _db_name(con) -> str:
    return con.execute("SELECT current_database()").fetchone()[0]


def _ident(name: str) -> str:
    """An SQL identifier, quoted: a database called after its file may be any text
    (stuurbord-prod, 2021, select)."""
    return '"' + name.replace('"', '""') + '"'


def _sql_str(path: Path) -> str:
    return str(path).replace("'", "''")
