"""Opgaven: the planbord of the opgavenoverleg."""
import streamlit as st

from stuurbord import data, ui

ui.page_guard()

st.title("Opgaven")
ui.require("opgaven")
ui.peildatum_caption("opgaven")
st.dataframe(data.get("opgave_voortgang"), hide_index=True)
