"""Opgaven: the governance rules of the opgavenoverleg as pure functions on DataFrames
(no Streamlit), so the planbord, the table and the tests share one definition.

Rules (the notitie managementstructuur 2021 and the issue):

- **Mijlpaal te laat** — an open milestone (no `gerealiseerd`) whose `gepland` lies
  before the peildatum. A milestone due *on* the peildatum is not late yet. This is
  the same test as the view `opgave_voortgang`; the view's `mijlpalen_te_laat`
  additionally counts milestones that were *realised* late (history, not a signal).
- **Afgesloten zonder evaluatie** — fase `afgesloten` while `evaluatie_gereed` is not
  true: “een opgave wordt pas afgesloten nadat het succes is gevierd en de evaluatie
  is voltooid”.
- **Geen opdrachtgever** — the opdrachtgever (the strategisch adviseur) is empty or a
  placeholder such as “onbekend”, “n.t.b.”, “vacature”, “-”.
- **Over budget** — `besteed` greater than `budget` (a budget of 0 with spending counts).
- **Eenheid overvraagd** — the fte that *running* opgaven (every fase except
  `afgesloten`) ask of an eenheid exceed `grens` (a fraction) of the eenheid's
  bezetting. An opgave that asks capacity of such an eenheid carries the signal too,
  so the card shows which opgaven lean on it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..ui import fmt, safe

FASEN = ("verkenning", "ontwerp", "besluitvorming", "uitvoering", "evaluatie", "afgesloten")
FASE_LABELS = {f: f.capitalize() for f in FASEN}
# column headers of the planbord: soft hyphens so a narrow column breaks the Dutch way
FASE_KOPPEN = {**FASE_LABELS, "besluitvorming": "Besluit\u00advorming"}
AFGESLOTEN = "afgesloten"
DEFAULT_GRENS = 0.25  # share of an eenheid's bezetting that opgaven may claim
PLACEHOLDERS = {"", "-", "–", "?", "onbekend", "nnb", "n.n.b.", "ntb", "n.t.b.", "nvt", "n.v.t.", "vacature",
                "geen", "nog niet bekend", "tbd"}

# status of a milestone at the peildatum
GEHAALD = "gehaald"
TE_LAAT_GEHAALD = "te laat gehaald"
TE_LAAT = "te laat"
GEPLAND = "gepland"
STATUS_ORDER = (TE_LAAT, GEPLAND, TE_LAAT_GEHAALD, GEHAALD)
# the one definition of "te laat" the app, the raadspakket and its footnotes share
TE_LAAT_DEFINITIE = ("Te laat = mijlpalen die nog niet zijn gehaald en waarvan de geplande datum vóór de peildatum "
                     "ligt. Een mijlpaal die te laat is gehaald, telt niet mee als te laat.")

# signal codes -> (label for filters, material icon, badge colour)
MIJLPAAL_TE_LAAT = "mijlpaal_te_laat"
ZONDER_EVALUATIE = "afgesloten_zonder_evaluatie"
GEEN_OPDRACHTGEVER = "geen_opdrachtgever"
OVER_BUDGET = "over_budget"
EENHEID_OVERVRAAGD = "eenheid_overvraagd"
SIGNALS = {
    MIJLPAAL_TE_LAAT: ("Mijlpaal te laat", ":material/schedule:", "red"),
    ZONDER_EVALUATIE: ("Afgesloten zonder evaluatie", ":material/rule:", "red"),
    GEEN_OPDRACHTGEVER: ("Geen opdrachtgever", ":material/person_off:", "red"),
    OVER_BUDGET: ("Over budget", ":material/euro:", "orange"),
    EENHEID_OVERVRAAGD: ("Vraagt capaciteit van overvraagde eenheid", ":material/groups:", "orange"),
}


@dataclass(frozen=True)
class Signal:
    code: str
    text: str  # short Dutch text for a badge, e.g. "2 mijlpalen te laat"

    @property
    def label(self) -> str:
        return SIGNALS[self.code][0]

    def badge(self) -> str:
        """Streamlit markdown label: icon *and* bold text on a coloured background, never
        colour alone. A background highlight (unlike :red-badge[]) wraps in a narrow column.
        The text may name an eenheid (data), so it goes through safe.md."""
        _, icon, colour = SIGNALS[self.code]
        return f":{colour}-background[{icon} **{safe.md(self.text)}**]"


def _date(x) -> date | None:
    if fmt.is_missing(x):
        return None
    return pd.Timestamp(x).date()


def geen_opdrachtgever(name) -> bool:
    return fmt.is_missing(name) or str(name).strip().lower() in PLACEHOLDERS


def afgesloten_zonder_evaluatie(fase, evaluatie_gereed) -> bool:
    return fase == AFGESLOTEN and not (not fmt.is_missing(evaluatie_gereed) and bool(evaluatie_gereed))


def budget_gebruik(budget, besteed) -> float | None:
    """besteed / budget as a fraction; None without a (positive) budget or without spending data."""
    if fmt.is_missing(budget) or fmt.is_missing(besteed) or budget <= 0:
        return None
    return float(besteed) / float(budget)


def gebruik_tekst(fraction) -> str:
    """Budget use as shown on cards and bars: whole percent, one decimal below 1 % (so 0,4 %
    does not read as nothing spent)."""
    if fraction is None or fmt.is_missing(fraction):
        return fmt.MISSING
    return fmt.pct(fraction, 1 if 0 < fraction < 0.01 else 0)


def over_budget(budget, besteed) -> bool:
    if fmt.is_missing(besteed) or fmt.is_missing(budget):
        return False
    return float(besteed) > float(budget)


# --- milestones ---------------------------------------------------------------------------
def mijlpaal_status(mijlpalen: pd.DataFrame, peildatum) -> pd.DataFrame:
    """Each milestone with `status` (gehaald, te laat gehaald, te laat, gepland) and
    `dagen_te_laat` (realised: gerealiseerd - gepland; open and late: peildatum - gepland)."""
    peil = _date(peildatum)
    out = mijlpalen.copy()
    status, dagen = [], []
    for gepland, gerealiseerd in zip(out["gepland"], out["gerealiseerd"]):
        g, r = _date(gepland), _date(gerealiseerd)
        if r is not None:
            late = (r - g).days
            status.append(TE_LAAT_GEHAALD if late > 0 else GEHAALD)
            dagen.append(max(late, 0))
        elif g < peil:
            status.append(TE_LAAT)
            dagen.append((peil - g).days)
        else:
            status.append(GEPLAND)
            dagen.append(0)
    out["status"] = pd.Series(status, index=out.index, dtype=object)
    out["dagen_te_laat"] = pd.Series(dagen, index=out.index, dtype="int64")
    return out


def te_laat_per_opgave(mijlpalen: pd.DataFrame, peildatum) -> pd.Series:
    """Number of open milestones past their date, per opgave (opgaven without any: absent)."""
    s = mijlpaal_status(mijlpalen, peildatum)
    return s[s["status"] == TE_LAAT].groupby("opgave").size()


# --- capacity ---------------------------------------------------------------------------------
def capaciteit_per_eenheid(capaciteit: pd.DataFrame, opgaven: pd.DataFrame, eenheden: pd.DataFrame,
                           grens: float = DEFAULT_GRENS) -> pd.DataFrame:
    """Per eenheid: fte asked (gevraagd) and promised (toegezegd) by running opgaven, netted
    against the eenheid's bezetting. `opgaven` needs columns opgave, fase; `eenheden`
    (fte_per_eenheid) eenheid, cluster, bezetting_fte. Columns: eenheid, cluster, opgaven
    (number), namen (text), gevraagd_fte, toegezegd_fte, bezetting_fte, aandeel_gevraagd,
    aandeel_toegezegd, overvraagd. Sorted by aandeel_gevraagd, highest first."""
    cols = ["eenheid", "cluster", "opgaven", "namen", "gevraagd_fte", "toegezegd_fte", "bezetting_fte",
            "aandeel_gevraagd", "aandeel_toegezegd", "overvraagd"]
    lopend = set(opgaven.loc[opgaven["fase"] != AFGESLOTEN, "opgave"])
    c = capaciteit[capaciteit["opgave"].isin(lopend)].copy()
    if c.empty:
        return pd.DataFrame(columns=cols)
    c["toegezegd_fte"] = c["toegezegd_fte"].fillna(0.0)
    c["sleutel"] = c["eenheid"].str.lower()
    g = c.groupby("sleutel", sort=False).agg(
        eenheid=("eenheid", "first"), opgaven=("opgave", "nunique"),
        namen=("opgave", lambda s: ", ".join(sorted(set(s)))),
        gevraagd_fte=("gevraagd_fte", "sum"), toegezegd_fte=("toegezegd_fte", "sum")).reset_index()
    e = eenheden[["eenheid", "cluster", "bezetting_fte"]].copy()
    e["sleutel"] = e["eenheid"].str.lower()
    g = g.merge(e.drop(columns="eenheid"), on="sleutel", how="left")
    g["gevraagd_fte"] = g["gevraagd_fte"].round(4)
    g["toegezegd_fte"] = g["toegezegd_fte"].round(4)

    def share(fte, bezetting):
        if fmt.is_missing(bezetting):
            return None  # eenheid not in the current formation: unknown
        if bezetting <= 0:
            return float("inf") if fte > 0 else 0.0
        return fte / bezetting

    g["aandeel_gevraagd"] = [share(f, b) for f, b in zip(g["gevraagd_fte"], g["bezetting_fte"])]
    g["aandeel_toegezegd"] = [share(f, b) for f, b in zip(g["toegezegd_fte"], g["bezetting_fte"])]
    g["overvraagd"] = [a is not None and a > grens for a in g["aandeel_gevraagd"]]
    g = g.sort_values("aandeel_gevraagd", ascending=False, na_position="last", key=lambda s: s.astype(float))
    return g[cols].reset_index(drop=True)


def capaciteit_per_opgave(capaciteit: pd.DataFrame) -> pd.DataFrame:
    """Per opgave: gevraagd, toegezegd and the gap (tekort = gevraagd - toegezegd)."""
    c = capaciteit.assign(toegezegd_fte=capaciteit["toegezegd_fte"].fillna(0.0))
    g = c.groupby("opgave", sort=False)[["gevraagd_fte", "toegezegd_fte"]].sum().round(4).reset_index()
    g["tekort_fte"] = (g["gevraagd_fte"] - g["toegezegd_fte"]).round(4)
    return g


# --- signals per opgave ----------------------------------------------------------------------
def signalen(voortgang: pd.DataFrame, mijlpalen: pd.DataFrame, capaciteit: pd.DataFrame,
             per_eenheid: pd.DataFrame, peildatum) -> dict[str, list[Signal]]:
    """The signals of every opgave in `voortgang` (opgave_voortgang), in SIGNALS order."""
    late = te_laat_per_opgave(mijlpalen, peildatum) if len(mijlpalen) else pd.Series(dtype="int64")
    over = per_eenheid[per_eenheid["overvraagd"].astype(bool)] if len(per_eenheid) else per_eenheid
    overvraagd = {e.lower(): e for e in over["eenheid"]} if len(over) else {}  # lower -> name as in the table
    out: dict[str, list[Signal]] = {}
    for row in voortgang.itertuples():
        found = []
        n = int(late.get(row.opgave, 0))
        if n:
            found.append(Signal(MIJLPAAL_TE_LAAT, fmt.aantal_tekst(n, "mijlpaal te laat", "mijlpalen te laat")))
        if afgesloten_zonder_evaluatie(row.fase, row.evaluatie_gereed):
            found.append(Signal(ZONDER_EVALUATIE, "Afgesloten zonder evaluatie"))
        if geen_opdrachtgever(row.opdrachtgever):
            found.append(Signal(GEEN_OPDRACHTGEVER, "Geen opdrachtgever"))
        if over_budget(row.budget, row.besteed):
            found.append(Signal(OVER_BUDGET, f"{fmt.euro(row.besteed - row.budget)} over budget"))
        if row.fase != AFGESLOTEN and overvraagd and len(capaciteit):
            mine = capaciteit[(capaciteit["opgave"] == row.opgave)
                              & capaciteit["eenheid"].str.lower().isin(overvraagd)]["eenheid"]
            for eenheid in dict.fromkeys(overvraagd[e.lower()] for e in mine):
                found.append(Signal(EENHEID_OVERVRAAGD, f"{eenheid} overvraagd"))
        out[row.opgave] = found
    return out


def signal_codes(found: dict[str, list[Signal]]) -> dict[str, set[str]]:
    return {opgave: {s.code for s in sigs} for opgave, sigs in found.items()}


def per_fase(voortgang: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The planbord columns: every fase (also empty ones), opgaven in register order."""
    return {f: voortgang[voortgang["fase"] == f] for f in FASEN}


