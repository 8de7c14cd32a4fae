"""Deterministic generator of the synthetic demo workbooks in data/demo/.

All people, numbers and scores are invented (fixed random seed); only the
structure and the headline figures follow the governance memo (notitie
managementstructuur, 1 June 2021): 11 eenheden in 5 clusters, formatie
189,95 fte, bezetting 188 fte in the first was/wordt-lijst and 189,5 fte after
its actualisation, span of attention at most 22 fte per coach.

Fte values are whole contract hours divided by 36 and rounded to 4 decimals
(32 h -> 0,8889). To make the totals exact to the last decimal, the hours are
nudged until the roundings cancel out.

Run: `python etl/demo_data.py [target_dir]` or `build_demo_workbooks(path)`.
"""
from __future__ import annotations

import random
import sys
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

SEED = 20210601
CREATED = datetime(2021, 6, 1)  # workbook metadata, so reruns give identical files
FULLTIME = 36                   # hours in a full-time week
SPAN_NORM = 22.0
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"

# --- organisation -----------------------------------------------------------------------------
# (cluster, eenheid, formatie fte, bezetting in hours in the first and in the actualised was/wordt-lijst).
# Bezetting is close to formatie: most eenheden a little under, two a little over (other ones in June).
EENHEDEN = [
    ("Bestuur en veiligheid", "Realisatieregie", 16.25, 576, 580),
    ("Bestuur en veiligheid", "Bestuur en communicatie", 13.50, 494, 482),
    ("Bestuur en veiligheid", "Ondersteuning", 8.50, 296, 302),
    ("Bestuur en veiligheid", "Openbare Orde en Veiligheid", 9.00, 316, 336),
    ("Bedrijfsvoering", "Financiën en control", 18.39, 658, 658),
    ("Bedrijfsvoering", "Informatie & Automatisering", 19.40, 694, 694),
    ("Bedrijfsvoering", "Post & Archief", 8.80, 310, 314),
    ("Dienstverlening", "Inwonersloket", 21.06, 748, 752),
    ("Openbare ruimte", "Wijkbeheer en groenonderhoud", 37.50, 1314, 1346),
    ("Ruimte", "Ruimtelijke ontwikkeling", 17.61, 626, 630),
    ("Ruimte", "Vergunningen, toezicht en handhaving", 19.94, 736, 728),
]
assert sum(e[3] for e in EENHEDEN) == 188 * 36 and sum(e[4] for e in EENHEDEN) == 189.5 * 36
EENHEID_ORDER = {e[1]: i for i, e in enumerate(EENHEDEN)}
RRG, BEC, OND, OOV, FIN, IA, PA, IWL, WBG, RO, VTH = (e[1] for e in EENHEDEN)

# The actualisation of the was/wordt-lijst: (eenheid, hours) of leavers; (from, to, hours, new function)
# of movers; (eenheid, hours, vacancy filled) of new hires. Fte changes then reach the planned bezetting.
LEAVERS = [(WBG, 36), (FIN, 32), (BEC, 36), (IA, 36)]
MOVERS = [(IWL, BEC, 32, "Medewerker bestuurssecretariaat"), (VTH, OOV, 20, "Boa"),
          (RO, RRG, 36, "Projectleider"), (RRG, RO, 36, "Projectleider ruimtelijke ontwikkeling")]
JOINERS = [(WBG, 36, "Medewerker groenonderhoud"), (WBG, 32, None), (FIN, 28, "Financieel adviseur"),
           (IWL, 36, None), (IA, 36, "Functioneel beheerder")]

