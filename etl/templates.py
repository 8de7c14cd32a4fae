"""Excel templates per kind, derived from the import contract (etl/contract.py).

Each template has one sheet per contract sheet, with the canonical headers in row
`HEADER_ROW`, and a sheet `Toelichting` (Dutch) that explains every column. A
column added to the contract appears in the template and in the Toelichting
without a change here. This module only adds what the contract does not hold:
a sentence per column and per sheet (`MEANING`, `SHEET_NOTES`, `KIND_RULES`).

Layout of every data sheet (Excel rows, 1-based):

    1  first sheet: "Peildatum:" and an empty date cell B1 (read by etl.sheets as the
       file's peildatum); other sheets: what the sheet holds
    2  empty
    3  the canonical headers (dark blue = required, light blue = optional)
    4… the data; number formats per column type, drop-down lists for enumerations

The Toelichting sheet is known to the contract (`contract.IGNORED_SHEETS`): loading a
filled template skips it without a warning.
"""
from __future__ import annotations

import io
from datetime import datetime
from functools import lru_cache

from . import contract as c

HEADER_ROW = 3             # Excel row of the headers on every data sheet
FIRST_DATA_ROW = 4
PEILDATUM_CELL = "B1"      # on the first sheet
TOELICHTING = c.TOELICHTING  # a sheet every kind ignores (contract.IGNORED_SHEETS)
_LAST_ROW = 1_048_575      # xlsxwriter's last row index: validations and formats cover the whole column

