"""Command line: python -m etl load | history | restore | demo | backup | snapshot | template.

Exit codes (docs/analytics-contract.md): 0 loaded (or the same file again),
1 refused, 2 usage error. Usage, help and messages are Dutch (etl/argparse_nl.py).
"""
from __future__ import annotations

import argparse
import os
import sys
from datetime import date

from . import pipeline, startup, store
from .argparse_nl import DutchParser
from .demo import load_demo


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen datum; gebruik JJJJ-MM-DD") from None


def _scale(text: str) -> int:
    from .scale import MAX_SCALE
    if not text.isdigit() or not 1 <= int(text) <= MAX_SCALE:
        raise argparse.ArgumentTypeError(f"'{text}' is geen geldige schaal; gebruik een geheel getal van 1 "
                                         f"tot en met {MAX_SCALE}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    kinds = sorted(pipeline.c.KINDS)
    p = DutchParser(prog="python -m etl", description="Stuurbord: gegevens laden en beheren.",
                    epilog="Uitkomst: 0 = gelukt (of al geladen), 1 = geweigerd, 2 = verkeerd commando.")
    sub = p.add_subparsers(dest="command", required=True, title="opdrachten", metavar="OPDRACHT")
    db = DutchParser(add_help=False)
    db.add_argument("--db", metavar="PAD", help="DuckDB-bestand (standaard: STUURBORD_DB of data/stuurbord.duckdb)")
    db.add_argument("--json", action="store_true", help="uitvoer als JSON")

    load = sub.add_parser("load", parents=[db], help="een Excel-bestand laden als nieuwe versie",
                          description="Een Excel-bestand (.xlsx, .xlsm) controleren en als nieuwe versie laden. "
                                      "Een bestand met fouten wordt helemaal niet geladen.")
    load.add_argument("file", metavar="BESTAND", help="het Excel-bestand")
    load.add_argument("--kind", choices=kinds, metavar="SOORT",
                      help=f"de soort gegevens ({', '.join(kinds)}); standaard herkend aan bladen en kolommen")
    load.add_argument("--peildatum", type=_date, metavar="JJJJ-MM-DD",
                      help="de datum waarop de gegevens gelden; standaard uit het bestand, anders vandaag")
    load.add_argument("--user", metavar="NAAM", help="wie laadt (standaard: de gebruiker van het systeem)")

    hist = sub.add_parser("history", parents=[db], help="alle versies tonen", description="Alle versies tonen.")
    hist.add_argument("--kind", choices=kinds, metavar="SOORT", help="alleen deze soort")

    rest = sub.add_parser("restore", parents=[db], help="een eerdere versie weer actueel maken",
                          description="Een eerdere versie weer de huidige maken (wordt vastgelegd).")
    rest.add_argument("kind", choices=kinds, metavar="SOORT", help=f"de soort ({', '.join(kinds)})")
    rest.add_argument("version", type=int, metavar="VERSIE", help="het versienummer (zie history)")
    rest.add_argument("--user", metavar="NAAM", help="wie terugzet (standaard: de gebruiker van het systeem)")

    demo = sub.add_parser("demo", parents=[db], help="de synthetische demogegevens (opnieuw) laden",
                          description="De synthetische demogegevens uit data/demo (opnieuw) laden, of een "
                                      "verzonnen organisatie die N keer zo groot is.")
    demo.add_argument("--scale", type=_scale, default=1, metavar="N",
                      help="een synthetische organisatie N keer zo groot als de demo (1 = de demo zelf)")

    back = sub.add_parser("backup", parents=[db], help="een consistente kopie van de database maken",
                          description="Een consistente kopie van de database maken, ook terwijl Stuurbord draait. "
                                      "Een map die nog niet bestaat, wordt gemaakt.")
    back.add_argument("dest", metavar="DOEL", help="het nieuwe bestand (wordt niet overschreven)")

    sub.add_parser("snapshot", parents=[db], help="de leeskopie voor de app opnieuw publiceren (na het "
                                                  "terugzetten van een reservekopie)",
                   description="De leeskopie voor de app opnieuw publiceren, bijvoorbeeld na het terugzetten "
                               "van een reservekopie.")

    tmpl = sub.add_parser("template", help="een leeg Excel-sjabloon van een soort maken",
                          description="Een leeg Excel-sjabloon maken met de kolommen van het importcontract.")
    tmpl.add_argument("kind", choices=kinds, metavar="SOORT", help=f"de soort ({', '.join(kinds)})")
    tmpl.add_argument("dest", metavar="DOEL", help="het nieuwe .xlsx-bestand (wordt niet overschreven)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in ("load", "demo"):
        startup.block_pandas()
    if args.command == "load":  # DuckDB's import while fastexcel parses
        startup.WHILE_PARSING.append(store.warm_up)
    try:
        return COMMANDS[args.command](args)
    except store.StoreBusy as exc:
        print(str(exc), file=sys.stderr)
        if getattr(args, "json", False):
            print(pipeline.to_json({"errors": [str(exc)]}))
        return 1


def cmd_load(args) -> int:
    result = pipeline.load(args.file, kind=args.kind, peildatum=args.peildatum, user=args.user, db=args.db)
    if args.json:
        print(pipeline.to_json(result.as_json()))
    if not result.ok:
        print(result.summary(), file=sys.stderr)
        for err in result.prepared.errors:
            print(f"  - {err}", file=sys.stderr)
        return 1
    if not args.json:
        print(result.summary())
        for w in result.prepared.warnings:
            print(f"  waarschuwing: {w}")
        for s in result.prepared.skipped:
            print(f"  overgeslagen: {s}")
    return 0


def cmd_history(args) -> int:
    try:
        with store.reader(args.db) as con:
            sql = "SELECT * FROM versies" + (" WHERE kind = ?" if args.kind else "")
            cur = con.execute(sql, [args.kind] if args.kind else [])
            cols = [d[0] for d in cur.description]
            rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    except store.StoreMissing:
        rows = []
    if args.json:
        print(pipeline.to_json(rows))
        return 0
    if not rows:
        print("Nog niets geladen.")
        return 0
    # names in full (the audit trail names people), the whole SHA-256 (to check a file against it)
    door = max(len("door"), *(len(r["loaded_by"]) for r in rows))
    print(f"{'soort':<12} {'versie':>6}  {'peildatum':<10}  {'geladen op':<16}  {'door':<{door}}  {'rijen':>6}  "
          f"{'sha-256':<64}  bestand")
    for r in rows:
        mark = " *" if r["is_current"] else ""
        print(f"{r['kind']:<12} {r['version']:>6}  {r['peildatum']:%d-%m-%Y}  {r['loaded_at']:%d-%m-%Y %H:%M}  "
              f"{r['loaded_by']:<{door}}  {r['rows']:>6}  {r['sha256']:<64}  {r['file_name']}{mark}")
    print("* = huidige versie")
    return 0


def cmd_restore(args) -> int:
    try:
        prev = pipeline.restore(args.kind, args.version, user=args.user, db=args.db)
    except LookupError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    msg = f"{args.kind}: versie {args.version} is nu de huidige versie (was {prev})."
    print(pipeline.to_json({"kind": args.kind, "version": args.version, "previous": prev}) if args.json else msg)
    return 0


def cmd_demo(args) -> int:
    results = load_demo(db=args.db, log=(lambda *_: None) if args.json else print, scale=args.scale)
    if args.json:
        print(pipeline.to_json([r.as_json() for r in results]))
    return 0


def cmd_backup(args) -> int:
    if os.path.isdir(args.dest):
        print(f"'{args.dest}' is een map; geef de naam van het nieuwe bestand, bijvoorbeeld "
              f"{os.path.join(args.dest, f'stuurbord-{date.today():%Y-%m-%d}.duckdb')}.", file=sys.stderr)
        return 1
    try:
        dest = store.backup(args.dest, args.db)
    except FileExistsError:
        print(f"'{args.dest}' bestaat al; kies een nieuwe bestandsnaam voor de reservekopie.", file=sys.stderr)
        return 1
    except (store.StoreMissing, store.BackupFailed) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Reservekopie gemaakt: {dest}")
    return 0


def cmd_snapshot(args) -> int:
    from . import snapshot
    path = store.db_path(args.db)
    if not path.exists():
        print(f"Er is nog geen database ({path}).", file=sys.stderr)
        return 1
    with store.write_lock(path), store.private_files():
        published = snapshot.publish(path)
    print(f"Leeskopie gepubliceerd: {published}")
    return 0


def cmd_template(args) -> int:
    from .templates import write_template
    try:
        write_template(args.kind, args.dest)
    except FileExistsError:
        print(f"'{args.dest}' bestaat al; kies een nieuwe bestandsnaam voor het sjabloon.", file=sys.stderr)
        return 1
    except OSError:
        print(f"Kan '{args.dest}' niet schrijven. Bestaat de map, en mag u daarin schrijven?", file=sys.stderr)
        return 1
    print(f"Sjabloon {pipeline.c.KINDS[args.kind].label} gemaakt: {args.dest}")
    return 0


COMMANDS = {"load": cmd_load, "history": cmd_history, "restore": cmd_restore, "demo": cmd_demo,
            "backup": cmd_backup, "snapshot": cmd_snapshot, "template": cmd_template}

if __name__ == "__main__":
    sys.exit(main())