# Per eenheid: old WODV departments and the new functions (name, lowest schaal, highest schaal).
FUNCTIES = {
    RRG: (["Bestuurszaken", "Strategie en Beleid"],
          [("Strategisch adviseur", 12, 13), ("Projectleider", 10, 11), ("Beleidsadviseur", 9, 11),
           ("Accounthouder verbonden partijen", 10, 11)]),
    BEC: (["Bestuurszaken", "Communicatie", "Juridische Zaken"],
          [("Communicatieadviseur", 9, 11), ("Bestuursadviseur", 10, 11), ("Juridisch adviseur", 10, 11),
           ("Medewerker bestuurssecretariaat", 7, 8)]),
    OND: (["Facilitaire Zaken", "Secretariaten"],
          [("Managementassistent", 7, 8), ("Secretaresse", 6, 7), ("Medewerker facilitaire zaken", 5, 6),
           ("Bode", 4, 5)]),
    OOV: (["Openbare Orde en Veiligheid", "Toezicht en Handhaving"],
          [("Adviseur openbare orde en veiligheid", 10, 11), ("Boa", 7, 8), ("Medewerker crisisbeheersing", 8, 9)]),
    FIN: (["Financiën", "Belastingen", "Personeel en Organisatie"],
          [("Financieel adviseur", 9, 11), ("Medewerker financiële administratie", 7, 8),
           ("Medewerker belastingen", 7, 9), ("HR-adviseur", 9, 10), ("Controller", 11, 12)]),
    IA: (["Informatievoorziening", "ICT"],
         [("Functioneel beheerder", 8, 10), ("Medewerker servicedesk", 6, 8), ("Netwerkbeheerder", 8, 9),
          ("Adviseur informatiebeveiliging", 10, 11), ("Informatiemanager", 11, 11)]),
    PA: (["Documentaire Informatievoorziening"],
         [("Medewerker post en archief", 6, 7), ("Medewerker documentaire informatievoorziening", 7, 8),
          ("Archivaris", 9, 10)]),
    IWL: (["Publiekszaken", "Klantcontactcentrum"],
          [("Klantcontactmedewerker", 6, 7), ("Medewerker burgerzaken", 7, 8), ("Specialist burgerzaken", 9, 9),
           ("Medewerker Wmo-loket", 8, 8)]),
    WBG: (["Openbare Ruimte", "Beheer en Onderhoud", "Gemeentewerf"],
          [("Medewerker groenonderhoud", 4, 6), ("Medewerker reiniging", 4, 5), ("Voorman groen", 7, 7),
           ("Wijkbeheerder", 8, 9), ("Opzichter openbare ruimte", 8, 9),
           ("Medewerker meldingen openbare ruimte", 6, 7)]),
    RO: (["Ruimtelijke Ontwikkeling", "Verkeer en Vervoer"],
         [("Beleidsadviseur ruimtelijke ordening", 10, 11), ("Projectleider ruimtelijke ontwikkeling", 11, 11),
          ("Adviseur verkeer en mobiliteit", 9, 11), ("Adviseur duurzaamheid", 10, 10),
          ("Medewerker grondzaken", 9, 10)]),
    VTH: (["Vergunningen, Toezicht en Handhaving", "Omgevingsvergunningen"],
          [("Vergunningverlener", 8, 10), ("Toezichthouder bouw- en woningtoezicht", 8, 9), ("Handhaver", 9, 10),
           ("Juridisch medewerker VTH", 9, 10), ("Medewerker bijzondere wetten", 7, 8)]),
}

# (coach, eenheid, aandeel, hours placed in that eenheid, nieuwe functie, schaal). A coach is also a
# person on the was/wordt-lijst; the shared coach of Ondersteuning and OOV has two placements.
COACHES = [
    ("Marieke Proefhuis", RRG, 1, 36, "Loco-gemeentesecretaris, coach Realisatieregie", 14),
    ("Jet Voorbeeld", BEC, 1, 32, "Coach/coördinator", 12),
    ("Kees Verzinsel", OND, 1, 18, "Coach/coördinator", 11),
    ("Kees Verzinsel", OOV, 1, 18, "Coach/coördinator", 11),
    ("Ayşe Denkbeeld", FIN, 1, 36, "Coach/coördinator", 12),
    ("Ruben Testerink", IA, 1, 36, "Coach/coördinator", 12),
    ("Hanneke Demodijk", PA, 1, 32, "Coach/coördinator", 11),
    ("Youssef Bedachtveld", IWL, 1, 36, "Coach/coördinator", 11),
    ("Bram Schijnvliet", WBG, 0.6, 36, "Coach/coördinator", 11),
    ("Noor Fictiefsma", WBG, 0.4, 32, "Coach/coördinator", 11),
    ("Lotte Modelbroek", RO, 1, 32, "Coach/coördinator", 12),
    ("Pieter Zogenaamd", VTH, 1, 36, "Coach/coördinator", 12),
]

# Further persons with two part-time placements: (eenheid, functie, hours) twice.
DUALS = [
    ((PA, "Medewerker post en archief", 20), (IWL, "Klantcontactmedewerker", 16)),
    ((FIN, "Financieel adviseur", 24), (RRG, "Accounthouder verbonden partijen", 12)),
    ((VTH, "Handhaver", 20), (OOV, "Boa", 16)),
]

# The memo's table: how the formation was derived from the WODV (stated figures as printed).
OPBOUW = [
    ("Totaal fte in de WODV", 380, 0.52, "basis", 200.11),
    ("MO in de hosting", 45.57, 0.52, "-", 23.6964),
    ("Informatie & Automatisering en Post & Archief", 28.2, 0.48, "+", 13.536),
]

FIRST_NAMES = """Anna Bas Carlijn Daan Esra Fleur Gijs Hatice Ilse Jeroen Karin Lars Mila Niels Olga Priya Quinten
Roos Sem Tessa Umut Vera Wouter Xander Yara Zeynep Annelies Bart Chantal Dirk Emma Frank Gerda Hamza Ingrid Jasper
Kim Luuk Maaike Nadia Otto Petra Rik Sophie Thijs Ufuk Wendy Yvonne""".split()
SURNAMES = """Voorbeeld Proefhuis Verzinsel Denkbeeld Demodijk Testerink Schijnvliet Bedachtveld Fictiefsma
Modelbroek Zogenaamd Nagemaakt Fantasiehof Oefenaar Proefstra Namaker Schetsma Concepthof Demoveld Testrup
Voorbeeldhuizen Verbeeldt Proefkamp Denkhout""".split()
PREFIXES = ["", "", "", "van", "de", "van der", "ter"]
HOURS = [36, 32, 28, 24, 20, 18, 16, 34, 30, 27]
HOURS_WEIGHTS = [38, 24, 11, 9, 5, 4, 3, 2, 3, 1]
PLAATSING = ["functievolgend", "uitwisselbaar", "passend", "geschikt"]
PLAATSING_WEIGHTS = [80, 11, 6, 3]
# Open positions in the first list: (eenheid, functie, schaal, hours)
VACATURES = [(IA, "Functioneel beheerder", 9, 36), (FIN, "Financieel adviseur", 10, 36),
             (WBG, "Medewerker groenonderhoud", 5, 36), (RO, "Adviseur duurzaamheid", 10, 32),
             (IWL, "Klantcontactmedewerker", 6, 18)]


