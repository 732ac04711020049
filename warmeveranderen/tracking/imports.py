"""CSV and .xlsx imports of the follow-up: the programme's structure and coaching sessions (coordinators,
also from the command line) and one school's well-being counts. Each import checks every row first: one
refused row imports nothing. Importing the same file twice changes nothing. Sessions of earlier years
whose adviser has no account keep that adviser as a person without a login (an inactive account)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.accounts.services import create_user
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import LearningNetwork, School
from warmeveranderen.programme.structure import load_structure
from warmeveranderen.timeutil import today
from warmeveranderen.tracking import tabular
from warmeveranderen.tracking.models import LEVEL_CODES, CoachingSession, IndicatorRating, WellbeingMeasurement
from warmeveranderen.tracking.services import (
    COUNT_FIELDS,
    MAX_DURATION,
    STORED_FIELDS,
    TrackingError,
    check_day,
    check_measurement,
    indicators,
    last_session_day,
)
from warmeveranderen.tracking.windows import school_year


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line number in the file, reason)
    # Advisers of earlier years without an account, kept as named people without a login.
    people_without_login: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused


def read_csv(raw: bytes | str, required: list[str]) -> list[dict[str, str]]:
    """Rows of a spreadsheet: .xlsx, or CSV (comma or semicolon, UTF-8 or Windows-1252); refuses a file
    without the columns. Headers are machine names, bare or in brackets after the Dutch label."""
    if isinstance(raw, bytes) and tabular.is_xlsx(raw):
        try:
            columns, cells = tabular.xlsx_rows(raw)
        except ValueError as exc:
            raise TrackingError(_("Dit is geen leesbaar Excel-bestand (%(error)s).", error=str(exc))) from None
        if not columns:
            raise TrackingError(_("Het bestand is leeg."))
        _check_columns(columns, required)
        return [{k: _cell(v) for k, v in zip(columns, row, strict=False)} for row in cells]
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
    else:
        text = raw.lstrip("\ufeff")
    if not text.strip():
        raise TrackingError(_("Het bestand is leeg."))
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        columns = [tabular.machine_name(c) for c in reader.fieldnames or []]
        _check_columns(columns, required)
        reader.fieldnames = columns
        limit = current_app.config["IMPORT_MAX_ROWS"]
        rows = [{k: _cell(v) for k, v in row.items() if k is not None} for row in islice(reader, limit + 1)]
    except csv.Error as exc:
        raise TrackingError(_("Dit is geen leesbaar CSV-bestand (%(error)s).", error=str(exc))) from None
    if len(rows) > limit:
        raise TrackingError(
            _("Dit bestand heeft meer dan %(max)s regels; er is niets ingelezen. Verdeel het over kleinere bestanden.",
              max=f"{limit:,}".replace(",", "."))
        )
    return rows


def _check_columns(columns: list[str], required: list[str]) -> None:
    missing = [c for c in required if c not in columns]
    if missing:
        raise TrackingError(
            _("Deze kolommen ontbreken: %(missing)s. Verwacht: %(expected)s.",
              missing=", ".join(missing), expected=",".join(required))
        )


def _cell(value) -> str:
    """A cell as text (a neutralised formula restored); surplus cells of a row (a list) are joined so they
    are visible in refusals."""
    if isinstance(value, list):
        return ",".join(value).strip()
    return tabular.restore((value or "").strip())


STRUCTURE_COLUMNS = ["warm_city", "network", "school"]
SESSION_COLUMNS = ["date", "kind", "network", "school", "adviser_email", "duration_minutes", "notes"]
WELLBEING_COLUMNS = ["school_year", "moment", "group", *COUNT_FIELDS]
RATING_COLUMNS = ["school", "indicator", "measured_on", "level"]  # optional: remark, evidence, adviser_email
# Optional session columns: participants, summary, cancelled ("ja" or empty).
YES = {"ja", "yes", "1", "true", "waar", "x"}
KINDS = {"collectief": "collective", "collective": "collective", "individueel": "individual", "individual": "individual"}


def import_structure(rows: list[dict[str, str]]) -> ImportResult:
    """Warm cities, networks and schools; a school already known in another city or network is refused."""
    result = ImportResult()
    existing = {
        s.name.lower(): s
        for s in db.session.scalars(db.select(School).options(selectinload(School.city), selectinload(School.network)))
    }
    for number, row in enumerate(rows, start=2):
        school = existing.get(" ".join(row.get("school", "").split()).lower())
        if school is None:
            continue
        city = " ".join(row.get("warm_city", "").split())
        network = " ".join(row.get("network", "").split())
        if school.city.name != city or (school.network.name if school.network else "") != network:
            result.refused.append(
                (number, _("school '%(school)s' bestaat al in %(city)s / %(network)s",
                           school=school.name, city=school.city.name,
                           network=school.network.name if school.network else "—"))
            )
    if result.refused:
        return result
    report = load_structure(rows)
    result.refused = list(report.refused)
    if not report.refused:
        result.created = sum(report.created.values())
        result.unchanged = len(rows) - report.created["schools"]
    return result


def _parse_date(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def import_sessions(rows: list[dict[str, str]], author: User | None = None) -> ImportResult:
    """Coaching sessions from a spreadsheet. All rows are checked first; one refusal writes nothing.

    The natural key of a session is (kind, network, school, date, adviser): a row whose key is
    already in the database (imported or logged by hand) is left alone, so importing twice changes nothing.
    """
    result = ImportResult()
    networks = {n.name.lower(): n for n in db.session.scalars(db.select(LearningNetwork))}
    schools = {s.name.lower(): s for s in db.session.scalars(db.select(School))}
    users = {u.email.lower(): u for u in db.session.scalars(db.select(User).where(
        User.is_adviser.is_(True) | User.is_coordinator.is_(True)))}
    others = set(db.session.scalars(db.select(db.func.lower(User.email)).where(
        User.is_adviser.is_(False), User.is_coordinator.is_(False))))
    unknown: set[str] = set()
    seen: dict[str, int] = {}
    clean = []
    for number, row in enumerate(rows, start=2):
        reasons = []
        held_on = _parse_date(row.get("date", ""))
        if held_on is None:
            reasons.append(_("datum '%(value)s' is geen datum (JJJJ-MM-DD)", value=row.get("date", "")))
        elif problem := check_day(held_on, last_session_day()):
            reasons.append(problem)
        kind = KINDS.get(row.get("kind", "").lower())
        if kind is None:
            reasons.append(_("soort '%(value)s' is niet 'collectief' of 'individueel'", value=row.get("kind", "")))
        network_name = " ".join(row.get("network", "").split())
        network = networks.get(network_name.lower()) if network_name else None
        if network_name and network is None:
            reasons.append(_("lerend netwerk '%(value)s' bestaat niet", value=network_name))
        school_name = " ".join(row.get("school", "").split())
        school = schools.get(school_name.lower()) if school_name else None
        if school_name and school is None:
            reasons.append(_("school '%(value)s' bestaat niet", value=school_name))
        if kind == "collective":
            if school_name:
                reasons.append(_("een collectieve sessie heeft geen school (laat 'school' leeg)"))
            if not network_name:
                reasons.append(_("een collectieve sessie hoort bij een lerend netwerk"))
        if kind == "individual":
            if not school_name:
                reasons.append(_("een individuele sessie hoort bij een school"))
            elif school is not None and network is not None and school.network_id != network.id:
                reasons.append(_("school '%(school)s' hoort niet bij netwerk '%(network)s'",
                                 school=school.name, network=network.name))
        email = row.get("adviser_email", "").lower()
        adviser = users.get(email) if email else None
        if email and adviser is None:
            if email in others or not EMAIL.fullmatch(email):
                reasons.append(_("'%(value)s' is geen adviseur of coördinator in de app", value=email))
            else:
                unknown.add(email)  # an adviser of earlier years: kept as a person without a login
        duration = None
        if row.get("duration_minutes"):
            try:
                duration = int(row["duration_minutes"])
            except ValueError:
                duration = -1
            if not 0 < duration <= MAX_DURATION:
                reasons.append(_("duur '%(value)s' is geen aantal minuten tussen 1 en %(max)s",
                                 value=row["duration_minutes"], max=MAX_DURATION))
        participants = row.get("participants", "")
        if len(participants) > 300:
            reasons.append(_("deelnemers: hoogstens 300 tekens"))
        if reasons:
            result.refused.append((number, "; ".join(reasons)))
            continue
        if kind == "individual" and network is None:
            network = school.network
        key = _session_key(kind, network.id if network else None, school.id if school else None, held_on, email)
        if key in seen:
            result.refused.append((number, _("dezelfde sessie als regel %(line)s", line=seen[key])))
            continue
        seen[key] = number
        clean.append((key, kind, network, school, held_on, adviser, duration, {
            "notes": row.get("notes", ""), "summary": row.get("summary", ""), "participants": participants,
            "cancelled": row.get("cancelled", "").lower() in YES}))
    if result.refused:
        return result
    for email in sorted(unknown):
        users[email] = create_user(email, _name_from_email(email), None, is_adviser=True, active=False)
        result.people_without_login.append(email)
    # The key ends in the adviser's email: rows of those people now get them.
    clean = [(*c[:5], c[5] or users.get(c[0].rsplit("|", 1)[1]), *c[6:]) for c in clean]
    existing = _existing_session_keys({c[4] for c in clean})
    for key, kind, network, school, held_on, adviser, duration, texts in clean:
        if key in existing:
            result.unchanged += 1
            continue
        session = CoachingSession(kind=kind, network=network, school=school, held_on=held_on,
                                  duration_minutes=duration, import_key=key, created_by=author, **texts)
        if adviser is not None:
            session.advisers = [adviser]
        db.session.add(session)
        result.created += 1
    db.session.flush()
    return result


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _name_from_email(email: str) -> str:
    """"jan.peeters@…" -> "Jan Peeters": the name a person without a login is shown by until edited."""
    return " ".join(part.capitalize() for part in re.split(r"[._-]+", email.split("@")[0]) if part)[:120] or email


def _session_key(kind: str, network_id: int | None, school_id: int | None, held_on: date, email: str) -> str:
    return f"{kind}|{network_id or ''}|{school_id or ''}|{held_on.isoformat()}|{email.lower()}"


def _existing_session_keys(dates: set[date]) -> set[str]:
    """Natural keys of the sessions already held on those dates."""
    keys: set[str] = set()
    if not dates:
        return keys
    sessions = db.session.scalars(
        db.select(CoachingSession).where(CoachingSession.held_on.in_(dates))
        .options(selectinload(CoachingSession.advisers))
    ).all()
    for s in sessions:
        if s.import_key:
            keys.add(s.import_key)
        emails = [a.email for a in s.advisers] or [""]
        school_id = s.school_id if s.kind == "individual" else None
        for email in emails:
            keys.add(_session_key(s.kind, s.network_id, school_id, s.held_on, email))
    return keys


def import_wellbeing(school: School, rows: list[dict[str, str]], author: User) -> ImportResult:
    """One school's counts per group and moment; a row for a group already entered replaces its counts."""
    result = ImportResult()
    clean, seen = [], {}
    for number, row in enumerate(rows, start=2):
        try:
            values = check_measurement({**row, "group_name": row.get("group", "")})
        except TrackingError as exc:
            result.refused.append((number, str(exc)))
            continue
        key = (values["school_year"], values["moment"], values["group_name"].lower())
        if key in seen:
            result.refused.append((number, _("dezelfde groep en hetzelfde meetmoment als regel %(line)s", line=seen[key])))
            continue
        seen[key] = number
        clean.append(values)
    if result.refused:
        return result
    # One read of the school's measurements and two bulk statements: an import takes a moment, not a
    # statement (and an autoflush) per row, so it holds the database only briefly.
    existing = {
        (m.school_year, m.moment, m.group_name.lower()): m
        for m in db.session.scalars(db.select(WellbeingMeasurement).where(WellbeingMeasurement.school_id == school.id))
    }
    author_id = author.id if author is not None else None
    inserts, updates = [], []
    for values in clean:
        row = existing.get((values["school_year"], values["moment"], values["group_name"].lower()))
        if row is None:
            inserts.append({"school_id": school.id, "entered_by_id": author_id,
                            **{k: values[k] for k in ("school_year", "moment", "group_name", *STORED_FIELDS)}})
        elif any(getattr(row, name) != values[name] for name in STORED_FIELDS):
            updates.append({"id": row.id, "entered_by_id": author_id, **{name: values[name] for name in STORED_FIELDS}})
        else:
            result.unchanged += 1
    with db.session.no_autoflush:
        if inserts:
            db.session.execute(db.insert(WellbeingMeasurement), inserts)
        if updates:
            db.session.execute(db.update(WellbeingMeasurement), updates)
            for row_id in (u["id"] for u in updates):  # the loaded rows no longer hold the counts
                db.session.expire(db.session.get(WellbeingMeasurement, row_id))
    result.created = len(inserts) + len(updates)
    db.session.flush()
    return result



