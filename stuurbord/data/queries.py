"""All SQL the pages run, in one place. Each function takes a connection and
returns a DataFrame (or a small dict); pages never write SQL themselves.

Queries build on the stable views of etl/schema.sql wherever they can, so the
screen and any DuckDB client agree to the last decimal.
"""
from __future__ import annotations

import pandas as pd

def _df(con, sql: str, params=None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


# --- state -----------------------------------------------------------------------
def current_versions(con) -> dict[str, dict]:
    rows = con.execute("""
        SELECT v.kind, v.version, v.peildatum, v.loaded_at, v.loaded_by, v.file_name, v.sha256
        FROM huidige_versie h JOIN versie v USING (kind, version)""").fetchall()
    keys = ("kind", "version", "peildatum", "loaded_at", "loaded_by", "file_name", "sha256")
    return {r[0]: dict(zip(keys, r)) for r in rows}


def schema_version(con) -> int:
    """The schema version the store was last brought up to (0: older than schema_info)."""
    import duckdb
    try:
        return con.execute("SELECT coalesce(max(version), 0) FROM schema_info").fetchone()[0]
    except duckdb.CatalogException:
        return 0


def notes_revision(con) -> tuple:
    """Changes whenever a KPI note is added or removed (notes have no version)."""
    return tuple(con.execute("SELECT count(*), max(tijdstip) FROM kpi_notitie").fetchone())


def niet_demo_versies(con) -> int:
    """How many stored versions were not loaded by the demo (any kind, current or not): the app
    runs without a login only while this is 0 (stuurbord.access.identity)."""
    return con.execute("SELECT count(*) FROM versie WHERE loaded_by <> 'demo'").fetchone()[0]


def logboek(con, limit: int = 5000) -> pd.DataFrame:
    """The audit trail, newest first (empty on a store whose schema predates it: readers never
    migrate, the next writer adds the table)."""
    import duckdb
    try:
        return _df(con, "SELECT tijdstip, naam, email, subject, rol, via, actie, onderwerp, versies, details "
                        "FROM logboek ORDER BY tijdstip DESC LIMIT ?", [limit])
    except duckdb.CatalogException:
        return pd.DataFrame(columns=["tijdstip", "naam", "email", "subject", "rol", "via", "actie", "onderwerp",
                                     "versies", "details"])


def unversioned_revision(con) -> tuple | None:
    """Changes whenever the rule set (table regel) or a saved scenario changes: neither has a
    version, so data's cache key carries this. None on a store from before these tables."""
    import duckdb
    try:
        return tuple(con.execute("""
            SELECT (SELECT md5(coalesce(string_agg(r::VARCHAR, '|' ORDER BY id), '')) FROM regel r),
                   (SELECT count(*) FROM scenario), (SELECT max(gewijzigd_op) FROM scenario)""").fetchone())
    except duckdb.CatalogException:
        return None


def settings(con) -> dict[str, str]:
    return dict(con.execute("SELECT sleutel, waarde FROM instelling").fetchall())


def versies(con, kind: str | None = None) -> pd.DataFrame:
    if kind:
        return _df(con, "SELECT * FROM versies WHERE kind = ? ORDER BY version DESC", [kind])
    return _df(con, "SELECT * FROM versies ORDER BY kind, version DESC")


# --- organisatie -----------------------------------------------------------------
def fte_per_eenheid(con) -> pd.DataFrame:
    return _df(con, "SELECT * FROM fte_per_eenheid")


def fte_per_cluster(con) -> pd.DataFrame:
    """Formatie, bezetting and vacatures per cluster (sums of fte_per_eenheid); personen are
    distinct persons in the cluster (someone placed in two of its eenheden counts once)."""
    return _df(con, """
        WITH p AS (
            SELECT f.cluster, count(DISTINCT w.personeelsnummer) AS personen
            FROM ww_plaatsing w JOIN fte_per_eenheid f ON lower(f.eenheid) = lower(w.eenheid)
            WHERE w.version = (SELECT version FROM huidige_versie WHERE kind = 'wasword') AND NOT w.is_vacature
            GROUP BY 1)
        SELECT f.cluster, count(*)::INTEGER AS eenheden, round(sum(f.formatie_fte), 4) AS formatie_fte,
               round(sum(f.bezetting_fte), 4) AS bezetting_fte, round(sum(f.vacature_fte), 4) AS vacature_fte,
               coalesce(any_value(p.personen), 0)::INTEGER AS personen,
               sum(f.open_plaatsen)::INTEGER AS open_plaatsen
        FROM fte_per_eenheid f LEFT JOIN p USING (cluster)
        GROUP BY f.cluster ORDER BY f.cluster""")


def kerncijfers(con) -> dict:
    """Headline figures; persons counted once even with placements in two eenheden."""
    row = con.execute("""
        SELECT (SELECT round(sum(formatie_fte), 4) FROM fte_per_eenheid),
               (SELECT round(sum(bezetting_fte), 4) FROM fte_per_eenheid),
               (SELECT round(sum(vacature_fte), 4) FROM fte_per_eenheid),
               (SELECT count(DISTINCT personeelsnummer) FROM ww_plaatsing
                 WHERE version = (SELECT version FROM huidige_versie WHERE kind = 'wasword') AND NOT is_vacature
                   AND lower(eenheid) IN (SELECT lower(eenheid) FROM fte_per_eenheid)),
               (SELECT count(*) FROM fte_per_eenheid),
               (SELECT count(DISTINCT cluster) FROM fte_per_eenheid),
               (SELECT coalesce(sum(open_plaatsen), 0) FROM fte_per_eenheid)""").fetchone()
    keys = ("formatie_fte", "bezetting_fte", "vacature_fte", "personen", "eenheden", "clusters", "open_plaatsen")
    out = dict(zip(keys, row))
    out["fte_per_persoon"] = (out["bezetting_fte"] / out["personen"]) if out["personen"] else None
    out["bezettingsgraad"] = (out["bezetting_fte"] / out["formatie_fte"]) if out["formatie_fte"] else None
    return out


def span_per_coach(con) -> pd.DataFrame:
    return _df(con, "SELECT * FROM span_per_coach")


def coach_eenheden(con) -> pd.DataFrame:
    """Per (coach, eenheid): the share and what it brings to the coach's span."""
    return _df(con, """
        SELECT c.coach, c.eenheid, c.aandeel, c.aandeel_opgegeven, f.cluster, f.bezetting_fte, f.personen,
               round(c.aandeel * f.bezetting_fte, 4) AS fte_aandeel,
               round(c.aandeel * f.personen, 1) AS personen_aandeel,
               count(*) OVER (PARTITION BY lower(c.eenheid)) AS coaches_van_eenheid,
               count(*) OVER (PARTITION BY c.coach) AS eenheden_van_coach
        FROM org_coach c JOIN fte_per_eenheid f ON lower(f.eenheid) = lower(c.eenheid)
        WHERE c.version = (SELECT version FROM huidige_versie WHERE kind = 'organisatie')
        ORDER BY c.coach, c.eenheid""")


def formatie_opbouw(con) -> pd.DataFrame:
    return _df(con, "SELECT * FROM formatie_opbouw")


def plaatsingen(con, eenheid: str, version: int | None = None) -> pd.DataFrame:
    """Placements of one eenheid (personal data: render through ui.personal_table)."""
    return _df(con, """
        SELECT personeelsnummer, naam, nieuwe_functie, schaal, fte, plaatsingsvorm, is_vacature,
               huidige_functie, huidige_afdeling
        FROM ww_plaatsing
        WHERE version = coalesce(?, (SELECT version FROM huidige_versie WHERE kind = 'wasword'))
          AND lower(eenheid) = lower(?)
        ORDER BY is_vacature, nieuwe_functie, naam""", [version, eenheid])


def schaal_verdeling(con, eenheid: str) -> pd.DataFrame:
    return _df(con, """
        SELECT schaal, count(*) AS plaatsingen, round(sum(fte), 4) AS fte
        FROM ww_plaatsing
        WHERE version = (SELECT version FROM huidige_versie WHERE kind = 'wasword')
          AND lower(eenheid) = lower(?) AND NOT is_vacature
        GROUP BY schaal ORDER BY schaal NULLS LAST""", [eenheid])


def plaatsingsvormen(con, eenheid: str) -> pd.DataFrame:
    return _df(con, """
        SELECT coalesce(plaatsingsvorm, 'onbekend') AS plaatsingsvorm, count(*) AS plaatsingen,
               round(sum(fte), 4) AS fte
        FROM ww_plaatsing
        WHERE version = (SELECT version FROM huidige_versie WHERE kind = 'wasword')
          AND lower(eenheid) = lower(?)
        GROUP BY 1 ORDER BY plaatsingen DESC, 1""", [eenheid])


def plaatsingsvorm_per_cluster(con) -> pd.DataFrame:
    """Placements (not vacancies) per cluster and plaatsingsvorm: the raad's view of how the
    reorganisation placed people (aggregates only)."""
    return _df(con, """
        SELECT f.cluster, coalesce(p.plaatsingsvorm, 'onbekend') AS plaatsingsvorm, count(*) AS plaatsingen
        FROM ww_plaatsing p JOIN fte_per_eenheid f ON lower(f.eenheid) = lower(p.eenheid)
        WHERE p.version = (SELECT version FROM huidige_versie WHERE kind = 'wasword') AND NOT p.is_vacature
        GROUP BY ALL ORDER BY ALL""")


# --- was/wordt comparison ------------------------------------------------------------
def compare_eenheden(con, old: int, new: int) -> pd.DataFrame:
    """Bezetting fte and persons per eenheid in two wasword versions."""
    return _df(con, """
        WITH p AS (
            SELECT version, eenheid, round(sum(fte), 4) AS fte,
                   count(DISTINCT personeelsnummer) AS personen, count(*) AS plaatsingen
            FROM ww_plaatsing WHERE version IN (?, ?) AND NOT is_vacature GROUP BY ALL)
        SELECT coalesce(n.eenheid, o.eenheid) AS eenheid,
               coalesce(o.fte, 0) AS fte_oud, coalesce(n.fte, 0) AS fte_nieuw,
               round(coalesce(n.fte, 0) - coalesce(o.fte, 0), 4) AS fte_verschil,
               coalesce(o.personen, 0)::INTEGER AS personen_oud, coalesce(n.personen, 0)::INTEGER AS personen_nieuw
        FROM (SELECT * FROM p WHERE version = ?) o
        FULL JOIN (SELECT * FROM p WHERE version = ?) n ON lower(n.eenheid) = lower(o.eenheid)
        ORDER BY 1""", [old, new, old, new])


def compare_plaatsingen(con, old: int, new: int) -> pd.DataFrame:
    """Per person and eenheid: what changed between two wasword versions.
    status: nieuw (joined the eenheid), vertrokken (left it), fte gewijzigd."""
    return _df(con, """
        WITH p AS (
            SELECT version, personeelsnummer, any_value(naam) AS naam, eenheid, round(sum(fte), 4) AS fte
            FROM ww_plaatsing WHERE version IN (?, ?) AND NOT is_vacature GROUP BY ALL),
        o AS (SELECT * FROM p WHERE version = ?), n AS (SELECT * FROM p WHERE version = ?),
        j AS (
            SELECT coalesce(n.personeelsnummer, o.personeelsnummer) AS personeelsnummer,
                   coalesce(n.naam, o.naam) AS naam, coalesce(n.eenheid, o.eenheid) AS eenheid,
                   o.fte AS fte_oud, n.fte AS fte_nieuw
            FROM o FULL JOIN n ON n.personeelsnummer = o.personeelsnummer AND lower(n.eenheid) = lower(o.eenheid))
        SELECT j.*,
               CASE WHEN fte_oud IS NULL THEN 'nieuw' WHEN fte_nieuw IS NULL THEN 'vertrokken'
                    ELSE 'fte gewijzigd' END AS status,
               -- a person who left one eenheid and joined another moved
               (SELECT count(*) FROM o WHERE o.personeelsnummer = j.personeelsnummer) > 0
                 AND (SELECT count(*) FROM n WHERE n.personeelsnummer = j.personeelsnummer) > 0 AS bleef_in_dienst
        FROM j
        WHERE fte_oud IS NULL OR fte_nieuw IS NULL OR abs(fte_oud - fte_nieuw) > 0.00005
        ORDER BY eenheid, status, naam""", [old, new, old, new])


# --- opgaven -----------------------------------------------------------------------------
def opgave_voortgang(con) -> pd.DataFrame:
    return _df(con, "SELECT * FROM opgave_voortgang")


def opg_mijlpalen(con) -> pd.DataFrame:
    """Milestones of the current opgaven version, in register order."""
    return _df(con, """
        SELECT m.opgave, m.mijlpaal, m.gepland, m.gerealiseerd
        FROM opg_mijlpaal m
        WHERE m.version = (SELECT version FROM huidige_versie WHERE kind = 'opgaven')
        ORDER BY m.rij""")


def opg_projecten(con) -> pd.DataFrame:
    return _df(con, """
        SELECT p.opgave, p.project, p.projectleider, p.intern_extern, p.fase, p.voortgang
        FROM opg_project p
        WHERE p.version = (SELECT version FROM huidige_versie WHERE kind = 'opgaven')
        ORDER BY p.rij""")


def opg_capaciteit(con) -> pd.DataFrame:
    return _df(con, """
        SELECT c.opgave, c.eenheid, c.gevraagd_fte, c.toegezegd_fte
        FROM opg_capaciteit c
        WHERE c.version = (SELECT version FROM huidige_versie WHERE kind = 'opgaven')
        ORDER BY c.rij""")


def opgave_historie(con, opgave: str) -> pd.DataFrame:
    """One opgave across every loaded opgaven version (newest first); late milestones
    counted at each version's own peildatum, as opgave_voortgang does."""
    return _df(con, """
        SELECT v.version, v.peildatum, v.file_name, o.fase, o.voortgang, o.budget, o.besteed,
               o.opdrachtgever, o.portefeuillehouder,
               (SELECT count(*) FROM opg_mijlpaal m
                 WHERE m.version = o.version AND m.opgave = o.opgave
                   AND ((m.gerealiseerd IS NULL AND m.gepland < v.peildatum) OR m.gerealiseerd > m.gepland)
               )::INTEGER AS mijlpalen_te_laat
        FROM opg_opgave o JOIN versie v ON v.kind = 'opgaven' AND v.version = o.version
        WHERE lower(o.opgave) = lower(?)
        ORDER BY v.version DESC""", [opgave])


def opg_vorige_versie(con) -> pd.DataFrame:
    """The opgaven of the previous opgaven version (the highest version below the current one),
    with what the start page compares against: budget, besteed and the open milestones past
    their date at *that* version's peildatum (te_laat_open, dagen_te_laat: the most days).
    Empty when there is no earlier version."""
    return _df(con, """
        WITH prev AS (SELECT v.version, v.peildatum FROM versie v
                      WHERE v.kind = 'opgaven' AND v.version < (SELECT version FROM huidige_versie WHERE kind = 'opgaven')
                      ORDER BY v.version DESC LIMIT 1),
        late AS (SELECT m.opgave, count(*)::INTEGER AS te_laat_open,
                        max(datediff('day', m.gepland, p.peildatum))::INTEGER AS dagen_te_laat
                 FROM opg_mijlpaal m JOIN prev p ON m.version = p.version
                 WHERE m.gerealiseerd IS NULL AND m.gepland < p.peildatum GROUP BY m.opgave)
        SELECT o.opgave, o.budget, o.besteed, coalesce(l.te_laat_open, 0) AS te_laat_open,
               coalesce(l.dagen_te_laat, 0) AS dagen_te_laat
        FROM opg_opgave o JOIN prev p ON o.version = p.version LEFT JOIN late l USING (opgave)
        ORDER BY o.rij""")


# --- dienstverlening ------------------------------------------------------------------------
def kpi_scores(con) -> pd.DataFrame:
    return _df(con, "SELECT * FROM kpi_scores")


def kpi_normen(con) -> pd.DataFrame:
    """The norms of the current kpi version, in the order of the Normen sheet (also
    norms without any score, so the scorecard can show them as not measured)."""
    return _df(con, """
        SELECT code, omschrijving, eenheid, streefwaarde, richting, meeteenheid, bron
        FROM kpi_norm
        WHERE version = (SELECT version FROM huidige_versie WHERE kind = 'kpi')
        ORDER BY rij, code""")


def kpi_notities(con) -> pd.DataFrame:
    """Every annotation, oldest first; they belong to (code, periode), not to a version.
    A new note changes no version; data's cache key carries notes_revision instead."""
    return _df(con, "SELECT code, periode, tekst, auteur, tijdstip FROM kpi_notitie ORDER BY tijdstip, code")


# --- upload preview and versions page ------------------------------------------------------
def _version(kind: str) -> str:
    return f"coalesce(?, (SELECT version FROM huidige_versie WHERE kind = '{kind}'))"


def org_eenheden(con, version: int | None = None) -> pd.DataFrame:
    """Eenheden and formatie of one organisatie version (None = the current one)."""
    return _df(con, f"SELECT cluster, eenheid, formatie_fte FROM org_eenheid WHERE version = "
                    f"{_version('organisatie')} ORDER BY rij", [version])


def ww_plaatsingen(con, version: int | None = None) -> pd.DataFrame:
    """Placements of one wasword version (None = current), for the upload preview."""
    return _df(con, f"SELECT personeelsnummer, naam, eenheid, fte, is_vacature FROM ww_plaatsing "
                    f"WHERE version = {_version('wasword')} ORDER BY rij", [version])


def kpi_norm_versie(con, version: int | None = None) -> pd.DataFrame:
    return _df(con, f"SELECT code FROM kpi_norm WHERE version = {_version('kpi')} ORDER BY rij", [version])


def kpi_score_versie(con, version: int | None = None) -> pd.DataFrame:
    return _df(con, f"SELECT code, periode, waarde FROM kpi_score WHERE version = {_version('kpi')} "
                    "ORDER BY rij", [version])


def opg_opgave_versie(con, version: int | None = None) -> pd.DataFrame:
    return _df(con, f"SELECT opgave, fase FROM opg_opgave WHERE version = {_version('opgaven')} "
                    "ORDER BY rij", [version])


def bestand_inhoud(con, sha256: str) -> bytes | None:
    """The original bytes of an uploaded file."""
    row = con.execute("SELECT inhoud FROM bestand WHERE sha256 = ?", [sha256]).fetchone()
    return bytes(row[0]) if row else None


def gebeurtenissen(con, kind: str) -> pd.DataFrame:
    return _df(con, "SELECT tijdstip, door, actie, version, vorige_version FROM gebeurtenis WHERE kind = ? "
                    "ORDER BY tijdstip DESC", [kind])


# --- regels uit de notitie (issue #15) --------------------------------------------------------
def regelcontrole(con) -> pd.DataFrame:
    """The memo's rules checked against the current versions (the stable view)."""
    return _df(con, "SELECT * FROM regelcontrole")


def regels(con) -> pd.DataFrame:
    """The rule set as stored (table regel), in order."""
    return _df(con, "SELECT * FROM regel ORDER BY volgorde, id")


def regel_invoer(con):
    """The inputs of the rule check as the current versions give them, with their column
    types: what stuurbord.domain.regels.evalueer and a scenario start from."""
    from ..domain.regels import INVOER, Invoer
    frames, types = [], []
    for name in INVOER:
        frames.append(_df(con, f'SELECT * FROM "{name}"'))
        types.append(tuple((r[0], r[1]) for r in con.execute(f'DESCRIBE SELECT * FROM "{name}"').fetchall()))
    return Invoer(*frames, types=tuple(types))


# --- scenario's (issue #15) ------------------------------------------------------------------------
def scenarios(con) -> pd.DataFrame:
    """The saved what-if scenarios, newest change first (without their contents)."""
    return _df(con, """SELECT naam, gemaakt_door, gemaakt_op, gewijzigd_door, gewijzigd_op, basis
                       FROM scenario ORDER BY gewijzigd_op DESC, naam""")


def scenario(con, naam: str) -> dict | None:
    """One saved scenario with its contents (JSON text), or None."""
    cur = con.execute("SELECT * FROM scenario WHERE naam = ?", [naam])
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row)) if row else None


