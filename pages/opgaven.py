"""Opgaven: the planbord of the weekly opgavenoverleg — which opgave stands where, what is
late, who owns it, and which eenheden are over-asked. Layout only: the rules live in
stuurbord.domain.opgaven, SQL in stuurbord.data.queries, charts in stuurbord.ui.charts."""
import pandas as pd
import streamlit as st

from etl import instellingen
from stuurbord.ui import charts, fmt, safe, texts, widgets
from stuurbord import data
from stuurbord.data import queries
from stuurbord.domain import opgaven as og
from stuurbord.export import views

widgets.page_guard()
MAX_BESPREEKPUNTEN = 15  # a large register has hundreds: the first ones, the rest on request

st.title("Opgaven")
widgets.require("opgaven")
widgets.peildatum_caption("opgaven", "organisatie", "wasword")

peildatum = data.versions()["opgaven"]["peildatum"]
voortgang = data.get(queries.opgave_voortgang)
if voortgang.empty:
    st.info("Het geladen opgavenregister bevat geen opgaven.", icon=":material/info:")
    st.stop()
ms_ref = data.ref(og.mijlpaal_status, data.ref(queries.opg_mijlpalen), peildatum)
widgets.raad_view("opgaven", views.opgaven, data.ref(queries.opgave_voortgang), data.ref(queries.opg_capaciteit), ms_ref)
gelinkt = widgets.from_link("opgave", "opgave", voortgang["opgave"].tolist())  # a signal on the start page
widgets.exports("opgaven", views.opgaven, data.ref(queries.opgave_voortgang), data.ref(queries.opg_capaciteit), ms_ref)
has_formatie = data.has("organisatie", "wasword")

# whole percentages only: Streamlit's number input would print a decimal point, not a comma
ingesteld = round(instellingen.value(data.settings(), "capaciteit_grens") * 100)
grens_pct = st.columns([1, 2])[0].number_input(
    "Grens capaciteitsclaim (% van de bezetting van een eenheid)", min_value=1, max_value=100,
    value=ingesteld, step=1, key="grens",
    help="Een eenheid is overvraagd als lopende opgaven samen meer fte vragen dan dit deel van haar bezetting. "
         f"Ingesteld is {ingesteld} % (Beheer → Instellingen); een andere waarde hier geldt alleen voor deze "
         "weergave.")
grens = grens_pct / 100
state_ref = data.ref(og.page_state, data.ref(queries.opg_mijlpalen), data.ref(queries.opg_capaciteit),
                     data.ref(queries.opgave_voortgang), data.ref(queries.fte_per_eenheid) if has_formatie else None,
                     peildatum, grens)
ms, per_eenheid, sig, codes = state_ref.get()

lopend = voortgang[voortgang["fase"] != og.AFGESLOTEN]
n_late = int((ms["status"] == og.TE_LAAT).sum())
n_late_gehaald = int((ms["status"] == og.TE_LAAT_GEHAALD).sum())
widgets.metrics([
    ("Lopende opgaven", fmt.getal(len(lopend)),
     f"{fmt.aantal_tekst(len(voortgang), 'opgave', 'opgaven')} in het register, waarvan "
     f"{fmt.getal(len(voortgang) - len(lopend))} afgesloten."),
    ("Mijlpalen te laat", fmt.getal(n_late),
     f"Nog niet gehaalde mijlpalen met een geplande datum vóór de peildatum ({fmt.datum(peildatum)}). "
     f"Daarnaast {fmt.aantal_tekst(n_late_gehaald, 'mijlpaal', 'mijlpalen')} te laat gehaald."),
    ("Overvraagde eenheden", fmt.getal(int(per_eenheid["overvraagd"].sum())) if has_formatie else fmt.MISSING,
     f"Eenheden waar lopende opgaven meer dan {fmt.pct(grens, 0)} van de bezetting vragen."),
    ("Afgesloten zonder evaluatie", fmt.getal(sum(og.ZONDER_EVALUATIE in c for c in codes.values())),
     "Een opgave wordt pas afgesloten nadat het succes is gevierd en de evaluatie is voltooid."),
    ("Over budget", fmt.getal(sum(og.OVER_BUDGET in c for c in codes.values())), "Besteed is meer dan het budget."),
    ("Zonder opdrachtgever", fmt.getal(sum(og.GEEN_OPDRACHTGEVER in c for c in codes.values())),
     "De strategisch adviseur is opdrachtgever van elke opgave."),
], columns=3)

