"""Every chart of the app: functions that take DataFrames and return a Plotly
figure (one exception: the KPI tile sparkline is a Vega-Lite spec, for speed).
No Streamlit here, so charts are testable and reusable by exports.

Numbers in hover texts are pre-formatted with stuurbord.ui.fmt (one way to format
Dutch numbers); axes use `separators=",."` via fmt.apply_dutch_layout.

Text from the data (names of eenheden, coaches, opgaven, milestones, notes) goes through
stuurbord.ui.safe: Plotly renders a subset of HTML (<a href>, <b>, entities) and $…$ in
every label. Categories are shortened to LABEL characters (`safe.labels`), so a long
name cannot squeeze the plot; the hover box has the full name (`safe.hover`).
"""
from __future__ import annotations

import html

import re

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from . import fmt, palet, safe

# the Okabe-Ito palette (stuurbord/ui/palet.py) under the names the charts use
BLUE = palet.BLAUW
LIGHT = palet.HEMELBLAUW
GREEN = palet.GROEN
ORANGE = palet.ORANJE
RED = palet.ROOD
GREY = palet.GRIJS
# a legend above the plot, in the top margin the figure reserves for it: never over the data
LEGEND_TOP = dict(orientation="h", yref="container", y=1, yanchor="top", x=0)
LABEL = 60  # characters of a category label on an axis (the hover box has the full name)
LABEL_TIJDLIJN = 28  # both levels of a milestone timeline, whose dates need the width
LABEL_OUTER = 40  # the outer level of a two-level axis (cluster, opgave, portefeuillehouder)


def _finish(fig: go.Figure, height: int = 420, **layout) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), legend_title_text="", **layout)
    return fmt.apply_dutch_layout(fig)


def _wrap(text, width: int = 16, escaped: bool = False) -> str:
    """A label over lines of about `width` characters (Plotly markup; data text escaped), so a
    long name fits a narrow tile instead of shrinking to an unreadable size."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(x if escaped else safe.plotly(x) for x in lines + [line])


def treemap(df: pd.DataFrame, clusters_only: bool = False) -> go.Figure:
    """Cluster → eenheid, size = formatie, colour = bezettingsgraad (bezetting / formatie).
    clusters_only: one tile per cluster (a large organisation: hundreds of eenheden would be
    unreadable tiles; the page offers a cluster to zoom into)."""
    d = df.copy()
    d["graad"] = (d["bezetting_fte"] / d["formatie_fte"]).where(d["formatie_fte"] > 0)
    clusters = d.groupby("cluster", as_index=False)[["formatie_fte", "bezetting_fte"]].sum()
    clusters["graad"] = clusters["bezetting_fte"] / clusters["formatie_fte"]
    if clusters_only:
        d = d.iloc[0:0]
    ids = [safe.plotly(x) for x in list(clusters["cluster"]) + [f"{c}/{e}" for c, e in zip(d["cluster"], d["eenheid"])]]
    names = list(clusters["cluster"]) + list(d["eenheid"])
    labels = [_wrap(safe.kort(x, 60)) for x in names]
    parents = [""] * len(clusters) + [safe.plotly(x) for x in d["cluster"]]
    values = list(clusters["formatie_fte"]) + list(d["formatie_fte"])
    graad = list(clusters["graad"]) + list(d["graad"])
    bezet = list(clusters["bezetting_fte"]) + list(d["bezetting_fte"])
    hover = [f"<b>{safe.hover(n)}</b><br>Formatie {fmt.fte(f)} fte<br>Bezetting {fmt.fte(b)} fte<br>"
             f"Bezettingsgraad {fmt.pct(g)}" for n, f, b, g in zip(names, values, bezet, graad)]
    # 80 % and below vermillion, 100 % bluish green, over-staffing (120 % and more) blue: full and
    # over-staffing differ in hue, not only in shade; every tile states its percentage too.
    # Colours are computed here, not by a colorscale on the tiles: with a colorscale Plotly ignores
    # root_color and paints the background dark (cluster level); the scale is an empty trace's colorbar.
    scale = [[0, RED], [0.25, ORANGE], [0.5, GREEN], [1, BLUE]]
    lo, hi = 0.8, 1.2
    pos = [min(max((g - lo) / (hi - lo), 0), 1) if not fmt.is_missing(g) else None for g in graad]
    colours = [GREY if p is None else sample_colorscale(scale, [p])[0] for p in pos]
    fig = go.Figure(go.Treemap(
        ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
        marker=dict(colors=colours), text=[fmt.pct(g) for g in graad],
        customdata=hover, hovertemplate="%{customdata}<extra></extra>",
        texttemplate="<b>%{label}</b><br>%{text}", textfont_size=13, root_color="white",
        tiling=dict(pad=2)))
    fig.add_scatter(x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip", marker=dict(
        colorscale=scale, cmin=lo, cmax=hi, color=[lo], showscale=True,
        colorbar=dict(title="Bezettings-<br>graad", tickvals=[0.8, 0.9, 1.0, 1.1, 1.2],
                      ticktext=[f"≤ {fmt.pct(0.8, 0)}", fmt.pct(0.9, 0), f"{fmt.pct(1, 0)} bezet", fmt.pct(1.1, 0),
                                f"≥ {fmt.pct(1.2, 0)} (over)"])))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    # a label that would have to shrink below 10 px is left out (the hover and the table have it)
    fig.update_layout(uniformtext=dict(minsize=10, mode="hide"), meta={"alt": treemap_tekst(clusters, d)})
    return _finish(fig, 460)


def treemap_tekst(clusters: pd.DataFrame, eenheden: pd.DataFrame) -> str:
    """The treemap's message in a sentence: how many tiles, the lowest and highest bezettingsgraad."""
    per_eenheid = len(eenheden) > 0
    enk, mv = ("eenheid", "eenheden") if per_eenheid else ("cluster", "clusters")
    d = (eenheden if per_eenheid else clusters).dropna(subset=["graad"])
    if d.empty:
        return "Geen formatie om te tonen."
    naam = d["eenheid"] if per_eenheid else d["cluster"]
    lo, hi = d["graad"].idxmin(), d["graad"].idxmax()
    over = int((d["graad"] > 1).sum())
    return (f"{fmt.aantal_tekst(len(d), enk, mv)}; de grootte is de formatie, de kleur de bezettingsgraad. "
            f"Laagste: {safe.plotly(safe.kort(naam[lo], LABEL))} ({fmt.pct(d['graad'][lo])}); hoogste: "
            f"{safe.plotly(safe.kort(naam[hi], LABEL))} ({fmt.pct(d['graad'][hi])}). "
            + (f"{fmt.aantal_tekst(over, enk, mv)} boven {fmt.pct(1, 0)} (overbezet)." if over
               else "Geen overbezetting."))