# --- was/wordt flow and the organisation over time (issue #15) ----------------------------------
_WW = "(SELECT version FROM huidige_versie WHERE kind = 'wasword')"


def stromen(con) -> pd.DataFrame:
    """From old afdeling to new eenheid in the current was/wordt-lijst: every row counts, so
    the matrix sums to the list (vacancies come from 'Vacature', a placement without an old
    afdeling from 'Geen afdeling opgegeven'). Columns van, naar, cluster (of the new eenheid
    in the current formatie, as fte_per_eenheid matches it; NULL if it is not there),
    plaatsingen, fte."""
    return _df(con, f"""
        WITH f AS (SELECT DISTINCT lower(eenheid) AS sleutel, cluster FROM fte_per_eenheid)
        SELECT CASE WHEN p.is_vacature THEN 'Vacature'
                    ELSE coalesce(nullif(trim(p.huidige_afdeling), ''), 'Geen afdeling opgegeven') END AS van,
               p.eenheid AS naar, any_value(f.cluster) AS cluster,
               count(*)::INTEGER AS plaatsingen, round(sum(p.fte), 4) AS fte
        FROM ww_plaatsing p LEFT JOIN f ON f.sleutel = lower(p.eenheid)
        WHERE p.version = {_WW}
        GROUP BY 1, 2 ORDER BY lower(van), lower(naar)""")


