"""Overzicht: the start page. One ranked list of what needs attention across organisation,
opgaven, dienstverleningsnormen and the memo's rules (stuurbord.domain.aandacht), each signal
with its owner, its figure against the line and a link to the view filtered on it; the
headline figures beside it; a warning when the loaded kinds' peildata lie far apart."""
import streamlit as st

from etl import instellingen
from stuurbord import data
from stuurbord.access import identity
from stuurbord.data import queries
from stuurbord.domain import aandacht, kpi
from stuurbord.domain import opgaven as og
from stuurbord.export import pack
from stuurbord.ui import fmt, safe, widgets

widgets.page_guard()
widgets.forget_links()

versions = data.versions()
waarschuwing = aandacht.peildata_waarschuwing(versions, widgets.KIND_LABELS)
titel, melding = st.columns([1, 3], vertical_alignment="center") if waarschuwing else (st.container(), None)
titel.title("Stuurbord")
if not versions:
    widgets.require("organisatie", "wasword")
if waarschuwing:  # at the top, beside the title: the list must stay above the fold
    melding.warning(waarschuwing, icon=":material/event_busy:")

namen = identity.allowed(identity.DETAILS)  # the raad sees no names and no person-derived signals
grens = instellingen.value(data.settings(), "capaciteit_grens")
has_org = data.has("organisatie", "wasword")

# --- the inputs of the list, as cached refs (nothing is computed twice across pages) ---------------------
resultaten = coach_eenheden = span_vorig = org_vorig = None
if data.has("organisatie"):
    resultaten = data.ref(queries.regelcontrole)
if has_org:
    coach_eenheden = data.ref(queries.coach_eenheden)
    span_vorig = data.ref(aandacht.vorige_peildatum, data.ref(queries.span_verloop))
    org_vorig = data.ref(aandacht.vorige_peildatum, data.ref(queries.organisatie_verloop))
voortgang = ms = per_eenheid = opg_vorig = None
if data.has("opgaven"):
    peil = versions["opgaven"]["peildatum"]
    voortgang = data.ref(queries.opgave_voortgang)
    ms = data.ref(og.mijlpaal_status, data.ref(queries.opg_mijlpalen), peil)
    if has_org:
        per_eenheid = data.ref(og.capaciteit_per_eenheid, data.ref(queries.opg_capaciteit), voortgang,
                               data.ref(queries.fte_per_eenheid), grens)
    opg_vorig = data.ref(queries.opg_vorige_versie)
card = card_vorig = None
periode_label = ""
if data.has("kpi"):
    hist = data.ref(kpi.history, data.ref(queries.kpi_scores), data.ref(queries.kpi_normen), "maand")
    perioden = kpi.periods(hist.get())
    if perioden:
        card = data.ref(kpi.scorecard, hist, data.ref(queries.kpi_normen), perioden[0], "maand")
        periode_label = kpi.period_label(perioden[0])
        if len(perioden) > 1:
            card_vorig = data.ref(aandacht.periode_scores, hist, perioden[1])
signalen = data.get(aandacht.voor, data.ref(aandacht.lijst, resultaten, coach_eenheden, span_vorig, org_vorig,
                                             voortgang, ms, per_eenheid, grens, opg_vorig, card, card_vorig,
                                             periode_label), namen)

# severity as a badge: colour *and* icon *and* word (never colour alone)
ERNST = ((1.0, "red", ":material/error:", "Ernstig"), (0.5, "orange", ":material/report:", "Let op"),
         (float("-inf"), "blue", ":material/info:", "Info"))
KOLOMMEN = [1.0, 3.3, 3.1, 2.0, 1.0]  # badge, subject and kind, figure against its line, owner, link