def fte(hours: int) -> float:
    return round(hours / FULLTIME, 4)


def _units(hours: int) -> int:
    """Fte in units of 0,0001, as written to the workbook."""
    return round(hours * 10000 / FULLTIME)


# --- was/wordt ---------------------------------------------------------------------------------
class _People:
    """Invents persons: unique fictitious names and personeelsnummers (6 digits, leading zeros)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used = {c[0] for c in COACHES}
        self.numbers = [f"{n:06d}" for n in rng.sample(range(1000, 9999), 600)]
        self.by_name: dict[str, str] = {}

    def _invent(self) -> str:
        while True:
            parts = (self.rng.choice(FIRST_NAMES), self.rng.choice(PREFIXES), self.rng.choice(SURNAMES))
            naam = " ".join(p for p in parts if p)
            if naam not in self.used:
                self.used.add(naam)
                return naam

    def new(self, naam: str | None = None) -> tuple[str, str]:
        """(personeelsnummer, naam) of a new person, or of the named one (a coach) when known."""
        naam = naam or self._invent()
        if naam not in self.by_name:
            self.by_name[naam] = self.numbers.pop()
        return self.by_name[naam], naam


def _row(pnr, naam, eenheid, functie, schaal, hours, plaatsing, rng, huidig=None, functies_of=None) -> dict:
    """One placement; the old ('was') position follows the new one unless the placement says otherwise.
    `functies_of`: the demo eenheid whose departments and functions apply (default: `eenheid` itself)."""
    afdelingen, functies = FUNCTIES[functies_of or eenheid]
    if huidig is None:
        if plaatsing in ("functievolgend", "boventallig"):
            huidig = (functie, rng.choice(afdelingen))
        elif plaatsing == "uitwisselbaar":  # a comparable function of the same department
            huidig = (rng.choice([f for f, *_ in functies if f != functie] or [functie]), rng.choice(afdelingen))
        else:  # passend/geschikt: came from another function, often another department
            other = rng.choice(list(FUNCTIES))
            huidig = (rng.choice(FUNCTIES[other][1])[0], rng.choice(FUNCTIES[other][0]))
    return {"pnr": pnr, "naam": naam, "hf": huidig[0], "ha": huidig[1], "nf": functie, "eenheid": eenheid,
            "schaal": schaal, "uren": hours, "pv": plaatsing}


def _filler(people: _People, eenheid: str, hours: int, rng: random.Random, functies_of=None) -> dict:
    """An ordinary person with a random function of the eenheid and a mostly functievolgende placement.
    `people` invents the person (`new()` -> (personeelsnummer, naam)); `functies_of` as in `_row`."""
    functie, lo, hi = rng.choice(FUNCTIES[functies_of or eenheid][1])
    pv = rng.choices(PLAATSING, PLAATSING_WEIGHTS)[0]
    return _row(*people.new(), eenheid, functie, rng.randint(lo, hi), hours, pv, rng, functies_of=functies_of)


def _vacature(eenheid, functie, schaal, hours) -> dict:
    return {"pnr": None, "naam": None, "hf": None, "ha": None, "nf": functie, "eenheid": eenheid,
            "schaal": schaal, "uren": hours, "pv": "vacature"}


def _settle(rows: list[dict], movable: list[dict], target_units: int, rng: random.Random,
            same_eenheid: bool) -> None:
    """Nudge the hours of `movable` rows until the occupied fte add up to exactly target_units.

    First single-hour steps bring the total close; then an hour is moved from one row to another
    (within one eenheid when same_eenheid) until the 4-decimal roundings cancel out.
    """
    def total():
        return sum(_units(r["uren"]) for r in rows if r["pnr"])

    for _ in range(200_000):
        gap = target_units - total()
        if gap == 0:
            return
        if abs(gap) > 150:
            r = rng.choice(movable)
            step = 1 if gap > 0 else -1
            if 12 <= r["uren"] + step <= FULLTIME:
                r["uren"] += step
            continue
        a, b = rng.sample(movable, 2)
        if (same_eenheid and a["eenheid"] != b["eenheid"]) or a["uren"] >= FULLTIME or b["uren"] <= 12:
            continue
        a["uren"] += 1
        b["uren"] -= 1
        if abs(target_units - total()) > abs(gap) or (abs(target_units - total()) == abs(gap) and rng.random() < .5):
            a["uren"] -= 1
            b["uren"] += 1
    raise RuntimeError("could not settle the hours on the target total")


def build_wasword(rng: random.Random) -> tuple[list[dict], list[dict]]:
    """The first was/wordt-lijst (188,00 fte occupied) and its actualisation (189,50 fte)."""
    people = _People(rng)
    rows, fixed_hours = [], {e[1]: 0 for e in EENHEDEN}
    for coach, eenheid, _, hours, functie, schaal in COACHES:
        pnr, naam = people.new(coach)
        rows.append(_row(pnr, naam, eenheid, functie, schaal, hours, "functievolgend", rng,
                         huidig=("Teamleider", rng.choice(FUNCTIES[eenheid][0]))))
        fixed_hours[eenheid] += hours
    for parts in DUALS:
        pnr, naam = people.new()
        for eenheid, functie, hours in parts:
            hi = next(hi for f, _, hi in FUNCTIES[eenheid][1] if f == functie)
            rows.append(_row(pnr, naam, eenheid, functie, hi, hours, "functievolgend", rng))
            fixed_hours[eenheid] += hours
    for eenheid, functie in ((OND, "Medewerker facilitaire zaken"), (WBG, "Medewerker reiniging")):
        pnr, naam = people.new()
        rows.append(_row(pnr, naam, eenheid, "Herplaatsingskandidaat", 5, 36, "boventallig", rng,
                         huidig=(functie, FUNCTIES[eenheid][0][0])))
        fixed_hours[eenheid] += 36

    fillers = []
    for _, eenheid, _, target, _ in EENHEDEN:  # fill each eenheid up to its bezetting in hours
        rest = target - fixed_hours[eenheid]
        while rest > 0:
            h = rng.choices(HOURS, HOURS_WEIGHTS)[0]
            if rest - h < 16:
                h = rest if rest <= FULLTIME else rest - 16
            fillers.append(_filler(people, eenheid, h, rng))
            rest -= h
    rows += fillers
    _settle(rows, [r for r in fillers if r["uren"] < FULLTIME], 188 * 10000, rng, same_eenheid=True)
    rows += [_vacature(*v) for v in VACATURES]
    may = [dict(r) for r in rows]

    # --- actualisation: leavers, movers, joiners, fte changes, a boventallige placed ---
    june = [dict(r) for r in rows]
    ordinary = {r["pnr"] for r in fillers}  # persons with one placement, not a coach or boventallig
    fillers_june = [r for r in june if r["pnr"] in ordinary]

    def take(eenheid, cond=lambda r: True, near=None) -> dict:
        """A random ordinary person of the eenheid (with hours nearest `near`); each person changes once."""
        pool = [r for r in fillers_june if r["eenheid"] == eenheid and cond(r)]
        if near is not None:
            best = min(abs(r["uren"] - near) for r in pool)
            pool = [r for r in pool if abs(r["uren"] - near) == best]
        person = rng.choice(pool)
        fillers_june.remove(person)
        return person

    for eenheid, hours in LEAVERS:
        gone = take(eenheid, near=hours)
        june.remove(gone)
        if eenheid == BEC:  # this position is open again
            june.append(_vacature(BEC, gone["nf"], gone["schaal"], gone["uren"]))
    for src, dst, hours, functie in MOVERS:
        take(src, near=hours).update(eenheid=dst, nf=functie, pv="passend")
    joiners = []
    new_numbers = iter(f"{n:06d}" for n in range(10_112, 10_200, 7))
    for eenheid, hours, fills in JOINERS:  # new hires: no old position, no plaatsingsvorm
        person = _filler(people, eenheid, hours, rng)
        person.update(pnr=next(new_numbers), hf=None, ha=None, pv=None)
        if fills:
            vacature = next(r for r in june if r["pv"] == "vacature" and r["eenheid"] == eenheid and r["nf"] == fills)
            june.remove(vacature)
            person.update(nf=fills, schaal=vacature["schaal"])
        joiners.append(person)
    june += joiners
    # the first boventallige is placed after all, in a function he or she is suited for
    next(r for r in june if r["pv"] == "boventallig").update(nf="Medewerker facilitaire zaken", pv="geschikt")
    # fte changes: persons' hours change until each eenheid has its planned bezetting
    changers = []
    for _, eenheid, _, _, target in EENHEDEN:
        now = sum(r["uren"] for r in june if r["pnr"] and r["eenheid"] == eenheid)
        while now != target:
            changer = take(eenheid, lambda r: 16 <= r["uren"] + target - now <= FULLTIME or
                           (r["uren"] >= 24 if target < now else r["uren"] <= 28))
            new = min(FULLTIME, max(16, changer["uren"] + target - now))
            now, changer["uren"] = now + new - changer["uren"], new
            changers.append(changer)
    _settle(june, changers + [j for j in joiners if j["eenheid"] != WBG], 1895 * 1000, rng, same_eenheid=False)
    _check_spans(may, june)
    return _sorted(may), _sorted(june)


def _check_spans(may: list[dict], june: list[dict]) -> None:
    """The demo's promise: every coach within the norm in May, exactly one just above it in June."""
    for rows, above in ((may, 0), (june, 1)):
        bezetting = {e[1]: sum(fte(r["uren"]) for r in rows if r["pnr"] and r["eenheid"] == e[1]) for e in EENHEDEN}
        span: dict[str, float] = {}
        for coach, eenheid, aandeel, *_ in COACHES:
            span[coach] = span.get(coach, 0) + aandeel * bezetting[eenheid]
        assert sum(v > SPAN_NORM for v in span.values()) == above and max(span.values()) < SPAN_NORM + 1, span