punten = data.get(texts.bespreekpunten_van, data.ref(queries.opgave_voortgang), state_ref, grens)
with st.expander(f"Bespreekpunten voor het opgavenoverleg ({fmt.getal(len(punten))})", expanded=gelinkt is None,
                 icon=":material/checklist:"):
    if len(punten) > MAX_BESPREEKPUNTEN and not st.toggle(f"Alle {fmt.getal(len(punten))} bespreekpunten",
                                                          key="alle_punten"):
        st.caption(f"De eerste {MAX_BESPREEKPUNTEN}; de tabbladen Tabel en Mijlpalen hebben de rest.")
        punten = punten[:MAX_BESPREEKPUNTEN]
    st.markdown("\n".join(f"- {p}" for p in punten) if punten else "Geen signalen: alles loopt volgens plan.")


def _signal_text(opgave: str) -> str:
    return "; ".join(s.text for s in sig[opgave])


def card(r) -> None:
    st.markdown(f"**{safe.md(r.opgave)}**")
    ph = r.portefeuillehouder if pd.notna(r.portefeuillehouder) else fmt.MISSING
    # soft hyphen: "Portefeuille-houder" breaks the Dutch way in a narrow column
    st.markdown(f"Opdrachtgever: {safe.md(r.opdrachtgever)}  \nPortefeuille\u00adhouder: {safe.md(ph)}")
    if pd.notna(r.voortgang):
        st.progress(min(max(float(r.voortgang), 0.0), 1.0), text=f"Voortgang {fmt.pct(r.voortgang, 0)}")
    else:
        st.progress(0, text="Voortgang onbekend")
    use = og.budget_gebruik(r.budget, r.besteed)
    lines = []
    if pd.notna(r.budget):
        lines.append(f"Besteed {fmt.euro(r.besteed)} van {fmt.euro(r.budget)}"
                     + (f" (**{og.gebruik_tekst(use)}**)" if use is not None else ""))
    if r.mijlpalen:
        lines.append(f"Mijlpalen: {fmt.getal(r.mijlpalen_gehaald)} van {fmt.getal(r.mijlpalen)} gehaald")
    if lines:
        st.markdown("  \n".join(lines))
    badges = [s.badge() for s in sig[r.opgave]]
    st.markdown("  \n".join(badges) if badges else ":green-background[:material/check: Geen signalen]")


def planbord():
    st.caption("Eén kaart per opgave, per fase. Opdrachtgever = de strategisch adviseur. Signalen staan als "
               "label op de kaart.")
    n = None
    if len(voortgang) > og.MAX_KAARTEN_PER_FASE * len(og.FASEN):
        if not st.toggle(f"Alle {fmt.getal(len(voortgang))} kaarten tonen", key="alle_kaarten"):
            n = og.MAX_KAARTEN_PER_FASE
            st.caption(f"Per fase de {n} opgaven met de meeste signalen; de rest staat in de Tabel.")
    with st.container(key="planbord"):
        cols = st.columns(len(og.FASEN), gap="small")
        kaarten = data.get(og.planbord, data.ref(queries.opgave_voortgang), state_ref, n)  # once per version
        for col, (fase, (d, shown, rest)) in zip(cols, kaarten.items()):
            with col:
                st.markdown(f"#### {og.FASE_KOPPEN[fase]}")
                st.caption(fmt.aantal_tekst(len(d), "opgave", "opgaven"))
                for r in shown.itertuples():
                    with st.container(border=True):
                        card(r)
                if rest:
                    st.caption(f"en nog {fmt.getal(rest)} in deze fase")


TABLE_LABELS = {
    "opgave": "Opgave", "fase": "Fase", "signalen": "Signalen", "opdrachtgever": "Opdrachtgever",
    "portefeuillehouder": "Portefeuillehouder", "voortgang": "Voortgang", "gebruik": "Budgetgebruik",
    "te_laat_open": "Te laat (open)", "mijlpalen_te_laat": "Te laat of te laat gehaald", "mijlpalen": "Mijlpalen",
    "gevraagd_fte": "Gevraagd fte", "toegezegd_fte": "Toegezegd fte", "einde_gepland": "Einde gepland"}
