"""docs/import-contract.md, generated from the contract as data (etl/contract.py) and the
limits and rules the readers apply, so that the document and the code cannot disagree.

    python -m etl.contract_doc docs/import-contract.md      # after changing the contract

tests/test_etl_contract_doc.py fails when the file in the repository is out of date.
"""
from __future__ import annotations

import sys
from pathlib import Path

from . import contract as c
from .columnar import MIN_ROWS
from .pipeline import MAX_ERRORS
from .rules import INVISIBLE_NAMED_PER_COLUMN
from .sheets import HEADER_SCAN_ROWS
from .workbook import ACCEPTED, Limits

_TYPES = {  # column type -> how the document names it
    c.TEXT: "text",
    c.ID: "text, leading zeros kept (a number cell 123 reads as `123`)",
    c.NUMBER: "number",
    c.PERCENT: "percentage (stored as a fraction)",
    c.VALUE: "number, or a percentage written with `%`",
    c.DATE: "date",
    c.INT: "whole number",
    c.SCHAAL: "salary scale: whole number, or text like `10` or `schaal 10`",
    c.ENUM: "one of",
    c.BOOL_OR_DATE: "`ja`/`nee` (also `x`, `waar`, `gereed`…) or a date (= yes, on that date)",
    c.PERIOD: "period",
}


def _num(x: float) -> str:
    return f"{x:g}"


def _range(col: c.Column) -> str:
    if col.min is None and col.max is None:
        return ""
    show = (lambda x: f"{_num(x * 100)} %") if col.type == c.PERCENT else _num
    if col.min is not None and col.max is not None:
        low = "(" if col.min_exclusive else "["
        return f" in {low}{show(col.min)}, {show(col.max)}]"
    if col.min is not None:
        return f" {'>' if col.min_exclusive else '≥'} {show(col.min)}"
    return f" ≤ {show(col.max)}"


def _type(col: c.Column) -> str:
    text = _TYPES[col.type]
    if col.type == c.ENUM:
        text += " " + ", ".join(f"`{x}`" for x in col.choices)
        if col.aliases:
            text += " (also " + ", ".join(f"`{a}` = `{v}`" for a, v in col.aliases.items()) + ")"
    return text + _range(col)


def _sheet(kind: c.Kind, sheet: c.Sheet) -> list[str]:
    flags = ["required" if sheet.required else "optional"]
    if sheet.any_name_if_single:
        flags.append("any name when it is the workbook's only sheet")
    if sheet.found_by_columns:
        flags.append("found by its header columns among other sheets")
    if sheet.wide_ok:
        flags.append("long or wide")
    out = [f"### Sheet `{sheet.name}` ({', '.join(flags)})", ""]
    if sheet.note:
        out += [sheet.note, ""]
    out += ["| column | required | type | also recognised as | stored as |", "|---|---|---|---|---|"]
    for col in sheet.columns:
        synonyms = ", ".join(f"`{s}`" for s in col.synonyms)
        out.append(f"| `{col.name}` | {'yes' if col.required else 'no'} | {_type(col)} | {synonyms} | "
                   f"`{col.field}` |")
    return out + [""]


