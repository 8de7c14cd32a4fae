"""The one way pages get their data.

    data.get(queries.fte_per_eenheid)                       # a query: func(con, *params)
    data.get(kpi.history, data.ref(queries.kpi_scores), data.ref(queries.kpi_normen), "maand")

`get(func, *args)` returns `func`'s result for the current data. A function whose first
parameter is named `con` is a query: it receives the run's read-only connection. Any other
function is a pure derivation (an aggregation, a figure). Arguments are scalars or `ref`s:
`ref(func, *args)` names a value without computing it, so large frames are passed by
reference and never hashed or copied; a ref is resolved (through the same cache) only when
the value has to be computed.

One cache for both, per process and shared by every session: keyed by the database, the
function, its arguments and the data version (current versions, settings, KPI notes
revision). A new load or restore shows on the next run, without a restart and without
time-based expiry. Results are shared, not copied: callers must not modify them (the test
suite checks this with STUURBORD_CACHE_CHECK=1). When 20 sessions ask for the same value at
once, one computes it and the others wait for that result.

Connections: at most one read-only connection per script run (`run_scope`), opened on first
use and closed when the run ends. It is a cursor on the current snapshot (etl/snapshot.py),
an immutable copy that writers publish after each commit, so pages never wait for a load;
without a current snapshot, the run opens the database file itself (and may wait for a
writer). The version pointers are re-read only when the snapshot changed, or without one,
when the database file or its WAL changed (size and mtime).
"""
from __future__ import annotations

import functools
import inspect
import os
import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from etl import snapshot, store

from . import queries

_run = threading.local()  # Streamlit runs each session's script in its own thread


class NoData(Exception):
    """Nothing loaded yet (no database, or no version of the kinds a page needs)."""


class Unavailable(Exception):
    """The database exists but cannot be read (damaged, not a Stuurbord database, busy)."""


# --- the run scope and its connection ----------------------------------------------------
@contextmanager
def run_scope(db: str | Path | None = None):
    """One script run: at most one connection, closed at the end."""
    _run.db = store.db_path(db)
    _run.con = None
    _run.state = None
    _run.snapshot = "unset"
    _run.active = True
    try:
        yield
    finally:
        _run.active = False
        release()


def in_run_scope() -> bool:
    return getattr(_run, "active", False)


def _db() -> Path:
    return getattr(_run, "db", None) or store.db_path()


def db_path() -> Path:
    """The database of this run (for writes that happen later, e.g. in a download's thread)."""
    return _db()


def connection():
    """The run's read-only connection (opened on first use): a cursor on the process-wide
    connection to the current snapshot, or, without a current snapshot, a connection of its
    own to the database file (which waits while a writer holds the file)."""
    if getattr(_run, "con", None) is None:
        snap = _snapshot()
        if snap is not None:
            _run.con = _snapshot_connection(snap).cursor()
        else:
            try:
                _run.con = store.open_reader(_db())
            except store.StoreMissing:
                raise NoData("geen database") from None
            _run.con.execute("SET python_enable_replacements = false")  # see _snapshot_connection
    return _run.con


def _snapshot() -> Path | None:
    """The snapshot this run reads (decided once per run, so all its reads agree)."""
    if getattr(_run, "snapshot", "unset") == "unset":
        _run.snapshot = snapshot.current(_db())
    return _run.snapshot


_snapshot_cons: "OrderedDict[str, Any]" = OrderedDict()
_snapshot_lock = threading.Lock()


def _snapshot_connection(path: Path):
    """One read-only connection per snapshot file for the whole process: nobody writes a
    snapshot, so it never blocks a writer. Runs use cursors on it; the previous snapshot's
    connection is kept for runs that started on it."""
    key = str(path)
    with _snapshot_lock:
        con = _snapshot_cons.get(key)
        if con is None:
            import duckdb
            con = _snapshot_cons[key] = duckdb.connect(key, read_only=True)
            # a missing table must be an error, not a Python variable of that name scanned instead
            con.execute("SET GLOBAL python_enable_replacements = false")
            while len(_snapshot_cons) > 2:
                _snapshot_cons.popitem(last=False)  # closed when its last cursor is gone
        return con


