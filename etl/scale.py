"""A synthetic organisation N times the demo: `python -m etl demo --scale N`.

The generator writes the same kinds of workbooks as `etl/demo_data.py` (with its
writers) into a temporary folder, and `etl.demo.load_files` loads them with
`pipeline.load`, so a large organisation takes the real path: the columnar fast
path for was/wordt-lijsten of 2.000 rows or more, the regular one for the rest.
KPI notes are added afterwards with `etl.annotations.add`, as the app does.

The organisation is N *blocks* shaped like the demo: each block has the demo's
11 eenheden (as templates: functions, old departments, schalen, formatie about
the demo's), its coach pattern (one coach shared by two eenheden, one eenheid
with two coaches 60/40 %, the others one coach each), three persons with two
part-time placements and two boventalligen. Clusters do not follow the
blocks: the 11·N eenheden are cut into about 5·√N clusters of varying size.

| figure (N = 100) | rule |
|---|---|
| eenheden, coaches | 11·N (1.100), 11·N coaches on 12·N coach rows |
| clusters | round(5·√N) (50) |
| placements, persons | about 228·N and 224·N (filled up to each eenheid's bezetting) |
| was/wordt versions | 10, peildata one month apart, 01-09-2020 … 01-06-2021 |
| norms, scores | 5·N norms × 60 months (2018-01 … 2022-12), a few without the last months |
| KPI notes | one per deliberate dip, about 2·N |
| opgaven, projects, milestones | 3·N, about 15·N, about 30·N; capacity about 9·N rows |

Spans: the eenheden are sized so that every coach stays at or under the norm
(22 fte) minus 0,2, except the split coach of every fourth block, who is kept
just above it (22,05–22,9 fte) at the last peildatum, as in the demo.
Over-staffing: about 12 % of the eenheden may hold up to 0,6 fte more than their
formatie; the others stay a little under it. About 45 % of the eenheden have an
open position (a vacancy row) in the first list; later, most leavers' positions
open again, and vacancies are filled where the eenheid has room.

Names are obviously fictitious ("Eenheid 0417", "Coach 0093", "Medewerker
012345", "Opgave 017 Energietransitie"); everything is drawn from
`random.Random` seeded with the scale, so the same N gives byte-identical
workbooks and identical figures. Details and measured times: docs/scale.md.

Run: `python etl/scale.py N [target_dir]` writes the workbooks only.
"""
from __future__ import annotations

import math
import random
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):  # `python etl/scale.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "etl"

from . import demo_data as d  # noqa: E402
from .demo import DEMO_USER, load_files  # noqa: E402

MAX_SCALE = 1000            # 228.000 placements: each was/wordt-lijst stays far under the 25 MB import limit
BLOCK = len(d.EENHEDEN)     # eenheden per block (the demo's 11)
SPAN_LIMIT = d.SPAN_NORM - 0.2   # what an ordinary coach may reach, in fte
ABOVE_EVERY = 4             # every 4th block has a coach just above the norm
ABOVE_TEMPLATE = d.WBG      # the eenheid of the demo's coach above the norm (split 60/40)
OVER_SHARE = 0.12           # share of eenheden that may be over-staffed
VACANCY = 0.45              # share of eenheden with an open position in the first was/wordt-lijst

ORGANISATIE_PEILDATUM = date(2021, 6, 1)
KPI_PEILDATUM = date(2022, 12, 31)
OPGAVEN_PEILDATUM = date(2021, 6, 1)
VERSIONS = 10               # was/wordt-lijsten, one month apart, the last on the organisatie's peildatum
NORMS_PER_BLOCK = 5
KPI_PERIODS = [f"{y}-{m:02d}" for y in range(2018, 2023) for m in range(1, 13)]
OPGAVEN_PER_BLOCK = 3

# Monthly changes of the was/wordt-lijst, as a share of the persons (or vacancies) they can happen to.
LEAVE, REOPEN = 0.008, 0.85 # leavers; the share of their positions that becomes a vacancy again
MOVE = 0.003                # to another eenheid, of the same cluster where it has room (passend)
CHANGE_FTE = 0.012          # contract hours up or down
FILL = 0.35                 # vacancies filled by a new hire
PLACE = 0.15                # boventalligen placed after all

