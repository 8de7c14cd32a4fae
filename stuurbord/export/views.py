"""What each view exports for the raad: per view a Section with its tables (the
allow-list of columns is the Column list) and its charts, drawn from the *suppressed*
table so a PNG or PDF page never shows what the table hides.

Pure functions of DataFrames (the same query results the pages show), so a page, the
raadspakket and the tests build identical exports.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from ..access import privacy
from ..domain import kpi
from ..domain import opgaven as og
from ..domain.organisatie import MAX_COACHES_IN_CHART, MAX_EENHEDEN_IN_CHART, grootste_spans
from ..ui import charts, fmt, safe
from .table import Column, Table

TOTAAL = "Totaal"
PER_GRID = 6  # norm trends per small-multiples figure (one PDF page)
MAX_TRENDS = 48  # above this many norms the pack charts the missed ones, at most this many (8 pages)


@dataclass
class Figure:
    slug: str
    title: str
    fig: go.Figure
    note: str = ""  # printed under the picture, above the provenance (the meaning of "<5" and "×")


@dataclass
class Section:
    slug: str
    title: str
    kinds: tuple[str, ...]
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    intro: str = ""


def _hide_rows(table_rows: list[dict], hidden_keys, key_of, columns: tuple[str, ...]) -> set:
    return {(i, c) for i, r in enumerate(table_rows) if key_of(r) in hidden_keys for c in columns}


def _marks(table: Table, key: str) -> list[str]:
    """Per row of `table`: the mark of its hidden `key` cell ("<5", "×"), or ""."""
    col = next(c for c in table.columns if c.key == key)
    return [table.mark(i, col) if (i, key) in table.hidden else "" for i in table.rows()]


# --- organisatie -------------------------------------------------------------------------------------
PERSOON_KOLOMMEN = ("bezetting_fte", "vacature_fte", "personen")  # computed from persons; formatie is not
# The one definition of persons and placements, printed under every table that counts either.
PERSONEN_VOETNOOT = ("Personen = medewerkers, elk één keer geteld (unieke personeelsnummers), ook wie twee plaatsingen "
                     "heeft. Plaatsingen = bezette formatieplaatsen: wie twee plaatsingen heeft, telt twee keer.")


def formatie_tabel(fte: pd.DataFrame, clusters_df: pd.DataFrame | None = None,
                   personen_totaal: int | None = None) -> tuple[Table, set[str]]:
    """Per eenheid within its cluster, a total per cluster and for the organisation; returns
    the table and the eenheden whose person figures are suppressed (for the span table).
    Personen of a total are distinct persons (`clusters_df`: queries.fte_per_cluster,
    `personen_totaal`: queries.kerncijfers()["personen"]), so the organisation's total equals
    the Kerncijfers; without them, the sum of the eenheden's."""
    per_cluster = ({} if clusters_df is None else dict(zip(clusters_df["cluster"], clusters_df["personen"])))
    rows, counts, equations = [], {}, []
    clusters = []
    for cluster, d in fte.sort_values(["cluster", "eenheid"]).groupby("cluster", sort=False):
        members = []
        for r in d.itertuples(index=False):
            rows.append({"key": ("e", r.eenheid), "cluster": cluster, "eenheid": r.eenheid,
                         "formatie_fte": r.formatie_fte, "bezetting_fte": r.bezetting_fte,
                         "vacature_fte": r.vacature_fte, "personen": r.personen})
            counts[("e", r.eenheid)] = r.personen
            members.append(("e", r.eenheid))
        sums = d[["formatie_fte", "bezetting_fte", "vacature_fte", "personen"]].sum()
        sums["personen"] = per_cluster.get(cluster, sums["personen"])
        rows.append({"key": ("c", cluster), "cluster": cluster, "eenheid": f"{TOTAAL} {cluster}", **sums.to_dict()})
        counts[("c", cluster)] = sums["personen"]
        equations.append((("c", cluster), members))
        clusters.append(("c", cluster))
    sums = fte[["formatie_fte", "bezetting_fte", "vacature_fte", "personen"]].sum()
    if personen_totaal is not None:
        sums["personen"] = personen_totaal
    rows.append({"key": ("t",), "cluster": TOTAAL, "eenheid": "Hele organisatie", **sums.to_dict()})
    counts[("t",)] = sums["personen"]
    equations.append((("t",), clusters))
    marks = privacy.suppression(counts, equations)
    hidden = _hide_rows(rows, marks, lambda r: r["key"], PERSOON_KOLOMMEN)
    complementary = _hide_rows(rows, {k for k, m in marks.items() if m == privacy.AANVULLEND}, lambda r: r["key"],
                               PERSOON_KOLOMMEN)
    totals = {i for i, r in enumerate(rows) if r["key"][0] != "e"}
    table = Table(
        "formatie-per-eenheid", "Formatie en bezetting per eenheid",
        [Column("cluster", "Cluster", width=1.3), Column("eenheid", "Eenheid", width=2.2),
         Column("formatie_fte", "Formatie (fte)", "fte"), Column("bezetting_fte", "Bezetting (fte)", "fte"),
         Column("vacature_fte", "Vacatures (fte)", "fte"), Column("personen", "Personen", "getal")],
        pd.DataFrame(rows), hidden, totals,
        note="Vacatures = formatie min bezetting (negatief: meer bezet dan de formatie). " + PERSONEN_VOETNOOT
             + (" Wie in twee eenheden is geplaatst, telt bij beide eenheden mee maar één keer in het totaal; daarom "
                "tellen de eenheden samen op tot meer personen dan het totaal." if personen_totaal is not None else ""),
        kinds=("organisatie", "wasword"), complementary=complementary)
    return table, {k[1] for k in marks if k[0] == "e"}