def _sorted(rows: list[dict]) -> list[dict]:
    def key(r):
        coach = r["nf"].startswith(("Coach", "Loco"))
        return (EENHEID_ORDER[r["eenheid"]], r["pv"] == "vacature", not coach, r["nf"], r["naam"] or "")
    return sorted(rows, key=key)


# --- kpi ---------------------------------------------------------------------------------------
# (code, omschrijving, eenheid, streefwaarde, richting, meeteenheid, bron,
#  typical value, spread, decimals, range of Aantal or None)
NORMEN = [
    ("DV-TEL30", "Telefoon binnen 30 seconden opgenomen", IWL, 0.80, "hoger", "%", "dienstverleningsmanifest",
     0.84, 0.03, 3, (2800, 4300)),
    ("DV-MAIL2", "E-mail binnen 2 werkdagen beantwoord", IWL, 0.90, "hoger", "%", "dienstverleningsmanifest",
     0.905, 0.025, 3, (550, 900)),
    ("DV-BALIE15", "Bezoekers aan de balie binnen 15 minuten geholpen", IWL, 0.85, "hoger", "%",
     "dienstverleningsmanifest", 0.90, 0.04, 3, (900, 1500)),
    ("PW-BIJST8", "Aanvraag bijstand (Participatiewet) binnen de wettelijke termijn van 8 weken beslist", RRG,
     0.95, "hoger", "%", "wettelijk", 0.94, 0.03, 3, (8, 22)),
    ("OR-MELD", "Gemiddelde doorlooptijd melding openbare ruimte", WBG, 5, "lager", "dagen", "college",
     4.5, 0.6, 1, (240, 460)),
    ("OR-GROEN", "Beeldkwaliteit groenonderhoud: deel van de schouwpunten op CROW-niveau B of hoger", WBG, 0.90,
     "hoger", "%", "college", 0.91, 0.035, 3, None),
    ("VTH-OMGV", "Omgevingsvergunning binnen de wettelijke termijn verleend", VTH, 0.95, "hoger", "%", "wettelijk",
     0.965, 0.02, 3, (22, 48)),
    ("FIN-FACT30", "Facturen binnen 30 dagen betaald", FIN, 0.90, "hoger", "%", "wettelijk",
     0.925, 0.03, 3, (650, 1050)),
    ("BC-WOO", "Informatieverzoeken (Wob/Woo) binnen de wettelijke termijn afgehandeld", BEC, 0.90, "hoger", "%",
     "wettelijk", 0.82, 0.09, 3, (1, 7)),
    ("KTV", "Klanttevredenheid dienstverlening (rapportcijfer)", None, 7.5, "hoger", "score", "college",
     7.6, 0.25, 1, (60, 150)),
]
PERIODS = [f"{y}-{m:02d}" for y in (2021, 2022) for m in range(1, 13)]
# Deliberate events: (code, period) -> value
KPI_EVENTS = {("DV-TEL30", "2022-03"): 0.52,       # storing telefooncentrale
              ("DV-TEL30", "2022-04"): 0.74,       # recovering
              ("OR-MELD", "2021-07"): 9.4,         # storm damage, many meldingen
              ("VTH-OMGV", "2022-06"): 0.81, ("VTH-OMGV", "2022-07"): 0.86,  # vacancies at VTH
              ("KTV", "2022-03"): 6.6}
