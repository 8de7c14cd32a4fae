"""The personal columns, the one place that drops them, and the small-numbers rule for
everything that leaves Stuurbord for the raad (and for the raad's screens).

Who may see what is decided in stuurbord.access.identity (roles from the identity
provider's groups; permission PERSOONSGEGEVENS for employee-level rows). Exports for the
raad never include personal columns, whatever the role: each export names the columns it
may carry (an allow-list, see stuurbord.export.views), and person-derived figures computed
from fewer than DREMPEL persons are suppressed here.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable

import pandas as pd

PERSONAL_COLUMNS = ("personeelsnummer", "naam")
# columns that hold a person's name: never in an export for the raad (coaches, opdrachtgevers,
# note authors and whoever loaded a file are people too)
NAME_COLUMNS = PERSONAL_COLUMNS + ("coach", "opdrachtgever", "portefeuillehouder", "auteur", "loaded_by")

DREMPEL = 5  # a figure computed from fewer persons than this is not published
ONDERDRUKT = f"<{DREMPEL}"  # primary suppression: the figure itself is about fewer than DREMPEL persons
AANVULLEND = "×"  # complementary suppression: hidden only so that a total cannot reveal a "<5"
VOETNOOT_ONDERDRUKT = f"{ONDERDRUKT} = berekend uit minder dan {DREMPEL} personen; weggelaten"
VOETNOOT_AANVULLEND = f"{AANVULLEND} = weggelaten om een ander cijfer te beschermen"
REGEL = (f"Cijfers die zijn berekend uit minder dan {DREMPEL} personen zijn weggelaten en als "
         f"“{ONDERDRUKT}” weergegeven. Waar een totaal of een verschil zo’n cijfer zou verraden, is ook een "
         f"tweede cijfer weggelaten (aanvullende onderdrukking); dat staat er als “{AANVULLEND}”: weggelaten "
         "om een ander cijfer te beschermen. Namen en personeelsnummers staan nooit in een export voor de raad.")


def without_personal(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=[c for c in PERSONAL_COLUMNS if c in df.columns])


def too_few(count) -> bool:
    """Primary suppression: 1 to DREMPEL-1 persons (0 persons reveals nobody)."""
    return count is not None and not pd.isna(count) and 0 < float(count) < DREMPEL


def suppress(counts: dict[Hashable, float], equations: Iterable[tuple[Hashable, list[Hashable]]]) -> set:
    """Which cells to hide. `counts`: cell -> number of persons behind it; `equations`:
    (total cell, member cells) for every published sum (a cluster total and its eenheden,
    a row total and its cells, the grand total and the cluster totals...).

    Primary: every cell with 1..DREMPEL-1 persons. Complementary: no equation may have
    exactly one hidden cell, or it could be recomputed from the total and the others;
    then the visible member with the fewest persons (preferring non-zero ones) is hidden
    too, or the total when no member is left. Repeated until no equation changes, so a
    hidden subtotal propagates up and down the hierarchy. This is the usual
    "secundaire onderdrukking" rule; it hides a little more than the optimum, never less."""
    equations = [(total, list(members)) for total, members in equations]
    hidden = {cell for cell, n in counts.items() if too_few(n)}
    changed = True
    while changed:
        changed = False
        for total, members in equations:
            cells = [total, *members]
            if sum(c in hidden for c in cells) != 1:
                continue
            visible = [m for m in members if m not in hidden]
            if visible:
                pick = min(visible, key=lambda m: (float(counts.get(m) or 0) == 0, float(counts.get(m) or 0), str(m)))
            else:
                pick = total
            if pick in hidden:  # an equation without members: nothing left to hide
                continue
            hidden.add(pick)
            changed = True
    return hidden


def suppression(counts: dict[Hashable, float], equations: Iterable[tuple[Hashable, list[Hashable]]]) -> dict:
    """`suppress`, with the mark each hidden cell shows: ONDERDRUKT for a cell about fewer
    than DREMPEL persons (primary), AANVULLEND for one hidden only to protect another
    (complementary; printing "<5" there would be untrue)."""
    return {cell: ONDERDRUKT if too_few(counts.get(cell)) else AANVULLEND for cell in suppress(counts, equations)}


def voetnoten(marks: Iterable[str]) -> list[str]:
    """The footnotes for the marks that occur (in a table, a chart, a sheet)."""
    found = set(marks)
    return [note for mark, note in ((ONDERDRUKT, VOETNOOT_ONDERDRUKT), (AANVULLEND, VOETNOOT_AANVULLEND))
            if mark in found]
