"""An initiative's action plan (actieplan): tasks with people, a due date and a checklist, and the
ambitions or guiding principles of the vision an initiative realises.

A task belongs to one initiative (and, for reads across a school, to its school). Its checklist items
are small steps ticked off one by one, as on a Trello card. A vision link names an ambition by its
text in the version it was chosen from (ambitions are a Markdown list in the vision, without ids) or
a guiding principle by its theme code; the vision page matches them against the current version.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.fulltext import document_index
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.models import Initiative
from warmeveranderen.timeutil import utcnow

task_assignees = Table(
    "action_task_assignees",
    db.metadata,
    Column("task_id", Integer, ForeignKey("action_tasks.id", ondelete="CASCADE"), primary_key=True),
    # The feed and "my tasks" look a person's tasks up.
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Task(db.Model):
    """One task (taak) of an initiative's action plan."""

    __tablename__ = "action_tasks"
    __table_args__ = (
        Index("ix_action_tasks_initiative_position", "initiative_id", "position"),
        # The reminders look for open tasks due in a date window, over all schools.
        Index("ix_action_tasks_done_due", "done", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # What to do and how (Markdown, optional).
    notes: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date | None]
    done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Order within the plan: lower comes first.
    position: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Deleting an initiative through the ORM deletes its tasks through the ORM too, so that their
    # attachments go with them (the files layer removes a registered parent's files in the same flush).
    initiative: Mapped[Initiative] = relationship(
        backref=backref("tasks", cascade="all, delete-orphan", order_by="(Task.position, Task.id)")
    )
    school: Mapped[School] = relationship()
    assignees: Mapped[list[User]] = relationship(secondary=task_assignees, order_by="User.name")
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    checklist: Mapped[list[ChecklistItem]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="(ChecklistItem.position, ChecklistItem.id)"
    )

    @property
    def checklist_done(self) -> int:
        return sum(1 for item in self.checklist if item.done)

    def is_overdue(self, day: date) -> bool:
        return not self.done and self.due_date is not None and self.due_date < day

    def __repr__(self) -> str:
        return f"<Task {self.id} {self.title!r}{' done' if self.done else ''}>"



document_index("ix_action_tasks_search", Task.__table__.c.title, Task.__table__.c.notes)

class ChecklistItem(db.Model):
    """One step of a task's checklist."""

    __tablename__ = "action_checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("action_tasks.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(200))
    done: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    task: Mapped[Task] = relationship(back_populates="checklist")


class VisionLink(db.Model):
    """An initiative works on an ambition or a guiding principle of the school's vision."""

    __tablename__ = "initiative_vision_links"
    __table_args__ = (
        UniqueConstraint("initiative_id", "kind", "target", name="uq_initiative_vision_links_target"),
        CheckConstraint("kind IN ('ambition', 'principle')", name="kind"),
        Index("ix_initiative_vision_links_school", "school_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    # The ambition's text (as the vision words it), or the principle's theme code.
    target: Mapped[str] = mapped_column(String(400))
    # The vision version it was chosen from (a later version may word the ambition differently).
    version_number: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    initiative: Mapped[Initiative] = relationship()