def release() -> None:
    """Close this run's read-only connection, e.g. before writing from the app (an annotation,
    a restore): in one process DuckDB refuses a read-write connection while a read-only one to
    the same file is open. The next read in the run reopens it."""
    con, _run.con = getattr(_run, "con", None), None
    if con is not None:
        con.close()


# --- state: versions and settings ----------------------------------------------------------
def _file_key(path: Path) -> tuple:
    """Changes whenever DuckDB writes: the database file and its WAL (size, mtime)."""
    key = []
    for p in (path, Path(str(path) + ".wal")):
        try:
            st_ = p.stat()
            key.append((st_.st_size, st_.st_mtime_ns))
        except FileNotFoundError:
            key.append(None)
    return tuple(key)


def _read_state(con) -> dict:
    return {"schema": queries.schema_version(con),
            "versions": queries.current_versions(con), "settings": queries.settings(con),
            "notes": queries.notes_revision(con), "niet_demo": queries.niet_demo_versies(con),
            "unversioned": queries.unversioned_revision(con)}


def state() -> dict:
    """Current versions per kind (with peildatum etc.), settings and the notes revision, read
    once per run and re-read from the store only when the file changed."""
    if getattr(_run, "state", None) is None:
        snap = _snapshot()
        key = ("snapshot", str(snap)) if snap is not None else _file_key(_db())
        try:
            if key[0] is None:
                raise NoData("geen database")
            _run.state = _CACHE.get_or_compute(("state", str(_db()), key), lambda: _read_state(connection()))
            if _run.state["schema"] < store.SCHEMA_VERSION:
                _upgrade()
                return state()
        except NoData:
            _run.state = {"schema": store.SCHEMA_VERSION, "versions": {}, "settings": {}, "notes": None,
                          "niet_demo": 0, "unversioned": None}
        except store.StoreBusy as exc:
            raise Unavailable("De database is bezet door een lange bewerking; probeer het over een minuut "
                              "opnieuw.") from exc
        except Exception as exc:
            if not _is_duckdb_error(exc):
                raise
            raise Unavailable(f"De database ({_db().name}) kan niet worden gelezen: het bestand is beschadigd of "
                              "is geen Stuurbord-database. Zet een reservekopie terug of laad de gegevens "
                              "opnieuw (python -m etl demo voor de demo).") from exc
    return _run.state


_upgraded: set[str] = set()


def _upgrade() -> None:
    """The store was made by an older Stuurbord (an update was installed): bring its schema up
    to date once, as any writer would (store.initialise: writer lock, new tables and views, a
    new snapshot), instead of failing on a view that does not exist yet."""
    db = str(_db())
    if db in _upgraded:
        raise Unavailable("De database heeft nog de opbouw van een oudere versie van Stuurbord en kan niet worden "
                          "bijgewerkt. Vraag de beheerder om `python -m etl snapshot` uit te voeren.")
    _upgraded.add(db)
    release()
    _run.snapshot, _run.state = "unset", None
    store.initialise(db)


def _is_duckdb_error(exc: Exception) -> bool:
    import duckdb
    return isinstance(exc, duckdb.Error)


def versions() -> dict[str, dict]:
    return state()["versions"]


def settings() -> dict[str, str]:
    return state()["settings"]


def demo_only() -> bool:
    """True while no version other than the demo's was ever loaded (nothing loaded counts)."""
    return not state().get("niet_demo")


def has(*kinds: str) -> bool:
    return all(k in versions() for k in kinds)


def version_key() -> tuple:
    """What a cached value depends on besides its arguments: the current versions, the
    settings, the KPI notes revision (notes are not versioned) and the revision of the other
    unversioned tables (the rule set, saved scenarios)."""
    s = state()
    return (tuple(sorted((k, v["version"]) for k, v in s["versions"].items())),
            tuple(sorted(s["settings"].items())), s.get("notes"), s.get("unversioned"))


# --- get and ref ---------------------------------------------------------------------------------
class Ref(NamedTuple):
    """A value named but not computed: `func(*args)` as `get` would return it."""
    func: Any
    args: tuple

    def get(self):
        return get(self.func, *self.args)


def ref(func, *args) -> Ref:
    _check_args(func, args)
    return Ref(func, args)


@functools.cache
def is_query(func) -> bool:
    """A query takes the connection as its first parameter, named `con`."""
    params = list(inspect.signature(func).parameters)
    return bool(params) and params[0] == "con"


