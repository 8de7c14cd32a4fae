"""Span of attention: how many fte (and people) each coach/coördinator leads."""
import streamlit as st

from stuurbord.ui import charts, fmt, safe, texts, widgets
from stuurbord import data
from stuurbord.data import queries
from stuurbord.domain import opgaven as og
from stuurbord.domain import organisatie as org
from stuurbord.domain import regels, scenario
from stuurbord.export import views

widgets.page_guard()
NOEM = 8                          # coaches named in the warning; the rest are in the table
MAX_UITZONDERINGEN_ALS_BLOK = 12  # more exceptions than this: one table

st.title("Span of attention")
widgets.require("organisatie", "wasword")
widgets.peildatum_caption("organisatie", "wasword")

norm_setting = round(widgets.span_norm())
widgets.raad_view("span", views.span, data.ref(queries.span_per_coach), data.ref(queries.fte_per_eenheid),
                  float(norm_setting))
span = data.get(queries.span_per_coach)
detail = data.get(queries.coach_eenheden)
gelinkt = widgets.from_link("coach", "coach", span["coach"].tolist())  # a signal on the start page


def coach_detail(coach) -> None:
    d = detail[detail["coach"] == coach]
    st.caption("Fte = aandeel × bezetting van de eenheid; personen idem, afgerond op één decimaal.")
    widgets.dutch_table(
        d[["eenheid", "cluster", "aandeel", "bezetting_fte", "fte_aandeel", "personen", "personen_aandeel",
           "coaches_van_eenheid"]],
        {"aandeel": lambda x: fmt.pct(x, 0), "bezetting_fte": "fte", "fte_aandeel": "fte", "personen": "getal",
         "personen_aandeel": widgets.GETAL1, "coaches_van_eenheid": "getal"},
        {"eenheid": "Eenheid", "cluster": "Cluster", "aandeel": "Aandeel", "bezetting_fte": "Bezetting eenheid",
         "fte_aandeel": "Fte voor deze coach", "personen": "Personen eenheid", "personen_aandeel": "Personen voor deze coach",
         "coaches_van_eenheid": "Coaches van de eenheid"})


# whole fte only: Streamlit's number input would print a decimal point, not a comma
norm = st.number_input("Norm (fte per coach/coördinator)", min_value=1, max_value=100, value=norm_setting,
                       step=1, key="norm",
                       help=f"De notitie managementstructuur noemt maximaal 22 fte; de ingestelde norm is "
                            f"{norm_setting} fte (Beheer → Instellingen). Een andere waarde hier geldt alleen voor "
                            "deze weergave.")
above = span[span["fte"] > norm]
widgets.exports("span", views.span, data.ref(queries.span_per_coach), data.ref(queries.fte_per_eenheid), float(norm),
                intern=(views.span_tabel, data.ref(queries.span_per_coach), data.ref(queries.fte_per_eenheid), "intern"))
widgets.metrics([
    ("Coach/coördinatoren", fmt.getal(len(span)), None),
    ("Boven de norm", fmt.getal(len(above)), f"Meer dan {fmt.getal(norm)} fte."),
    ("Grootste span", f"{fmt.fte(span['fte'].max())} fte", safe.md(span.sort_values("fte").iloc[-1]["coach"])),
    ("Gemiddelde span", f"{fmt.fte(span['fte'].mean())} fte", None),
])
if gelinkt is not None:  # opened from a signal: that coach first (the selector below shows the same)
    with st.container(border=True, key="gelinkt"):
        rij = span[span["coach"] == gelinkt].iloc[0]
        st.subheader(f"{safe.md(gelinkt)}: {fmt.fte(rij['fte'])} fte", anchor=False)
        st.markdown(f"Norm {fmt.getal(norm)} fte · {fmt.signed(rij['fte'] - norm)} fte ten opzichte van de norm · "
                    f"leidt {safe.md(rij['eenheden'])}")
        coach_detail(gelinkt)
if len(above):
    grootste = above.sort_values("fte", ascending=False)
    genoemd = ", ".join(f"{safe.md(r.coach)} ({fmt.fte(r.fte)} fte)" for r in grootste.head(NOEM).itertuples())
    rest = len(grootste) - NOEM
    st.warning(f"{fmt.aantal_tekst(len(above), 'coach/coördinator', 'coach/coördinatoren')} boven de norm van "
               f"{fmt.getal(norm)} fte: {genoemd}"
               + (f" en {fmt.aantal_tekst(rest, 'andere', 'anderen')} (zie de tabel)." if rest > 0 else "."),
               icon=":material/warning:")

