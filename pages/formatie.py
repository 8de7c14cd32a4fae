"""Formatie en bezetting: how the organisation is built, per cluster and eenheid."""
import streamlit as st

from stuurbord.ui import charts, diffview, fmt, safe, texts, widgets
from stuurbord import data
from stuurbord.data import queries
from stuurbord.domain import organisatie as org
from stuurbord.export import views

widgets.page_guard()

st.title("Formatie en bezetting")
widgets.require("organisatie", "wasword")
widgets.peildatum_caption("organisatie", "wasword")
widgets.raad_view("formatie", views.formatie_pagina, data.ref(queries.fte_per_eenheid),
                  data.ref(queries.formatie_opbouw), data.ref(queries.plaatsingsvorm_per_cluster),
                  data.ref(queries.fte_per_cluster), data.ref(queries.kerncijfers))
widgets.exports("formatie", views.formatie_pagina, data.ref(queries.fte_per_eenheid),
                data.ref(queries.formatie_opbouw), data.ref(queries.plaatsingsvorm_per_cluster),
                data.ref(queries.fte_per_cluster), data.ref(queries.kerncijfers))

k = data.get(queries.kerncijfers)
widgets.metrics([
    ("Formatie", f"{fmt.fte(k['formatie_fte'])} fte", "Begrote fte volgens het formatiebestand."),
    ("Bezetting", f"{fmt.fte(k['bezetting_fte'])} fte", "Som van de fte van alle plaatsingen (zonder vacatures)."),
    ("Vacatures", f"{fmt.fte(k['vacature_fte'])} fte", "Formatie min bezetting; negatief = overbezetting."),
    ("Bezettingsgraad", fmt.pct(k["bezettingsgraad"]), "Bezetting gedeeld door formatie."),
    ("Personen", fmt.getal(k["personen"]), "Unieke personeelsnummers; iemand met twee plaatsingen telt één keer."),
    ("Fte per persoon", fmt.getal(k["fte_per_persoon"], 2), "Gemiddelde deeltijdfactor."),
    ("Eenheden", fmt.getal(k["eenheden"]), None),
    ("Clusters", fmt.getal(k["clusters"]), None),
])

per_eenheid = data.get(queries.fte_per_eenheid)
widgets.from_link("eenheid", "eenheid", per_eenheid["eenheid"].tolist())  # a signal on the start page
ALLE_CLUSTERS = "Alle clusters"


def verdeling():
    clusters = sorted(per_eenheid["cluster"].unique())
    keuze = st.selectbox("Cluster", [ALLE_CLUSTERS, *clusters], key="cluster", format_func=safe.keuze,
                         help="Kies een cluster om in te zoomen op zijn eenheden.")
    cluster = None if keuze == ALLE_CLUSTERS else keuze
    # a large organisation starts at cluster level: a tile or bar per eenheid would be unreadable
    per_cluster_niveau = cluster is None and len(per_eenheid) > org.MAX_EENHEDEN_IN_CHART
    eenheden_ref = data.ref(org.in_cluster, data.ref(queries.fte_per_eenheid), cluster)
    # one below the other: side by side, each chart got half the width and at 1024 px the bars
    # were squeezed under their legend and the eenheid names cut (docs/accessibility.md)
    st.subheader("Clusters" if per_cluster_niveau else "Clusters en eenheden")
    st.caption("Grootte = formatie; kleur en percentage = bezettingsgraad (groen = volledig bezet, blauw = overbezet, "
               "oranje en rood = onderbezet)."
               + (" Kies hierboven een cluster voor zijn eenheden." if per_cluster_niveau else ""))
    widgets.chart(data.get(charts.treemap, eenheden_ref, per_cluster_niveau), "formatie-treemap")
    if per_cluster_niveau:
        st.subheader("Formatie en bezetting per cluster")
        widgets.chart(data.get(charts.formatie_bezetting_clusters, data.ref(queries.fte_per_cluster)),
                      "formatie-bezetting-clusters")
    else:
        st.subheader("Formatie en bezetting per eenheid")
        widgets.chart(data.get(charts.formatie_bezetting, eenheden_ref), "formatie-bezetting")
    if per_cluster_niveau:
        widgets.dutch_table(
            data.get(queries.fte_per_cluster),
            {"eenheden": "getal", "formatie_fte": "fte", "bezetting_fte": "fte", "vacature_fte": "fte",
             "personen": "getal", "open_plaatsen": "getal"},
            {"cluster": "Cluster", "eenheden": "Eenheden", "formatie_fte": "Formatie fte",
             "bezetting_fte": "Bezetting fte", "vacature_fte": "Vacature fte", "personen": "Personen",
             "open_plaatsen": "Open plaatsen"})
        st.subheader("Alle eenheden")
    zoekterm = None
    if len(eenheden_ref.get()) > org.MAX_EENHEDEN_IN_CHART:
        zoekterm = st.text_input("Zoek een eenheid of cluster", key="zoek_eenheid", placeholder="bijv. loket")
    shown = data.ref(org.eenheden_tabel, eenheden_ref, zoekterm)  # formatted once per data version, not per run
    if zoekterm is not None:
        st.caption(f"{fmt.aantal_tekst(len(shown.get()), 'eenheid', 'eenheden')}.")
    widgets.dutch_table(
        shown,
        {"formatie_fte": "fte", "bezetting_fte": "fte", "vacature_fte": "fte", "personen": "getal",
         "open_plaatsen": "getal"},
        {"cluster": "Cluster", "eenheid": "Eenheid", "formatie_fte": "Formatie fte", "bezetting_fte": "Bezetting fte",
         "vacature_fte": "Vacature fte", "personen": "Personen", "open_plaatsen": "Open plaatsen"})


