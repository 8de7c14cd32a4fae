"""What a new file changes against the current version of its kind: pure functions on
DataFrames (old side from stuurbord.queries, new side from a pipeline.Prepared's built
tables). The upload page's preview and the versions page's comparison both use them.
Also `read_file`: the upload page's pipeline.read_file, in a worker process for large files."""
from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import sys
import threading
import time
import types
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pandas as pd

EPS = 0.00005
log = logging.getLogger("stuurbord")


def frame(built, table: str, columns: list[str]) -> pd.DataFrame:
    """One built table (list of dicts or a pyarrow Table) as a DataFrame with `columns`."""
    rows = built.tables.get(table, []) if built is not None else []
    df = rows.to_pandas() if hasattr(rows, "to_pandas") else pd.DataFrame(list(rows))
    for col in columns:
        if col not in df.columns:
            df[col] = None
    return df[columns].reset_index(drop=True)


# --- organisatie -----------------------------------------------------------------------
def organisatie_diff(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Per eenheid (old and new: cluster, eenheid, formatie_fte): formatie old → new and a
    status toegevoegd | vervallen | gewijzigd | ongewijzigd. Names match case-insensitively."""
    o = old.assign(key=old["eenheid"].str.lower())[["key", "eenheid", "cluster", "formatie_fte"]]
    n = new.assign(key=new["eenheid"].str.lower())[["key", "eenheid", "cluster", "formatie_fte"]]
    m = o.merge(n, on="key", how="outer", suffixes=("_oud", "_nieuw"))
    out = pd.DataFrame({
        "eenheid": m["eenheid_nieuw"].fillna(m["eenheid_oud"]),
        "cluster": m["cluster_nieuw"].fillna(m["cluster_oud"]),
        "formatie_oud": m["formatie_fte_oud"].astype(float),
        "formatie_nieuw": m["formatie_fte_nieuw"].astype(float),
    })
    out["verschil"] = (out["formatie_nieuw"].fillna(0) - out["formatie_oud"].fillna(0)).round(4)
    out["status"] = "ongewijzigd"
    out.loc[out["verschil"].abs() > EPS, "status"] = "gewijzigd"
    out.loc[out["formatie_oud"].isna(), "status"] = "toegevoegd"
    out.loc[out["formatie_nieuw"].isna(), "status"] = "vervallen"
    return out.sort_values("eenheid", key=lambda s: s.str.lower()).reset_index(drop=True)


def organisatie_summary(diff: pd.DataFrame) -> dict[str, float]:
    return {"toegevoegd": int((diff["status"] == "toegevoegd").sum()),
            "vervallen": int((diff["status"] == "vervallen").sum()),
            "gewijzigd": int((diff["status"] == "gewijzigd").sum()),
            "formatie_oud": float(diff["formatie_oud"].fillna(0).sum()),
            "formatie_nieuw": float(diff["formatie_nieuw"].fillna(0).sum())}


# --- wasword --------------------------------------------------------------------------
WW_COLUMNS = ["personeelsnummer", "naam", "eenheid", "fte", "is_vacature"]


def _placed(p: pd.DataFrame) -> pd.DataFrame:
    p = p[~p["is_vacature"].astype(bool)].copy()
    p["key"] = p["eenheid"].str.lower()
    p["fte"] = p["fte"].astype(float)
    return p


def wasword_per_eenheid(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Bezetting fte and persons per eenheid old → new; the columns of queries.compare_eenheden."""
    def agg(p):
        p = _placed(p)
        return p.groupby("key").agg(eenheid=("eenheid", "first"), fte=("fte", "sum"),
                                    personen=("personeelsnummer", "nunique")).reset_index()
    m = agg(old).merge(agg(new), on="key", how="outer", suffixes=("_oud", "_nieuw"))
    out = pd.DataFrame({
        "eenheid": m["eenheid_nieuw"].fillna(m["eenheid_oud"]),
        "fte_oud": m["fte_oud"].fillna(0).round(4), "fte_nieuw": m["fte_nieuw"].fillna(0).round(4)})
    out["fte_verschil"] = (out["fte_nieuw"] - out["fte_oud"]).round(4)
    out["personen_oud"] = m["personen_oud"].fillna(0).astype(int)
    out["personen_nieuw"] = m["personen_nieuw"].fillna(0).astype(int)
    return out.sort_values("eenheid").reset_index(drop=True)


def wasword_changes(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Per person and eenheid what changed; the columns of queries.compare_plaatsingen
    (status nieuw | vertrokken | fte gewijzigd; bleef_in_dienst: in both versions)."""
    def agg(p):
        p = _placed(p)
        return p.groupby(["personeelsnummer", "key"], dropna=False).agg(
            naam=("naam", "first"), eenheid=("eenheid", "first"), fte=("fte", "sum")).reset_index()
    o, n = agg(old), agg(new)
    m = o.merge(n, on=["personeelsnummer", "key"], how="outer", suffixes=("_oud", "_nieuw"))
    out = pd.DataFrame({
        "personeelsnummer": m["personeelsnummer"], "naam": m["naam_nieuw"].fillna(m["naam_oud"]),
        "eenheid": m["eenheid_nieuw"].fillna(m["eenheid_oud"]),
        "fte_oud": m["fte_oud"].round(4), "fte_nieuw": m["fte_nieuw"].round(4)})
    out["status"] = "fte gewijzigd"
    out.loc[out["fte_oud"].isna(), "status"] = "nieuw"
    out.loc[out["fte_nieuw"].isna(), "status"] = "vertrokken"
    both = set(o["personeelsnummer"].dropna()) & set(n["personeelsnummer"].dropna())
    out["bleef_in_dienst"] = out["personeelsnummer"].isin(both)
    changed = out["fte_oud"].isna() | out["fte_nieuw"].isna() | ((out["fte_oud"] - out["fte_nieuw"]).abs() > EPS)
    return out[changed].sort_values(["eenheid", "status", "naam"]).reset_index(drop=True)


# --- kpi ------------------------------------------------------------------------------------
def kpi_diff(old_norm: pd.DataFrame, old_score: pd.DataFrame, new_norm: pd.DataFrame,
             new_score: pd.DataFrame) -> dict:
    """Norms added/removed; scores added and changed (per code and periode)."""
    old_codes, new_codes = set(old_norm["code"]), set(new_norm["code"])
    m = old_score[["code", "periode", "waarde"]].merge(new_score[["code", "periode", "waarde"]],
                                                       on=["code", "periode"], how="outer",
                                                       suffixes=("_oud", "_nieuw"))
    changed = m[m["waarde_oud"].notna() & m["waarde_nieuw"].notna()
                & ((m["waarde_oud"].astype(float) - m["waarde_nieuw"].astype(float)).abs() > EPS)]
    return {"normen_toegevoegd": sorted(new_codes - old_codes), "normen_vervallen": sorted(old_codes - new_codes),
            "scores_toegevoegd": int((m["waarde_oud"].isna() & m["waarde_nieuw"].notna()).sum()),
            "scores_vervallen": int((m["waarde_nieuw"].isna() & m["waarde_oud"].notna()).sum()),
            "scores_gewijzigd": changed.sort_values(["code", "periode"]).reset_index(drop=True)}


# --- opgaven --------------------------------------------------------------------------------
def opgaven_diff(old: pd.DataFrame, new: pd.DataFrame) -> dict:
    """Opgaven added/removed and fase changes (old and new: opgave, fase)."""
    o = old.assign(key=old["opgave"].str.lower())
    n = new.assign(key=new["opgave"].str.lower())
    m = o[["key", "opgave", "fase"]].merge(n[["key", "opgave", "fase"]], on="key", how="outer",
                                           suffixes=("_oud", "_nieuw"))
    fase = m[m["fase_oud"].notna() & m["fase_nieuw"].notna() & (m["fase_oud"] != m["fase_nieuw"])]
    return {"toegevoegd": sorted(m.loc[m["opgave_oud"].isna(), "opgave_nieuw"]),
            "vervallen": sorted(m.loc[m["opgave_nieuw"].isna(), "opgave_oud"]),
            "fase": pd.DataFrame({"opgave": fase["opgave_nieuw"], "fase_oud": fase["fase_oud"],
                                  "fase_nieuw": fase["fase_nieuw"]}).reset_index(drop=True)}


# --- one entry point per side ---------------------------------------------------------
FRAMES = {  # kind -> name -> (built table, columns, query)
    "organisatie": {"eenheden": ("org_eenheid", ["cluster", "eenheid", "formatie_fte"], "org_eenheden")},
    "wasword": {"plaatsingen": ("ww_plaatsing", WW_COLUMNS, "ww_plaatsingen")},
    "kpi": {"normen": ("kpi_norm", ["code"], "kpi_norm_versie"),
            "scores": ("kpi_score", ["code", "periode", "waarde"], "kpi_score_versie")},
    "opgaven": {"opgaven": ("opg_opgave", ["opgave", "fase"], "opg_opgave_versie")},
}


def stored_frames(con, kind: str, version: int | None = None) -> dict[str, pd.DataFrame]:
    """The frames of a stored version (None = current; con None = empty store)."""
    from . import queries
    out = {}
    for name, (_, columns, query) in FRAMES[kind].items():
        out[name] = (getattr(queries, query)(con, version) if con is not None
                     else pd.DataFrame(columns=columns))[columns]
    return out


def built_frames(built, kind: str) -> dict[str, pd.DataFrame]:
    """The frames of a prepared (not yet written) load."""
    return {name: frame(built, table, columns) for name, (table, columns, _) in FRAMES[kind].items()}


def diff(kind: str, old: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> dict:
    if kind == "organisatie":
        d = organisatie_diff(old["eenheden"], new["eenheden"])
        return {"eenheden": d, "samenvatting": organisatie_summary(d)}
    if kind == "wasword":
        return {"per_eenheid": wasword_per_eenheid(old["plaatsingen"], new["plaatsingen"]),
                "wijzigingen": wasword_changes(old["plaatsingen"], new["plaatsingen"])}
    if kind == "kpi":
        return kpi_diff(old["normen"], old["scores"], new["normen"], new["scores"])
    return opgaven_diff(old["opgaven"], new["opgaven"])


# --- the validation report -----------------------------------------------------------------
def issues_frame(issues) -> pd.DataFrame:
    """Issues (etl.sheets.Issue) as a table: blad, cel, melding."""
    return pd.DataFrame([{"blad": i.sheet or "", "cel": i.cell or "", "melding": i.message} for i in issues],
                        columns=["blad", "cel", "melding"])


def split_warnings(warnings) -> tuple[list, list]:
    """(unknown columns and sheets, other warnings)."""
    unknown = [w for w in warnings if "onbekend" in w.message and ("kolom" in w.message or "blad" in w.message)]
    return unknown, [w for w in warnings if w not in unknown]


# --- validation in a worker process ------------------------------------------------------------
# Reading a large workbook holds the GIL for most of a second (50,000 rows), which slows every
# other session's page run in this process by about 2× meanwhile (numbers in
# docs/architecture.md, "Uploads and other sessions"). So `read_file` of a large upload runs in
# one worker process. Its result (Prepared with the file bytes, and the parsed sheets with Arrow
# columns) pickles in a few milliseconds. The kind rules, the diff and the commit stay here.
ISOLATE_MIN_BYTES = 256 * 1024   # smaller files read in well under 0,1 s: not worth the round trip
_POOL = None
_POOL_LOCK = threading.Lock()
# A `__main__` without a file. spawn re-imports the parent's __main__ in the child, and while a
# Streamlit script runs, sys.modules["__main__"] is that script (app.py): the worker would run
# the app. The worker process is started inside `submit`, so it is swapped only for that call.
_NEUTRAL_MAIN = types.ModuleType("__main__")


def _read_in_worker(content: bytes, name: str, kind: str | None, limits):
    from etl import pipeline
    return pipeline.read_file(content, name, kind, limits)


def _warm_imports() -> None:
    """In the worker: the imports of a read (0,5 s), before the first upload needs them."""
    from etl import pipeline  # noqa: F401
    try:
        import fastexcel  # noqa: F401  (the columnar fast path)
        import pyarrow.compute  # noqa: F401
    except ImportError:
        pass


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: end the worker once the app process is gone, also after a kill -9
    (a graceful stop of Streamlit shuts the pool down itself)."""
    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _submit(fn, *args):
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_exit_with_parent, initargs=(os.getpid(),))
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = _NEUTRAL_MAIN
        try:
            return _POOL.submit(fn, *args)
        finally:
            sys.modules["__main__"] = main


def warm_up() -> None:
    """Start the worker (and its imports) in the background, e.g. when the upload page opens."""
    if _POOL is not None:
        return
    try:
        _submit(_warm_imports)
    except Exception:
        log.warning("Kon het werkproces voor uploads niet starten", exc_info=True)


def read_file(content: bytes, name: str, kind: str | None = None):
    """pipeline.read_file: in the worker process for a file of ISOLATE_MIN_BYTES or more,
    otherwise here. The limits are read here, so both give the same answer. If the worker
    cannot be used, it reads here after all (and logs why)."""
    from etl import pipeline
    from etl.workbook import Limits
    limits = Limits.from_env()
    if len(content) >= ISOLATE_MIN_BYTES:
        global _POOL
        try:
            return _submit(_read_in_worker, content, name, kind, limits).result()
        except (BrokenProcessPool, OSError, pickle.PickleError):
            log.warning("Werkproces voor uploads niet bruikbaar; het bestand wordt in de app gelezen",
                        exc_info=True)
            with _POOL_LOCK:
                _POOL = None
    return pipeline.read_file(content, name, kind, limits)