NOTE_TEXTS = ["Storing telefooncentrale", "Ziekte en vakantie: minder bezetting", "Migratie naar een nieuw zaaksysteem",
              "Piek in aanvragen na een wetswijziging", "Storm: veel meldingen tegelijk",
              "Vacatures nog niet vervuld", "Achterstand door het inwerken van nieuwe collega's",
              "Uitval koppeling met een landelijke voorziening"]
THEMES = ["Energietransitie", "Woningbouwprogramma", "Klimaatadaptatie", "Omgevingswet", "Zaakgericht werken",
          "Inclusie en participatie", "Verkeersveiligheid", "Verduurzaming vastgoed", "Digitale dienstverlening",
          "Sportaccommodaties", "Armoedebestrijding", "Jeugdzorg in de wijk", "Vernieuwing centrum",
          "Informatiebeveiliging", "Schone straten", "Laadinfrastructuur", "Groen in de wijk",
          "Onderwijshuisvesting", "Regionale samenwerking", "Archief op orde"]
PROJECT_THEMES = ["Verkenning en startnotitie", "Participatie met bewoners", "Ontwerp en bestek", "Aanbesteding",
                  "Uitvoering fase 1", "Uitvoering fase 2", "Communicatie", "Procesinrichting",
                  "Implementatie systeem", "Monitoring en evaluatie", "Subsidieaanvraag", "Juridische toets"]
MILESTONES = ["Startnotitie vastgesteld", "Budget beschikbaar gesteld", "Plan van aanpak gereed",
              "Participatieavond gehouden", "Ontwerp gereed", "Besluit college", "Besluit raad",
              "Aanbesteding gegund", "Start uitvoering", "Tussenrapportage", "Oplevering", "Evaluatie afgerond"]
FASEN = ["verkenning", "ontwerp", "besluitvorming", "uitvoering", "evaluatie", "afgesloten"]
FASE_WEIGHTS = [15, 20, 10, 35, 8, 12]
FASE_VOORTGANG = {"verkenning": (0, 0.15), "ontwerp": (0.1, 0.4), "besluitvorming": (0.15, 0.35),
                  "uitvoering": (0.3, 0.85), "evaluatie": (0.85, 0.98), "afgesloten": (1, 1)}


def check_scale(n: int) -> int:
    if not 1 <= n <= MAX_SCALE:
        raise ValueError(f"scale {n} is outside 1..{MAX_SCALE}")
    return n


def _rng(n: int, part: str) -> random.Random:
    """One generator per part, so a change in one part leaves the others' figures alone."""
    return random.Random(f"{d.SEED}-{n}-{part}")


def _count(rng: random.Random, pool: int, rate: float) -> int:
    """How many of `pool` change this month: about rate·pool, at least one."""
    return min(pool, max(1, round(pool * rate * rng.uniform(0.7, 1.3)))) if pool else 0


def _hours(value: float) -> int:
    return round(value * d.FULLTIME)


# --- organisation ------------------------------------------------------------------------------
@dataclass(eq=False)
class Unit:
    """An eenheid of the synthetic organisation."""
    index: int             # 1-based, the order of the Eenheden sheet
    name: str
    cluster: str
    template: str          # the demo eenheid whose functions, departments and size it follows
    formatie: float
    cap: int               # the most hours it may hold: its formatie, or up to 0,6 fte more (over-staffed)
    target: int            # hours occupied in the first was/wordt-lijst
    floor: int = 0         # the least hours at the last peildatum (the eenheid of a coach above the norm)
    hours: int = 0         # hours occupied now, kept up to date while the history is written


