"""Scenario's: what if Post & Archief moves to another coach, Wijkbeheer gets a third coach,
a vacancy is filled? Start from today's organisation, apply edits, and see the spans, the
norm breaches and the memo's rules beside today's. Edits live in this session only
(st.session_state); a saved scenario goes to its own table and never touches a loaded
version. Layout only: the model is stuurbord.domain.scenario, the rules
stuurbord.domain.regels, persistence stuurbord.data.scenarios."""
import pandas as pd
import streamlit as st

from etl import store
from etl.values import BadValue, parse_number
from stuurbord import data
from stuurbord.access import identity
from stuurbord.data import queries
from stuurbord.data import scenarios as opslag
from stuurbord.domain import opgaven as og
from stuurbord.domain import organisatie as org_domain
from stuurbord.domain import regels
from stuurbord.domain import scenario as sc
from stuurbord.export import views
from stuurbord.ui import charts, fmt, safe, texts, widgets

widgets.page_guard()

st.title("Scenario’s")
st.caption("Probeer een andere indeling van de organisatie en zie de span per coach/coördinator en de regels uit de "
           "notitie naast die van vandaag. De geladen gegevens veranderen nooit; een scenario bewaart u apart.")
widgets.require("organisatie", "wasword")
widgets.peildatum_caption("organisatie", "wasword", "opgaven")

KINDS = ("organisatie", "wasword", "opgaven")
invoer = data.ref(queries.regel_invoer)
vandaag = data.get(sc.uit_invoer, invoer)
basis_nu = {k: int(v["version"]) for k, v in data.versions().items() if k in KINDS}
norm = widgets.span_norm()
mag_opslaan = identity.allowed(identity.SCENARIO)


def nieuw() -> dict:
    return {"start": vandaag, "wijzigingen": [], "eerdere": [], "basis": dict(basis_nu), "naam": None}


state = st.session_state.setdefault("scenario", nieuw())  # this session's scenario, never shared
org, problemen = sc.alles_toepassen(state["start"], state["wijzigingen"])


def basis_tekst(basis: dict) -> str:
    return ", ".join(f"{texts.KIND_LABELS[k]} versie {v}" for k, v in sorted(basis.items()))


def verouderd(basis: dict) -> bool:
    return {k: basis.get(k) for k in basis_nu} != basis_nu


# --- edit -----------------------------------------------------------------------------------------
SOORTEN = {
    sc.VERPLAATS_EENHEID: "Eenheid naar een andere coach",
    sc.VERPLAATS_AANDEEL: "Deel van een eenheid naar een andere coach",
    sc.COACH_ERBIJ: "Coach/coördinator erbij",
    sc.COACH_ERAF: "Coach/coördinator eraf",
    sc.SPLITS: "Eenheid splitsen",
    sc.VOEG_SAMEN: "Eenheden samenvoegen",
    sc.FORMATIE: "Formatie van een eenheid wijzigen",
    sc.BEZETTING: "Bezetting van een eenheid wijzigen (vacature invullen)",
}
GEEN = "(niemand: de eenheden krijgen geen coach)"
ZELFDE = "(dezelfde coaches als de oude eenheid)"


def _fte_invoer(label: str, key: str, huidig: float):
    tekst = st.text_input(label, value=fmt.fte(huidig, 4), key=key, help="In fte, met een komma: 21,06.")
    try:
        return parse_number(tekst)
    except BadValue as exc:
        st.error(safe.md(str(exc)))
        return None


