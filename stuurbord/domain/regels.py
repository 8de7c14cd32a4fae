"""The memo's rules (notitie managementstructuur 2021) checked against an organisation.

One definition: the block between `BEGIN regels` and `END regels` in etl/schema.sql. The
store runs it on the current versions (the view `regelcontrole`, which DuckDB clients read);
`evalueer` runs the *same statements* in an in-memory DuckDB on any set of inputs, such as
a what-if scenario or the Span page's own norm. The inputs are the `regel_invoer_*` views of
the store (`INVOER`); a scenario replaces their rows, never their shape. See docs/rules.md.

The results are one DataFrame, one row per rule and subject:
`regel, onderwerp, status, toelichting, bron` (the stable columns of the view), then
`regel_id, volgorde, onderwerp_soort` (coach, eenheid, opgave, organisatie, opgaven) and
`waarde, grens` (the figures the status rests on, e.g. a coach's fte and the norm).
`aandacht` and `samenvatting` give what a start page needs.
"""
from __future__ import annotations

import functools
import re
from typing import NamedTuple

import pandas as pd

from etl import store

VOLDOET = "voldoet"
WIJKT_AF = "wijkt af"
NIET_TE_BEOORDELEN = "niet te beoordelen"
STATUSSEN = (WIJKT_AF, NIET_TE_BEOORDELEN, VOLDOET)  # worst first
STATUS_LABEL = {WIJKT_AF: "Wijkt af", NIET_TE_BEOORDELEN: "Niet te beoordelen", VOLDOET: "Voldoet"}
KOLOM = {WIJKT_AF: "wijkt_af", NIET_TE_BEOORDELEN: "niet_te_beoordelen", VOLDOET: "voldoet"}  # samenvatting
STATUS_ICOON = {WIJKT_AF: ":material/error:", NIET_TE_BEOORDELEN: ":material/help:", VOLDOET: ":material/check_circle:"}

# the inputs of the rule block, in the order of the Invoer fields
INVOER = ("regel_invoer_geladen", "regel_invoer_eenheid", "regel_invoer_coach", "regel_invoer_opbouw",
          "regel_invoer_opgave", "regel_invoer_functie", "regel", "instelling")

# rule ids used by pages (the Span page shows these results)
SPAN = "span-norm"
COACH_PER_EENHEID = "coach-per-eenheid"
UITZONDERING_SOORTEN = ("uitzondering_gedeeld", "uitzondering_coaches")


class Invoer(NamedTuple):
    """The inputs as frames (columns as in the store's views) and their DuckDB column types."""
    geladen: pd.DataFrame
    eenheid: pd.DataFrame
    coach: pd.DataFrame
    opbouw: pd.DataFrame
    opgave: pd.DataFrame
    functie: pd.DataFrame
    regel: pd.DataFrame
    instelling: pd.DataFrame
    types: tuple  # per input: ((column, DuckDB type), ...)

    def met(self, **frames) -> "Invoer":
        """The same inputs with some frames replaced (a scenario's eenheden and coaches)."""
        return self._replace(**frames)


@functools.cache
def _blok() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The statements of the rule block in schema.sql: (macros, the view), split as the store
    splits them. The rule table and the input views are not re-run: a scenario brings the
    store's rule table and its own inputs."""
    sql = (store.ROOT / "etl" / "schema.sql").read_text(encoding="utf-8")
    begin = sql.index("-- " + "=" * 64 + " BEGIN regels")
    end = sql.index("-- " + "=" * 66 + " END regels")
    statements = store._split_sql(sql[begin:end])
    macros = tuple(s for s in statements if s.startswith("CREATE OR REPLACE MACRO"))
    views = tuple(s for s in statements if re.match(r"CREATE OR REPLACE VIEW regelcontrole\b", s))
    assert len(views) == 1 and macros, "schema.sql: het blok regels is niet gevonden"
    return macros, views


