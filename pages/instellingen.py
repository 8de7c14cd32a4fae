"""Instellingen (role beheer): the settings that change what every page shows — the span
norm and the capacity threshold of opgaven. The suppression threshold of the raad's
figures is shown, not set: it is fixed by policy. Every change is recorded in the logboek."""
import streamlit as st

from etl import instellingen, store
from stuurbord import data
from stuurbord.access import identity, privacy
from stuurbord.ui import fmt, widgets

widgets.page_guard()
ss = st.session_state

st.title("Instellingen")
st.markdown("Deze instellingen gelden voor iedereen en voor het raadspakket. Op de pagina's kan een gebruiker een "
            "andere waarde proberen; die geldt dan alleen voor zijn eigen weergave. Elke wijziging komt in het "
            "logboek.")
if done := ss.pop("instellingen_done", None):
    st.success(done, icon=":material/check_circle:")

current = data.settings()
span_norm = round(instellingen.value(current, "span_norm_fte"))
grens = round(instellingen.value(current, "capaciteit_grens") * 100)
with st.form("instellingen", border=True):
    # whole numbers only: Streamlit's number input would print a decimal point, not a comma
    new_norm = st.number_input("Norm span of attention (fte per coach/coördinator)", min_value=1, max_value=100,
                               value=span_norm, step=1, key="instelling_span_norm",
                               help="De notitie managementstructuur noemt maximaal 22 fte.")
    new_grens = st.number_input("Grens capaciteitsclaim van opgaven (% van de bezetting van een eenheid)",
                                min_value=1, max_value=100, value=grens, step=1, key="instelling_grens",
                                help="Een eenheid is overvraagd als lopende opgaven samen meer fte vragen dan dit "
                                     "deel van haar bezetting.")
    opslaan = st.form_submit_button("Opslaan", type="primary", icon=":material/save:", key="instellingen_opslaan")
st.caption(f"Onderdrukking van kleine aantallen voor de raad: cijfers over minder dan {privacy.DREMPEL} personen "
           f"staan er als {privacy.ONDERDRUKT}. Dit ligt vast in het beleid en is hier niet aan te passen.")

if opslaan:
    who = identity.require(identity.INSTELLINGEN)  # the role at the moment of writing
    changes = [(key, new) for key, new, old in (("span_norm_fte", new_norm, span_norm),
                                                 ("capaciteit_grens", new_grens / 100, grens / 100))
               if abs(new - old) > 1e-9]
    if not changes:
        st.info("Er is niets gewijzigd.", icon=":material/info:")
        st.stop()
    data.release()  # DuckDB: no read-write connection while this run holds a read-only one
    try:
        for key, new in changes:
            instellingen.change(key, new, who)
    except instellingen.InvalidSetting as exc:
        st.error(str(exc), icon=":material/block:")
        st.stop()
    except store.StoreBusy as exc:
        st.error(str(exc), icon=":material/hourglass_top:")
        st.stop()
    ss["instellingen_done"] = "Opgeslagen: " + "; ".join(
        f"{instellingen.SETTINGS[k].label} {fmt.getal(v) if k == 'span_norm_fte' else fmt.pct(v, 0)}"
        for k, v in changes) + "."
    st.rerun()
