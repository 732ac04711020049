"""The forum: sessions with their agenda and minutes, advice rounds, advice, responses and decisions.

A round's subject is generic (``subject_kind`` + ``subject_id``, see ``forum/subjects.py``); the
title is kept as a snapshot so lists and the archive need no loader. A recorded decision is never
updated: a correction is a new decision whose ``corrects_id`` points at the one it replaces.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, event, false, text, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.fulltext import document_index
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.models import Sprint
from warmeveranderen.timeutil import utcnow

STANCE_CODES = ("support", "concerns", "objection")
OBJECTION_KIND_CODES = ("principled", "personal")
OUTCOME_CODES = ("adopt", "adjust", "postpone", "drop")


def _in(column: str, codes) -> str:
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


class ForumSession(db.Model):
    """A meeting of the forum (forumbijeenkomst), normally at the end of a sprint."""

    __tablename__ = "forum_sessions"
    __table_args__ = (
        Index("ix_forum_sessions_school_starts", "school_id", "starts_at"),
        # The reminders and calendar feeds look for sessions in a date window over all schools.
        Index("ix_forum_sessions_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    sprint_id: Mapped[int | None] = mapped_column(ForeignKey("sprints.id", ondelete="SET NULL"), index=True)
    # Naive UTC, like every stored datetime.
    starts_at: Mapped[datetime]
    location: Mapped[str] = mapped_column(String(200), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The minutes (verslag): a summary in Markdown; attendance in ForumAttendance / ForumGuests.
    minutes_summary: Mapped[str] = mapped_column(Text, default="")
    minutes_recorded_at: Mapped[datetime | None]
    minutes_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    school: Mapped[School] = relationship()
    sprint: Mapped[Sprint | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    minutes_recorded_by: Mapped[User | None] = relationship(foreign_keys=[minutes_recorded_by_id])
    rounds: Mapped[list[AdviceRound]] = relationship(
        back_populates="session", order_by="[AdviceRound.position, AdviceRound.id]"
    )
    attendance: Mapped[list[ForumAttendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )
    guests: Mapped[list[ForumGuests]] = relationship(back_populates="session", cascade="all, delete-orphan")

    @property
    def has_minutes(self) -> bool:
        return self.minutes_recorded_at is not None


# The school's search (PostgreSQL): the same document as the forum's search sources.
document_index("ix_forum_sessions_search", ForumSession.__table__.c.minutes_summary)


class ForumAttendance(db.Model):
    """A person who attended a session, with the group they were there for."""

    __tablename__ = "forum_attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("forum_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # A stakeholder group, or "flywheel" / "adviser" (see forum.services.ATTENDANCE_GROUPS).
    group: Mapped[str] = mapped_column(String(20))

    session: Mapped[ForumSession] = relationship(back_populates="attendance")
    user: Mapped[User] = relationship()


class ForumGuests(db.Model):
    """Attendees without an account, counted per group (e.g. twelve parents at an open forum)."""

    __tablename__ = "forum_guests"
    __table_args__ = (
        UniqueConstraint("session_id", "group"),
        CheckConstraint("count >= 0", name="count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("forum_sessions.id", ondelete="CASCADE"), index=True)
    group: Mapped[str] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(default=0)

    session: Mapped[ForumSession] = relationship(back_populates="guests")


class AdviceRound(db.Model):
    """An advice request (adviesvraag) on one subject, with a question and a deadline."""

    __tablename__ = "advice_rounds"
    __table_args__ = (
        Index("ix_advice_rounds_subject", "subject_kind", "subject_id"),
        Index("ix_advice_rounds_school_deadline", "school_id", "deadline"),
        # The reminders look for deadlines in a window over all schools.
        Index("ix_advice_rounds_deadline", "deadline"),
        # One round without decision per subject, also when two people open one at the same moment.
        Index("uq_advice_rounds_open_subject", "subject_kind", "subject_id", unique=True,
              sqlite_where=text("decided = 0"), postgresql_where=text("NOT decided")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int]
    subject_title: Mapped[str] = mapped_column(String(255))
    question: Mapped[str] = mapped_column(Text)
    background: Mapped[str] = mapped_column(Text, default="")
    # Naive UTC; advice is accepted while now < deadline.
    deadline: Mapped[datetime]
    # On a session's agenda, or put to the forum between sessions (None).
    session_id: Mapped[int | None] = mapped_column(ForeignKey("forum_sessions.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    # What the session said about it, for the minutes.
    session_note: Mapped[str] = mapped_column(Text, default="")
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by the first decision (see `_mark_round_decided`); only the unique index above reads it.
    decided: Mapped[bool] = mapped_column(default=False, server_default=false())

    school: Mapped[School] = relationship()
    session: Mapped[ForumSession | None] = relationship(back_populates="rounds")
    opened_by: Mapped[User | None] = relationship()
    advice: Mapped[list[Advice]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="Advice.created_at"
    )
    comments: Mapped[list[RoundComment]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundComment.created_at"
    )
    guests: Mapped[list[RoundGuest]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundGuest.id"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="round", order_by="Decision.decided_at", foreign_keys="Decision.round_id"
    )

    def is_open(self, now: datetime | None = None) -> bool:
        """Advice may still be given (the deadline has not passed)."""
        return (now or utcnow()) < self.deadline

    @property
    def current_decision(self) -> Decision | None:
        """The decision in force: the latest one that no later decision corrects."""
        corrected = {d.corrects_id for d in self.decisions if d.corrects_id}
        current = [d for d in self.decisions if d.id not in corrected]
        return current[-1] if current else None

    def state(self, now: datetime | None = None) -> str:
        """open (advice may be given), closed (awaiting responses and a decision) or decided."""
        if self.decisions:
            return "decided"
        return "open" if self.is_open(now) else "closed"


class Advice(db.Model):
    """One forum member's advice in a round; revisable until the deadline."""

    __tablename__ = "advice"
    __table_args__ = (
        UniqueConstraint("round_id", "author_id"),
        CheckConstraint(_in("stance", STANCE_CODES), name="stance"),
        # Only an objection has a kind, and every objection has one (seed 001).
        CheckConstraint(f"(stance = 'objection' AND objection_kind IS NOT NULL AND "
                        f"{_in('objection_kind', OBJECTION_KIND_CODES)}) OR "
                        "(stance != 'objection' AND objection_kind IS NULL)", name="objection_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("advice_rounds.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The group the author spoke for when giving the advice.
    stakeholder_group: Mapped[str | None] = mapped_column(String(20))
    stance: Mapped[str] = mapped_column(String(20))
    # "principled" or "personal" for an objection (domain.OBJECTION_KINDS), else None.
    objection_kind: Mapped[str | None] = mapped_column(String(20))
    reasoning: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    revisions: Mapped[int] = mapped_column(default=0)

    round: Mapped[AdviceRound] = relationship(back_populates="advice")
    author: Mapped[User] = relationship()
    response: Mapped[AdviceResponse | None] = relationship(
        back_populates="advice", cascade="all, delete-orphan", uselist=False
    )

    @property
    def is_principled_objection(self) -> bool:
        return self.stance == "objection" and self.objection_kind == "principled"


class RoundGuest(db.Model):
    """Someone asked for advice on a round without being a forum member (the author of the idea behind an
    initiative: initiatiefrecht mits adviesplicht). Who to ask comes from the `@advice_invitees` parts."""

    __tablename__ = "advice_round_guests"
    __table_args__ = (UniqueConstraint("round_id", "user_id", name="uq_advice_round_guests_round_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("advice_rounds.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Why this person is asked (e.g. "indiener van het idee"), in Dutch as written when the round opened.
    reason: Mapped[str] = mapped_column(String(200), default="")

    round: Mapped[AdviceRound] = relationship(back_populates="guests")
    user: Mapped[User] = relationship()


class AdviceResponse(db.Model):
    """What the initiator does with one piece of advice (revisable until the decision)."""

    __tablename__ = "advice_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    advice_id: Mapped[int] = mapped_column(ForeignKey("advice.id", ondelete="CASCADE"), unique=True)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    advice: Mapped[Advice] = relationship(back_populates="response")
    author: Mapped[User | None] = relationship()


class RoundComment(db.Model):
    """A remark on a round that is not advice: advisers (supporting role), the flywheel, anyone involved."""

    __tablename__ = "advice_round_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("advice_rounds.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    round: Mapped[AdviceRound] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()


class Decision(db.Model):
    """A recorded decision (besluit) on a round; immutable, corrected only by a newer decision."""

    __tablename__ = "forum_decisions"
    __table_args__ = (
        CheckConstraint(_in("outcome", OUTCOME_CODES), name="outcome"),
        Index("ix_forum_decisions_school_decided", "school_id", "decided_at"),
        # One decision per round; further decisions are corrections (corrects_id is unique as well).
        Index("uq_forum_decisions_round_first", "round_id", unique=True,
              sqlite_where=text("corrects_id IS NULL"), postgresql_where=text("corrects_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("advice_rounds.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A correction points at the decision it replaces; each decision is corrected at most once.
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum_decisions.id", ondelete="SET NULL"), unique=True
    )
    # Snapshots for the archive's filters.
    subject_kind: Mapped[str] = mapped_column(String(40))
    subject_title: Mapped[str] = mapped_column(String(255))
    sprint_id: Mapped[int | None] = mapped_column(ForeignKey("sprints.id", ondelete="SET NULL"), index=True)
    building_block: Mapped[str | None] = mapped_column(String(20))
    secondary_block: Mapped[str | None] = mapped_column(String(20))

    round: Mapped[AdviceRound] = relationship(back_populates="decisions", foreign_keys=[round_id])
    school: Mapped[School] = relationship()
    decided_by: Mapped[User | None] = relationship()
    sprint: Mapped[Sprint | None] = relationship()
    corrects: Mapped[Decision | None] = relationship(remote_side=[id], foreign_keys=[corrects_id])


# The school's search (PostgreSQL): the same document as the forum's search sources.
document_index("ix_decisions_search", Decision.__table__.c.subject_title, Decision.__table__.c.reasons)


class ImmutableDecisionError(Exception):
    pass


@event.listens_for(Decision, "before_update")
def _refuse_decision_update(_mapper, _connection, target: Decision) -> None:
    """A recorded decision is never edited in place; record a correction instead."""
    raise ImmutableDecisionError(f"decision {target.id} is recorded and cannot be changed")


@event.listens_for(Decision, "after_insert")
def _mark_round_decided(_mapper, connection, target: Decision) -> None:
    """A decided round no longer counts as the subject's open round (uq_advice_rounds_open_subject)."""
    connection.execute(update(AdviceRound).where(AdviceRound.id == target.round_id).values(decided=True))
