"""The organisation's frames narrowed for a view: one cluster, a search. Pure functions
(no Streamlit), used through data.get so a large organisation's subsets are computed once
per data version."""
from __future__ import annotations

import pandas as pd

# Above this many eenheden a chart per eenheid is unreadable: views start at cluster level
# and zoom into one cluster (the demo's 11 eenheden stay one chart).
MAX_EENHEDEN_IN_CHART = 40
# Above this many coaches the span chart shows the largest spans (and every coach above the
# norm), with "toon alle" for the rest.
MAX_COACHES_IN_CHART = 40
# A line chart of spans over time is readable with about a dozen lines (the demo has 11).
MAX_COACHES_IN_VERLOOP = 12


def in_cluster(df: pd.DataFrame, cluster: str | None) -> pd.DataFrame:
    """Rows of one cluster (None: all)."""
    return df if cluster is None else df[df["cluster"] == cluster]


def zoek(df: pd.DataFrame, tekst: str | None, columns: tuple[str, ...]) -> pd.DataFrame:
    """Rows where any of `columns` contains `tekst` (case-insensitive); all rows without a text."""
    tekst = (tekst or "").strip().casefold()
    if not tekst:
        return df
    mask = pd.Series(False, index=df.index)
    for col in columns:
        mask |= df[col].astype(str).str.casefold().str.contains(tekst, regex=False)
    return df[mask]


def grootste_spans(span: pd.DataFrame, n: int, norm: float) -> pd.DataFrame:
    """Every coach above the norm, then the largest other spans, up to n rows (at least all
    above the norm)."""
    boven = span[span["fte"] > norm]
    rest = span[span["fte"] <= norm].sort_values("fte", ascending=False).head(max(0, n - len(boven)))
    return pd.concat([boven, rest])


def span_met_norm(span: pd.DataFrame, norm: float) -> pd.DataFrame:
    """span_per_coach judged against `norm` (the page's norm may differ from the stored one)."""
    return span.assign(boven_norm=span["fte"] > norm, norm_fte=norm)


ZONDER_CLUSTER = "Niet in de formatie"


def stromen_per(flow: pd.DataFrame, cluster: str | None, per_cluster: bool) -> pd.DataFrame:
    """The was/wordt flows (queries.stromen) at the level a reader can take in: per new
    cluster (`per_cluster`, a large organisation's first view), or per new eenheid, all of
    them or those of one cluster. Columns van, naar, plaatsingen, fte."""
    f = flow.assign(cluster=flow["cluster"].fillna(ZONDER_CLUSTER))
    if cluster is not None:
        f = f[f["cluster"] == cluster]
    if not per_cluster:
        return f[["van", "naar", "plaatsingen", "fte"]].reset_index(drop=True)
    out = f.groupby(["van", "cluster"], as_index=False, sort=False)[["plaatsingen", "fte"]].sum()
    return out.rename(columns={"cluster": "naar"}).assign(fte=lambda d: d["fte"].round(4))


def stromen_matrix(flow: pd.DataFrame, maat: str) -> pd.DataFrame:
    """`stromen_per`'s flows as a van × naar table with totals (the matrix behind the diagram)."""
    matrix = flow.pivot_table(index="van", columns="naar", values=maat, aggfunc="sum", fill_value=0)
    matrix["Totaal"] = matrix.sum(axis=1)
    matrix.loc["Totaal"] = matrix.sum(axis=0)
    return matrix.reset_index()


def verloop_totaal(per: pd.DataFrame) -> pd.DataFrame:
    """queries.organisatie_verloop summed over the eenheden: one row per peildatum."""
    tot = per.groupby(["peildatum", "organisatie_versie", "wasword_versie"], as_index=False)[
        ["formatie_fte", "bezetting_fte", "vacature_fte", "personen"]].sum()
    return tot.assign(**{c: tot[c].round(4) for c in ("formatie_fte", "bezetting_fte", "vacature_fte")})


def span_verloop_selectie(span: pd.DataFrame, norm: float, n: int = MAX_COACHES_IN_VERLOOP,
                          extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """The coaches worth a line in the span-over-time chart (queries.span_verloop): all of them
    when there are at most `n`; else those above `norm` at any peildatum (highest first), then
    the largest spans at the latest peildatum, up to `n` (at least all above the norm), plus
    the coaches in `extra` (the reader's own choice)."""
    coaches = span["coach"].unique()
    if len(coaches) <= n:
        return span
    hoogste = span.groupby("coach")["fte"].max()
    boven = hoogste[hoogste > norm].sort_values(ascending=False).index.tolist()
    laatste = span[span["peildatum"] == span["peildatum"].max()].sort_values("fte", ascending=False)
    rest = [c for c in laatste["coach"] if c not in set(boven)][:max(0, n - len(boven))]
    keep = set(boven) | set(rest) | set(extra)
    return span[span["coach"].isin(keep)].reset_index(drop=True)


def span_verloop_breed(span: pd.DataFrame) -> pd.DataFrame:
    """queries.span_verloop as one row per coach and a column per peildatum (fte)."""
    return span.pivot_table(index="coach", columns="peildatum", values="fte").reset_index()


def verloop_van_eenheid(per: pd.DataFrame, eenheid: str) -> pd.DataFrame:
    """queries.organisatie_verloop of one eenheid."""
    return per.loc[per["eenheid"] == eenheid, ["peildatum", "formatie_fte", "bezetting_fte", "vacature_fte", "personen"]]


def namen(df: pd.DataFrame, column: str) -> list[str]:
    """The distinct names in a column (eenheden, coaches), alphabetical regardless of case."""
    return sorted(df[column].unique(), key=str.lower)


def span_tabel(tabel: pd.DataFrame, zoekterm: str | None) -> pd.DataFrame:
    """The span page's table: span_met_norm narrowed by a search, boven_norm as ja/nee."""
    d = zoek(tabel, zoekterm, ("coach", "eenheden"))
    return d[["coach", "eenheden", "fte", "personen", "boven_norm"]].assign(
        boven_norm=d["boven_norm"].map({True: "ja", False: "nee"}))


def eenheden_tabel(eenheden: pd.DataFrame, zoekterm: str | None) -> pd.DataFrame:
    """The formatie page's table of eenheden (fte_per_eenheid) narrowed by a search."""
    d = zoek(eenheden, zoekterm, ("eenheid", "cluster"))
    return d[["cluster", "eenheid", "formatie_fte", "bezetting_fte", "vacature_fte", "personen", "open_plaatsen"]]

