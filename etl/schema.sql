-- Stuurbord store. Every data table carries the `version` of its kind; rows of
-- a version are never changed. `huidige_versie` is the pointer per kind.
-- The views at the bottom are the stable analytics contract
-- (../shared/spec/analytics-contract.md): names and columns are fixed,
-- columns may only be added at the end.

CREATE TABLE IF NOT EXISTS schema_info (version INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS bestand (           -- uploaded files, deduplicated by hash
    sha256 VARCHAR PRIMARY KEY,
    inhoud BLOB NOT NULL,
    grootte BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS versie (
    kind VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    peildatum DATE NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    loaded_by VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    rows INTEGER NOT NULL,
    skipped_rows INTEGER NOT NULL,
    warnings VARCHAR[] NOT NULL,
    PRIMARY KEY (kind, version)
);

CREATE TABLE IF NOT EXISTS huidige_versie (kind VARCHAR PRIMARY KEY, version INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS gebeurtenis (       -- audit trail: loads and restores
    tijdstip TIMESTAMP NOT NULL,
    door VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    actie VARCHAR NOT NULL,                    -- 'load' | 'restore'
    version INTEGER NOT NULL,
    vorige_version INTEGER
);

CREATE TABLE IF NOT EXISTS instelling (sleutel VARCHAR PRIMARY KEY, waarde VARCHAR NOT NULL);
INSERT OR IGNORE INTO instelling VALUES ('span_norm_fte', '22');

-- ------------------------------------------------- audit trail (issue #11, etl/logboek.py)
-- Who did what, as the identity provider names them (or the OS user on the command line):
-- loads, restores, notes, settings, raadspakketten and every export download. Rows are
-- only ever added. `gebeurtenis` above stays the per-kind load/restore history.
CREATE TABLE IF NOT EXISTS logboek (
    tijdstip TIMESTAMP NOT NULL,
    naam VARCHAR NOT NULL,                     -- the name of the person (as versie.loaded_by)
    email VARCHAR,
    subject VARCHAR,                           -- subject at the identity provider, os:USER on the command line
    rol VARCHAR,                               -- the role at the moment of the action
    via VARCHAR NOT NULL,                      -- oidc, proxy, demo, zonder_inlog or opdrachtregel
    actie VARCHAR NOT NULL,                    -- laden, terugzetten, notitie, instelling, raadspakket or download
    onderwerp VARCHAR,                         -- what: kind and version, KPI code and period, setting, file name
    versies VARCHAR,                           -- which versions it concerned, as organisatie v1, wasword v2
    details VARCHAR
);
INSERT OR IGNORE INTO instelling VALUES ('capaciteit_grens', '0.25');
-- ------------------------------------------------- end of the audit trail block

-- kind organisatie
CREATE TABLE IF NOT EXISTS org_eenheid (
    version INTEGER NOT NULL, rij INTEGER, cluster VARCHAR NOT NULL, eenheid VARCHAR NOT NULL,
    formatie_fte DOUBLE NOT NULL);
CREATE TABLE IF NOT EXISTS org_coach (
    version INTEGER NOT NULL, rij INTEGER, coach VARCHAR NOT NULL, eenheid VARCHAR NOT NULL,
    aandeel DOUBLE NOT NULL, aandeel_opgegeven BOOLEAN NOT NULL);
CREATE TABLE IF NOT EXISTS org_opbouw (
    version INTEGER NOT NULL, volgorde INTEGER NOT NULL, onderdeel VARCHAR NOT NULL,
    fte_onderdeel DOUBLE NOT NULL, percentage DOUBLE NOT NULL, bewerking VARCHAR NOT NULL,
    fte_opgegeven DOUBLE);

-- kind wasword
CREATE TABLE IF NOT EXISTS ww_plaatsing (
    version INTEGER NOT NULL, rij INTEGER, personeelsnummer VARCHAR, naam VARCHAR,
    huidige_functie VARCHAR, huidige_afdeling VARCHAR, nieuwe_functie VARCHAR NOT NULL,
    eenheid VARCHAR NOT NULL, schaal INTEGER, fte DOUBLE NOT NULL, plaatsingsvorm VARCHAR,
    is_vacature BOOLEAN NOT NULL);

-- kind kpi
CREATE TABLE IF NOT EXISTS kpi_norm (
    version INTEGER NOT NULL, rij INTEGER, code VARCHAR NOT NULL, omschrijving VARCHAR NOT NULL,
    eenheid VARCHAR, streefwaarde DOUBLE, richting VARCHAR NOT NULL, meeteenheid VARCHAR, bron VARCHAR);
CREATE TABLE IF NOT EXISTS kpi_score (
    version INTEGER NOT NULL, rij INTEGER, code VARCHAR NOT NULL, periode VARCHAR NOT NULL,
    grain VARCHAR NOT NULL, periode_start DATE NOT NULL, waarde DOUBLE NOT NULL, aantal INTEGER);
CREATE TABLE IF NOT EXISTS kpi_notitie (       -- annotations: kept across KPI versions
    code VARCHAR NOT NULL, periode VARCHAR NOT NULL, tekst VARCHAR NOT NULL,
    auteur VARCHAR NOT NULL, tijdstip TIMESTAMP NOT NULL);

-- kind opgaven
CREATE TABLE IF NOT EXISTS opg_opgave (
    version INTEGER NOT NULL, rij INTEGER, opgave VARCHAR NOT NULL, opdrachtgever VARCHAR NOT NULL,
    portefeuillehouder VARCHAR, fase VARCHAR NOT NULL, start DATE, einde_gepland DATE, voortgang DOUBLE,
    budget DOUBLE, besteed DOUBLE, evaluatie_gereed BOOLEAN, evaluatie_datum DATE);
CREATE TABLE IF NOT EXISTS opg_project (
    version INTEGER NOT NULL, rij INTEGER, project VARCHAR NOT NULL, opgave VARCHAR NOT NULL,
    projectleider VARCHAR NOT NULL, intern_extern VARCHAR, fase VARCHAR, voortgang DOUBLE);
CREATE TABLE IF NOT EXISTS opg_mijlpaal (
    version INTEGER NOT NULL, rij INTEGER, opgave VARCHAR NOT NULL, mijlpaal VARCHAR NOT NULL,
    gepland DATE NOT NULL, gerealiseerd DATE);
CREATE TABLE IF NOT EXISTS opg_capaciteit (
    version INTEGER NOT NULL, rij INTEGER, opgave VARCHAR NOT NULL, eenheid VARCHAR NOT NULL,
    gevraagd_fte DOUBLE NOT NULL, toegezegd_fte DOUBLE);

-- ---------------------------------------------------------------- helper views
CREATE OR REPLACE VIEW huidig AS
    SELECT h.kind, h.version, v.peildatum
    FROM huidige_versie h JOIN versie v USING (kind, version);

-- --------------------------------------------------------------- stable views
CREATE OR REPLACE VIEW fte_per_eenheid AS
WITH e AS (
    SELECT cluster, eenheid, formatie_fte, rij FROM org_eenheid
    WHERE version = (SELECT version FROM huidige_versie WHERE kind = 'organisatie')
), p AS (
    SELECT lower(eenheid) AS sleutel,
           sum(fte) FILTER (WHERE NOT is_vacature) AS bezetting_fte,
           count(DISTINCT personeelsnummer) FILTER (WHERE NOT is_vacature) AS personen,
           count(*) FILTER (WHERE is_vacature) AS open_plaatsen,
           sum(fte) FILTER (WHERE is_vacature) AS open_plaatsen_fte
    FROM ww_plaatsing
    WHERE version = (SELECT version FROM huidige_versie WHERE kind = 'wasword')
    GROUP BY 1
)
SELECT e.cluster,
       e.eenheid,
       round(e.formatie_fte, 4) AS formatie_fte,
       round(coalesce(p.bezetting_fte, 0), 4) AS bezetting_fte,
       round(e.formatie_fte - coalesce(p.bezetting_fte, 0), 4) AS vacature_fte,
       coalesce(p.personen, 0)::INTEGER AS personen,
       coalesce(p.open_plaatsen, 0)::INTEGER AS open_plaatsen,
       round(coalesce(p.open_plaatsen_fte, 0), 4) AS open_plaatsen_fte
FROM e LEFT JOIN p ON p.sleutel = lower(e.eenheid)
ORDER BY e.cluster, e.eenheid;

CREATE OR REPLACE VIEW span_per_coach AS
WITH c AS (
    SELECT coach, eenheid, aandeel FROM org_coach
    WHERE version = (SELECT version FROM huidige_versie WHERE kind = 'organisatie')
), norm AS (
    SELECT coalesce(max(TRY_CAST(waarde AS DOUBLE)), 22) AS norm_fte FROM instelling WHERE sleutel = 'span_norm_fte'
), s AS (
    SELECT c.coach,
           string_agg(c.eenheid, ', ' ORDER BY lower(c.eenheid)) AS eenheden,
           round(sum(c.aandeel * f.bezetting_fte), 4) AS fte,
           round(sum(c.aandeel * f.personen), 1) AS personen,
           count(*)::INTEGER AS aantal_eenheden,
           round(sum(c.aandeel * f.formatie_fte), 4) AS formatie_fte
    FROM c JOIN fte_per_eenheid f ON lower(f.eenheid) = lower(c.eenheid)
    GROUP BY c.coach
)
SELECT s.coach, s.eenheden, s.fte, s.personen, norm.norm_fte, s.fte > norm.norm_fte AS boven_norm,
       s.aantal_eenheden, s.formatie_fte
FROM s, norm
ORDER BY s.fte DESC, s.coach;

CREATE OR REPLACE VIEW formatie_opbouw AS
WITH l AS (
    SELECT volgorde, onderdeel, fte_onderdeel, percentage, bewerking,
           round(fte_onderdeel * percentage, 6) AS fte_berekend,
           fte_opgegeven,
           CASE bewerking WHEN '-' THEN -1 ELSE 1 END AS teken
    FROM org_opbouw
    WHERE version = (SELECT version FROM huidige_versie WHERE kind = 'organisatie')
)
SELECT volgorde, onderdeel, fte_onderdeel, percentage, bewerking, fte_berekend, fte_opgegeven,
       round(fte_opgegeven - fte_berekend, 6) AS verschil
FROM l
UNION ALL
SELECT max(volgorde) + 1, 'Totaal', NULL, NULL, NULL,
       round(sum(teken * fte_berekend), 6),
       CASE WHEN count(fte_opgegeven) = count(*) THEN round(sum(teken * fte_opgegeven), 6) END,
       CASE WHEN count(fte_opgegeven) = count(*)
            THEN round(sum(teken * fte_opgegeven) - sum(teken * fte_berekend), 6) END
FROM l
HAVING count(*) > 0
ORDER BY volgorde;

CREATE OR REPLACE VIEW kpi_scores AS
SELECT n.code, n.omschrijving, n.eenheid, s.periode, s.periode_start, s.waarde, n.streefwaarde,
       n.richting, n.meeteenheid,
       CASE WHEN n.streefwaarde IS NULL THEN NULL
            WHEN n.richting = 'lager' THEN s.waarde <= n.streefwaarde
            ELSE s.waarde >= n.streefwaarde END AS norm_gehaald,
       s.grain, s.aantal, n.bron
FROM kpi_score s
JOIN kpi_norm n ON n.version = s.version AND n.code = s.code
WHERE s.version = (SELECT version FROM huidige_versie WHERE kind = 'kpi')
ORDER BY n.code, s.periode_start;

CREATE OR REPLACE VIEW opgave_voortgang AS
WITH v AS (
    SELECT version, peildatum FROM huidig WHERE kind = 'opgaven'
), m AS (
    SELECT opgave,
           count(*) AS mijlpalen,
           count(gerealiseerd) AS mijlpalen_gehaald,
           count(*) FILTER (WHERE (gerealiseerd IS NULL AND gepland < (SELECT peildatum FROM v))
                                  OR gerealiseerd > gepland) AS mijlpalen_te_laat
    FROM opg_mijlpaal WHERE version = (SELECT version FROM v) GROUP BY opgave
), k AS (
    SELECT opgave, sum(gevraagd_fte) AS gevraagd_fte, sum(coalesce(toegezegd_fte, 0)) AS toegezegd_fte
    FROM opg_capaciteit WHERE version = (SELECT version FROM v) GROUP BY opgave
)
SELECT o.opgave, o.opdrachtgever, o.portefeuillehouder, o.fase, o.voortgang, o.einde_gepland,
       o.budget, o.besteed,
       coalesce(m.mijlpalen, 0)::INTEGER AS mijlpalen,
       coalesce(m.mijlpalen_gehaald, 0)::INTEGER AS mijlpalen_gehaald,
       coalesce(m.mijlpalen_te_laat, 0)::INTEGER AS mijlpalen_te_laat,
       round(coalesce(k.gevraagd_fte, 0), 4) AS gevraagd_fte,
       round(coalesce(k.toegezegd_fte, 0), 4) AS toegezegd_fte,
       o.start, o.evaluatie_gereed, o.evaluatie_datum
FROM opg_opgave o
LEFT JOIN m ON m.opgave = o.opgave
LEFT JOIN k ON k.opgave = o.opgave
WHERE o.version = (SELECT version FROM v)
ORDER BY o.rij;

CREATE OR REPLACE VIEW versies AS
SELECT v.kind, v.version, v.peildatum, v.loaded_at, v.loaded_by, v.file_name, v.sha256, v.rows,
       coalesce(h.version = v.version, FALSE) AS is_current,
       v.skipped_rows, len(v.warnings)::INTEGER AS aantal_waarschuwingen
FROM versie v LEFT JOIN huidige_versie h USING (kind)
ORDER BY v.kind, v.version;
