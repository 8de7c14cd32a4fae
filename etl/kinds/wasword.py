"""Kind wasword: one row per placement; vacancies; eenheden checked against the formatie.

Written column-wise (pyarrow) because a was/wordt-lijst can have 50,000 rows:
rules are masks over whole columns, and only offending rows are visited. That
is what lets the kind take the columnar reader (contract: `columnar=True`).
"""
from __future__ import annotations

from ..sheets import Issue
from ..startup import lazy
from ..values import fold
from . import Built, Context, fmt_num, known_list

MAX_FTE_PER_PERSON = 1.2
np, pa, pc = lazy("numpy"), lazy("pyarrow"), lazy("pyarrow.compute")  # imported while fastexcel parses


def _rows(mask) -> np.ndarray:
    return np.flatnonzero(pc.fill_null(mask, False).to_numpy(zero_copy_only=False))


def build(sheets: dict, ctx: Context) -> Built:
    sheet = sheets["Was-wordt"]
    out = Built()
    if not ctx.eenheden:
        sheet.error("er is nog geen formatie (soort 'organisatie') geladen, dus de eenheden zijn onbekend. "
                    "Laad eerst het formatiebestand met de bladen Eenheden en Coaches.")
        return out
    cols, rownums = sheet.as_arrays()
    n = len(rownums)
    if n == 0:
        out.tables["ww_plaatsing"] = []
        return out
    rows = np.asarray(rownums)
    errors: list[tuple[int, Issue]] = []
    pnr = cols["personeelsnummer"].cast(pa.string())
    naam = cols["naam"].cast(pa.string())
    vorm = cols["plaatsingsvorm"].cast(pa.string())
    fte = cols["fte"].cast(pa.float64())

    vacancy = pc.or_(pc.fill_null(pc.equal(vorm, "vacature"), False),
                     pc.and_(pc.is_null(pnr), pc.is_null(naam)))
    pnr_field = "personeelsnummer" if "personeelsnummer" in sheet.columns else "naam"
    for i in _rows(pc.and_(pc.invert(vacancy), pc.is_null(pnr))):
        errors.append((rows[i], Issue("Personeelsnummer ontbreekt (verplicht, behalve bij een vacature).",
                                      sheet.name, sheet.ref(pnr_field, int(rows[i])))))

    # eenheden: resolved once per distinct name against the current formatie
    encoded = pc.dictionary_encode(cols["eenheid"].cast(pa.string()))
    canon = [ctx.eenheden.get(fold(name)) for name in encoded.dictionary.to_pylist()]
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    for code, (name, found) in enumerate(zip(encoded.dictionary.to_pylist(), canon)):
        if found is None:
            for i in np.flatnonzero(codes == code):
                errors.append((rows[i], Issue(
                    f"eenheid '{name}' bestaat niet in de huidige formatie (organisatie versie "
                    f"{ctx.organisatie_version}). Bekende eenheden: {known_list(ctx.eenheden.values())}.",
                    sheet.name, sheet.ref("eenheid", int(rows[i])))))
    eenheid = pa.array(canon, pa.string()).take(encoded.indices) if canon else pa.nulls(n, pa.string())
    sheet.errors.extend(issue for _, issue in sorted(errors, key=lambda e: e[0]))

    # a person (personeelsnummer) may have several placements, together at most 1,2 fte
    # (numpy bincount over dictionary codes: Table.group_by would import pyarrow.acero, +0,3 s)
    person = pc.and_(pc.and_(pc.invert(vacancy), pc.is_valid(pnr)), pc.is_valid(fte))
    people = pc.dictionary_encode(pnr.filter(person))
    sums = np.bincount(people.indices.to_numpy(zero_copy_only=False),
                       weights=fte.filter(person).to_numpy(zero_copy_only=False),
                       minlength=len(people.dictionary))
    names = people.dictionary.to_pylist()
    for code in np.flatnonzero(sums > MAX_FTE_PER_PERSON + 1e-9):
        who, total = names[code], float(sums[code])
        idx = _rows(pc.and_(person, pc.equal(pnr, who)))
        cells = ", ".join(sheet.ref("fte", int(rows[i])) for i in idx)
        sheet.error(f"personeelsnummer {who} heeft samen {fmt_num(total, 4).rstrip('0').rstrip(',')} fte (cellen {cells}); "
                    f"meer dan {fmt_num(MAX_FTE_PER_PERSON, 1)} fte per persoon is niet toegestaan.",
                    int(rows[idx[-1]]), "fte")

    out.tables["ww_plaatsing"] = pa.table({
        "rij": pa.array(rownums, pa.int32()), "personeelsnummer": pnr, "naam": naam,
        "huidige_functie": cols["huidige_functie"].cast(pa.string()),
        "huidige_afdeling": cols["huidige_afdeling"].cast(pa.string()),
        "nieuwe_functie": cols["nieuwe_functie"].cast(pa.string()), "eenheid": eenheid,
        "schaal": cols["schaal"].cast(pa.int32()), "fte": fte, "plaatsingsvorm": vorm, "is_vacature": vacancy})
    out.rows = n
    return out
