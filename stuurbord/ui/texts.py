"""Plain-Dutch sentences that explain figures (comparisons, exceptions, the
formation build-up). Pure functions on DataFrames; formatting through fmt.

Every function returns safe Markdown: text from the data (names of eenheden, coaches,
opgaven, milestones) goes through `safe.md`, so a page can pass the result to
`st.markdown` as it is."""
from __future__ import annotations


import pandas as pd

from . import fmt, safe

KIND_LABELS = {"organisatie": "Formatie en coaches", "wasword": "Was/wordt-lijst",
               "kpi": "Dienstverleningsnormen", "opgaven": "Opgaven"}

MEMO_SPAN = ("“In de regel heeft elke eenheid een eigen coach/coördinator maar daar zijn twee uitzonderingen op: "
             "de eenheden Ondersteuning en Openbare Orde en Veiligheid delen hun coach/coördinator. En voor de "
             "eenheid Wijkbeheer en groenonderhoud zijn twee coach/coördinatoren werkzaam. Daarmee is de span of "
             "attention voor alle coach/coördinatoren goed behapbaar (maximaal 22 fte).”")
MEMO_OPBOUW = ("“Dit percentage is gebaseerd op de financiële bijdrage die Wassenaar aan de WODV doet. Dit vertaalt "
               "zich niet 1:1 in het aantal fte dat ‘overkomt’ door verschillen in schalen.”")


def letterlijk(text) -> str:
    """Kept for code written before stuurbord.ui.safe: the same as `safe.md` (use that)."""
    return safe.md(text)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


# --- formation build-up ------------------------------------------------------------
def opbouw_explanation(opbouw: pd.DataFrame, formatie_total: float | None) -> list[str]:
    lines = opbouw[opbouw["onderdeel"] != "Totaal"]
    total = opbouw[opbouw["onderdeel"] == "Totaal"].iloc[0]
    out = []
    for _, r in lines.iterrows():
        sign = {"basis": "", "+": "plus ", "-": "min "}[r["bewerking"]]
        text = (f"{sign}{safe.md(r['onderdeel'])}: {fmt.fte(r['fte_onderdeel'])} × {fmt.pct(r['percentage'], 0)} = "
                f"{fmt.fte(r['fte_berekend'], 4)} fte")
        if pd.notna(r["fte_opgegeven"]) and abs(r["verschil"]) >= 0.00005:
            text += (f"; opgegeven is {fmt.fte(r['fte_opgegeven'], 4)} fte, dat is "
                     f"{fmt.signed(r['verschil'], 4)} fte {'meer' if r['verschil'] > 0 else 'minder'} dan berekend")
        elif pd.notna(r["fte_opgegeven"]):
            text += " (gelijk aan het opgegeven getal)"
        out.append(text + ".")
    summary = f"Berekend totaal: {fmt.fte(total['fte_berekend'], 4)} fte"
    if pd.notna(total["fte_opgegeven"]):
        summary += (f"; opgegeven totaal: {fmt.fte(total['fte_opgegeven'], 4)} fte (verschil "
                    f"{fmt.signed(total['verschil'], 4)} fte)")
    if formatie_total is not None:
        summary += f". De formatie in het blad Eenheden telt op tot {fmt.fte(formatie_total)} fte"
    out.append(summary + ".")
    if pd.notna(total["verschil"]) and abs(total["verschil"]) >= 0.005:
        out.append(f"Het verschil komt uit de opgegeven getallen, niet uit de rekensom. De notitie licht toe: "
                   f"{MEMO_OPBOUW}")
    return out


