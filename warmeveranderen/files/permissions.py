"""Who may see, add and remove attachments: the same people as for the parent object.

A parent kind says who may view it and who may edit it (registry.Parent). Whoever may view the
parent lists and downloads its files; whoever may edit it adds files and removes any of them; the
person who uploaded a file may remove it as long as they may still see the parent.
"""

from __future__ import annotations

from warmeveranderen.permissions import _authenticated, permission


@permission
def can_view_attachments(user, parent) -> bool:
    return _authenticated(user) and parent is not None and bool(parent.can_view(user))


@permission
def can_add_attachment(user, parent) -> bool:
    return can_view_attachments(user, parent) and bool(parent.can_edit(user))


@permission
def can_remove_attachment(user, attachment, parent) -> bool:
    if not can_view_attachments(user, parent):
        return False
    return bool(parent.can_edit(user)) or (parent.uploader_may_remove and attachment.uploaded_by_id == user.id)
