"""Kind wasword: one row per placement; vacancies; eenheden checked against the formatie."""
from __future__ import annotations

from collections import defaultdict

from ..values import fold
from . import Built, Context, fmt_num, known_list

MAX_FTE_PER_PERSON = 1.2


def build(sheets: dict, ctx: Context) -> Built:
    sheet = sheets["Was-wordt"]
    out = Built()
    if not ctx.eenheden:
        sheet.error("er is nog geen formatie (soort 'organisatie') geladen, dus de eenheden zijn onbekend. "
                    "Laad eerst het formatiebestand met de bladen Eenheden en Coaches.")
        return out
    known = ctx.eenheden
    per_person: dict[str, list[tuple[int, float]]] = defaultdict(list)
    has_pnr_col = "personeelsnummer" in sheet.columns
    rows = []
    for rec in sheet.records:
        row = rec["_row"]
        pnr, naam, vorm = rec.get("personeelsnummer"), rec.get("naam"), rec.get("plaatsingsvorm")
        vacancy = vorm == "vacature" or (not pnr and not naam)
        if not vacancy and not pnr:
            sheet.error("Personeelsnummer ontbreekt (verplicht, behalve bij een vacature).", row,
                        "personeelsnummer" if has_pnr_col else "naam")
        eenheid = rec["eenheid"]
        if eenheid is not None:
            canon = known.get(fold(eenheid))
            if canon is None:
                sheet.error(f"eenheid '{eenheid}' bestaat niet in de huidige formatie (organisatie versie "
                            f"{ctx.organisatie_version}). Bekende eenheden: {known_list(known.values())}.",
                            row, "eenheid")
            eenheid = canon
        if pnr and not vacancy and rec["fte"] is not None:
            per_person[pnr].append((row, rec["fte"]))
        rows.append({"rij": row, "personeelsnummer": None if vacancy and not pnr else pnr, "naam": naam,
                     "huidige_functie": rec.get("huidige_functie"), "huidige_afdeling": rec.get("huidige_afdeling"),
                     "nieuwe_functie": rec["nieuwe_functie"], "eenheid": eenheid, "schaal": rec.get("schaal"),
                     "fte": rec["fte"], "plaatsingsvorm": vorm, "is_vacature": vacancy})
    for pnr, placements in per_person.items():
        total = sum(f for _, f in placements)
        if total > MAX_FTE_PER_PERSON + 1e-9:
            cells = ", ".join(sheet.ref("fte", r) for r, _ in placements)
            sheet.error(f"personeelsnummer {pnr} heeft samen {fmt_num(total, 4).rstrip('0').rstrip(',')} fte (cellen {cells}); "
                        f"meer dan {fmt_num(MAX_FTE_PER_PERSON, 1)} fte per persoon is niet toegestaan.",
                        placements[-1][0], "fte")
    out.tables["ww_plaatsing"] = rows
    out.rows = len(rows)
    return out