def signaal(r) -> None:
    kleur, icon, woord = next((k, i, w) for grens_, k, i, w in ERNST if r.ernst >= grens_)
    c0, c1, c2, c3, c4 = st.columns(KOLOMMEN, vertical_alignment="center", gap="small")
    c0.badge(woord, icon=icon, color=kleur,
             help=f"Ernst {fmt.getal(r.ernst, 2)}: hoe ver over de lijn, en erger of nieuw sinds de vorige keer.")
    c1.markdown(f"**{safe.md(r.onderwerp)}** :small[· {safe.md(r.label)}]")
    cijfer = " · ".join(x for x in (safe.md(r.waarde) if r.waarde else "", safe.md(r.norm) if r.norm else "") if x)
    trend = aandacht.verandering_tekst(r.verandering, r.sinds)
    c2.markdown(f":small[{cijfer}" + (f" · :grey[{trend}]" if trend else "") + "]")
    if r.eigenaar and not fmt.is_missing(r.eigenaar):
        c3.markdown(f":small[:grey[{r.eigenaar_rol.capitalize()}:] {safe.md(r.eigenaar)}]" if r.eigenaar_rol
                    else f":small[{safe.md(r.eigenaar)}]")
    c4.page_link(r.pagina, label="Open", icon=":material/arrow_forward:",
                 query_params=dict(r.params) if namen else None, help="Opent deze weergave, al gefilterd hierop.")


kop, schakel = st.columns([3, 1], vertical_alignment="bottom")
kop.subheader("Wat aandacht vraagt", anchor=False,
              help="Het ernstigste eerst: hoe ver boven de lijn (de norm, het budget, de geplande datum, de grens), "
                   "en erger of nieuw sinds de vorige versie of periode. "
                   + ("" if namen else "Zonder namen en zonder cijfers over personen (raad)."))
if signalen.empty:
    st.success("Niets boven de lijn: geen normen gemist, geen mijlpalen te laat, niemand boven de span-norm.",
               icon=":material/check_circle:")
else:
    alle = False
    if len(signalen) > aandacht.TOP:
        alle = schakel.toggle(f"Alle {fmt.getal(len(signalen))} signalen", key="alle_signalen")
    with st.container(border=True, key="aandacht", gap="small"):
        for r in (signalen if alle else signalen.head(aandacht.TOP)).itertuples():
            signaal(r)

# the headline figures, below the list
if has_org and namen:
    k = data.get(queries.kerncijfers)
    kern = [("Formatie", f"{fmt.fte(k['formatie_fte'])} fte", None),
            ("Bezetting", f"{fmt.fte(k['bezetting_fte'])} fte", "Som van de fte van alle plaatsingen."),
            ("Vacatures", f"{fmt.fte(k['vacature_fte'])} fte", "Formatie min bezetting."),
            ("Personen", fmt.getal(k["personen"]), "Unieke personen; iemand met twee plaatsingen telt één keer.")]
else:
    kern = []
if voortgang is not None:
    v, m = voortgang.get(), ms.get()
    kern += [("Lopende opgaven", fmt.getal(int((v["fase"] != og.AFGESLOTEN).sum())), None),
             ("Mijlpalen te laat", fmt.getal(int((m["status"] == og.TE_LAAT).sum())), og.TE_LAAT_DEFINITIE)]
    if per_eenheid is not None and namen:
        kern.append(("Overvraagde eenheden", fmt.getal(int(per_eenheid.get()["overvraagd"].sum())),
                     f"Lopende opgaven vragen meer dan {fmt.pct(grens, 0)} van de bezetting."))
if card is not None:
    n = kpi.counts(card.get())
    kern += [("Gehaald", fmt.getal(n[kpi.GEHAALD]), f"Dienstverleningsnormen gehaald in {periode_label}."),
             ("Net niet gehaald", fmt.getal(n[kpi.MARGE]), "Gemist binnen de marge."),
             ("Niet gehaald", fmt.getal(n[kpi.NIET_GEHAALD]), None),
             ("Niet gemeten", fmt.getal(n[kpi.GEEN_METING] + n[kpi.GEEN_NORM]), None)]
if kern:
    st.subheader("Kerncijfers", anchor=False)
    widgets.metrics(kern, columns=4)

widgets.peildatum_caption("organisatie", "wasword", "kpi", "opgaven")
if not namen:  # the raad: below the list, the Kerncijfers exactly as the raadspakket prints them
    widgets.raad_view("overzicht", pack.kerncijfers_van)
st.page_link("pages/raadspakket.py", label="Raadspakket maken (PDF en Excel voor de raad)",
             icon=":material/picture_as_pdf:")
