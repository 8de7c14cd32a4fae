"""Kind kpi: norms and scores (long or wide), one grain per code, % as fractions."""
from __future__ import annotations

from ..sheets import Issue
from ..values import fold
from . import Built, Context, known_list


def _as_fraction(value: float | None, meeteenheid: str | None) -> float | None:
    """A value of a %-norm may be written 0,93, 93% or 93: stored as 0.93."""
    if value is None or meeteenheid != "%":
        return value
    return value / 100 if value > 1 else value


def build(sheets: dict, ctx: Context) -> Built:
    normen, scores = sheets["Normen"], sheets["Scores"]
    out = Built()
    norms: dict[str, dict] = {}
    for rec in normen.records:
        code = rec["code"]
        if code is None:
            continue
        if fold(code) in norms:
            normen.error(f"code '{code}' komt dubbel voor (ook in rij {norms[fold(code)]['rij']}).", rec["_row"], "code")
            continue
        eenheid = rec.get("eenheid")
        if eenheid and ctx.eenheden:
            canon = ctx.eenheden.get(fold(eenheid))
            if canon is None:
                normen.warnings.append(Issue(f"eenheid '{eenheid}' is niet bekend in de formatie; "
                                             "de norm wordt wel geladen.", normen.name, normen.ref("eenheid", rec["_row"])))
            eenheid = canon or eenheid
        meet = rec.get("meeteenheid")
        norms[fold(code)] = {"rij": rec["_row"], "code": code, "omschrijving": rec["omschrijving"], "eenheid": eenheid,
                             "streefwaarde": _as_fraction(rec["streefwaarde"], meet),
                             "richting": rec.get("richting") or "hoger", "meeteenheid": meet, "bron": rec.get("bron")}

    grains: dict[str, tuple[str, str]] = {}
    seen: dict[tuple, str] = {}
    rows = []
    unknown_codes: set[str] = set()
    for rec in scores.records:
        code, period = rec["code"], rec["periode"]
        if code is None or period is None or rec["waarde"] is None:
            continue
        cell = rec.get("_cell") or scores.ref("periode", rec["_row"])
        norm = norms.get(fold(code))
        if norm is None:
            if fold(code) not in unknown_codes:
                unknown_codes.add(fold(code))
                scores.errors.append(Issue(f"code '{code}' staat niet op het blad '{normen.name}'. "
                                           f"Bekende codes: {known_list(n['code'] for n in norms.values())}.",
                                           scores.name, scores.ref("code", rec["_row"])))
            continue
        text, grain, start = period
        first = grains.setdefault(fold(code), (grain, cell))
        if first[0] != grain:
            scores.errors.append(Issue(f"code '{norm['code']}' mengt perioden: '{text}' is een {grain}, maar "
                                       f"{first[1]} is een {first[0]}. Gebruik per code één soort periode.",
                                       scores.name, cell))
            continue
        key = (fold(code), text)
        if key in seen:
            scores.errors.append(Issue(f"code '{norm['code']}' heeft voor periode {text} al een waarde ({seen[key]}).",
                                       scores.name, cell))
            continue
        seen[key] = cell
        rows.append({"rij": rec["_row"], "code": norm["code"], "periode": text, "grain": grain, "periode_start": start,
                     "waarde": _as_fraction(rec["waarde"], norm["meeteenheid"]), "aantal": rec.get("aantal")})
    out.tables["kpi_norm"] = list(norms.values())
    out.tables["kpi_score"] = rows
    out.rows = len(norms) + len(rows)
    return out
