"""Demo: a short discussion on the demo school's first initiative, with an @mention, a PDF and a photo.

The files are made here with Pillow (an example agenda as a one-page PDF and an example "photo"),
so the demo needs nothing from outside; their content is invented and says so.
"""

from __future__ import annotations

import io
from datetime import timedelta

from flask import current_app, has_request_context
from PIL import Image, ImageDraw
from werkzeug.datastructures import FileStorage

from warmeveranderen.accounts.models import User
from warmeveranderen.discussion import queries, services
from warmeveranderen.discussion.models import Comment, DiscussionRead
from warmeveranderen.extensions import db
from warmeveranderen.files import registry
from warmeveranderen.files import services as files
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.models import Initiative
from warmeveranderen.timeutil import utcnow


def _person(prefix: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email.like(f"{prefix}@%")))


def _picture(lines: list[str], size=(1200, 800), fmt="PNG") -> bytes:
    image = Image.new("RGB", size, (250, 240, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle([40, 40, size[0] - 40, size[1] - 40], outline=(190, 90, 40), width=8)
    for n, line in enumerate(lines):
        draw.text((90, 100 + n * 60), line, fill=(60, 40, 30), font_size=40)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def _attach(kind: str, parent_id: int, user: User, data: bytes, name: str) -> None:
    files.attach(kind, parent_id, registry.parent(kind, parent_id), user, FileStorage(io.BytesIO(data), name))


def load_discussion_demo(school: School) -> None:
    """Only when the demo school's first initiative has no comments yet (safe to run twice)."""
    if has_request_context():
        _load(school)
        return
    with current_app.test_request_context("/"):  # the mentions' notifications link to the initiative
        _load(school)


def _load(school: School) -> None:
    initiative = db.session.scalar(db.select(Initiative).where(Initiative.school_id == school.id)
                                   .order_by(Initiative.position, Initiative.id))
    lead, member, director = _person("trekker"), _person("vliegwiel"), _person("directeur")
    if initiative is None or None in (lead, member, director):
        return
    if db.session.scalar(db.select(Comment.id).where(Comment.initiative_id == initiative.id)):
        return
    people = queries.people_of(school)
    agenda = _picture(["Voorbeeld: agenda praatronde", "", "1. Inchecken: hoe gaat het? (10 min)",
                       "2. Wat nemen we mee uit de week?", "3. Afspraken voor de klas"], size=(1240, 1754), fmt="PDF")
    _attach("initiative", initiative.id, lead, agenda, "Voorbeeld - agenda praatronde.pdf")
    photo = _picture(["Voorbeeldfoto: de kring in klas 3B", "(een getekend voorbeeld, geen echte foto)"])
    _attach("initiative", initiative.id, member, photo, "Kring klas 3B.png")
    first = services.post(initiative, lead, f"Ik heb een eerste agenda gemaakt (zie de bijlagen). "
                          f"@{member.name}, wil jij het in je klas uitproberen?", people)
    second = services.post(initiative, member, "Doe ik! Maandag in 3B. Ik zet er een foto van de kring bij.", people)
    third = services.post(initiative, director, f"Mooi. Laten we het na twee weken bespreken op het overleg, "
                          f"@{lead.name}.", people)
    # Spread them over the last days, as a discussion would be.
    now = utcnow()
    for comment, days in ((first, 3), (second, 2), (third, 1)):
        comment.created_at = now - timedelta(days=days)
    for row in db.session.scalars(db.select(DiscussionRead).where(DiscussionRead.initiative_id == initiative.id)):
        row.read_at = now - timedelta(days=1)
    db.session.flush()
