"""Dienstverleningsnormen: aggregation over the P&C periods and the status of a score,
as pure functions on DataFrames (no Streamlit), so the page, the charts and the tests
share one definition.

Periods and grains
------------------
A period has a canonical key, the same text the ETL stores (etl.values.parse_period):
``2021-06`` (maand), ``2021-Q2`` (kwartaal), ``2021-T2`` (tertiaal: jan–apr, mei–aug,
sep–dec), ``2021`` (jaar). On screen it reads "jun 2021", "2021 K2", "2021 T2", "2021".

Aggregation (``aggregate``)
---------------------------
Scores are delivered per code in one grain (mostly per month). A coarser grain is
computed from the delivered values that fall in the period:

- **Gewogen naar aantal** — when *every* delivered value of that code in that period
  has an Aantal (the number of cases, e.g. calls) and their sum is above zero:
  ``sum(waarde × aantal) / sum(aantal)``. A quarter with 1.000 calls at 90 % and
  3.000 calls at 70 % scores 75 %, which is what the callers experienced.
- **Gemiddelde** — otherwise (one month without Aantal is enough): the plain mean of
  the values. Mixing weighted and unweighted months would give the months without an
  Aantal an arbitrary weight.
- A period that is not complete (e.g. 2 of the 3 months delivered) is still
  aggregated, but ``delen < delen_verwacht`` shows it, and the page says so.
- A finer grain than delivered is not invented: a code delivered per kwartaal has no
  monthly values, and kwartalen do not nest in tertialen (such a norm shows
  "niet gemeten in deze periodesoort").

Status (``status``) — one rule for every norm
---------------------------------------------
- **groen / gehaald** — the value meets the streefwaarde (``>=`` for richting
  "hoger", ``<=`` for "lager"), the same test as the view kpi_scores.norm_gehaald.
- **oranje / net niet gehaald** — missed, but within the tolerance band: for norms in
  % the band is **5 procentpunt** (norm 80 %: oranje from 75 % up to 80 %); for every
  other unit (dagen, score, …) it is **5 % of the streefwaarde** (norm 5 dagen,
  lager is beter: oranje above 5 up to 5,25 dagen). The edge of the band counts as
  oranje.
- **rood / niet gehaald** — missed beyond the band.
- **grijs** — no value in that period ("niet gemeten"), or the norm has no
  streefwaarde ("geen streefwaarde"): no colour rather than a false one.

Comparisons allow 1e-9 of floating-point noise, so a weighted 0,9 that is computed as
0,8999999999 still meets a norm of 90 %.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from etl.values import BadValue, parse_period

from ..ui import fmt, palet

GRAINS = ("maand", "kwartaal", "tertiaal", "jaar")
GRAIN_LABELS = {"maand": "Maand", "kwartaal": "Kwartaal", "tertiaal": "Tertiaal", "jaar": "Jaar"}
# how many delivered values of a grain make up one period of a coarser grain
_PARTS = {("maand", "maand"): 1, ("maand", "kwartaal"): 3, ("maand", "tertiaal"): 4, ("maand", "jaar"): 12,
          ("kwartaal", "kwartaal"): 1, ("kwartaal", "jaar"): 4, ("tertiaal", "tertiaal"): 1,
          ("tertiaal", "jaar"): 3, ("jaar", "jaar"): 1}
PART_NAMES = {"maand": ("maand", "maanden"), "kwartaal": ("kwartaal", "kwartalen"),
              "tertiaal": ("tertiaal", "tertialen"), "jaar": ("jaar", "jaren")}
SPARK_PERIODS = {"maand": 12, "kwartaal": 8, "tertiaal": 6, "jaar": 5}  # points in a sparkline

TOLERANTIE_PP = 0.05   # % norms: 5 percentage points (values are stored as fractions)
TOLERANTIE_REL = 0.05  # other units: 5 % of the streefwaarde
_EPS = 1e-9

# aggregation methods
OPGEGEVEN = "opgegeven"      # the delivered value itself (grain as delivered)
GEWOGEN = "gewogen"          # weighted by aantal
GEMIDDELDE = "gemiddelde"    # plain mean

# statuses, in order of urgency (the scorecard sorts on this)
NIET_GEHAALD = "niet gehaald"
MARGE = "net niet gehaald"
GEHAALD = "gehaald"
GEEN_METING = "niet gemeten"
GEEN_NORM = "geen streefwaarde"
STATUS_ORDER = (NIET_GEHAALD, MARGE, GEHAALD, GEEN_METING, GEEN_NORM)
# status -> (label, material icon, colour name for Streamlit badges, hex for charts); icon and text
# always travel with the colour, so the status never depends on colour alone
STATUS_STYLE = {
    GEHAALD: ("Norm gehaald", ":material/check_circle:", "green", palet.GROEN),
    MARGE: ("Net niet gehaald", ":material/error:", "orange", palet.ORANJE),
    NIET_GEHAALD: ("Niet gehaald", ":material/cancel:", "red", palet.ROOD),
    GEEN_METING: ("Niet gemeten", ":material/help:", "gray", palet.GRIJS),
    GEEN_NORM: ("Geen streefwaarde", ":material/remove:", "gray", palet.GRIJS),
}

MAX_NOTITIE = 200  # characters of an annotation (etl.annotations enforces it too)


# --- periods ------------------------------------------------------------------------------------
def period_of(start: date, grain: str) -> tuple[str, date]:
    """The period of `grain` that contains the day `start`: (canonical key, first day)."""
    y, m = start.year, start.month
    if grain == "maand":
        return f"{y}-{m:02d}", date(y, m, 1)
    if grain == "kwartaal":
        q = (m - 1) // 3 + 1
        return f"{y}-Q{q}", date(y, 3 * q - 2, 1)
    if grain == "tertiaal":
        t = (m - 1) // 4 + 1
        return f"{y}-T{t}", date(y, 4 * t - 3, 1)
    if grain == "jaar":
        return f"{y}", date(y, 1, 1)
    raise ValueError(f"unknown grain {grain!r}")


def period_label(key: str) -> str:
    """Dutch label of a canonical period: "jun 2021", "2021 K2", "2021 T2", "2021"."""
    text, grain, start = parse_period(key)
    if grain == "maand":
        return fmt.maand_kort(start)
    if grain == "kwartaal":
        return f"{start.year} K{(start.month - 1) // 3 + 1}"
    if grain == "tertiaal":
        return f"{start.year} T{(start.month - 1) // 4 + 1}"
    return text


def nests(delivered: str, grain: str) -> bool:
    """Can values delivered per `delivered` be shown per `grain`?"""
    return (delivered, grain) in _PARTS


# --- aggregation -----------------------------------------------------------------------------------
_AGG_COLUMNS = ["code", "periode", "periode_label", "periode_start", "waarde", "aantal", "delen",
                "delen_verwacht", "geleverd_per", "methode"]


def aggregate(scores: pd.DataFrame, grain: str) -> pd.DataFrame:
    """Scores (columns code, periode_start, grain, waarde, aantal — the view kpi_scores) per
    period of `grain`; see the module docstring for the rule. Codes whose delivered grain
    does not nest in `grain` are left out.

    Vectorised (one groupby): a large municipality's 30.000 scores in 30.000 groups took
    40 s with a Python loop per group. The order is the loop's: codes as they first appear,
    then periods oldest first."""
    if grain not in GRAINS:
        raise ValueError(f"unknown grain {grain!r}")
    d = scores[[nests(g, grain) for g in scores["grain"]]] if len(scores) else scores
    if d.empty:
        out = pd.DataFrame(columns=_AGG_COLUMNS)
        out["aantal"] = out["aantal"].astype("Int64")
        return out
    # the period of every start date: a few dozen distinct dates, computed once each
    starts = pd.to_datetime(d["periode_start"])
    of = {s: period_of(s.date(), grain) for s in starts.unique()}
    d = pd.DataFrame({
        "code": d["code"].to_numpy(), "geleverd_per": d["grain"].to_numpy(),
        "periode": [of[s][0] for s in starts], "periode_start": [of[s][1] for s in starts],
        "waarde": d["waarde"].astype(float).to_numpy(), "aantal": pd.to_numeric(d["aantal"]).astype(float).to_numpy(),
    })
    d["_orde"] = pd.factorize(d["code"])[0]  # codes in order of first appearance, as the loop went
    d["_rij"] = range(len(d))
    d["_gewogen"] = d["waarde"] * d["aantal"]
    keys = ["_orde", "code", "geleverd_per", "periode_start", "periode"]
    g = d.groupby(keys, sort=True, dropna=False)
    out = g.agg(delen=("waarde", "size"), met_aantal=("aantal", "count"), totaal=("aantal", "sum"),
                gewogen=("_gewogen", "sum"), gemiddelde=("waarde", "mean"), eerste=("_rij", "min")).reset_index()
    out["eerste"] = d["waarde"].to_numpy()[out["eerste"].to_numpy()]  # the value itself, as delivered
    complete = out["met_aantal"] == out["delen"]
    opgegeven = out["geleverd_per"] == grain
    gewogen = ~opgegeven & complete & (out["totaal"] > 0)
    out["waarde"] = out["gemiddelde"].where(~gewogen, out["gewogen"] / out["totaal"].where(gewogen, 1))
    out.loc[opgegeven, "waarde"] = out.loc[opgegeven, "eerste"]
    out["methode"] = GEMIDDELDE
    out.loc[gewogen, "methode"] = GEWOGEN
    out.loc[opgegeven, "methode"] = OPGEGEVEN
    out["aantal"] = out["totaal"].round().astype("Int64").where(complete, pd.NA)
    out["delen_verwacht"] = [_PARTS[(g_, grain)] for g_ in out["geleverd_per"]]
    labels = {k: period_label(k) for k in out["periode"].unique()}
    out["periode_label"] = out["periode"].map(labels)
    return out[_AGG_COLUMNS].reset_index(drop=True)


# --- status -----------------------------------------------------------------------------------------
def tolerantie(streefwaarde: float, meeteenheid: str | None) -> float:
    """The width of the oranje band: 5 procentpunt for % norms, else 5 % of the streefwaarde."""
    if meeteenheid == "%":
        return TOLERANTIE_PP
    return abs(float(streefwaarde)) * TOLERANTIE_REL


def marge_grens(streefwaarde, richting: str, meeteenheid: str | None) -> float | None:
    """The value where oranje turns rood (inclusive for oranje)."""
    if fmt.is_missing(streefwaarde):
        return None
    tol = tolerantie(streefwaarde, meeteenheid)
    return float(streefwaarde) + tol if richting == "lager" else float(streefwaarde) - tol


def status(waarde, streefwaarde, richting: str, meeteenheid: str | None) -> str:
    """One of GEHAALD, MARGE, NIET_GEHAALD, GEEN_METING, GEEN_NORM (module docstring)."""
    if fmt.is_missing(waarde):
        return GEEN_METING
    if fmt.is_missing(streefwaarde):
        return GEEN_NORM
    w, s = float(waarde), float(streefwaarde)
    lager = richting == "lager"
    if (w <= s + _EPS) if lager else (w >= s - _EPS):
        return GEHAALD
    grens = marge_grens(s, richting, meeteenheid)
    if (w <= grens + _EPS) if lager else (w >= grens - _EPS):
        return MARGE
    return NIET_GEHAALD


def history(scores: pd.DataFrame, norms: pd.DataFrame, grain: str) -> pd.DataFrame:
    """Every period of `grain` per norm with value, n, method and status (oldest first).
    `norms`: kpi_norm rows of the current version (code, omschrijving, eenheid, streefwaarde,
    richting, meeteenheid, bron), in display order."""
    agg = aggregate(scores, grain)
    cols = ["code", "omschrijving", "eenheid", "streefwaarde", "richting", "meeteenheid", "bron"]
    out = agg.merge(norms[cols], on="code", how="inner")
    out["status"] = [status(w, s, r, m) for w, s, r, m in
                     zip(out["waarde"], out["streefwaarde"], out["richting"], out["meeteenheid"])]
    return out.sort_values(["code", "periode_start"], kind="stable").reset_index(drop=True)


def history_of(hist: pd.DataFrame, code: str) -> pd.DataFrame:
    """The history (from `history`) of one norm."""
    return hist[hist["code"] == code]


def periods(hist: pd.DataFrame) -> list[str]:
    """The period keys that have at least one value, newest first (default: the first)."""
    d = hist.drop_duplicates("periode").sort_values("periode_start", ascending=False)
    return d["periode"].tolist()


def scorecard(hist: pd.DataFrame, norms: pd.DataFrame, periode: str, grain: str) -> pd.DataFrame:
    """One row per norm (also norms without a value then) for `periode`, most urgent first:
    niet gehaald, net niet, gehaald, niet gemeten, geen streefwaarde; within a status in the
    order of the Normen sheet. `spark`: the values of the last periods up to `periode`."""
    start = period_of(parse_period(periode)[2], grain)[1]
    now = hist[hist["periode"] == periode].set_index("code")
    recent_keys = sorted({(s, k) for s, k in zip(hist["periode_start"], hist["periode"]) if s <= start})
    recent = [k for _, k in recent_keys[-SPARK_PERIODS[grain]:]]
    # per code once (hist is sorted by code and periode_start), not a filter of all of hist per norm
    upto = hist[hist["periode_start"] <= start]
    past_of = dict(tuple(upto[upto["periode"].isin(recent)].groupby("code", sort=False)))
    earlier_of = dict(tuple(upto.groupby("code", sort=False)))
    none = hist.iloc[0:0]
    rows = []
    for i, n in enumerate(norms.itertuples(index=False)):
        r = now.loc[n.code] if n.code in now.index else None
        past = past_of.get(n.code, none)
        earlier = earlier_of.get(n.code, none)
        delivered = past["geleverd_per"].iloc[0] if len(past) else None
        rows.append({
            "volgorde": i, "code": n.code, "omschrijving": n.omschrijving, "eenheid": n.eenheid, "bron": n.bron,
            "meeteenheid": n.meeteenheid, "streefwaarde": n.streefwaarde, "richting": n.richting,
            "waarde": None if r is None else r["waarde"], "aantal": None if r is None else r["aantal"],
            "delen": 0 if r is None else int(r["delen"]),
            "delen_verwacht": None if r is None else int(r["delen_verwacht"]),
            "geleverd_per": r["geleverd_per"] if r is not None else delivered,
            "methode": None if r is None else r["methode"],
            "status": status(None if r is None else r["waarde"], n.streefwaarde, n.richting, n.meeteenheid),
            "laatste": earlier["periode"].iloc[-1] if len(earlier) else None,
            "spark_periode": past["periode"].tolist(), "spark_waarde": past["waarde"].tolist(),
            "spark_status": past["status"].tolist()})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["_rank"] = out["status"].map(STATUS_ORDER.index)
    return out.sort_values(["_rank", "volgorde"], kind="stable").drop(columns="_rank").reset_index(drop=True)


def counts(card: pd.DataFrame) -> dict[str, int]:
    """Number of norms per status (every status present, 0 when none)."""
    got = card["status"].value_counts().to_dict() if len(card) else {}
    return {s: int(got.get(s, 0)) for s in STATUS_ORDER}


def filter_norms(norms: pd.DataFrame, eenheid: str | None = None, bron: str | None = None) -> pd.DataFrame:
    """Norms of one eenheid (proceseigenaar; GEEN_EENHEID for norms without one) and/or one bron."""
    out = norms
    if eenheid:
        out = out[out["eenheid"].isna()] if eenheid == GEEN_EENHEID else out[out["eenheid"] == eenheid]
    if bron:
        out = out[out["bron"] == bron] if bron != GEEN_BRON else out[out["bron"].isna()]
    return out


GEEN_EENHEID = "Gemeentebreed (geen eenheid)"
GEEN_BRON = "Geen bron opgegeven"


def eenheid_options(norms: pd.DataFrame) -> list[str]:
    opts = sorted(norms["eenheid"].dropna().unique().tolist())
    return opts + ([GEEN_EENHEID] if norms["eenheid"].isna().any() else [])


def bron_options(norms: pd.DataFrame) -> list[str]:
    opts = sorted(norms["bron"].dropna().unique().tolist())
    return opts + ([GEEN_BRON] if norms["bron"].isna().any() else [])


# --- texts for tiles and tables --------------------------------------------------------------------
def waarde_tekst(x, meeteenheid: str | None, decimals: int = 1) -> str:
    """A score as shown: % with one decimal ("84,0 %"), dagen "4,5 dagen", else one decimal."""
    if fmt.is_missing(x):
        return fmt.MISSING
    if meeteenheid == "%":
        return fmt.pct(x, decimals)
    if meeteenheid == "dagen":
        return f"{fmt.getal(x, decimals)} dagen"
    return fmt.getal(x, decimals)


def _exact_decimals(x: float, scale: float = 1) -> int:
    """The fewest decimals (1–3) that show x exactly, so a band edge of 5,25 is not shown as 5,3."""
    for d in (1, 2, 3):
        if abs(round(x * scale, d) - x * scale) < 1e-9:
            return d
    return 3


def norm_tekst(streefwaarde, richting: str, meeteenheid: str | None) -> str:
    """"≥ 80,0 %" / "≤ 5,0 dagen"; "geen streefwaarde" when there is none."""
    if fmt.is_missing(streefwaarde):
        return "geen streefwaarde"
    return f"{'≤' if richting == 'lager' else '≥'} {waarde_tekst(streefwaarde, meeteenheid)}"


def marge_tekst(streefwaarde, richting: str, meeteenheid: str | None) -> str:
    """Where oranje ends, e.g. "oranje tot en met 75,0 %", with the rule in brackets."""
    grens = marge_grens(streefwaarde, richting, meeteenheid)
    if grens is None:
        return ""
    rule = "5 procentpunt" if meeteenheid == "%" else f"5{fmt.NBSP}% van de norm"
    word = "oranje tot en met" if richting == "lager" else "oranje vanaf"
    decimals = _exact_decimals(grens, 100 if meeteenheid == "%" else 1)
    return f"{word} {waarde_tekst(grens, meeteenheid, decimals)} ({rule})"


def methode_tekst(methode: str | None, delen: int, delen_verwacht: int | None, geleverd_per: str | None,
                  aantal=None) -> str:
    """How the value came about, in Dutch: "Gewogen naar aantal: 3 maanden, n = 10.234"."""
    if fmt.is_missing(methode) or fmt.is_missing(geleverd_per):
        return "Geen waarde in deze periode."
    one, many = PART_NAMES[geleverd_per]
    n = "" if fmt.is_missing(aantal) else f", n = {fmt.getal(aantal)}"
    if methode == OPGEGEVEN:
        return f"Waarde per {one} zoals aangeleverd{n}."
    parts = f"{fmt.getal(delen)} van {fmt.getal(delen_verwacht)} {many}" if delen != delen_verwacht \
        else f"{fmt.getal(delen)} {many}"
    if methode == GEWOGEN:
        return f"Gewogen naar aantal: {parts}{n}."
    return f"Gemiddelde van {parts} (niet elke {one} heeft een aantal)."


def geen_meting_tekst(laatste: str | None, periode: str) -> str:
    """Why a tile is grey: no score in the period, and when the last score was."""
    zin = f"Geen score in {period_label(periode)}."
    if not fmt.is_missing(laatste) and laatste != periode:
        zin += f" Laatste score: {period_label(laatste)}."
    return zin


STATUS_SYMBOOL = {GEHAALD: "●", MARGE: "◆", NIET_GEHAALD: "✕", GEEN_METING: "○", GEEN_NORM: "○"}  # as in the charts


def status_badge(s: str) -> str:
    """Streamlit markdown badge with icon and text, never colour alone."""
    label, icon, colour, _ = STATUS_STYLE[s]
    return f":{colour}-badge[{icon} {label}]"


# --- annotations ----------------------------------------------------------------------------------
def notes_at(notes: pd.DataFrame, grain: str, codes: list[str] | None = None) -> pd.DataFrame:
    """Annotations (code, periode, tekst, auteur, tijdstip) placed on the period of `grain`
    that contains their own period: a note on "2022-03" shows on 2022-03, 2022 K1, 2022 T1
    and 2022. Codes are matched case-insensitively to `codes` (the current norms), so a
    note survives a new KPI version that spells the code differently."""
    canon = {c.casefold(): c for c in (codes or [])}
    rows = []
    for r in notes.itertuples(index=False):
        code = canon.get(str(r.code).casefold(), r.code) if codes else r.code
        if codes and str(r.code).casefold() not in canon:
            continue
        try:
            _, own, start = parse_period(r.periode)
        except BadValue:
            continue
        if not nests(own, grain):
            continue
        key, _ = period_of(start, grain)
        rows.append({"code": code, "periode": key, "notitie_periode": r.periode, "tekst": r.tekst,
                     "auteur": r.auteur, "tijdstip": r.tijdstip,
                     "regel": (r.tekst if r.periode == key else f"{period_label(r.periode)}: {r.tekst}")})
    return pd.DataFrame(rows, columns=["code", "periode", "notitie_periode", "tekst", "auteur", "tijdstip", "regel"])


def notes_per_period(placed: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """(code, periode) -> the note lines in time order."""
    out: dict[tuple[str, str], list[str]] = {}
    for r in placed.sort_values("tijdstip", kind="stable").itertuples(index=False):
        out.setdefault((r.code, r.periode), []).append(r.regel)
    return out


def notes_for_code(per_period: dict[tuple[str, str], list[str]], code: str) -> dict[str, list[str]]:
    """periode -> note lines of one norm (for the charts)."""
    return {p: lines for (c, p), lines in per_period.items() if c == code}


# --- frames for the page -----------------------------------------------------------------------------
def spark_frame(row) -> pd.DataFrame:
    """The sparkline points of a scorecard row."""
    return pd.DataFrame({"periode_label": [period_label(p) for p in row.spark_periode],
                         "waarde": row.spark_waarde, "status": row.spark_status})


def bepaald_tekst(methode: str, delen: int, delen_verwacht: int, geleverd_per: str) -> str:
    """Short method text for a table cell: "gewogen, 3 maanden", "gemiddelde, 2 van 3 maanden"."""
    if methode == OPGEGEVEN:
        return "aangeleverd"
    one, many = PART_NAMES[geleverd_per]
    parts = f"{fmt.getal(delen)} van {fmt.getal(delen_verwacht)} {many}" if delen != delen_verwacht \
        else fmt.aantal_tekst(delen, one, many)
    return f"{'gewogen naar aantal' if methode == GEWOGEN else 'gemiddelde'}, {parts}"


def history_table(hist_one: pd.DataFrame, per_period: dict[tuple[str, str], list[str]]) -> pd.DataFrame:
    """The drill table of one norm, newest period first: value, n, method, status, notes."""
    d = hist_one.sort_values("periode_start", ascending=False)
    return pd.DataFrame({
        "periode_label": d["periode_label"].tolist(),
        "waarde": d["waarde"].tolist(),
        "aantal": d["aantal"].tolist(),
        "bepaald": [bepaald_tekst(m, a, b, g) for m, a, b, g in
                    zip(d["methode"], d["delen"], d["delen_verwacht"], d["geleverd_per"])],
        "status_label": [f"{STATUS_SYMBOOL[s]} {STATUS_STYLE[s][0]}" for s in d["status"]],
        "notitie": ["; ".join(per_period.get((c, p), [])) for c, p in zip(d["code"], d["periode"])],
    })
