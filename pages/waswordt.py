"""Van was naar wordt: where the placements of the was/wordt-lijst came from (old afdeling)
and went to (new eenheid), how people were placed per eenheid, and who has more than one
placement (names only for roles that may see personal data; counts for everyone else)."""
import streamlit as st

from stuurbord import data
from stuurbord.access import identity, privacy
from stuurbord.data import queries
from stuurbord.ui import charts, fmt, widgets

widgets.page_guard()

st.title("Van was naar wordt")
widgets.require("wasword")
widgets.peildatum_caption("wasword", "organisatie")

telling = data.get(queries.plaatsingen_en_personen)
widgets.metrics([
    ("Plaatsingen", fmt.getal(telling["plaatsingen"]), "Rijen van de was/wordt-lijst zonder de vacatures."),
    ("Personen", fmt.getal(telling["personen"]), "Unieke personeelsnummers."),
    ("Met meer dan één plaatsing", fmt.getal(telling["personen_dubbel"]),
     f"Samen {fmt.aantal_tekst(telling['plaatsingen_dubbel'], 'plaatsing', 'plaatsingen')}."),
])


def stromen_tab():
    flow = data.get(queries.stromen)
    maat = st.radio("Tel", ["plaatsingen", "fte"], horizontal=True, key="maat",
                    format_func={"plaatsingen": "Plaatsingen", "fte": "Fte"}.get)
    st.caption("Links de afdeling van vóór de reorganisatie (was), rechts de nieuwe eenheid (wordt). Vacatures komen "
               "uit ‘Vacature’. Elke rij van de was/wordt-lijst telt één keer mee.")
    widgets.chart(data.get(charts.stromen, data.ref(queries.stromen), maat), "was-wordt-stromen")
    st.subheader("De matrix achter het diagram")
    matrix = flow.pivot_table(index="van", columns="naar", values=maat, aggfunc="sum", fill_value=0)
    matrix["Totaal"] = matrix.sum(axis=1)
    matrix.loc["Totaal"] = matrix.sum(axis=0)
    how = "getal" if maat == "plaatsingen" else "fte"
    shown = matrix.reset_index().rename(columns={"van": "Was (afdeling)"})
    widgets.dutch_table(shown, {c: how for c in shown.columns if c != "Was (afdeling)"}, key="matrix",
                        height=35 * (len(shown) + 1) + 3)


def plaatsingsvorm_tab():
    per = data.get(queries.plaatsingsvorm_per_eenheid)
    cross = per.pivot_table(index="eenheid", columns="plaatsingsvorm", values="plaatsingen", aggfunc="sum",
                            fill_value=0)
    cross["Totaal"] = cross.sum(axis=1)
    cross.loc["Totaal"] = cross.sum(axis=0)
    shown = cross.reset_index().rename(columns={"eenheid": "Eenheid"})
    st.caption("Aantal plaatsingen (zonder vacatures) per eenheid en plaatsingsvorm.")
    widgets.dutch_table(shown, {c: "getal" for c in shown.columns if c != "Eenheid"}, key="vormen")


def dubbel_tab():
    st.caption(f"{fmt.getal(telling['plaatsingen'])} plaatsingen voor {fmt.getal(telling['personen'])} personen: "
               f"{fmt.aantal_tekst(telling['personen_dubbel'], 'persoon heeft', 'personen hebben')} meer dan één "
               "plaatsing.")
    if identity.allowed(identity.PERSOONSGEGEVENS):
        d = data.get(queries.dubbele_plaatsingen)
        widgets.personal_table(d, {"fte": widgets.FTE4},
                               {"personeelsnummer": "Personeelsnummer", "naam": "Naam", "eenheid": "Eenheid",
                                "nieuwe_functie": "Functie", "fte": "Fte", "plaatsingsvorm": "Plaatsingsvorm"})
    else:
        per = data.get(queries.dubbel_per_eenheid)
        st.caption(f"Namen zijn verborgen voor uw rol. Per eenheid het aantal personen met een plaatsing daar én "
                   f"elders; minder dan {privacy.DREMPEL} staat als {privacy.ONDERDRUKT}.")
        widgets.dutch_table(per.assign(personen=[privacy.ONDERDRUKT if privacy.too_few(n) else fmt.getal(n)
                                                 for n in per["personen"]]), {},
                            {"eenheid": "Eenheid", "personen": "Personen met meer plaatsingen"}, key="dubbel_telling")


tabs = st.tabs(["Stromen", "Plaatsingsvormen", "Dubbele plaatsingen"], key="weergave", bind="query-params")
for tab, render in zip(tabs, (stromen_tab, plaatsingsvorm_tab, dubbel_tab)):
    if tab.open:
        with tab:
            render()