def _fte_pair(levels: list, series: tuple, x_title: str, rows: int) -> go.Figure:
    """Two fte bars per row (light: reference, dark: actual), horizontal, legend on top.
    `levels`: the row names, one list per axis level (cluster and eenheid: a two-level axis)."""
    fig = go.Figure()
    y = [safe.labels(level, LABEL if n == len(levels) - 1 else LABEL_OUTER) for n, level in enumerate(levels)]
    y = y[0] if len(y) == 1 else y
    full = [" · ".join(safe.tekst(x) for x in names) for names in zip(*levels)]
    for (values, name), colour in zip(series, (LIGHT, BLUE)):
        fig.add_bar(y=y, x=values, name=safe.plotly(name), orientation="h", marker_color=colour,
                    customdata=[[fmt.fte(x), safe.hover(f)] for x, f in zip(values, full)],
                    hovertemplate="%{customdata[1]}<br>" + safe.plotly(name) + ": %{customdata[0]} fte<extra></extra>")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=x_title)
    a, b = series
    verschil = [(n, float(y) - float(x)) for n, x, y in zip(full, a[0], b[0]) if not (fmt.is_missing(x) or fmt.is_missing(y))]
    groot = max(verschil, key=lambda t: abs(t[1]), default=None)
    alt = (f"{safe.plotly(a[1])} en {safe.plotly(b[1])} van {fmt.aantal_tekst(rows, 'rij', 'rijen')}; totaal "
           f"{fmt.fte(pd.to_numeric(a[0]).sum())} en {fmt.fte(pd.to_numeric(b[0]).sum())} fte."
           + (f" Grootste verschil: {safe.plotly(safe.kort(groot[0], LABEL))} ({fmt.signed(groot[1])} fte)." if groot else ""))
    # the legend sits in a top margin of its own (it covered the first bars at 1024 px)
    return _finish(fig, max(370, 34 * rows + 110), barmode="group", legend=LEGEND_TOP, meta={"alt": alt}
                   ).update_layout(margin_t=60)


def formatie_bezetting(df: pd.DataFrame) -> go.Figure:
    """Formatie vs bezetting per eenheid, grouped by cluster (two-level axis)."""
    return _fte_pair([list(df["cluster"]), list(df["eenheid"])],
                     ((df["formatie_fte"], "Formatie"), (df["bezetting_fte"], "Bezetting")), "fte", len(df))


def formatie_bezetting_clusters(df: pd.DataFrame) -> go.Figure:
    """Formatie vs bezetting per cluster (queries.fte_per_cluster)."""
    return _fte_pair([list(df["cluster"])], ((df["formatie_fte"], "Formatie"), (df["bezetting_fte"], "Bezetting")),
                     "fte", len(df))


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
        names = list(lines["onderdeel"]) + ["Totaal"]
        fig.add_trace(go.Waterfall(
            name=name, x=safe.labels(names, LABEL), y=values, measure=measure,
            text=[fmt.fte(None if v is None else s * v, 4) for s, v in zip(list(signs) + [1], shown)],
            textposition="outside", connector=dict(line=dict(color=GREY, width=1)),
            increasing=dict(marker_color=colour), decreasing=dict(marker_color=RED),
            totals=dict(marker_color=colour), hovertext=[safe.hover(n) for n in names], hoverinfo="text"))
    fig.update_yaxes(title="fte")
    return _finish(fig, 460, waterfallgroupgap=0.3, legend=LEGEND_TOP).update_layout(margin_t=60)


def span(df: pd.DataFrame, norm: float) -> go.Figure:
    """Fte led per coach against the norm line; coaches above the norm in red."""
    d = df.sort_values("fte")
    colours = [RED if b else BLUE for b in d["boven_norm"]]
    fig = go.Figure(go.Bar(
        y=safe.labels(d["coach"], LABEL), x=d["fte"], orientation="h", marker_color=colours,
        text=[f"{fmt.fte(f)} fte" for f in d["fte"]], textposition="outside",
        customdata=[[safe.hover(e), fmt.getal(p, 1), safe.hover(c)]
                    for e, p, c in zip(d["eenheden"], d["personen"], d["coach"])],
        hovertemplate="<b>%{customdata[2]}</b><br>%{customdata[0]}<br>%{x:,.2f} fte · %{customdata[1]} personen"
                      "<extra></extra>"))
    fig.add_vline(x=norm, line_dash="dash", line_color=RED,
                  annotation_text=f"Norm {_norm(norm)} fte",
                  annotation_position="top")
    fig.update_xaxes(title="fte (aandeel × bezetting)", range=[0, max(norm, d["fte"].max()) * 1.18])
    return _finish(fig, max(320, 36 * len(d) + 90), showlegend=False, meta={"alt": span_tekst(d, norm)})


def _norm(norm: float) -> str:
    """The span norm as written: "22", or "22,50" when it has decimals."""
    return fmt.fte(norm, 0 if float(norm).is_integer() else 2)


def span_tekst(d: pd.DataFrame, norm: float) -> str:
    """The span chart's message: how many coaches, who is above the norm, the largest span
    (figures hidden for the raad are left out of it as they are of the chart)."""
    fte = pd.to_numeric(d["fte"], errors="coerce")
    if not fte.notna().any():
        return f"{fmt.aantal_tekst(len(d), 'coach/coördinator', 'coach/coördinatoren')}."
    boven = d.assign(fte=fte)[fte > norm].sort_values("fte", ascending=False)
    top = d.loc[fte.idxmax()]
    namen = ", ".join(f"{safe.plotly(r.coach)} ({fmt.fte(r.fte)} fte)" for r in boven.head(5).itertuples())
    return (f"{fmt.aantal_tekst(len(d), 'coach/coördinator', 'coach/coördinatoren')}; "
            + (f"{fmt.getal(len(boven))} boven de norm van {_norm(norm)} fte: {namen}"
               + (" en anderen" if len(boven) > 5 else "") + "." if len(boven) else
               f"niemand boven de norm van {_norm(norm)} fte; de grootste span is {fmt.fte(fte.max())} fte "
               f"({safe.plotly(top['coach'])})."))


def bars(df: pd.DataFrame, x: str, y: str, title: str, colour: str = BLUE, x_title: str = "") -> go.Figure:
    """A simple bar chart (schaal distribution, plaatsingsvormen)."""
    fig = go.Figure(go.Bar(x=safe.labels(df[x], LABEL), y=df[y], marker_color=colour,
                           text=[fmt.getal(v) for v in df[y]], textposition="outside"))
    fig.update_xaxes(title=x_title, type="category")
    fig.update_yaxes(title=title)
    return _finish(fig, 300, showlegend=False)


def compare(df: pd.DataFrame, old_label: str, new_label: str) -> go.Figure:
    """Bezetting per eenheid in two was/wordt versions."""
    return _fte_pair([list(df["eenheid"])], ((df["fte_oud"], old_label), (df["fte_nieuw"], new_label)), "bezetting fte",
                     len(df))


