"""Kind-level rules: what spans rows or sheets (uniqueness, shares, references).

Each module has `build(sheets, ctx) -> Built`: it receives the parsed sheets of
its kind (`etl.sheets.ParsedSheet` by canonical sheet name), adds errors and
warnings to them, and returns the rows to insert per table. `BUILD` (at the
end) is the registry by kind name. To add a kind: describe it in
etl/contract.py, add its tables to etl/schema.sql, add a module here with
`build` and register it in `BUILD` (see docs/adding-an-import-kind.md).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..values import fold


@dataclass
class Context:
    """What a load needs to know of the current state of the store."""
    eenheden: dict[str, str] = field(default_factory=dict)   # folded -> canonical name
    organisatie_version: int | None = None


@dataclass
class Built:
    tables: dict[str, list[dict]] = field(default_factory=dict)
    rows: int = 0


def known_list(names) -> str:
    names = sorted(names, key=str.casefold)
    return ", ".join(names[:30]) + (" …" if len(names) > 30 else "")


def canonical(mapping: dict[str, str], name: str) -> str | None:
    return mapping.get(fold(name)) if name is not None else None


def fmt_num(x: float, decimals: int = 2) -> str:
    """Dutch number for messages (the UI uses stuurbord.ui.fmt; etl must not import the app)."""
    text = f"{x:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return text


# The rules of each kind (imported last: the modules use Built and Context from above).
from . import kpi, opgaven, organisatie, wasword  # noqa: E402

BUILD = {"organisatie": organisatie.build, "wasword": wasword.build, "kpi": kpi.build, "opgaven": opgaven.build}
