"""Every chart of the app: functions that take DataFrames and return a Plotly
figure. No Streamlit here, so charts are testable and reusable by exports.

Numbers in hover texts are pre-formatted with stuurbord.fmt (one way to format
Dutch numbers); axes use `separators=",."` via fmt.apply_dutch_layout.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from . import fmt

BLUE = "#1f5f8b"
LIGHT = "#9cc3dd"
GREEN = "#2e8b57"
ORANGE = "#e08a00"
RED = "#c0392b"
GREY = "#9aa5ae"


def _finish(fig: go.Figure, height: int = 420, **layout) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), legend_title_text="", **layout)
    return fmt.apply_dutch_layout(fig)


def treemap(df: pd.DataFrame) -> go.Figure:
    """Cluster → eenheid, size = formatie, colour = bezettingsgraad (bezetting / formatie)."""
    d = df.copy()
    d["graad"] = (d["bezetting_fte"] / d["formatie_fte"]).where(d["formatie_fte"] > 0)
    clusters = d.groupby("cluster", as_index=False)[["formatie_fte", "bezetting_fte"]].sum()
    clusters["graad"] = clusters["bezetting_fte"] / clusters["formatie_fte"]
    ids = list(clusters["cluster"]) + [f"{c}/{e}" for c, e in zip(d["cluster"], d["eenheid"])]
    labels = list(clusters["cluster"]) + list(d["eenheid"])
    parents = [""] * len(clusters) + list(d["cluster"])
    values = list(clusters["formatie_fte"]) + list(d["formatie_fte"])
    graad = list(clusters["graad"]) + list(d["graad"])
    bezet = list(clusters["bezetting_fte"]) + list(d["bezetting_fte"])
    hover = [f"Formatie {fmt.fte(f)} fte<br>Bezetting {fmt.fte(b)} fte<br>Bezettingsgraad {fmt.pct(g)}"
             for f, b, g in zip(values, bezet, graad)]
    fig = go.Figure(go.Treemap(
        ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
        marker=dict(colors=graad, colorscale=[[0, RED], [0.5, "#f4d35e"], [1, GREEN]], cmin=0.8, cmax=1.0,
                    colorbar=dict(title="Bezettings-<br>graad", tickformat=".0%")),
        customdata=hover, hovertemplate="<b>%{label}</b><br>%{customdata}<extra></extra>",
        texttemplate="<b>%{label}</b><br>%{value:,.2f} fte", textfont_size=13, root_color="white",
        tiling=dict(pad=2)))
    return _finish(fig, 460)


def formatie_bezetting(df: pd.DataFrame) -> go.Figure:
    """Formatie vs bezetting per eenheid, grouped by cluster (two-level axis)."""
    y = [list(df["cluster"]), list(df["eenheid"])]
    fig = go.Figure()
    for col, name, colour in (("formatie_fte", "Formatie", LIGHT), ("bezetting_fte", "Bezetting", BLUE)):
        fig.add_bar(y=y, x=df[col], name=name, orientation="h", marker_color=colour,
                    customdata=[fmt.fte(x) for x in df[col]],
                    hovertemplate="%{y}<br>" + name + ": %{customdata} fte<extra></extra>")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="fte")
    return _finish(fig, max(380, 34 * len(df) + 80), barmode="group",
                   legend=dict(orientation="h", y=1.06, x=0))


def opbouw_waterfall(df: pd.DataFrame) -> go.Figure:
    """The formation build-up: computed (fte × percentage) beside stated."""
    lines = df[df["onderdeel"] != "Totaal"]
    total = df[df["onderdeel"] == "Totaal"]
    fig = go.Figure()
    for col, name, colour in (("fte_berekend", "Berekend", BLUE), ("fte_opgegeven", "Opgegeven", ORANGE)):
        if lines[col].isna().all():
            continue
        signs = lines["bewerking"].map({"-": -1}).fillna(1)
        values = list(lines[col].fillna(0) * signs) + [None]
        measure = ["absolute" if b == "basis" else "relative" for b in lines["bewerking"]] + ["total"]
        shown = list(lines[col]) + list(total[col])
        fig.add_trace(go.Waterfall(
            name=name, x=list(lines["onderdeel"]) + ["Totaal"], y=values, measure=measure,
            text=[fmt.fte(None if v is None else s * v, 4) for s, v in zip(list(signs) + [1], shown)],
            textposition="outside", connector=dict(line=dict(color=GREY, width=1)),
            increasing=dict(marker_color=colour), decreasing=dict(marker_color=RED),
            totals=dict(marker_color=colour), hoverinfo="skip"))
    fig.update_yaxes(title="fte")
    return _finish(fig, 440, waterfallgroupgap=0.3, legend=dict(orientation="h", y=1.08, x=0))


def span(df: pd.DataFrame, norm: float) -> go.Figure:
    """Fte led per coach against the norm line; coaches above the norm in red."""
    d = df.sort_values("fte")
    colours = [RED if b else BLUE for b in d["boven_norm"]]
    fig = go.Figure(go.Bar(
        y=d["coach"], x=d["fte"], orientation="h", marker_color=colours,
        text=[f"{fmt.fte(f)} fte" for f in d["fte"]], textposition="outside",
        customdata=[[e, fmt.getal(p, 1)] for e, p in zip(d["eenheden"], d["personen"])],
        hovertemplate="<b>%{y}</b><br>%{customdata[0]}<br>%{x:,.2f} fte · %{customdata[1]} personen"
                      "<extra></extra>"))
    fig.add_vline(x=norm, line_dash="dash", line_color=RED,
                  annotation_text=f"Norm {fmt.fte(norm, 0 if float(norm).is_integer() else 2)} fte",
                  annotation_position="top")
    fig.update_xaxes(title="fte (aandeel × bezetting)", range=[0, max(norm, d["fte"].max()) * 1.18])
    return _finish(fig, max(320, 36 * len(d) + 90), showlegend=False)


def bars(df: pd.DataFrame, x: str, y: str, title: str, colour: str = BLUE, x_title: str = "") -> go.Figure:
    """A simple bar chart (schaal distribution, plaatsingsvormen)."""
    fig = go.Figure(go.Bar(x=df[x].astype(str), y=df[y], marker_color=colour,
                           text=[fmt.getal(v) for v in df[y]], textposition="outside"))
    fig.update_xaxes(title=x_title, type="category")
    fig.update_yaxes(title=title)
    return _finish(fig, 300, showlegend=False)


def compare(df: pd.DataFrame, old_label: str, new_label: str) -> go.Figure:
    """Bezetting per eenheid in two was/wordt versions."""
    fig = go.Figure()
    for col, name, colour in (("fte_oud", old_label, LIGHT), ("fte_nieuw", new_label, BLUE)):
        fig.add_bar(y=df["eenheid"], x=df[col], name=name, orientation="h", marker_color=colour,
                    customdata=[fmt.fte(x) for x in df[col]],
                    hovertemplate="%{y}<br>" + name + ": %{customdata} fte<extra></extra>")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="bezetting fte")
    return _finish(fig, max(360, 34 * len(df) + 80), barmode="group",
                   legend=dict(orientation="h", y=1.06, x=0))