# --- was/wordt comparison -------------------------------------------------------------
def compare_sentences(per_eenheid: pd.DataFrame, changes: pd.DataFrame) -> list[str]:
    """'+1,50 fte bij Inwonersloket: 2 nieuwe plaatsingen, 1 vertrokken.'"""
    out = []
    for _, row in per_eenheid.iterrows():
        ch = changes[changes["eenheid"].str.lower() == str(row["eenheid"]).lower()]
        parts = []
        new = ch[(ch["status"] == "nieuw") & ~ch["bleef_in_dienst"]]
        moved_in = ch[(ch["status"] == "nieuw") & ch["bleef_in_dienst"]]
        left = ch[(ch["status"] == "vertrokken") & ~ch["bleef_in_dienst"]]
        moved_out = ch[(ch["status"] == "vertrokken") & ch["bleef_in_dienst"]]
        changed = ch[ch["status"] == "fte gewijzigd"]
        if len(new):
            parts.append(fmt.aantal_tekst(len(new), "nieuwe plaatsing", "nieuwe plaatsingen"))
        if len(moved_in):
            parts.append(fmt.aantal_tekst(len(moved_in), "collega overgekomen uit een andere eenheid",
                                "collega's overgekomen uit een andere eenheid"))
        if len(left):
            parts.append(fmt.aantal_tekst(len(left), "plaatsing vervallen (uit dienst)", "plaatsingen vervallen (uit dienst)"))
        if len(moved_out):
            parts.append(fmt.aantal_tekst(len(moved_out), "collega naar een andere eenheid", "collega's naar een andere eenheid"))
        if len(changed):
            parts.append(fmt.aantal_tekst(len(changed), "fte-wijziging", "fte-wijzigingen"))
        if abs(row["fte_verschil"]) < 0.00005 and not parts:
            continue
        out.append(f"{fmt.signed(row['fte_verschil'])} fte bij {safe.md(row['eenheid'])}"
                   + (f": {', '.join(parts)}." if parts else "."))
    return out


def person_summary(changes: pd.DataFrame) -> dict[str, int]:
    """Persons who joined or left the organisation, and who moved between eenheden."""
    stayed = changes[changes["bleef_in_dienst"]]
    moved = stayed[stayed["status"].isin(["nieuw", "vertrokken"])]["personeelsnummer"].nunique()
    return {
        "in_dienst": changes[(changes["status"] == "nieuw") & ~changes["bleef_in_dienst"]]["personeelsnummer"].nunique(),
        "uit_dienst": changes[(changes["status"] == "vertrokken") & ~changes["bleef_in_dienst"]]["personeelsnummer"].nunique(),
        "verplaatst": moved,
        "fte_gewijzigd": changes[changes["status"] == "fte gewijzigd"]["personeelsnummer"].nunique(),
    }


# --- opgaven ---------------------------------------------------------------------------------
MEMO_AFSLUITEN = ("“Ook belangrijk: een opgave wordt pas afgesloten nadat het succes is gevierd en de evaluatie "
                  "is voltooid.”")
MEMO_OPDRACHTGEVER = ("“In beide gevallen vervult de strategisch adviseur de rol van opdrachtgever en stuurt op de "
                      "realisatie van de opgave.”")
MEMO_CAPACITEIT = ("“Voor het evenwicht tussen vraag en aanbod, in dit geval tussen het werk en de personele "
                   "capaciteit, stemmen de projectverantwoordelijken en de coach/coördinatoren de opgaven regelmatig "
                   "met elkaar af.”")


def bespreekpunten_van(voortgang: pd.DataFrame, state: tuple, grens: float) -> list[str]:
    """opgaven_bespreekpunten from the Opgaven page's state (opgaven.page_state), so the page
    can have the list made once per data version through data.get."""
    ms, per_eenheid, _, _ = state
    return opgaven_bespreekpunten(voortgang, ms, per_eenheid, grens)


