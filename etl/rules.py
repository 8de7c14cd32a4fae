"""The row and cell rules both readers share, and their Dutch messages.

The regular reader (etl/sheets.py) asks these functions about every cell. The
columnar reader (etl/columnar.py) finds *candidates* with RE2 patterns over
whole columns — patterns that match a superset of what these functions accept
(`*_RE2` below) — and then asks these same functions about each distinct
candidate. So both readers decide every cell and every row with one piece of
code and give the same messages, which tests/test_etl_columnar.py checks.

Rules (import contract, general rules):

* A text cell loses its invisible characters: Unicode categories Cc (control)
  and Cf (format: bidirectional overrides and isolates, zero-width characters,
  the byte-order mark, soft hyphens…), except whitespace, which is folded like
  any other run of spaces. Each imported cell that lost some gets a warning.
  A cell left empty by that is empty.
* A row is blank when none of its contract columns holds a value: skipped
  silently (unknown columns are ignored, so a remark alone is no data).
* A row is a total when its first non-empty cell, in any column up to the last
  contract column, is text starting with Totaal, Subtotaal or Generaal totaal —
  unless all its required columns are filled (then it is data, like the
  memo's "Totaal fte in de WODV" basis line). Skipped and reported.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

# Cc and Cf without the characters str.isspace() accepts (Unicode 14, Python 3.11);
# tests/test_etl_values.py recomputes both tables from unicodedata.
INVISIBLE_RANGES = (
    (0x0000, 0x0008), (0x000E, 0x001B), (0x007F, 0x0084), (0x0086, 0x009F), (0x00AD, 0x00AD),
    (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891),
    (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064),
    (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD),
    (0x13430, 0x13438), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)
# what str.split() / str.strip() treat as whitespace
WHITESPACE_RANGES = (
    (0x0009, 0x000D), (0x001C, 0x0020), (0x0085, 0x0085), (0x00A0, 0x00A0), (0x1680, 0x1680),
    (0x2000, 0x200A), (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000),
)


def _py_class(ranges) -> str:
    return "[" + "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                         for a, b in ranges) + "]"


def re2_class(ranges) -> str:
    """The same character class for RE2 (pyarrow.compute)."""
    return "[" + "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges) + "]"


_INVISIBLE = re.compile(_py_class(INVISIBLE_RANGES))
_DROP = {cp: None for a, b in INVISIBLE_RANGES for cp in range(a, b + 1)}
_TOTAL = re.compile(r"(sub)?totaal\b|generaal totaal\b", re.IGNORECASE)

# RE2 candidates (supersets; the functions below decide):
# a text that clean_cell or values.clean_text would change, or that may be blank
_OTHER_WHITESPACE = ((0x0009, 0x000D), (0x001C, 0x001F)) + WHITESPACE_RANGES[2:]   # all but the space itself
TEXT_CANDIDATE_RE2 = "^$|^ | $|  |" + re2_class(_OTHER_WHITESPACE) + "|" + re2_class(INVISIBLE_RANGES)
# a text that may be a total label ("taal" holds no letter with special case folding)
TOTAL_CANDIDATE_RE2 = "(?i)taal"


def strip_invisible(text: str) -> tuple[str, str]:
    """(the text without invisible characters, the removed characters: each once, in order)."""
    if _INVISIBLE.search(text) is None:
        return text, ""
    return text.translate(_DROP), "".join(dict.fromkeys(_INVISIBLE.findall(text)))


def clean_cell(raw) -> tuple[object, str]:
    """A raw cell as both readers see it: (value or None when empty, removed invisible
    characters). Text loses its invisible characters; what is left blank is empty."""
    if isinstance(raw, str):
        text, removed = strip_invisible(raw)
        return (text if text.strip() else None), removed
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None, ""
    return raw, ""


def is_total_label(value) -> bool:
    """A cleaned, non-empty cell that starts a total row: Totaal, Subtotaal, Generaal totaal."""
    return isinstance(value, str) and _TOTAL.match(value.strip()) is not None


# --- messages ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Issue:
    """An error or warning; str() gives the Dutch message with sheet and cell. Message and
    sheet name never carry invisible characters (a sheet may be named with them)."""
    message: str
    sheet: str | None = None
    cell: str | None = None

    def __post_init__(self):
        for name in ("message", "sheet"):
            text = getattr(self, name)
            if text and _INVISIBLE.search(text):
                object.__setattr__(self, name, strip_invisible(text)[0])

    def __str__(self) -> str:
        if self.sheet and self.cell:
            return f"Blad '{self.sheet}', cel {self.cell}: {self.message}"
        if self.sheet:
            return f"Blad '{self.sheet}': {self.message}"
        return self.message

    def as_dict(self) -> dict:
        return {"blad": self.sheet, "cel": self.cell, "melding": self.message, "tekst": str(self)}


FORMULA_WITHOUT_VALUE = ("formule zonder opgeslagen waarde. Open het bestand in Excel, laat het herberekenen en "
                         "sla het opnieuw op.")
# invisible characters: this many cells of one column are named one by one, the rest counted
INVISIBLE_NAMED_PER_COLUMN = 10


def missing(column) -> str:
    return f"{column.name} ontbreekt (verplicht)."


def total_row(sheet: str, excel_row: int, label: str) -> Issue:
    from .values import show
    return Issue(f"rij {excel_row} ('{show(label)}') is een totaalregel en is overgeslagen.", sheet)


def _codes(chars: str) -> str:
    return ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip() for ch in chars)


def invisible_warnings(sheet: str, hits, column_names: dict[int, str]) -> list[Issue]:
    """Warnings for cells that lost invisible characters. `hits`: (excel row, column index,
    removed characters), any order. Per column the first INVISIBLE_NAMED_PER_COLUMN cells are
    named; the rest of that column is one warning with their number."""
    from .sheets import cell_ref
    out: list[tuple] = []
    per_column: dict[int, list] = {}
    for row, col, removed in sorted(hits):
        per_column.setdefault(col, []).append((row, removed))
    for col, cells in per_column.items():
        for row, removed in cells[:INVISIBLE_NAMED_PER_COLUMN]:
            word = "onzichtbaar teken" if len(removed) == 1 else "onzichtbare tekens"
            out.append(((row, col), Issue(f"{word} verwijderd ({_codes(removed)}).", sheet, cell_ref(row, col))))
        rest = cells[INVISIBLE_NAMED_PER_COLUMN:]
        if rest:
            chars = "".join(dict.fromkeys("".join(r for _, r in rest)))
            first, last = cell_ref(rest[0][0], col), cell_ref(rest[-1][0], col)
            count = f"{len(rest):,}".replace(",", ".")
            out.append(((rest[0][0], col), Issue(
                f"in nog {count} cellen van kolom {column_names.get(col, '?')} ({first} tot en met {last}) "
                f"zijn onzichtbare tekens verwijderd ({_codes(chars)}).", sheet)))
    return [issue for _, issue in sorted(out, key=lambda x: x[0])]