def _check_args(func, args: tuple) -> None:
    try:
        hash(args)
    except TypeError:
        bad = [type(a).__name__ for a in args if not _hashable(a)]
        raise TypeError(f"data.get({func.__qualname__}): arguments must be scalars or data.ref(...), "
                        f"not {', '.join(bad)}") from None


def _hashable(x) -> bool:
    try:
        hash(x)
        return True
    except TypeError:
        return False


def _compute(func, args: tuple):
    values = [a.get() if isinstance(a, Ref) else a for a in args]
    if is_query(func):
        return func(connection(), *values)
    return func(*values)


def _key_arg(a):
    """NaN and NaT are not equal to themselves: as part of a key they would never hit."""
    try:
        return _MISSING if a != a else a
    except (TypeError, ValueError):
        return a


_MISSING = ("<missing>",)


def get(func, *args):
    """`func(*args)` for the current data, from the shared cache (see the module docstring).
    The result is shared between runs and sessions: do not modify it."""
    _check_args(func, args)
    key = (str(_db()), func, tuple(_key_arg(a) for a in args), version_key())
    return _CACHE.get_or_compute(key, lambda: _compute(func, args))


# --- the cache ------------------------------------------------------------------------------------
class _Cache:
    """LRU of computed values with single flight: a key being computed by one thread makes
    other threads wait for it instead of computing it again. Bounded by entries and by the
    in-memory size of DataFrames."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._values: OrderedDict[tuple, tuple[Any, int, Any]] = OrderedDict()  # key -> (value, bytes, check)
        self._bytes = 0
        self._lock = threading.Lock()
        self._pending: dict[tuple, threading.Event] = {}
        self.check = os.environ.get("STUURBORD_CACHE_CHECK") == "1"

    def get_or_compute(self, key: tuple, compute):
        while True:
            with self._lock:
                if key in self._values:
                    self._values.move_to_end(key)
                    value, _, fingerprint = self._values[key]
                    if self.check:
                        _assert_unchanged(key, value, fingerprint)
                    return value
                event = self._pending.get(key)
                if event is None:
                    event = self._pending[key] = threading.Event()
                    break
            event.wait()  # another thread computes it; if that failed, try ourselves
        try:
            value = compute()
        except BaseException:
            with self._lock:
                self._pending.pop(key).set()
            raise
        size = _size(value)
        with self._lock:
            self._values[key] = (value, size, _fingerprint(value) if self.check else None)
            self._bytes += size
            while len(self._values) > self.max_entries or (self._bytes > self.max_bytes and len(self._values) > 1):
                _, (_, dropped, _) = self._values.popitem(last=False)
                self._bytes -= dropped
            self._pending.pop(key).set()
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._bytes = 0


def _size(value) -> int:
    if hasattr(value, "memory_usage") and hasattr(value, "columns"):
        return int(value.memory_usage(index=True, deep=False).sum())
    if isinstance(value, tuple):
        return sum(_size(v) for v in value)
    return 0


def _fingerprint(value):
    import pandas as pd
    if isinstance(value, pd.DataFrame):
        try:
            return (tuple(value.columns), len(value), int(pd.util.hash_pandas_object(value, index=True).sum()))
        except TypeError:  # unhashable cells (lists): columns and length only
            return (tuple(value.columns), len(value), None)
    return None


def _assert_unchanged(key, value, fingerprint) -> None:
    if fingerprint is not None and _fingerprint(value) != fingerprint:
        raise AssertionError(f"A cached result of {key[1]!r} was modified by its caller: results of data.get are "
                             "shared between sessions and must not be changed (use .assign/.copy).")


_CACHE = _Cache(max_entries=int(os.environ.get("STUURBORD_CACHE_ENTRIES", "2048")),
                max_bytes=int(os.environ.get("STUURBORD_CACHE_MB", "1024")) * 1024 * 1024)


def clear_cache() -> None:
    """For tests and benchmarks: forget every cached value."""
    _CACHE.clear()


def file_loader(sha256: str):
    """The `data` of a download button for an uploaded file: read only when clicked (in the
    download's own thread, with its own short read-only connection), not on every run."""
    db = _db()

    def load() -> bytes:
        with store.reader(db) as con:
            return queries.bestand_inhoud(con, sha256) or b""
    return load