def opgaven_bespreekpunten(voortgang: pd.DataFrame, ms: pd.DataFrame, per_eenheid: pd.DataFrame,
                           grens: float) -> list[str]:
    """The agenda of the opgavenoverleg: what is late (and who owns it), what was closed
    too early, what has no opdrachtgever or overspends, which eenheden are over-asked.
    `ms` is opgaven.mijlpaal_status(...) output."""
    from ..domain import opgaven as og
    owner = {r.opgave: r.opdrachtgever for r in voortgang.itertuples()}
    out = []
    for r in ms[ms["status"] == og.TE_LAAT].itertuples():
        out.append(f"**Te laat** — {safe.md(r.opgave)} (opdrachtgever {safe.md(owner.get(r.opgave, fmt.MISSING))}): "
                   f"mijlpaal “{safe.md(r.mijlpaal)}” was gepland op {fmt.datum(r.gepland)} en is nog niet gehaald "
                   f"({fmt.aantal_tekst(r.dagen_te_laat, 'dag', 'dagen')} over datum).")
    for r in voortgang.itertuples():
        if og.afgesloten_zonder_evaluatie(r.fase, r.evaluatie_gereed):
            out.append(f"**Afgesloten zonder evaluatie** — {safe.md(r.opgave)} (opdrachtgever "
                       f"{safe.md(r.opdrachtgever)}) staat op "
                       f"afgesloten, maar de evaluatie is niet voltooid. De notitie: {MEMO_AFSLUITEN}")
        if og.geen_opdrachtgever(r.opdrachtgever):
            out.append(f"**Geen opdrachtgever** — {safe.md(r.opgave)} heeft geen opdrachtgever. De notitie: "
                       f"{MEMO_OPDRACHTGEVER}")
        if og.over_budget(r.budget, r.besteed):
            out.append(f"**Over budget** — {safe.md(r.opgave)}: besteed {fmt.euro(r.besteed)} van {fmt.euro(r.budget)}, "
                       f"{fmt.euro(r.besteed - r.budget)} meer dan begroot.")
    for r in per_eenheid[per_eenheid["overvraagd"].astype(bool)].itertuples():
        out.append(f"**Overvraagd** — {safe.md(r.eenheid)}: lopende opgaven vragen {fmt.fte(r.gevraagd_fte)} fte, "
                   f"{fmt.pct(r.aandeel_gevraagd)} van de bezetting ({fmt.fte(r.bezetting_fte)} fte); de grens is "
                   f"{fmt.pct(grens, 0)}. Toegezegd: {fmt.fte(r.toegezegd_fte)} fte. Opgaven: {safe.md(r.namen)}.")
    return out


# --- dienstverlening -------------------------------------------------------------------------
def kpi_samenvatting(counts: dict[str, int], periode_label: str) -> str:
    """One sentence for the scorecard: how many norms were met, missed or not measured.
    `counts` is stuurbord.domain.kpi.counts(...) output."""
    from ..domain import kpi
    gemeten = counts[kpi.GEHAALD] + counts[kpi.MARGE] + counts[kpi.NIET_GEHAALD]
    if not gemeten:
        return f"In {periode_label} is geen enkele norm gemeten."
    zin = (f"In {periode_label} {'haalde' if counts[kpi.GEHAALD] == 1 else 'haalden'} "
           f"{fmt.getal(counts[kpi.GEHAALD])} van de {fmt.aantal_tekst(gemeten, 'gemeten norm', 'gemeten normen')} "
           "de streefwaarde")
    missed = []
    if counts[kpi.MARGE]:
        missed.append(f"{fmt.getal(counts[kpi.MARGE])} net niet (binnen de marge)")
    if counts[kpi.NIET_GEHAALD]:
        missed.append(f"{fmt.getal(counts[kpi.NIET_GEHAALD])} niet")
    zin += (": " + _join(missed) if missed else "") + "."
    if counts[kpi.GEEN_METING]:
        zin += (f" {fmt.aantal_tekst(counts[kpi.GEEN_METING], 'norm is', 'normen zijn')} in deze periode niet "
                "gemeten.")
    if counts[kpi.GEEN_NORM]:
        zin += f" {fmt.aantal_tekst(counts[kpi.GEEN_NORM], 'norm heeft', 'normen hebben')} geen streefwaarde."
    return zin
