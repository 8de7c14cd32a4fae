"""Kind opgaven: opgaven with projects, milestones and capacity asked of eenheden."""
from __future__ import annotations

from datetime import date

from ..sheets import Issue
from ..values import fold
from . import Built, Context, known_list


def build(sheets: dict, ctx: Context) -> Built:
    opgaven = sheets["Opgaven"]
    out = Built()
    names: dict[str, str] = {}
    rows = []
    for rec in opgaven.records:
        name = rec["opgave"]
        if name is None:
            continue
        if fold(name) in names:
            opgaven.error(f"opgave '{name}' komt dubbel voor.", rec["_row"], "opgave")
            continue
        names[fold(name)] = name
        evaluatie = rec.get("evaluatie_gereed")
        gereed = None if evaluatie is None else (evaluatie if isinstance(evaluatie, bool) else True)
        if rec["fase"] == "afgesloten" and not gereed:
            opgaven.warnings.append(Issue(
                f"opgave '{name}' staat op 'afgesloten' zonder afgeronde evaluatie; een opgave wordt pas "
                "afgesloten nadat de evaluatie is voltooid en het succes is gevierd.",
                opgaven.name, opgaven.ref("fase", rec["_row"])))
        rows.append({"rij": rec["_row"], "opgave": name, "opdrachtgever": rec["opdrachtgever"],
                     "portefeuillehouder": rec.get("portefeuillehouder"), "fase": rec["fase"],
                     "start": rec.get("start"), "einde_gepland": rec.get("einde_gepland"),
                     "voortgang": rec.get("voortgang"), "budget": rec.get("budget"), "besteed": rec.get("besteed"),
                     "evaluatie_gereed": gereed,
                     "evaluatie_datum": evaluatie if isinstance(evaluatie, date) else None})
    out.tables["opg_opgave"] = rows

    def ref_opgave(sheet, rec) -> str | None:
        canon = names.get(fold(rec["opgave"])) if rec["opgave"] is not None else None
        if rec["opgave"] is not None and canon is None:
            sheet.error(f"opgave '{rec['opgave']}' staat niet op het blad '{opgaven.name}'. "
                        f"Bekende opgaven: {known_list(names.values())}.", rec["_row"], "opgave")
        return canon

    tables = {"Projecten": ("opg_project", ("project", "projectleider", "intern_extern", "fase", "voortgang")),
              "Mijlpalen": ("opg_mijlpaal", ("mijlpaal", "gepland", "gerealiseerd")),
              "Capaciteit": ("opg_capaciteit", ("eenheid", "gevraagd_fte", "toegezegd_fte"))}
    for sheet_name, (table, fields) in tables.items():
        sheet = sheets.get(sheet_name)
        out.tables[table] = []
        if sheet is None:
            continue
        if sheet_name == "Capaciteit" and sheet.records and not ctx.eenheden:
            sheet.error("er is nog geen formatie (soort 'organisatie') geladen, dus de eenheden zijn onbekend. "
                        "Laad eerst de formatie.")
            continue
        for rec in sheet.records:
            opgave = ref_opgave(sheet, rec)
            row = {"rij": rec["_row"], "opgave": opgave, **{f: rec.get(f) for f in fields}}
            if sheet_name == "Capaciteit" and rec["eenheid"] is not None:
                row["eenheid"] = ctx.eenheden.get(fold(rec["eenheid"]))
                if row["eenheid"] is None:
                    sheet.error(f"eenheid '{rec['eenheid']}' bestaat niet in de huidige formatie. "
                                f"Bekende eenheden: {known_list(ctx.eenheden.values())}.", rec["_row"], "eenheid")
            out.tables[table].append(row)
    out.rows = sum(len(t) for t in out.tables.values())
    return out