@dataclass
class Organisation:
    n: int
    units: list[Unit]
    blocks: list[dict[str, Unit]]                   # per block: template -> unit
    coaches: list[tuple[str, Unit, float, int, int]]  # (coach, unit, aandeel, hours, schaal), as d.COACHES
    opbouw: list[tuple]

    def spans(self) -> dict[str, float]:
        """Coach -> fte under the coach now (Σ aandeel × bezetting), as the span_per_coach view."""
        span: dict[str, float] = {}
        for coach, unit, aandeel, *_ in self.coaches:
            span[coach] = span.get(coach, 0) + aandeel * unit.hours / d.FULLTIME
        return span


def _cluster_sizes(rng: random.Random, units: int, clusters: int) -> list[int]:
    weights = [rng.uniform(0.6, 1.4) for _ in range(clusters)]
    cuts = [round(units * sum(weights[:i + 1]) / sum(weights)) for i in range(clusters)]
    sizes = [b - a for a, b in zip([0] + cuts, cuts)]
    for i, size in enumerate(sizes):  # at least one eenheid per cluster, taken from the largest
        if size < 1:
            sizes[sizes.index(max(sizes))] -= 1 - size
            sizes[i] = 1
    return sizes


def plan_organisation(n: int) -> Organisation:
    rng = _rng(n, "organisatie")
    width = max(4, len(str(BLOCK * n)))
    n_clusters = max(1, round(5 * math.sqrt(n)))
    cluster_of = [f"Cluster {c + 1:02d}" for c, size in enumerate(_cluster_sizes(rng, BLOCK * n, n_clusters))
                  for _ in range(size)]
    above_share = max(a for _, template, a, *_ in d.COACHES if template == ABOVE_TEMPLATE)
    units, blocks, coaches, named = [], [], [], 0
    for b in range(n):
        block: dict[str, Unit] = {}
        above = b % ABOVE_EVERY == 0
        for t, (_, template, formatie, *_) in enumerate(d.EENHEDEN):
            i = b * BLOCK + t
            unit = Unit(i + 1, f"Eenheid {i + 1:0{width}d}", cluster_of[i], template, 0, 0, 0)
            if above and template == ABOVE_TEMPLATE:
                # span at the last peildatum between 22,05 and 22,9 fte: its floor, cap and formatie
                unit.floor = math.ceil((d.SPAN_NORM + rng.uniform(0.05, 0.6)) / above_share * d.FULLTIME)
                unit.formatie = round(unit.floor / d.FULLTIME + rng.uniform(0.1, 0.5), 2)
                unit.cap, unit.target = _hours(unit.formatie), _hours(unit.formatie - rng.uniform(0.05, 0.35))
            else:
                unit.formatie = formatie * rng.uniform(0.92, 1.18)
            block[template] = unit
            units.append(unit)
        # size the ordinary eenheden so that no coach exceeds SPAN_LIMIT, even over-staffed
        over = {u: (rng.uniform(0.1, 0.6) if rng.random() < OVER_SHARE else 0) for u in block.values()}
        demo_coaches: dict[str, list[tuple[Unit, float]]] = {}
        for coach, template, aandeel, *_ in d.COACHES:
            demo_coaches.setdefault(coach, []).append((block[template], aandeel))
        for parts in demo_coaches.values():
            load = sum(a * (u.formatie + over[u]) for u, a in parts if not u.floor)
            if load > SPAN_LIMIT:
                factor = SPAN_LIMIT / load * rng.uniform(0.9, 1.0)
                for u, _ in parts:
                    if not u.floor:
                        u.formatie, over[u] = u.formatie * factor, over[u] * factor
        for u in block.values():
            if u.floor:
                continue
            u.formatie = round(u.formatie, 2)
            u.cap = math.floor((u.formatie + over[u]) * d.FULLTIME)
            u.target = u.cap if over[u] else _hours(u.formatie - rng.uniform(0.03, 0.4))
        names: dict[str, str] = {}  # the demo's coach -> this block's, numbered in order (a shared coach once)
        for coach, template, aandeel, hours, _, schaal in d.COACHES:
            if coach not in names:
                named += 1
                names[coach] = f"Coach {named:0{width}d}"
            coaches.append((names[coach], block[template], aandeel, hours, schaal))
        blocks.append(block)
    return Organisation(n, units, blocks, coaches, _opbouw(rng, n, units))