def plaatsingsvorm_per_eenheid(con) -> pd.DataFrame:
    """Placements (not vacancies) per eenheid and plaatsingsvorm: eenheid, plaatsingsvorm,
    plaatsingen, fte."""
    return _df(con, f"""
        SELECT eenheid, coalesce(plaatsingsvorm, 'onbekend') AS plaatsingsvorm, count(*)::INTEGER AS plaatsingen,
               round(sum(fte), 4) AS fte
        FROM ww_plaatsing WHERE version = {_WW} AND NOT is_vacature
        GROUP BY 1, 2 ORDER BY lower(eenheid), plaatsingsvorm""")


def dubbele_plaatsingen(con) -> pd.DataFrame:
    """Every placement of the persons with more than one placement in the current
    was/wordt-lijst (personal data: render through widgets.personal_table): personeelsnummer,
    naam, eenheid, nieuwe_functie, fte, plaatsingsvorm."""
    return _df(con, f"""
        WITH d AS (SELECT personeelsnummer FROM ww_plaatsing WHERE version = {_WW} AND NOT is_vacature
                     AND personeelsnummer IS NOT NULL GROUP BY 1 HAVING count(*) > 1)
        SELECT personeelsnummer, naam, eenheid, nieuwe_functie, fte, plaatsingsvorm
        FROM ww_plaatsing WHERE version = {_WW} AND NOT is_vacature AND personeelsnummer IN (SELECT * FROM d)
        ORDER BY naam, personeelsnummer, lower(eenheid)""")


