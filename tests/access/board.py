"""Access rules of the board by hand and the school's search: the flywheel and the director order the
cards and keep the school's labels; everyone who may see the school searches it (the outsider of another
school gets 403)."""

from tests.access import FLYWHEEL, SCHOOL

EDIT = FLYWHEEL | {"director"}

RULES = {
    "sprints.reorder_cards": {"POST": EDIT, "data": lambda w: {"ids": [w.url_values["initiative_id"]]}},
    "sprints.labels": {"GET": EDIT, "POST": EDIT, "data": lambda w: {"name": "Onthaal", "colour": "green"}},
    "sprints.edit_label": {"POST": EDIT, "data": lambda w: {"name": "Ouders en school", "colour": "purple"}},
    "sprints.remove_label": {"POST": EDIT},
    "core.search": {"GET": SCHOOL},
}


def url_args(world) -> dict:
    from warmeveranderen.extensions import db
    from warmeveranderen.sprints.models import Label

    label = Label(school_id=world.school.id, name="Ouders", colour="blue")
    db.session.add(label)
    db.session.commit()
    return {"label_id": label.id}