def import_ratings(rows: list[dict[str, str]]) -> ImportResult:
    """Indicator ratings per school and measurement moment. A rating already there with the same level is
    left alone (importing twice changes nothing); one with another level is refused, never overwritten."""
    result = ImportResult()
    schools = {s.name.lower(): s for s in db.session.scalars(db.select(School))}
    definitions = {d.number: d for d in indicators()}
    users = {u.email.lower(): u for u in db.session.scalars(db.select(User).where(
        User.is_adviser.is_(True) | User.is_coordinator.is_(True)))}
    existing = {(r.school_id, r.indicator_id, r.measured_on): r.level
                for r in db.session.scalars(db.select(IndicatorRating))}
    seen: dict[tuple, int] = {}
    clean = []
    for number, row in enumerate(rows, start=2):
        reasons = []
        school = schools.get(" ".join(row.get("school", "").split()).lower())
        if school is None:
            reasons.append(_("school '%(value)s' bestaat niet", value=row.get("school", "")))
        definition = definitions.get(int(row["indicator"])) if row.get("indicator", "").isdigit() else None
        if definition is None:
            reasons.append(_("indicator '%(value)s' is geen nummer van 1 tot %(max)s",
                             value=row.get("indicator", ""), max=len(definitions)))
        measured_on = _parse_date(row.get("measured_on", ""))
        if measured_on is None or measured_on > today() or check_day(measured_on, today()):
            reasons.append(_("meetmoment '%(value)s' is geen datum tussen 2000 en vandaag", value=row.get("measured_on", "")))
        level = row.get("level", "").lower()
        if level not in LEVEL_CODES:
            reasons.append(_("niveau '%(value)s' is niet een van %(levels)s", value=row.get("level", ""),
                             levels=", ".join(LEVEL_CODES)))
        email = row.get("adviser_email", "").lower()
        if email and email not in users:
            reasons.append(_("'%(value)s' is geen adviseur of coördinator in de app", value=email))
        if reasons:
            result.refused.append((number, "; ".join(reasons)))
            continue
        key = (school.id, definition.id, measured_on)
        if key in seen:
            result.refused.append((number, _("dezelfde score als regel %(line)s", line=seen[key])))
            continue
        seen[key] = number
        if key in existing and existing[key] != level:
            result.refused.append((number, _("%(school)s heeft voor indicator %(n)s op die datum al een ander niveau",
                                             school=school.name, n=definition.number)))
            continue
        clean.append((key, school, definition, measured_on, level, row, users.get(email)))
    if result.refused:
        return result
    for key, school, definition, measured_on, level, row, adviser in clean:
        if key in existing:
            result.unchanged += 1
            continue
        db.session.add(IndicatorRating(
            school=school, indicator=definition, measured_on=measured_on, school_year=school_year(measured_on),
            level=level, remark=row.get("remark", ""), evidence=row.get("evidence", ""), rated_by=adviser))
        result.created += 1
    db.session.flush()
    return result
