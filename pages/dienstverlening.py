"""Dienstverleningsnormen: which norms are met, missed or not measured per P&C period,
with trends and notes that explain a dip. Layout only: aggregation and status rules live
in stuurbord.domain.kpi, SQL in stuurbord.data.queries, charts in stuurbord.ui.charts, the note write in
etl.annotations."""
import streamlit as st

from etl import annotations, store
from stuurbord.access import identity
from stuurbord.ui import charts, fmt, safe, texts, widgets
from stuurbord import data
from stuurbord.data import queries
from stuurbord.domain import kpi
from stuurbord.export import views

widgets.page_guard()

st.title("Dienstverleningsnormen")
widgets.require("kpi")
widgets.peildatum_caption("kpi")

scores_ref, normen_ref = data.ref(queries.kpi_scores), data.ref(queries.kpi_normen)
scores, normen = scores_ref.get(), normen_ref.get()
if normen.empty or scores.empty:
    st.info("Het geladen kpi-bestand bevat geen scores. Vul het blad **Scores** (Code, Periode, Waarde, "
            "eventueel Aantal) en laad het opnieuw.", icon=":material/info:")
    st.stop()

widgets.raad_view("kpi", views.dienstverlening, scores_ref, normen_ref, data.ref(queries.kpi_notities))

widgets.from_link("norm", "norm", normen["code"].tolist())  # a signal on the start page
ALLE_EENHEDEN, ALLE_BRONNEN = "Alle eenheden", "Alle bronnen"
c1, c2, c3, c4 = st.columns([1.5, 0.9, 1.3, 1.1], vertical_alignment="bottom")
with c1:
    grain = st.segmented_control(
        "Periode per", kpi.GRAINS, format_func=kpi.GRAIN_LABELS.get, default="maand", required=True,
        key="korrel", bind="query-params",
        help="Kwartalen, tertialen en jaren worden uit de maandscores berekend: gewogen naar aantal als elke "
             "maand een aantal heeft, anders het gewone gemiddelde.") or "maand"
hist_ref = data.ref(kpi.history, scores_ref, normen_ref, grain)
hist = hist_ref.get()
options = kpi.periods(hist)
if not options:
    st.info(f"Er zijn geen scores die per {grain} te tonen zijn.", icon=":material/info:")
    st.stop()
periode = c2.selectbox("Periode", options, format_func=kpi.period_label, key=f"periode_{grain}",
                       help="Standaard de laatste periode met gegevens.")
eenheid = c3.selectbox("Eenheid (proceseigenaar)", [ALLE_EENHEDEN] + kpi.eenheid_options(normen), key="eenheid",
                       format_func=safe.keuze)
bron = c4.selectbox("Bron", [ALLE_BRONNEN] + kpi.bron_options(normen), key="bron", format_func=safe.keuze)
shown_ref = data.ref(kpi.filter_norms, normen_ref, None if eenheid == ALLE_EENHEDEN else eenheid,
                     None if bron == ALLE_BRONNEN else bron)
shown = shown_ref.get()
if shown.empty:
    st.info("Geen normen voor deze combinatie van eenheid en bron.", icon=":material/filter_alt_off:")
    st.stop()

widgets.exports("kpi", views.dienstverlening, scores_ref, shown_ref, data.ref(queries.kpi_notities), grain,
           periode)
notes_ref = data.ref(kpi.notes_at, data.ref(queries.kpi_notities), grain, tuple(normen["code"]))
notes = notes_ref.get()
per_note_ref = data.ref(kpi.notes_per_period, notes_ref)
per_note = per_note_ref.get()
label = kpi.period_label(periode)

with st.expander("Hoe komen status en periodewaarde tot stand?", icon=":material/help:"):
    st.markdown(
        f"- {kpi.status_badge(kpi.GEHAALD)} de score haalt de streefwaarde.\n"
        f"- {kpi.status_badge(kpi.MARGE)} gemist, maar binnen de marge: **5 procentpunt** bij normen in procenten "
        f"(norm 80{fmt.NBSP}% → oranje vanaf 75{fmt.NBSP}%), **5{fmt.NBSP}% van de streefwaarde** bij andere "
        "eenheden (norm 5 dagen, lager is beter → oranje tot en met 5,25 dagen).\n"
        f"- {kpi.status_badge(kpi.NIET_GEHAALD)} gemist, verder dan de marge.\n"
        f"- {kpi.status_badge(kpi.GEEN_METING)} / {kpi.status_badge(kpi.GEEN_NORM)} geen score in deze periode, "
        "of de norm heeft geen streefwaarde: dan geen kleur in plaats van een verkeerde.\n\n"
        "**Kwartaal, tertiaal en jaar** worden berekend uit de maandscores. Heeft elke maand van de periode een "
        "*aantal* (bijvoorbeeld het aantal telefoontjes), dan telt elke maand mee naar dat aantal (gewogen "
        "gemiddelde); ontbreekt het aantal bij een maand, dan is het een gewoon gemiddelde. Per tegel staat welke "
        "methode is gebruikt en uit hoeveel maanden de waarde bestaat. Tertialen: januari–april, mei–augustus, "
        "september–december.")


