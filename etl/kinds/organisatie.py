"""Kind organisatie: eenheden with formatie, coaches with shares, the formation build-up."""
from __future__ import annotations

from collections import defaultdict

from ..sheets import Issue
from ..values import fold
from . import Built, Context, canonical, fmt_num, known_list

SHARE_TOLERANCE = 0.01


def build(sheets: dict, ctx: Context) -> Built:
    eenheden, coaches, opbouw = sheets["Eenheden"], sheets["Coaches"], sheets.get("Opbouw")
    out = Built()

    names: dict[str, str] = {}
    first_row: dict[str, int] = {}
    rows = []
    for rec in eenheden.records:
        name = rec["eenheid"]
        if name is None:
            continue
        key = fold(name)
        if key in names:
            eenheden.error(f"eenheid '{name}' komt dubbel voor (ook in rij {first_row[key]}); "
                           "elke eenheid staat één keer in de formatie.", rec["_row"], "eenheid")
            continue
        names[key], first_row[key] = name, rec["_row"]
        rows.append({"rij": rec["_row"], "cluster": rec["cluster"], "eenheid": name,
                     "formatie_fte": rec["formatie_fte"]})
    out.tables["org_eenheid"] = rows

    coach_names: dict[str, str] = {}
    per_eenheid: dict[str, list[dict]] = defaultdict(list)
    seen_pairs: dict[tuple, int] = {}
    for rec in coaches.records:
        if rec["coach"] is None or rec["eenheid"] is None:
            continue
        eenheid = canonical(names, rec["eenheid"])
        if eenheid is None:
            coaches.error(f"eenheid '{rec['eenheid']}' staat niet op het blad '{eenheden.name}'. "
                          f"Bekende eenheden: {known_list(names.values())}.", rec["_row"], "eenheid")
            continue
        coach = coach_names.setdefault(fold(rec["coach"]), rec["coach"])
        pair = (fold(coach), fold(eenheid))
        if pair in seen_pairs:
            coaches.error(f"coach '{coach}' staat al bij eenheid '{eenheid}' (rij {seen_pairs[pair]}).",
                          rec["_row"], "coach")
            continue
        seen_pairs[pair] = rec["_row"]
        per_eenheid[fold(eenheid)].append({"rij": rec["_row"], "coach": coach, "eenheid": eenheid,
                                           "aandeel": rec.get("aandeel")})

    coach_rows = []
    for key, items in per_eenheid.items():
        given = [i["aandeel"] for i in items if i["aandeel"] is not None]
        missing = [i for i in items if i["aandeel"] is None]
        rest = 1 - sum(given)
        for item in items:
            item["aandeel_opgegeven"] = item["aandeel"] is not None
            if item["aandeel"] is None:  # missing shares split the rest evenly
                item["aandeel"] = rest / len(missing)
        total = sum(i["aandeel"] for i in items)
        starved = bool(missing) and rest <= 0   # the given shares leave nothing for the others
        if abs(total - 1) > SHARE_TOLERANCE or starved:
            cells = ", ".join(coaches.ref("aandeel", i["rij"]) for i in items)
            shown = sum(given) if starved else total
            extra = "; voor een coach zonder aandeel blijft niets over" if starved else ""
            coaches.error(f"de aandelen van eenheid '{names[key]}' tellen op tot {fmt_num(shown * 100, 1)} % "
                          f"in plaats van 100 % (cellen {cells}){extra}.", items[0]["rij"], "aandeel")
        coach_rows.extend(items)
    out.tables["org_coach"] = coach_rows
    for key, name in names.items():
        if key not in per_eenheid:
            coaches.warnings.append(Issue(f"eenheid '{name}' heeft geen coach/coördinator.", coaches.name))

    opbouw_rows = []
    if opbouw is not None:
        for i, rec in enumerate(opbouw.records, start=1):
            opbouw_rows.append({"volgorde": i, "onderdeel": rec["onderdeel"], "fte_onderdeel": rec["fte_onderdeel"],
                                "percentage": rec["percentage"], "bewerking": rec["bewerking"],
                                "fte_opgegeven": rec.get("fte_opgegeven")})
        if opbouw_rows and not any(r["bewerking"] == "basis" for r in opbouw_rows):
            opbouw.error("er is geen regel met bewerking 'basis'; de opbouw begint met een basisregel.")
    out.tables["org_opbouw"] = opbouw_rows
    out.rows = len(rows) + len(coach_rows) + len(opbouw_rows)
    return out
