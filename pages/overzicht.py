"""Overzicht: the headline figures of every kind that is loaded, with links."""
import pandas as pd
import streamlit as st

from stuurbord import data, fmt, kpi, texts, ui
from stuurbord import opgaven as og

ui.page_guard()

st.title("Stuurbord")
st.markdown("Managementdashboard van de ambtelijke organisatie van de gemeente Wassenaar: formatie en bezetting, "
            "span of attention, opgaven en dienstverleningsnormen.")

if not data.versions():
    ui.require("organisatie", "wasword")
if not data.has("organisatie", "wasword"):
    st.info("De formatie en/of de was/wordt-lijst zijn nog niet geladen; daarom ontbreekt het deel Organisatie.",
            icon=":material/info:")

if data.has("organisatie", "wasword"):
    st.subheader("Organisatie")
    k = data.get("kerncijfers")
    span = data.get("span_per_coach")
    above = int(span["boven_norm"].sum())
    ui.metrics([
        ("Formatie", f"{fmt.fte(k['formatie_fte'])} fte", None),
        ("Bezetting", f"{fmt.fte(k['bezetting_fte'])} fte", None),
        ("Vacatures", f"{fmt.fte(k['vacature_fte'])} fte", "Formatie min bezetting."),
        ("Personen", fmt.getal(k["personen"]), None),
        ("Eenheden", fmt.getal(k["eenheden"]), None),
        ("Clusters", fmt.getal(k["clusters"]), None),
        ("Coach/coördinatoren", fmt.getal(len(span)), None),
        ("Boven de span-norm", fmt.getal(above), "Coaches die meer dan de norm (22 fte) leiden."),
    ])
    signals = texts.organisatie_signalen(data.get("fte_per_eenheid"), span)
    if signals:
        st.markdown("**Waar het knelt**\n\n" + "\n".join(f"- {x}" for x in signals))
    c1, c2 = st.columns(2)
    c1.page_link("pages/formatie.py", label="Formatie en bezetting", icon=":material/groups:")
    c2.page_link("pages/span.py", label="Span of attention", icon=":material/diversity_3:")

if data.has("opgaven"):
    st.subheader("Opgaven")
    voortgang = data.get("opgave_voortgang")
    ms = data.derive(og.mijlpaal_status, data.get("opg_mijlpalen"), data.versions()["opgaven"]["peildatum"])
    eenheden = data.get("fte_per_eenheid") if data.has("organisatie", "wasword") else pd.DataFrame(
        columns=["eenheid", "cluster", "bezetting_fte"])
    per_eenheid = data.derive(og.capaciteit_per_eenheid, data.get("opg_capaciteit"), voortgang, eenheden,
                              og.DEFAULT_GRENS)
    ui.metrics([
        ("Lopende opgaven", fmt.getal(int((voortgang["fase"] != og.AFGESLOTEN).sum())), None),
        ("Mijlpalen te laat", fmt.getal(int((ms["status"] == og.TE_LAAT).sum())),
         "Open mijlpalen waarvan de geplande datum vóór de peildatum ligt."),
        ("Overvraagde eenheden", fmt.getal(int(per_eenheid["overvraagd"].sum()) if len(per_eenheid) else 0),
         f"Lopende opgaven vragen meer dan {fmt.pct(og.DEFAULT_GRENS, 0)} van de bezetting."),
    ], columns=3)
    punten = texts.opgaven_bespreekpunten(voortgang, ms, per_eenheid, og.DEFAULT_GRENS)
    if punten:
        st.markdown("**Bespreekpunten voor het opgavenoverleg**\n\n" + "\n".join(f"- {x}" for x in punten))
    st.page_link("pages/opgaven.py", label="Opgaven", icon=":material/flag:")

if data.has("kpi"):
    st.subheader("Dienstverleningsnormen")
    normen = data.get("kpi_normen")
    hist = data.derive(kpi.history, data.get("kpi_scores"), normen, "maand")
    perioden = kpi.periods(hist)
    if perioden:
        n = kpi.counts(data.derive(kpi.scorecard, hist, normen, perioden[0], "maand"))
        ui.metrics([
            ("Gehaald", fmt.getal(n[kpi.GEHAALD]), None),
            ("Net niet gehaald", fmt.getal(n[kpi.MARGE]), "Gemist binnen de marge."),
            ("Niet gehaald", fmt.getal(n[kpi.NIET_GEHAALD]), None),
            ("Niet gemeten", fmt.getal(n[kpi.GEEN_METING] + n[kpi.GEEN_NORM]), None),
        ])
        st.markdown(texts.kpi_samenvatting(n, kpi.period_label(perioden[0])))
    st.page_link("pages/dienstverlening.py", label="Dienstverleningsnormen", icon=":material/support_agent:")

st.page_link("pages/raadspakket.py", label="Raadspakket maken (PDF en Excel voor de raad)",
             icon=":material/picture_as_pdf:")
ui.peildatum_caption("organisatie", "wasword", "kpi", "opgaven")
