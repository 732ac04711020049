"""Where a person's data lives, found from the schema itself: every column that points at a person.

The download takes every row of every table with a foreign key to `users` on that column (so a
feature added later is included without a line here), leaving out only secrets (hashes, sealed
keys, claim tokens). The erasure removes the rows that are the person's own settings and traces
(`REMOVED`) and keeps the rest, where the person is then shown under a pseudonym.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Table

from warmeveranderen.extensions import db

# Never in a download: what would let someone act as the person, or is internal bookkeeping.
SECRET_COLUMNS = {"token_hash", "secret_sealed", "feed_token_hash", "email_claim", "claim", "password_hash",
                  "session_token", "client_secret_sealed"}

TITLES = {
    "memberships": _l("Rollen in scholen"),
    "adviser_assignments": _l("Toewijzingen als adviseur"),
    "sso_identities": _l("Koppelingen met een schoolaccount"),
    "api_tokens": _l("API-sleutels"),
    "notifications": _l("Meldingen"),
    "notification_preferences": _l("Voorkeuren voor meldingen"),
    "notification_settings": _l("Instellingen voor meldingen en agenda"),
    "reminder_log": _l("Verstuurde herinneringen"),
    "ideas": _l("Ideeën"),
    "idea_comments": _l("Reacties op ideeën"),
    "idea_supports": _l("Ideeën die je steunt"),
    "advice": _l("Adviezen"),
    "advice_responses": _l("Antwoorden op adviezen"),
    "advice_round_comments": _l("Reacties in adviesrondes"),
    "forum_decisions": _l("Besluiten die je registreerde"),
    "forum_attendance": _l("Aanwezigheid op forumsessies"),
    "vision_comments": _l("Reacties op de visie"),
    "vision_amore_scores": _l("Je AMORE-scores van de visie"),
    "initiatives": _l("Initiatieven"),
    "initiative_events": _l("Wijzigingen aan initiatieven"),
    "intake_signatures": _l("Handtekeningen"),
    "intake_signatories": _l("Ondertekenaar van intakeovereenkomsten"),
}

# The person's own settings and traces: gone with the account.
REMOVED = {"memberships", "adviser_assignments", "sso_identities", "api_tokens", "notifications",
           "notification_preferences", "notification_settings", "reminder_log", "coaching_session_advisers",
           "flywheel_meeting_attendees"}


@dataclass(frozen=True)
class Source:
    table: Table
    column: str

    @property
    def title(self) -> str:
        return str(TITLES.get(self.table.name, self.table.name.replace("_", " ")))

    @property
    def fields(self) -> list[str]:
        return [c.name for c in self.table.columns if c.name not in SECRET_COLUMNS]


def sources() -> list[Source]:
    """(table, column) for every column that points at a person, in a stable order."""
    found = []
    for table in db.metadata.sorted_tables:
        if table.name == "users":
            continue
        for column in table.columns:
            if any(fk.column.table.name == "users" for fk in column.foreign_keys):
                found.append(Source(table, column.name))
    return sorted(found, key=lambda s: (s.table.name, s.column))