def _blank_hidden(table: Table, keys: tuple[str, ...]) -> pd.DataFrame:
    """The table's frame with hidden cells emptied (for charts)."""
    d = table.frame.copy()
    for i, c in table.hidden:
        if c in keys:
            d.at[i, c] = None
    return d


def formatie(fte: pd.DataFrame, clusters_df: pd.DataFrame | None = None, personen_totaal: int | None = None) -> Section:
    table, _ = formatie_tabel(fte, clusters_df, personen_totaal)
    d = _blank_hidden(table, PERSOON_KOLOMMEN)
    # as on the page: a large organisation is charted per cluster (its total rows), the table has every eenheid
    per_cluster = fte["eenheid"].nunique() > MAX_EENHEDEN_IN_CHART
    shown = [(i in table.totals and c != TOTAAL) if per_cluster else (i not in table.totals)
             for i, c in enumerate(d["cluster"])]
    d = d[shown]
    marks = [m for m, keep in zip(_marks(table, "bezetting_fte"), shown) if keep]
    d = d.assign(bezetting_fte=pd.to_numeric(d["bezetting_fte"]))
    fig = charts.formatie_bezetting_clusters(d) if per_cluster else charts.formatie_bezetting(d)
    fig.data[1].text = [safe.plotly(m) for m in marks]
    fig.data[1].textposition = "outside"
    return Section("formatie", "Formatie en bezetting", ("organisatie", "wasword"), [table],
                   [Figure("formatie-bezetting", "Formatie en bezetting per " + ("cluster" if per_cluster else "eenheid"),
                           fig, "; ".join(privacy.voetnoten(marks)))])


def opbouw(df: pd.DataFrame) -> Section:
    table = Table(
        "opbouw-formatie", "Opbouw van de formatie",
        [Column("onderdeel", "Onderdeel", width=2.6), Column("fte_onderdeel", "Fte onderdeel", "fte4"),
         Column("percentage", "Percentage", "pct0", width=0.8), Column("bewerking", "Bewerking", width=0.8),
         Column("fte_berekend", "Berekend (fte)", "fte4"), Column("fte_opgegeven", "Opgegeven (fte)", "fte4"),
         Column("verschil", "Verschil (fte)", "fte4")],
        df, totals={i for i, o in enumerate(df["onderdeel"]) if o == TOTAAL},
        note="Berekend = fte onderdeel × percentage; opgegeven = zoals in de notitie managementstructuur.",
        kinds=("organisatie",))
    return Section("opbouw", "Opbouw van de formatie", ("organisatie",), [table],
                   [Figure("opbouw-formatie", "Opbouw van de formatie", charts.opbouw_waterfall(df))])