def _opbouw(rng: random.Random, n: int, units: list[Unit]) -> list[tuple]:
    """The demo's three Opbouw lines, scaled, with the basis chosen so that the computed total is
    exactly Σ formatie (in hundredths of fte: percentage × fte onderdeel must come out whole)."""
    total = sum(round(u.formatie * 100) for u in units)
    (basis, _, p0, _, _), (minus, m_fte, p1, _, _), (plus, p_fte, p2, _, _) = d.OPBOUW
    p0, p1, p2 = (round(p * 100) for p in (p0, p1, p2))
    m = round(m_fte * 100 * n * rng.uniform(0.9, 1.1))
    p = round(p_fte * 100 * n * rng.uniform(0.9, 1.1))
    while (100 * total + p1 * m - p2 * p) % p0:
        p += 1
    w = (100 * total + p1 * m - p2 * p) // p0
    lines = [(basis, w, p0, "basis"), (minus, m, p1, "-"), (plus, p, p2, "+")]
    rows = [(name, cents / 100, pct / 100, op, cents * pct / 10000) for name, cents, pct, op in lines]
    return rows + [("Totaal fte in de synthetische organisatie", None, None, None, total / 100)]


# --- was/wordt-lijsten ---------------------------------------------------------------------------
class _Staff:
    """Invents persons: 'Medewerker 000123' (numbered in order) with a personeelsnummer of 6 digits
    (leading zeros kept), unique over the whole history."""

    def __init__(self, rng: random.Random, n: int):
        self.numbers = rng.sample(range(1, 1_000_000), 350 * n + 200)
        self.count = 0

    def new(self, naam: str | None = None) -> tuple[str, str]:
        if naam is None:
            self.count += 1
            naam = f"Medewerker {self.count:06d}"
        return f"{self.numbers.pop():06d}", naam