# What each column means (the contract holds names, types and values, not meaning).
# Keyed by (sheet, field); a column without an entry gets an empty Betekenis.
MEANING: dict[tuple[str, str], str] = {
    ("Eenheden", "cluster"): "Het cluster waartoe de eenheid behoort.",
    ("Eenheden", "eenheid"): "Naam van de eenheid (team). Elke eenheid staat er één keer in.",
    ("Eenheden", "formatie_fte"): "De toegestane formatie van de eenheid in fte.",
    ("Coaches", "coach"): "Naam van de coach/coördinator.",
    ("Coaches", "eenheid"): "Eenheid die de coach aanstuurt; moet op het blad Eenheden staan.",
    ("Coaches", "aandeel"): "Deel van de eenheid dat deze coach aanstuurt. Leeg: gelijk verdeeld over de "
                            "coaches van de eenheid. Per eenheid samen 100 %.",
    ("Opbouw", "onderdeel"): "Regel uit de opbouw van de formatie, bijvoorbeeld 'Totaal fte in de WODV'.",
    ("Opbouw", "fte_onderdeel"): "Het aantal fte van dit onderdeel in de WODV.",
    ("Opbouw", "percentage"): "Verdeelsleutel: het deel dat voor de Wassenaarse organisatie telt.",
    ("Opbouw", "bewerking"): "basis = de beginregel; + wordt opgeteld; - wordt afgetrokken.",
    ("Opbouw", "fte_opgegeven"): "Het fte-getal zoals het in de notitie staat (ter vergelijking met de "
                                 "berekening).",
    ("Was-wordt", "personeelsnummer"): "Personeelsnummer van de medewerker. Leeg bij een vacature.",
    ("Was-wordt", "naam"): "Naam van de medewerker.",
    ("Was-wordt", "huidige_functie"): "Functie vóór de reorganisatie.",
    ("Was-wordt", "huidige_afdeling"): "Afdeling vóór de reorganisatie.",
    ("Was-wordt", "nieuwe_functie"): "Functie in de nieuwe organisatie.",
    ("Was-wordt", "eenheid"): "Eenheid in de nieuwe organisatie; moet in de huidige formatie staan.",
    ("Was-wordt", "schaal"): "Salarisschaal van de nieuwe functie.",
    ("Was-wordt", "fte"): "Omvang van deze plaatsing in fte. Iemand met twee plaatsingen staat er twee "
                          "keer in; samen hoogstens 1,2.",
    ("Was-wordt", "plaatsingsvorm"): "Hoe de medewerker geplaatst is; 'vacature' voor een open plaats.",
    ("Normen", "code"): "Unieke code van de norm, bijvoorbeeld DV-TEL30.",
    ("Normen", "omschrijving"): "Wat de norm inhoudt.",
    ("Normen", "eenheid"): "Eenheid die eigenaar is van het proces; leeg = de hele organisatie.",
    ("Normen", "streefwaarde"): "De norm: de waarde die gehaald moet worden.",
    ("Normen", "richting"): "hoger = een hogere waarde is beter; lager = een lagere waarde is beter. "
                            "Leeg: hoger.",
    ("Normen", "meeteenheid"): "Waarin de norm gemeten wordt.",
    ("Normen", "bron"): "Waar de norm vandaan komt, bijvoorbeeld dienstverleningsmanifest, wettelijk, college.",
    ("Scores", "code"): "Code van de norm; moet op het blad Normen staan.",
    ("Scores", "periode"): "De periode van de score. Gebruik per code één soort periode.",
    ("Scores", "waarde"): "De gemeten waarde in die periode.",
    ("Scores", "aantal"): "Aantal zaken waarover de score gaat (weegt mee bij optellen per kwartaal of jaar).",
    ("Opgaven", "opgave"): "Naam van de opgave. Elke opgave staat er één keer in.",
    ("Opgaven", "opdrachtgever"): "De ambtelijk opdrachtgever (strategisch adviseur).",
    ("Opgaven", "portefeuillehouder"): "De bestuurlijk opdrachtgever (wethouder of burgemeester).",
    ("Opgaven", "fase"): "De fase waarin de opgave nu is.",
    ("Opgaven", "start"): "Startdatum van de opgave.",
    ("Opgaven", "einde_gepland"): "Geplande einddatum.",
    ("Opgaven", "voortgang"): "Hoe ver de opgave is.",
    ("Opgaven", "budget"): "Budget in euro.",
    ("Opgaven", "besteed"): "Tot nu toe besteed, in euro.",
    ("Opgaven", "evaluatie_gereed"): "Is de evaluatie gedaan? ja, nee of de datum. Een afgesloten opgave "
                                     "zonder evaluatie geeft een waarschuwing.",
    ("Projecten", "project"): "Naam van het project.",
    ("Projecten", "opgave"): "De opgave waar het project onder valt; moet op het blad Opgaven staan.",
    ("Projecten", "projectleider"): "Naam van de projectleider.",
    ("Projecten", "intern_extern"): "Is de projectleider intern of extern?",
    ("Projecten", "fase"): "De fase van het project.",
    ("Projecten", "voortgang"): "Hoe ver het project is.",
    ("Mijlpalen", "opgave"): "De opgave van de mijlpaal; moet op het blad Opgaven staan.",
    ("Mijlpalen", "mijlpaal"): "Omschrijving van de mijlpaal.",
    ("Mijlpalen", "gepland"): "Geplande datum.",
    ("Mijlpalen", "gerealiseerd"): "Datum waarop de mijlpaal is gehaald; leeg als dat nog niet zo is.",
    ("Capaciteit", "opgave"): "De opgave; moet op het blad Opgaven staan.",
    ("Capaciteit", "eenheid"): "De eenheid die capaciteit levert; moet in de huidige formatie staan.",
    ("Capaciteit", "gevraagd_fte"): "Gevraagde capaciteit in fte.",
    ("Capaciteit", "toegezegd_fte"): "Door de eenheid toegezegde capaciteit in fte.",
}

SHEET_NOTES: dict[str, str] = {
    "Eenheden": "Eén rij per eenheid met haar cluster en formatie.",
    "Coaches": "Eén rij per coach en eenheid.",
    "Opbouw": "Hoe de formatie is afgeleid (basisregel, plus- en minregels).",
    "Was-wordt": "Eén rij per plaatsing: iemand met twee deeltijdplaatsingen staat er twee keer in.",
    "Normen": "Eén rij per norm.",
    "Scores": "Eén rij per code en periode.",
    "Opgaven": "Eén rij per opgave.",
    "Projecten": "Eén rij per project.",
    "Mijlpalen": "Eén rij per mijlpaal.",
    "Capaciteit": "Eén rij per opgave en eenheid.",
}

