"""Span of attention: how many fte (and people) each coach/coördinator leads."""
import streamlit as st

from stuurbord.ui import charts, fmt, safe, texts, widgets
from stuurbord import data
from stuurbord.data import queries
from stuurbord.export import views

widgets.page_guard()

st.title("Span of attention")
widgets.require("organisatie", "wasword")
widgets.peildatum_caption("organisatie", "wasword")

span = data.get(queries.span_per_coach)
detail = data.get(queries.coach_eenheden)
norm_setting = round(float(data.settings().get("span_norm_fte", 22)))
# whole fte only: Streamlit's number input would print a decimal point, not a comma
norm = st.number_input("Norm (fte per coach/coördinator)", min_value=1, max_value=100, value=norm_setting,
                       step=1, key="norm",
                       help="De notitie managementstructuur noemt maximaal 22 fte. Een andere waarde hier geldt "
                            "alleen voor deze weergave.")
above = span[span["fte"] > norm]
widgets.exports("span", views.span, data.ref(queries.span_per_coach), data.ref(queries.fte_per_eenheid), float(norm),
                intern=(views.span_tabel, data.ref(queries.span_per_coach), data.ref(queries.fte_per_eenheid), "intern"))
widgets.metrics([
    ("Coach/coördinatoren", fmt.getal(len(span)), None),
    ("Boven de norm", fmt.getal(len(above)), f"Meer dan {fmt.getal(norm)} fte."),
    ("Grootste span", f"{fmt.fte(span['fte'].max())} fte", safe.md(span.sort_values("fte").iloc[-1]["coach"])),
    ("Gemiddelde span", f"{fmt.fte(span['fte'].mean())} fte", None),
])
if len(above):
    st.warning(f"{fmt.aantal_tekst(len(above), 'coach/coördinator', 'coach/coördinatoren')} boven de norm van "
               f"{fmt.getal(norm)} fte: "
               + ", ".join(f"{safe.md(r.coach)} ({fmt.fte(r.fte)} fte)" for r in above.itertuples()) + ".",
               icon=":material/warning:")

shown = span.assign(boven_norm=span["fte"] > norm, norm_fte=norm)
widgets.chart(charts.span(shown, norm), "span-of-attention")

st.subheader("Uitzonderingen")
sentences = texts.span_exceptions(shown, detail, norm)
st.markdown("\n".join(f"- {s}" for s in sentences) if sentences else "Geen uitzonderingen: elke eenheid heeft "
            "één eigen coach/coördinator en niemand zit boven de norm.")
with st.expander("Wat zegt de notitie managementstructuur?"):
    st.markdown(f"> {texts.MEMO_SPAN}")
for eenheid in data.get(queries.eenheden_zonder_coach):
    st.warning(f"Eenheid {safe.md(eenheid)} heeft geen coach/coördinator in het formatiebestand.")

st.subheader("Per coach/coördinator")
widgets.dutch_table(
    shown[["coach", "eenheden", "fte", "personen", "boven_norm"]].assign(
        boven_norm=shown["boven_norm"].map({True: "ja", False: "nee"})),
    {"fte": "fte", "personen": lambda x: fmt.getal(x, 1)},
    {"coach": "Coach/coördinator", "eenheden": "Eenheden", "fte": "Fte", "personen": "Personen",
     "boven_norm": "Boven norm"})

coach = st.selectbox("Details van coach/coördinator", span["coach"].tolist(), key="coach", format_func=safe.keuze)
d = detail[detail["coach"] == coach]
st.caption("Fte = aandeel × bezetting van de eenheid; personen idem, afgerond op één decimaal.")
widgets.dutch_table(
    d[["eenheid", "cluster", "aandeel", "bezetting_fte", "fte_aandeel", "personen", "personen_aandeel",
       "coaches_van_eenheid"]],
    {"aandeel": lambda x: fmt.pct(x, 0), "bezetting_fte": "fte", "fte_aandeel": "fte", "personen": "getal",
     "personen_aandeel": lambda x: fmt.getal(x, 1), "coaches_van_eenheid": "getal"},
    {"eenheid": "Eenheid", "cluster": "Cluster", "aandeel": "Aandeel", "bezetting_fte": "Bezetting eenheid",
     "fte_aandeel": "Fte voor deze coach", "personen": "Personen eenheid", "personen_aandeel": "Personen voor deze coach",
     "coaches_van_eenheid": "Coaches van de eenheid"})
