-- Stuurbord store. Every data table carries the `version` of its kind; rows of
-- a version are never changed. `huidige_versie` is the pointer per kind.
-- The views at the bottom are the stable analytics contract
-- (docs/analytics-contract.md): names and columns are fixed,
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

-- ================================================================ BEGIN regels (issue #15)
-- The memo's rules (notitie managementstructuur 2021) as data, checked by the view
-- `regelcontrole`. Everything from here to END regels is one definition: the store runs it
-- on the current versions, and stuurbord.domain.regels runs the same statements in an
-- in-memory DuckDB on a scenario, with its own tables in place of the `regel_invoer_*`
-- views (docs/rules.md). No ';' inside strings here (store._split_sql splits on it).

-- The rule set: one row per rule. The texts follow the code (updated on every schema run);
-- `namen`, `aantal` and `actief` are configuration and survive it. `namen` holds, per
-- exception, the memo's eenheden, each as 'Memo name|other spelling|...' (exact matches on
-- case- and whitespace-folded names, never a fuzzy one), and for the opdrachtgever rule the
-- words that do not count as a name.
CREATE TABLE IF NOT EXISTS regel (
    id VARCHAR PRIMARY KEY, volgorde INTEGER NOT NULL, soort VARCHAR NOT NULL, regel VARCHAR NOT NULL,
    bron VARCHAR NOT NULL, toets VARCHAR NOT NULL, namen VARCHAR[], aantal INTEGER, actief BOOLEAN NOT NULL);