def span_vergelijking(df: pd.DataFrame, norm: float, voor: str, na: str) -> go.Figure:
    """Span per coach before (light) and after (dark, red when above the norm), with the norm
    line: scenario.span_vergelijking output. Coaches in the order of `df`."""
    fig = go.Figure()
    y, names = safe.labels(df["coach"], LABEL), [safe.hover(c) for c in df["coach"]]
    voor, na = safe.plotly(safe.kort(voor, LABEL)), safe.plotly(safe.kort(na, LABEL))  # a scenario's name: data
    fig.add_bar(y=y, x=df["fte_voor"], name=voor, orientation="h", marker_color=LIGHT,
                customdata=[[fmt.fte(x), n] for x, n in zip(df["fte_voor"], names)],
                hovertemplate="%{customdata[1]}<br>" + voor + ": %{customdata[0]} fte<extra></extra>")
    # the bars are red above the norm: the legend gets its own (blue) entry, not the first bar's colour
    fig.add_scatter(x=[None], y=[None], mode="markers", name=na, hoverinfo="skip",
                    marker=dict(symbol="square", size=12, color=BLUE))
    fig.add_bar(y=y, x=df["fte_na"], name=na, orientation="h", showlegend=False,
                marker_color=[RED if b else BLUE for b in df["boven_norm_na"]],
                text=[f"{fmt.fte(x)} fte" for x in df["fte_na"]], textposition="outside", cliponaxis=False,
                customdata=[[fmt.fte(x), n] for x, n in zip(df["fte_na"], names)],
                hovertemplate="%{customdata[1]}<br>" + na + ": %{customdata[0]} fte<extra></extra>")
    fig.add_vline(x=norm, line_dash="dash", line_color=RED,
                  annotation_text=f"Norm {_norm(norm)} fte",
                  annotation_position="top")
    top = max([norm] + list(df["fte_voor"]) + list(df["fte_na"]))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="fte (aandeel × bezetting)", range=[0, top * 1.22])
    boven_voor, boven_na = int(df["boven_norm_voor"].sum()), int(df["boven_norm_na"].sum())
    veranderd = df[df["verschil"].abs() > 0.00005] if "verschil" in df else df.iloc[0:0]
    alt = (f"Span per coach/coördinator in {safe.plotly(voor)} en {safe.plotly(na)}: boven de norm van {_norm(norm)} fte "
           f"{fmt.getal(boven_voor)} en {fmt.getal(boven_na)}; "
           + (f"{fmt.aantal_tekst(len(veranderd), 'span verandert', 'spans veranderen')}: "
              + ", ".join(f"{safe.plotly(r.coach)} {fmt.fte(r.fte_voor)} → {fmt.fte(r.fte_na)} fte"
                          for r in veranderd.head(5).itertuples()) + "." if len(veranderd) else "geen span verandert."))
    return _finish(fig, max(360, 44 * len(df) + 130), barmode="group", legend=LEGEND_TOP,
                   meta={"alt": alt}).update_layout(margin_t=60)


def stromen(flow: pd.DataFrame, waarde: str = "plaatsingen") -> go.Figure:
    """Sankey from old afdeling (left) to new eenheid (right); `flow` has columns van, naar and
    `waarde` (plaatsingen or fte). Node labels carry their total."""
    van = sorted(flow["van"].unique(), key=str.lower)
    naar = sorted(flow["naar"].unique(), key=str.lower)
    links = flow[flow[waarde] > 0]
    tot_van = flow.groupby("van")[waarde].sum()
    tot_naar = flow.groupby("naar")[waarde].sum()
    show = fmt.getal if waarde == "plaatsingen" else fmt.fte
    labels = ([f"{safe.plotly(safe.kort(v, LABEL))} ({show(tot_van[v])})" for v in van]
              + [f"{safe.plotly(safe.kort(n, LABEL))} ({show(tot_naar[n])})" for n in naar])
    index = {("van", v): i for i, v in enumerate(van)} | {("naar", n): len(van) + i for i, n in enumerate(naar)}
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        textfont=dict(size=13, color="#1b2a38"),
        node=dict(label=labels, pad=14, thickness=16, color=[LIGHT] * len(van) + [BLUE] * len(naar),
                  hovertemplate="%{label}<extra></extra>"),
        link=dict(source=[index[("van", v)] for v in links["van"]], target=[index[("naar", n)] for n in links["naar"]],
                  value=list(links[waarde]), color="rgba(31,95,139,0.25)",
                  customdata=[f"{safe.hover(v)} →<br>{safe.hover(n)}: {show(x)}"
                              for v, n, x in zip(links["van"], links["naar"], links[waarde])],
                  hovertemplate="%{customdata}<extra></extra>")))
    return _finish(fig, max(560, 34 * max(len(van), len(naar)) + 120))


def _peildatum_ticks(fig: go.Figure, dates) -> None:
    """One tick per peildatum, labelled the Dutch way (a few points on a date axis would
    otherwise get ticks between them)."""
    dates = sorted(set(pd.to_datetime(pd.Series(list(dates)))))
    fig.update_xaxes(title="peildatum", type="date", tickvals=dates, ticktext=[fmt.datum(d) for d in dates])


def verloop(df: pd.DataFrame) -> go.Figure:
    """Formatie and bezetting of the organisation per peildatum (lines, left axis) and the
    vacatures (bars, right axis, negative = overbezetting)."""
    fig = go.Figure()
    fig.add_bar(x=df["peildatum"], y=df["vacature_fte"], name="Vacatures", marker_color=ORANGE, opacity=0.55,
                yaxis="y2", text=[f"{fmt.fte(v)} fte" for v in df["vacature_fte"]], textposition="outside",
                width=1000 * 3600 * 24 * 4, hovertemplate="Vacatures: %{text}<extra></extra>")
    for col, name, colour, pos in (("formatie_fte", "Formatie", LIGHT, "top center"),
                                   ("bezetting_fte", "Bezetting", BLUE, "bottom center")):
        fig.add_scatter(x=df["peildatum"], y=df[col], name=name, mode="lines+markers+text", line_color=colour,
                        marker=dict(color=colour, size=9), text=[fmt.fte(v) for v in df[col]], textposition=pos,
                        hovertemplate=name + ": %{text} fte<extra></extra>")
    low = min(df["bezetting_fte"].min(), df["formatie_fte"].min())
    high = max(df["bezetting_fte"].max(), df["formatie_fte"].max())
    pad = max((high - low) * 0.6, 1)
    # ",.1~f": 19.500 and 188,5 (Plotly's default SI form, "19,5k", is not Dutch)
    fig.update_layout(yaxis=dict(title="fte (formatie, bezetting)", range=[low - pad, high + pad], tickformat=",.1~f"),
                      yaxis2=dict(title="vacatures (fte)", overlaying="y", side="right", showgrid=False,
                                  rangemode="tozero", tickmode="auto", nticks=5, tickformat=".1f"))
    _peildatum_ticks(fig, df["peildatum"])
    eerste, laatste = df.iloc[0], df.iloc[-1]
    alt = (f"Formatie, bezetting en vacatures op {fmt.aantal_tekst(len(df), 'peildatum', 'peildata')}: van "
           f"{fmt.datum(eerste['peildatum'])} tot {fmt.datum(laatste['peildatum'])} ging de bezetting van "
           f"{fmt.fte(eerste['bezetting_fte'])} naar {fmt.fte(laatste['bezetting_fte'])} fte bij een formatie van "
           f"{fmt.fte(laatste['formatie_fte'])} fte; vacatures nu {fmt.fte(laatste['vacature_fte'])} fte.") if len(df) else ""
    return _finish(fig, 420, legend=LEGEND_TOP, meta={"alt": alt}).update_layout(margin_t=60)


