"""Writing in a discussion (flush, never commit): comment, edit within the window, delete, mentions, read."""

from __future__ import annotations

import re

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from warmeveranderen.discussion.models import Comment, CommentMention, CommentRevision, DiscussionRead
from warmeveranderen.discussion.permissions import within_edit_window
from warmeveranderen.domain import SHORT_TEXT_MAX
from warmeveranderen.extensions import db
from warmeveranderen.i18n import in_locale
from warmeveranderen.notifications.services import notify
from warmeveranderen.timeutil import utcnow
from warmeveranderen.uow import ServiceError

CATEGORY = "sprint"


class DiscussionError(ServiceError):
    field = "body"


def _check(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise DiscussionError(_l("Schrijf een reactie."))
    if len(body) > SHORT_TEXT_MAX:
        raise DiscussionError(_l("Deze tekst is te lang: hoogstens %(max)s tekens.", max=SHORT_TEXT_MAX))
    return body


def mentioned_in(body: str, people) -> set[int]:
    """The people named as `@Voornaam Achternaam` in the text (any case; the longest name wins)."""
    found: set[int] = set()
    lowered = body.lower()
    for person in sorted(people, key=lambda p: -len(p.name or "")):
        name = (person.name or "").strip().lower()
        if name and re.search(r"(?<![\w@])@" + re.escape(name) + r"(?!\w)", lowered):
            found.add(person.id)
            lowered = lowered.replace("@" + name, " ")
    return found


def _notify_mentions(comment: Comment, user_ids: set[int], people) -> None:
    by_id = {p.id: p for p in people}
    author = comment.author.name if comment.author else ""
    for user_id in sorted(user_ids):
        person = by_id.get(user_id)
        if person is None or person.id == comment.author_id:
            continue
        with in_locale(person):
            notify([person], category=CATEGORY, school=comment.school,
                   title=_("%(name)s noemde je bij “%(t)s”", name=author, t=comment.initiative.title),
                   body=comment.body[:500],
                   url=url_for("sprints.initiative", initiative_id=comment.initiative_id,
                               _anchor=f"reactie-{comment.id}"))


def post(initiative, author, body: str, people, chosen: set[int] | None = None) -> Comment:
    """A new comment; everyone mentioned in the text or chosen in the list is notified (their preferences apply)."""
    body = _check(body)
    comment = Comment(school=initiative.school, initiative=initiative, author=author, body=body)
    db.session.add(comment)
    allowed = {p.id for p in people}
    mentions = (mentioned_in(body, people) | set(chosen or ())) & allowed
    comment.mentions = [CommentMention(user_id=uid) for uid in sorted(mentions)]
    db.session.flush()
    _notify_mentions(comment, mentions, people)
    mark_read(initiative, author)
    return comment


def edit(comment: Comment, user, body: str, people) -> Comment:
    """Change a comment within the window; the earlier text is kept (history) and new mentions notified."""
    if comment.author_id != user.id or not within_edit_window(comment):
        raise DiscussionError(_l("Een reactie kun je alleen het eerste kwartier na het plaatsen aanpassen."))
    body = _check(body)
    if body == comment.body:
        return comment
    comment.revisions.append(CommentRevision(body=comment.body, written_at=comment.edited_at or comment.created_at))
    comment.body = body
    comment.edited_at = utcnow()
    before = {m.user_id for m in comment.mentions}
    allowed = {p.id for p in people}
    new = (mentioned_in(body, people) & allowed) - before
    comment.mentions.extend(CommentMention(user_id=uid) for uid in sorted(new))
    db.session.flush()
    _notify_mentions(comment, new, people)
    return comment


def delete(comment: Comment) -> None:
    """Remove a comment (its attachments go with it: the files layer's ORM hook)."""
    db.session.delete(comment)
    db.session.flush()


def mark_read(initiative, user) -> None:
    row = db.session.scalar(select(DiscussionRead).where(
        DiscussionRead.initiative_id == initiative.id, DiscussionRead.user_id == user.id))
    if row is None:
        db.session.add(DiscussionRead(initiative_id=initiative.id, user_id=user.id, read_at=utcnow()))
    else:
        row.read_at = utcnow()
    db.session.flush()