shown_ref = data.ref(org.span_met_norm, data.ref(queries.span_per_coach), float(norm))
shown = shown_ref.get()
if len(span) > org.MAX_COACHES_IN_CHART:
    alle = st.toggle(f"Alle {fmt.getal(len(span))} coach/coördinatoren in de grafiek", key="span_alle")
    if not alle:
        st.caption(f"De grafiek toont iedereen boven de norm en verder de grootste spans, "
                   f"{fmt.getal(org.MAX_COACHES_IN_CHART)} in totaal; de tabel hieronder heeft ze allemaal.")
        shown_ref = data.ref(org.grootste_spans, shown_ref, org.MAX_COACHES_IN_CHART, float(norm))
widgets.chart(data.get(charts.span, shown_ref, float(norm)), "span-of-attention")

st.subheader("Uitzonderingen en afwijkingen")
st.caption("Getoetst aan de notitie managementstructuur: de uitzonderingen die de notitie noemt, zoals de gegevens ze "
           "nu laten zien, elke andere gedeelde coach of gesplitste eenheid, en wie boven de norm zit. Dezelfde "
           "uitkomsten staan op de pagina Regels uit de notitie.")
# the stored norm: the view; another norm on this page: the same rules evaluated with it
if float(norm) == widgets.span_norm():
    resultaten = data.ref(queries.regelcontrole)
else:
    resultaten = data.ref(regels.evalueer, data.ref(queries.regel_invoer), float(norm))
uitz = data.get(regels.uitzonderingen, resultaten, data.ref(queries.regels))
show = {regels.WIJKT_AF: st.warning, regels.NIET_TE_BEOORDELEN: st.info, regels.VOLDOET: st.success}
if len(uitz) > MAX_UITZONDERINGEN_ALS_BLOK:  # a large organisation: one table instead of a box per case
    widgets.dutch_table(uitz.assign(status=uitz["status"].map(regels.STATUS_LABEL))[
                            ["status", "onderwerp", "toelichting", "regel"]],
                        {}, {"status": "Status", "onderwerp": "Onderwerp", "toelichting": "Toelichting",
                             "regel": "Regel"})
else:
    for r in uitz.itertuples():
        show[r.status](f"**{regels.STATUS_LABEL[r.status]}** — {safe.md(r.toelichting)}",
                       icon=regels.STATUS_ICOON[r.status])
        st.caption(f"Regel: {safe.md(r.regel)}. Bron: {safe.md(r.bron)}")
if uitz.empty:
    st.markdown("Geen uitzonderingen en geen afwijkingen.")
st.page_link("pages/regels.py", label="Alle regels uit de notitie", icon=":material/rule:")
with st.expander("Wat zegt de notitie managementstructuur?"):
    st.markdown(f"> {texts.MEMO_SPAN}")

st.subheader("Per coach/coördinator")
tabel_ref = data.ref(org.span_met_norm, data.ref(queries.span_per_coach), float(norm))
zoekterm = (st.text_input("Zoek een coach/coördinator of eenheid", key="zoek_coach")
            if len(tabel_ref.get()) > org.MAX_COACHES_IN_CHART else None)
widgets.dutch_table(  # a ref: 1.100 coaches are formatted once per data version, not per run
    data.ref(org.span_tabel, tabel_ref, zoekterm), {"fte": "fte", "personen": widgets.GETAL1},
    {"coach": "Coach/coördinator", "eenheden": "Eenheden", "fte": "Fte", "personen": "Personen",
     "boven_norm": "Boven norm"})

coach = st.selectbox("Details van coach/coördinator", span["coach"].tolist(), key="coach", format_func=safe.keuze)
coach_detail(coach)

if data.has("opgaven"):
    st.subheader("Capaciteitsvraag van opgaven per coach/coördinator")
    st.caption(f"Wat lopende opgaven vragen van de eenheden, naar aandeel doorgerekend naar de coach/coördinator die "
               f"de eenheid leidt. Overvraagd: meer dan {fmt.pct(og.DEFAULT_GRENS, 0)} van de span (de grens van de "
               "pagina Opgaven).")
    per_coach = data.get(scenario.capaciteit_per_coach, data.ref(scenario.uit_invoer, data.ref(queries.regel_invoer)),
                         data.ref(og.capaciteit_per_eenheid, data.ref(queries.opg_capaciteit),
                                  data.ref(queries.opgave_voortgang), data.ref(queries.fte_per_eenheid),
                                  og.DEFAULT_GRENS), og.DEFAULT_GRENS)
    widgets.dutch_table(
        per_coach.assign(overvraagd=per_coach["overvraagd"].map({True: "ja", False: "nee"})),
        {"gevraagd_fte": "fte", "toegezegd_fte": "fte", "span_fte": "fte", "aandeel_gevraagd": lambda x: fmt.pct(x, 0)},
        {"coach": "Coach/coördinator", "eenheden": "Eenheden", "gevraagd_fte": "Gevraagd fte",
         "toegezegd_fte": "Toegezegd fte", "span_fte": "Span fte", "aandeel_gevraagd": "Gevraagd van de span",
         "overvraagd": "Overvraagd"})