def span_verloop(df: pd.DataFrame, norm: float) -> go.Figure:
    """Span per coach per peildatum (one line per coach) with the norm line."""
    fig = go.Figure()
    for coach, d in df.groupby("coach", sort=True):
        name = safe.plotly(safe.kort(coach, LABEL))  # in the legend and the hover template: escaped (% too)
        fig.add_scatter(x=d["peildatum"], y=d["fte"], name=name, mode="lines+markers",
                        customdata=[fmt.fte(v) for v in d["fte"]],
                        hovertemplate=name + ": %{customdata} fte<extra></extra>")
    fig.add_hline(y=norm, line_dash="dash", line_color=RED,
                  annotation_text=f"Norm {_norm(norm)} fte",
                  annotation_position="top left")
    fig.update_yaxes(title="fte per coach/coördinator", rangemode="tozero")
    _peildatum_ticks(fig, df["peildatum"])
    laatste = df[df["peildatum"] == df["peildatum"].max()] if len(df) else df
    boven = laatste[laatste["fte"] > norm]
    alt = (f"Span van {fmt.aantal_tekst(df['coach'].nunique(), 'coach/coördinator', 'coach/coördinatoren')} per "
           f"peildatum; op de laatste peildatum {fmt.getal(len(boven))} boven de norm van {_norm(norm)} fte"
           + (": " + ", ".join(f"{safe.plotly(r.coach)} ({fmt.fte(r.fte)} fte)" for r in boven.head(5).itertuples())
              if len(boven) else "") + ".")
    return _finish(fig, 460, meta={"alt": alt})


# --- opgaven ------------------------------------------------------------------------------
# milestone status -> (legend name, colour, marker symbol); symbols differ, so colour is never alone
MIJLPAAL_STIJL = {
    "te laat": ("Te laat (nog open)", RED, "x"),
    "gepland": ("Gepland", BLUE, "diamond-open"),
    "te laat gehaald": ("Te laat gehaald", ORANGE, "circle"),
    "gehaald": ("Op tijd gehaald", GREEN, "circle"),
}
# fase -> (colour, bar pattern): neighbouring phases differ in hue and in pattern, and the bar is
# labelled with its fase, so no reader has to tell them apart by colour
FASE_STIJL = {"verkenning": (palet.HEMELBLAUW, "."), "ontwerp": (palet.GEEL, "/"),
              "besluitvorming": (palet.ORANJE, "x"), "uitvoering": (palet.BLAUW, ""),
              "evaluatie": (palet.GROEN, "\\"), "afgesloten": (palet.GRIJS, "-")}
_DAG_MS = 24 * 3600 * 1000


def _ts(x) -> pd.Timestamp:
    return pd.Timestamp(x)


def _peildatum_line(fig: go.Figure, peildatum) -> None:
    """A dashed vertical line at the peildatum with a Dutch label (shape + annotation:
    add_vline's annotation does not work on date axes)."""
    x = _ts(peildatum).strftime("%Y-%m-%d")
    fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line=dict(color=RED, dash="dash", width=2))
    fig.add_annotation(x=x, y=1, yref="paper", yanchor="bottom", showarrow=False,
                       text=f"<b>Peildatum {fmt.datum(peildatum)}</b>", font=dict(color=RED, size=13))


def _mijlpaal_markers(fig: go.Figure, ms: pd.DataFrame, y, peildatum) -> None:
    """Delay segments (gepland → gerealiseerd, or → peildatum when still open) and one
    marker trace per status at the milestone's date (realised, else planned)."""
    late = ms["status"].isin(["te laat", "te laat gehaald"])
    if late.any():
        d = ms[late]
        ends = [_ts(r) if s == "te laat gehaald" else _ts(peildatum) for r, s in zip(d["gerealiseerd"], d["status"])]
        fig.add_bar(y=[list(level[late.to_numpy()]) for level in y] if isinstance(y, list) else y[late],
                    base=[_ts(g).strftime("%Y-%m-%d") for g in d["gepland"]],
                    x=[(e - _ts(g)).days * _DAG_MS for e, g in zip(ends, d["gepland"])], orientation="h",
                    marker_color=[RED if s == "te laat" else ORANGE for s in d["status"]], opacity=0.35,
                    width=0.5, name="Vertraging", showlegend=True, hoverinfo="skip")
    for status, (name, colour, symbol) in MIJLPAAL_STIJL.items():
        mask = (ms["status"] == status).to_numpy()
        if not mask.any():
            continue
        d = ms[mask]
        when = [_ts(r if status in ("gehaald", "te laat gehaald") else g)
                for g, r in zip(d["gepland"], d["gerealiseerd"])]
        hover = [f"<b>{safe.hover(m)}</b><br>{safe.hover(o)}<br>Gepland: {fmt.datum(g)}<br>Gehaald: {fmt.datum(r)}"
                 + (f"<br>{fmt.aantal_tekst(n, 'dag', 'dagen')} te laat" if n else "")
                 for m, o, g, r, n in zip(d["mijlpaal"], d["opgave"], d["gepland"], d["gerealiseerd"],
                                          d["dagen_te_laat"])]
        fig.add_scatter(y=[list(level[mask]) for level in y] if isinstance(y, list) else y[mask], x=when,
                        mode="markers", name=name,
                        marker=dict(color=colour, symbol=symbol, size=15 if status == "te laat" else 12,
                                    line=dict(width=2, color=colour)),
                        customdata=hover, hovertemplate="%{customdata}<extra></extra>")


def _finish_timeline(fig: go.Figure, height: int) -> go.Figure:
    """Date x axis, two-level y axis top to bottom in the given order, legend above."""
    fig.update_yaxes(autorange="reversed", type="multicategory", tickfont_size=13)
    fig.update_xaxes(type="date", showgrid=True)
    return _finish(fig, height, barmode="overlay",
                   legend=dict(orientation="h", yref="container", y=1, yanchor="top", x=0, font_size=14)
                   ).update_layout(margin_t=110)