def wijziging_kiezen() -> dict | None:
    """The edit form; returns the edit when Toepassen was clicked (None otherwise)."""
    soort = st.selectbox("Wijziging", list(SOORTEN), format_func=SOORTEN.get, key="sc_soort")
    eenheden, coaches = org.eenheidnamen(), org.coachnamen()
    per = org.coaches_df()
    c1, c2, c3 = st.columns(3)
    w: dict = {"soort": soort}
    if soort in (sc.VERPLAATS_EENHEID, sc.VERPLAATS_AANDEEL, sc.SPLITS, sc.VOEG_SAMEN, sc.FORMATIE, sc.BEZETTING):
        w["eenheid"] = c1.selectbox("Eenheid", eenheden, key="sc_eenheid", format_func=safe.keuze)
    huidige = per.loc[per["eenheid"] == w.get("eenheid"), "coach"].tolist()
    if soort == sc.VERPLAATS_EENHEID:
        w["naar"] = c2.selectbox("Naar coach/coördinator", [c for c in coaches if c not in huidige] or coaches,
                                 key="sc_naar", format_func=safe.keuze)
    elif soort == sc.VERPLAATS_AANDEEL:
        w["van"] = c2.selectbox("Van coach/coördinator", huidige or ["–"], key="sc_van", format_func=safe.keuze)
        w["naar"] = c3.selectbox("Naar coach/coördinator", [c for c in coaches if c != w["van"]], key="sc_naar_deel", format_func=safe.keuze)
        w["aandeel"] = st.number_input("Aandeel van de eenheid dat verhuist (%)", min_value=1, max_value=100, value=50,
                                       step=1, key="sc_aandeel") / 100
    elif soort == sc.COACH_ERBIJ:
        w["naam"] = c1.text_input("Naam van de nieuwe coach/coördinator", key="sc_nieuwe_coach",
                                  placeholder="bijvoorbeeld Nieuwe coach Wijkbeheer")
    elif soort == sc.COACH_ERAF:
        w["naam"] = c1.selectbox("Coach/coördinator", coaches, key="sc_weg", format_func=safe.keuze)
        opvolger = c2.selectbox("Zijn of haar eenheden gaan naar", [GEEN] + [c for c in coaches if c != w["naam"]],
                                key="sc_opvolger", format_func=safe.keuze)
        w["opvolger"] = None if opvolger == GEEN else opvolger
    elif soort == sc.SPLITS:
        w["nieuwe_naam"] = c2.text_input("Naam van de nieuwe eenheid", key="sc_splits_naam")
        w["deel"] = c3.number_input("Deel voor de nieuwe eenheid (%)", min_value=1, max_value=99, value=50, step=1,
                                    key="sc_deel") / 100
        coach = st.selectbox("Coach/coördinator van de nieuwe eenheid", [ZELFDE] + coaches, key="sc_splits_coach", format_func=safe.keuze)
        w["coach"] = None if coach == ZELFDE else coach
    elif soort == sc.VOEG_SAMEN:
        w["met"] = c2.selectbox("Samen met", [e for e in eenheden if e != w["eenheid"]], key="sc_met", format_func=safe.keuze)
        w["nieuwe_naam"] = c3.text_input("Naam (leeg: de naam van de eerste)", key="sc_samen_naam")
    elif soort in (sc.FORMATIE, sc.BEZETTING):
        i = eenheden.index(w["eenheid"])
        huidig = org.eenheden[i][2 if soort == sc.FORMATIE else 3]
        label = "Nieuwe formatie (fte)" if soort == sc.FORMATIE else "Nieuwe bezetting (fte)"
        w["fte"] = _fte_invoer(label, f"sc_fte_{soort}_{i}", huidig)
        if w["fte"] is None:
            return None
    if st.button("Toepassen", icon=":material/play_arrow:", key="sc_toepassen", type="primary"):
        return w
    return None


def bewerken():
    global org, problemen
    if state["naam"]:
        st.markdown(f"Scenario **{safe.md(state['naam'])}** (opgeslagen; wijzigingen hieronder slaat u op met "
                    "dezelfde naam en Overschrijven).")
    if verouderd(state["basis"]):
        st.warning(f"Dit scenario is gemaakt op {basis_tekst(state['basis'])}; inmiddels is geladen: "
                   f"{basis_tekst(basis_nu)}. De kolom Vandaag komt uit de huidige gegevens, het scenario uit de "
                   "gegevens van toen.", icon=":material/update:")
        if st.button("Wijzigingen opnieuw toepassen op de huidige gegevens", key="sc_opnieuw"):
            state.update(start=vandaag, wijzigingen=state["eerdere"] + state["wijzigingen"], eerdere=[],
                         basis=dict(basis_nu))
            st.rerun()
    with st.container(border=True):
        w = wijziging_kiezen()
        if w is not None:
            try:
                org = sc.toepassen(org, w)
                state["wijzigingen"].append(w)
            except sc.OngeldigeWijziging as exc:
                st.error(safe.md(str(exc)), icon=":material/block:")
    for p in problemen:
        st.warning(f"Overgeslagen: {safe.md(p)}")
    alle = state["eerdere"] + state["wijzigingen"]
    if alle:
        st.markdown("**Wijzigingen in dit scenario**\n\n" + "\n".join(
            f"{i}. {safe.md(sc.beschrijving(x))}" for i, x in enumerate(alle, start=1)))
    b1, b2 = st.columns(2)
    if b1.button("Laatste wijziging ongedaan maken", key="sc_ongedaan", disabled=not state["wijzigingen"],
                 icon=":material/undo:"):
        state["wijzigingen"].pop()
        org, problemen = sc.alles_toepassen(state["start"], state["wijzigingen"])
        st.rerun()
    if b2.button("Opnieuw beginnen vanaf vandaag", key="sc_reset", icon=":material/restart_alt:"):
        st.session_state["scenario"] = nieuw()
        st.rerun()

    naast_elkaar(vandaag, org, "Vandaag", "Scenario")
    opslaan()