INSERT INTO regel VALUES
    ('omvang-eenheden', 10, 'omvang_eenheden', 'De organisatie telt elf eenheden',
     '§3 Kernrollen: “Het werk wordt georganiseerd vanuit elf eenheden die op basis van vakinhoud geclusterd zijn binnen vijf (thematische) clusters.”',
     'Het aantal eenheden in de formatie is het aantal van deze regel (11).', NULL, 11, TRUE),
    ('omvang-clusters', 11, 'omvang_clusters', 'De eenheden zijn verdeeld over vijf clusters',
     '§3 Kernrollen: “Het werk wordt georganiseerd vanuit elf eenheden die op basis van vakinhoud geclusterd zijn binnen vijf (thematische) clusters.”',
     'Het aantal clusters in de formatie is het aantal van deze regel (5).', NULL, 5, TRUE),
    ('span-norm', 20, 'span', 'Een coach/coördinator leidt niet meer dan de norm voor de span of attention',
     '§3c Coach/coördinatoren: “Daarmee is de span of attention voor alle coach/coördinatoren goed behapbaar (maximaal 22 fte).”',
     'Per coach: som van aandeel × bezetting (fte) van zijn of haar eenheden, ten hoogste de norm (instelling span_norm_fte, standaard 22 fte). Precies de norm voldoet nog.',
     NULL, NULL, TRUE),
    ('coach-per-eenheid', 30, 'coach_per_eenheid',
     'Elke eenheid heeft één eigen coach/coördinator, behalve de uitzonderingen uit de notitie',
     '§3c Coach/coördinatoren: “In de regel heeft elke eenheid een eigen coach/coördinator maar daar zijn twee uitzonderingen op: de eenheden Ondersteuning en Openbare Orde en Veiligheid delen hun coach/coördinator. En voor de eenheid Wijkbeheer en groenonderhoud zijn twee coach/coördinatoren werkzaam.”',
     'Per eenheid: hoeveel coaches zij heeft en welke andere eenheden die coaches leiden. Toegestaan is één coach die geen andere eenheid leidt, of precies wat een uitzondering hieronder toestaat (een coach delen binnen het genoemde paar, het genoemde aantal coaches). Elke andere gedeelde coach of splitsing wijkt af.',
     NULL, NULL, TRUE),
    ('uitzondering-ondersteuning-oov', 31, 'uitzondering_gedeeld',
     'Uitzondering: Ondersteuning en Openbare Orde en Veiligheid delen één coach/coördinator',
     '§3c Coach/coördinatoren: “de eenheden Ondersteuning en Openbare Orde en Veiligheid delen hun coach/coördinator.”',
     'Beide eenheden staan in de formatie, hebben elk precies één coach/coördinator en dat is dezelfde persoon. Zo niet, dan is de organisatie op dit punt gewijzigd ten opzichte van de notitie. Een eenheid die niet in de formatie te vinden is, is niet te beoordelen.',
     ['Ondersteuning', 'Openbare Orde en Veiligheid'], 1, TRUE),
    ('uitzondering-wijkbeheer', 32, 'uitzondering_coaches',
     'Uitzondering: Wijkbeheer en groenonderhoud heeft twee coach/coördinatoren',
     '§3c Coach/coördinatoren: “En voor de eenheid Wijkbeheer en groenonderhoud zijn twee coach/coördinatoren werkzaam.”',
     'De eenheid staat in de formatie en heeft precies het genoemde aantal coach/coördinatoren (2). Zo niet, dan is de organisatie op dit punt gewijzigd ten opzichte van de notitie.',
     ['Wijkbeheer en groenonderhoud'], 2, TRUE),
    ('aandelen', 40, 'aandelen', 'De aandelen van de coach/coördinatoren in een eenheid tellen op tot 100 %',
     '§3c Coach/coördinatoren (afgeleid): een eenheid valt geheel onder haar coach/coördinator of, zoals bij Wijkbeheer en groenonderhoud, haar coach/coördinatoren samen.',
     'Per eenheid: de som van de aandelen van haar coaches is 100 % (marge 0,05 procentpunt).', NULL, NULL, TRUE),
    ('bezetting-formatie', 50, 'bezetting', 'De bezetting van een eenheid blijft binnen haar formatie (vacatures en overbezetting)',
     '§3 Kernrollen: “De ambtelijke organisatie bevat 190 fte.” De formatie is wat bezet mag worden. Voetnoot: “In deze tabel is het totaal aantal fte 188. Inmiddels is dit 189,5. Dit verschil is ontstaan door tussentijdse actualisatie van de was/wordt-lijst.”',
     'Per eenheid: bezetting (som van de fte van de plaatsingen, zonder vacatures) ten hoogste de formatie. Wat overblijft is vacatureruimte, meer dan de formatie is overbezetting.',
     NULL, NULL, TRUE),
    ('opbouw-totaal', 60, 'opbouw', 'De formatie van de eenheden telt op tot het totaal van de opbouw',
     '§3 Kernrollen: “De ambtelijke organisatie bevat 190 fte. Dit aantal is als volgt tot stand gekomen” (tabel, slotregel “Totaal fte in Wassenaarse organisatie 189,95”).',
     'Som van de formatie van alle eenheden tegen het opgegeven totaal van het blad Opbouw (basis, plus de regels met +, min de regels met -), marge 0,005 fte (de notitie rondt af op honderdsten). Zonder opgegeven fte op elke regel: tegen het berekende totaal.',
     NULL, NULL, TRUE),
    ('opdrachtgever', 70, 'opdrachtgever', 'Elke opgave heeft een strategisch adviseur als opdrachtgever',
     '§2 Sleutelfunctionarissen: “In beide gevallen vervult de strategisch adviseur de rol van opdrachtgever en stuurt op de realisatie van de opgave.”',
     'De opdrachtgever is ingevuld (geen woord als onbekend, n.t.b. of vacature). Staat de naam in de was/wordt-lijst, dan moet de functie daar strategisch adviseur zijn. Het opgavenregister noemt in de kolom Opdrachtgever de strategisch adviseur.',
     ['', '-', '–', '?', 'onbekend', 'nnb', 'n.n.b.', 'ntb', 'n.t.b.', 'nvt', 'n.v.t.', 'vacature', 'geen',
      'nog niet bekend', 'tbd'], NULL, TRUE),
    ('evaluatie', 80, 'evaluatie', 'Een afgesloten opgave heeft een voltooide evaluatie',
     'Praktijkvoorbeeld 1: “Ook belangrijk: een opgave wordt pas afgesloten nadat het succes is gevierd en de evaluatie is voltooid.”',
     'Per opgave in de fase afgesloten: Evaluatie gereed is ja (of een datum).', NULL, NULL, TRUE)
ON CONFLICT (id) DO UPDATE SET volgorde = excluded.volgorde, soort = excluded.soort, regel = excluded.regel,
    bron = excluded.bron, toets = excluded.toets;

-- Dutch text in SQL (the view's sentences are read by DuckDB clients too). Same rounding as
-- stuurbord.ui.fmt: half away from zero on the decimal value (tests compare the two).
CREATE OR REPLACE MACRO regel_sleutel(s) AS lower(trim(regexp_replace(s, '[\s\x{00A0}]+', ' ', 'g')));
CREATE OR REPLACE MACRO regel_getal(x, d) AS
    coalesce(translate(format('{:,.' || d || 'f}', round(x::DECIMAL(38, 10), d)), ',.', '.,'), '–');
CREATE OR REPLACE MACRO regel_fte(x) AS regel_getal(x, 2);
CREATE OR REPLACE MACRO regel_norm(x) AS CASE WHEN x = round(x) THEN regel_getal(x, 0) ELSE regel_getal(x, 2) END;
CREATE OR REPLACE MACRO regel_pct(x) AS regel_getal(x * 100, 0) || chr(160) || '%';
CREATE OR REPLACE MACRO regel_datum(d) AS
    day(d)::VARCHAR || ' ' || ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus',
                               'september', 'oktober', 'november', 'december'][month(d)] || ' ' || year(d)::VARCHAR;