def mijlpalen_gantt(ms: pd.DataFrame, peildatum) -> go.Figure:
    """Every milestone on one row, grouped by opgave; late ones marked with a cross and a
    shaded delay bar up to the peildatum (or to the date it was reached)."""
    import numpy as np
    # labels over lines of LABEL_TIJDLIJN characters, so the dates keep most of the chart's width
    y = [np.array([_wrap(safe.kort(x, LABEL_OUTER), LABEL_TIJDLIJN) for x in ms["opgave"]], dtype=object),
         np.array([_wrap(safe.kort(x, LABEL), LABEL_TIJDLIJN) for x in ms["mijlpaal"]], dtype=object)]
    fig = go.Figure()
    # an invisible first trace fixes the row order (a multicategory axis orders by first appearance)
    fig.add_scatter(y=[list(level) for level in y], x=[_ts(g) for g in ms["gepland"]], mode="markers",
                    marker_opacity=0, showlegend=False, hoverinfo="skip")
    _mijlpaal_markers(fig, ms, y, peildatum)
    _peildatum_line(fig, peildatum)
    lines = max([str(x).count("<br>") + 1 for x in list(y[0]) + list(y[1])] or [1])
    return _finish_timeline(fig, max(380, (22 + 16 * lines) * len(ms) + 130))


def lange_termijn_agenda(voortgang: pd.DataFrame, ms: pd.DataFrame, peildatum) -> go.Figure:
    """Opgaven (start → einde gepland, coloured by fase) with their milestones, grouped per
    portefeuillehouder."""
    import numpy as np
    v = voortgang.assign(ph=voortgang["portefeuillehouder"].fillna("Geen portefeuillehouder"))
    v = v.sort_values(["ph", "start"], kind="stable")
    ph_label, og_label = safe.label_map(v["ph"], LABEL_OUTER), safe.label_map(v["opgave"], LABEL)
    # over lines, so the years keep the width (at 1024 px the names took two thirds of it)
    ph_label = {k: _wrap(x, LABEL_TIJDLIJN, escaped=True) for k, x in ph_label.items()}
    og_label = {k: _wrap(x, LABEL_TIJDLIJN, escaped=True) for k, x in og_label.items()}
    fig = go.Figure()
    # an invisible first trace fixes the row order (a multicategory axis orders by first appearance)
    fig.add_scatter(y=[[ph_label[x] for x in v["ph"]], [og_label[x] for x in v["opgave"]]],
                    x=[_ts(x) if pd.notna(x) else _ts(peildatum) for x in v["start"]],
                    mode="markers", marker_opacity=0, showlegend=False, hoverinfo="skip")
    for fase, (colour, pattern) in FASE_STIJL.items():
        d = v[(v["fase"] == fase) & v["start"].notna() & v["einde_gepland"].notna()]
        if d.empty:
            continue
        fig.add_bar(y=[[ph_label[x] for x in d["ph"]], [og_label[x] for x in d["opgave"]]],
                    base=[_ts(s).strftime("%Y-%m-%d") for s in d["start"]],
                    x=[(_ts(e) - _ts(s)).days * _DAG_MS for s, e in zip(d["start"], d["einde_gepland"])],
                    orientation="h", name=fase.capitalize(), marker_color=colour, width=0.6,
                    marker_pattern=dict(shape=pattern, fillmode="overlay", fgcolor="#333333", fgopacity=0.5,
                                        solidity=0.2),
                    text=[fase] * len(d), textposition="inside", insidetextanchor="start",
                    textfont=dict(color="#000000" if colour != BLUE else "#ffffff", size=12),
                    customdata=[f"<b>{safe.hover(o)}</b><br>Fase {fase}, voortgang {fmt.pct(p, 0)}<br>{fmt.datum(s)} tot "
                                f"{fmt.datum(e)}" for o, p, s, e in zip(d["opgave"], d["voortgang"], d["start"],
                                                                         d["einde_gepland"])],
                    hovertemplate="%{customdata}<extra></extra>")
    ph = dict(zip(v["opgave"], v["ph"]))
    m = ms[ms["opgave"].isin(ph)]
    if len(m):
        _mijlpaal_markers(fig, m, [np.array([ph_label[ph[o]] for o in m["opgave"]], dtype=object),
                                   np.array([og_label[o] for o in m["opgave"]], dtype=object)], peildatum)
    _peildatum_line(fig, peildatum)
    lines = max([x.count("<br>") + 1 for x in list(og_label.values()) + list(ph_label.values())] or [1])
    return _finish_timeline(fig, max(380, (26 + 16 * lines) * len(v) + 130))


def budget_besteed(v: pd.DataFrame) -> go.Figure:
    """Budget and spending per opgave; spending above budget in red, use in % as text."""
    d = v[v["budget"].notna() | v["besteed"].notna()]
    y, names = safe.labels(d["opgave"], LABEL), [safe.hover(o) for o in d["opgave"]]
    fig = go.Figure()
    fig.add_bar(y=y, x=d["budget"], name="Budget", orientation="h", marker_color=LIGHT,
                customdata=[[fmt.euro(x), n] for x, n in zip(d["budget"], names)],
                hovertemplate="%{customdata[1]}<br>Budget: %{customdata[0]}<extra></extra>")
    over = (d["besteed"] > d["budget"]).fillna(False)
    from ..domain.opgaven import budget_gebruik, gebruik_tekst
    use = [gebruik_tekst(budget_gebruik(t, b)) for b, t in zip(d["besteed"], d["budget"])]
    fig.add_bar(y=y, x=d["besteed"], name="Besteed", orientation="h",
                marker_color=[RED if o else BLUE for o in over],
                text=[f"{u} besteed" + (" — over budget" if o else "") for u, o in zip(use, over)],
                textposition="outside", cliponaxis=False,
                customdata=[[fmt.euro(x), n] for x, n in zip(d["besteed"], names)],
                hovertemplate="%{customdata[1]}<br>Besteed: %{customdata[0]}<extra></extra>")
    fig.update_yaxes(autorange="reversed", tickfont_size=13)
    top = max(d["budget"].max(skipna=True) or 0, d["besteed"].max(skipna=True) or 0)
    fig.update_xaxes(title="euro", tickprefix="€ ", tickformat=",.0f", range=[0, top * 1.25 if top else 1])
    return _finish(fig, max(360, 52 * len(d) + 100), barmode="group",
                   legend=dict(LEGEND_TOP, font_size=14)).update_layout(margin_t=60)