def naast_elkaar(a: sc.Organisatie, b: sc.Organisatie, la: str, lb: str, ka: str = "vandaag",
                 kb: str = "scenario") -> None:
    """Spans, norm breaches, rules and capacity of two organisations side by side (`la`, `lb`
    their names; `ka`, `kb` short words for table columns)."""
    def resultaten(o: sc.Organisatie):  # today: the view itself; a scenario: the same rules in memory
        return data.ref(queries.regelcontrole) if o == vandaag else data.ref(sc.regels_van, invoer, o)
    sam_a, sam_b = data.get(regels.samenvatting, resultaten(a)), data.get(regels.samenvatting, resultaten(b))
    cmp = data.get(sc.span_vergelijking, a, b, norm)
    left, right = st.columns(2)
    for col, label, sam, o, fte_col, boven_col in ((left, la, sam_a, a, "fte_voor", "boven_norm_voor"),
                                                   (right, lb, sam_b, b, "fte_na", "boven_norm_na")):
        with col:
            st.markdown(f"**{safe.md(label)}**")
            widgets.metrics([
                ("Coach/coördinatoren", fmt.getal(len(o.coachnamen())), None),
                ("Boven de norm", fmt.getal(int(cmp[boven_col].sum())), f"Meer dan {fmt.fte(norm, 0)} fte."),
                ("Grootste span", f"{fmt.fte(cmp[fte_col].max())} fte", None),
                ("Regels die afwijken", fmt.getal(int((sam["status"] == regels.WIJKT_AF).sum())),
                 f"Van de {fmt.getal(len(sam))} regels uit de notitie."),
            ], columns=2)
    st.subheader("Span per coach/coördinator")
    shown = sc.span_vergelijking_selectie(cmp, org_domain.MAX_COACHES_IN_CHART)
    widgets.chart(charts.span_vergelijking(shown, norm, la, lb), "scenario-span")
    st.caption(f"Rood: boven de norm van {fmt.fte(norm, 0)} fte in {safe.md(lb).lower()}."
               + ("" if len(shown) == len(cmp) else
                  f" De grafiek toont wie boven de norm zit of verandert en verder de grootste spans "
                  f"({fmt.getal(len(shown))} van {fmt.getal(len(cmp))}); de tabel heeft iedereen."))
    widgets.dutch_table(
        cmp[["coach", "eenheden_voor", "fte_voor", "eenheden_na", "fte_na", "verschil"]],
        {"fte_voor": "fte", "fte_na": "fte", "verschil": "signed"},
        {"coach": "Coach/coördinator", "eenheden_voor": f"Eenheden {ka}", "fte_voor": f"Fte {ka}",
         "eenheden_na": f"Eenheden {kb}", "fte_na": f"Fte {kb}", "verschil": "Verschil fte"},
        key="sc_span_tabel")
    st.subheader("Regels uit de notitie")
    sam = sam_a.merge(sam_b[["regel_id", "status", "wijkt_af"]], on="regel_id", how="outer",
                      suffixes=("_a", "_b")).sort_values("volgorde")
    widgets.dutch_table(
        sam.assign(status_a=sam["status_a"].map(regels.STATUS_LABEL), status_b=sam["status_b"].map(regels.STATUS_LABEL))[
            ["regel", "status_a", "wijkt_af_a", "status_b", "wijkt_af_b"]],
        {"wijkt_af_a": "getal", "wijkt_af_b": "getal"},
        {"regel": "Regel", "status_a": ka.capitalize(), "wijkt_af_a": f"Afwijkend {ka}", "status_b": kb.capitalize(),
         "wijkt_af_b": f"Afwijkend {kb}"}, key="sc_regels_tabel")
    verschil = data.get(sc.regels_vergelijking_van, invoer, a, b)
    st.markdown(f"**Wat verandert** ({fmt.aantal_tekst(len(verschil), 'uitkomst', 'uitkomsten')})")
    if len(verschil):
        st.markdown("\n".join(
            f"- **{safe.md(r.onderwerp)}** ({safe.md(r.regel.lower())}): "
            f"{regels.STATUS_LABEL.get(r.status_voor, fmt.MISSING)} → {regels.STATUS_LABEL.get(r.status_na, fmt.MISSING)}. "
            f"{safe.md(r.toelichting)}" for r in verschil.itertuples()))
    else:
        st.caption("Geen enkele uitkomst verandert.")
    if data.has("opgaven"):
        st.subheader("Capaciteitsvraag van opgaven per coach/coördinator")
        per_eenheid = data.ref(og.capaciteit_per_eenheid, data.ref(queries.opg_capaciteit),
                               data.ref(queries.opgave_voortgang), data.ref(queries.fte_per_eenheid), og.DEFAULT_GRENS)
        ca = data.get(sc.capaciteit_per_coach, a, per_eenheid, og.DEFAULT_GRENS)
        cb = data.get(sc.capaciteit_per_coach, b, per_eenheid, og.DEFAULT_GRENS)
        m = ca.merge(cb, on="coach", how="outer", suffixes=("_a", "_b"))
        st.caption(f"Wat lopende opgaven van de eenheden vragen, naar aandeel bij de coach/coördinator; overvraagd "
                   f"boven {fmt.pct(og.DEFAULT_GRENS, 0)} van de span.")
        janee = {True: "ja", False: "nee"}
        widgets.dutch_table(
            m.assign(overvraagd_a=m["overvraagd_a"].map(janee), overvraagd_b=m["overvraagd_b"].map(janee))[
                ["coach", "gevraagd_fte_a", "aandeel_gevraagd_a", "overvraagd_a", "gevraagd_fte_b",
                 "aandeel_gevraagd_b", "overvraagd_b"]],
            {"gevraagd_fte_a": "fte", "gevraagd_fte_b": "fte", "aandeel_gevraagd_a": lambda x: fmt.pct(x, 0),
             "aandeel_gevraagd_b": lambda x: fmt.pct(x, 0)},
            {"coach": "Coach/coördinator", "gevraagd_fte_a": f"Gevraagd fte {ka}",
             "aandeel_gevraagd_a": f"Van de span {ka}", "overvraagd_a": f"Overvraagd {ka}",
             "gevraagd_fte_b": f"Gevraagd fte {kb}", "aandeel_gevraagd_b": f"Van de span {kb}",
             "overvraagd_b": f"Overvraagd {kb}"}, key="sc_capaciteit_tabel")


