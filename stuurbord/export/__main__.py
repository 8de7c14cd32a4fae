"""`python -m stuurbord.export MAP [--db PATH]`: build the raadspakket (PDF and Excel) of
the current versions into MAP, record it in the audit trail as the OS user (shell access is
the administrator's door, as for `python -m etl`) and print the build time."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from . import images

os.environ.setdefault("STUURBORD_KALEIDO_TABS", "1")  # one-off run: a 2nd tab costs more start-up than it saves
if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):  # not for --help
    images.warm_up()  # Chromium starts (2–3 s, another process) while Python imports pandas, plotly, fpdf…

from etl import logboek, store  # noqa: E402
from etl.argparse_nl import DutchParser  # noqa: E402

from ..data import queries  # noqa: E402
from ..ui import fmt  # noqa: E402
from . import pack  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = DutchParser(prog="python -m stuurbord.export", description="Raadspakket maken (PDF en Excel).")
    p.add_argument("map", type=Path, metavar="MAP", help="map waarin het pakket wordt geschreven")
    p.add_argument("--db", metavar="PAD", help="database (standaard: STUURBORD_DB of data/stuurbord.duckdb)")
    args = p.parse_args(argv)
    try:
        con = store.open_reader(store.db_path(args.db))
    except store.StoreMissing:
        print("Er is nog geen database; laad eerst gegevens (python -m etl demo).", file=sys.stderr)
        return 1
    try:
        versions = {k: v["version"] for k, v in queries.current_versions(con).items()}
        pakket = pack.build(con)
    except pack.PakketFout as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        con.close()
        images.stop()
    written = pack.write(pakket, args.map)
    logboek.add(logboek.cli_actor(), "raadspakket", str(args.map), logboek.versions_text(versions),
                ", ".join(p.name for p in written), db=args.db)
    for path in written:
        print(path)
    if pakket.melding:
        print(pakket.melding, file=sys.stderr)
    timings = ", ".join(f"{k} {fmt.getal(v, 2)} s" for k, v in pakket.timings.items())
    print(f"Raadspakket gemaakt in {fmt.getal(pakket.seconds, 2)} s ({timings}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
