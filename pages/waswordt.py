"""Van was naar wordt: where the placements of the was/wordt-lijst came from (old afdeling)
and went to (new eenheid), how people were placed per eenheid, and who has more than one
placement (names only for roles that may see personal data; counts for everyone else)."""
import streamlit as st

from stuurbord import data
from stuurbord.access import identity, privacy
from stuurbord.data import queries
from stuurbord.domain import organisatie as org
from stuurbord.ui import charts, fmt, safe, widgets

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


ALLE_CLUSTERS = "Alle clusters"


def stromen_tab():
    flow = data.get(queries.stromen)
    maat = st.radio("Tel", ["plaatsingen", "fte"], horizontal=True, key="maat",
                    format_func={"plaatsingen": "Plaatsingen", "fte": "Fte"}.get)
    clusters = sorted(flow["cluster"].fillna(org.ZONDER_CLUSTER).unique(), key=str.lower)
    cluster = None
    if flow["naar"].nunique() > org.MAX_EENHEDEN_IN_CHART:  # a line per eenheid would be unreadable
        keuze = st.selectbox("Cluster", [ALLE_CLUSTERS, *clusters], key="stromen_cluster", format_func=safe.keuze,
                             help="Kies een cluster om de stromen naar zijn eenheden te zien.")
        cluster = None if keuze == ALLE_CLUSTERS else keuze
    per_cluster = cluster is None and flow["naar"].nunique() > org.MAX_EENHEDEN_IN_CHART
    st.caption("Links de afdeling van vóór de reorganisatie (was), rechts "
               + ("het nieuwe cluster (wordt); kies een cluster voor zijn eenheden. " if per_cluster
                  else "de nieuwe eenheid (wordt). ")
               + "Vacatures komen uit ‘Vacature’. Elke rij van de was/wordt-lijst telt één keer mee.")
    shown = data.ref(org.stromen_per, data.ref(queries.stromen), cluster, per_cluster)
    widgets.chart(data.get(charts.stromen, shown, maat), "was-wordt-stromen")
    st.subheader("De matrix achter het diagram")
    matrix = data.get(org.stromen_matrix, shown, maat)
    how = "getal" if maat == "plaatsingen" else "fte"
    matrix = matrix.rename(columns={"van": "Was (afdeling)"})
    widgets.dutch_table(matrix, {c: how for c in matrix.columns if c != "Was (afdeling)"}, key="matrix",
                        height=35 * (len(matrix) + 1) + 3)


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