SORTS = {"Volgorde van het register": None, "Fase": "fase_nr", "Voortgang": "voortgang",
         "Budgetgebruik": "gebruik", "Te laat (open)": "te_laat_open", "Gevraagd fte": "gevraagd_fte",
         "Einde gepland": "einde_gepland", "Opgave": "opgave"}


def tabel():
    late = ms[ms["status"] == og.TE_LAAT].groupby("opgave").size()
    t = voortgang.assign(
        gebruik=[og.budget_gebruik(b, s) for b, s in zip(voortgang["budget"], voortgang["besteed"])],
        te_laat_open=[int(late.get(o, 0)) for o in voortgang["opgave"]],
        signalen=[_signal_text(o) for o in voortgang["opgave"]],
        fase_nr=[og.FASEN.index(f) for f in voortgang["fase"]])
    c1, c2, c3, c4 = st.columns(4)
    ph = c1.multiselect("Portefeuillehouder", sorted(t["portefeuillehouder"].dropna().unique()), key="f_ph",
                        placeholder="Alle", format_func=safe.keuze)
    og_ = c2.multiselect("Opdrachtgever", sorted(t["opdrachtgever"].dropna().unique()), key="f_og",
                         placeholder="Alle", format_func=safe.keuze)
    fa = c3.multiselect("Fase", list(og.FASEN), key="f_fase", placeholder="Alle")
    sg = c4.multiselect("Signaal", list(og.SIGNALS), format_func=lambda c: og.SIGNALS[c][0], key="f_signaal",
                        placeholder="Alle")
    c5, c6, _ = st.columns([1, 1, 2])
    sort = c5.selectbox("Sorteren op", list(SORTS), key="sort")
    desc = c6.toggle("Aflopend", key="desc")
    mask = pd.Series(True, index=t.index)
    if ph:
        mask &= t["portefeuillehouder"].isin(ph)
    if og_:
        mask &= t["opdrachtgever"].isin(og_)
    if fa:
        mask &= t["fase"].isin(fa)
    if sg:
        mask &= t["opgave"].map(lambda o: bool(codes[o] & set(sg)))
    t = t[mask]
    if SORTS[sort]:
        t = t.sort_values(SORTS[sort], ascending=not desc, na_position="last", kind="stable")
    elif desc:
        t = t.iloc[::-1]
    st.caption(f"{fmt.aantal_tekst(len(t), 'opgave', 'opgaven')}. Te laat (open): nog niet gehaald en gepland "
               f"vóór de peildatum ({fmt.datum(peildatum)}); de kolom “te laat of te laat gehaald” telt ook "
               "mijlpalen die te laat zijn gehaald.")
    widgets.dutch_table(t[list(TABLE_LABELS)],
                   {"voortgang": lambda x: fmt.pct(x, 0), "gebruik": og.gebruik_tekst, "mijlpalen": "getal",
                    "te_laat_open": "getal", "mijlpalen_te_laat": "getal", "gevraagd_fte": "fte",
                    "toegezegd_fte": "fte", "einde_gepland": "datum"},
                   TABLE_LABELS)


DAGEN = lambda x: fmt.getal(x) if x else ""  # noqa: E731 - no "0" for milestones that are not late
MS_LABELS = {"opgave": "Opgave", "mijlpaal": "Mijlpaal", "gepland": "Gepland", "gerealiseerd": "Gehaald",
             "status": "Status", "dagen_te_laat": "Dagen te laat"}


