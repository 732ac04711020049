"""Which objects can carry attachments: a feature registers a parent kind where it owns the object.

    @attachment_parent("initiative", model=Initiative)
    def initiative_parent(initiative_id: int) -> Parent | None:
        initiative = db.session.get(Initiative, initiative_id)
        if initiative is None:
            return None
        return Parent(school=initiative.school, title=initiative.title,
                      link=lambda: url_for("sprints.initiative", initiative_id=initiative.id),
                      can_view=lambda user: can_view_sprints(user, initiative.school),
                      can_edit=lambda user: can_edit_sprints(user, initiative.school))

Like every decorator of the app it only marks the function; the feature's `init_app` hands the module
to `plugins.register`. With `model=` given, deleting such an object through the ORM deletes its
attachments in the same unit of work and their files once it commits (services.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from warmeveranderen.plugins import adds, contributes


@dataclass(frozen=True)
class Parent:
    """What the files layer needs to know about one parent object."""

    school: Any  # School, or None for a programme-wide object (an offer-basket item)
    title: str
    link: Callable[[], str]  # the address of the parent's page (where its attachments are listed)
    can_view: Callable[[Any], bool]  # who may list and download its files
    can_edit: Callable[[Any], bool]  # who may add files and remove any of them
    # Shown above the upload form (e.g. "Verslag van de bijeenkomst van 8 januari").
    label: str = ""
    # Whether whoever uploaded a file may always remove it; False where the parent itself is locked for its
    # author after a while (a comment after its edit window): then `can_edit` alone decides.
    uploader_may_remove: bool = True

    @property
    def url(self) -> str:
        return self.link()


@dataclass(frozen=True)
class ParentKind:
    kind: str
    load: Callable[[int], Parent | None]
    model: type | None = None
    id_of: Callable[[Any], int] | None = None


KINDS: dict[str, ParentKind] = {}
MODELS: dict[type, ParentKind] = {}


def attachment_parent(kind: str, *, model: type | None = None) -> Callable:
    """Declare a parent kind: `fn(parent_id) -> Parent | None` (None when it does not exist)."""
    return contributes("attachment_parent", parent_kind=kind, model=model)


@adds("attachment_parent")
def add_attachment_parent(fn: Callable, parent_kind: str, model: type | None = None) -> None:
    entry = ParentKind(kind=parent_kind, load=fn, model=model)
    KINDS[parent_kind] = entry
    if model is not None:
        MODELS[model] = entry


def parent(kind: str, parent_id: int) -> Parent | None:
    entry = KINDS.get(kind)
    return entry.load(parent_id) if entry is not None else None
