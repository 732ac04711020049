"""Who may read and mark a notification: only the person it is for."""

from warmeveranderen.permissions import permission


@permission
def can_read_notification(user, notification) -> bool:
    return user is not None and user.is_authenticated and notification.user_id == user.id