def mijlpalen():
    st.caption(f"Elke mijlpaal op één regel, per opgave. ✕ = te laat en nog open (de lichte balk loopt van de "
               f"geplande datum tot de peildatum); ● oranje = te laat gehaald; ● groen = op tijd gehaald; "
               f"◇ = gepland. De rode stippellijn is de peildatum ({fmt.datum(peildatum)}).")
    ms_ref = data.ref(og.mijlpaal_status, data.ref(queries.opg_mijlpalen), peildatum)
    if len(ms) > og.MAX_MIJLPALEN_IN_CHART:
        st.caption(f"Er zijn {fmt.getal(len(ms))} mijlpalen; de tijdlijn toont de "
                   f"{fmt.getal(og.MAX_MIJLPALEN_IN_CHART)} die het meest te laat zijn, de tabel eronder alle.")
        ms_ref = data.ref(og.te_laat_eerst, ms_ref, og.MAX_MIJLPALEN_IN_CHART)
    widgets.chart(data.get(charts.mijlpalen_gantt, ms_ref, peildatum), "opgaven-mijlpalen")
    only = st.toggle("Alleen mijlpalen die te laat zijn", key="alleen_te_laat")
    shown = ms[ms["status"].isin([og.TE_LAAT, og.TE_LAAT_GEHAALD])] if only else ms
    widgets.dutch_table(shown[list(MS_LABELS)],
                   {"gepland": "datum", "gerealiseerd": "datum", "dagen_te_laat": DAGEN}, MS_LABELS)


def budget():
    st.caption("Budget en besteed per opgave. De tekst achter de balk is het budgetgebruik; rood = over budget. "
               "Vergelijk het gebruik met de voortgang in de tabel.")
    voortgang_ref = data.ref(queries.opgave_voortgang)
    if len(voortgang) > og.MAX_IN_CHART:
        st.caption(f"De grafiek toont de {og.MAX_IN_CHART} grootste budgetten; de tabel alle opgaven.")
        voortgang_ref = data.ref(og.grootste, voortgang_ref, "budget", og.MAX_IN_CHART)
    widgets.chart(data.get(charts.budget_besteed, voortgang_ref), "opgaven-budget")
    b = voortgang.assign(
        gebruik=[og.budget_gebruik(x, y) for x, y in zip(voortgang["budget"], voortgang["besteed"])],
        resterend=voortgang["budget"] - voortgang["besteed"])
    widgets.dutch_table(b[["opgave", "fase", "budget", "besteed", "resterend", "gebruik", "voortgang"]],
                   {"budget": "euro", "besteed": "euro", "resterend": "euro", "gebruik": og.gebruik_tekst,
                    "voortgang": lambda x: fmt.pct(x, 0)},
                   {"opgave": "Opgave", "fase": "Fase", "budget": "Budget", "besteed": "Besteed",
                    "resterend": "Resterend", "gebruik": "Budgetgebruik", "voortgang": "Voortgang"})