def plaatsingsvormen_tabel(cross: pd.DataFrame, personen: int | None = None) -> Table:
    """Placements per cluster and plaatsingsvorm (cross: cluster, plaatsingsvorm, plaatsingen),
    with row and column totals; suppressed in both directions."""
    vormen = sorted(cross["plaatsingsvorm"].unique())
    clusters = sorted(cross["cluster"].unique())
    n = {(c, v): 0 for c in clusters for v in vormen}
    for r in cross.itertuples(index=False):
        n[(r.cluster, r.plaatsingsvorm)] = int(r.plaatsingen)
    counts = dict(n)
    for c in clusters:
        counts[(c, TOTAAL)] = sum(n[(c, v)] for v in vormen)
    for v in vormen:
        counts[(TOTAAL, v)] = sum(n[(c, v)] for c in clusters)
    counts[(TOTAAL, TOTAAL)] = sum(n.values())
    eq = [((c, TOTAAL), [(c, v) for v in vormen]) for c in clusters + [TOTAAL]]
    eq += [((TOTAAL, v), [(c, v) for c in clusters]) for v in vormen + [TOTAAL]]
    hidden_cells = privacy.suppression(counts, eq)
    keys = [f"v{j}" for j in range(len(vormen))] + ["totaal"]
    rows, hidden, complementary = [], set(), set()
    for i, c in enumerate(clusters + [TOTAAL]):
        row = {"cluster": c}
        for k, v in zip(keys, vormen + [TOTAAL]):
            row[k] = counts[(c, v)]
            if (c, v) in hidden_cells:
                hidden.add((i, k))
                if hidden_cells[(c, v)] == privacy.AANVULLEND:
                    complementary.add((i, k))
        rows.append(row)
    return Table(
        "plaatsingsvormen", "Plaatsingen per plaatsingsvorm",
        [Column("cluster", "Cluster", width=1.6)]
        + [Column(k, safe.kort(v, 30).capitalize() if v != TOTAAL else TOTAAL, "getal",
                  width=max(0.8, min(len(v), 30) * 0.09))
           for k, v in zip(keys, vormen + [TOTAAL])],
        pd.DataFrame(rows), hidden, {len(rows) - 1},
        note="Aantal plaatsingen (bezette formatieplaatsen) in de huidige was/wordt-lijst per cluster en "
             "plaatsingsvorm" + (f": {fmt.getal(counts[(TOTAAL, TOTAAL)])} plaatsingen van {fmt.getal(personen)} personen"
                                 if personen is not None and not privacy.too_few(personen) else "")
             + ". " + PERSONEN_VOETNOOT, kinds=("wasword", "organisatie"), complementary=complementary)


def _coach_labels(eenheden: pd.Series) -> list[str]:
    """A coach for the raad is named by the eenheden led; two coaches of one eenheid are
    numbered ("Wijkbeheer en groenonderhoud (coach 1 van 2)")."""
    total = eenheden.value_counts()
    seen: dict[str, int] = {}
    out = []
    for e in eenheden:
        seen[e] = seen.get(e, 0) + 1
        out.append(e if total[e] == 1 else f"{e} (coach {seen[e]} van {total[e]})")
    return out


def span_tabel(span: pd.DataFrame, fte: pd.DataFrame, audience: str = "raad") -> Table:
    """Per coach/coördinator. For the raad a coach is named by the eenheden he or she leads.
    Suppressed: fewer than DREMPEL persons, or an eenheid whose figures are suppressed in the
    formatie table (the span of a coach with one eenheid *is* that eenheid's bezetting)."""
    hidden_eenheden = formatie_tabel(fte)[1]
    d = span.sort_values("fte", ascending=False).reset_index(drop=True)
    d = d.assign(boven=d["boven_norm"].map({True: "ja", False: "nee"}), leidt=_coach_labels(d["eenheden"]))
    hidden, complementary = set(), set()
    for i, r in d.iterrows():
        leads = {e.strip() for e in str(r["eenheden"]).split(",")}
        cells = {(i, "fte"), (i, "personen"), (i, "boven")}
        if privacy.too_few(r["personen"]):
            hidden |= cells
        elif leads & hidden_eenheden:  # it would reveal a hidden eenheid: hidden to protect that one
            hidden |= cells
            complementary |= cells
    who = [Column("coach", "Coach/coördinator", width=1.8)] if audience == "intern" else []
    return Table(
        "span-of-attention" + ("-intern" if audience == "intern" else ""), "Span of attention per coach/coördinator",
        who + [Column("leidt", "Coach/coördinator van", width=3), Column("fte", "Fte (aandeel × bezetting)", "fte"),
               Column("personen", "Personen", "getal1"), Column("norm_fte", "Norm (fte)", "getal", width=0.7),
               Column("boven", "Boven norm", width=0.7)],
        d, hidden, note="Een gedeelde coach telt het aandeel van elke eenheid mee; een eenheid met twee coaches "
                        "verdeelt haar bezetting naar aandeel.",
        kinds=("organisatie", "wasword"), audience=audience, complementary=complementary)


