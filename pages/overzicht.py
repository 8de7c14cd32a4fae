"""Overzicht: the headline figures of every kind that is loaded, with links."""
import streamlit as st

from etl import instellingen
from stuurbord import data
from stuurbord.export import pack
from stuurbord.data import queries
from stuurbord.ui import fmt, texts, widgets
from stuurbord.domain import kpi
from stuurbord.domain import opgaven as og

widgets.page_guard()

st.title("Stuurbord")
st.markdown("Managementdashboard van de ambtelijke organisatie van de gemeente Wassenaar: formatie en bezetting, "
            "span of attention, opgaven en dienstverleningsnormen.")

if not data.versions():
    widgets.require("organisatie", "wasword")
widgets.raad_view("overzicht", pack.kerncijfers_van)
grens = instellingen.value(data.settings(), "capaciteit_grens")
if not data.has("organisatie", "wasword"):
    st.info("De formatie en/of de was/wordt-lijst zijn nog niet geladen; daarom ontbreekt het deel Organisatie.",
            icon=":material/info:")

if data.has("organisatie", "wasword"):
    st.subheader("Organisatie")
    k = data.get(queries.kerncijfers)
    span = data.get(queries.span_per_coach)
    above = int(span["boven_norm"].sum())
    widgets.metrics([
        ("Formatie", f"{fmt.fte(k['formatie_fte'])} fte", None),
        ("Bezetting", f"{fmt.fte(k['bezetting_fte'])} fte", None),
        ("Vacatures", f"{fmt.fte(k['vacature_fte'])} fte", "Formatie min bezetting."),
        ("Personen", fmt.getal(k["personen"]), None),
        ("Eenheden", fmt.getal(k["eenheden"]), None),
        ("Clusters", fmt.getal(k["clusters"]), None),
        ("Coach/coördinatoren", fmt.getal(len(span)), None),
        ("Boven de span-norm", fmt.getal(above), "Coaches die meer dan de norm (22 fte) leiden."),
    ])
    signals = texts.organisatie_signalen(data.get(queries.fte_per_eenheid), span)
    if signals:
        st.markdown("**Waar het knelt**\n\n" + "\n".join(f"- {x}" for x in signals))
    c1, c2 = st.columns(2)
    c1.page_link("pages/formatie.py", label="Formatie en bezetting", icon=":material/groups:")
    c2.page_link("pages/span.py", label="Span of attention", icon=":material/diversity_3:")

if data.has("opgaven"):
    st.subheader("Opgaven")
    voortgang = data.get(queries.opgave_voortgang)
    # the Opgaven page's own derivation at the default grens: one cache entry for both pages
    ms, per_eenheid, _, _ = data.get(
        og.page_state, data.ref(queries.opg_mijlpalen), data.ref(queries.opg_capaciteit),
        data.ref(queries.opgave_voortgang),
        data.ref(queries.fte_per_eenheid) if data.has("organisatie", "wasword") else None,
        data.versions()["opgaven"]["peildatum"], grens)
    widgets.metrics([
        ("Lopende opgaven", fmt.getal(int((voortgang["fase"] != og.AFGESLOTEN).sum())), None),
        ("Mijlpalen te laat", fmt.getal(int((ms["status"] == og.TE_LAAT).sum())),
         "Open mijlpalen waarvan de geplande datum vóór de peildatum ligt."),
        ("Overvraagde eenheden", fmt.getal(int(per_eenheid["overvraagd"].sum()) if len(per_eenheid) else 0),
         f"Lopende opgaven vragen meer dan {fmt.pct(grens, 0)} van de bezetting."),
    ], columns=3)
    punten = texts.opgaven_bespreekpunten(voortgang, ms, per_eenheid, grens)
    if punten:
        st.markdown("**Bespreekpunten voor het opgavenoverleg**\n\n" + "\n".join(f"- {x}" for x in punten))
    st.page_link("pages/opgaven.py", label="Opgaven", icon=":material/flag:")

if data.has("kpi"):
    st.subheader("Dienstverleningsnormen")
    hist = data.ref(kpi.history, data.ref(queries.kpi_scores), data.ref(queries.kpi_normen), "maand")
    perioden = kpi.periods(hist.get())
    if perioden:
        n = kpi.counts(data.get(kpi.scorecard, hist, data.ref(queries.kpi_normen), perioden[0], "maand"))
        widgets.metrics([
            ("Gehaald", fmt.getal(n[kpi.GEHAALD]), None),
            ("Net niet gehaald", fmt.getal(n[kpi.MARGE]), "Gemist binnen de marge."),
            ("Niet gehaald", fmt.getal(n[kpi.NIET_GEHAALD]), None),
            ("Niet gemeten", fmt.getal(n[kpi.GEEN_METING] + n[kpi.GEEN_NORM]), None),
        ])
        st.markdown(texts.kpi_samenvatting(n, kpi.period_label(perioden[0])))
    st.page_link("pages/dienstverlening.py", label="Dienstverleningsnormen", icon=":material/support_agent:")

st.page_link("pages/raadspakket.py", label="Raadspakket maken (PDF en Excel voor de raad)",
             icon=":material/picture_as_pdf:")
widgets.peildatum_caption("organisatie", "wasword", "kpi", "opgaven")
