"""The minutes of a forum session (verslag): who attended, per group, a summary and a note per agenda item.

Like the other forum services (forum/services.py), this changes state and flushes; the request commits.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import LONG_TEXT_MAX
from warmeveranderen.extensions import db
from warmeveranderen.forum.models import ForumAttendance, ForumGuests, ForumSession
from warmeveranderen.forum.queries import ATTENDANCE_GROUPS, attendance_candidates
from warmeveranderen.forum.services import ForumError, _check_text
from warmeveranderen.timeutil import utcnow


def record_minutes(session: ForumSession, by: User, *, summary: str, present_user_ids: list[int],
                   guests: dict[str, int], item_notes: dict[int, str], now: datetime | None = None) -> None:
    """Write the session's minutes: who attended (by group), a summary and a note per agenda item."""
    now = now or utcnow()
    if now < session.starts_at:
        raise ForumError(_("De bijeenkomst heeft nog niet plaatsgevonden; het verslag volgt erna."))
    summary = (summary or "").strip()
    if not summary:
        raise ForumError(_("Schrijf een korte samenvatting van de bijeenkomst."), "summary")
    _check_text(summary, LONG_TEXT_MAX, "summary")
    for note in item_notes.values():
        _check_text(note, LONG_TEXT_MAX, "summary")
    for group, count in guests.items():
        if group not in ATTENDANCE_GROUPS or count is None or count < 0:
            raise ForumError(_("Het aantal aanwezigen per groep is een positief getal."), "guests")
    candidates = {user.id: group for user, group in attendance_candidates(session.school)}
    session.attendance.clear()
    db.session.flush()
    for user_id in dict.fromkeys(present_user_ids):
        if user_id in candidates:
            session.attendance.append(ForumAttendance(user_id=user_id, group=candidates[user_id]))
    existing = {g.group: g for g in session.guests}
    for group, count in guests.items():
        if group in existing:
            existing[group].count = count
        elif count:
            session.guests.append(ForumGuests(group=group, count=count))
    for advice_round in session.rounds:
        if advice_round.id in item_notes:
            advice_round.session_note = (item_notes[advice_round.id] or "").strip()
    session.minutes_summary = summary
    session.minutes_recorded_at = now
    session.minutes_recorded_by = by
    db.session.flush()

