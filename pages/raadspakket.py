"""Raadspakket: one click builds the council pack — a PDF with every view (cover page,
charts, key tables, page numbers, provenance on every page) and an Excel workbook with
one sheet per view. Layout only: the pack is stuurbord.export.pack."""
import streamlit as st

from stuurbord import data
from stuurbord.ui import fmt, widgets
from stuurbord.access import audit, identity, privacy
from stuurbord.export import images, pack

widgets.page_guard()

st.title("Raadspakket")
if not data.versions():
    widgets.require("organisatie", "wasword")
st.markdown("Eén klik maakt het pakket voor de raad van de **huidige versies**: een PDF met alle overzichten "
            "(voorblad, grafieken, tabellen, paginanummers) en een Excel-werkmap met één blad per overzicht. "
            "Onder elke pagina en elk blad staan de versies, de peildatum, het tijdstip en de SHA-256 van de "
            "bronbestanden, zodat elk getal in een raadsstuk terug te voeren is op de upload waar het vandaan komt.")
widgets.peildatum_caption("organisatie", "wasword", "opgaven", "kpi")
st.info(privacy.REGEL, icon=":material/shield_person:")
images.warm_up()
if not images.available():
    st.warning(images.MELDING + " Het pakket bevat dan alleen de Excel-werkmap.", icon=":material/warning:")

ss = st.session_state
if st.button("Raadspakket maken", type="primary", icon=":material/picture_as_pdf:", key="pakket_maken"):
    with st.status("Raadspakket maken: gegevens verzamelen, grafieken tekenen, PDF opmaken…", expanded=False) as status:
        try:
            ss["pakket"] = pack.build(data.connection())
        except pack.PakketFout as exc:  # says why, in Dutch (details in the server log)
            ss.pop("pakket", None)
            status.update(label="Het raadspakket is niet gemaakt.", state="error")
            st.error(str(exc), icon=":material/error:")
        else:
            audit.raadspakket(identity.current(), ss["pakket"].naam, ss["pakket"].herkomst.versions,
                              f"{ss['pakket'].pages} pagina's" if ss["pakket"].pdf else "alleen Excel")
            status.update(label=f"Raadspakket gemaakt in {fmt.getal(ss['pakket'].seconds, 1)} seconden.",
                          state="complete")

pakket = ss.get("pakket")
if pakket is not None:
    current = {k: v["version"] for k, v in data.versions().items()}
    made_of = {k: v["version"] for k, v in pakket.herkomst.versions.items()}
    who = identity.current()
    if current != made_of:
        st.warning("Sinds het maken van dit pakket is er een nieuwe versie geladen of teruggezet. Maak het pakket "
                   "opnieuw.", icon=":material/update:")
    st.success(f"Pakket van {fmt.tijdstip(pakket.herkomst.generated)} · peildatum {pakket.herkomst.peildatum()}"
               + (f" · {fmt.aantal_tekst(pakket.pages, 'pagina', 'pagina’s')}" if pakket.pdf else ""),
               icon=":material/task_alt:")
    if pakket.melding and images.available():  # without Chromium the warning above already says it
        st.warning(pakket.melding, icon=":material/warning:")
    c1, c2 = st.columns(2)
    if pakket.pdf is not None:
        c1.download_button("PDF downloaden", audit.download(pakket.pdf, who, f"{pakket.naam}.pdf", made_of),
                           file_name=f"{pakket.naam}.pdf", mime="application/pdf",
                           on_click="ignore", icon=":material/picture_as_pdf:", type="primary", key="pakket_pdf")
    c2.download_button("Excel downloaden", audit.download(pakket.xlsx, who, f"{pakket.naam}.xlsx", made_of),
                       file_name=f"{pakket.naam}.xlsx", mime=widgets.XLSX,
                       on_click="ignore", icon=":material/table_view:", key="pakket_xlsx")
    st.markdown("**Inhoud**\n\n" + "\n".join(f"{n}. {s.title}" for n, s in enumerate(pakket.sections, 1)))
    with st.expander("Herkomst (staat onder elke pagina)", icon=":material/fingerprint:"):
        st.markdown("\n\n".join(pakket.herkomst.lines()))