def planbord(voortgang: pd.DataFrame, state: tuple, n: int | None) -> dict[str, tuple]:
    """The planbord per fase: (all opgaven of the fase, the cards shown, how many left out),
    from the page's state (page_state), at most n cards per fase (None: all)."""
    codes = state[3]
    return {fase: (d, *kaarten(d, codes, n)) for fase, d in per_fase(voortgang).items()}


def page_state(mijlpalen: pd.DataFrame, capaciteit: pd.DataFrame, voortgang: pd.DataFrame,
               eenheden: pd.DataFrame | None, peildatum, grens: float) -> tuple:
    """What the Opgaven page derives from the register: milestone status, capacity per
    eenheid, signals and their codes (one call, so the page can remember it per version
    and grens). `eenheden` None: no formatie loaded."""
    if eenheden is None:
        eenheden = pd.DataFrame(columns=["eenheid", "cluster", "bezetting_fte"])
    ms = mijlpaal_status(mijlpalen, peildatum)
    per_eenheid = capaciteit_per_eenheid(capaciteit, voortgang, eenheden, grens)
    sig = signalen(voortgang, ms, capaciteit, per_eenheid, peildatum)
    return ms, per_eenheid, sig, signal_codes(sig)


# --- views for a large register ------------------------------------------------------------------
# A large municipality has hundreds of opgaven and thousands of milestones: views show what
# needs attention first and offer the rest ("toon alle", a filter); the demo stays whole.
MAX_IN_CHART = 40            # opgaven or eenheden in one bar chart
MAX_KAARTEN_PER_FASE = 8     # cards per planbord column
MAX_MIJLPALEN_IN_CHART = 60  # milestone rows in the timeline


