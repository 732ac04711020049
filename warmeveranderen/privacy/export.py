"""*Mijn gegevens downloaden*: a ZIP with everything the app holds about a person, as JSON and as a
readable HTML page. Reads only."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

from flask import render_template

from warmeveranderen.accounts.models import Invitation, User
from warmeveranderen.extensions import db
from warmeveranderen.privacy.records import sources
from warmeveranderen.timeutil import utcnow

ROW_LIMIT = 50_000  # per section; far above what one person writes


def _plain(value):
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat() + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return value


def collect(user: User) -> dict:
    """Everything about the person: the account, then one section per table that points at them."""
    account = {
        "id": user.id, "name": user.name, "email": user.email, "locale": user.locale,
        "created_at": _plain(user.created_at), "is_coordinator": user.is_coordinator, "is_adviser": user.is_adviser,
        "signs_in_with": ["wachtwoord"] * (user.password_hash is not None) + ["schoolaccount"] * user.uses_sso,
    }
    invitations = db.session.scalars(db.select(Invitation).where(Invitation.email == user.email)).all()
    sections = [{"key": "invitations", "title": "Uitnodigingen aan je e-mailadres",
                 "rows": [{"school_id": i.school_id, "role": i.role, "created_at": _plain(i.created_at),
                           "accepted_at": _plain(i.accepted_at), "revoked_at": _plain(i.revoked_at)} for i in invitations]}]
    for source in sources():
        columns = [source.table.c[name] for name in source.fields]
        rows = db.session.execute(db.select(*columns).where(source.table.c[source.column] == user.id)
                                  .limit(ROW_LIMIT)).mappings().all()
        if rows:
            sections.append({"key": f"{source.table.name}.{source.column}", "title": source.title,
                             "column": source.column, "rows": [{k: _plain(v) for k, v in r.items()} for r in rows]})
    return {"generated_at": _plain(utcnow()), "account": account, "sections": sections}


def as_zip(user: User) -> bytes:
    data = collect(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("gegevens.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        archive.writestr("gegevens.html", render_template("privacy/export.html", data=data))
        archive.writestr("LEESMIJ.txt", "Je gegevens uit Warm Veranderen: gegevens.html om te lezen, gegevens.json "
                                        "voor een ander programma. Bewaar dit bestand veilig.\n")
    return buffer.getvalue()
