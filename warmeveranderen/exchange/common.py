"""What the data exchange's importers share: the result of an import and reading a cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

from warmeveranderen.tracking.imports import YES

NO_VALUES = {"", "nee", "no", "0", "false", "onwaar"}


@dataclass
class ExchangeResult:
    """How an import went: rows that added something, that changed something, that were already so."""

    created: int = 0
    changed: int = 0
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line number in the file, reason)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused


def words(row: dict, key: str) -> str:
    """A cell as one line of single-spaced text."""
    return " ".join((row.get(key) or "").split())


def yes(row: dict, key: str, reasons: list[str]) -> bool:
    value = words(row, key).lower()
    if value in YES:
        return True
    if value not in NO_VALUES:
        reasons.append(_("%(column)s '%(value)s' is niet 'ja' of leeg", column=key, value=value))
    return False


def day(row: dict, key: str, reasons: list[str]) -> date | None:
    text = words(row, key)
    if not text:
        return None
    value = None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            value = datetime.strptime(text, pattern).date()
            break
        except ValueError:
            continue
    if value is None or not date(2000, 1, 1) <= value <= date(2100, 12, 31):
        reasons.append(_("%(column)s '%(value)s' is geen datum (JJJJ-MM-DD)", column=key, value=text))
    return value
