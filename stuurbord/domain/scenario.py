"""What-if scenarios of the organisation: pure functions, no Streamlit, no store.

A scenario starts from the current organisation (`vandaag`) and applies edits, each a small
dict (`Wijziging`), in order: move an eenheid or a share of it to another coach, add or
remove a coach, split or merge eenheden, change an eenheid's formatie or bezetting. The
result is an `Organisatie`: hashable, so pages pass it to `data.get` and the spans and rule
results are computed once per state. The rules are the memo's, evaluated by
`stuurbord.domain.regels.evalueer` on the scenario's eenheden and coaches, with everything
else (opgaven, opbouw, settings) as loaded (docs/rules.md).

Figures, as in the views: a coach's span is Σ aandeel × bezetting (rounded to 4 decimals),
personen Σ aandeel × personen (1 decimal). A split divides formatie, bezetting and personen
by the given part; a merge adds them and keeps every coach's fte (the merged shares are
weighted by bezetting). Changing bezetting (a vacancy filled) leaves personen as they were.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..ui import fmt
from . import regels

EENHEID_KOLOMMEN = ("cluster", "eenheid", "formatie_fte", "bezetting_fte", "personen")
COACH_KOLOMMEN = ("coach", "eenheid", "aandeel")
MAX_NAAM = 80

# edit kinds -> Dutch label (the edit list on the page and in a saved scenario)
VERPLAATS_EENHEID = "verplaats_eenheid"
VERPLAATS_AANDEEL = "verplaats_aandeel"
COACH_ERBIJ = "coach_erbij"
COACH_ERAF = "coach_eraf"
SPLITS = "splits"
VOEG_SAMEN = "voeg_samen"
FORMATIE = "formatie"
BEZETTING = "bezetting"


class OngeldigeWijziging(ValueError):
    """The edit cannot be applied; the message is Dutch and meant for the user."""


@dataclass(frozen=True)
class Organisatie:
    """Eenheden (cluster, eenheid, formatie_fte, bezetting_fte, personen), coach rows (coach,
    eenheid, aandeel) and coaches without an eenheid (added in the scenario). `herkomst`
    maps an eenheid of the loaded organisation to the scenario's eenheid it went into (merge)."""
    eenheden: tuple
    coaches: tuple
    zonder_eenheid: tuple = ()
    herkomst: tuple = field(default=())

    # --- as frames ------------------------------------------------------------------------
    def eenheden_df(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.eenheden), columns=list(EENHEID_KOLOMMEN))

    def coaches_df(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.coaches), columns=list(COACH_KOLOMMEN))

    def coachnamen(self) -> list[str]:
        return sorted({c[0] for c in self.coaches} | set(self.zonder_eenheid), key=str.lower)

    def eenheidnamen(self) -> list[str]:
        return [e[1] for e in self.eenheden]

    def als_json(self) -> dict:
        return {"eenheden": [list(e) for e in self.eenheden], "coaches": [list(c) for c in self.coaches],
                "zonder_eenheid": list(self.zonder_eenheid), "herkomst": [list(h) for h in self.herkomst]}

    @classmethod
    def uit_json(cls, d: dict) -> "Organisatie":
        return cls(tuple(tuple(e) for e in d["eenheden"]), tuple(tuple(c) for c in d["coaches"]),
                   tuple(d.get("zonder_eenheid", ())), tuple(tuple(h) for h in d.get("herkomst", ())))


def vandaag(eenheid: pd.DataFrame, coach: pd.DataFrame) -> Organisatie:
    """The current organisation from the rule inputs (regel_invoer_eenheid, regel_invoer_coach)."""
    e = tuple((r.cluster, r.eenheid, float(r.formatie_fte), float(r.bezetting_fte), float(r.personen))
              for r in eenheid.itertuples(index=False))
    c = tuple((r.coach, r.eenheid, float(r.aandeel)) for r in coach.itertuples(index=False))
    return Organisatie(e, tuple(sorted(c, key=lambda x: (x[0].lower(), x[1].lower()))))


def uit_invoer(invoer: regels.Invoer) -> Organisatie:
    """The current organisation from the rule inputs."""
    return vandaag(invoer.eenheid, invoer.coach)


# --- edits -----------------------------------------------------------------------------------------
def _key(name) -> str:
    return " ".join(str(name or "").split()).lower()


