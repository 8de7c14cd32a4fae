"""Charts for people who cannot see them or tell colours apart (issue #17, docs/accessibility.md):
text alternatives, the treemap's scale, the agenda's phases, the sparkline's name."""
from __future__ import annotations

from datetime import date

import pandas as pd

from stuurbord.ui import charts, fmt, palet

EENHEDEN = pd.DataFrame({
    "cluster": ["Ruimte", "Ruimte", "Bedrijfsvoering"],
    "eenheid": ["Vergunningen", "Wijkbeheer", "Post & Archief"],
    "formatie_fte": [10.0, 20.0, 8.0],
    "bezetting_fte": [10.3, 20.0, 6.4],   # 103 %, 100 %, 80 %
})


def test_treemap_tells_over_staffing_from_full_staffing_by_hue_and_text():
    fig = charts.treemap(EENHEDEN)
    tm = fig.data[0]
    colour = dict(zip(tm.labels, tm.marker.colors))
    assert colour["Wijkbeheer"] != colour["Vergunningen"] != colour["Post &amp; Archief"]
    # 100 % is the palette's green; 103 % leans to blue (more blue than green in it), 80 % is vermillion
    def rgb(c):
        return [int(x) for x in c[c.index("(") + 1:-1].split(",")]
    assert rgb(colour["Wijkbeheer"]) == [int(palet.GROEN[i:i + 2], 16) for i in (1, 3, 5)]
    r, g, b = rgb(colour["Vergunningen"])
    assert b > int(palet.GROEN[5:7], 16)
    assert rgb(colour["Post &amp; Archief"]) == [int(palet.ROOD[i:i + 2], 16) for i in (1, 3, 5)]
    assert dict(zip(tm.labels, tm.text))["Vergunningen"] == fmt.pct(1.03)
    # the tiles carry their own colours (no colorscale), so the background is the white root
    assert tm.root.color == "white" and tm.marker.colorscale is None
    assert "over" in fig.data[1].marker.colorbar.ticktext[-1]


def test_treemap_and_formatie_pair_state_their_message_with_figures():
    alt = charts.beschrijving(charts.treemap(EENHEDEN))
    assert alt.startswith("3 eenheden;") and "Post & Archief (80,0\u00a0%)" in alt and "Vergunningen (103,0\u00a0%)" in alt
    assert "1 eenheid boven 100\u00a0% (overbezet)" in alt
    pair = charts.formatie_bezetting(EENHEDEN)
    alt = charts.beschrijving(pair)
    assert "totaal 38,00 en 36,70 fte" in alt and "Bedrijfsvoering · Post & Archief (-1,60 fte)" in alt


def test_every_point_of_a_chart_is_in_its_table():
    t = charts.gegevens(charts.formatie_bezetting(EENHEDEN))
    assert len(t) == 6 and list(t["Reeks"].unique()) == ["Formatie", "Bezetting"]
    assert "Ruimte · Vergunningen · Bezetting: 10,30 fte" in list(t["Gegevens"])
    # a chart without its own sentence still says what it shows
    fig = charts.bars(pd.DataFrame({"schaal": ["8", "9"], "plaatsingen": [3, 4]}), "schaal", "plaatsingen", "plaatsingen")
    assert charts.beschrijving(fig).startswith("Grafiek met 2 punten")


def test_agenda_phases_differ_in_hue_and_pattern_and_are_labelled():
    voortgang = pd.DataFrame({
        "opgave": ["A", "B", "C"], "portefeuillehouder": ["W", "W", None], "fase": ["verkenning", "ontwerp", "uitvoering"],
        "start": [date(2021, 1, 1)] * 3, "einde_gepland": [date(2022, 1, 1)] * 3, "voortgang": [0.1, 0.2, 0.3]})
    ms = pd.DataFrame(columns=["opgave", "mijlpaal", "gepland", "gerealiseerd", "status", "dagen_te_laat"])
    fig = charts.lange_termijn_agenda(voortgang, ms, date(2021, 6, 1))
    bars = [t for t in fig.data if t.type == "bar"]
    assert len({t.marker.color for t in bars}) == len({t.marker.pattern.shape for t in bars}) == 3
    assert [t.text[0] for t in bars] == ["verkenning", "ontwerp", "uitvoering"]


def test_sparkline_has_an_accessible_name():
    df = pd.DataFrame({"periode_label": ["jan 2022", "feb 2022"], "waarde": [0.81, 0.78],
                       "status": ["gehaald", "net niet gehaald"]})
    _, spec = charts.kpi_sparkline(df, 0.8, "%")
    assert spec["description"].startswith("Verloop van 2 perioden: jan 2022: 81,0\u00a0%") and "norm 80,0\u00a0%" in spec["description"]
    assert all(layer["mark"]["aria"] is False for layer in spec["layer"])


def test_date_time_reads_as_a_dutch_sentence():
    assert fmt.tijdstip(pd.Timestamp("2026-12-01 08:20")) == "1 december 2026, 08:20"


def test_the_verklaring_is_there_for_the_raad_also_without_data(db):
    """Every role reaches the toegankelijkheidsverklaring, also before anything is loaded; it
    shows the scan's figures (which tests/test_browser_a11y.py holds to the measurement)."""
    from test_pages import metric, run_page
    from stuurbord.ui import safe, toegankelijkheid
    at = run_page("toegankelijkheid.py", role="raad")
    assert at.title[0].value == "Toegankelijkheid"
    assert metric(at, "Ernstige problemen") == fmt.getal(toegankelijkheid.GEMETEN["ernstig"])
    assert metric(at, "Pagina’s en tabbladen getest") == fmt.getal(toegankelijkheid.GEMETEN["weergaven"])
    text = "\n".join(safe.plain(m.value) for m in at.markdown)
    assert "Upload" in text and "de functioneel beheerder van Stuurbord" in text