def plaatsingen_en_personen(con) -> dict:
    """Placements (not vacancies), distinct persons, and persons with more than one placement."""
    row = con.execute(f"""
        WITH p AS (SELECT personeelsnummer, count(*) AS n FROM ww_plaatsing
                   WHERE version = {_WW} AND NOT is_vacature GROUP BY personeelsnummer)
        SELECT coalesce(sum(n), 0)::INTEGER, count(personeelsnummer)::INTEGER,
               count(*) FILTER (WHERE n > 1 AND personeelsnummer IS NOT NULL)::INTEGER,
               coalesce(sum(n) FILTER (WHERE n > 1 AND personeelsnummer IS NOT NULL), 0)::INTEGER FROM p""").fetchone()
    return dict(zip(("plaatsingen", "personen", "personen_dubbel", "plaatsingen_dubbel"), row))


def dubbel_per_eenheid(con) -> pd.DataFrame:
    """Per eenheid: how many persons with more than one placement have one there (counts only)."""
    return _df(con, f"""
        WITH d AS (SELECT personeelsnummer FROM ww_plaatsing WHERE version = {_WW} AND NOT is_vacature
                     AND personeelsnummer IS NOT NULL GROUP BY 1 HAVING count(*) > 1)
        SELECT eenheid, count(DISTINCT personeelsnummer)::INTEGER AS personen
        FROM ww_plaatsing WHERE version = {_WW} AND NOT is_vacature AND personeelsnummer IN (SELECT * FROM d)
        GROUP BY eenheid ORDER BY lower(eenheid)""")


