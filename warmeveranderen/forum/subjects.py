"""What the forum can give advice on: a registry of subject kinds, so the forum knows no feature.

An advice round (``AdviceRound``) refers to its subject by ``subject_kind`` + ``subject_id``. A
feature that wants the forum's advice on something registers that kind once, from its feature's
`init_app` (the forum registers "initiative" itself, in `forum/initiatives.py`, and "question", any
question of the flywheel, in `forum/questions.py`; the vision registers "vision_version", in
`vision/forum_link.py`)::

    from warmeveranderen.forum.subjects import register_subject

    register_subject(
        "vision_version",
        label=_l("Visieversie"),
        loader=lambda subject_id: db.session.get(VisionVersion, subject_id),
        school=lambda version: version.vision.school,
        title=lambda version: f"Visie, versie {version.number}",
        url=lambda version: url_for("vision.version", school_id=..., number=version.number),
        owner_users=lambda version: [version.author],
        on_decided=lambda version, decision: ...,       # optional
    )

Then it opens a round with ``forum.services.open_round(subject_kind, subject_id, question, deadline,
session=None, opened_by=user)``, or links people to
``url_for("forum.new_round", school_id=..., subject_kind=..., subject_id=...)`` where the flywheel
fills in the question and the deadline.

The callables of a kind:

- ``loader(subject_id) -> object | None`` — the subject, or None when it no longer exists.
- ``school(subject) -> School`` — the school it belongs to (a round is refused across schools).
- ``title(subject) -> str`` — shown on agendas, rounds and in the decision archive (a snapshot is
  kept on the round and the decision, so the archive survives a deleted subject).
- ``url(subject) -> str`` — where the subject itself can be read.
- ``owner_users(subject) -> list[User]`` — who responds to advice and decides, besides the
  flywheel's trekker (initiative right: the initiator decides).
- ``candidates(school) -> list[object]`` (optional) — subjects ready to be put on the forum's
  agenda (initiatives with status "ready for the forum"); the agenda page offers them.
- ``can_open(subject) -> str | None`` (optional) — a Dutch refusal when a round may not be opened
  now (for example an initiative that is already done), else None.
- ``on_opened(subject, round)`` / ``on_decided(subject, decision)`` (optional) — hooks called
  inside the forum's action, in the request's one unit of work (warmeveranderen/uow.py): they
  change state and flush, and never commit or roll back. A ``ForumError`` they raise undoes the
  whole action (the forum runs the action and its hook in a savepoint) and is shown to the person.
  The initiative moves to "ready for the forum", then to "decided".
- ``sprint_id(subject) -> int | None`` and ``building_blocks(subject) -> list[str]`` (optional) —
  recorded with the decision so the archive can be searched by sprint and building block.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SubjectKind:
    kind: str
    label: Any
    loader: Callable[[int], Any]
    school: Callable[[Any], Any]
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    owner_users: Callable[[Any], list]
    candidates: Callable[[Any], list] | None = None
    can_open: Callable[[Any], str | None] | None = None
    on_opened: Callable[[Any, Any], None] | None = None
    on_decided: Callable[[Any, Any], None] | None = None
    sprint_id: Callable[[Any], int | None] | None = None
    building_blocks: Callable[[Any], list[str]] | None = None


SUBJECT_KINDS: dict[str, SubjectKind] = {}

# The free subject: any question the flywheel puts to the forum (registered in forum/questions.py; the
# round is its own subject, opened with forum.services.ask_question).
QUESTION = "question"


def register_subject(
    kind: str,
    loader: Callable[[int], Any],
    title: Callable[[Any], str],
    url: Callable[[Any], str],
    owner_users: Callable[[Any], list],
    *,
    school: Callable[[Any], Any],
    label: Any = None,
    **hooks: Callable,
) -> SubjectKind:
    """Make a kind of subject available to the forum (registering a kind again replaces it)."""
    subject_kind = SubjectKind(
        kind=kind,
        label=label or kind,
        loader=loader,
        school=school,
        title=title,
        url=url,
        owner_users=owner_users,
        **hooks,
    )
    SUBJECT_KINDS[kind] = subject_kind
    return subject_kind


def unregister_subject(kind: str) -> None:
    """Forget a kind (tests that register a fake kind clean up with this)."""
    SUBJECT_KINDS.pop(kind, None)


def subject_kind(kind: str) -> SubjectKind | None:
    return SUBJECT_KINDS.get(kind)


def load_subject(kind: str, subject_id: int) -> tuple[SubjectKind | None, Any]:
    """The kind and the subject behind a (kind, id) pair; (None, None) for an unknown kind."""
    registered = SUBJECT_KINDS.get(kind)
    if registered is None:
        return None, None
    return registered, registered.loader(subject_id)
