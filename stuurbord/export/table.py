"""The export model: a Table is what leaves Stuurbord — only the columns it declares
(the allow-list), each with a type that decides its Dutch text, its Excel number
format and its CSV form; cells that may not be published are in `hidden`.
Herkomst is the provenance printed on every page and sheet."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from ..access import privacy
from ..domain import kpi
from ..ui import fmt, safe, texts

# type -> (Dutch text, Excel number format, decimals in CSV)
TYPES = {
    "tekst": (str, "@", None),
    "fte": (fmt.fte, "#,##0.00", 2),
    "fte4": (lambda x: fmt.fte(x, 4), "#,##0.0000", 4),
    "getal": (fmt.getal, "#,##0", 0),
    "getal1": (lambda x: fmt.getal(x, 1), "#,##0.0", 1),
    "pct": (fmt.pct, "0.0%", 1),
    "pct0": (lambda x: fmt.pct(x, 0), "0%", 0),
    "euro": (fmt.euro, "[$€-413] #,##0", 0),
    "datum": (fmt.datum, "[$-413]d mmmm yyyy", None),
    # a value whose type differs per row: the row's unit (Column.unit) is a type above, or a
    # KPI meeteenheid ("%" -> pct; "dagen" or anything else -> one decimal)
    "waarde": (None, "#,##0.0", 1),
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: str = "tekst"
    unit: str | None = None  # "waarde" columns: the column holding the meeteenheid
    width: float = 1.0  # relative width in the PDF

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"unknown column type {self.type}")


@dataclass
class Table:
    slug: str  # file and sheet name: "formatie-per-eenheid"
    title: str
    columns: list[Column]
    frame: pd.DataFrame
    hidden: set[tuple[int, str]] = field(default_factory=set)  # (row position, column key)
    totals: set[int] = field(default_factory=set)  # row positions shown as totals (bold)
    note: str = ""
    kinds: tuple[str, ...] = ()
    audience: str = "raad"  # "raad": never a name column; "intern": only for roles that may see names
    # hidden cells that are not about fewer than DREMPEL persons themselves, only hidden to protect
    # another one (complementary suppression): they show privacy.AANVULLEND, not "<5"
    complementary: set[tuple[int, str]] = field(default_factory=set)

    def __post_init__(self):
        keys = [c.key for c in self.columns]
        if self.audience == "raad":
            named = [k for k in keys if k in privacy.NAME_COLUMNS]
            if named:
                raise ValueError(f"export for the raad would carry names: {named}")
        units = [c.unit for c in self.columns if c.unit and c.unit not in keys]  # read, never written
        self.frame = self.frame[keys + units].reset_index(drop=True)  # the allow-list: nothing else leaves

    def value(self, i: int, col: Column):
        """The raw value, or None when hidden or missing."""
        if (i, col.key) in self.hidden:
            return None
        v = self.frame.at[i, col.key]
        return None if fmt.is_missing(v) else v

    def unit(self, i: int, col: Column) -> str | None:
        return self.frame.at[i, col.unit] if col.unit else None

    def kind(self, i: int, col: Column) -> str:
        """The cell's effective type (resolves "waarde" columns per row)."""
        if col.type != "waarde":
            return col.type
        unit = self.unit(i, col)
        return unit if unit in TYPES and unit != "waarde" else "pct" if unit == "%" else "getal1"

    def mark(self, i: int, col: Column) -> str:
        """What a hidden cell shows: "<5" (primary) or "×" (complementary)."""
        return privacy.AANVULLEND if (i, col.key) in self.complementary else privacy.ONDERDRUKT

    def footnotes(self) -> list[str]:
        """The meaning of the marks this table shows ("× = weggelaten om een ander cijfer te beschermen")."""
        return privacy.voetnoten(self.mark(i, Column(key, "")) for i, key in self.hidden)

    def text(self, i: int, col: Column) -> str:
        """The cell as a Dutch reader sees it (PDF, screen). Text cells through safe.tekst:
        data text without bidirectional or invisible characters."""
        if (i, col.key) in self.hidden:
            return self.mark(i, col)
        v = self.frame.at[i, col.key]
        if col.type == "waarde" and self.unit(i, col) not in TYPES:
            return kpi.waarde_tekst(v, self.unit(i, col))
        kind = self.kind(i, col)
        if fmt.is_missing(v):
            return "" if kind == "tekst" else fmt.MISSING
        return safe.tekst(v) if kind == "tekst" else TYPES[kind][0](v)

    def rows(self):
        return range(len(self.frame))


@dataclass(frozen=True)
class Herkomst:
    """Where the figures come from: the current version of each kind, and when the export
    was made. `lines()` is the footer of every PDF page and Excel sheet."""
    versions: dict  # kind -> {version, peildatum, sha256, file_name, loaded_at}
    generated: datetime

    @classmethod
    def of(cls, versions: dict, kinds=None, generated: datetime | None = None) -> "Herkomst":
        chosen = {k: versions[k] for k in (kinds or versions) if k in versions}
        return cls(chosen, generated or datetime.now().replace(microsecond=0))

    def gegevens(self) -> str:
        return "; ".join(f"{texts.KIND_LABELS[k]} versie {v['version']} (peildatum {fmt.datum(v['peildatum'])})"
                         for k, v in sorted(self.versions.items()))

    def peildatum(self) -> str:
        dates = sorted({v["peildatum"] for v in self.versions.values() if v.get("peildatum")})
        return " / ".join(fmt.datum(d) for d in dates) or fmt.MISSING

    def lines(self) -> list[str]:
        return [f"Gegevens: {self.gegevens()}.",
                f"Gemaakt op {fmt.tijdstip(self.generated)} met Stuurbord (gemeente Wassenaar).",
                "SHA-256 bronbestanden: " + "; ".join(f"{k} {v['sha256']}" for k, v in sorted(self.versions.items()))]

    def stamp(self) -> str:
        """For file names: peildatum and versions, e.g. "2021-06-01_organisatie-v1_wasword-v2"."""
        dates = sorted({str(v["peildatum"]) for v in self.versions.values() if v.get("peildatum")})
        parts = [dates[-1]] if dates else []
        return "_".join(parts + [f"{k}-v{v['version']}" for k, v in sorted(self.versions.items())])
