"""Bodies, meetings and actions for the governance tests (built through the services, as users do)."""

from __future__ import annotations

from datetime import date

from warmeveranderen.extensions import db
from warmeveranderen.governance import services


def make_body(coordinator, members, *, kind="steering_group", first=date(2026, 9, 7), today=date(2026, 9, 1),
              unit="weeks", every=8, avoid_holidays=True, items=("Goedkeuring vorig verslag", "Varia"),
              city_id=None, name="Stuurgroep Warme Scholen"):
    """A body whose members are (user, role) pairs, with its meetings planned from `today`."""
    data = dict(kind=kind, name=name, city_id=city_id, purpose="", cadence_unit=unit, cadence_every=every,
                first_meeting_on=first, meeting_time="14:00", duration_minutes=120, location="Brussel",
                standard_items=list(items), avoid_holidays=avoid_holidays)
    body = services.create_body(data, [(u, role, "") for u, role in members], coordinator, today=today)
    db.session.commit()
    return body