def _find(names, name: str, what: str) -> str:
    hit = [n for n in names if _key(n) == _key(name)]
    if not hit:
        raise OngeldigeWijziging(f"{what} ‘{name}’ bestaat niet in dit scenario.")
    return hit[0]


def _nieuwe_naam(name, bestaand, what: str) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise OngeldigeWijziging(f"Geef de nieuwe {what} een naam.")
    if len(name) > MAX_NAAM:
        raise OngeldigeWijziging(f"Een naam is maximaal {MAX_NAAM} tekens.")
    if any(_key(n) == _key(name) for n in bestaand):
        raise OngeldigeWijziging(f"Er is al een {what} ‘{name}’.")
    return name


def _fte(value, what: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise OngeldigeWijziging(f"{what} is geen getal.") from None
    if v != v or v < 0 or v > 10000:
        raise OngeldigeWijziging(f"{what} moet tussen 0 en 10.000 fte liggen.")
    return round(v, 4)


def _fractie(value, what: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise OngeldigeWijziging(f"{what} is geen getal.") from None
    if not 0 < v < 1:
        raise OngeldigeWijziging(f"{what} moet tussen 0 % en 100 % liggen.")
    return v


def _tidy(coaches: list) -> tuple:
    """Merge duplicate (coach, eenheid) rows, drop zero shares, sort."""
    out: dict = {}
    for coach, eenheid, aandeel in coaches:
        key = (coach, eenheid)
        out[key] = round(out.get(key, 0.0) + aandeel, 6)
    return tuple(sorted(((c, e, a) for (c, e), a in out.items() if a > 1e-9),
                        key=lambda x: (x[0].lower(), x[1].lower())))


def toepassen(org: Organisatie, w: dict) -> Organisatie:
    """The organisation after one edit, or OngeldigeWijziging with a Dutch message."""
    soort = w.get("soort")
    eenheden, coaches = list(org.eenheden), list(org.coaches)
    zonder = list(org.zonder_eenheid)
    namen = org.eenheidnamen()
    if soort == VERPLAATS_EENHEID:
        e = _find(namen, w["eenheid"], "De eenheid")
        naar = _find(org.coachnamen(), w["naar"], "De coach/coördinator")
        coaches = [c for c in coaches if c[1] != e] + [(naar, e, 1.0)]
        zonder = [z for z in zonder if z != naar]
    elif soort == VERPLAATS_AANDEEL:
        e = _find(namen, w["eenheid"], "De eenheid")
        van = _find([c[0] for c in coaches if c[1] == e], w["van"], f"De coach/coördinator van {e}")
        naar = _find(org.coachnamen(), w["naar"], "De coach/coördinator")
        if naar == van:
            raise OngeldigeWijziging("Kies een andere coach/coördinator om het aandeel naar te verplaatsen.")
        deel = _fractie(w["aandeel"], "Het aandeel")
        heeft = sum(c[2] for c in coaches if c[0] == van and c[1] == e)
        if deel > heeft + 1e-9:
            raise OngeldigeWijziging(f"{van} heeft {fmt.pct(heeft, 0)} van {e}; er kan niet meer worden verplaatst.")
        coaches = [c for c in coaches if not (c[0] == van and c[1] == e)] + [(van, e, heeft - deel), (naar, e, deel)]
        zonder = [z for z in zonder if z != naar]
    elif soort == COACH_ERBIJ:
        zonder.append(_nieuwe_naam(w["naam"], org.coachnamen(), "coach/coördinator"))
    elif soort == COACH_ERAF:
        weg = _find(org.coachnamen(), w["naam"], "De coach/coördinator")
        opvolger = w.get("opvolger")
        if opvolger:
            opvolger = _find([n for n in org.coachnamen() if n != weg], opvolger, "De opvolger")
            coaches = [(opvolger, c[1], c[2]) if c[0] == weg else c for c in coaches]
            zonder = [z for z in zonder if z != opvolger]
        else:
            coaches = [c for c in coaches if c[0] != weg]
        zonder = [z for z in zonder if z != weg]
        return _af(org, eenheden, coaches, zonder, org.herkomst, weg=weg)
    elif soort == SPLITS:
        e = _find(namen, w["eenheid"], "De eenheid")
        nieuw = _nieuwe_naam(w["nieuwe_naam"], namen, "eenheid")
        deel = _fractie(w["deel"], "Het deel voor de nieuwe eenheid")
        i = namen.index(e)
        cl, _, formatie, bezetting, personen = eenheden[i]
        eenheden[i] = (cl, e, round(formatie * (1 - deel), 4), round(bezetting * (1 - deel), 4),
                       round(personen * (1 - deel), 4))
        eenheden.insert(i + 1, (cl, nieuw, round(formatie * deel, 4), round(bezetting * deel, 4),
                                round(personen * deel, 4)))
        coach = w.get("coach")
        if coach:
            coach = _find(org.coachnamen(), coach, "De coach/coördinator")
            coaches.append((coach, nieuw, 1.0))
            zonder = [z for z in zonder if z != coach]
        else:  # the new eenheid keeps the coaches of the old one, with the same shares
            coaches += [(c[0], nieuw, c[2]) for c in coaches if c[1] == e]
    elif soort == VOEG_SAMEN:
        a = _find(namen, w["eenheid"], "De eenheid")
        b = _find([n for n in namen if n != a], w["met"], "De tweede eenheid")
        naam = " ".join(str(w.get("nieuwe_naam") or "").split()) or a
        if _key(naam) not in (_key(a), _key(b)):
            naam = _nieuwe_naam(naam, namen, "eenheid")
        ia, ib = namen.index(a), namen.index(b)
        ea, eb = eenheden[ia], eenheden[ib]
        merged = (ea[0], naam, round(ea[2] + eb[2], 4), round(ea[3] + eb[3], 4), round(ea[4] + eb[4], 4))
        total = ea[3] + eb[3]
        fte: dict = {}
        for c in coaches:
            if c[1] in (a, b):
                bez = ea[3] if c[1] == a else eb[3]
                weight = c[2] * bez if total > 0 else c[2] / 2
                fte[c[0]] = fte.get(c[0], 0.0) + weight
        norm = total if total > 0 else sum(fte.values())
        coaches = [c for c in coaches if c[1] not in (a, b)] + [(c, naam, v / norm) for c, v in fte.items()]
        eenheden[ia] = merged
        del eenheden[ib]
        herkomst = [(o, naam if n in (a, b) else n) for o, n in org.herkomst] or \
                   [(n, naam if n in (a, b) else n) for n in namen]
        return _af(org, eenheden, coaches, zonder, herkomst)
    elif soort in (FORMATIE, BEZETTING):
        e = _find(namen, w["eenheid"], "De eenheid")
        i = namen.index(e)
        row = list(eenheden[i])
        row[2 if soort == FORMATIE else 3] = _fte(w["fte"], "De formatie" if soort == FORMATIE else "De bezetting")
        eenheden[i] = tuple(row)
    else:
        raise OngeldigeWijziging(f"Onbekende wijziging ‘{soort}’.")
    return _af(org, eenheden, coaches, zonder, org.herkomst, weg=w.get("naam") if soort == COACH_ERAF else None)


def _af(org: Organisatie, eenheden, coaches, zonder, herkomst, weg=None) -> Organisatie:
    """The new organisation; a coach who lost every eenheid stays, without one (only
    `coach_eraf` removes a coach)."""
    coaches = _tidy(coaches)
    over = {c[0] for c in org.coaches} - {c[0] for c in coaches} - {weg}
    zonder = sorted((set(zonder) | over) - {c[0] for c in coaches} - {weg}, key=str.lower)
    return Organisatie(tuple(eenheden), coaches, tuple(zonder), tuple(herkomst))


def alles_toepassen(org: Organisatie, wijzigingen: list[dict]) -> tuple[Organisatie, list[str]]:
    """Apply edits in order; an edit that no longer fits (e.g. replayed on newer data) is
    skipped and its message returned."""
    problemen = []
    for w in wijzigingen:
        try:
            org = toepassen(org, w)
        except (OngeldigeWijziging, KeyError) as exc:
            problemen.append(f"{beschrijving(w)}: {exc}")
    return org, problemen


def beschrijving(w: dict) -> str:
    """The edit in one Dutch phrase (the edit list, a saved scenario)."""
    s = w.get("soort")
    if s == VERPLAATS_EENHEID:
        return f"{w['eenheid']} naar {w['naar']}"
    if s == VERPLAATS_AANDEEL:
        return f"{fmt.pct(w['aandeel'], 0)} van {w['eenheid']} van {w['van']} naar {w['naar']}"
    if s == COACH_ERBIJ:
        return f"Nieuwe coach/coördinator {w['naam']}"
    if s == COACH_ERAF:
        return f"Coach/coördinator {w['naam']} eraf" + (f", eenheden naar {w['opvolger']}" if w.get("opvolger") else "")
    if s == SPLITS:
        return f"{w['eenheid']} gesplitst: {fmt.pct(w['deel'], 0)} naar nieuwe eenheid {w['nieuwe_naam']}"
    if s == VOEG_SAMEN:
        return f"{w['eenheid']} en {w['met']} samengevoegd" + (f" tot {w['nieuwe_naam']}" if w.get("nieuwe_naam") else "")
    if s == FORMATIE:
        return f"Formatie {w['eenheid']}: {fmt.fte(w['fte'])} fte"
    if s == BEZETTING:
        return f"Bezetting {w['eenheid']}: {fmt.fte(w['fte'])} fte"
    return str(s)


# --- what a scenario shows --------------------------------------------------------------------
def span(org: Organisatie, norm: float) -> pd.DataFrame:
    """Per coach, as the view span_per_coach computes it: coach, eenheden, fte, personen,
    formatie_fte, aantal_eenheden, boven_norm. Coaches without an eenheid lead 0 fte."""
    e = org.eenheden_df()
    c = org.coaches_df().merge(e, on="eenheid", how="left")
    rows = []
    for coach, d in c.groupby("coach", sort=False):
        d = d.sort_values("eenheid", key=lambda s: s.str.lower())
        rows.append({"coach": coach, "eenheden": ", ".join(d["eenheid"]),
                     "fte": round(float((d["aandeel"] * d["bezetting_fte"]).sum()), 4),
                     "personen": round(float((d["aandeel"] * d["personen"]).sum()), 1),
                     "formatie_fte": round(float((d["aandeel"] * d["formatie_fte"]).sum()), 4),
                     "aantal_eenheden": len(d)})
    rows += [{"coach": z, "eenheden": "", "fte": 0.0, "personen": 0.0, "formatie_fte": 0.0, "aantal_eenheden": 0}
             for z in org.zonder_eenheid]
    out = pd.DataFrame(rows, columns=["coach", "eenheden", "fte", "personen", "formatie_fte", "aantal_eenheden"])
    out["boven_norm"] = out["fte"] > norm
    return out.sort_values(["fte", "coach"], ascending=[False, True]).reset_index(drop=True)


def span_vergelijking(voor: Organisatie, na: Organisatie, norm: float) -> pd.DataFrame:
    """Per coach (in either): eenheden and fte before and after, the difference, and whether
    the coach is above the norm before and after."""
    a, b = span(voor, norm), span(na, norm)
    m = a.merge(b, on="coach", how="outer", suffixes=("_voor", "_na"))
    for col in ("fte_voor", "fte_na", "personen_voor", "personen_na"):
        m[col] = m[col].fillna(0.0)
    for col in ("eenheden_voor", "eenheden_na"):
        m[col] = m[col].fillna("")
    for col in ("boven_norm_voor", "boven_norm_na"):
        m[col] = m[col].fillna(False).astype(bool)
    m["verschil"] = (m["fte_na"] - m["fte_voor"]).round(4)
    m = m.sort_values(["fte_na", "coach"], ascending=[False, True]).reset_index(drop=True)
    return m[["coach", "eenheden_voor", "fte_voor", "eenheden_na", "fte_na", "verschil", "personen_voor",
              "personen_na", "boven_norm_voor", "boven_norm_na"]]


def span_vergelijking_selectie(cmp: pd.DataFrame, n: int) -> pd.DataFrame:
    """The coaches worth a bar in the comparison chart (span_vergelijking's order kept): all
    when there are at most `n`; else every coach whose span changed or who is above the norm
    before or after, then the largest other spans, up to `n` (at least all of the former)."""
    if len(cmp) <= n:
        return cmp
    belangrijk = (cmp["verschil"].abs() > 0.00005) | cmp["boven_norm_voor"] | cmp["boven_norm_na"]
    rest = cmp[~belangrijk].head(max(0, n - int(belangrijk.sum())))
    return cmp[belangrijk | cmp.index.isin(rest.index)]


def invoer(basis: regels.Invoer, org: Organisatie) -> regels.Invoer:
    """The rule inputs of a scenario: its eenheden and coaches, everything else as loaded."""
    return basis.met(eenheid=org.eenheden_df(), coach=org.coaches_df())


def regels_van(basis: regels.Invoer, org: Organisatie, norm: float | None = None) -> pd.DataFrame:
    """The memo's rules checked on the scenario (the same definition as the view)."""
    return regels.evalueer(invoer(basis, org), norm)


def regels_vergelijking(voor: pd.DataFrame, na: pd.DataFrame) -> pd.DataFrame:
    """The rule results that differ between two evaluations (by rule and subject): regel,
    onderwerp, status_voor, status_na, toelichting_na (or the old one when the subject is gone)."""
    key = ["regel_id", "onderwerp"]
    m = voor[key + ["volgorde", "regel", "status", "toelichting"]].merge(
        na[key + ["volgorde", "regel", "status", "toelichting"]], on=key, how="outer", suffixes=("_voor", "_na"))
    m["volgorde"] = m["volgorde_na"].fillna(m["volgorde_voor"])
    m["regel"] = m["regel_na"].fillna(m["regel_voor"])
    changed = (m["status_voor"].fillna("") != m["status_na"].fillna("")) | \
              (m["toelichting_voor"].fillna("") != m["toelichting_na"].fillna(""))
    m = m[changed].assign(status_voor=lambda d: d["status_voor"].fillna("–"),
                          status_na=lambda d: d["status_na"].fillna("–"),
                          toelichting=lambda d: d["toelichting_na"].fillna(d["toelichting_voor"]))
    return m.sort_values(["volgorde", "onderwerp"])[["regel_id", "regel", "onderwerp", "status_voor", "status_na",
                                                     "toelichting"]].reset_index(drop=True)


def regels_vergelijking_van(basis: regels.Invoer, voor: Organisatie, na: Organisatie) -> pd.DataFrame:
    """regels_vergelijking of two organisations evaluated on the same inputs."""
    return regels_vergelijking(regels_van(basis, voor), regels_van(basis, na))


def capaciteit_per_coach(org: Organisatie, per_eenheid: pd.DataFrame, grens: float) -> pd.DataFrame:
    """The opgaven's capacity claims per eenheid (opgaven.capaciteit_per_eenheid) carried to
    the coaches who lead those eenheden, by aandeel: gevraagd and toegezegd fte per coach
    against the coach's span, overvraagd when asked > grens × span. An eenheid merged in the
    scenario carries the claims of the eenheden it came from."""
    cols = ["coach", "eenheden", "gevraagd_fte", "toegezegd_fte", "span_fte", "aandeel_gevraagd", "overvraagd"]
    if per_eenheid is None or per_eenheid.empty:
        return pd.DataFrame(columns=cols)
    naar = {_key(o): n for o, n in org.herkomst}
    claims: dict = {}
    for r in per_eenheid.itertuples(index=False):
        e = _key(naar.get(_key(r.eenheid), r.eenheid))
        g, t = claims.get(e, (0.0, 0.0))
        claims[e] = (g + float(r.gevraagd_fte), t + float(r.toegezegd_fte))
    sp = span(org, float("inf")).set_index("coach")
    rows = []
    for coach, d in org.coaches_df().groupby("coach"):
        gevraagd = sum(a * claims.get(_key(e), (0, 0))[0] for e, a in zip(d["eenheid"], d["aandeel"]))
        toegezegd = sum(a * claims.get(_key(e), (0, 0))[1] for e, a in zip(d["eenheid"], d["aandeel"]))
        fte = float(sp.loc[coach, "fte"])
        share = gevraagd / fte if fte > 0 else (float("inf") if gevraagd > 0 else 0.0)
        rows.append({"coach": coach, "eenheden": sp.loc[coach, "eenheden"], "gevraagd_fte": round(gevraagd, 4),
                     "toegezegd_fte": round(toegezegd, 4), "span_fte": fte, "aandeel_gevraagd": share,
                     "overvraagd": share > grens})
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["aandeel_gevraagd", "coach"], ascending=[False, True]).reset_index(drop=True)