def capaciteit():
    if not has_formatie:
        st.info("Om de capaciteitsvraag tegen de bezetting af te zetten zijn de formatie en de was/wordt-lijst "
                "nodig; die zijn nog niet geladen. Hieronder alleen gevraagd en toegezegd per opgave.",
                icon=":material/info:")
    else:
        st.subheader("Per eenheid: welk deel van de bezetting vragen de opgaven?")
        st.caption(f"Alleen lopende opgaven (niet afgesloten). Rood = meer dan de grens van {fmt.pct(grens, 0)} "
                   "van de bezetting gevraagd (overvraagd).")
        over = per_eenheid[per_eenheid["overvraagd"]]
        if len(over):
            st.warning("Overvraagd: " + ", ".join(
                f"**{safe.md(r.eenheid)}** ({fmt.pct(r.aandeel_gevraagd)} gevraagd)" for r in over.itertuples()) + ".",
                icon=":material/warning:")
        grafiek = og.grootste(per_eenheid, "aandeel_gevraagd", og.MAX_IN_CHART)
        if len(grafiek) < len(per_eenheid):
            st.caption(f"De grafiek toont de {og.MAX_IN_CHART} eenheden die naar verhouding het meest gevraagd "
                       "worden; de tabel alle.")
        widgets.chart(charts.capaciteit_eenheden(grafiek, grens), "opgaven-capaciteit-eenheden")
        widgets.dutch_table(
            per_eenheid.assign(overvraagd=per_eenheid["overvraagd"].map({True: "ja", False: "nee"}))[
                ["eenheid", "cluster", "overvraagd", "aandeel_gevraagd", "aandeel_toegezegd", "gevraagd_fte",
                 "toegezegd_fte", "bezetting_fte", "opgaven", "namen"]],
            {"opgaven": "getal", "gevraagd_fte": "fte", "toegezegd_fte": "fte", "bezetting_fte": "fte",
             "aandeel_gevraagd": "pct", "aandeel_toegezegd": "pct"},
            {"eenheid": "Eenheid", "cluster": "Cluster", "opgaven": "Opgaven", "namen": "Welke opgaven",
             "gevraagd_fte": "Gevraagd fte", "toegezegd_fte": "Toegezegd fte", "bezetting_fte": "Bezetting fte",
             "aandeel_gevraagd": "Gevraagd van bezetting", "aandeel_toegezegd": "Toegezegd van bezetting",
             "overvraagd": "Overvraagd"})
        eenheden = per_eenheid["eenheid"].tolist()
        widgets.from_link("eenheid", "cap_eenheid", eenheden)  # a start-page signal opens this eenheid
        if "cap_eenheid" not in st.session_state and len(over):
            st.session_state["cap_eenheid"] = over["eenheid"].iloc[0]
        keuze = st.selectbox("Welke opgaven vragen capaciteit van", eenheden, key="cap_eenheid", format_func=safe.keuze)
        widgets.dutch_table(data.ref(og.vraag_aan_eenheid, data.ref(queries.opg_capaciteit),
                                     data.ref(queries.opgave_voortgang), keuze),
                            {"gevraagd_fte": "fte", "toegezegd_fte": "fte"},
                            {"opgave": "Opgave", "fase": "Fase", "gevraagd_fte": "Gevraagd fte",
                             "toegezegd_fte": "Toegezegd fte"}, key="cap_eenheid_tabel")
        with st.expander("Wat zegt de notitie managementstructuur?"):
            st.markdown(f"> {texts.MEMO_CAPACITEIT}")
    st.subheader("Per opgave: gevraagd en toegezegd")
    po = og.capaciteit_per_opgave(data.get(queries.opg_capaciteit))
    widgets.chart(charts.capaciteit_opgaven(og.grootste(po, "gevraagd_fte", og.MAX_IN_CHART)),
                  "opgaven-capaciteit-opgaven")
    widgets.dutch_table(po, {"gevraagd_fte": "fte", "toegezegd_fte": "fte", "tekort_fte": "fte"},
                   {"opgave": "Opgave", "gevraagd_fte": "Gevraagd fte", "toegezegd_fte": "Toegezegd fte",
                    "tekort_fte": "Nog niet toegezegd fte"})


def agenda():
    st.caption("Lange termijn agenda: per portefeuillehouder de looptijd van elke opgave (start tot einde gepland, "
               "kleur = fase) met de mijlpalen erop. ✕ = mijlpaal te laat; rode stippellijn = peildatum.")
    ph = None
    if len(voortgang) > og.MAX_IN_CHART:
        namen = sorted(voortgang["portefeuillehouder"].dropna().unique())
        ph = st.selectbox("Portefeuillehouder", namen, key="lta_ph", format_func=safe.keuze,
                          help=f"Er zijn {fmt.getal(len(voortgang))} opgaven: de agenda per portefeuillehouder.")
    widgets.chart(data.get(charts.lange_termijn_agenda,
                           data.ref(og.van_portefeuillehouder, data.ref(queries.opgave_voortgang), ph),
                           data.ref(og.mijlpaal_status, data.ref(queries.opg_mijlpalen), peildatum), peildatum),
                  "opgaven-lange-termijn-agenda")