def opslaan():
    st.subheader("Opslaan")
    if not mag_opslaan:
        st.info("Uw rol mag scenario’s bekijken maar niet opslaan.", icon=":material/lock:")
        return
    c1, c2 = st.columns([2, 1])
    naam = c1.text_input("Naam van het scenario", value=state["naam"] or "", key="sc_naam", max_chars=sc.MAX_NAAM,
                         placeholder="bijvoorbeeld Variant B")
    overschrijven = c2.checkbox("Overschrijven als die naam al bestaat", key="sc_overschrijven",
                                value=bool(state["naam"]))
    if st.button("Scenario opslaan", icon=":material/save:", key="sc_opslaan", disabled=not (state["eerdere"] or
                                                                                        state["wijzigingen"])):
        data.release()  # DuckDB: no read-write connection while this run holds a read-only one
        try:
            row = opslag.opslaan(naam, org, state["eerdere"] + state["wijzigingen"], state["basis"], overschrijven)
        except (opslag.GeenToegang, opslag.OngeldigScenario, store.StoreBusy) as exc:
            st.error(safe.md(str(exc)), icon=":material/block:")
        else:
            state["naam"] = row["naam"]
            st.success(f"Scenario ‘{safe.md(row['naam'])}’ opgeslagen door {safe.md(row['gewijzigd_door'])} "
                       f"op {fmt.tijdstip(row['gewijzigd_op'])}, op basis van {basis_tekst(state['basis'])}.",
                       icon=":material/check:")


# --- saved -----------------------------------------------------------------------------------------
def openen(naam: str) -> None:
    row = data.get(queries.scenario, naam)
    if row is None:
        st.error("Dit scenario bestaat niet meer.")
        return
    saved, wijzigingen, basis = opslag.uitpakken(row)
    if verouderd(basis):
        st.session_state["scenario"] = {"start": saved, "wijzigingen": [], "eerdere": wijzigingen, "basis": basis,
                                        "naam": row["naam"]}
    else:
        st.session_state["scenario"] = {"start": vandaag, "wijzigingen": wijzigingen, "eerdere": [], "basis": basis,
                                        "naam": row["naam"]}


