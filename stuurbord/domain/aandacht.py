"""What needs attention: one ranked list across organisation, opgaven, dienstverleningsnormen
and the memo's rules, for the start page. Pure functions of DataFrames (no Streamlit), so the
page and the tests share one definition. The decisions are in docs/attention.md.

Every signal is one row (`KOLOMMEN`): its source, kind, subject, owner, the figure against
its line (Dutch text through fmt), how far over the line it is, how it changed since the
previous version or period, its severity, and the view that opens it (page + query params).

Severity (`ernst`), highest first:

    ernst = min(overschrijding, MAX_OVERSCHRIJDING) + TREND_BONUS[verandering]

`overschrijding` is how far over the line the figure is, divided by the kind's yardstick of
"seriously over" (`MAATSTAF`), so 1 means serious for every kind: a coach 2,2 fte (10 %)
over the span norm, an opgave 10 % over budget, a milestone a month (30 days) late, a norm
missed by twice its marge band, an eenheid overbezet by 10 % of its formatie, an eenheid
asked 40 % more than the grens. A rule result without figures counts as 1 (wijkt af) or
0,25 (niet te beoordelen). A signal that is new since the previous version/period, or worse
than then, gets +0,5; one that improved gets −0,25.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from ..ui import fmt
from . import kpi, regels
from . import opgaven as og

# sources, in the order a tie is broken
ORGANISATIE, OPGAVEN, DIENSTVERLENING, REGELS = "Organisatie", "Opgaven", "Dienstverlening", "Regels uit de notitie"
BRONNEN = (ORGANISATIE, OPGAVEN, DIENSTVERLENING, REGELS)

# kinds of signal
SPAN = "span"
OVERBEZET = "overbezet"
TE_LAAT = "te_laat"
OVER_BUDGET = "over_budget"
OVERVRAAGD = "overvraagd"
NORM = "norm"
REGEL = "regel"

# the relative excess that counts as "seriously over" (overschrijding 1), per kind
MAATSTAF = {SPAN: 0.10, OVERBEZET: 0.10, TE_LAAT: 30.0, OVER_BUDGET: 0.10, OVERVRAAGD: 0.40, NORM: 2.0}
MAX_OVERSCHRIJDING = 3.0
ZONDER_CIJFER = {regels.WIJKT_AF: 1.0, regels.NIET_TE_BEOORDELEN: 0.25}

NIEUW, ERGER, GELIJK, BETER, ONBEKEND = "nieuw", "erger", "gelijk", "beter", "onbekend"
TREND_BONUS = {NIEUW: 0.5, ERGER: 0.5, GELIJK: 0.0, BETER: -0.25, ONBEKEND: 0.0}
TREND_TEKST = {NIEUW: "nieuw sinds de vorige {wat}", ERGER: "erger dan de vorige {wat}",
               GELIJK: "gelijk aan de vorige {wat}", BETER: "beter dan de vorige {wat}", ONBEKEND: ""}

TOP = 6  # signals shown at first on the start page; the rest on request

KOLOMMEN = ["bron", "soort", "label", "onderwerp", "eigenaar_rol", "eigenaar", "eigenaar_is_naam", "onderwerp_is_naam",
            "waarde", "norm", "overschrijding", "verandering", "sinds", "ernst", "pagina", "params", "voor_raad"]

# where each kind of signal opens (pages/*.py; their deep-link parameters are read there)
SPAN_PAGINA, FORMATIE_PAGINA = "pages/span.py", "pages/formatie.py"
OPGAVEN_PAGINA, DV_PAGINA, REGELS_PAGINA = "pages/opgaven.py", "pages/dienstverlening.py", "pages/regels.py"


LINK_MAX = 200  # characters of a subject in a link; a longer one is matched by this prefix (widgets.from_link)


def _rij(**kw) -> dict:
    row = {"eigenaar_rol": None, "eigenaar": None, "eigenaar_is_naam": False, "onderwerp_is_naam": False,
           "verandering": ONBEKEND, "sinds": "", "params": {}, "voor_raad": False}
    row.update(kw)
    row["params"] = {k: str(v)[:LINK_MAX] for k, v in row["params"].items()}
    return row


def _over(relatief: float, soort: str) -> float:
    return max(float(relatief), 0.0) / MAATSTAF[soort]


def trend(nu: float, vorig: float | None, eps: float = 1e-6) -> str:
    """How an excess (> 0: over the line) compares with the previous one: NIEUW when it was
    not over the line then, ERGER/BETER/GELIJK otherwise; ONBEKEND without a previous figure."""
    if vorig is None or fmt.is_missing(vorig):
        return ONBEKEND
    if vorig <= eps:
        return NIEUW
    if nu > vorig + eps:
        return ERGER
    if nu < vorig - eps:
        return BETER
    return GELIJK


# --- organisation ----------------------------------------------------------------------------------
def _coaches_per_eenheid(coach_eenheden: pd.DataFrame) -> dict[str, str]:
    if coach_eenheden is None or coach_eenheden.empty:
        return {}
    g = coach_eenheden.groupby(coach_eenheden["eenheid"].str.lower())["coach"].apply(lambda s: ", ".join(sorted(set(s))))
    return g.to_dict()


def organisatie(resultaten: pd.DataFrame, coach_eenheden: pd.DataFrame | None, span_vorig: pd.DataFrame | None,
                org_vorig: pd.DataFrame | None) -> list[dict]:
    """Coaches above the span norm and overbezette eenheden, as the memo's rules (the view
    regelcontrole) find them; the previous peildatum's figures (span_verloop,
    organisatie_verloop of the previous peildatum) for the change."""
    out = []
    coaches = _coaches_per_eenheid(coach_eenheden)
    eenheden_van = ({} if coach_eenheden is None or coach_eenheden.empty else
                    coach_eenheden.groupby("coach")["eenheid"].apply(lambda s: ", ".join(s)).to_dict())
    vorig_span = {} if span_vorig is None else dict(zip(span_vorig["coach"], span_vorig["fte"] - span_vorig["norm_fte"]))
    vorig_org = ({} if org_vorig is None else
                 dict(zip(org_vorig["eenheid"].str.lower(), org_vorig["bezetting_fte"] - org_vorig["formatie_fte"])))
    r = resultaten[resultaten["status"] == regels.WIJKT_AF]
    for x in r[r["regel_id"] == regels.SPAN].itertuples():
        over = x.waarde - x.grens
        out.append(_rij(
            bron=ORGANISATIE, soort=SPAN, label="Boven de span-norm", onderwerp=x.onderwerp, onderwerp_is_naam=True,
            eigenaar_rol="coach van", eigenaar=eenheden_van.get(x.onderwerp),
            waarde=f"{fmt.fte(x.waarde)} fte", norm=f"norm {fmt.getal(x.grens)} fte (+{fmt.fte(over)} fte)",
            overschrijding=_over(over / x.grens, SPAN),
            verandering=trend(over, vorig_span.get(x.onderwerp) if span_vorig is not None else None),
            sinds="peildatum", pagina=SPAN_PAGINA, params={"coach": x.onderwerp}))
    for x in r[(r["regel_id"] == "bezetting-formatie") & (r["waarde"] > r["grens"])].itertuples():
        over = x.waarde - x.grens
        out.append(_rij(
            bron=ORGANISATIE, soort=OVERBEZET, label="Overbezet", onderwerp=x.onderwerp,
            eigenaar_rol="coach", eigenaar=coaches.get(str(x.onderwerp).lower()), eigenaar_is_naam=True,
            waarde=f"{fmt.fte(x.waarde)} fte bezet", norm=f"formatie {fmt.fte(x.grens)} fte (+{fmt.fte(over)} fte)",
            overschrijding=_over(over / x.grens if x.grens else 1, OVERBEZET),
            verandering=trend(over, vorig_org.get(str(x.onderwerp).lower()) if org_vorig is not None else None),
            sinds="peildatum", pagina=FORMATIE_PAGINA, params={"weergave": "Per eenheid", "eenheid": x.onderwerp}))
    return out


def overige_regels(resultaten: pd.DataFrame, voortgang: pd.DataFrame | None,
                   coach_eenheden: pd.DataFrame | None) -> list[dict]:
    """Every other rule result that does not comply (the span norm and overbezetting are
    organisatie's): the rule as the kind, its toelichting as the figure."""
    coaches = _coaches_per_eenheid(coach_eenheden)
    owner = {} if voortgang is None else dict(zip(voortgang["opgave"], voortgang["opdrachtgever"]))
    out = []
    r = resultaten[resultaten["status"] != regels.VOLDOET]
    r = r[~((r["regel_id"] == regels.SPAN) | ((r["regel_id"] == "bezetting-formatie") & (r["status"] == regels.WIJKT_AF)
                                              & (r["waarde"] > r["grens"])))]
    for x in r.itertuples():
        soort_ond = x.onderwerp_soort
        rol, eigenaar = None, None
        if soort_ond == "opgave":
            rol, eigenaar = "opdrachtgever", owner.get(x.onderwerp)
        elif soort_ond == "eenheid":
            rol, eigenaar = "coach", coaches.get(str(x.onderwerp).lower())
        over = ZONDER_CIJFER[x.status]
        if not fmt.is_missing(x.waarde) and not fmt.is_missing(x.grens) and x.grens:
            over = max(over, min(abs(x.waarde - x.grens) / abs(x.grens) / 0.10, MAX_OVERSCHRIJDING))
        out.append(_rij(
            bron=REGELS, soort=REGEL, label=regels.STATUS_LABEL[x.status] + ": " + str(x.regel),
            onderwerp=x.onderwerp, onderwerp_is_naam=soort_ond == "coach", eigenaar_rol=rol,
            eigenaar=None if fmt.is_missing(eigenaar) else eigenaar, eigenaar_is_naam=rol is not None,
            waarde=str(x.toelichting), norm="", overschrijding=over, pagina=REGELS_PAGINA,
            params={"regel": x.regel_id}, voor_raad=soort_ond in ("opgave", "opgaven", "organisatie")))
    return out


# --- opgaven -----------------------------------------------------------------------------------------
def opgaven(voortgang: pd.DataFrame, ms: pd.DataFrame, per_eenheid: pd.DataFrame, grens: float,
            coach_eenheden: pd.DataFrame | None = None, vorig: pd.DataFrame | None = None) -> list[dict]:
    """Open milestones past their date (per opgave), opgaven over budget, eenheden asked more
    than `grens` of their bezetting by running opgaven. `ms` = og.mijlpaal_status(...);
    `vorig`: the previous opgaven version (queries.opg_vorige_versie) for the change."""
    out = []
    owner = dict(zip(voortgang["opgave"], voortgang["opdrachtgever"]))
    prev = {} if vorig is None or vorig.empty else {r.opgave: r for r in vorig.itertuples()}
    have_prev = vorig is not None and not vorig.empty

    def prev_of(opgave, attr):
        if not have_prev:
            return None
        r = prev.get(opgave)
        return 0.0 if r is None else getattr(r, attr)

    late = ms[ms["status"] == og.TE_LAAT]
    for opgave, d in late.groupby("opgave", sort=False):
        dagen = int(d["dagen_te_laat"].max())
        out.append(_rij(
            bron=OPGAVEN, soort=TE_LAAT, label=fmt.aantal_tekst(len(d), "mijlpaal te laat", "mijlpalen te laat"),
            onderwerp=opgave, eigenaar_rol="opdrachtgever", eigenaar=owner.get(opgave), eigenaar_is_naam=True,
            waarde=f"{fmt.aantal_tekst(dagen, 'dag', 'dagen')} over datum",
            norm="open en gepland vóór de peildatum", overschrijding=_over(dagen, TE_LAAT),
            verandering=trend(dagen, prev_of(opgave, "dagen_te_laat")), sinds="versie",
            pagina=OPGAVEN_PAGINA, params={"weergave": "Per opgave", "opgave": opgave}, voor_raad=True))
    for r in voortgang.itertuples():
        if not og.over_budget(r.budget, r.besteed):
            continue
        over = float(r.besteed) - float(r.budget)
        rel = over / float(r.budget) if r.budget else 1.0
        p = prev.get(r.opgave)
        prev_over = (None if not have_prev else 0.0 if p is None or fmt.is_missing(p.besteed) or fmt.is_missing(p.budget)
                     else float(p.besteed) - float(p.budget))
        out.append(_rij(
            bron=OPGAVEN, soort=OVER_BUDGET, label="Over budget", onderwerp=r.opgave, eigenaar_rol="opdrachtgever",
            eigenaar=r.opdrachtgever, eigenaar_is_naam=True,
            waarde=f"{fmt.euro(r.besteed)} besteed", norm=f"budget {fmt.euro(r.budget)} (+{fmt.euro(over)})",
            overschrijding=_over(rel, OVER_BUDGET), verandering=trend(over, prev_over), sinds="versie",
            pagina=OPGAVEN_PAGINA, params={"weergave": "Per opgave", "opgave": r.opgave}, voor_raad=True))
    coaches = _coaches_per_eenheid(coach_eenheden)
    if len(per_eenheid):
        for r in per_eenheid[per_eenheid["overvraagd"].astype(bool)].itertuples():
            aandeel = float(r.aandeel_gevraagd)
            rel = (aandeel - grens) / grens if aandeel != float("inf") else MAX_OVERSCHRIJDING * MAATSTAF[OVERVRAAGD]
            out.append(_rij(
                bron=OPGAVEN, soort=OVERVRAAGD, label="Overvraagd door opgaven", onderwerp=r.eenheid,
                eigenaar_rol="coach", eigenaar=coaches.get(str(r.eenheid).lower()), eigenaar_is_naam=True,
                waarde=f"{fmt.pct(aandeel)} van de bezetting gevraagd", norm=f"grens {fmt.pct(grens, 0)}",
                overschrijding=_over(rel, OVERVRAAGD), pagina=OPGAVEN_PAGINA,
                params={"weergave": "Capaciteit", "eenheid": r.eenheid}))
    return out


# --- dienstverlening ------------------------------------------------------------------------------------
def _tekort(waarde, streefwaarde, richting) -> float:
    """How far a score is on the wrong side of its streefwaarde (0 when met)."""
    if fmt.is_missing(waarde) or fmt.is_missing(streefwaarde):
        return 0.0
    d = float(waarde) - float(streefwaarde)
    return max(d if richting == "lager" else -d, 0.0)


def periode_scores(hist: pd.DataFrame, periode: str) -> pd.DataFrame:
    """The scores of one period (code, waarde, status) from kpi.history: what the change of a
    norm is measured against (cheaper than a whole scorecard of a large municipality)."""
    return hist.loc[hist["periode"] == periode, ["code", "waarde", "status"]].reset_index(drop=True)


def dienstverlening(card: pd.DataFrame, vorige: pd.DataFrame | None, periode_label: str) -> list[dict]:
    """Norms missed (niet gehaald, net niet gehaald) in the newest period (`card`:
    kpi.scorecard); `vorige`: the scores of the period before (`periode_scores`), for the change."""
    out = []
    prev = {} if vorige is None or vorige.empty else dict(zip(vorige["code"], zip(vorige["waarde"], vorige["status"])))
    for r in card[card["status"].isin([kpi.NIET_GEHAALD, kpi.MARGE])].itertuples():
        gap = _tekort(r.waarde, r.streefwaarde, r.richting)
        tol = kpi.tolerantie(r.streefwaarde, r.meeteenheid) or 1.0
        if vorige is None or vorige.empty:
            change = ONBEKEND
        elif r.code not in prev or fmt.is_missing(prev[r.code][0]):
            change = ONBEKEND
        else:
            change = trend(gap, _tekort(prev[r.code][0], r.streefwaarde, r.richting))
        eenheid = r.eenheid if isinstance(r.eenheid, str) and r.eenheid else kpi.GEEN_EENHEID
        out.append(_rij(
            bron=DIENSTVERLENING, soort=NORM,
            label=("Norm niet gehaald" if r.status == kpi.NIET_GEHAALD else "Norm net niet gehaald"),
            onderwerp=f"{r.omschrijving} ({r.code})", eigenaar_rol="proceseigenaar", eigenaar=eenheid,
            waarde=f"{kpi.waarde_tekst(r.waarde, r.meeteenheid)} in {periode_label}",
            norm=f"norm {kpi.norm_tekst(r.streefwaarde, r.richting, r.meeteenheid)}",
            overschrijding=_over(gap / tol, NORM), verandering=change, sinds="periode",
            pagina=DV_PAGINA, params={"weergave": "Per norm", "norm": r.code}, voor_raad=True))
    return out


# --- ranking -----------------------------------------------------------------------------------------------
def rangschik(rows: list[dict]) -> pd.DataFrame:
    """The signals as one frame, most severe first (ties: source order, then subject)."""
    d = pd.DataFrame(rows, columns=[c for c in KOLOMMEN if c != "ernst"])
    if d.empty:
        return pd.DataFrame(columns=KOLOMMEN)
    d["overschrijding"] = d["overschrijding"].astype(float).clip(upper=MAX_OVERSCHRIJDING)
    d["ernst"] = (d["overschrijding"] + d["verandering"].map(TREND_BONUS)).round(4)
    d["_bron"] = d["bron"].map(BRONNEN.index)
    d = d.sort_values(["ernst", "_bron", "onderwerp"], ascending=[False, True, True], kind="stable")
    return d.drop(columns="_bron").reset_index(drop=True)[KOLOMMEN]


def lijst(resultaten=None, coach_eenheden=None, span_vorig=None, org_vorig=None, voortgang=None, ms=None,
          per_eenheid=None, grens: float = og.DEFAULT_GRENS, opg_vorig=None, card=None, card_vorig=None,
          periode_label: str = "") -> pd.DataFrame:
    """Every signal of the loaded kinds, ranked (None: that kind is not loaded)."""
    rows: list[dict] = []
    if resultaten is not None:
        rows += organisatie(resultaten, coach_eenheden, span_vorig, org_vorig)
        rows += overige_regels(resultaten, voortgang, coach_eenheden)
    if voortgang is not None and ms is not None:
        rows += opgaven(voortgang, ms, per_eenheid if per_eenheid is not None else pd.DataFrame(), grens,
                        coach_eenheden, opg_vorig)
    if card is not None and len(card):
        rows += dienstverlening(card, card_vorig, periode_label)
    return rangschik(rows)


def voor(signalen: pd.DataFrame, namen: bool) -> pd.DataFrame:
    """The signals a role may see: with names (DETAILS) all of them; without (the raad) only
    those that are not about persons' figures (opgaven, norms, rules on opgaven), owners that
    are names removed."""
    if namen:
        return signalen
    d = signalen[signalen["voor_raad"].astype(bool) & ~signalen["onderwerp_is_naam"].astype(bool)].copy()
    d.loc[d["eigenaar_is_naam"].astype(bool), "eigenaar"] = None
    d.loc[d["soort"] == REGEL, "waarde"] = ""  # a rule's toelichting may name people
    return d.reset_index(drop=True)


def verandering_tekst(verandering: str, sinds: str) -> str:
    wat = {"peildatum": "peildatum", "versie": "versie", "periode": "periode"}.get(sinds, "versie")
    return TREND_TEKST[verandering].format(wat=wat)


# --- previous figures -------------------------------------------------------------------------------------
def vorige_peildatum(verloop: pd.DataFrame) -> pd.DataFrame | None:
    """The rows of the peildatum before the newest one in a *_verloop frame (None: only one)."""
    if verloop is None or verloop.empty:
        return None
    dates = sorted(verloop["peildatum"].unique())
    if len(dates) < 2:
        return None
    return verloop[verloop["peildatum"] == dates[-2]]


# --- peildata far apart ---------------------------------------------------------------------------------------
KWARTAAL_MAANDEN = 3


def _plus_maanden(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(y, m, day)
        except ValueError:
            continue
    raise ValueError(d)


def _en(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def peildata_waarschuwing(versions: dict, labels: dict[str, str]) -> str | None:
    """A Dutch warning when the loaded kinds' peildata lie more than a quarter (3 calendar
    months) apart, naming each kind and its peildatum (oldest first); None otherwise."""
    dated = sorted(((pd.Timestamp(v["peildatum"]).date(), k) for k, v in versions.items()
                    if not fmt.is_missing(v.get("peildatum"))))
    if len(dated) < 2:
        return None
    oldest, newest = dated[0][0], dated[-1][0]
    if newest <= _plus_maanden(oldest, KWARTAAL_MAANDEN):
        return None
    per_datum: dict[date, list[str]] = {}
    for d, k in dated:
        per_datum.setdefault(d, []).append(labels.get(k, k))
    parts = [f"{_en(names)} {fmt.datum(d)}" for d, names in per_datum.items()]
    return "Peildata meer dan een kwartaal uit elkaar: " + "; ".join(parts) + ". Vergelijk met voorzichtigheid."
