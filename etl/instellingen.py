"""Settings that change what Stuurbord shows: stored in `instelling` (key -> text), changed
only by role beheer in the app (Beheer → Instellingen) and recorded in the audit trail.

Each setting names its range; a value outside it is refused with a Dutch message. The
suppression threshold of the raad's figures is not a setting: it is fixed by policy
(stuurbord.access.privacy.DREMPEL) and only shown.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import logboek, store


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    default: float
    low: float
    high: float
    unit: str


SETTINGS = {
    "span_norm_fte": Setting("span_norm_fte", "Norm span of attention", 22, 1, 100, "fte per coach/coördinator"),
    "capaciteit_grens": Setting("capaciteit_grens", "Grens capaciteitsclaim van opgaven", 0.25, 0.01, 1,
                                "deel van de bezetting van een eenheid"),
}


class InvalidSetting(ValueError):
    """The value cannot be stored; the message is Dutch."""


def value(settings: dict, key: str) -> float:
    """A setting as a number from `instelling` rows (text), its default when absent or unreadable."""
    s = SETTINGS[key]
    try:
        return float(settings.get(key, s.default))
    except (TypeError, ValueError):
        return float(s.default)


def change(key: str, new: float, user, db=None) -> tuple[str | None, str]:
    """Store a setting and its audit row in one transaction; returns (old text, new text)."""
    if key not in SETTINGS:
        raise InvalidSetting(f"Er is geen instelling '{key}'.")
    s = SETTINGS[key]
    try:
        number = float(new)
    except (TypeError, ValueError):
        raise InvalidSetting(f"{s.label}: '{new}' is geen getal.") from None
    if not s.low <= number <= s.high:
        raise InvalidSetting(f"{s.label} moet tussen {s.low:g} en {s.high:g} liggen.")
    text = f"{number:g}"
    with store.writer(db) as con:
        con.begin()
        try:
            row = con.execute("SELECT waarde FROM instelling WHERE sleutel = ?", [key]).fetchone()
            con.execute("INSERT OR REPLACE INTO instelling VALUES (?, ?)", [key, text])
            logboek.record(con, user, "instelling", key, None, f"{row[0] if row else '-'} -> {text}")
            con.commit()
        except Exception:
            con.rollback()
            raise
    return (row[0] if row else None), text