def _open_verzoek(naam: str) -> None:
    """Button callback (runs before the next script run, outside the data run scope): ask the
    next run to open `naam` and show the Bewerken tab."""
    st.session_state["sc_open_verzoek"] = naam
    st.session_state["weergave"] = "Bewerken"


def opgeslagen():
    lijst = data.get(queries.scenarios)
    if lijst.empty:
        st.info("Er zijn nog geen scenario’s opgeslagen. Maak er een op het tabblad Bewerken.", icon=":material/info:")
        return
    basis = [opslag.basis_uit(b) for b in lijst["basis"]]
    widgets.dutch_table(
        lijst.assign(gebaseerd_op=[basis_tekst(b) for b in basis],
                     actueel=["ja" if not verouderd(b) else "nee, de gegevens zijn veranderd" for b in basis])[
            ["naam", "gemaakt_door", "gemaakt_op", "gewijzigd_op", "gebaseerd_op", "actueel"]],
        {"gemaakt_op": "tijdstip", "gewijzigd_op": "tijdstip"},
        {"naam": "Naam", "gemaakt_door": "Gemaakt door", "gemaakt_op": "Gemaakt op", "gewijzigd_op": "Gewijzigd op",
         "gebaseerd_op": "Gebaseerd op", "actueel": "Op de huidige gegevens"}, key="sc_lijst")
    keuze = st.selectbox("Scenario", lijst["naam"].tolist(), key="sc_keuze", format_func=safe.keuze)
    gekozen = lijst[lijst["naam"] == keuze].iloc[0]
    st.markdown(f"**{safe.md(keuze)}**: gemaakt door {safe.md(gekozen['gemaakt_door'])} op "
                f"{fmt.tijdstip(gekozen['gemaakt_op'])}, laatst gewijzigd op {fmt.tijdstip(gekozen['gewijzigd_op'])}, "
                f"gebaseerd op {basis_tekst(opslag.basis_uit(gekozen['basis']))}.")
    c1, c2, c3 = st.columns([1, 1, 2])
    c1.button("Openen", icon=":material/folder_open:", key="sc_openen", on_click=_open_verzoek, args=(keuze,))
    zeker = c3.checkbox("Ja, verwijderen", key="sc_zeker")
    if c2.button("Verwijderen", icon=":material/delete:", key="sc_verwijderen", disabled=not (zeker and mag_opslaan)):
        data.release()
        try:
            opslag.verwijderen(keuze)
        except (opslag.GeenToegang, store.StoreBusy) as exc:
            st.error(safe.md(str(exc)))
        else:
            if state["naam"] == keuze:
                state["naam"] = None
            st.success(f"Scenario ‘{safe.md(keuze)}’ verwijderd.")
            st.rerun()


def vergelijken():
    lijst = data.get(queries.scenarios)
    opties = ["Vandaag", "Dit scenario (nog niet opgeslagen)"] + lijst["naam"].tolist()
    c1, c2 = st.columns(2)
    la = c1.selectbox("Links", opties, index=0, key="sc_links", format_func=safe.keuze)
    lb = c2.selectbox("Rechts", opties, index=2 if len(opties) > 2 else 1, key="sc_rechts", format_func=safe.keuze)

    def org_van(keuze: str) -> sc.Organisatie:
        if keuze == "Vandaag":
            return vandaag
        if keuze == opties[1]:
            return org
        saved, _, basis = opslag.uitpakken(data.get(queries.scenario, keuze))
        if verouderd(basis):
            st.caption(f"{safe.md(keuze)} is gemaakt op {basis_tekst(basis)} (niet de huidige gegevens).")
        return saved
    a, b = org_van(la), org_van(lb)
    widgets.exports("scenario-vergelijking", views.scenario_vergelijking, invoer, a, b, la, lb, norm)
    naast_elkaar(a, b, la, lb, "links", "rechts")


if "sc_open_verzoek" in st.session_state:
    openen(st.session_state.pop("sc_open_verzoek"))
    state = st.session_state["scenario"]
    org, problemen = sc.alles_toepassen(state["start"], state["wijzigingen"])
tabs = st.tabs(["Bewerken", "Opgeslagen", "Vergelijken"], key="weergave", bind="query-params")
for tab, render in zip(tabs, (bewerken, opgeslagen, vergelijken)):
    if tab.open:
        with tab:
            render()