def per_eenheid_tab():
    eenheid = st.selectbox("Eenheid", per_eenheid["eenheid"].tolist(), key="eenheid", format_func=safe.keuze)
    row = per_eenheid[per_eenheid["eenheid"] == eenheid].iloc[0]
    widgets.metrics([
        ("Formatie", f"{fmt.fte(row['formatie_fte'])} fte", None),
        ("Bezetting", f"{fmt.fte(row['bezetting_fte'])} fte", None),
        ("Vacatures", f"{fmt.fte(row['vacature_fte'])} fte", "Formatie min bezetting."),
        ("Personen", fmt.getal(row["personen"]), None),
    ])
    left, right = st.columns(2)
    with left:
        st.subheader("Schaalverdeling")
        widgets.chart(charts.bars(data.get(queries.schaal_verdeling, eenheid), "schaal", "plaatsingen", "plaatsingen",
                             x_title="schaal"), "schaalverdeling")
    with right:
        st.subheader("Plaatsingsvormen")
        vormen = data.get(queries.plaatsingsvormen, eenheid)
        widgets.chart(charts.bars(vormen, "plaatsingsvorm", "plaatsingen", "plaatsingen"), "plaatsingsvormen")
        widgets.dutch_table(vormen, {"plaatsingen": "getal", "fte": "fte"},  # an overview: 2 decimals
                            {"plaatsingsvorm": "Plaatsingsvorm", "plaatsingen": "Plaatsingen", "fte": "Fte"})
    st.subheader(f"Plaatsingen in {safe.md(eenheid)}")
    widgets.personal_table(
        data.get(queries.plaatsingen, eenheid)[["personeelsnummer", "naam", "nieuwe_functie", "schaal", "fte",
                                          "plaatsingsvorm", "huidige_afdeling"]],
        {"fte": widgets.FTE4, "schaal": "getal"},
        {"personeelsnummer": "Personeelsnummer", "naam": "Naam", "nieuwe_functie": "Functie", "schaal": "Schaal",
         "fte": "Fte", "plaatsingsvorm": "Plaatsingsvorm", "huidige_afdeling": "Was: afdeling"})


def opbouw_tab():
    opbouw = data.get(queries.formatie_opbouw)
    if opbouw.empty:
        st.info("Het formatiebestand bevat geen blad **Opbouw**; voeg het toe om te laten zien hoe de formatie "
                "is afgeleid (Onderdeel, Fte onderdeel, Percentage, Bewerking, Fte opgegeven).")
    else:
        st.caption("Per regel: fte van het onderdeel × percentage. Berekend (blauw) naast opgegeven (oranje).")
        widgets.chart(charts.opbouw_waterfall(opbouw), "formatie-opbouw")
        for sentence in texts.opbouw_explanation(opbouw, k["formatie_fte"]):
            st.markdown(f"- {sentence}")
        widgets.dutch_table(
            opbouw[["onderdeel", "fte_onderdeel", "percentage", "bewerking", "fte_berekend", "fte_opgegeven",
                    "verschil"]].fillna({"bewerking": ""}),
            {"fte_onderdeel": "fte", "percentage": "pct", "fte_berekend": widgets.FTE4, "fte_opgegeven": widgets.FTE4,
             "verschil": widgets.FTE4},
            {"onderdeel": "Onderdeel", "fte_onderdeel": "Fte onderdeel", "percentage": "Percentage",
             "bewerking": "Bewerking", "fte_berekend": "Berekend", "fte_opgegeven": "Opgegeven",
             "verschil": "Verschil"})


def vergelijk_tab():
    history = data.get(queries.versies, "wasword")
    if len(history) < 2:
        st.info("Er is maar één versie van de was/wordt-lijst geladen; laad een nieuwere versie om te vergelijken.")
    else:
        options = history["version"].tolist()
        label = {r.version: f"versie {r.version} · peildatum {fmt.datum(r.peildatum)} · {safe.tekst(r.file_name)}"
                 for r in history.itertuples()}
        c1, c2 = st.columns(2)
        old = c1.selectbox("Oud", options, index=1, format_func=label.get, key="cmp_old")
        new = c2.selectbox("Nieuw", options, index=0, format_func=label.get, key="cmp_new")
        diffview.show("wasword", {"per_eenheid": data.get(queries.compare_eenheden, old, new),
                                  "wijzigingen": data.get(queries.compare_plaatsingen, old, new)},
                      f"versie {old}", f"versie {new}", "formatie")


# Lazy tabs: only the open tab runs; the tab is in the URL (?weergave=…) for links and screenshots.
tabs = st.tabs(["Verdeling", "Per eenheid", "Opbouw van de formatie", "Versies vergelijken"], key="weergave",
               bind="query-params")
for tab, render in zip(tabs, (verdeling, per_eenheid_tab, opbouw_tab, vergelijk_tab)):
    if tab.open:
        with tab:
            render()
