"""What a new file changes against the current version of its kind, and what two stored
versions differ in: pure functions on DataFrames (old side from stored versions, new side
from a pipeline.Prepared's built tables). The upload page's preview, the versions page's
comparison and the Formatie page's version comparison all use them."""
from __future__ import annotations

import pandas as pd

from ..data import queries

EPS = 0.00005


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
    "organisatie": {"eenheden": ("org_eenheid", ["cluster", "eenheid", "formatie_fte"], queries.org_eenheden)},
    "wasword": {"plaatsingen": ("ww_plaatsing", WW_COLUMNS, queries.ww_plaatsingen)},
    "kpi": {"normen": ("kpi_norm", ["code"], queries.kpi_norm_versie),
            "scores": ("kpi_score", ["code", "periode", "waarde"], queries.kpi_score_versie)},
    "opgaven": {"opgaven": ("opg_opgave", ["opgave", "fase"], queries.opg_opgave_versie)},
}


def stored_frames(con, kind: str, version: int | None = None) -> dict[str, pd.DataFrame]:
    """The frames of a stored version (None = current; con None = empty store)."""
    return {name: (query(con, version) if con is not None else pd.DataFrame(columns=columns))[columns]
            for name, (_, columns, query) in FRAMES[kind].items()}


def built_frames(built, kind: str) -> dict[str, pd.DataFrame]:
    """The frames of a prepared (not yet written) load."""
    return {name: frame(built, table, columns) for name, (table, columns, _) in FRAMES[kind].items()}


def version_diff(con, kind: str, old: int, new: int) -> dict:
    """What changed between two stored versions of a kind (a query: data.get caches it per pair)."""
    return diff(kind, stored_frames(con, kind, old), stored_frames(con, kind, new))


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
