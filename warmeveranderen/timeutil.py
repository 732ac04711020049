"""Time helpers. Datetimes are stored as naive UTC (Flask-Babel's convention); dates are Brussels dates."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def utcnow() -> datetime:
    """The current time as naive UTC, the form in which every datetime column is stored."""
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    """Today's date in Brussels, where the schools are."""
    return datetime.now(BRUSSELS).date()


def to_local(value: datetime) -> datetime:
    """A stored naive-UTC datetime as an aware Brussels datetime."""
    return value.replace(tzinfo=UTC).astimezone(BRUSSELS)