NO_SCORES_FROM = {"BC-WOO": "2022-09"}          # not yet delivered for the last months


def build_kpi(rng: random.Random) -> list[tuple]:
    scores = []
    for code, *_, typical, spread, decimals, aantal in NORMEN:
        for period in PERIODS:
            if period >= NO_SCORES_FROM.get(code, "9999"):
                continue
            value = KPI_EVENTS.get((code, period), rng.gauss(typical, spread))
            value = round(min(value, 0.995) if decimals == 3 else value, decimals)
            scores.append((code, period, value, rng.randint(*aantal) if aantal else None))
    return scores


# --- opgaven -----------------------------------------------------------------------------------
D = date
ADVISEURS = ["Iris Bedachtveld", "Joost Proefhuis", "Fatima Verzinsel", "Ruud Denkbeeld"]
WETHOUDERS = ["Wethouder A. Voorbeeld", "Wethouder B. Proefman", "Wethouder C. Fictief", "Burgemeester D. Demo"]
# (opgave, opdrachtgever, portefeuillehouder, fase, start, einde gepland, voortgang, budget, besteed, evaluatie)
OPGAVEN = [
    ("Revitalisering Wassenaarse Slag", 0, 0, "ontwerp", D(2019, 7, 1), D(2023, 6, 30), 0.30, 1_250_000, 186_400, None),
    ("Wilhelminaplein De Kieviet", 1, 0, "afgesloten", D(2019, 9, 1), D(2021, 3, 31), 1.0, 180_000, 172_450,
     D(2021, 4, 20)),
    ("Hoe Wassenaar werkt", 2, 3, "verkenning", D(2021, 7, 8), D(2022, 7, 1), 0.10, 350_000, 42_000, None),
    ("Zaakgericht werken", 3, 3, "uitvoering", D(2021, 1, 4), D(2022, 12, 31), 0.40, 620_000, 231_800, None),
    ("Inclusie en participatie", 2, 1, "besluitvorming", D(2020, 11, 17), D(2022, 6, 30), 0.25, 120_000, 18_300, None),
    ("Social intranet en leerplatform", 3, 3, "uitvoering", D(2021, 2, 1), D(2021, 12, 31), 0.65, 95_000, 61_250, None),
    ("Clusterkamers raadhuis De Paauw", 3, 3, "ontwerp", D(2021, 4, 1), D(2021, 10, 1), 0.20, 140_000, 12_900, None),
    ("Verkeersveilige schoolroutes", 1, 2, "evaluatie", D(2020, 3, 1), D(2021, 8, 31), 0.90, 410_000, 398_700, "nee"),
    ("Ledverlichting openbare ruimte", 1, 2, "afgesloten", D(2019, 4, 1), D(2020, 12, 31), 1.0, 760_000, 781_200,
     None),
    ("Verduurzaming gemeentelijk vastgoed", 0, 1, "verkenning", D(2021, 5, 1), D(2024, 12, 31), 0.05, 2_400_000,
     9_800, None),
]
# (project, opgave, projectleider, intern/extern, fase, voortgang)
PROJECTEN = [
    ("Ontwerp boulevard en strandopgangen", "Revitalisering Wassenaarse Slag", "Ir. Koen Testrup (civiel)", "extern",
     "ontwerp", 0.35),
    ("Accounthouderschap strandexploitanten", "Revitalisering Wassenaarse Slag", "Sophie Oefenaar", "intern",
     "uitvoering", 0.60),
    ("Pluk- en kruidentuin met bewonersvereniging Park de Kieviet", "Wilhelminaplein De Kieviet", "Dirk Namaker",
     "intern", "afgesloten", 1.0),
    ("Onboarding en kennismaken met Wassenaar (appical)", "Hoe Wassenaar werkt", "Esra Schetsma", "intern",
     "verkenning", 0.15),
    ("Uniformering werkprocessen", "Hoe Wassenaar werkt", "Frank Concepthof", "extern", "verkenning", 0.05),
    ("Zaaksysteem en procesinrichting", "Zaakgericht werken", "Gerda Proefkamp", "extern", "uitvoering", 0.45),
    ("Digitaal archief (e-depot)", "Zaakgericht werken", "Thijs Denkhout", "intern", "ontwerp", 0.25),
    ("Inclusiebeleid", "Inclusie en participatie", "Hatice Voorbeeldhuizen", "intern", "besluitvorming", 0.30),
    ("Digitale tribune", "Inclusie en participatie", "Wouter Fantasiehof", "intern", "verkenning", 0.10),
    ("Social intranet", "Social intranet en leerplatform", "Mila Verbeeldt", "intern", "afgesloten", 1.0),
    ("Leerplatform", "Social intranet en leerplatform", "Mila Verbeeldt", "intern", "uitvoering", 0.40),
    ("Inrichting vijf clusterkamers met planborden", "Clusterkamers raadhuis De Paauw", "Otto Nagemaakt", "intern",
     "ontwerp", 0.20),
    ("Schoolzone Rijksstraatweg", "Verkeersveilige schoolroutes", "Jasper Demoveld", "intern", "evaluatie", 0.95),
    ("Vervanging armaturen", "Ledverlichting openbare ruimte", "Petra Proefstra", "extern", "afgesloten", 1.0),
    ("Routekaart verduurzaming", "Verduurzaming gemeentelijk vastgoed", "Vera Schijnvliet", "extern",
     "verkenning", 0.05),
]
# (opgave, mijlpaal, gepland, gerealiseerd); peildatum of the demo opgaven is 1 June 2021
MIJLPALEN = [
    ("Revitalisering Wassenaarse Slag", "Accounthouder Strand aangesteld", D(2019, 7, 1), D(2019, 7, 1)),
    ("Revitalisering Wassenaarse Slag", "Middelen beschikbaar gesteld door de raad", D(2020, 11, 12), D(2020, 11, 12)),
    ("Revitalisering Wassenaarse Slag", "Civiel projectleider aangetrokken", D(2021, 2, 1), D(2021, 3, 15)),
    ("Revitalisering Wassenaarse Slag", "Ontwerp besproken met de strandexploitanten", D(2021, 5, 15), None),
    ("Revitalisering Wassenaarse Slag", "Start uitvoering", D(2022, 1, 10), None),
    ("Wilhelminaplein De Kieviet", "Gezamenlijk ontwerp met bewonersvereniging Park de Kieviet", D(2020, 6, 30),
     D(2020, 7, 14)),
    ("Wilhelminaplein De Kieviet", "Aanleg pluk- en kruidentuin", D(2020, 10, 31), D(2020, 10, 30)),
    ("Wilhelminaplein De Kieviet", "Oplevering en viering met de buurt", D(2021, 3, 31), D(2021, 3, 27)),
    ("Wilhelminaplein De Kieviet", "Evaluatie afgerond", D(2021, 4, 30), D(2021, 4, 20)),
    ("Hoe Wassenaar werkt", "Digitale presentatie voor de zomervakantie", D(2021, 7, 1), None),
    ("Hoe Wassenaar werkt", "Formele start traject", D(2021, 7, 8), None),
    ("Zaakgericht werken", "Keuze zaaksysteem", D(2021, 3, 1), D(2021, 2, 22)),
    ("Zaakgericht werken", "Eerste tien processen zaakgericht", D(2021, 9, 1), None),
    ("Inclusie en participatie", "Nota inclusiebeleid in het college", D(2021, 5, 25), None),
    ("Inclusie en participatie", "Nota inclusiebeleid in de raad", D(2021, 9, 30), None),
    ("Social intranet en leerplatform", "Social intranet live", D(2021, 5, 1), D(2021, 5, 10)),
    ("Social intranet en leerplatform", "Leerplatform live", D(2021, 9, 1), None),
    ("Clusterkamers raadhuis De Paauw", "Ontwerp clusterkamers gereed", D(2021, 6, 15), None),
    ("Verkeersveilige schoolroutes", "Schoolzones aangelegd", D(2021, 3, 31), D(2021, 3, 26)),
    ("Verkeersveilige schoolroutes", "Evaluatie met scholen en ouders", D(2021, 6, 30), None),
    ("Ledverlichting openbare ruimte", "Alle armaturen vervangen", D(2020, 12, 31), D(2020, 12, 18)),
    ("Verduurzaming gemeentelijk vastgoed", "Startnotitie", D(2021, 9, 1), None),
]
# (opgave, eenheid, gevraagd fte, toegezegd fte); Informatie & Automatisering is over-asked
CAPACITEIT = [
    ("Revitalisering Wassenaarse Slag", RRG, 0.8, 0.8), ("Revitalisering Wassenaarse Slag", WBG, 0.6, 0.4),
    ("Revitalisering Wassenaarse Slag", RO, 0.5, 0.5), ("Revitalisering Wassenaarse Slag", VTH, 0.2, 0.2),
    ("Hoe Wassenaar werkt", RRG, 0.6, 0.6), ("Hoe Wassenaar werkt", IA, 0.8, 0.5),
    ("Hoe Wassenaar werkt", BEC, 0.4, 0.4),
    ("Zaakgericht werken", IA, 3.2, 1.8), ("Zaakgericht werken", PA, 1.2, 1.0), ("Zaakgericht werken", IWL, 0.8, 0.6),
    ("Inclusie en participatie", RRG, 0.5, 0.5), ("Inclusie en participatie", BEC, 0.3, 0.2),
    ("Social intranet en leerplatform", IA, 1.6, 1.2), ("Social intranet en leerplatform", BEC, 0.5, 0.5),
    ("Clusterkamers raadhuis De Paauw", OND, 0.6, 0.6), ("Clusterkamers raadhuis De Paauw", IA, 0.9, 0.4),
    ("Verkeersveilige schoolroutes", RO, 0.3, 0.3), ("Verkeersveilige schoolroutes", OOV, 0.2, 0.2),
    ("Verduurzaming gemeentelijk vastgoed", RO, 0.4, 0.2), ("Verduurzaming gemeentelijk vastgoed", FIN, 0.2, None),
]