def span(span_df: pd.DataFrame, fte: pd.DataFrame, norm: float) -> Section:
    table = span_tabel(span_df, fte)
    d = _blank_hidden(table, ("fte", "personen"))
    shown = d.assign(coach=d["leidt"], eenheden=d["leidt"], fte=pd.to_numeric(d["fte"]),
                     personen=pd.to_numeric(d["personen"]), boven_norm=pd.to_numeric(d["fte"]) > norm)
    deel = ""
    if len(shown) > MAX_COACHES_IN_CHART:  # as on the page: a bar per coach of a large city is unreadable
        alle, shown = len(shown), grootste_spans(shown, MAX_COACHES_IN_CHART, norm)
        deel = (f"De grafiek toont wie boven de norm zit en verder de grootste spans: {fmt.getal(len(shown))} van de "
                f"{fmt.getal(alle)} coach/coördinatoren; de tabel heeft ze allemaal.")
    fig = charts.span(shown, norm)
    # the chart sorts by fte: look the mark up by row, not by position
    mark = dict(zip(shown["leidt"], _marks(table, "fte")))
    order = shown.sort_values("fte")["leidt"]
    fig.data[0].text = [safe.plotly(mark[who]) if mark[who] else f"{fmt.fte(f)} fte" for who, f in zip(order, fig.data[0].x)]
    return Section("span", "Span of attention", ("organisatie", "wasword"), [table],
                   [Figure("span-of-attention", "Span of attention per coach/coördinator", fig,
                           "; ".join(([deel] if deel else []) + privacy.voetnoten(mark.values())))],
                   intro=f"Norm: ten hoogste {fmt.getal(norm)} fte per coach/coördinator (notitie managementstructuur).")