def capaciteit_eenheden(per_eenheid: pd.DataFrame, grens: float) -> go.Figure:
    """Share of each eenheid's bezetting that running opgaven ask (red beyond `grens`)
    and that is promised; dashed line at the grens."""
    d = per_eenheid[per_eenheid["aandeel_gevraagd"].notna()]
    a_g = d["aandeel_gevraagd"].astype(float).clip(upper=10)
    y = safe.labels(d["eenheid"], LABEL)
    fig = go.Figure()
    fig.add_bar(y=y, x=a_g, name="Gevraagd", orientation="h",
                marker_color=[RED if o else BLUE for o in d["overvraagd"]],
                text=[f"{fmt.pct(a)} ({fmt.fte(g)} van {fmt.fte(b)} fte)" + (" — overvraagd" if o else "")
                      for a, g, b, o in zip(d["aandeel_gevraagd"], d["gevraagd_fte"], d["bezetting_fte"],
                                            d["overvraagd"])],
                textposition="outside", cliponaxis=False, hovertext=[safe.hover(e) for e in d["eenheid"]],
                hoverinfo="text")
    fig.add_bar(y=y, x=d["aandeel_toegezegd"].astype(float).clip(upper=10), name="Toegezegd",
                orientation="h", marker_color=LIGHT,
                text=[f"{fmt.pct(a)} ({fmt.fte(t)} fte)" for a, t in zip(d["aandeel_toegezegd"], d["toegezegd_fte"])],
                textposition="outside", cliponaxis=False, hoverinfo="skip")
    fig.add_vline(x=grens, line_dash="dash", line_color=RED, line_width=2,
                  annotation_text=f"<b>Grens {fmt.pct(grens, 0)}</b>", annotation_position="top",
                  annotation_font_color=RED)
    fig.update_yaxes(autorange="reversed", tickfont_size=13)
    top = max(grens, a_g.max() if len(a_g) else 0)
    fig.update_xaxes(title="aandeel van de bezetting van de eenheid", tickformat=".0%", range=[0, top * 1.6])
    return _finish(fig, max(360, 60 * len(d) + 110), barmode="group",
                   legend=dict(LEGEND_TOP, font_size=14)).update_layout(margin_t=80)


def capaciteit_opgaven(per_opgave: pd.DataFrame) -> go.Figure:
    """Fte asked of and promised by the eenheden, per opgave."""
    fig = go.Figure()
    y = safe.labels(per_opgave["opgave"], LABEL)
    for col, name, colour in (("gevraagd_fte", "Gevraagd", BLUE), ("toegezegd_fte", "Toegezegd", LIGHT)):
        fig.add_bar(y=y, x=per_opgave[col], name=name, orientation="h", marker_color=colour,
                    text=[f"{fmt.fte(x)} fte" for x in per_opgave[col]], textposition="outside",
                    cliponaxis=False, hovertext=[safe.hover(o) for o in per_opgave["opgave"]], hoverinfo="text")
    fig.update_yaxes(autorange="reversed", tickfont_size=13)
    fig.update_xaxes(title="fte", range=[0, per_opgave["gevraagd_fte"].max() * 1.2 if len(per_opgave) else 1])
    return _finish(fig, max(340, 52 * len(per_opgave) + 100), barmode="group",
                   legend=dict(LEGEND_TOP, font_size=14)).update_layout(margin_t=60)


# --- dienstverlening --------------------------------------------------------------------------------
# status -> marker symbol; the symbol differs per status, so colour is never the only cue
KPI_SYMBOOL = {"gehaald": "circle", "net niet gehaald": "diamond", "niet gehaald": "x",
               "niet gemeten": "circle-open", "geen streefwaarde": "circle-open"}


def _kpi_axis(fig: go.Figure, meeteenheid: str | None, values: list, norm, grens, **kw) -> None:
    """Y axis in the unit of the norm, always wide enough to show the norm and its band."""
    pts = [float(v) for v in list(values) + [norm, grens] if not fmt.is_missing(v)]
    if pts:
        lo, hi = min(pts), max(pts)
        pad = (hi - lo) * 0.12 or abs(hi) * 0.05 or 1
        kw["range"] = [lo - pad, hi + pad]
    if meeteenheid == "%":
        kw["tickformat"] = ".0%"
    fig.update_yaxes(**kw)


def _kpi_norm_lines(fig: go.Figure, norm, grens, meeteenheid: str | None, label: bool) -> None:
    from ..domain import kpi
    if fmt.is_missing(norm):
        return
    fig.add_hrect(y0=min(norm, grens), y1=max(norm, grens), fillcolor=ORANGE, opacity=0.10, line_width=0,
                  layer="below")
    fig.add_hline(y=norm, line_dash="dash", line_color=GREEN, line_width=2)
    if label:  # in the right margin, so it never hides a point
        fig.add_annotation(xref="paper", x=1, xanchor="left", xshift=4, y=norm, yanchor="middle", showarrow=False,
                           text=f"<b>Norm<br>{kpi.waarde_tekst(norm, meeteenheid)}</b>", align="left",
                           font=dict(color=GREEN, size=11))


def kpi_sparklines(card: pd.DataFrame) -> dict[str, tuple[pd.DataFrame, dict]]:
    """kpi_sparkline of every scorecard row that has points, by code: built once per data
    version and period through data.get, not per tile per run."""
    from ..domain import kpi
    return {r.code: kpi_sparkline(kpi.spark_frame(r), r.streefwaarde, r.meeteenheid)
            for r in card.itertuples(index=False) if r.spark_waarde}


def kpi_sparkline(df: pd.DataFrame, streefwaarde, meeteenheid: str | None) -> tuple[pd.DataFrame, dict]:
    """A tiny trend for a scorecard tile: the last periods (columns periode_label, waarde,
    status), the norm as a dotted line, each point in its status colour and shape.

    A Vega-Lite spec, not a Plotly figure: a page shows ten of these, and ten
    st.plotly_chart calls cost ~100 ms per script run against ~20 ms for Vega-Lite
    (measured with AppTest). Returns (data, spec) for ui.sparkline."""
    from ..domain import kpi
    d = df.assign(tekst=[f"{p}: {kpi.waarde_tekst(w, meeteenheid)} · {kpi.STATUS_STYLE[s][0].lower()}"
                         for p, w, s in zip(df["periode_label"], df["waarde"], df["status"])])
    statuses = list(kpi.STATUS_STYLE)
    shapes = {"circle": "circle", "diamond": "diamond", "x": "cross", "circle-open": "circle"}
    values = [float(v) for v in list(d["waarde"]) + [streefwaarde] if not fmt.is_missing(v)]
    lo, hi = (min(values), max(values)) if values else (0, 1)
    pad = (hi - lo) * 0.12 or abs(hi) * 0.05 or 1
    x = {"field": "periode_label", "type": "ordinal", "sort": None, "axis": None}
    y = {"field": "waarde", "type": "quantitative", "axis": None, "scale": {"domain": [lo - pad, hi + pad]}}
    layers = [
        {"mark": {"type": "line", "color": LIGHT, "strokeWidth": 2}, "encoding": {"x": x, "y": y}},
        {"mark": {"type": "point", "filled": True, "size": 45},
         "encoding": {"x": x, "y": y, "tooltip": {"field": "tekst", "type": "nominal"},
                      "color": {"field": "status", "type": "nominal", "legend": None,
                                "scale": {"domain": statuses, "range": [kpi.STATUS_STYLE[s][3] for s in statuses]}},
                      "shape": {"field": "status", "type": "nominal", "legend": None,
                                "scale": {"domain": statuses, "range": [shapes[KPI_SYMBOOL[s]] for s in statuses]}}}},
    ]
    if not fmt.is_missing(streefwaarde):
        layers.append({"mark": {"type": "rule", "color": GREEN, "strokeDash": [2, 3]},
                       "encoding": {"y": {"datum": float(streefwaarde), "scale": y["scale"]}}})
    for layer in layers:  # the marks are not announced one by one; the whole sparkline has one name
        layer["mark"]["aria"] = False
    # the svg's accessible name (role graphics-document, aria-label): the tile's trend in words
    spec = {"height": 60, "padding": {"left": 2, "right": 2, "top": 4, "bottom": 4}, "layer": layers,
            "description": sparkline_tekst(d, streefwaarde, meeteenheid),
            "config": {"view": {"stroke": None}}}
    return d[["periode_label", "waarde", "status", "tekst"]], spec