CREATE OR REPLACE MACRO regel_en(l) AS           -- ['a', 'b', 'c'] -> 'a, b en c' (l used once: cheap to bind)
    replace(regexp_replace(coalesce(array_to_string(l, chr(31)), ''), '\x1f([^\x1f]*)$', ' en \1'), chr(31), ', ');

-- The inputs: the current versions. A scenario supplies tables with these names and columns.
CREATE OR REPLACE VIEW regel_invoer_geladen AS SELECT kind FROM huidige_versie;
CREATE OR REPLACE VIEW regel_invoer_eenheid AS
    SELECT cluster, eenheid, formatie_fte, bezetting_fte, personen FROM fte_per_eenheid;
CREATE OR REPLACE VIEW regel_invoer_coach AS
    SELECT coach, eenheid, aandeel FROM org_coach
    WHERE version = (SELECT version FROM huidige_versie WHERE kind = 'organisatie');
CREATE OR REPLACE VIEW regel_invoer_opbouw AS
    SELECT fte_berekend, fte_opgegeven FROM formatie_opbouw
    WHERE volgorde = (SELECT max(volgorde) FROM formatie_opbouw);
CREATE OR REPLACE VIEW regel_invoer_opgave AS
    SELECT opgave, opdrachtgever, fase, evaluatie_gereed, evaluatie_datum FROM opg_opgave
    WHERE version = (SELECT version FROM huidige_versie WHERE kind = 'opgaven');
CREATE OR REPLACE VIEW regel_invoer_functie AS
    SELECT DISTINCT naam, nieuwe_functie AS functie FROM ww_plaatsing
    WHERE version = (SELECT version FROM huidige_versie WHERE kind = 'wasword') AND NOT is_vacature
      AND naam IS NOT NULL;

