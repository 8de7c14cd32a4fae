"""The import contract (../shared/spec/import-contract.md) as data.

Every kind is a list of sheets, every sheet a list of columns. Adding a synonym
or an optional column is a one-line change here; the pipeline in
`etl.pipeline` and the readers in `etl.sheets` never name a column themselves.
Rules that span rows or sheets (unique eenheden, shares adding up to 1,
references between sheets) live in `etl.kinds`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Value types understood by etl.values.parse
TEXT = "text"            # trimmed, internal spaces folded
ID = "id"                # text that must keep leading zeros (personeelsnummer)
NUMBER = "number"
PERCENT = "percent"      # stored as a fraction; 52, 52 %, 0,52 are one value
DATE = "date"
INT = "int"
SCHAAL = "schaal"        # 1-18, "10" or "schaal 10"
ENUM = "enum"            # case-folded against Column.choices (after aliases)
BOOL_OR_DATE = "bool_or_date"
PERIOD = "period"
VALUE = "value"          # number or percentage; meaning depends on the norm

PLAATSINGSVORMEN = ("functievolgend", "uitwisselbaar", "passend", "geschikt", "boventallig", "vacature")
FASEN = ("verkenning", "ontwerp", "besluitvorming", "uitvoering", "evaluatie", "afgesloten")
RICHTINGEN = ("hoger", "lager")
MEETEENHEDEN = ("%", "dagen", "aantal", "uren", "score")
BEWERKINGEN = ("basis", "+", "-")


@dataclass(frozen=True)
class Column:
    name: str                      # canonical header, as in the templates
    field: str                     # column name in DuckDB
    type: str = TEXT
    required: bool = False
    synonyms: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()  # for ENUM
    aliases: dict = field(default_factory=dict)  # ENUM spellings -> choice
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    required: bool = True
    # a sheet that may carry any name when it is the only one in the workbook
    any_name_if_single: bool = False
    # wide form: one Code column plus one column per period (kind kpi)
    wide_ok: bool = False
    # A row starting with "Totaal" is normally a total and skipped. In Opbouw the
    # memo's own basis line is "Totaal fte in de WODV": there a "Totaal…" row with
    # every required column filled is a line; the final total (no Bewerking) is skipped.
    complete_total_rows_are_data: bool = False

    @property
    def required_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str                     # Dutch, for messages and the UI
    sheets: tuple[Sheet, ...]
    needs: str                     # what the kind needs, for the "unknown kind" message

    def sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if s.name == name)


_EENHEID_SYN = ("Team", "Afdeling", "Organisatieonderdeel")
_BEWERKING_ALIASES = {"plus": "+", "bij": "+", "min": "-", "af": "-", "–": "-"}
_JA_NEE = ("ja", "nee")

ORGANISATIE = Kind(
    name="organisatie",
    label="formatie en coaches",
    needs="bladen 'Eenheden' (Cluster, Eenheid, Formatie fte) en 'Coaches' (Coach, Eenheid)",
    sheets=(
        Sheet("Eenheden", (
            Column("Cluster", "cluster", TEXT, True, ("Clusternaam",)),
            Column("Eenheid", "eenheid", TEXT, True, _EENHEID_SYN),
            Column("Formatie fte", "formatie_fte", NUMBER, True,
                   ("Formatie", "Fte formatie", "Begrote fte", "Toegestane formatie"), min=0),
        )),
        Sheet("Coaches", (
            Column("Coach", "coach", TEXT, True, ("Coach/coördinator", "Coördinator", "Leidinggevende")),
            Column("Eenheid", "eenheid", TEXT, True, _EENHEID_SYN),
            Column("Aandeel", "aandeel", PERCENT, False, ("Deel", "Verdeling"), min=0, max=1, min_exclusive=True),
        )),
        Sheet("Opbouw", (
            Column("Onderdeel", "onderdeel", TEXT, True),
            Column("Fte onderdeel", "fte_onderdeel", NUMBER, True, ("Fte in WODV", "Fte onderdeel in WODV")),
            Column("Percentage", "percentage", PERCENT, True, ("Aandeel", "Verdeelsleutel")),
            Column("Bewerking", "bewerking", ENUM, True, ("Teken",), BEWERKINGEN, _BEWERKING_ALIASES),
            Column("Fte opgegeven", "fte_opgegeven", NUMBER, False,
                   ("Fte voor Wassenaarse organisatie", "Resultaat")),
        ), required=False, complete_total_rows_are_data=True),
    ),
)

WASWORD = Kind(
    name="wasword",
    label="was/wordt-lijst",
    needs="één blad met de kolommen Nieuwe functie, Eenheid en Fte (één rij per plaatsing)",
    sheets=(
        Sheet("Was-wordt", (
            Column("Personeelsnummer", "personeelsnummer", ID, False,
                   ("Pers.nr.", "Personeelsnr", "Medewerkernummer")),
            Column("Naam", "naam", TEXT, False, ("Naam medewerker", "Medewerker")),
            Column("Huidige functie", "huidige_functie", TEXT, False, ("Functie (was)", "Was functie")),
            Column("Huidige afdeling", "huidige_afdeling", TEXT, False,
                   ("Afdeling (was)", "Was afdeling", "Organisatie (was)")),
            Column("Nieuwe functie", "nieuwe_functie", TEXT, True, ("Functie (wordt)", "Wordt functie", "Functie")),
            Column("Eenheid", "eenheid", TEXT, True, ("Eenheid (wordt)", "Wordt eenheid", "Team")),
            Column("Schaal", "schaal", SCHAAL, False, ("Salarisschaal",), min=1, max=18),
            Column("Fte", "fte", NUMBER, True, ("Omvang (fte)", "Fte wordt", "Deeltijdfactor"),
                   min=0, max=1.2, min_exclusive=True),
            Column("Plaatsingsvorm", "plaatsingsvorm", ENUM, False, ("Plaatsing",), PLAATSINGSVORMEN),
        ), any_name_if_single=True),
    ),
)

KPI = Kind(
    name="kpi",
    label="dienstverleningsnormen en kpi's",
    needs="bladen 'Normen' (Code, Omschrijving, Streefwaarde) en 'Scores' (Code, Periode, Waarde — of één kolom per periode)",
    sheets=(
        Sheet("Normen", (
            Column("Code", "code", TEXT, True, ("Kpi", "Indicator")),
            Column("Omschrijving", "omschrijving", TEXT, True, ("Norm", "Naam")),
            Column("Eenheid", "eenheid", TEXT, False, ("Proceseigenaar", "Team")),
            Column("Streefwaarde", "streefwaarde", VALUE, True, ("Norm waarde", "Doel", "Target")),
            Column("Richting", "richting", ENUM, False, ("Hoger is beter",), RICHTINGEN,
                   {"ja": "hoger", "nee": "lager", "hoger is beter": "hoger", "lager is beter": "lager"}),
            Column("Meeteenheid", "meeteenheid", ENUM, False, ("Eenheid van meting",), MEETEENHEDEN,
                   {"procent": "%", "percentage": "%", "dag": "dagen", "uur": "uren"}),
            Column("Bron", "bron", TEXT, False),
        )),
        Sheet("Scores", (
            Column("Code", "code", TEXT, True, ("Kpi", "Indicator")),
            Column("Periode", "periode", PERIOD, True, ("Maand", "Kwartaal", "Tertiaal")),
            Column("Waarde", "waarde", VALUE, True, ("Score", "Realisatie")),
            Column("Aantal", "aantal", INT, False, ("N", "Aantal zaken"), min=0),
        ), wide_ok=True),
    ),
)

OPGAVEN = Kind(
    name="opgaven",
    label="opgaven",
    needs="een blad 'Opgaven' (Opgave, Opdrachtgever, Fase); optioneel Projecten, Mijlpalen, Capaciteit",
    sheets=(
        Sheet("Opgaven", (
            Column("Opgave", "opgave", TEXT, True, ("Naam opgave",)),
            Column("Opdrachtgever", "opdrachtgever", TEXT, True, ("Strategisch adviseur",)),
            Column("Portefeuillehouder", "portefeuillehouder", TEXT, False, ("Wethouder", "Bestuurlijk opdrachtgever")),
            Column("Fase", "fase", ENUM, True, ("Status", "Stadium"), FASEN),
            Column("Start", "start", DATE, False, ("Startdatum",)),
            Column("Einde gepland", "einde_gepland", DATE, False, ("Einddatum", "Gereed")),
            Column("Voortgang", "voortgang", PERCENT, False, ("Voortgang %", "Gereed %"), min=0, max=1),
            Column("Budget", "budget", NUMBER, False, ("Budget (€)",), min=0),
            Column("Besteed", "besteed", NUMBER, False, ("Realisatie (€)", "Uitgegeven"), min=0),
            Column("Evaluatie gereed", "evaluatie_gereed", BOOL_OR_DATE, False, ("Geëvalueerd",)),
        ), any_name_if_single=True),
        Sheet("Projecten", (
            Column("Project", "project", TEXT, True),
            Column("Opgave", "opgave", TEXT, True, ("Naam opgave",)),
            Column("Projectleider", "projectleider", TEXT, True),
            Column("Intern/extern", "intern_extern", ENUM, False, (), ("intern", "extern")),
            Column("Fase", "fase", ENUM, False, ("Status", "Stadium"), FASEN),
            Column("Voortgang", "voortgang", PERCENT, False, ("Voortgang %", "Gereed %"), min=0, max=1),
        ), required=False),
        Sheet("Mijlpalen", (
            Column("Opgave", "opgave", TEXT, True, ("Naam opgave",)),
            Column("Mijlpaal", "mijlpaal", TEXT, True),
            Column("Gepland", "gepland", DATE, True),
            Column("Gerealiseerd", "gerealiseerd", DATE, False),
        ), required=False),
        Sheet("Capaciteit", (
            Column("Opgave", "opgave", TEXT, True, ("Naam opgave",)),
            Column("Eenheid", "eenheid", TEXT, True, _EENHEID_SYN),
            Column("Gevraagd fte", "gevraagd_fte", NUMBER, True, ("Gevraagd",), min=0),
            Column("Toegezegd fte", "toegezegd_fte", NUMBER, False, ("Toegezegd",), min=0),
        ), required=False),
    ),
)

KINDS: dict[str, Kind] = {k.name: k for k in (ORGANISATIE, WASWORD, KPI, OPGAVEN)}
JA_NEE = _JA_NEE