def sparkline_tekst(d: pd.DataFrame, streefwaarde, meeteenheid: str | None) -> str:
    """The sparkline in one sentence: "Verloop van 6 perioden: jan 2022: 81,0 % · gehaald, …; norm 80,0 %"."""
    from ..domain import kpi
    norm = "" if fmt.is_missing(streefwaarde) else f"; norm {kpi.waarde_tekst(streefwaarde, meeteenheid)}"
    return (f"Verloop van {fmt.aantal_tekst(len(d), 'periode', 'perioden')}: " + "; ".join(d["tekst"]) + norm + ".")


def kpi_trend(df: pd.DataFrame, streefwaarde, richting: str, meeteenheid: str | None,
              notes: dict[str, list[str]] | None = None, height: int = 250, large: bool = False) -> go.Figure:
    """One norm over the periods of a grain (df: periode, periode_label, waarde, aantal, status,
    methode): the values as a line, each point coloured *and* shaped by its status, the norm
    as a green dashed line with the oranje band below (above, for "lager") it, and notes as
    labelled markers on their points. `notes`: periode -> note lines."""
    from ..domain import kpi
    notes = notes or {}
    grens = kpi.marge_grens(streefwaarde, richting, meeteenheid)
    fig = go.Figure()
    _kpi_norm_lines(fig, streefwaarde, grens, meeteenheid, label=True)
    fig.add_scatter(x=df["periode_label"], y=df["waarde"], mode="lines", line=dict(color=BLUE, width=2),
                    hoverinfo="skip", showlegend=False)
    for s in kpi.STATUS_ORDER:
        d = df[df["status"] == s]
        if d.empty:
            continue
        label, _, _, colour = kpi.STATUS_STYLE[s]
        hover = [f"<b>{p}</b><br>{kpi.waarde_tekst(w, meeteenheid)} · {label.lower()}"
                 f"<br>Norm {kpi.norm_tekst(streefwaarde, richting, meeteenheid)}"
                 + ("" if fmt.is_missing(n) else f"<br>n = {fmt.getal(n)}")
                 + "".join(f"<br>Notitie: {safe.hover(t)}" for t in notes.get(k, []))
                 for p, w, n, k in zip(d["periode_label"], d["waarde"], d["aantal"], d["periode"])]
        fig.add_scatter(x=d["periode_label"], y=d["waarde"], mode="markers", name=label,
                        marker=dict(color=colour, symbol=KPI_SYMBOOL[s], size=11 if large else 8,
                                    line=dict(width=2, color=colour)),
                        customdata=hover, hovertemplate="%{customdata}<extra></extra>")
    labels = dict(zip(df["periode"], df["periode_label"]))
    values = dict(zip(df["periode"], df["waarde"]))
    for i, (periode, lines) in enumerate(sorted(notes.items())):
        if periode not in labels:
            continue
        short = safe.plotly(safe.kort("; ".join(lines), 70 if large else 34))
        fig.add_annotation(x=labels[periode], y=values[periode], text=f"✎ {short}", showarrow=True, arrowhead=2,
                           arrowcolor="#555", ax=0, ay=-38 if i % 2 == 0 else 38, bgcolor="#fff6d5",
                           bordercolor="#c9a227", borderwidth=1, font=dict(size=12 if large else 11))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=list(df["periode_label"]),
                     tickangle=0, nticks=8 if not large else 13)
    _kpi_axis(fig, meeteenheid, list(df["waarde"]), streefwaarde, grens)
    fig = _finish(fig, height, showlegend=large,
                  legend=dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right"))
    return fig.update_layout(margin=dict(l=10, r=78, t=30 if large else 24, b=10))


def kpi_trend_grid(items: list[dict], cols: int = 2, row_height: int = 230) -> dict:
    """Small multiples of norm trends for print (the raadspakket): many norms in one figure,
    so one render instead of one per norm. `items`: per norm a dict with title (Plotly markup:
    data in it already through safe.plotly), frame (a
    kpi.history slice: periode, periode_label, waarde, status), streefwaarde, richting,
    meeteenheid and notes (periode -> note lines, drawn beside their points).

    Returned as a plain figure dict, which kaleido and Plotly accept as they are: building
    ten go.Figure objects with shapes and annotations costs ~2 s of property validation."""
    from ..domain import kpi
    n = len(items)
    rows = -(-n // cols)
    height = rows * row_height + 70
    height += rows * 20
    gap_x, gap_y = 0.09, 78 / height  # room for the subplot titles (up to three lines)
    w = (1 - gap_x * (cols - 1)) / cols
    h = (1 - gap_y * rows) / rows
    data, shapes, annotations, layout = [], [], [], {}
    for i, it in enumerate(items):
        k = "" if i == 0 else str(i + 1)
        r, c = divmod(i, cols)
        x0 = c * (w + gap_x)
        top = 1 - gap_y - r * (h + gap_y)
        df, norm, unit = it["frame"], it["streefwaarde"], it["meeteenheid"]
        labels, values = list(df["periode_label"]), [None if fmt.is_missing(v) else float(v) for v in df["waarde"]]
        grens = kpi.marge_grens(norm, it["richting"], unit)
        pts = [v for v in values + [norm, grens] if not fmt.is_missing(v)]
        lo, hi = (min(pts), max(pts)) if pts else (0, 1)
        pad = (hi - lo) * 0.15 or abs(hi) * 0.05 or 1
        layout[f"xaxis{k}"] = dict(domain=[x0, x0 + w], anchor=f"y{k}", type="category", categoryorder="array",
                                   categoryarray=labels, tickangle=0, nticks=6, tickfont=dict(size=9))
        layout[f"yaxis{k}"] = dict(domain=[top - h, top], anchor=f"x{k}", range=[lo - pad, hi + pad],
                                   tickfont=dict(size=9), tickformat=".0%" if unit == "%" else None,
                                   separatethousands=True)
        ax = dict(xaxis=f"x{k}", yaxis=f"y{k}")
        data.append(dict(type="scatter", x=labels, y=values, mode="lines", line=dict(color=BLUE, width=1.5),
                         showlegend=False, hoverinfo="skip", **ax))
        data.append(dict(type="scatter", x=labels, y=values, mode="markers", showlegend=False, hoverinfo="skip",
                         marker=dict(size=6, color=[kpi.STATUS_STYLE[s][3] for s in df["status"]],
                                     symbol=[KPI_SYMBOOL[s] for s in df["status"]]), **ax))
        if not fmt.is_missing(norm):
            band = dict(type="rect", xref=f"x{k} domain", x0=0, x1=1, yref=f"y{k}", y0=min(norm, grens),
                        y1=max(norm, grens), fillcolor=ORANGE, opacity=0.12, line=dict(width=0), layer="below")
            line = dict(type="line", xref=f"x{k} domain", x0=0, x1=1, yref=f"y{k}", y0=norm, y1=norm,
                        line=dict(color=GREEN, dash="dash", width=1.5))
            shapes += [band, line]
        annotations.append(dict(xref=f"x{k} domain", x=0, yref=f"y{k} domain", y=1, yanchor="bottom", xanchor="left",
                                showarrow=False, align="left", font=dict(size=10), text=it["title"]))
        where = dict(zip(df["periode"], zip(labels, values)))
        for j, (periode, lines) in enumerate(sorted(it["notes"].items())):
            if periode in where and where[periode][1] is not None:
                annotations.append(dict(
                    xref=f"x{k}", yref=f"y{k}", x=where[periode][0], y=where[periode][1], showarrow=True,
                    arrowhead=2, arrowcolor="#555", ax=0, ay=-28 if j % 2 == 0 else 28, bgcolor="#fff6d5",
                    bordercolor="#c9a227", borderwidth=1, font=dict(size=9),
                    text="✎ " + safe.plotly(safe.kort("; ".join(lines), 40))))
    for s in (kpi.GEHAALD, kpi.MARGE, kpi.NIET_GEHAALD):  # one legend for all panels
        data.append(dict(type="scatter", x=[None], y=[None], mode="markers", name=kpi.STATUS_STYLE[s][0],
                         marker=dict(size=8, color=kpi.STATUS_STYLE[s][3], symbol=KPI_SYMBOOL[s])))
    layout.update(height=height, shapes=shapes, annotations=annotations, separators=",.",
                  font=dict(family=fmt.FONT_FAMILY), margin=dict(l=10, r=10, t=40, b=10),
                  legend=dict(orientation="h", x=1, xanchor="right", y=1, yanchor="top", yref="container"),
                  showlegend=True)
    return dict(data=data, layout=layout)


# --- text alternatives ------------------------------------------------------------------------------
_FIELD = re.compile(r"%\{([a-z]+)(?:\[(\d+)\])?(?::([^}]*))?\}")
_TAG = re.compile(r"<[^>]+>")


def _point(trace, field: str, i: int, idx, spec):
    """One value of a trace's point for the text table (formatted the Dutch way)."""
    arrays = {"x": trace["x"] if "x" in trace else None, "y": trace["y"] if "y" in trace else None,
              "text": trace["text"] if "text" in trace else None,
              "customdata": trace["customdata"] if "customdata" in trace else None,
              "label": trace["labels"] if "labels" in trace else None,
              "value": trace["values"] if "values" in trace else None,
              "hovertext": trace["hovertext"] if "hovertext" in trace else None}
    a = arrays.get(field)
    if a is None:
        return ""
    if isinstance(a, str):
        v = a
    else:
        try:
            v = a[i]
        except (IndexError, TypeError, KeyError):
            return ""
    if idx is not None:
        try:
            v = v[int(idx)]
        except (IndexError, TypeError, KeyError):
            return ""
    if isinstance(v, (list, tuple)):
        v = " · ".join(str(x) for x in v)
    if isinstance(v, float):
        return fmt.pct(v, 0) if spec and "%" in spec else fmt.getal(v, 2)
    return "" if v is None else str(v)


def _plain(markup: str) -> str:
    """Plotly markup as plain text (entities from safe.plotly back to characters)."""
    import html
    return html.unescape(_TAG.sub(" · ", markup.replace("<br>", " · "))).strip(" ·").replace(" ·  · ", " · ")


def gegevens(fig) -> pd.DataFrame:
    """The figures of a chart as a table, one row per point: the series and its hover text (the
    Dutch, pre-formatted description every chart already gives a point), or else its category and
    value. Traces without a legend name and hover (helpers) are left out. For the "Gegevens van
    deze grafiek" table beside every chart (widgets.chart)."""
    rows = []
    for trace in (fig.data if hasattr(fig, "data") else []):
        template = trace["hovertemplate"] if "hovertemplate" in trace else None
        hoverinfo = trace["hoverinfo"] if "hoverinfo" in trace else None
        if hoverinfo == "skip" or (trace.type == "scatter" and trace.x is not None and all(v is None for v in trace.x)):
            continue
        name = _plain(trace.name or "")
        n = len(trace["labels"]) if "labels" in trace and trace["labels"] is not None else \
            len(trace.x) if "x" in trace and trace.x is not None else 0
        for i in range(n):
            if template and isinstance(template, str):
                text = _FIELD.sub(lambda m: _point(trace, m.group(1), i, m.group(2), m.group(3)),
                                  template.replace("<extra></extra>", ""))
            elif "hovertext" in trace and trace.hovertext is not None:
                text = _point(trace, "hovertext", i, None, None) + " · " + _point(trace, "text", i, None, None)
            else:
                text = " · ".join(x for x in (_point(trace, "x", i, None, None), _point(trace, "y", i, None, None)) if x)
            text = _plain(text)
            if text:
                rows.append({"Reeks": name, "Gegevens": text})
    return pd.DataFrame(rows, columns=["Reeks", "Gegevens"])


def beschrijving(fig) -> str:
    """The chart's message in a sentence: the chart's own (layout.meta["alt"], set by the chart
    functions that know their message), or else which series it shows and how many points."""
    meta = fig.layout.meta if hasattr(fig, "layout") else None
    if isinstance(meta, dict) and meta.get("alt"):
        return html.unescape(meta["alt"])  # data text in it is escaped for Plotly, like every string of a figure
    t = gegevens(fig)
    series = [s for s in dict.fromkeys(t["Reeks"]) if s]
    return (f"Grafiek met {fmt.aantal_tekst(len(t), 'punt', 'punten')}"
            + (f" in de reeksen {', '.join(series)}" if series else "") + "; de cijfers staan in de tabel eronder.")