_TIJDLIJN = """
    WITH punt AS (SELECT DISTINCT peildatum FROM versie WHERE kind IN ('organisatie', 'wasword')),
    kies AS (      -- per peildatum: the latest version of each kind with peildatum on or before it,
                   -- else (nothing that early) the earliest version of that kind
        SELECT p.peildatum,
               coalesce((SELECT max(version) FROM versie v WHERE v.kind = 'organisatie' AND v.peildatum = (
                             SELECT max(peildatum) FROM versie w WHERE w.kind = 'organisatie' AND w.peildatum <= p.peildatum)),
                        (SELECT min(version) FROM versie WHERE kind = 'organisatie')) AS org,
               coalesce((SELECT max(version) FROM versie v WHERE v.kind = 'wasword' AND v.peildatum = (
                             SELECT max(peildatum) FROM versie w WHERE w.kind = 'wasword' AND w.peildatum <= p.peildatum)),
                        (SELECT min(version) FROM versie WHERE kind = 'wasword')) AS ww
        FROM punt p),
    eenheid AS (   -- as the view fte_per_eenheid computes it, for each pair of versions
        SELECT k.peildatum, k.org, k.ww, e.cluster, e.eenheid, round(e.formatie_fte, 4) AS formatie_fte,
               round(coalesce(sum(p.fte) FILTER (WHERE NOT p.is_vacature), 0), 4) AS bezetting_fte,
               count(DISTINCT p.personeelsnummer) FILTER (WHERE NOT p.is_vacature)::INTEGER AS personen
        FROM kies k JOIN org_eenheid e ON e.version = k.org
        LEFT JOIN ww_plaatsing p ON p.version = k.ww AND lower(p.eenheid) = lower(e.eenheid)
        WHERE k.org IS NOT NULL AND k.ww IS NOT NULL
        GROUP BY ALL)
"""