def kaarten(d: pd.DataFrame, codes: dict[str, set[str]], n: int | None) -> tuple[pd.DataFrame, int]:
    """The cards of one planbord column: the opgaven with the most signals first (register
    order otherwise), at most n (None: all); returns (shown, how many are left out)."""
    if n is None or len(d) <= n:
        return d, 0
    order = sorted(range(len(d)), key=lambda i: -len(codes.get(d["opgave"].iloc[i], ())))
    return d.iloc[order[:n]], len(d) - n


def te_laat_eerst(ms: pd.DataFrame, n: int) -> pd.DataFrame:
    """The n milestones that are latest (open ones first, then achieved late), in register order
    within an opgave, for a timeline that must stay readable."""
    late = ms[ms["status"].isin([TE_LAAT, TE_LAAT_GEHAALD])]
    keep = late.assign(_open=late["status"] == TE_LAAT).sort_values(
        ["_open", "dagen_te_laat"], ascending=[False, False], kind="stable").head(n).index
    return ms.loc[ms.index.isin(keep)]


def van_portefeuillehouder(voortgang: pd.DataFrame, ph: str | None) -> pd.DataFrame:
    return voortgang if ph is None else voortgang[voortgang["portefeuillehouder"] == ph]


def grootste(df: pd.DataFrame, column: str, n: int) -> pd.DataFrame:
    """The n rows with the largest `column`, in their original order."""
    if len(df) <= n:
        return df
    keep = df[column].astype(float).fillna(float("-inf")).nlargest(n).index
    return df.loc[df.index.isin(keep)]


def vraag_aan_eenheid(capaciteit: pd.DataFrame, voortgang: pd.DataFrame, eenheid: str) -> pd.DataFrame:
    """What each opgave asks of one eenheid (queries.opg_capaciteit), with the opgave's fase;
    running opgaven first, the largest claim first."""
    d = capaciteit[capaciteit["eenheid"].str.lower() == str(eenheid).lower()]
    d = d.merge(voortgang[["opgave", "fase"]], on="opgave", how="left")
    d = d.assign(_lopend=d["fase"] != AFGESLOTEN).sort_values(["_lopend", "gevraagd_fte"], ascending=[False, False])
    return d[["opgave", "fase", "gevraagd_fte", "toegezegd_fte"]].reset_index(drop=True)