# --- scenario's ----------------------------------------------------------------------------------------
def scenario_vergelijking(invoer, a, b, label_a: str, label_b: str, norm: float) -> Section:
    """Two organisations (today, a scenario) side by side for the raad: the span per coach and
    the memo's rules per rule. No names: a coach is named by the eenheden he or she leads on
    the right (or, with none left there, on the left); spans over fewer than DREMPEL persons
    are suppressed; the rule table holds counts, never the sentences (they name people)."""
    from ..domain import regels
    from ..domain import scenario as sc
    cmp = sc.span_vergelijking(a, b, norm)
    leidt = [n if n else (f"{v} ({label_a.lower()})" if v else "Nieuwe coach/coördinator zonder eenheid")
             for v, n in zip(cmp["eenheden_voor"], cmp["eenheden_na"])]
    d = cmp.assign(leidt=_coach_labels(pd.Series(leidt)),
                   boven_voor=cmp["boven_norm_voor"].map({True: "ja", False: "nee"}),
                   boven_na=cmp["boven_norm_na"].map({True: "ja", False: "nee"}))
    hidden = set()
    for i, r in d.iterrows():
        for side, cols in (("personen_voor", ("fte_voor", "boven_voor", "verschil")),
                           ("personen_na", ("fte_na", "boven_na", "verschil"))):
            if privacy.too_few(r[side]):
                hidden |= {(i, c) for c in cols}
    span_t = Table(
        "scenario-span", f"Span per coach/coördinator: {label_a} en {label_b}",
        [Column("leidt", "Coach/coördinator van", width=3), Column("fte_voor", f"Fte {label_a}", "fte"),
         Column("boven_voor", f"Boven norm {label_a}", width=0.8), Column("fte_na", f"Fte {label_b}", "fte"),
         Column("boven_na", f"Boven norm {label_b}", width=0.8), Column("verschil", "Verschil (fte)", "fte")],
        d, hidden, note=f"Norm: ten hoogste {fmt.getal(norm)} fte per coach/coördinator (notitie managementstructuur). "
                        "Fte = aandeel × bezetting van de eenheden.", kinds=("organisatie", "wasword"))
    ra = regels.samenvatting(sc.regels_van(invoer, a))
    rb = regels.samenvatting(sc.regels_van(invoer, b))
    m = ra.merge(rb[["regel_id", "status", "wijkt_af", "voldoet"]], on="regel_id", how="outer", suffixes=("_a", "_b"))
    regel_t = Table(
        "scenario-regels", f"Regels uit de notitie: {label_a} en {label_b}",
        [Column("regel", "Regel", width=3.4), Column("status_a", label_a, width=1.1),
         Column("wijkt_af_a", f"Afwijkend {label_a}", "getal", width=0.9), Column("status_b", label_b, width=1.1),
         Column("wijkt_af_b", f"Afwijkend {label_b}", "getal", width=0.9)],
        m.assign(status_a=m["status_a"].map(regels.STATUS_LABEL), status_b=m["status_b"].map(regels.STATUS_LABEL)),
        note="Per regel de slechtste uitkomst over de onderwerpen en het aantal onderwerpen dat afwijkt.",
        kinds=("organisatie", "wasword", "opgaven"))
    shown = _blank_hidden(span_t, ("fte_voor", "fte_na")).assign(coach=d["leidt"])
    shown["fte_voor"] = pd.to_numeric(shown["fte_voor"]).fillna(0)
    shown["fte_na"] = pd.to_numeric(shown["fte_na"]).fillna(0)
    # which bars to draw is decided on the unsuppressed figures; the bars show only what the table shows
    shown = shown.assign(boven_norm_na=cmp["boven_norm_na"], boven_norm_voor=cmp["boven_norm_voor"],
                         verschil=cmp["verschil"])
    shown = sc.span_vergelijking_selectie(shown, MAX_COACHES_IN_CHART)
    fig = charts.span_vergelijking(shown, norm, label_a, label_b)
    deel = "" if len(shown) == len(cmp) else (f"De grafiek toont wie boven de norm zit of verandert en verder de "
                                              f"grootste spans: {fmt.getal(len(shown))} van de {fmt.getal(len(cmp))}; "
                                              "de tabel heeft ze allemaal.")
    return Section("scenario", f"Scenario: {label_a} en {label_b}", ("organisatie", "wasword"), [span_t, regel_t],
                   [Figure("scenario-span", f"Span per coach/coördinator: {label_a} en {label_b}", fig, deel)])


# --- opgaven ------------------------------------------------------------------------------------------
def formatie_pagina(fte: pd.DataFrame, opbouw_df: pd.DataFrame, cross: pd.DataFrame,
                    clusters_df: pd.DataFrame | None = None, kern: dict | None = None) -> Section:
    """Everything the Formatie page exports: the three sections in one (`clusters_df`,
    `kern`: fte_per_cluster and kerncijfers, for distinct persons in the totals)."""
    totaal = None if kern is None else kern["personen"]
    parts = [formatie(fte, clusters_df, totaal)] + ([opbouw(opbouw_df)] if len(opbouw_df) else []) + \
        ([plaatsingen(cross, totaal)] if len(cross) else [])
    return Section("formatie", "Formatie en bezetting", ("organisatie", "wasword"),
                   [t for p in parts for t in p.tables], [f for p in parts for f in p.figures])


def plaatsingen(cross: pd.DataFrame, personen: int | None = None) -> Section:
    return Section("plaatsingen", "Plaatsingen", ("wasword", "organisatie"), [plaatsingsvormen_tabel(cross, personen)])