def evalueer(invoer: Invoer, norm: float | None = None) -> pd.DataFrame:
    """The rule results for these inputs: exactly what the view `regelcontrole` gives for
    the same rows. `norm` replaces the setting span_norm_fte (the Span page's own norm)."""
    import duckdb
    frames = list(invoer[:len(INVOER)])
    if norm is not None:
        inst = invoer.instelling
        frames[INVOER.index("instelling")] = pd.concat(
            [inst[inst["sleutel"] != "span_norm_fte"], pd.DataFrame({"sleutel": ["span_norm_fte"], "waarde": [str(norm)]})],
            ignore_index=True)
    macros, views = _blok()
    con = duckdb.connect(":memory:")
    try:
        for name, frame, types in zip(INVOER, frames, invoer.types):
            cols = ", ".join(f'"{c}" {t}' for c, t in types)
            con.execute(f'CREATE TABLE "{name}" ({cols})')
            if len(frame):
                con.register("_invoer", frame[[c for c, _ in types]])
                con.execute(f'INSERT INTO "{name}" SELECT * FROM _invoer')
                con.unregister("_invoer")
        for statement in macros + views:
            con.execute(statement)
        return con.execute("SELECT * FROM regelcontrole").df()
    finally:
        con.close()


# --- reading the results --------------------------------------------------------------------------
def _rang(status: pd.Series) -> pd.Series:
    return status.map({s: i for i, s in enumerate(STATUSSEN)}).fillna(len(STATUSSEN))


def aandacht(resultaten: pd.DataFrame) -> pd.DataFrame:
    """What needs attention: the results that do not comply, worst first (wijkt af, then niet
    te beoordelen), in rule order, the largest excess first within a rule. `verschil` =
    waarde − grens where both are known (fte above the norm, overbezetting, ...)."""
    r = resultaten[resultaten["status"] != VOLDOET]
    r = r.assign(verschil=(r["waarde"] - r["grens"]).round(4), _rang=_rang(r["status"]))
    return (r.sort_values(["_rang", "volgorde", "verschil", "onderwerp"], ascending=[True, True, False, True],
                          na_position="last").drop(columns="_rang").reset_index(drop=True))


def samenvatting(resultaten: pd.DataFrame, regels: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per rule (regel_id, volgorde, regel, bron): how many subjects comply, deviate or cannot
    be judged (columns voldoet, wijkt_af, niet_te_beoordelen) and the rule's overall `status`
    (the worst of its subjects). `regels` (the rule table) adds active rules without results."""
    counts = (resultaten.groupby(["regel_id", "status"]).size().unstack(fill_value=0)
              .reindex(columns=list(STATUSSEN), fill_value=0).rename(columns=KOLOM))
    base = resultaten.drop_duplicates("regel_id")[["regel_id", "volgorde", "regel", "bron"]]
    if regels is not None:
        extra = regels[regels["actief"] & ~regels["id"].isin(base["regel_id"])].rename(columns={"id": "regel_id"})
        base = pd.concat([base, extra[["regel_id", "volgorde", "regel", "bron"]]], ignore_index=True)
    out = base.merge(counts, left_on="regel_id", right_index=True, how="left")
    for col in KOLOM.values():
        out[col] = out[col].fillna(0).astype(int)
    out["status"] = [next((s for s in STATUSSEN if row[KOLOM[s]]), None) for _, row in out.iterrows()]
    return out.sort_values("volgorde").reset_index(drop=True)


def van_regel(resultaten: pd.DataFrame, regel_id: str) -> pd.DataFrame:
    return resultaten[resultaten["regel_id"] == regel_id]


def tabel_van_regel(resultaten: pd.DataFrame, regel_id: str) -> pd.DataFrame:
    """One rule's results for its table: deviations first, then by subject; status in words."""
    d = van_regel(resultaten, regel_id)
    d = d.assign(_rang=d["status"].map({s: i for i, s in enumerate(STATUSSEN)})).sort_values(["_rang", "onderwerp"])
    return d[["onderwerp", "status", "toelichting"]].assign(status=d["status"].map(STATUS_LABEL))


def uitzonderingen(resultaten: pd.DataFrame, regels: pd.DataFrame) -> pd.DataFrame:
    """For the Span page: the memo's exceptions as the data shows them (every status), then
    every eenheid whose coach arrangement deviates, then every coach above the norm."""
    ids = set(regels.loc[regels["soort"].isin(UITZONDERING_SOORTEN), "id"])
    r = resultaten
    return pd.concat([r[r["regel_id"].isin(ids)],
                      r[(r["regel_id"] == COACH_PER_EENHEID) & (r["status"] != VOLDOET)],
                      r[(r["regel_id"] == SPAN) & (r["status"] != VOLDOET)]], ignore_index=True)
