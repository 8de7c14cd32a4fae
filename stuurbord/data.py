"""Data access for pages: one read-only DuckDB connection per script run, and
query results cached by the current version ids.

app.py wraps every run in `run_scope()`; pages call `get("fte_per_eenheid")`.
A cache entry is keyed by (database, query, parameters, current versions and
settings), so a new load or restore shows on the next run without a restart
and without time-based expiry. The connection is opened lazily (a run served
entirely from the cache only reads the tiny version pointer table) and closed
at the end of the run, so the command line can write in between.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import streamlit as st

from etl import store

from . import queries

_run = threading.local()  # Streamlit runs each session's script in its own thread


class NoData(Exception):
    """Nothing loaded yet (no database, or no version of the kinds a page needs)."""


@contextmanager
def run_scope(db: str | Path | None = None):
    """One script run: at most one connection, closed at the end."""
    _run.db = store.db_path(db)
    _run.con = None
    _run.state = None
    try:
        yield
    finally:
        con, _run.con = _run.con, None
        if con is not None:
            con.close()


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


def state() -> dict:
    """Current versions per kind (with peildatum etc.) and settings, read once per run."""
    if getattr(_run, "state", None) is None:
        try:
            con = connection()
            _run.state = {"versions": queries.current_versions(con), "settings": queries.settings(con)}
        except NoData:
            _run.state = {"versions": {}, "settings": {}}
        except Exception as exc:  # a file that is not a Stuurbord database
            if "does not exist" in str(exc) or "Catalog Error" in str(exc):
                _run.state = {"versions": {}, "settings": {}}
            else:
                raise
    return _run.state


def versions() -> dict[str, dict]:
    return state()["versions"]


def has(*kinds: str) -> bool:
    return all(k in versions() for k in kinds)


def _key() -> tuple:
    s = state()
    return (tuple(sorted((k, v["version"]) for k, v in s["versions"].items())),
            tuple(sorted(s["settings"].items())))


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(db: str, name: str, params: tuple, key: tuple) -> pd.DataFrame:
    return getattr(queries, name)(connection(), *params)


def get(name: str, *params) -> pd.DataFrame:
    """A query from stuurbord.queries, cached until a version or setting changes."""
    return _cached(str(_db()), name, params, _key())


def get_uncached(name: str, *params):
    return getattr(queries, name)(connection(), *params)