# --- writing -----------------------------------------------------------------------------------
class Book:
    """A small xlsxwriter wrapper: bold header, per-column number formats, frozen header row."""

    def __init__(self, path: Path):
        self.wb = xlsxwriter.Workbook(str(path))
        self.wb.set_properties({"title": "Stuurbord demo (synthetisch)", "author": "Stuurbord demo",
                                "comments": "Synthetische demogegevens; alle namen zijn verzonnen.",
                                "created": CREATED})
        self.fmt = {k: self.wb.add_format(v) for k, v in {
            "head": {"bold": True, "bottom": 1}, "title": {"bold": True, "font_size": 12},
            "fte": {"num_format": "0.0000"}, "fte2": {"num_format": "0.00"}, "pct": {"num_format": "0%"},
            "date": {"num_format": "dd-mm-yyyy"},
            "eur": {"num_format": "€ #,##0"}, "int": {"num_format": "0"}, "num": {}}.items()}

    def sheet(self, name, headers, rows, formats=(), widths=(), title_rows=()):
        ws = self.wb.add_worksheet(name)
        for i, text in enumerate(title_rows):
            ws.write_string(i, 0, text, self.fmt["title"] if i == 0 else None)
        top = len(title_rows) + (1 if title_rows else 0)
        for c, h in enumerate(headers):
            ws.write_string(top, c, h, self.fmt["head"])
            ws.set_column(c, c, widths[c] if c < len(widths) else max(12, len(h) + 2))
        for r, row in enumerate(rows, start=top + 1):
            for c, value in enumerate(row):
                fmt = self.fmt[formats[c]] if c < len(formats) and formats[c] else None
                if value is None:
                    continue
                if isinstance(value, str):
                    ws.write_string(r, c, value)
                elif isinstance(value, date):
                    ws.write_datetime(r, c, value, self.fmt["date"])
                else:
                    ws.write_number(r, c, value, fmt)
        ws.freeze_panes(top + 1, 0)
        return ws

    def close(self):
        self.wb.close()


