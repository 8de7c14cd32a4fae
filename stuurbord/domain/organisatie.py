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
