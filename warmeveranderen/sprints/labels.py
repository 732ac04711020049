"""A school's labels: a small vocabulary the flywheel puts on initiatives to filter the board by.

Like the other services, these change state and flush; the request commits (`warmeveranderen.uow`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func

from warmeveranderen.domain import LABEL_COLOURS, LABEL_NAME_MAX, LABELS_PER_SCHOOL_MAX, text_problem
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.models import Label, initiative_labels
from warmeveranderen.sprints.services import SprintError


def usage(school: School) -> dict[int, int]:
    """How many initiatives carry each of the school's labels."""
    rows = db.session.execute(
        db.select(initiative_labels.c.label_id, func.count())
        .join(Label, Label.id == initiative_labels.c.label_id)
        .where(Label.school_id == school.id).group_by(initiative_labels.c.label_id)
    )
    return {label_id: count for label_id, count in rows}


def _clean(school: School, name: str, colour: str, label: Label | None = None) -> tuple[str, str]:
    name = " ".join((name or "").split())
    if not name:
        raise SprintError(_("Geef het label een naam."))
    problem = text_problem(name, LABEL_NAME_MAX, single_line=True)
    if problem:
        raise SprintError(problem)
    if colour not in LABEL_COLOURS:
        raise SprintError(_("Kies een kleur uit de lijst."))
    clash = db.session.scalar(db.select(Label.id).where(
        Label.school_id == school.id, func.lower(Label.name) == name.lower(),
        Label.id != (label.id if label else -1)))
    if clash is not None:
        raise SprintError(_("Deze school heeft al een label “%(n)s”.", n=name))
    return name, colour


def add_label(school: School, name: str, colour: str) -> Label:
    name, colour = _clean(school, name, colour)
    count = db.session.scalar(db.select(func.count()).select_from(Label).where(Label.school_id == school.id))
    if count >= LABELS_PER_SCHOOL_MAX:
        raise SprintError(_("Een school heeft hoogstens %(n)s labels. Verwijder eerst een label dat niemand nog gebruikt.",
                            n=LABELS_PER_SCHOOL_MAX))
    label = Label(school_id=school.id, name=name, colour=colour)
    db.session.add(label)
    db.session.flush()
    return label


def rename_label(label: Label, name: str, colour: str) -> None:
    label.name, label.colour = _clean(label.school, name, colour, label)
    db.session.flush()


def remove_label(label: Label) -> None:
    """Delete the label; the initiatives that carried it simply lose it."""
    db.session.delete(label)
    db.session.flush()