CREATE OR REPLACE VIEW regelcontrole AS
WITH r AS (
    SELECT * FROM regel WHERE actief
), k AS (
    SELECT coalesce(bool_or(kind = 'organisatie'), FALSE) AS org, coalesce(bool_or(kind = 'wasword'), FALSE) AS ww,
           coalesce(bool_or(kind = 'opgaven'), FALSE) AS opg
    FROM regel_invoer_geladen
), norm AS (
    SELECT coalesce(max(TRY_CAST(waarde AS DOUBLE)), 22) AS fte FROM instelling WHERE sleutel = 'span_norm_fte'
), e AS (
    SELECT cluster, eenheid, regel_sleutel(eenheid) AS sl, formatie_fte, bezetting_fte FROM regel_invoer_eenheid
), c AS (
    SELECT coach, regel_sleutel(eenheid) AS sl, aandeel FROM regel_invoer_coach
), sc AS (                                   -- per coach: the span and the eenheden led
    SELECT c.coach, round(sum(c.aandeel * e.bezetting_fte), 4) AS fte,
           list(e.eenheid || CASE WHEN c.aandeel < 1 THEN ' ' || regel_pct(c.aandeel) ELSE '' END
                ORDER BY lower(e.eenheid)) AS eenheden
    FROM c JOIN e USING (sl) GROUP BY c.coach
), ce AS (                                   -- per eenheid: its coaches and their shares
    SELECT e.sl, e.eenheid, count(c.coach) AS n, coalesce(sum(c.aandeel), 0) AS totaal,
           list(c.coach || ' ' || regel_pct(c.aandeel) ORDER BY c.aandeel DESC, c.coach)
               FILTER (WHERE c.coach IS NOT NULL) AS met_aandeel,
           list(c.coach ORDER BY c.aandeel DESC, c.coach) FILTER (WHERE c.coach IS NOT NULL) AS coaches
    FROM e LEFT JOIN c USING (sl) GROUP BY e.sl, e.eenheid
), mn AS (                                   -- the memo eenheden of each exception
    SELECT id, soort, aantal, generate_subscripts(namen, 1) AS pos, unnest(namen) AS spellingen
    FROM r WHERE soort IN ('uitzondering_gedeeld', 'uitzondering_coaches')
), mk AS (
    SELECT id, soort, aantal, pos, trim(split_part(spellingen, '|', 1)) AS memo_naam,
           regel_sleutel(unnest(string_split(spellingen, '|'))) AS sl
    FROM mn
), mg AS (                                   -- the data eenheden each memo eenheid matches exactly
    SELECT mk.id, mk.soort, mk.aantal, mk.pos, mk.memo_naam,
           coalesce(list(DISTINCT e.sl) FILTER (WHERE e.sl IS NOT NULL), []) AS gevonden,
           coalesce(list(DISTINCT e.eenheid) FILTER (WHERE e.sl IS NOT NULL), []) AS gevonden_namen
    FROM mk LEFT JOIN e ON e.sl = mk.sl AND mk.sl <> '' GROUP BY ALL
), mv AS (                                   -- a suggestion for one not found (never a match)
    SELECT mg.id, mg.pos, arg_max(e.eenheid, jaro_winkler_similarity(regel_sleutel(mg.memo_naam), e.sl)) AS lijkt_op,
           max(jaro_winkler_similarity(regel_sleutel(mg.memo_naam), e.sl)) AS score
    FROM mg, e WHERE len(mg.gevonden) = 0 GROUP BY ALL
), mr AS (                                   -- resolved: exactly one data eenheid
    SELECT id, soort, aantal, pos, memo_naam, gevonden[1] AS sl FROM mg WHERE len(gevonden) = 1
), toe AS (                                  -- per data eenheid: what the exceptions allow
    SELECT e.sl,
           greatest(1, coalesce(max(m.aantal) FILTER (WHERE m.soort = 'uitzondering_coaches'), 1)) AS max_coaches,
           coalesce(list(DISTINCT p.sl) FILTER (WHERE p.sl IS NOT NULL AND p.sl <> e.sl), []) AS partners
    FROM e
    LEFT JOIN mr m ON m.sl = e.sl
    LEFT JOIN mr p ON p.id = m.id AND m.soort = 'uitzondering_gedeeld'
    GROUP BY e.sl
), gedeeld_met AS (                          -- per eenheid: the other eenheden its coaches lead
    SELECT a.sl, list(DISTINCT {'sl': o.sl, 'eenheid': oe.eenheid, 'coach': a.coach}) AS andere
    FROM c a JOIN c o ON o.coach = a.coach AND o.sl <> a.sl JOIN e oe ON oe.sl = o.sl
    GROUP BY a.sl
), uitz AS (                                 -- the exceptions in words, for the sentences
    SELECT coalesce(string_agg(namen_tekst, ' of ') FILTER (WHERE soort = 'uitzondering_gedeeld'),
                    'geen enkele eenheid') AS gedeeld,
           coalesce(string_agg(namen_tekst || ' (' || aantal || ')', ', ') FILTER (WHERE soort = 'uitzondering_coaches'),
                    'geen enkele eenheid') AS meer
    FROM (SELECT soort, aantal, regel_en(list(memo_naam ORDER BY pos)) AS namen_tekst FROM mg GROUP BY id, soort, aantal)
), per_eenheid AS (
    SELECT ce.*, toe.max_coaches, toe.partners,
           list_filter(coalesce(g.andere, []), lambda x: NOT list_contains(toe.partners, x.sl)) AS niet_toegestaan,
           list_filter(coalesce(g.andere, []), lambda x: list_contains(toe.partners, x.sl)) AS wel_toegestaan
    FROM ce JOIN toe USING (sl) LEFT JOIN gedeeld_met g USING (sl)
), geen_org AS (                             -- one row per rule that needs a kind that is not loaded
    SELECT r.id, r.volgorde, 'Organisatie' AS onderwerp, 'organisatie' AS onderwerp_soort
    FROM r, k WHERE NOT k.org AND r.soort NOT IN ('opdrachtgever', 'evaluatie')
    UNION ALL
    SELECT r.id, r.volgorde, 'Opgaven', 'opgaven' FROM r, k WHERE NOT k.opg AND r.soort IN ('opdrachtgever', 'evaluatie')
), uitkomst AS (
    SELECT id, onderwerp, onderwerp_soort, 'niet te beoordelen' AS status,
           CASE WHEN onderwerp = 'Opgaven' THEN 'Het opgavenregister is niet geladen.'
                ELSE 'Het formatiebestand (Formatie en coaches) is niet geladen.' END AS toelichting,
           NULL::DOUBLE AS waarde, NULL::DOUBLE AS grens
    FROM geen_org

    UNION ALL                                -- 10, 11: elf eenheden, vijf clusters
    SELECT r.id, 'Organisatie', 'organisatie',
           CASE WHEN t.n = r.aantal THEN 'voldoet' ELSE 'wijkt af' END,
           'De formatie telt ' || t.n || CASE WHEN r.soort = 'omvang_eenheden' THEN ' eenheden' ELSE ' clusters' END
           || CASE WHEN t.n = r.aantal THEN ', zoals de notitie.'
                   ELSE ', de notitie noemt er ' || r.aantal || '.' END,
           t.n, r.aantal
    FROM r, k, (SELECT count(*) AS n_e, count(DISTINCT regel_sleutel(cluster)) AS n_c FROM e) cnt,
         LATERAL (SELECT CASE WHEN r.soort = 'omvang_eenheden' THEN cnt.n_e ELSE cnt.n_c END AS n) t
    WHERE k.org AND r.soort IN ('omvang_eenheden', 'omvang_clusters')

    UNION ALL                                -- 20: span per coach
    SELECT r.id, sc.coach, 'coach',
           CASE WHEN NOT k.ww THEN 'niet te beoordelen' WHEN sc.fte > norm.fte THEN 'wijkt af' ELSE 'voldoet' END,
           CASE WHEN NOT k.ww THEN 'Zonder was/wordt-lijst is de bezetting onbekend, dus de span van ' || sc.coach
                                   || ' (' || regel_en(sc.eenheden) || ') is niet te berekenen.'
                WHEN sc.fte > norm.fte THEN sc.coach || ' leidt ' || regel_fte(sc.fte) || ' fte (' || regel_en(sc.eenheden)
                                   || '), ' || regel_fte(sc.fte - norm.fte) || ' fte boven de norm van '
                                   || regel_norm(norm.fte) || ' fte.'
                ELSE sc.coach || ' leidt ' || regel_fte(sc.fte) || ' fte (' || regel_en(sc.eenheden)
                     || '), binnen de norm van ' || regel_norm(norm.fte) || ' fte.' END,
           CASE WHEN k.ww THEN sc.fte END, norm.fte
    FROM r, k, norm, sc WHERE k.org AND r.soort = 'span'

    UNION ALL                                -- 30: one coach per eenheid, except exactly the exceptions
    SELECT r.id, p.eenheid, 'eenheid',
           CASE WHEN p.n = 0 OR p.n > p.max_coaches OR len(p.niet_toegestaan) > 0 THEN 'wijkt af' ELSE 'voldoet' END,
           CASE WHEN p.n = 0 THEN p.eenheid || ' heeft geen coach/coördinator.'
                WHEN p.n > p.max_coaches OR len(p.niet_toegestaan) > 0 THEN
                    p.eenheid
                    || CASE WHEN p.n > p.max_coaches THEN ' heeft ' || p.n || ' coach/coördinatoren ('
                              || regel_en(p.met_aandeel) || ')' ELSE '' END
                    || CASE WHEN p.n > p.max_coaches AND len(p.niet_toegestaan) > 0 THEN ' en' ELSE '' END
                    || CASE WHEN len(p.niet_toegestaan) = 0 THEN ''
                            WHEN p.n = 1 THEN ' deelt coach/coördinator ' || p.coaches[1] || ' met '
                                 || regel_en(list_sort(list_transform(p.niet_toegestaan, lambda x: x.eenheid)))
                            ELSE ' deelt coaches met ' || regel_en(list_sort(list_transform(p.niet_toegestaan,
                                 lambda x: x.eenheid || ' (' || x.coach || ')'))) END
                    || ', terwijl volgens de notitie elke eenheid één eigen coach/coördinator heeft'
                    || CASE WHEN len(p.niet_toegestaan) > 0 THEN ' en alleen ' || uitz.gedeeld || ' er een delen'
                            ELSE '' END
                    || CASE WHEN p.n > p.max_coaches THEN ' en alleen ' || uitz.meer || ' er meer heeft' ELSE '' END
                    || '.'
                WHEN p.n > 1 THEN p.eenheid || ' heeft ' || p.n || ' coach/coördinatoren (' || regel_en(p.met_aandeel)
                                  || '), zoals de notitie toestaat.'
                WHEN len(p.wel_toegestaan) > 0 THEN p.eenheid || ' deelt coach/coördinator ' || p.coaches[1] || ' met '
                    || regel_en(list_sort(list_transform(p.wel_toegestaan, lambda x: x.eenheid)))
                    || ', zoals de notitie toestaat.'
                ELSE p.eenheid || ' heeft één eigen coach/coördinator: ' || p.coaches[1] || '.' END,
           p.n, p.max_coaches
    FROM r, k, uitz, per_eenheid p WHERE k.org AND r.soort = 'coach_per_eenheid'

    UNION ALL                                -- 31: the shared-coach exceptions still in the data
    SELECT x.id, x.onderwerp, 'eenheid', x.status, x.toelichting, x.waarde, 1
    FROM (
        SELECT r.id, regel_en(list(m.memo_naam ORDER BY m.pos)) AS onderwerp,
               CASE WHEN bool_or(len(m.gevonden) <> 1) THEN 'niet te beoordelen'
                    WHEN count(DISTINCT ce.coaches) = 1 AND bool_and(ce.n = 1) THEN 'voldoet'
                    ELSE 'wijkt af' END AS status,
               CASE WHEN bool_or(len(m.gevonden) <> 1) THEN
                        string_agg(CASE WHEN len(m.gevonden) = 0 THEN 'De eenheid ' || m.memo_naam
                                            || ' uit de notitie staat niet in de formatie'
                                            || coalesce(CASE WHEN v.score >= 0.85 THEN ' (lijkt op ' || v.lijkt_op
                                                || ', maar een gelijkende naam telt niet: voeg die spelling toe aan de regel)' END, '')
                                            || '.'
                                        WHEN len(m.gevonden) > 1 THEN 'De eenheid ' || m.memo_naam
                                            || ' uit de notitie past op meer dan één eenheid in de formatie ('
                                            || regel_en(list_sort(m.gevonden_namen)) || ').' END, ' ' ORDER BY m.pos)
                    WHEN count(DISTINCT ce.coaches) = 1 AND bool_and(ce.n = 1) THEN
                        regel_en(list(ce.eenheid ORDER BY m.pos)) || ' delen coach/coördinator '
                        || any_value(ce.coaches[1]) || ', zoals de notitie beschrijft.'
                    ELSE regel_en(list(ce.eenheid || ' (' || CASE WHEN ce.n = 0 THEN 'geen coach'
                                                                 ELSE regel_en(ce.coaches) END || ')' ORDER BY m.pos))
                         || ' delen niet één coach/coördinator, terwijl de notitie hier een gedeelde coach noemt: '
                         || 'een wijziging ten opzichte van de notitie.' END AS toelichting,
               count(DISTINCT ce.coaches)::DOUBLE AS waarde
        FROM r JOIN mg m ON m.id = r.id
        LEFT JOIN mv v ON v.id = m.id AND v.pos = m.pos
        LEFT JOIN ce ON len(m.gevonden) = 1 AND ce.sl = m.gevonden[1]
        WHERE r.soort = 'uitzondering_gedeeld'
        GROUP BY r.id
    ) x, k WHERE k.org

    UNION ALL                                -- 32: the more-coaches exceptions still in the data
    SELECT r.id, m.memo_naam, 'eenheid',
           CASE WHEN len(m.gevonden) <> 1 THEN 'niet te beoordelen' WHEN ce.n = r.aantal THEN 'voldoet' ELSE 'wijkt af' END,
           CASE WHEN len(m.gevonden) = 0 THEN 'De eenheid ' || m.memo_naam || ' uit de notitie staat niet in de formatie'
                    || coalesce(CASE WHEN v.score >= 0.85 THEN ' (lijkt op ' || v.lijkt_op
                                    || ', maar een gelijkende naam telt niet: voeg die spelling toe aan de regel)' END, '')
                    || '.'
                WHEN len(m.gevonden) > 1 THEN 'De eenheid ' || m.memo_naam
                    || ' uit de notitie past op meer dan één eenheid in de formatie ('
                    || regel_en(list_sort(m.gevonden_namen)) || ').'
                WHEN ce.n = r.aantal THEN ce.eenheid || ' heeft ' || ce.n || ' coach/coördinatoren ('
                    || regel_en(ce.met_aandeel) || '), zoals de notitie beschrijft.'
                ELSE ce.eenheid || ' heeft ' || CASE WHEN ce.n = 0 THEN 'geen coach/coördinator'
                                                     WHEN ce.n = 1 THEN '1 coach/coördinator (' || ce.coaches[1] || ')'
                                                     ELSE ce.n || ' coach/coördinatoren (' || regel_en(ce.met_aandeel) || ')' END
                    || ', terwijl de notitie er ' || r.aantal || ' noemt: een wijziging ten opzichte van de notitie.' END,
           ce.n, r.aantal
    FROM r JOIN mg m ON m.id = r.id CROSS JOIN k
    LEFT JOIN mv v ON v.id = m.id AND v.pos = m.pos
    LEFT JOIN ce ON len(m.gevonden) = 1 AND ce.sl = m.gevonden[1]
    WHERE k.org AND r.soort = 'uitzondering_coaches'

    UNION ALL                                -- 40: shares add up to 100 %
    SELECT r.id, ce.eenheid, 'eenheid',
           CASE WHEN abs(ce.totaal - 1) <= 0.0005 THEN 'voldoet' ELSE 'wijkt af' END,
           CASE WHEN ce.n = 0 THEN ce.eenheid || ' heeft geen coach/coördinator, dus 0 % van de eenheid is toegewezen.'
                WHEN abs(ce.totaal - 1) <= 0.0005 AND ce.n = 1 THEN
                    ce.eenheid || ' valt voor 100 % onder ' || ce.coaches[1] || '.'
                WHEN abs(ce.totaal - 1) <= 0.0005 THEN
                    'De aandelen van ' || ce.eenheid || ' tellen op tot 100 % (' || regel_en(ce.met_aandeel) || ').'
                ELSE 'De aandelen van ' || ce.eenheid || ' tellen op tot ' || regel_pct(ce.totaal) || ' in plaats van 100 % ('
                     || regel_en(ce.met_aandeel) || ').' END,
           ce.totaal, 1
    FROM r, k, ce WHERE k.org AND r.soort = 'aandelen'

    UNION ALL                                -- 50: bezetting within formatie
    SELECT r.id, e.eenheid, 'eenheid',
           CASE WHEN NOT k.ww THEN 'niet te beoordelen'
                WHEN e.bezetting_fte - e.formatie_fte > 0.00005 THEN 'wijkt af' ELSE 'voldoet' END,
           CASE WHEN NOT k.ww THEN 'Zonder was/wordt-lijst is de bezetting van ' || e.eenheid || ' onbekend.'
                WHEN e.bezetting_fte - e.formatie_fte > 0.00005 THEN
                    e.eenheid || ' is overbezet: ' || regel_fte(e.bezetting_fte) || ' fte bezet op '
                    || regel_fte(e.formatie_fte) || ' fte formatie (' || regel_fte(e.bezetting_fte - e.formatie_fte)
                    || ' fte meer).'
                WHEN e.formatie_fte - e.bezetting_fte > 0.00005 THEN
                    e.eenheid || ': ' || regel_fte(e.bezetting_fte) || ' fte bezet van ' || regel_fte(e.formatie_fte)
                    || ' fte formatie, ' || regel_fte(e.formatie_fte - e.bezetting_fte) || ' fte vacatureruimte.'
                ELSE e.eenheid || ' is precies volgens de formatie bezet (' || regel_fte(e.formatie_fte) || ' fte).' END,
           CASE WHEN k.ww THEN e.bezetting_fte END, e.formatie_fte
    FROM r, k, e WHERE k.org AND r.soort = 'bezetting'

    UNION ALL                                -- 60: formatie adds up to the build-up total
    SELECT r.id, 'Organisatie', 'organisatie',
           CASE WHEN o.totaal IS NULL THEN 'niet te beoordelen'
                WHEN abs(t.formatie - o.totaal) <= 0.005 THEN 'voldoet' ELSE 'wijkt af' END,
           CASE WHEN o.totaal IS NULL THEN 'Het formatiebestand heeft geen blad Opbouw, dus er is geen totaal om tegen te toetsen.'
                ELSE 'De eenheden hebben samen ' || regel_fte(t.formatie) || ' fte formatie, de opbouw komt uit op '
                     || regel_fte(o.totaal) || ' fte (' || o.hoe || ')'
                     || CASE WHEN abs(t.formatie - o.totaal) <= 0.005 THEN '.'
                             WHEN t.formatie > o.totaal THEN ': ' || regel_fte(t.formatie - o.totaal) || ' fte meer dan de opbouw.'
                             ELSE ': ' || regel_fte(o.totaal - t.formatie) || ' fte minder dan de opbouw.' END END,
           t.formatie, o.totaal
    FROM r, k, (SELECT round(sum(formatie_fte), 4) AS formatie FROM e) t
    LEFT JOIN (SELECT coalesce(fte_opgegeven, fte_berekend) AS totaal,
                      CASE WHEN fte_opgegeven IS NULL THEN 'berekend' ELSE 'opgegeven' END AS hoe
               FROM regel_invoer_opbouw LIMIT 1) o ON TRUE
    WHERE k.org AND r.soort = 'opbouw'

    UNION ALL                                -- 70: every opgave has a strategisch adviseur as opdrachtgever
    SELECT r.id, o.opgave, 'opgave',
           CASE WHEN o.opdrachtgever IS NULL OR list_contains(r.namen, regel_sleutel(o.opdrachtgever)) THEN 'wijkt af'
                WHEN f.functies IS NOT NULL AND NOT f.sa THEN 'wijkt af' ELSE 'voldoet' END,
           CASE WHEN o.opdrachtgever IS NULL OR list_contains(r.namen, regel_sleutel(o.opdrachtgever)) THEN
                    o.opgave || ' heeft geen opdrachtgever' || CASE WHEN o.opdrachtgever IS NULL THEN ''
                        ELSE ' (‘' || o.opdrachtgever || '’)' END || '.'
                WHEN f.functies IS NOT NULL AND NOT f.sa THEN
                    o.opgave || ': opdrachtgever ' || o.opdrachtgever || ' is volgens de was/wordt-lijst '
                    || regel_en(f.functies) || ', geen strategisch adviseur.'
                WHEN f.functies IS NOT NULL THEN
                    o.opgave || ': opdrachtgever is ' || o.opdrachtgever || ', strategisch adviseur volgens de was/wordt-lijst.'
                ELSE o.opgave || ': opdrachtgever is ' || o.opdrachtgever || ', volgens het opgavenregister de '
                     || 'strategisch adviseur (de naam staat niet in de was/wordt-lijst, dus de functie is daar niet nagegaan).' END,
           NULL, NULL
    FROM r, k, regel_invoer_opgave o
    LEFT JOIN (SELECT regel_sleutel(naam) AS sl, list(DISTINCT functie ORDER BY functie) AS functies,
                      bool_or(regel_sleutel(functie) LIKE '%strategisch adviseur%') AS sa
               FROM regel_invoer_functie GROUP BY 1) f ON f.sl = regel_sleutel(o.opdrachtgever)
    WHERE k.opg AND r.soort = 'opdrachtgever'

    UNION ALL                                -- 80: a closed opgave has its evaluation
    SELECT r.id, o.opgave, 'opgave',
           CASE WHEN coalesce(o.evaluatie_gereed, FALSE) THEN 'voldoet' ELSE 'wijkt af' END,
           CASE WHEN coalesce(o.evaluatie_gereed, FALSE) THEN
                    o.opgave || ' is afgesloten en de evaluatie is voltooid'
                    || coalesce(' (' || regel_datum(o.evaluatie_datum) || ')', '') || '.'
                ELSE o.opgave || ' staat op afgesloten, maar de evaluatie is niet voltooid.' END,
           NULL, NULL
    FROM r, k, regel_invoer_opgave o WHERE k.opg AND r.soort = 'evaluatie' AND o.fase = 'afgesloten'

    UNION ALL
    SELECT r.id, 'Opgaven', 'opgaven', 'voldoet', 'Er is geen afgesloten opgave in het register.', NULL, NULL
    FROM r, k WHERE k.opg AND r.soort = 'evaluatie'
      AND NOT EXISTS (SELECT 1 FROM regel_invoer_opgave WHERE fase = 'afgesloten')
    UNION ALL
    SELECT r.id, 'Opgaven', 'opgaven', 'voldoet', 'Het opgavenregister bevat geen opgaven.', NULL, NULL
    FROM r, k WHERE k.opg AND r.soort = 'opdrachtgever' AND NOT EXISTS (SELECT 1 FROM regel_invoer_opgave)
)
SELECT r.regel, u.onderwerp, u.status, u.toelichting, r.bron,
       r.id AS regel_id, r.volgorde, u.onderwerp_soort, u.waarde, u.grens
FROM uitkomst u JOIN r ON r.id = u.id
ORDER BY r.volgorde, lower(u.onderwerp);
-- ================================================================== END regels

-- ================================================================ BEGIN scenario (issue #15)
-- What-if scenarios saved from Organisatie → Scenario's. Never versioned data: a scenario
-- holds its own eenheden and coach rows (JSON), the edits that made them (JSON, in order)
-- and the versions it was based on (JSON {kind: version}). Saving or deleting one touches
-- only this table (stuurbord/data/scenarios.py).
CREATE TABLE IF NOT EXISTS scenario (
    naam VARCHAR PRIMARY KEY, gemaakt_door VARCHAR NOT NULL, gemaakt_op TIMESTAMP NOT NULL,
    gewijzigd_door VARCHAR NOT NULL, gewijzigd_op TIMESTAMP NOT NULL, basis VARCHAR NOT NULL,
    wijzigingen VARCHAR NOT NULL, eenheden VARCHAR NOT NULL, coaches VARCHAR NOT NULL);
-- ================================================================== END scenario