def opgaven(voortgang: pd.DataFrame, capaciteit: pd.DataFrame, ms: pd.DataFrame) -> Section:
    """The opgaven table and charts. `ms` = og.mijlpaal_status(...): "Te laat" counts the open
    milestones past their date (og.TE_LAAT_DEFINITIE), not the view's mijlpalen_te_laat, which
    also counts milestones achieved late."""
    late = ms[ms["status"] == og.TE_LAAT].groupby("opgave").size()
    v = voortgang.assign(fase_tekst=voortgang["fase"].str.capitalize(),
                         te_laat_open=[int(late.get(o, 0)) for o in voortgang["opgave"]])
    table = Table(
        "opgaven", "Voortgang van de opgaven",
        [Column("opgave", "Opgave", width=2.2), Column("fase_tekst", "Fase", width=1.15),
         Column("voortgang", "Voortgang", "pct0", width=0.95), Column("einde_gepland", "Einde gepland", "datum", width=1.2),
         Column("budget", "Budget", "euro", width=1.05), Column("besteed", "Besteed", "euro", width=1.05),
         Column("mijlpalen", "Mijlpalen", "getal", width=0.95),
         Column("mijlpalen_gehaald", "Gehaald", "getal", width=0.85),
         Column("te_laat_open", "Te laat", "getal", width=0.75),
         Column("gevraagd_fte", "Gevraagd (fte)", "fte", width=0.95),
         Column("toegezegd_fte", "Toegezegd (fte)", "fte", width=1.0)],
        v, note=og.TE_LAAT_DEFINITIE + " Gehaald = mijlpalen met een datum van realisatie (op tijd of te laat). "
                "Capaciteit: door de opgave gevraagde en door de eenheden toegezegde fte.", kinds=("opgaven",))
    # as on the page: a large register charts its largest budgets and claims; the table has every opgave
    n, deel = og.MAX_IN_CHART, f" (de {og.MAX_IN_CHART} grootste)"
    figures = [Figure("opgaven-budget", "Budget en besteding per opgave" + (deel if len(voortgang) > n else ""),
                      charts.budget_besteed(og.grootste(voortgang, "budget", n)))]
    if len(capaciteit):
        po = og.capaciteit_per_opgave(capaciteit)
        figures.append(Figure("opgaven-capaciteit", "Capaciteit per opgave: gevraagd en toegezegd"
                              + (deel if len(po) > n else ""),
                              charts.capaciteit_opgaven(og.grootste(po, "gevraagd_fte", n))))
    return Section("opgaven", "Opgaven", ("opgaven",), [table], figures)


MAX_MIJLPALEN = 200  # milestone rows in the pack's table; a larger register gets the open late ones only


def _for_print_timeline(fig, *dates, max_ticks: int = 8) -> None:
    """A timeline as a picture: Dutch month names on its date axis (kaleido has no Plotly
    locale), the legend under the chart (on top it would run into the picture's title)."""
    lo, hi = _datumbereik(*dates)
    fmt.dutch_date_axis(fig, lo, hi, max_ticks=max_ticks)
    fig.update_layout(legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0, font_size=13),
                      margin_t=60, margin_b=130)


def _datumbereik(*columns) -> tuple:
    values = pd.to_datetime(pd.concat([pd.Series(c) for c in columns], ignore_index=True), errors="coerce").dropna()
    return (values.min(), values.max()) if len(values) else (None, None)