class History:
    """The was/wordt-lijst as it changes month by month. Rows are demo_data row dicts plus
    'role' (coach, dual, boventallig, ordinary, vacature), keyed by a running id."""

    def __init__(self, org: Organisation):
        self.org = org
        self.rng = _rng(org.n, "wasword")
        self.staff = _Staff(self.rng, org.n)
        self.unit = {u.name: u for u in org.units}
        self.rows: dict[int, dict] = {}
        self.next_id = 0
        self._first_list()

    # bookkeeping: every change goes through add/remove, so unit.hours stays the bezetting
    def add(self, row: dict, role: str) -> None:
        row["role"] = role
        self.rows[self.next_id] = row
        self.next_id += 1
        if role != "vacature":
            self.unit[row["eenheid"]].hours += row["uren"]

    def remove(self, key: int) -> dict:
        row = self.rows.pop(key)
        if row["role"] != "vacature":
            self.unit[row["eenheid"]].hours -= row["uren"]
        return row

    def vacancy(self, unit: Unit, functie: str, schaal: int, hours: int) -> None:
        self.add(d._vacature(unit.name, functie, schaal, hours), "vacature")

    def _first_list(self) -> None:
        rng, staff = self.rng, self.staff
        pnr_of: dict[str, str] = {}
        for coach, unit, _, hours, schaal in self.org.coaches:
            pnr = pnr_of.setdefault(coach, staff.new(coach)[0])
            self.add(d._row(pnr, coach, unit.name, "Coach/coördinator", schaal, hours, "functievolgend", rng,
                            huidig=("Teamleider", rng.choice(d.FUNCTIES[unit.template][0])),
                            functies_of=unit.template), "coach")
        for block in self.org.blocks:
            for parts in d.DUALS:
                pnr, naam = staff.new()
                for template, functie, hours in parts:
                    hi = next(hi for f, _, hi in d.FUNCTIES[template][1] if f == functie)
                    self.add(d._row(pnr, naam, block[template].name, functie, hi, hours, "functievolgend", rng,
                                    functies_of=template), "dual")
            for template, functie in ((d.OND, "Medewerker facilitaire zaken"), (d.WBG, "Medewerker reiniging")):
                pnr, naam = staff.new()
                self.add(d._row(pnr, naam, block[template].name, "Herplaatsingskandidaat", 5, 36, "boventallig",
                                rng, huidig=(functie, d.FUNCTIES[template][0][0]), functies_of=template),
                         "boventallig")
        for unit in self.org.units:  # an open position where there is room, then fill up to the bezetting
            rest = unit.target - unit.hours
            if unit.target < unit.cap and not unit.floor and rng.random() < VACANCY:
                functie, lo, hi = rng.choice(d.FUNCTIES[unit.template][1])
                h = rng.choice([36, 36, 32, 28, 24, 18])
                self.vacancy(unit, functie, rng.randint(lo, hi), h)
                rest -= h
            while rest > 0:
                h = rng.choices(d.HOURS, d.HOURS_WEIGHTS)[0]
                if rest - h < 16:
                    h = rest if rest <= d.FULLTIME else rest - 16
                self.add(d._filler(staff, unit.name, h, rng, functies_of=unit.template), "ordinary")
                rest -= h

    def _pool(self, role: str, touched: set[int]) -> list[int]:
        return [k for k, r in self.rows.items() if r["role"] == role and k not in touched]

    def next_month(self, last: bool = False) -> None:
        """One month: leavers (some positions open again), vacancies filled by new hires, movers within
        the cluster, fte changes, boventalligen placed. Nobody changes twice in one month, and no
        eenheid exceeds its cap."""
        rng, touched = self.rng, set()
        pool = self._pool("ordinary", touched)
        for key in sorted(rng.sample(pool, _count(rng, len(pool), LEAVE))):
            gone = self.remove(key)
            if rng.random() < REOPEN:
                self.vacancy(self.unit[gone["eenheid"]], gone["nf"], gone["schaal"], gone["uren"])
        vacancies = self._pool("vacature", touched)
        for key in sorted(rng.sample(vacancies, _count(rng, len(vacancies), FILL))):
            vac, unit = self.rows[key], self.unit[self.rows[key]["eenheid"]]
            if unit.hours + vac["uren"] > unit.cap:
                continue
            self.remove(key)
            pnr, naam = self.staff.new()
            self.add(dict(vac, pnr=pnr, naam=naam, hf=None, ha=None, pv=None), "ordinary")
            touched.add(self.next_id - 1)
        pool = self._pool("ordinary", touched)
        for key in sorted(rng.sample(pool, _count(rng, len(pool), MOVE))):
            self._move(key)
            touched.add(key)
        pool = self._pool("ordinary", touched)
        for key in sorted(rng.sample(pool, _count(rng, len(pool), CHANGE_FTE))):
            self._change_fte(key, rng.choice([-8, -4, -4, -2, 2, 4, 4, 8]))
            touched.add(key)
        for key in self._pool("boventallig", touched):
            if rng.random() < PLACE:
                row, template = self.rows[key], self.unit[self.rows[key]["eenheid"]].template
                functie, lo, hi = rng.choice(d.FUNCTIES[template][1])
                row.update(nf=functie, schaal=rng.randint(lo, hi), pv="geschikt", role="ordinary")
        if last:
            self._keep_floors(touched)

    def _move(self, key: int) -> None:
        rng, row = self.rng, self.rows[key]
        src = self.unit[row["eenheid"]]
        room = [u for u in self.org.units if u is not src and u.hours + row["uren"] <= u.cap]
        room = [u for u in room if u.cluster == src.cluster] or room  # within the cluster where possible
        if not room:
            return
        dst = rng.choice(room)
        functie, lo, hi = rng.choice(d.FUNCTIES[dst.template][1])
        self.remove(key)
        self.rows[key] = dict(row, eenheid=dst.name, nf=functie, schaal=min(hi, max(lo, row["schaal"])),
                              pv="passend")
        dst.hours += row["uren"]
        if rng.random() < 0.5:
            self.vacancy(src, row["nf"], row["schaal"], row["uren"])

    def _change_fte(self, key: int, delta: int) -> None:
        row = self.rows[key]
        unit = self.unit[row["eenheid"]]
        new = min(d.FULLTIME, max(12, row["uren"] + delta))
        if unit.hours + new - row["uren"] > unit.cap:
            return
        unit.hours += new - row["uren"]
        row["uren"] = new

    def _keep_floors(self, touched: set[int]) -> None:
        """The coach of every ABOVE_EVERY-th block stays just above the norm: more hours for some
        persons of that eenheid (fte changes) where leavers took it under."""
        for unit in self.org.units:
            if unit.hours >= unit.floor:
                continue
            persons = [k for k, r in self.rows.items() if r["eenheid"] == unit.name and r["role"] == "ordinary"
                       and r["uren"] < d.FULLTIME and k not in touched]
            while unit.hours < unit.floor:
                if not persons:  # nobody left to work more: a new hire (cap - floor ≥ 0,1 fte = 3,6 h)
                    self.add(d._filler(self.staff, unit.name, unit.cap - unit.hours, self.rng,
                                       functies_of=unit.template), "ordinary")
                    break
                key = self.rng.choice(persons)
                persons.remove(key)
                self._change_fte(key, min(d.FULLTIME - self.rows[key]["uren"], unit.floor - unit.hours))

    def snapshot(self) -> list[dict]:
        order = {u.name: u.index for u in self.org.units}

        def key(r):
            return (order[r["eenheid"]], r["role"] == "vacature", r["role"] != "coach", r["nf"], r["naam"] or "")
        return sorted((dict(r) for r in self.rows.values()), key=key)  # copies: later months change rows