def per_opgave():
    opgave = st.selectbox("Opgave", voortgang["opgave"].tolist(), key="opgave", format_func=safe.keuze)
    r = voortgang[voortgang["opgave"] == opgave].iloc[0]
    widgets.metrics([
        ("Fase", og.FASE_LABELS[r["fase"]], None),
        ("Voortgang", fmt.pct(r["voortgang"], 0), None),
        ("Budgetgebruik", og.gebruik_tekst(og.budget_gebruik(r["budget"], r["besteed"])),
         f"Besteed {fmt.euro(r['besteed'])} van {fmt.euro(r['budget'])}."),
        ("Mijlpalen te laat", fmt.getal(int(((ms["opgave"] == opgave) & (ms["status"] == og.TE_LAAT)).sum())),
         "Nog open en gepland vóór de peildatum."),
    ])
    st.markdown(f"**Opdrachtgever:** {safe.md(r['opdrachtgever'])} · **Portefeuillehouder:** "
                f"{safe.md(r['portefeuillehouder'] if pd.notna(r['portefeuillehouder']) else fmt.MISSING)} · "
                f"**Looptijd:** {fmt.datum(r['start'])} tot {fmt.datum(r['einde_gepland'])}")
    badges = [s.badge() for s in sig[opgave]]
    st.markdown(" ".join(badges) if badges else ":green-background[:material/check: Geen signalen]")
    if og.ZONDER_EVALUATIE in codes[opgave]:
        st.warning(f"Deze opgave staat op afgesloten zonder voltooide evaluatie. De notitie: {texts.MEMO_AFSLUITEN}",
                   icon=":material/rule:")

    st.subheader("Projecten")
    p = data.get(queries.opg_projecten)
    p = p[p["opgave"] == opgave]
    if p.empty:
        st.caption("Geen projecten bij deze opgave.")
    else:
        widgets.dutch_table(p[["project", "projectleider", "intern_extern", "fase", "voortgang"]],
                       {"voortgang": lambda x: fmt.pct(x, 0)},
                       {"project": "Project", "projectleider": "Projectleider", "intern_extern": "Intern/extern",
                        "fase": "Fase", "voortgang": "Voortgang"})
    st.subheader("Mijlpalen")
    m = ms[ms["opgave"] == opgave]
    if m.empty:
        st.caption("Geen mijlpalen bij deze opgave.")
    else:
        widgets.dutch_table(m[["mijlpaal", "gepland", "gerealiseerd", "status", "dagen_te_laat"]],
                       {"gepland": "datum", "gerealiseerd": "datum", "dagen_te_laat": DAGEN}, MS_LABELS)
    st.subheader("Capaciteit")
    cap = data.get(queries.opg_capaciteit)
    c = cap[cap["opgave"] == opgave]
    if c.empty:
        st.caption("Deze opgave vraagt geen capaciteit van eenheden.")
    else:
        e = per_eenheid.set_index(per_eenheid["eenheid"].str.lower())
        c = c.assign(
            tekort=c["gevraagd_fte"] - c["toegezegd_fte"].fillna(0),
            aandeel=[e["aandeel_gevraagd"].get(x.lower()) for x in c["eenheid"]],
            overvraagd=["ja" if e["overvraagd"].get(x.lower(), False) else "nee" for x in c["eenheid"]])
        widgets.dutch_table(c[["eenheid", "gevraagd_fte", "toegezegd_fte", "tekort", "aandeel", "overvraagd"]],
                       {"gevraagd_fte": "fte", "toegezegd_fte": "fte", "tekort": "fte", "aandeel": "pct"},
                       {"eenheid": "Eenheid", "gevraagd_fte": "Gevraagd fte", "toegezegd_fte": "Toegezegd fte",
                        "tekort": "Nog niet toegezegd fte", "aandeel": "Alle opgaven samen, van bezetting",
                        "overvraagd": "Eenheid overvraagd"})
    st.subheader("Historie over de versies")
    h = data.get(queries.opgave_historie, opgave)
    if len(h) < 2:
        st.caption("Er is één versie van het opgavenregister geladen; laad een nieuwere versie om het verloop te zien.")
    widgets.dutch_table(h[["version", "peildatum", "fase", "voortgang", "besteed", "mijlpalen_te_laat", "opdrachtgever"]],
                   {"version": "getal", "peildatum": "datum", "voortgang": lambda x: fmt.pct(x, 0),
                    "besteed": "euro", "mijlpalen_te_laat": "getal"},
                   {"version": "Versie", "peildatum": "Peildatum", "fase": "Fase", "voortgang": "Voortgang",
                    "besteed": "Besteed", "mijlpalen_te_laat": "Te laat of te laat gehaald", "opdrachtgever": "Opdrachtgever"})


# Lazy tabs: only the open tab runs; the tab is in the URL (?weergave=…) for links and screenshots.
tabs = st.tabs(["Planbord", "Tabel", "Mijlpalen", "Budget", "Capaciteit", "Lange termijn agenda", "Per opgave"],
               key="weergave", bind="query-params")
for tab, render in zip(tabs, (planbord, tabel, mijlpalen, budget, capaciteit, agenda, per_opgave)):
    if tab.open:
        with tab:
            render()