# Rules across rows and sheets (checked in etl/kinds/<kind>.py), in words for the controller.
KIND_RULES: dict[str, tuple[str, ...]] = {
    "organisatie": (
        "Elke eenheid staat één keer op het blad Eenheden en hoort bij één cluster.",
        "De aandelen van de coaches van één eenheid tellen samen op tot 100 %.",
        "Een eenheid zonder coach geeft een waarschuwing, geen fout.",
    ),
    "wasword": (
        "Laad eerst de formatie (soort organisatie): elke eenheid moet daarin voorkomen.",
        "Een rij met plaatsingsvorm 'vacature', of zonder personeelsnummer en naam, is een open plaats.",
        "Hetzelfde personeelsnummer mag in meer rijen staan (meer plaatsingen), samen hoogstens 1,2 fte.",
    ),
    "kpi": (
        "Elke code staat één keer op het blad Normen; elke code op het blad Scores staat ook op Normen.",
        "Scores mogen ook 'breed': een kolom Code en één kolom per periode.",
        "Een percentage mag als 93%, 93 of 0,93.",
    ),
    "opgaven": (
        "Elke opgave staat één keer op het blad Opgaven; de andere bladen verwijzen naar die namen.",
        "Een eenheid op het blad Capaciteit moet in de huidige formatie staan.",
        "Een opgave in fase 'afgesloten' zonder 'Evaluatie gereed' geeft een waarschuwing.",
    ),
}

_FORMAT_TEXT = {  # column type -> how to write it (Toelichting)
    c.TEXT: "tekst",
    c.ID: "tekst; voorloopnullen blijven staan (000123)",
    c.NUMBER: "getal met decimale komma (0,8889)",
    c.PERCENT: "percentage: 52%, 52 of 0,52",
    c.DATE: "datum dd-mm-jjjj (01-06-2021)",
    c.INT: "geheel getal",
    c.SCHAAL: "schaal: 10 of 'schaal 10'",
    c.ENUM: "keuze uit de lijst",
    c.BOOL_OR_DATE: "ja, nee of een datum dd-mm-jjjj",
    c.PERIOD: "periode: 2021-06 (maand), 2021-Q2 (kwartaal), 2021-T2 (tertiaal) of 2021 (jaar)",
    c.VALUE: "getal of percentage, decimale komma",
}
_NUM_FORMAT = {  # column type -> Excel number format of the data cells (shown the Dutch way in Dutch Excel)
    c.TEXT: "@", c.ID: "@", c.PERIOD: "@", c.ENUM: "@",   # text: Excel must not turn 2021-06 into a date
    c.NUMBER: "#,##0.00##", c.PERCENT: "0.0%", c.DATE: "dd-mm-yyyy", c.BOOL_OR_DATE: "dd-mm-yyyy",
    c.INT: "0", c.SCHAAL: "0", c.VALUE: "General",
}
_WIDTH = {c.TEXT: 28, c.ID: 16, c.NUMBER: 13, c.PERCENT: 12, c.DATE: 13, c.INT: 10, c.SCHAAL: 9,
          c.ENUM: 14, c.BOOL_OR_DATE: 16, c.PERIOD: 12, c.VALUE: 13}
_EURO = {"budget", "besteed"}   # NUMBER columns in euro


def file_name(kind: str) -> str:
    return f"sjabloon-{kind}.xlsx"


