"""Toegankelijkheidsverklaring: every role (the raad included), with or without data loaded.
The content and the measured figures are in stuurbord/ui/toegankelijkheid.py."""
import streamlit as st

from stuurbord.access import identity
from stuurbord.ui import fmt, safe, toegankelijkheid as tg, widgets

widgets.page_guard()

st.title("Toegankelijkheid")
g = tg.GEMETEN
st.markdown(
    "De gemeente Wassenaar wil dat iedereen Stuurbord kan gebruiken, ook wie slecht ziet, kleuren niet "
    "onderscheidt of alleen het toetsenbord gebruikt. Stuurbord moet voldoen aan de **Web Content Accessibility "
    "Guidelines (WCAG) 2.1, niveau AA**, zoals het Besluit digitale toegankelijkheid overheid voorschrijft.")

st.subheader("Status")
st.markdown(f"Stuurbord voldoet **gedeeltelijk** aan WCAG 2.1 AA: de automatische meting vindt geen ernstige "
            f"problemen, maar er is nog geen onderzoek door een onafhankelijke deskundige gedaan en enkele teksten "
            f"van het onderliggende programma zijn Engels (zie hieronder).")

st.subheader("Hoe is dit gemeten?")
widgets.metrics([
    ("Pagina’s en tabbladen getest", fmt.getal(g["weergaven"]), "Elke pagina en elk tabblad, met de demogegevens."),
    ("Ernstige problemen", fmt.getal(g["ernstig"]), "Ernstig of kritiek volgens axe-core (WCAG 2.1 A en AA)."),
    ("Overige bevindingen", fmt.getal(g["overig"]), "Matig of gering volgens axe-core."),
    ("Vóór de verbeteringen", fmt.getal(g["voor"]),
     "Ernstige problemen op dezelfde pagina’s vóór de verbeteringen van december 2026."),
])
st.markdown(f"Laatst gemeten op {fmt.datum(g['datum'])} met axe-core {g['axe']} in Chromium, bij elke wijziging "
            "van Stuurbord opnieuw (de geautomatiseerde test faalt bij een ernstig probleem). Daarnaast is getest "
            "dat bestanden laden, een scenario maken en exporteren met alleen het toetsenbord gaan, met een "
            "zichtbare focus en zonder dat de focus vast komt te zitten in een venster.")

st.subheader("Bekende uitzonderingen")
st.markdown("\n".join(f"- {u}" for u in tg.UITZONDERINGEN))
st.markdown("**Engelse teksten die Stuurbord niet kan vertalen** (ze komen uit Streamlit, het programma waarop "
            "Stuurbord draait):")
st.markdown("\n".join(f"- “{safe.md(tekst)}”: {waar}" for tekst, waar in tg.ENGELS))

st.subheader("Contact")
st.markdown(f"Loopt u ergens tegenaan, of heeft u een gegeven in een andere vorm nodig? Neem contact op met "
            f"{safe.md(identity.config().contact)}. U krijgt binnen vijf werkdagen antwoord. Bent u niet tevreden "
            "over de afhandeling, dan kunt u een klacht indienen bij de gemeente Wassenaar.")