def lange_termijn_agenda(voortgang: pd.DataFrame, ms: pd.DataFrame, peildatum) -> Section:
    """The lange termijn agenda for the raad: every opgave from start to einde gepland with its
    milestones, grouped per fase (the page groups per portefeuillehouder: a name, which an
    export for the raad never carries), Dutch month names on the date axis."""
    v = voortgang.assign(portefeuillehouder=voortgang["fase"].map(og.FASE_LABELS),
                         fase_tekst=voortgang["fase"].map(og.FASE_LABELS))
    late = ms[ms["status"] == og.TE_LAAT].groupby("opgave").size()
    v = v.assign(te_laat_open=[int(late.get(o, 0)) for o in v["opgave"]])
    shown, extra = v, ""
    if len(v) > og.MAX_IN_CHART:  # a large register: a chart of hundreds of rows is unreadable (and too tall to render)
        shown = v.assign(_loopt=v["fase"] != og.AFGESLOTEN).sort_values(
            ["te_laat_open", "_loopt", "einde_gepland"], ascending=[False, False, True], kind="stable"
        ).head(og.MAX_IN_CHART).drop(columns="_loopt")
        extra = (f" De grafiek toont {og.MAX_IN_CHART} van de {fmt.getal(len(v))} opgaven: eerst die met mijlpalen "
                 "te laat, dan de lopende die het eerst aflopen; de tabel toont ze alle.")
    m = ms[ms["opgave"].isin(set(shown["opgave"]))]
    fig = charts.lange_termijn_agenda(shown, m, peildatum)
    # half-yearly ticks over the demo's six years ("jan 2021", "jul 2021"), not only the years
    _for_print_timeline(fig, shown["start"], shown["einde_gepland"], m["gepland"], m["gerealiseerd"], [peildatum],
                        max_ticks=13)
    table = Table(
        "lange-termijn-agenda", "Lange termijn agenda",
        [Column("opgave", "Opgave", width=2.6), Column("fase_tekst", "Fase", width=1.1),
         Column("start", "Start", "datum", width=1.2), Column("einde_gepland", "Einde gepland", "datum", width=1.2),
         Column("mijlpalen", "Mijlpalen", "getal", width=0.8), Column("te_laat_open", "Te laat", "getal", width=0.7)],
        v.sort_values(["start", "opgave"], na_position="last", kind="stable"),
        note=og.TE_LAAT_DEFINITIE + " In de grafiek staan de opgaven per fase." + extra, kinds=("opgaven",))
    return Section("lange-termijn-agenda", "Lange termijn agenda", ("opgaven",), [table],
                   [Figure("lange-termijn-agenda", "Lange termijn agenda: looptijd en mijlpalen per opgave", fig)],
                   intro=f"Peildatum {fmt.datum(peildatum)}: de rode stippellijn. ✕ = mijlpaal te laat en nog open; "
                         "● oranje = te laat gehaald; ● groen = op tijd gehaald; ◇ = gepland.")


def mijlpalen(ms: pd.DataFrame, peildatum) -> Section:
    """Every milestone (a large register: the late ones) with its status at the peildatum, and
    the timeline of the latest ones, Dutch month names on the date axis."""
    shown = ms if len(ms) <= MAX_MIJLPALEN else ms[ms["status"] == og.TE_LAAT]
    d = shown.assign(status_tekst=shown["status"].str.capitalize(),
                     dagen=[n if n else None for n in shown["dagen_te_laat"]])
    table = Table(
        "mijlpalen", "Mijlpalen",
        [Column("opgave", "Opgave", width=2.0), Column("mijlpaal", "Mijlpaal", width=2.6),
         Column("gepland", "Gepland", "datum", width=1.2), Column("gerealiseerd", "Gehaald", "datum", width=1.2),
         Column("status_tekst", "Status", width=1.1), Column("dagen", "Dagen te laat", "getal", width=0.8)],
        d, note=og.TE_LAAT_DEFINITIE + " Dagen te laat: open mijlpalen tot de peildatum, gehaalde tot de datum van "
                "realisatie." + ("" if len(shown) == len(ms) else
                                 f" Van de {fmt.getal(len(ms))} mijlpalen staan hier alleen de "
                                 f"{fmt.getal(len(shown))} die te laat zijn."),
        kinds=("opgaven",))
    chart_ms = og.te_laat_eerst(ms, og.MAX_MIJLPALEN_IN_CHART) if len(ms) > og.MAX_MIJLPALEN_IN_CHART else ms
    fig = charts.mijlpalen_gantt(chart_ms, peildatum)
    _for_print_timeline(fig, chart_ms["gepland"], chart_ms["gerealiseerd"], [peildatum])
    return Section("mijlpalen", "Mijlpalen", ("opgaven",), [table],
                   [Figure("mijlpalen", "Mijlpalen per opgave", fig)])