TILES_PER_PAGE = 24   # a large municipality has hundreds of norms: the most urgent first, in pages
TRENDS_PER_PAGE = 12


def tile(r, sparks: dict) -> None:
    with st.container(border=True, height="stretch"):
        st.markdown(f"**{safe.md(r.omschrijving)}**")
        st.caption(f"{safe.md(r.eenheid if isinstance(r.eenheid, str) else kpi.GEEN_EENHEID)} · "
                   f"{safe.md(r.bron or fmt.MISSING)}")
        st.metric(f"{safe.md(r.code)} · {label}", kpi.waarde_tekst(r.waarde, r.meeteenheid))
        band = kpi.marge_tekst(r.streefwaarde, r.richting, r.meeteenheid)
        st.markdown(f"{kpi.status_badge(r.status)}  \nNorm {kpi.norm_tekst(r.streefwaarde, r.richting, r.meeteenheid)}"
                    + (f" · {band}" if band else ""))
        if r.code in sparks:
            widgets.sparkline(sparks[r.code], key=f"spark-{r.code}")
        if r.status == kpi.GEEN_METING:
            st.caption(kpi.geen_meting_tekst(r.laatste, periode))
        else:
            st.caption(kpi.methode_tekst(r.methode, r.delen, r.delen_verwacht, r.geleverd_per, r.aantal))
        for line in per_note.get((r.code, periode), []):
            st.caption(f"✎ {safe.md(line)}")


def scorekaart() -> None:
    card_ref = data.ref(kpi.scorecard, hist_ref, shown_ref, periode, grain)
    card, sparks = card_ref.get(), data.get(charts.kpi_sparklines, card_ref)
    n = kpi.counts(card)
    widgets.metrics([
        ("Gehaald", fmt.getal(n[kpi.GEHAALD]), "Normen waarvan de score de streefwaarde haalt."),
        ("Net niet gehaald", fmt.getal(n[kpi.MARGE]), f"Gemist binnen de marge (5 procentpunt, of 5{fmt.NBSP}% van "
                                                      "de streefwaarde bij normen die niet in procenten zijn)."),
        ("Niet gehaald", fmt.getal(n[kpi.NIET_GEHAALD]), "Gemist, verder dan de marge."),
        ("Niet gemeten", fmt.getal(n[kpi.GEEN_METING] + n[kpi.GEEN_NORM]),
         "Geen score in deze periode, of geen streefwaarde."),
    ])
    st.markdown(texts.kpi_samenvatting(n, label))
    st.caption("De tegels staan op urgentie: eerst niet gehaald, dan net niet, gehaald en niet gemeten. "
               "Het lijntje toont de laatste perioden; de stippellijn is de norm.")
    shown_rows = widgets.paginate(len(card), TILES_PER_PAGE, "tegels_pagina", "normen")
    rows = list(card.iloc[shown_rows.start:shown_rows.stop].itertuples(index=False))
    for start in range(0, len(rows), 4):
        for col, r in zip(st.columns(4), rows[start:start + 4]):
            with col:
                tile(r, sparks)


def trends() -> None:
    st.caption("Per norm alle perioden. ● groen = gehaald · ◆ oranje = net niet gehaald (lichtoranje band = "
               "marge) · ✕ rood = niet gehaald · groene stippellijn = norm · ✎ = notitie (beweeg over een punt "
               "voor details).")
    page = widgets.paginate(len(shown), TRENDS_PER_PAGE, "trends_pagina", "normen")
    rows = list(shown.iloc[page.start:page.stop].itertuples(index=False))
    for start in range(0, len(rows), 2):
        for col, n in zip(st.columns(2), rows[start:start + 2]):
            d_ref = data.ref(kpi.history_of, hist_ref, n.code)
            with col, st.container(border=True):
                st.markdown(f"**{safe.md(n.omschrijving)}**")
                st.caption(f"{safe.md(n.code)} · norm {kpi.norm_tekst(n.streefwaarde, n.richting, n.meeteenheid)} · "
                           f"{safe.md(n.eenheid if isinstance(n.eenheid, str) else kpi.GEEN_EENHEID)}")
                if d_ref.get().empty:
                    st.caption(f"Geen scores per {grain}.")
                    continue
                widgets.chart(data.get(charts.kpi_trend, d_ref, n.streefwaarde, n.richting, n.meeteenheid,
                                       data.ref(kpi.notes_for_code, per_note_ref, n.code)),
                              f"trend-{n.code}", key=f"trend-{n.code}")


