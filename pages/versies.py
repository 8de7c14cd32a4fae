"""Versies: every load per kind, which one is current."""
import streamlit as st

from stuurbord import data, fmt, ui

ui.page_guard()

st.title("Versies")
st.markdown("Elke keer dat een bestand wordt geladen ontstaat een nieuwe versie. Eerdere versies blijven bewaard.")
if not data.versions():
    ui.require("organisatie")

history = data.get("versies")
for kind, label in ui.KIND_LABELS.items():
    part = history[history["kind"] == kind]
    if part.empty:
        continue
    st.subheader(label)
    ui.dutch_table(
        part[["version", "peildatum", "loaded_at", "loaded_by", "file_name", "rows", "is_current", "sha256"]].assign(
            is_current=part["is_current"].map({True: "huidig", False: ""}),
            sha256=part["sha256"].str[:12] + "…"),
        {"peildatum": "datum", "loaded_at": lambda t: f"{fmt.datum_kort(t)} {t:%H:%M}", "rows": "getal"},
        {"version": "Versie", "peildatum": "Peildatum", "loaded_at": "Geladen op", "loaded_by": "Door",
         "file_name": "Bestand", "rows": "Rijen", "is_current": "", "sha256": "SHA-256"})