# --- dienstverlening -------------------------------------------------------------------------------
def dienstverlening(scores: pd.DataFrame, normen: pd.DataFrame, notities: pd.DataFrame,
                    grain: str = "maand", periode: str | None = None, grid: bool = False) -> Section:
    """The scorecard of one period (default the newest) and a trend per norm with its notes
    beside the points. Note authors are not exported (names). `grid`: the trends as small
    multiples, PER_GRID norms per figure (print: one render per page instead of per norm)."""
    hist = kpi.history(scores, normen, grain)
    options = kpi.periods(hist)
    if not options:
        return Section("dienstverlening", "Dienstverleningsnormen", ("kpi",))
    periode = periode or options[0]
    card = kpi.scorecard(hist, normen, periode, grain)
    per_note = kpi.notes_per_period(kpi.notes_at(notities, grain, normen["code"].tolist()))
    card = card.assign(
        periode_tekst=kpi.period_label(periode),
        norm=[kpi.norm_tekst(s, r, m) for s, r, m in zip(card["streefwaarde"], card["richting"], card["meeteenheid"])],
        status_tekst=[f"{kpi.STATUS_SYMBOOL[s]} {kpi.STATUS_STYLE[s][0]}" for s in card["status"]],
        toelichting=["; ".join(per_note.get((c, periode), [])) for c in card["code"]],
        eenheid=card["eenheid"].fillna(kpi.GEEN_EENHEID))
    table = Table(
        "dienstverleningsnormen", f"Dienstverleningsnormen — {kpi.period_label(periode)}",
        [Column("code", "Code", width=1.15), Column("omschrijving", "Dienstverleningsnorm", width=2.6),
         Column("eenheid", "Eenheid", width=1.5), Column("waarde", "Score", "waarde", unit="meeteenheid", width=0.9),
         Column("norm", "Streefwaarde", width=1.0), Column("status_tekst", "Status", width=1.2),
         Column("toelichting", "Toelichting", width=1.9)],
        card,
        note="Status: gehaald; net niet gehaald (binnen 5 procentpunt, of 5 % van de streefwaarde); niet gehaald; "
             "niet gemeten.", kinds=("kpi",))
    figures = []
    if grid:
        per_code = dict(tuple(hist.groupby("code", sort=False)))
        with_history = [n for n in normen.itertuples(index=False) if n.code in per_code]
        selected, of = with_history, ""
        if len(with_history) > MAX_TRENDS:  # a large city: the norms that need attention (the table has all)
            urgent = [c for c, st in zip(card["code"], card["status"]) if st in (kpi.NIET_GEHAALD, kpi.MARGE)]
            keep = set(urgent[:MAX_TRENDS])
            selected = [n for n in with_history if n.code in keep]
            of = ("Alleen de normen die niet of net niet gehaald zijn" + (
                "" if len(urgent) <= MAX_TRENDS else f", de eerste {MAX_TRENDS} van de {fmt.getal(len(urgent))}")
                + f"; de tabel heeft alle {fmt.getal(len(with_history))} normen.")
        items = [{"title": "<b>" + "<br>".join(safe.plotly(x) for x in textwrap.wrap(safe.kort(n.omschrijving, 186), 62))
                           + f"</b><br>{safe.plotly(safe.kort(n.code, 40))} · norm "
                           f"{kpi.norm_tekst(n.streefwaarde, n.richting, n.meeteenheid)}",
                  "frame": per_code[n.code], "streefwaarde": n.streefwaarde, "richting": n.richting,
                  "meeteenheid": n.meeteenheid, "notes": kpi.notes_for_code(per_note, n.code)}
                 for n in selected]
        for start in range(0, len(items), PER_GRID):
            part = items[start:start + PER_GRID]
            figures.append(Figure(f"trends-{start // PER_GRID + 1}",
                                  f"Trends per {grain} ({start + 1}–{start + len(part)} van {len(items)} normen)",
                                  charts.kpi_trend_grid(part), of))
        return Section("dienstverlening", "Dienstverleningsnormen", ("kpi",), [table], figures)
    for n in normen.itertuples(index=False):
        d = hist[hist["code"] == n.code]
        if d.empty:
            continue
        fig = charts.kpi_trend(d, n.streefwaarde, n.richting, n.meeteenheid, kpi.notes_for_code(per_note, n.code),
                               height=300, large=True)
        figures.append(Figure(f"trend-{n.code}", f"{n.omschrijving} ({n.code}) — norm "
                                                  f"{kpi.norm_tekst(n.streefwaarde, n.richting, n.meeteenheid)}", fig))
    return Section("dienstverlening", "Dienstverleningsnormen", ("kpi",), [table], figures)
