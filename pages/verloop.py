"""Door de tijd: formatie, bezetting, vacatures and span per coach over every loaded version
of the formatie and the was/wordt-lijst, by peildatum (a trend, not only a two-version
compare). Which versions count at a peildatum: see docs/rules.md."""
import streamlit as st

from stuurbord import data
from stuurbord.data import queries
from stuurbord.domain import organisatie as org
from stuurbord.ui import charts, fmt, safe, widgets

widgets.page_guard()

st.title("Door de tijd")
widgets.require("organisatie", "wasword")
st.caption("Per peildatum van een geladen versie van de formatie of de was/wordt-lijst: de versies die op die "
           "datum golden (de laatste met een peildatum op of vóór die datum).")

per_ref = data.ref(queries.organisatie_verloop)
tot_ref = data.ref(org.verloop_totaal, per_ref)
if len(tot_ref.get()) < 2:
    st.info("Er is maar één peildatum geladen; een verloop ontstaat zodra een nieuwere versie is geladen.",
            icon=":material/info:")

st.subheader("Formatie, bezetting en vacatures")
widgets.chart(data.get(charts.verloop, tot_ref), "verloop-organisatie")
widgets.dutch_table(tot_ref, {"peildatum": "datum", "formatie_fte": "fte", "bezetting_fte": "fte",
                              "vacature_fte": "fte", "personen": "getal", "organisatie_versie": "getal",
                              "wasword_versie": "getal"},
                    {"peildatum": "Peildatum", "organisatie_versie": "Versie formatie",
                     "wasword_versie": "Versie was/wordt-lijst", "formatie_fte": "Formatie fte",
                     "bezetting_fte": "Bezetting fte", "vacature_fte": "Vacatures fte",
                     "personen": "Personen (som per eenheid)"}, key="verloop_totaal")

st.subheader("Span per coach/coördinator")
span_ref = data.ref(queries.span_verloop)
span = span_ref.get()
norm = float(span["norm_fte"].iloc[0]) if len(span) else widgets.span_norm()
coaches = data.get(org.namen, span_ref, "coach")
extra: tuple[str, ...] = ()
if len(coaches) > org.MAX_COACHES_IN_VERLOOP:  # a line per coach would be unreadable
    caption = st.empty()
    extra = tuple(st.multiselect("Ook in de grafiek", coaches, key="verloop_coaches", format_func=safe.keuze,
                                 placeholder="Kies coach/coördinatoren"))
shown_ref = data.ref(org.span_verloop_selectie, span_ref, norm, org.MAX_COACHES_IN_VERLOOP, extra)
if len(coaches) > org.MAX_COACHES_IN_VERLOOP:
    caption.caption(f"De grafiek toont wie op een peildatum boven de norm kwam en verder de grootste spans: "
                    f"{fmt.aantal_tekst(shown_ref.get()['coach'].nunique(), 'lijn', 'lijnen')}. De tabel hieronder "
                    f"heeft alle {fmt.getal(len(coaches))} coach/coördinatoren.")
widgets.chart(data.get(charts.span_verloop, shown_ref, norm), "verloop-span")
wide_ref = data.ref(org.span_verloop_breed, span_ref)
dates = list(wide_ref.get().columns[1:])
widgets.dutch_table(wide_ref, {c: "fte" for c in dates}, {"coach": "Coach/coördinator"} | {c: fmt.datum(c) for c in dates},
                    key="verloop_span")

st.subheader("Per eenheid")
eenheid = st.selectbox("Eenheid", data.get(org.namen, per_ref, "eenheid"), key="eenheid", format_func=safe.keuze)
widgets.dutch_table(data.ref(org.verloop_van_eenheid, per_ref, eenheid),
                    {"peildatum": "datum", "formatie_fte": "fte", "bezetting_fte": "fte", "vacature_fte": "fte",
                     "personen": "getal"},
                    {"peildatum": "Peildatum", "formatie_fte": "Formatie fte", "bezetting_fte": "Bezetting fte",
                     "vacature_fte": "Vacatures fte", "personen": "Personen"}, key="verloop_eenheid")