def _num(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def range_text(col: c.Column) -> str:
    """The allowed range in Dutch, e.g. 'groter dan 0 en hoogstens 1,2'."""
    if col.min is None and col.max is None:
        return ""
    show = (lambda x: f"{_num(x * 100)} %") if col.type == c.PERCENT else _num
    low = None if col.min is None else f"{'groter dan' if col.min_exclusive else 'minstens'} {show(col.min)}"
    high = None if col.max is None else f"hoogstens {show(col.max)}"
    return " en ".join(p for p in (low, high) if p)


def allowed_text(col: c.Column) -> str:
    """Allowed values: the enumeration (with accepted other spellings) or the range."""
    if col.choices:
        text = ", ".join(col.choices)
        if col.aliases:
            text += " (ook: " + "; ".join(f"{a} = {v}" for a, v in col.aliases.items()) + ")"
        return text
    return range_text(col)


def _width(col: c.Column) -> int:
    longest_choice = max((len(x) for x in col.choices), default=0)
    return max(len(col.name) + 3, _WIDTH.get(col.type, 14), longest_choice + 5)


def build_template(kind: c.Kind) -> bytes:
    """The template of `kind` as .xlsx bytes (xlsxwriter, in memory)."""
    import xlsxwriter  # only when a template is asked for

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"title": f"Stuurbord-sjabloon {kind.label}", "author": "Stuurbord",
                       "created": datetime(2021, 1, 1)})  # fixed: the same contract gives the same bytes
    base = {"font_name": "Calibri", "font_size": 11}
    fmt = {
        "required": wb.add_format({**base, "bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79",
                                   "border": 1, "text_wrap": True, "valign": "top"}),
        "optional": wb.add_format({**base, "bold": True, "font_color": "#1F4E79", "bg_color": "#DDEBF7",
                                   "border": 1, "text_wrap": True, "valign": "top"}),
        "label": wb.add_format({**base, "bold": True}),
        "peildatum": wb.add_format({**base, "num_format": "dd-mm-yyyy", "bg_color": "#FFF2CC", "border": 1}),
        "note": wb.add_format({**base, "italic": True, "font_color": "#595959"}),
        "title": wb.add_format({**base, "bold": True, "font_size": 14, "font_color": "#1F4E79"}),
        "wrap": wb.add_format({**base, "text_wrap": True, "valign": "top"}),
        "wrap_bold": wb.add_format({**base, "text_wrap": True, "valign": "top", "bold": True}),
    }
    data_formats: dict[str, object] = {}

    def data_format(col: c.Column):
        num = '"€" #,##0' if col.field in _EURO else _NUM_FORMAT.get(col.type, "General")
        if num not in data_formats:
            data_formats[num] = wb.add_format({**base, "num_format": num})
        return data_formats[num]

    for i, sheet in enumerate(kind.sheets):
        ws = wb.add_worksheet(sheet.name)
        if i == 0:
            ws.write("A1", "Peildatum:", fmt["label"])
            ws.write_blank(PEILDATUM_CELL, None, fmt["peildatum"])
            ws.data_validation(PEILDATUM_CELL, {
                "validate": "any", "input_title": "Peildatum",
                "input_message": "De datum waarop de gegevens gelden, als dd-mm-jjjj. Leeg laten mag: "
                                 "u kiest hem dan bij het laden."})
            ws.write("C1", f"Vul de gegevens in vanaf rij {FIRST_DATA_ROW}. Uitleg per kolom: "
                           f"blad {TOELICHTING}.", fmt["note"])
        else:
            optional = "" if sheet.required else " Dit blad is optioneel: het mag leeg blijven."
            ws.write("A1", SHEET_NOTES.get(sheet.name, "") + optional, fmt["note"])
        ws.set_row(HEADER_ROW - 1, 30)
        for j, col in enumerate(sheet.columns):
            ws.set_column(j, j, _width(col), data_format(col))
            ws.write(HEADER_ROW - 1, j, col.name, fmt["required" if col.required else "optional"])
            if col.choices:
                values = ", ".join(col.choices)
                ws.data_validation(FIRST_DATA_ROW - 1, j, _LAST_ROW, j, {
                    "validate": "list", "source": list(col.choices),
                    "input_title": col.name[:32], "input_message": f"Kies uit de lijst: {values}."[:255],
                    "error_title": "Waarde niet toegestaan",
                    "error_message": f"{col.name}: kies een van {values}."[:255]})
        ws.freeze_panes(HEADER_ROW, 0)
    _toelichting(wb.add_worksheet(TOELICHTING), kind, fmt)
    wb.worksheets()[0].activate()
    wb.close()
    return buf.getvalue()