def write_organisatie(path: Path, eenheden=EENHEDEN, coaches=COACHES, opbouw=None) -> None:
    """Eenheden (cluster, eenheid, formatie, ...), Coaches (coach, eenheid, aandeel, ...) and Opbouw lines
    (onderdeel, fte onderdeel, percentage, bewerking, fte opgegeven); default: the demo's."""
    book = Book(path)
    book.sheet("Eenheden", ["Cluster", "Eenheid", "Formatie fte"],
               [(c, e, f) for c, e, f, *_ in eenheden], formats=(None, None, "fte2"), widths=(24, 38, 14))
    book.sheet("Coaches", ["Coach", "Eenheid", "Aandeel"], [(c, e, a) for c, e, a, *_ in coaches],
               formats=(None, None, "pct"), widths=(24, 38, 10))
    if opbouw is None:
        opbouw = list(OPBOUW) + [("Totaal fte in Wassenaarse organisatie", None, None, None, 189.95)]
    book.sheet("Opbouw", ["Onderdeel", "Fte onderdeel", "Percentage", "Bewerking", "Fte opgegeven"], opbouw,
               formats=(None, "num", "pct", None, "num"), widths=(46, 14, 12, 12, 14))
    book.close()


def write_wasword(path: Path, rows: list[dict], peildatum: str, label: str,
                  organisatie: str = "gemeente Wassenaar") -> None:
    book = Book(path)
    headers = ["Personeelsnummer", "Naam", "Huidige functie", "Huidige afdeling", "Nieuwe functie", "Eenheid",
               "Schaal", "Fte", "Plaatsingsvorm"]
    data = [(r["pnr"], r["naam"], r["hf"], r["ha"], r["nf"], r["eenheid"], r["schaal"], fte(r["uren"]), r["pv"])
            for r in rows]
    book.sheet("Was-wordt", headers, data, formats=(None,) * 6 + ("int", "fte", None),
               widths=(17, 30, 40, 34, 44, 36, 8, 9, 16),
               title_rows=(f"Was/wordt-lijst {organisatie}, {label} (synthetische demogegevens)",
                           f"Peildatum: {peildatum}"))
    book.close()


