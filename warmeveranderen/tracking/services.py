"""Operations of the advisers' follow-up; the only place in this feature that changes state and commits.

Every public function that changes something commits once (one user action), or changes nothing
and raises TrackingError / returns a report of refusals.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import MILESTONES, REPEATABLE_MILESTONES
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import LearningNetwork, School, WarmCity
from warmeveranderen.programme.structure import load_structure
from warmeveranderen.timeutil import today
from warmeveranderen.tracking.defaults import DEFAULT_LEVEL_LABELS, INDICATORS
from warmeveranderen.tracking.models import (
    LEVEL_CODES,
    CoachingSession,
    IndicatorDefinition,
    IndicatorRating,
    Milestone,
    WellbeingMeasurement,
)
from warmeveranderen.tracking.windows import is_school_year, school_year
from warmeveranderen.uow import ServiceError

MAX_GROUP_SIZE = 1000
MAX_DURATION = 600


class TrackingError(ServiceError):
    """A user-facing refusal, in Dutch."""


# --- indicators ---------------------------------------------------------------------------------


def indicators() -> list[IndicatorDefinition]:
    """The nine definitions, created with their defaults on first use."""
    found = db.session.scalars(db.select(IndicatorDefinition).order_by(IndicatorDefinition.number)).all()
    if len(found) == len(INDICATORS):
        return list(found)
    present = {d.number for d in found}
    for number, title, guidance in INDICATORS:
        if number not in present:
            db.session.add(
                IndicatorDefinition(
                    number=number,
                    title=title,
                    guidance=guidance,
                    **{f"label_{code}": label for code, label in DEFAULT_LEVEL_LABELS.items()},
                )
            )
    try:
        db.session.commit()
    except IntegrityError:  # another request created them at the same moment
        db.session.rollback()
    return list(db.session.scalars(db.select(IndicatorDefinition).order_by(IndicatorDefinition.number)))


def indicator(number: int) -> IndicatorDefinition | None:
    return next((d for d in indicators() if d.number == number), None)


def save_indicator(definition: IndicatorDefinition, data: dict) -> None:
    """The coordinator edits the title, guidance and level labels (ratings keep their level codes)."""
    labels = [data[f"label_{code}"].strip() for code in LEVEL_CODES]
    if len({label.lower() for label in labels}) != len(labels):
        raise TrackingError(_("Geef de vier niveaus elk een ander label."))
    definition.title = data["title"].strip()
    definition.guidance = (data.get("guidance") or "").strip()
    for code, label in zip(LEVEL_CODES, labels, strict=True):
        setattr(definition, f"label_{code}", label)
    db.session.commit()


EVIDENCE_RE = re.compile(r"^(https?://\S+|/(?!/)\S*)$")


def check_evidence(text: str) -> str:
    """One link (https://…) or app path (/scholen/…) per line; anything else is refused."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines:
        if not EVIDENCE_RE.match(line):
            raise TrackingError(
                _("'%(line)s' is geen link. Geef per regel een link (https://…) of een pad in de app (/scholen/…).",
                  line=line[:80])
            )
    return "\n".join(lines)


@dataclass
class RatingEntry:
    number: int
    level: str
    remark: str = ""
    evidence: str = ""


def rate_indicators(school: School, adviser: User, measured_on: date, entries: Iterable[RatingEntry]) -> list[IndicatorRating]:
    """Record ratings at one measurement moment; earlier ratings stay as history."""
    if measured_on > today():
        raise TrackingError(_("Een score geldt voor een meetmoment dat al voorbij is of vandaag is."))
    by_number = {d.number: d for d in indicators()}
    ratings = []
    for entry in entries:
        if not entry.level:
            continue
        if entry.level not in LEVEL_CODES or entry.number not in by_number:
            raise TrackingError(_("Onbekende indicator of onbekend niveau."))
        ratings.append(
            IndicatorRating(
                school=school,
                indicator=by_number[entry.number],
                measured_on=measured_on,
                school_year=school_year(measured_on),
                level=entry.level,
                remark=(entry.remark or "").strip(),
                evidence=check_evidence(entry.evidence),
                rated_by=adviser,
            )
        )
    if not ratings:
        raise TrackingError(_("Kies voor minstens één indicator een niveau."))
    db.session.add_all(ratings)
    db.session.commit()
    return ratings


def rating_history(school: School) -> dict[int, list[IndicatorRating]]:
    """Every rating of the school per indicator id, newest first."""
    rows = db.session.scalars(
        db.select(IndicatorRating)
        .where(IndicatorRating.school_id == school.id)
        .options(selectinload(IndicatorRating.rated_by))
        .order_by(IndicatorRating.measured_on.desc(), IndicatorRating.id.desc())
    ).all()
    history: dict[int, list[IndicatorRating]] = {}
    for rating in rows:
        history.setdefault(rating.indicator_id, []).append(rating)
    return history


def current_ratings(school: School) -> dict[int, IndicatorRating]:
    """The latest rating per indicator id: the school's current state."""
    return {indicator_id: ratings[0] for indicator_id, ratings in rating_history(school).items()}


def rated_indicator_count(school: School) -> int:
    """How many indicators the school has a rating for (one count, however long the history)."""
    return db.session.scalar(
        db.select(func.count(func.distinct(IndicatorRating.indicator_id))).where(IndicatorRating.school_id == school.id)
    ) or 0


def rated_this_year(school: School, day: date | None = None) -> bool:
    year = school_year(day or today())
    return db.session.scalar(
        db.select(IndicatorRating.id)
        .where(IndicatorRating.school_id == school.id, IndicatorRating.school_year == year)
        .limit(1)
    ) is not None


# --- coaching sessions ---------------------------------------------------------------------------


def _check_session(data: dict) -> None:
    duration = data.get("duration_minutes")
    if duration is not None and not 0 < duration <= MAX_DURATION:
        raise TrackingError(_("Een sessie duurt tussen 1 en %(max)s minuten.", max=MAX_DURATION))
    if not data.get("advisers"):
        raise TrackingError(_("Kies minstens één adviseur."))


def log_session(data: dict, *, author: User, school: School | None = None, network: LearningNetwork | None = None
                ) -> CoachingSession:
    """A collective session (network) or an individual one (school)."""
    if (school is None) == (network is None):
        raise TrackingError(_("Een sessie is collectief (een netwerk) of individueel (een school)."))
    _check_session(data)
    session = CoachingSession(
        kind="individual" if school is not None else "collective",
        school=school,
        network=network if network is not None else school.network,
        created_by=author,
    )
    _fill_session(session, data)
    db.session.add(session)
    db.session.commit()
    return session


def update_session(session: CoachingSession, data: dict) -> None:
    _check_session(data)
    _fill_session(session, data)
    db.session.commit()


def _fill_session(session: CoachingSession, data: dict) -> None:
    session.held_on = data["held_on"]
    session.duration_minutes = data.get("duration_minutes")
    session.participants = (data.get("participants") or "").strip()
    session.notes = (data.get("notes") or "").strip()
    session.summary = (data.get("summary") or "").strip()
    session.advisers = list(data["advisers"])


def delete_session(session: CoachingSession) -> None:
    db.session.delete(session)
    db.session.commit()


def _session_options():
    return (
        selectinload(CoachingSession.advisers),
        selectinload(CoachingSession.school),
        selectinload(CoachingSession.network),
    )


def school_sessions(school: School) -> list[CoachingSession]:
    """The school's individual sessions and its network's collective sessions, newest first."""
    condition = CoachingSession.school_id == school.id
    if school.network_id is not None:
        condition = condition | (
            (CoachingSession.kind == "collective") & (CoachingSession.network_id == school.network_id)
        )
    return db.session.scalars(
        db.select(CoachingSession).where(condition).options(*_session_options())
        .order_by(CoachingSession.held_on.desc(), CoachingSession.id.desc())
    ).all()


def network_sessions(network: LearningNetwork) -> list[CoachingSession]:
    return db.session.scalars(
        db.select(CoachingSession)
        .where(CoachingSession.kind == "collective", CoachingSession.network_id == network.id)
        .options(*_session_options())
        .order_by(CoachingSession.held_on.desc(), CoachingSession.id.desc())
    ).all()


def sessions_between(start: date, end: date) -> list[CoachingSession]:
    """Sessions held or planned from start to end inclusive (for calendar feeds and reminders)."""
    return db.session.scalars(
        db.select(CoachingSession)
        .where(CoachingSession.held_on >= start, CoachingSession.held_on <= end)
        .options(*_session_options())
        .order_by(CoachingSession.held_on, CoachingSession.id)
    ).all()


def adviser_choices() -> list[User]:
    return db.session.scalars(
        db.select(User).where(User.is_adviser.is_(True), User.active.is_(True)).order_by(User.name)
    ).all()


# --- milestones ------------------------------------------------------------------------------------


def milestones(school: School) -> list[Milestone]:
    order = {kind: i for i, kind in enumerate(MILESTONES)}
    rows = db.session.scalars(db.select(Milestone).where(Milestone.school_id == school.id)).all()
    return sorted(rows, key=lambda m: (order.get(m.kind, 99), m.happened_on))


def record_milestone(school: School, kind: str, happened_on: date, note: str = "") -> Milestone:
    """Record a milestone; a milestone that happens once gets its date replaced."""
    if kind not in MILESTONES:
        raise TrackingError(_("Kies een mijlpaal uit de lijst."))
    milestone = None
    if kind not in REPEATABLE_MILESTONES:
        milestone = db.session.scalar(db.select(Milestone).where(Milestone.school_id == school.id, Milestone.kind == kind))
    if milestone is None:
        milestone = Milestone(school=school, kind=kind)
        db.session.add(milestone)
    milestone.happened_on = happened_on
    milestone.note = (note or "").strip()
    db.session.commit()
    return milestone


def delete_milestone(milestone: Milestone) -> None:
    db.session.delete(milestone)
    db.session.commit()


# --- well-being and involvement ---------------------------------------------------------------------

SCALES = ("wellbeing", "involvement")
COUNT_FIELDS = [f"{scale}_{n}" for scale in SCALES for n in range(1, 6)]
MOMENT_WORDS = {"pre": "pre", "voormeting": "pre", "voor": "pre", "post": "post", "nameting": "post", "na": "post"}


def check_measurement(data: dict) -> dict:
    """Validate one group's counts; returns the cleaned values or raises TrackingError."""
    year = (data.get("school_year") or "").strip()
    if not is_school_year(year):
        raise TrackingError(_("Schrijf het schooljaar als 2026-2027."))
    moment = MOMENT_WORDS.get((data.get("moment") or "").strip().lower())
    if moment is None:
        raise TrackingError(_("Het meetmoment is 'voormeting' of 'nameting'."))
    group = " ".join((data.get("group_name") or "").split())
    if not group or len(group) > 80:
        raise TrackingError(_("Geef de groep een naam (een klas of leergemeenschap, hoogstens 80 tekens)."))
    counts = {}
    for name in COUNT_FIELDS:
        value = data.get(name)
        if value in (None, ""):
            value = 0
        try:
            value = int(str(value).strip())
        except ValueError:
            raise TrackingError(_("Tel de leerlingen per niveau in hele getallen.")) from None
        if not 0 <= value <= MAX_GROUP_SIZE:
            raise TrackingError(_("Een aantal ligt tussen 0 en %(max)s.", max=MAX_GROUP_SIZE))
        counts[name] = value
    for scale, label in (("wellbeing", _("welbevinden")), ("involvement", _("betrokkenheid"))):
        if sum(counts[f"{scale}_{n}"] for n in range(1, 6)) == 0:
            raise TrackingError(_("Vul voor %(scale)s minstens één leerling in.", scale=label))
    return {"school_year": year, "moment": moment, "group_name": group, **counts}


def _upsert_measurement(school: School, clean: dict, author: User | None) -> tuple[WellbeingMeasurement, bool]:
    row = db.session.scalar(
        db.select(WellbeingMeasurement).where(
            WellbeingMeasurement.school_id == school.id,
            WellbeingMeasurement.school_year == clean["school_year"],
            WellbeingMeasurement.moment == clean["moment"],
            db.func.lower(WellbeingMeasurement.group_name) == clean["group_name"].lower(),
        )
    )
    changed = row is None
    if row is None:
        row = WellbeingMeasurement(school=school, school_year=clean["school_year"], moment=clean["moment"],
                                   group_name=clean["group_name"])
        db.session.add(row)
    for name in COUNT_FIELDS:
        if getattr(row, name) != clean[name]:
            setattr(row, name, clean[name])
            changed = True
    if changed:
        row.entered_by_id = author.id if author is not None else None
    return row, changed


def save_measurement(school: School, data: dict, author: User) -> WellbeingMeasurement:
    """Enter (or correct) one group's counts at one moment."""
    clean = check_measurement(data)
    row, _changed = _upsert_measurement(school, clean, author)
    db.session.commit()
    return row


def delete_measurement(measurement: WellbeingMeasurement) -> None:
    db.session.delete(measurement)
    db.session.commit()


def measurements(school: School) -> list[WellbeingMeasurement]:
    return db.session.scalars(
        db.select(WellbeingMeasurement)
        .where(WellbeingMeasurement.school_id == school.id)
        .order_by(WellbeingMeasurement.school_year.desc(), WellbeingMeasurement.moment.desc(),
                  WellbeingMeasurement.group_name)
    ).all()


def has_measurement(school: School, year: str, moment: str) -> bool:
    return db.session.scalar(
        db.select(WellbeingMeasurement.id).where(
            WellbeingMeasurement.school_id == school.id,
            WellbeingMeasurement.school_year == year,
            WellbeingMeasurement.moment == moment,
        ).limit(1)
    ) is not None


# --- CSV imports ------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line number in the file, reason)

    @property
    def ok(self) -> bool:
        return not self.refused


def read_csv(raw: bytes | str, required: list[str]) -> list[dict[str, str]]:
    """Rows of a CSV file (comma or semicolon, UTF-8 or Windows-1252); refuses a file without the columns."""
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
        columns = [c.strip().lower() for c in reader.fieldnames or []]
        missing = [c for c in required if c not in columns]
        if missing:
            raise TrackingError(
                _("Deze kolommen ontbreken: %(missing)s. Verwacht: %(expected)s.",
                  missing=", ".join(missing), expected=",".join(required))
            )
        reader.fieldnames = columns
        return [{k: _cell(v) for k, v in row.items() if k is not None} for row in reader]
    except csv.Error as exc:
        raise TrackingError(_("Dit is geen leesbaar CSV-bestand (%(error)s).", error=str(exc))) from None


def _cell(value) -> str:
    """A cell as text; surplus cells of a row (a list) are joined so they are visible in refusals."""
    if isinstance(value, list):
        return ",".join(value).strip()
    return (value or "").strip()


STRUCTURE_COLUMNS = ["warm_city", "network", "school"]
SESSION_COLUMNS = ["date", "kind", "network", "school", "adviser_email", "duration_minutes", "notes"]
WELLBEING_COLUMNS = ["school_year", "moment", "group", *COUNT_FIELDS]
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
    seen: dict[str, int] = {}
    clean = []
    for number, row in enumerate(rows, start=2):
        reasons = []
        held_on = _parse_date(row.get("date", ""))
        if held_on is None:
            reasons.append(_("datum '%(value)s' is geen datum (JJJJ-MM-DD)", value=row.get("date", "")))
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
            reasons.append(_("'%(value)s' is geen adviseur of coördinator in de app", value=email))
        duration = None
        if row.get("duration_minutes"):
            try:
                duration = int(row["duration_minutes"])
            except ValueError:
                duration = -1
            if not 0 < duration <= MAX_DURATION:
                reasons.append(_("duur '%(value)s' is geen aantal minuten tussen 1 en %(max)s",
                                 value=row["duration_minutes"], max=MAX_DURATION))
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
        clean.append((key, kind, network, school, held_on, adviser, duration, row.get("notes", "")))
    if result.refused:
        return result
    existing = _existing_session_keys({c[4] for c in clean})
    for key, kind, network, school, held_on, adviser, duration, notes in clean:
        if key in existing:
            result.unchanged += 1
            continue
        session = CoachingSession(kind=kind, network=network, school=school, held_on=held_on,
                                  duration_minutes=duration, notes=notes, import_key=key, created_by=author)
        if adviser is not None:
            session.advisers = [adviser]
        db.session.add(session)
        result.created += 1
    db.session.commit()
    return result


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
    for values in clean:
        _row, changed = _upsert_measurement(school, values, author)
        if changed:
            result.created += 1
        else:
            result.unchanged += 1
    db.session.commit()
    return result


def cities() -> list[WarmCity]:
    return db.session.scalars(db.select(WarmCity).order_by(WarmCity.name)).all()