def wasword_peildata() -> list[date]:
    last = ORGANISATIE_PEILDATUM
    months = [last.year * 12 + last.month - 1 - k for k in range(VERSIONS - 1, -1, -1)]
    return [date(m // 12, m % 12 + 1, 1) for m in months]


def build_wasword(org: Organisation) -> Iterator[list[dict]]:
    """VERSIONS was/wordt-lijsten, each a month after the previous (one at a time: at N = 100 each
    holds 23.000 rows)."""
    history = History(org)
    yield history.snapshot()
    for v in range(1, VERSIONS):
        history.next_month(last=v == VERSIONS - 1)
        yield history.snapshot()
    spans = org.spans()
    above = [c for c, fte in spans.items() if fte > d.SPAN_NORM]
    assert len(above) == -(-org.n // ABOVE_EVERY) and max(spans.values()) < d.SPAN_NORM + 1, above


# --- kpi -----------------------------------------------------------------------------------------
def build_kpi(org: Organisation) -> tuple[list[tuple], list[tuple], list[tuple[str, str, str]]]:
    """Norms (as d.NORMEN rows), scores (code, periode, waarde, aantal) and notes (code, periode, tekst):
    5 norms per block after the demo's ten, each on an eenheid of the same kind; a few dip once
    (a note says why), a few lack the last months."""
    rng = _rng(org.n, "kpi")
    by_template: dict[str, list[Unit]] = {}
    for u in org.units:
        by_template.setdefault(u.template, []).append(u)
    normen, scores, notes = [], [], []
    for i in range(NORMS_PER_BLOCK * org.n):
        tpl = d.NORMEN[i % len(d.NORMEN)]
        code, omschrijving, template, streef, richting, meet, bron, typical, spread, decimals, aantal = tpl
        code = f"{code}-{i + 1:04d}"
        eenheid = rng.choice(by_template[template]).name if template else None
        normen.append((code, omschrijving, eenheid, streef, richting, meet, bron))
        periods = KPI_PERIODS
        if rng.random() < 0.05:  # not yet delivered for the last months
            periods = periods[:-rng.randint(1, 4)]
        dip = {}
        if rng.random() < 0.4:
            at = rng.randrange(6, len(periods) - 1)
            sign = -1 if richting == "hoger" else 1
            dip = {periods[at]: sign * rng.uniform(4, 7) * spread, periods[at + 1]: sign * rng.uniform(1.5, 3) * spread}
            notes.append((code, periods[at], rng.choice(NOTE_TEXTS)))
        for period in periods:
            value = rng.gauss(typical, spread) + dip.get(period, 0)
            value = round(max(0.0, min(value, 0.995)) if decimals == 3 else max(0.0, value), decimals)
            scores.append((code, period, value, rng.randint(*aantal) if aantal else None))
    return normen, scores, notes


# --- opgaven -------------------------------------------------------------------------------------
def _month_later(day: date, months: int) -> date:
    m = day.year * 12 + day.month - 1 + months
    return date(m // 12, m % 12 + 1, min(day.day, 28))


def build_opgaven(org: Organisation) -> tuple[list, list, list, list]:
    rng = _rng(org.n, "opgaven")
    n_opgaven = OPGAVEN_PER_BLOCK * org.n
    width = max(3, len(str(n_opgaven)))
    adviseurs = [f"Adviseur {k:02d}" for k in range(1, max(4, round(0.4 * org.n)) + 1)]
    wethouders = [f"Wethouder {k}" for k in range(1, min(8, 3 + org.n // 25) + 1)] + ["Burgemeester"]
    leiders = [f"Projectleider {k:04d}" for k in range(1, 4 * org.n + 5)]
    peil = OPGAVEN_PEILDATUM
    opgaven, projecten, mijlpalen, capaciteit = [], [], [], []
    for i in range(1, n_opgaven + 1):
        name = f"Opgave {i:0{width}d} {rng.choice(THEMES)}"
        fase = rng.choices(FASEN, FASE_WEIGHTS)[0]
        if fase == "afgesloten":
            einde = date(2019, 1, 1) + timedelta(days=rng.randrange(0, (peil - date(2019, 1, 1)).days - 60))
            start = _month_later(einde, -rng.randint(6, 30))
        else:
            start = date(2018, 1, 1) + timedelta(days=rng.randrange(0, (date(2021, 5, 1) - date(2018, 1, 1)).days))
            einde = _month_later(start, rng.randint(6, 48))
        voortgang = round(rng.uniform(*FASE_VOORTGANG[fase]), 2)
        budget = rng.randrange(50, 3000) * 1000
        besteed = round(budget * voortgang * rng.uniform(0.7, 1.2) / 50) * 50
        evaluatie = None
        if fase == "afgesloten" and rng.random() > 0.06:  # a few closed without evaluation: a warning
            evaluatie = min(peil, einde + timedelta(days=rng.randint(10, 60)))
        elif fase == "evaluatie":
            evaluatie = "nee"
        opgaven.append((name, rng.choice(adviseurs), rng.choice(wethouders), fase, start, einde, voortgang,
                        budget, besteed, evaluatie))
        for _ in range(rng.randint(2, 8)):
            p_fase = FASEN[rng.randint(0, FASEN.index(fase))] if fase != "afgesloten" else "afgesloten"
            projecten.append((f"Project {len(projecten) + 1:05d} {rng.choice(PROJECT_THEMES)}", name,
                              rng.choice(leiders), rng.choices(["intern", "extern"], [7, 3])[0], p_fase,
                              round(rng.uniform(*FASE_VOORTGANG[p_fase]), 2)))
        k = rng.randint(4, 16)  # milestones in the order of MILESTONES, more progress reports where k > 12
        steps = [MILESTONES[s] for s in sorted(rng.sample(range(len(MILESTONES)), min(k, len(MILESTONES))))]
        at = next((i for i, step in enumerate(steps) if step in MILESTONES[-2:]), len(steps))
        steps[at:at] = ["Tussenrapportage"] * (k - len(steps))  # before Oplevering and Evaluatie
        span = (einde - start).days
        for j, step in enumerate(steps):
            gepland = start + timedelta(days=round(span * (j + 1) / (k + 1)) + rng.randint(-10, 10))
            gerealiseerd = None
            if gepland < peil and (fase == "afgesloten" or rng.random() < 0.82):
                delay = rng.choice([rng.randint(-10, 0), 0, rng.randint(1, 75)])
                gerealiseerd = min(peil, gepland + timedelta(days=delay))
            mijlpalen.append((name, f"{j + 1}. {step}", gepland, gerealiseerd))
        for unit in rng.sample(org.units, rng.randint(1, 5)):
            gevraagd = round(rng.uniform(0.1, 2.0), 1)
            toegezegd = rng.choices([gevraagd, round(gevraagd * rng.uniform(0.3, 0.9), 1), None], [55, 35, 10])[0]
            capaciteit.append((name, unit.name, gevraagd, toegezegd))
    return opgaven, projecten, mijlpalen, capaciteit


# --- writing -------------------------------------------------------------------------------------
@dataclass
class ScaleBuild:
    """The written workbooks in load order: (path, kind, peildatum); and the KPI notes to add."""
    files: list[tuple[Path, str, date]] = field(default_factory=list)
    notes: list[tuple[str, str, str]] = field(default_factory=list)


def write_workbooks(n: int, target_dir: Path, out: ScaleBuild) -> Iterator[tuple[Path, str, date]]:
    """Write the workbooks of scale n into target_dir one by one, yielding (path, kind, peildatum) of
    each when written, in load order: organisatie first (the reference for the eenheden), then kpi
    (whose notes are in `out.notes` once it is yielded) and opgaven, then the was/wordt history."""
    check_scale(n)
    target_dir = Path(target_dir)
    target_dir.mkdir(parents=True, exist_ok=True)

    def done(path, kind, peildatum):
        out.files.append((path, kind, peildatum))
        return path, kind, peildatum
    org = plan_organisation(n)
    path = target_dir / f"organisatie-x{n}.xlsx"
    d.write_organisatie(path, [(u.cluster, u.name, u.formatie) for u in org.units],
                        [(c, u.name, a) for c, u, a, *_ in org.coaches], org.opbouw)
    yield done(path, "organisatie", ORGANISATIE_PEILDATUM)
    normen, scores, out.notes = build_kpi(org)
    path = target_dir / f"kpi-x{n}.xlsx"
    d.write_kpi(path, scores, normen)
    yield done(path, "kpi", KPI_PEILDATUM)
    path = target_dir / f"opgaven-x{n}.xlsx"
    d.write_opgaven(path, *build_opgaven(org))
    yield done(path, "opgaven", OPGAVEN_PEILDATUM)
    for peildatum, rows in zip(wasword_peildata(), build_wasword(org)):
        path = target_dir / f"wasword-x{n}-{peildatum:%Y-%m}.xlsx"
        d.write_wasword(path, rows, f"{peildatum:%d-%m-%Y}", f"stand {peildatum:%m-%Y}",
                        organisatie=f"synthetische gemeente (schaal {n})")
        yield done(path, "wasword", peildatum)


def build_scale_workbooks(n: int, target_dir: Path) -> ScaleBuild:
    """Write all workbooks of scale n into target_dir (deterministic, byte-identical per n)."""
    out = ScaleBuild()
    for _ in write_workbooks(n, target_dir, out):
        pass
    return out


def load_scale(n: int, db=None, log=print) -> list:
    """Build scale n in a temporary folder, loading each workbook through the pipeline as soon as it
    is written; add the KPI notes (etl.annotations, as the app does) when the kpi file is new."""
    from . import annotations
    results = []
    with tempfile.TemporaryDirectory(prefix="stuurbord-schaal-") as tmp:
        built = ScaleBuild()
        for path, kind, peildatum in write_workbooks(n, Path(tmp), built):
            result, = load_files([(path, kind, peildatum)], db=db, log=log)  # as the demo's user
            results.append(result)
            if kind == "kpi" and result.loaded:  # notes belong to codes, not to a version: added once
                annotations.add_many(built.notes, DEMO_USER, db=db)  # one write, one snapshot
                log(f"{len(built.notes)} notities bij kpi-scores toegevoegd.")
    return results


if __name__ == "__main__":
    scale = check_scale(int(sys.argv[1]))
    for written, *_ in build_scale_workbooks(scale, Path(sys.argv[2] if len(sys.argv) > 2 else ".")).files:
        print(written)
