"""Regels uit de notitie: every rule of the notitie managementstructuur, checked against the
loaded data, with its status per subject. The same results as the view regelcontrole."""
import streamlit as st

from stuurbord import data
from stuurbord.data import queries
from stuurbord.domain import regels
from stuurbord.ui import fmt, safe, widgets

widgets.page_guard()

st.title("Regels uit de notitie")
st.caption("De regels uit de notitie managementstructuur (1 juni 2021), getoetst op de geladen gegevens. "
           "Elke uitkomst noemt het onderwerp, de cijfers en de zin uit de notitie waar de regel vandaan komt. "
           "Voor andere programma’s staan dezelfde uitkomsten in de view regelcontrole.")
widgets.require("organisatie")
widgets.peildatum_caption("organisatie", "wasword", "opgaven")

per_regel = data.get(regels.samenvatting, data.ref(queries.regelcontrole), data.ref(queries.regels))
regelset = data.get(queries.regels).set_index("id")
n = per_regel["status"].value_counts()
widgets.metrics([
    ("Regels", fmt.getal(len(per_regel)), None),
    ("Voldoen", fmt.getal(n.get(regels.VOLDOET, 0)), "Regels waaraan elk onderwerp voldoet."),
    ("Wijken af", fmt.getal(n.get(regels.WIJKT_AF, 0)), "Regels waarvan minstens één onderwerp afwijkt."),
    ("Niet te beoordelen", fmt.getal(n.get(regels.NIET_TE_BEOORDELEN, 0)),
     "Regels waarvoor gegevens ontbreken (een soort niet geladen, een eenheid uit de notitie niet gevonden)."),
])
focus = st.query_params.get("regel")  # a signal on the start page opens its rule, the others closed
alleen = st.toggle("Alleen regels die afwijken of niet te beoordelen zijn", key="alleen_afwijkingen")

for r in per_regel.itertuples():
    if alleen and r.status == regels.VOLDOET:
        continue
    telling = " · ".join(f"{fmt.getal(getattr(r, regels.KOLOM[s]))} {s}" for s in regels.STATUSSEN
                         if getattr(r, regels.KOLOM[s]))
    with st.expander(f"{safe.md(r.regel)} — {telling or 'geen onderwerpen'}", icon=regels.STATUS_ICOON.get(
            r.status, ":material/help:"), expanded=(r.regel_id == focus) if focus else r.status != regels.VOLDOET):
        st.caption(f"Bron: {safe.md(r.bron)}")
        st.caption(f"Hoe getoetst: {safe.md(regelset.loc[r.regel_id, 'toets'])}")
        widgets.text_table(data.ref(regels.tabel_van_regel, data.ref(queries.regelcontrole), r.regel_id),
                           {"onderwerp": ("Onderwerp", 240), "status": ("Status", 130), "toelichting": ("Toelichting", 1100)},
                           key=f"regel-{r.regel_id}")
