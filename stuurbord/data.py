"""Data access for pages: one read-only DuckDB connection per script run, and
query results cached by the current version ids.

app.py wraps every run in `run_scope()`; pages call `get("fte_per_eenheid")`.
A cache entry is keyed by (database, query, parameters, current versions and
settings), so a new load or restore shows on the next run without a restart
and without time-based expiry. The version pointers themselves are re-read
only when the database file or its WAL changed (size and mtime), so a run
served from the cache opens no connection at all; otherwise the connection is
opened lazily and closed at the end of the run, so the command line can write
in between.
"""
from __future__ import annotations

import importlib
import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from etl import store

from . import queries

_run = threading.local()  # Streamlit runs each session's script in its own thread


class NoData(Exception):
    """Nothing loaded yet (no database, or no version of the kinds a page needs)."""


class Unavailable(Exception):
    """The database exists but cannot be read (damaged, not a Stuurbord database, busy)."""


@contextmanager
def run_scope(db: str | Path | None = None):
    """One script run: at most one connection, closed at the end."""
    _run.db = store.db_path(db)
    _run.con = None
    _run.state = None
    _run.active = True
    try:
        yield
    finally:
        _run.active = False
        con, _run.con = _run.con, None
        if con is not None:
            con.close()


def in_run_scope() -> bool:
    return getattr(_run, "active", False)


def _db() -> Path:
    return getattr(_run, "db", None) or store.db_path()


def connection():
    """The run's read-only connection (opened on first use)."""
    if getattr(_run, "con", None) is None:
        try:
            _run.con = store.open_reader(_db())
        except store.StoreMissing:
            raise NoData("geen database") from None
    return _run.con


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


@st.cache_data(show_spinner=False, max_entries=16)
def _read_state(db: str, file_key: tuple) -> dict:
    """Version pointers and settings; re-read only when the file changed (no time-based expiry)."""
    con = connection()
    return {"versions": queries.current_versions(con), "settings": queries.settings(con),
            "notes": queries.notes_revision(con)}


def release() -> None:
    """Close this run's read-only connection before writing from the app (an annotation,
    a restore): in one process DuckDB refuses a read-write connection while a read-only
    one to the same file is open. The next read in the run reopens it."""
    con, _run.con = getattr(_run, "con", None), None
    if con is not None:
        con.close()


def state() -> dict:
    """Current versions per kind (with peildatum etc.) and settings, read once per run."""
    if getattr(_run, "state", None) is None:
        key = _file_key(_db())
        try:
            if key[0] is None:
                raise NoData("geen database")
            _run.state = _read_state(str(_db()), key)
        except NoData:
            _run.state = {"versions": {}, "settings": {}}
        except store.StoreBusy as exc:
            raise Unavailable("De database is bezet door een lange bewerking; probeer het over een minuut "
                              "opnieuw.") from exc
        except duckdb.Error as exc:
            raise Unavailable(f"De database ({_db().name}) kan niet worden gelezen: het bestand is beschadigd of "
                              "is geen Stuurbord-database. Zet een reservekopie terug of laad de gegevens "
                              "opnieuw (python -m etl demo voor de demo).") from exc
    return _run.state


def versions() -> dict[str, dict]:
    return state()["versions"]


def has(*kinds: str) -> bool:
    return all(k in versions() for k in kinds)


def _key() -> tuple:
    s = state()
    # KPI notes are not versioned (kept across KPI versions): their revision is part of the key
    return (tuple(sorted((k, v["version"]) for k, v in s["versions"].items())),
            tuple(sorted(s["settings"].items())), s.get("notes"))


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(db: str, name: str, params: tuple, key: tuple) -> pd.DataFrame:
    return getattr(queries, name)(connection(), *params)


def get(name: str, *params) -> pd.DataFrame:
    """A query from stuurbord.queries, cached until a version or setting changes."""
    return _cached(str(_db()), name, params, _key())


@st.cache_data(show_spinner=False, max_entries=512)
def _derived(module: str, name: str, args: tuple, key: tuple):
    return getattr(importlib.import_module(module), name)(*args)


def derive(func, *args):
    """`func(*args)` (a pure function of query results: an aggregation, a figure), cached
    like the queries: until a version, setting or note changes (args are hashed too)."""
    return _derived(func.__module__, func.__name__, args, _key())


@st.cache_resource(show_spinner=False, max_entries=64)
def _shared(module: str, name: str, args: tuple, key: tuple):
    return getattr(importlib.import_module(module), name)(*args)


def shared(func, *args):
    """Like derive, but the result is shared between runs and sessions without a copy (no
    pickling): for read-only objects that are costly to copy, such as the export sections
    with their figures. Callers must not change the result."""
    return _shared(func.__module__, func.__name__, args, _key())


class Q(str):
    """A query name as an argument of memo(): fetched with get() only when memo computes."""


_memo: "OrderedDict[tuple, object]" = OrderedDict()
_memo_lock = threading.Lock()
MEMO_ENTRIES = 256


def memo(func, *args):
    """`func(*args)` remembered per database, current versions and scalar args, without
    hashing DataFrames: frames are named as Q("query"), so the key is a few strings and a hit
    costs microseconds (st.cache_data hashes and copies each frame: ~2 ms a frame). The
    result is shared between runs and sessions: callers must not change it."""
    key = (str(_db()), func.__module__, func.__qualname__, args, _key())
    with _memo_lock:
        if key in _memo:
            _memo.move_to_end(key)
            return _memo[key]
    value = func(*(get(a) if isinstance(a, Q) else a for a in args))
    with _memo_lock:
        _memo[key] = value
        while len(_memo) > MEMO_ENTRIES:
            _memo.popitem(last=False)
    return value


def file_loader(sha256: str):
    """The `data` of a download button for an uploaded file: read only when clicked (in the
    download's own thread, with its own short read-only connection), not on every run."""
    db = _db()

    def load() -> bytes:
        with store.reader(db) as con:
            return queries.bestand_inhoud(con, sha256) or b""
    return load
