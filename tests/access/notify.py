"""Access rules of the cadence keeper: preferences, calendar feeds and the scheduler page."""

from tests.access import ALL, COORDINATOR, LOGGED_IN, SCHOOL
from warmeveranderen.domain import NOTIFICATION_CATEGORIES
from warmeveranderen.notifications.rules import OFFSETS

RULES = {
    "notifications.preferences": {
        "GET": LOGGED_IN,
        "POST": LOGGED_IN,
        "data": lambda w: {"digest_hour": "7", **{f"mode_{c}": "immediate" for c in NOTIFICATION_CATEGORIES}},
    },
    "notifications.rotate_feed_token": {"POST": LOGGED_IN},
    # Public: the secret in the URL is the credential (a wrong one gives 404, tested separately).
    "notifications.calendar_feed": {"GET": ALL},
    "notifications.school_calendar": {"GET": SCHOOL},
    "notifications.scheduler_status": {
        "GET": COORDINATOR,
        "POST": COORDINATOR,
        "data": lambda w: {key: str(default) for key, (default, _label) in OFFSETS.items()},
    },
}


def url_args(world) -> dict:
    from warmeveranderen.notifications.services import rotate_feed_token

    return {"feed_token": rotate_feed_token(world.users["flywheel"])}
