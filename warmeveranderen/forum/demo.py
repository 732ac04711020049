"""Demo data of the forum: the demo school's forum session at the end of sprint 1."""

from __future__ import annotations

from warmeveranderen.extensions import db
from warmeveranderen.forum.models import ForumSession
from warmeveranderen.forum.queries import proposed_session_start
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.models import Sprint


def load_forum_demo(school: School) -> None:
    """Plan the forum of sprint 1 (once); the forum members (parent, pupil) come with the demo accounts."""
    sprint = db.session.scalar(db.select(Sprint).where(Sprint.school_id == school.id, Sprint.number == 1))
    if sprint is None:
        return
    exists = db.session.scalar(db.select(ForumSession.id).where(ForumSession.sprint_id == sprint.id))
    if exists is None:
        db.session.add(ForumSession(
            school_id=school.id, sprint_id=sprint.id, starts_at=proposed_session_start(sprint),
            location="Refter, campus Voskenslaan",
            notes="We stellen de initiatieven van sprint 1 voor en vragen jullie advies. "
                  "Koffie en thee vanaf 18.45 uur; ouders en leerlingen zijn welkom.",
        ))
    db.session.flush()
