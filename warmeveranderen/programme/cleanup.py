"""Correcting the structure: a warm city, learning network or school created by mistake (a typo in an import)
is renamed, merged into the right one (everything that hangs on it moves along) or removed while nothing
hangs on it. Every correction leaves an entry in the programme's audit log.

What "hangs on" a city, network or school is read from the database's foreign keys, so a feature's new
table is counted (and moved by a merge) without this module knowing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, func, select, update
from sqlalchemy.exc import IntegrityError

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.programme.filters import clear_programme_totals
from warmeveranderen.programme.models import AdviserAssignment, AuditEntry, LearningNetwork, Membership, School, WarmCity
from warmeveranderen.programme.services import ProgrammeError, _unique_name

KINDS = {"stad": WarmCity, "netwerk": LearningNetwork, "school": School}
SUBJECTS = {WarmCity: "city", LearningNetwork: "network", School: "school"}
KIND_LABELS = {"city": _l("warme stad"), "network": _l("lerend netwerk"), "school": _l("school")}
ACTION_LABELS = {"rename": _l("hernoemd"), "merge": _l("samengevoegd"), "remove": _l("verwijderd")}
# What a person calls the rows of the tables that most often hang on the structure.
TABLE_LABELS = {
    "schools": _l("scholen"), "memberships": _l("rollen van mensen"), "adviser_assignments": _l("toewijzingen van adviseurs"),
    "coaching_sessions": _l("begeleidingssessies"), "indicator_ratings": _l("scores op de indicatoren"),
    "wellbeing_measurements": _l("metingen van welbevinden"), "milestones": _l("mijlpalen"),
    "intake_agreements": _l("intakeovereenkomsten"), "sprints": _l("sprints"), "sprint_calendars": _l("sprintkalenders"),
    "initiatives": _l("initiatieven"), "forum_sessions": _l("forumbijeenkomsten"), "advice_rounds": _l("adviesrondes"),
    "visions": _l("visies"), "ideas": _l("ideeën"), "invitations": _l("uitnodigingen"), "notifications": _l("meldingen"),
    "own_days": _l("eigen vrije dagen"),
}


@dataclass(frozen=True)
class Hanging:
    table: str
    column: str
    count: int

    @property
    def label(self) -> str:
        return str(TABLE_LABELS.get(self.table, _("gegevens in '%(table)s'", table=self.table)))


def _references(model) -> list[tuple[Table, object]]:
    """Every (table, column) with a foreign key to the model's table (not the part cache's bookkeeping:
    a school's table versions go with it)."""
    target = model.__table__
    found = []
    for table in db.metadata.sorted_tables:
        if table.name == "school_table_versions":
            continue
        for fk in table.foreign_keys:
            if fk.column.table is target:
                found.append((table, fk.parent))
    return found


def hanging_on(thing) -> list[Hanging]:
    """What refers to this city, network or school, with how many rows (only tables that have some)."""
    result = []
    for table, column in _references(type(thing)):
        count = db.session.scalar(select(func.count()).select_from(table).where(column == thing.id))
        if count:
            result.append(Hanging(table.name, column.name, count))
    return result


def _summary(hanging: list[Hanging]) -> str:
    return ", ".join(f"{h.label}: {h.count}" for h in hanging)


def _audit(by: User | None, action: str, thing, target: str | None = None, detail: str = "") -> None:
    db.session.add(AuditEntry(user=by, action=action, subject=SUBJECTS[type(thing)], name=thing.name,
                              target=target, detail=detail))


def rename(thing, new_name: str, by: User | None) -> None:
    """Give a city, network or school a new name (unique of its kind); the audit log keeps the old one."""
    new_name = " ".join(new_name.split())
    if new_name == thing.name:
        return
    _unique_name(type(thing), new_name, thing.id, _("Er bestaat al een %(kind)s met die naam.",
                                                    kind=KIND_LABELS[SUBJECTS[type(thing)]]))
    _audit(by, "rename", thing, target=new_name)
    thing.name = new_name
    db.session.flush()


def remove(thing, by: User | None) -> None:
    """Remove a city, network or school on which nothing hangs; otherwise say what does."""
    hanging = hanging_on(thing)
    if hanging:
        raise ProgrammeError(_("Er hangt nog iets aan: %(what)s. Voeg samen met de juiste in plaats van te verwijderen.",
                               what=_summary(hanging)))
    _audit(by, "remove", thing)
    db.session.delete(thing)
    db.session.flush()


def merge(source, target, by: User | None) -> list[Hanging]:
    """Move everything that hangs on `source` to `target` (of the same kind), then remove `source`.

    A person's role or an adviser's assignment that the target already has is not doubled. When both
    hold something that exists only once per school (an intake agreement, a sprint calendar), the merge
    is refused and nothing changes."""
    if type(source) is not type(target) or source.id == target.id:
        raise ProgrammeError(_("Kies waarmee je %(name)s samenvoegt (niet met zichzelf).", name=source.name))
    hanging = hanging_on(source)
    db.session.flush()
    try:
        with db.session.begin_nested():
            _drop_doubles(source, target)
            for table, column in _references(type(source)):
                db.session.execute(update(table).where(column == source.id).values({column.name: target.id}))
    except IntegrityError:
        db.session.expire_all()
        raise ProgrammeError(_("Samenvoegen kan niet: beide hebben gegevens die er maar één keer mogen zijn "
                               "(bijvoorbeeld een intakeovereenkomst of een sprintkalender). Er is niets veranderd.")) from None
    db.session.expire_all()
    _audit(by, "merge", source, target=target.name, detail=_summary(hanging))
    db.session.delete(source)
    db.session.flush()
    clear_programme_totals()  # the moves above were statements, not ORM changes the cache notices
    return hanging


def _drop_doubles(source, target) -> None:
    """Roles and assignments the target already has: the source's copy goes, so the move does not clash."""
    if isinstance(source, School):
        kept = select(Membership.user_id, Membership.role).where(Membership.school_id == target.id)
        for membership in db.session.scalars(select(Membership).where(Membership.school_id == source.id)):
            if (membership.user_id, membership.role) in set(db.session.execute(kept).all()):
                db.session.delete(membership)
    column = {School: AdviserAssignment.school_id, LearningNetwork: AdviserAssignment.network_id}.get(type(source))
    if column is not None:
        advisers = set(db.session.scalars(select(AdviserAssignment.adviser_id).where(column == target.id)))
        for assignment in db.session.scalars(select(AdviserAssignment).where(column == source.id)):
            if assignment.adviser_id in advisers:
                db.session.delete(assignment)
    db.session.flush()


def audit_log(limit: int = 200) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)).all()