def _toelichting(ws, kind: c.Kind, fmt: dict) -> None:
    first = kind.sheets[0].name
    optional = [s.name for s in kind.sheets if not s.required]
    lines = [
        f"Vul op elk blad de gegevens in vanaf rij {FIRST_DATA_ROW}, onder de kolomkoppen. Verander de "
        "kolomkoppen niet; de volgorde van de kolommen mag u wel veranderen.",
        "Donkerblauwe kolomkoppen zijn verplicht; lichtblauwe kolommen mogen leeg blijven.",
        f"Peildatum: de datum waarop de gegevens gelden. Vul hem in op het blad '{first}', cel "
        f"{PEILDATUM_CELL}, als dd-mm-jjjj. Laat u hem leeg, dan kiest u hem bij het laden.",
        "Getallen met een decimale komma (0,8889), zonder punten voor duizendtallen. Datums als dd-mm-jjjj "
        "(01-06-2021). Percentages als 52%, 52 of 0,52.",
        "Kolommen met een keuzelijst accepteren alleen de waarden uit de lijst (hoofdletters maken niet uit).",
        "Lege rijen worden overgeslagen, en ook rijen die beginnen met 'Totaal', 'Subtotaal' of 'Generaal totaal' "
        "— behalve als alle verplichte kolommen zijn ingevuld: dan telt de regel mee (zoals 'Totaal fte in de "
        "WODV' in de opbouw van de formatie).",
        "Onzichtbare tekens (bijvoorbeeld tekens die de schrijfrichting omdraaien) worden bij het laden uit de "
        "tekst verwijderd; Stuurbord meldt per cel welke.",
    ]
    if optional:
        lines.append(f"Optionele bladen ({', '.join(optional)}) mogen leeg blijven.")
    lines += list(KIND_RULES.get(kind.name, ()))
    lines += [
        f"Dit blad ({TOELICHTING}) wordt bij het laden overgeslagen. U mag het ook verwijderen.",
        "Laden: in Stuurbord via Beheer → Gegevens laden, of op de opdrachtregel met "
        "python -m etl load bestand.xlsx. Er wordt niets opgeslagen zolang het bestand fouten bevat.",
    ]
    ws.write(0, 0, f"Sjabloon {kind.label}: toelichting", fmt["title"])
    row = 2
    for line in lines:
        ws.merge_range(row, 0, row, 6, line, fmt["wrap"])
        ws.set_row(row, 30 if len(line) > 120 else None)
        row += 1
    row += 1
    headers = ("Blad", "Kolom", "Verplicht", "Formaat", "Toegestane waarden", "Betekenis", "Ook herkend als")
    for j, text in enumerate(headers):
        ws.write(row, j, text, fmt["required"])
    for sheet in kind.sheets:
        for col in sheet.columns:
            row += 1
            cells = (sheet.name + ("" if sheet.required else " (optioneel)"), col.name,
                     "ja" if col.required else "nee", _FORMAT_TEXT.get(col.type, col.type),
                     allowed_text(col), MEANING.get((sheet.name, col.field), ""), ", ".join(col.synonyms))
            for j, text in enumerate(cells):
                ws.write_string(row, j, text, fmt["wrap_bold" if j == 1 else "wrap"])
    for j, width in enumerate((18, 20, 10, 30, 34, 60, 34)):
        ws.set_column(j, j, width)


@lru_cache(maxsize=None)
def template_bytes(kind: str) -> bytes:
    """The template of a kind by name; built once per process."""
    return build_template(c.KINDS[kind])


def write_template(kind: str, dest) -> None:
    """Write the template to a new file (refuses to overwrite: it may hold filled-in data)."""
    with open(dest, "xb") as f:
        f.write(template_bytes(kind))