def organisatie_verloop(con) -> pd.DataFrame:
    """The organisation over time: per peildatum of any organisatie or wasword version, the
    versions in force then (docs/rules.md) and formatie, bezetting, vacatures and persons per
    eenheid, computed as fte_per_eenheid does."""
    return _df(con, _TIJDLIJN + """
        SELECT peildatum, org AS organisatie_versie, ww AS wasword_versie, cluster, eenheid, formatie_fte,
               bezetting_fte, round(formatie_fte - bezetting_fte, 4) AS vacature_fte, personen
        FROM eenheid ORDER BY peildatum, cluster, eenheid""")


def span_verloop(con) -> pd.DataFrame:
    """Span per coach per peildatum, computed as span_per_coach does, with the norm."""
    return _df(con, _TIJDLIJN + """
        SELECT e.peildatum, c.coach, round(sum(c.aandeel * e.bezetting_fte), 4) AS fte,
               round(sum(c.aandeel * e.personen), 1) AS personen,
               (SELECT coalesce(max(TRY_CAST(waarde AS DOUBLE)), 22) FROM instelling
                WHERE sleutel = 'span_norm_fte') AS norm_fte
        FROM eenheid e JOIN org_coach c ON c.version = e.org AND lower(c.eenheid) = lower(e.eenheid)
        GROUP BY e.peildatum, c.coach ORDER BY e.peildatum, c.coach""")
