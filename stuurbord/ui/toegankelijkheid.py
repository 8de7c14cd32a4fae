"""The toegankelijkheidsverklaring's content (pages/toegankelijkheid.py shows it), in the form of
the Dutch government's model (toegankelijkheidsverklaring.nl): status, measurement, known
exceptions, contact. The measured figures are the accessibility test's:
tests/test_browser_a11y.py fails when GEMETEN differs from what its scan measures, so the
verklaring cannot claim more than the test shows. Update GEMETEN (and its date) after a change
that moves the figures (docs/accessibility.md)."""
from __future__ import annotations

from datetime import date

# the axe-core scan of every page and tab (tests/test_browser_a11y.py), on the demo data, role beheer
GEMETEN = {
    "datum": date(2026, 12, 1),
    "axe": "4.12.1",
    "weergaven": 30,        # pages and tabs scanned
    "ernstig": 0,           # serious + critical violations (WCAG 2.1 A/AA rules)
    "overig": 0,            # moderate + minor
    "voor": 383,            # serious violations (nodes) on the same views before issue #17
}

# Streamlit's own texts that Stuurbord cannot translate or replace (its frontend has no locale)
ENGELS = [
    ("Upload", "de knop in het vak van Gegevens laden waarmee u een bestand kiest"),
    ("file upload", "de naam van het verborgen bestandsveld achter de knop Upload (Gegevens laden)"),
    ("7.0KB", "de grootte van een gekozen bestand, in de naam die een schermlezer bij het bestand noemt"),
    ("Help for …", "de naam die een schermlezer noemt bij het vraagteken naast een veld of kengetal "
                   "(de uitleg zelf is Nederlands)"),
    ("Remove …, Add files, Clear value", "de namen die een schermlezer noemt bij het kruisje van een gekozen "
                                          "bestand, het plusje ernaast en het kruisje van een keuzelijst"),
    ("day, month, year, Choose date", "de namen van de delen van een datumveld en van de knop met de kalender"),
    ("June, S M T W T F S", "de maand- en dagnamen in de kalender van een datumveld (de datum zelf typt u als "
                            "dd-mm-jjjj)"),
    ("Skip to main content", "de verborgen link naar de inhoud, voor wie met de Tab-toets begint"),
    ("Running… / Stop", "de melding rechtsboven terwijl een pagina wordt opgebouwd"),
    ("Deploy, Settings, Print, Record a screencast", "in het menu rechtsboven (⋮) van Streamlit"),
]

UITZONDERINGEN = [
    "Grafieken zijn beelden: wie ze niet kan zien, leest de zin onder elke grafiek met de boodschap en de "
    "cijfers, en opent de tabel met de gegevens van de grafiek (één klik). De gegevens staan ook in de "
    "Excel-exports.",
    "De tabellen worden als tekening (canvas) getoond met een toegankelijke tabel erachter; sorteren gaat "
    "met de kolomkoppen. Zoeken en kolommen verbergen in een tabel zijn uitgezet, omdat die knoppen alleen "
    "Engelse namen hebben.",
    "Het stroomdiagram (Van was naar wordt) toont zijn cijfers bij aanwijzen met de muis; dezelfde cijfers staan "
    "in de matrix eronder en in de tabel bij de grafiek.",
    "In de boomkaart (Formatie en bezetting) staat de naam van een heel klein vlak er niet in als die onleesbaar "
    "klein zou worden; de naam en de cijfers staan in de tabel bij de grafiek.",
]
