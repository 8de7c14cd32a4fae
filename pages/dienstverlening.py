"""Dienstverleningsnormen: scores against the norms over the P&C periods."""
import streamlit as st

from stuurbord import data, ui

ui.page_guard()

st.title("Dienstverleningsnormen")
ui.require("kpi")
ui.peildatum_caption("kpi")
st.dataframe(data.get("kpi_scores"), hide_index=True)
