"""Overzicht: the headline figures of every kind that is loaded, with links."""
import streamlit as st

from stuurbord import data, fmt, texts, ui

ui.page_guard()

st.title("Stuurbord")
st.markdown("Managementdashboard van de ambtelijke organisatie van de gemeente Wassenaar: formatie en bezetting, "
            "span of attention, opgaven en dienstverleningsnormen.")

if not data.versions():
    ui.require("organisatie", "wasword")

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
elif data.versions():
    ui.require("organisatie", "wasword")

ui.peildatum_caption("organisatie", "wasword", "kpi", "opgaven")