def render() -> str:
    limits = Limits()
    mb = lambda n: f"{n // (1024 * 1024)} MB"  # noqa: E731
    ignored = ", ".join(f"`{n}`" for n in c.IGNORED_SHEETS)
    lines = [
        "# Import contract",
        "",
        "<!-- Generated from etl/contract.py by `python -m etl.contract_doc docs/import-contract.md`; do not",
        "     edit by hand. tests/test_etl_contract_doc.py fails when this file is out of date. -->",
        "",
        "What a controller may upload, and what Stuurbord makes of it: the promise to the users. A file",
        "that follows it loads, whatever tool exported it; a file that breaks it is refused with Dutch",
        "messages naming sheet and cell, and nothing already loaded changes. The canonical column names",
        "below are the ones the templates use (`python -m etl template KIND OUT.xlsx`); the names after",
        "them are accepted too. Lists of names may grow, never shrink.",
        "",
        "## General rules (all kinds)",
        "",
        "**Files.** " + " and ".join(f"`{x}`" for x in ACCEPTED) + " (macros are never run). Anything else "
        "— `.xls`, `.csv`, a renamed CSV, a corrupt zip, an encrypted workbook — is refused with a message "
        "that says which types are accepted and what to do.",
        "",
        f"**Limits** (each configurable; checked on the raw bytes before anything is parsed): a file of at most "
        f"{mb(limits.max_file_bytes)} (`STUURBORD_MAX_FILE_BYTES`); parts that unpack to at most "
        f"{mb(limits.max_unpacked_bytes)} in total, counted as actually decompressed "
        f"(`STUURBORD_MAX_UNPACKED_BYTES`); at most {limits.max_rows:,} rows in a sheet "
        f"(`STUURBORD_MAX_ROWS`). XML with a DTD or entity declaration is refused, never expanded.",
        "",
        "**Sheets** are found by name, ignoring case, spaces, accents and punctuation (` eenheden ` is "
        "`Eenheden`). A kind with one required sheet may use any sheet name when that is the workbook's only "
        f"sheet. Unknown sheets are skipped with a warning; {ignored} (the templates' explanation) is known "
        "and skipped silently, and does not count as a sheet.",
        "",
        f"**Header row**: the first row among the first {HEADER_SCAN_ROWS} of a sheet that holds every required "
        "column. Rows above it (titles, logos) are skipped; a title cell `Peildatum: 01-06-2021` or "
        "`peildatum 1 juni 2021` (or a date cell next to a `Peildatum` label) gives the peildatum when the "
        "upload names none.",
        "",
        "**Column names** match ignoring case, spaces, accents and punctuation (`Formatie (fte)`, "
        "`formatie_fte` and `FORMATIE FTE` are one name); a `%` in a header prefers a name written with `%`. "
        "Column order is free. Unknown columns are skipped with a warning; a second column with the same "
        "meaning is skipped with a warning.",
        "",
        "**Values.** Every cell is read with its own type: a number cell 1.234 and the text `1.234` (Dutch "
        "thousands: 1234) are different values, also in a column that mixes both.",
        "",
        "- numbers: number cells, or text in Dutch notation (`0,89`, `1.234,5`, ` 22 `, `€ 1.000`) or plain "
        "English notation (`0.89`, `1,234.5`); a trailing `*` (a footnote) is ignored;",
        "- percentages: `52%`, `52 %`, `0,52` or `52` — above 1 means percent; stored as the fraction 0.52;",
        "- dates: date cells, Excel serial numbers, or text `dd-mm-jjjj`, `d-m-jjjj`, `jjjj-mm-dd`, "
        "`1 juni 2021` (Dutch month names and abbreviations);",
        "- periods: `2021-06`, `jun 2021`, `juni 2021`, a date (its month), `2021-Q2`, `Q2 2021`, `2021 K2` "
        "(quarter), `2021-T2`, `T2 2021` (tertiaal, four months), `2021` (year);",
        "- an empty optional cell is missing, never zero; a formula without a saved value is an error, never "
        "zero.",
        "",
        "**Text** is trimmed and internal runs of white space become one space. Names of clusters, eenheden, "
        "coaches, opgaven and codes are matched after that and case-folded; so are enumerated values. "
        "Markdown, HTML and the like are data: stored as written, shown as text.",
        "",
        "**Invisible characters** — Unicode categories Cc (control) and Cf (format: bidirectional overrides "
        "and isolates U+202A–U+202E and U+2066–U+2069, marks U+200E/U+200F, zero-width characters "
        "U+200B–U+200D, U+2060, U+FEFF, the soft hyphen…), except white space — are removed from every "
        "text cell at import, with a warning that names the sheet, the cell and the characters "
        f"(per column the first {INVISIBLE_NAMED_PER_COLUMN} cells one by one, the rest in one warning with "
        "their number). A cell left empty by that is empty.",
        "",
        "**Skipped rows:**",
        "",
        "- a row without a value in any of the contract's columns is skipped silently (a remark in an "
        "unknown column alone is no data);",
        "- a row whose first non-empty cell — in any column up to the last contract column, known or not — is "
        "text starting with `Totaal`, `Subtotaal` or `Generaal totaal` (any case) is a total row: skipped, "
        "reported as skipped, its numbers not added;",
        "- except a row whose required columns are all filled: that is data even when its label starts with "
        "`Totaal` (the memo's \"Totaal fte in de WODV\" basis line of the Opbouw). In the wide form of "
        "Scores a row has no Periode column, so a total row there is always skipped.",
        "",
        f"**Messages** name the sheet, the cell and what is wrong, in Dutch: `Blad 'Eenheden', cel C7: "
        f"'twintig' is geen getal.` All errors of a file are reported at once (the first {MAX_ERRORS}, then "
        "their number). A file with any error loads nothing; warnings never block a load.",
        "",
        "**Versions.** Every load is a new version of its kind, with the file's name, its SHA-256, who loaded "
        "it, when, the peildatum (given, from the file, or today with a warning on the command line), row "
        "counts and warnings. Earlier versions stay and can be compared and restored. The very same file "
        "(same SHA-256) loaded again is recognised and reported, not loaded as a new version.",
        "",
        "## Kind detection",
        "",
        "An upload without a kind is recognised from its sheets: first by the names of each kind's required "
        "sheets; when no kind matches, by header columns (a kind with one required sheet: the workbook's only "
        "sheet, or any sheet where that sheet may be found by its columns). An ambiguous or unrecognisable "
        "file gets a message that lists the kinds and what each needs:",
        "",
    ]
    for kind in c.KINDS.values():
        required = [s for s in kind.sheets if s.required]
        by_name = " + ".join(f"`{s.name}`" for s in required)
        by_columns = [s for s in required if s.any_name_if_single]
        extra = ""
        if by_columns:
            cols = ", ".join(f"`{col.name}`" for col in by_columns[0].required_columns)
            where = "any sheet" if by_columns[0].found_by_columns else "a workbook's only sheet"
            extra = f"; or {where} with the columns {cols}"
        lines.append(f"- `{kind.name}` ({kind.label}): {by_name}{extra}.")
    lines.append("")
    for kind in c.KINDS.values():
        lines += [f"## Kind `{kind.name}` — {kind.label}", "",
                  f"Needs (as the refusal says): {kind.needs}."
                  + (f" Large sheets ({MIN_ROWS:,} rows or more) are read column by column, with the same "
                     "rules and messages." if kind.columnar else ""), ""]
        for sheet in kind.sheets:
            lines += _sheet(kind, sheet)
        if kind.rules:
            lines += ["Rules across rows and sheets:", ""] + [f"- {rule}" for rule in kind.rules] + [""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = render()
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