def write_kpi(path: Path, scores: list[tuple], normen=NORMEN) -> None:
    book = Book(path)
    normen = [n[:7] for n in normen]
    book.sheet("Normen", ["Code", "Omschrijving", "Eenheid", "Streefwaarde", "Richting", "Meeteenheid", "Bron"],
               normen, widths=(12, 80, 30, 13, 9, 12, 24))
    book.sheet("Scores", ["Code", "Periode", "Waarde", "Aantal"], scores, formats=(None, None, None, "int"),
               widths=(12, 10, 10, 9))
    book.close()


def write_opgaven(path: Path, opgaven=None, projecten=PROJECTEN, mijlpalen=MIJLPALEN,
                  capaciteit=CAPACITEIT) -> None:
    """The four opgaven sheets; `opgaven` rows carry the names of opdrachtgever and portefeuillehouder."""
    book = Book(path)
    if opgaven is None:
        opgaven = [(o, ADVISEURS[a], WETHOUDERS[w], *rest) for o, a, w, *rest in OPGAVEN]
    book.sheet("Opgaven", ["Opgave", "Opdrachtgever", "Portefeuillehouder", "Fase", "Start", "Einde gepland",
                           "Voortgang", "Budget", "Besteed", "Evaluatie gereed"], opgaven,
               formats=(None,) * 6 + ("pct", "eur", "eur", None), widths=(38, 20, 24, 15, 12, 14, 11, 13, 13, 16))
    book.sheet("Projecten", ["Project", "Opgave", "Projectleider", "Intern/extern", "Fase", "Voortgang"], projecten,
               formats=(None,) * 5 + ("pct",), widths=(56, 38, 28, 13, 15, 11))
    book.sheet("Mijlpalen", ["Opgave", "Mijlpaal", "Gepland", "Gerealiseerd"], mijlpalen, widths=(38, 60, 12, 13))
    book.sheet("Capaciteit", ["Opgave", "Eenheid", "Gevraagd fte", "Toegezegd fte"], capaciteit,
               formats=(None, None, "fte2", "fte2"), widths=(38, 38, 13, 14))
    book.close()


def build_demo_workbooks(target_dir: Path = DEFAULT_DIR) -> dict[str, Path]:
    """Write the five demo workbooks into target_dir; returns {file name: path}."""
    target_dir = Path(target_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    may, june = build_wasword(rng)
    scores = build_kpi(random.Random(SEED + 1))
    paths = {name: target_dir / name for name in
             ("organisatie.xlsx", "wasword-2021-05.xlsx", "wasword-2021-06.xlsx", "kpi.xlsx", "opgaven.xlsx")}
    write_organisatie(paths["organisatie.xlsx"])
    write_wasword(paths["wasword-2021-05.xlsx"], may, "01-05-2021", "eerste versie")
    write_wasword(paths["wasword-2021-06.xlsx"], june, "01-06-2021", "geactualiseerde versie")
    write_kpi(paths["kpi.xlsx"], scores)
    write_opgaven(paths["opgaven.xlsx"])
    return paths


if __name__ == "__main__":
    for written in build_demo_workbooks(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR).values():
        print(written)