def per_norm() -> None:
    melding = st.session_state.pop("dv_melding", None)
    if melding:
        st.success(melding, icon=":material/check:")
    codes = shown["code"].tolist()
    naam = dict(zip(shown["code"], shown["omschrijving"]))
    code = st.selectbox("Norm", codes, format_func=lambda c: safe.keuze(f"{safe.kort(naam[c], 200)} ({c})"),
                        key="norm")
    n = shown[shown["code"] == code].iloc[0]
    d = hist[hist["code"] == code]
    band = kpi.marge_tekst(n.streefwaarde, n.richting, n.meeteenheid)
    st.caption(f"Norm {kpi.norm_tekst(n.streefwaarde, n.richting, n.meeteenheid)}" + (f" · {band}" if band else "")
               + f" · {safe.md(n.eenheid if isinstance(n.eenheid, str) else kpi.GEEN_EENHEID)} · bron: "
               f"{safe.md(n.bron or fmt.MISSING)}")
    if d.empty:
        st.info(f"Voor deze norm zijn geen scores per {grain}.", icon=":material/info:")
    else:
        widgets.chart(charts.kpi_trend(d, n.streefwaarde, n.richting, n.meeteenheid, kpi.notes_for_code(per_note, code),
                                  height=380, large=True), f"norm-{code}")
        st.subheader("Historie")
        widgets.dutch_table(
            kpi.history_table(d, per_note),
            {"waarde": lambda x: kpi.waarde_tekst(x, n.meeteenheid), "aantal": "getal"},
            {"periode_label": "Periode", "waarde": "Waarde", "aantal": "n (aantal)", "bepaald": "Bepaald als",
             "status_label": "Status", "notitie": "Notitie"})

    if identity.allowed(identity.NOTITIE):
        note_form(code, naam, d)
    eigen = notes[notes["code"] == code]
    if len(eigen):
        st.subheader("Notities bij deze norm")
        widgets.dutch_table(
            eigen.assign(periode_label=[kpi.period_label(x) for x in eigen["notitie_periode"]])
                 .sort_values("tijdstip", ascending=False)[["periode_label", "tekst", "auteur", "tijdstip"]],
            {"tijdstip": "tijdstip"},
            {"periode_label": "Periode", "tekst": "Notitie", "auteur": "Auteur", "tijdstip": "Tijdstip"})


def note_form(code, naam, d) -> None:
    st.subheader("Notitie toevoegen")
    st.caption("Leg kort uit wat er speelde, bijvoorbeeld “storing telefooncentrale”. De notitie hoort bij de norm en "
               "de periode, niet bij een versie van het kpi-bestand: ze blijft staan als er nieuwe cijfers worden "
               "geladen. Een notitie bij een maand is ook te zien in het kwartaal, tertiaal en jaar van die maand.")
    keuzes = list(reversed(d["periode"].tolist())) or [periode]
    with st.form("notitie", clear_on_submit=True, border=True):
        f1, f2 = st.columns([1, 3])
        p = f1.selectbox("Periode", keuzes, index=keuzes.index(periode) if periode in keuzes else 0,
                         format_func=kpi.period_label, key="notitie_periode")
        tekst = f2.text_input("Notitie", max_chars=kpi.MAX_NOTITIE, placeholder="bijv. storing telefooncentrale",
                              key="notitie_tekst")
        f1.caption(f"Auteur: **{safe.md(identity.current().name)}** (van uw inlog)")
        if st.form_submit_button("Notitie opslaan", icon=":material/edit_note:", key="notitie_opslaan"):
            who = identity.require(identity.NOTITIE)  # the role at the moment of writing
            try:
                data.release()  # DuckDB: no read-write connection while this run holds a read-only one
                saved = annotations.add(code, p, tekst, who)
            except annotations.InvalidNote as exc:
                st.error(safe.md(str(exc)), icon=":material/edit_off:")
            except store.StoreBusy as exc:
                st.error(str(exc), icon=":material/hourglass:")
            else:
                st.session_state["dv_melding"] = (f"Notitie opgeslagen bij {safe.md(naam[code])}, "
                                                  f"{kpi.period_label(saved['periode'])}.")
                st.rerun()


# Lazy tabs: only the open tab runs; the tab is in the URL (?weergave=…) for links and screenshots.
tabs = st.tabs(["Scorekaart", "Trends", "Per norm"], key="weergave", bind="query-params")
for tab, render in zip(tabs, (scorekaart, trends, per_norm)):
    if tab.open:
        with tab:
            render()
