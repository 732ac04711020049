"""Changing the advisers' follow-up: the only place in this feature that does (services flush; the
request, or the command, commits once). Reading is in queries.py, the CSV imports in imports.py.

Every public function that changes something either changes it or raises TrackingError.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import MILESTONES, REPEATABLE_MILESTONES
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day
from warmeveranderen.programme.models import LearningNetwork, School
from warmeveranderen.security import is_safe_link
from warmeveranderen.timeutil import today
from warmeveranderen.tracking.defaults import INDICATORS
from warmeveranderen.tracking.models import (
    LEVEL_CODES,
    CoachingSession,
    IndicatorDefinition,
    IndicatorRating,
    Milestone,
    WellbeingMeasurement,
)
from warmeveranderen.tracking.queries import default_indicator, saved_indicators
from warmeveranderen.tracking.windows import is_school_year, school_year
from warmeveranderen.uow import ServiceError

# A group is a class or a learning community: both scales count the same pupils, at most this many.
MAX_GROUP_SIZE = 250
MAX_DURATION = 600


class TrackingError(ServiceError):
    """A user-facing refusal, in Dutch."""


# --- indicators ---------------------------------------------------------------------------------


def indicators() -> list[IndicatorDefinition]:
    """The nine definitions, saved with their defaults the first time a change needs them."""
    found = saved_indicators()
    if len(found) == len(INDICATORS):
        return found
    present = {d.number for d in found}
    try:
        # A savepoint: a request that saves them at the same moment leaves this one's work intact.
        with db.session.begin_nested():
            db.session.add_all(default_indicator(number) for number, _title, _guidance in INDICATORS
                               if number not in present)
    except IntegrityError:  # another request saved them at the same moment
        pass
    return saved_indicators()


def indicator(number: int) -> IndicatorDefinition | None:
    """Indicator `number`, saved (with its defaults) if it was not yet."""
    return next((d for d in indicators() if d.number == number), None)


def save_indicator(number: int, data: dict) -> IndicatorDefinition:
    """The coordinator edits the title, guidance and level labels (ratings keep their level codes)."""
    labels = [data[f"label_{code}"].strip() for code in LEVEL_CODES]
    if len({label.lower() for label in labels}) != len(labels):
        raise TrackingError(_("Geef de vier niveaus elk een ander label."))
    definition = indicator(number)
    definition.title = data["title"].strip()
    definition.guidance = (data.get("guidance") or "").strip()
    for code, label in zip(LEVEL_CODES, labels, strict=True):
        setattr(definition, f"label_{code}", label)
    db.session.flush()
    return definition


EVIDENCE_RE = re.compile(r"^(https?://\S+|/(?!/)\S*)$")


def check_evidence(text: str) -> str:
    """One link (https://…) or app path (/scholen/…) per line; anything else is refused."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines:
        if not EVIDENCE_RE.match(line) or not is_safe_link(line):
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
    db.session.flush()
    return ratings


# --- coaching sessions ---------------------------------------------------------------------------


# Dates a person can mean: nothing before this, no session planned further ahead than two years, and a
# milestone is reached on or before today.
EARLIEST_DAY = date(2000, 1, 1)
PLANNED_AHEAD = timedelta(days=2 * 365)


class DuplicateSession(TrackingError):
    """The same session (kind, school or network, date) is already logged."""


def check_day(day: date | None, last: date) -> str | None:
    """Why a date is not plausible (a Dutch message), or None."""
    if day is None or not EARLIEST_DAY <= day <= last:
        return _("Kies een datum tussen %(first)s en %(last)s.", first=format_day(EARLIEST_DAY), last=format_day(last))
    return None


def last_session_day() -> date:
    return today() + PLANNED_AHEAD


def _check_session(data: dict) -> None:
    problem = check_day(data.get("held_on"), last_session_day())
    if problem:
        raise TrackingError(problem)
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
    if not any((data.get(key) or "").strip() for key in ("participants", "summary", "notes")):
        raise TrackingError(_("Beschrijf de sessie: vul de deelnemers, een samenvatting of notities in."))
    kind = "individual" if school is not None else "collective"
    if not data.get("allow_duplicate"):
        same = db.session.scalar(db.select(CoachingSession.id).where(
            CoachingSession.kind == kind, CoachingSession.held_on == data["held_on"],
            CoachingSession.cancelled.is_(False),
            CoachingSession.school_id == school.id if school is not None else CoachingSession.network_id == network.id,
        ).limit(1))
        if same is not None:
            raise DuplicateSession(_("Op %(day)s staat deze sessie al genoteerd. Is het een tweede sessie op die dag? "
                                     "Vink dan 'Toch opslaan' aan.", day=format_day(data["held_on"])))
    session = CoachingSession(
        kind=kind,
        school=school,
        network=network if network is not None else school.network,
        created_by=author,
    )
    _fill_session(session, data)
    db.session.add(session)
    db.session.flush()
    return session


def update_session(session: CoachingSession, data: dict) -> None:
    _check_session(data)
    _fill_session(session, data)
    db.session.flush()


def _fill_session(session: CoachingSession, data: dict) -> None:
    session.held_on = data["held_on"]
    session.duration_minutes = data.get("duration_minutes")
    session.participants = (data.get("participants") or "").strip()
    session.notes = (data.get("notes") or "").strip()
    session.summary = (data.get("summary") or "").strip()
    session.cancelled = bool(data.get("cancelled"))
    session.advisers = list(data["advisers"])


def delete_session(session: CoachingSession) -> None:
    db.session.delete(session)
    db.session.flush()



# --- milestones ------------------------------------------------------------------------------------


def record_milestone(school: School, kind: str, happened_on: date, note: str = "") -> Milestone:
    """Record a milestone; a milestone that happens once gets its date replaced."""
    if kind not in MILESTONES:
        raise TrackingError(_("Kies een mijlpaal uit de lijst."))
    if check_day(happened_on, today()):
        raise TrackingError(_("Een mijlpaal is bereikt: kies een datum tussen %(first)s en vandaag.",
                              first=format_day(EARLIEST_DAY)))
    milestone = None
    if kind not in REPEATABLE_MILESTONES:
        milestone = db.session.scalar(db.select(Milestone).where(Milestone.school_id == school.id, Milestone.kind == kind))
    if milestone is None:
        milestone = Milestone(school=school, kind=kind)
        db.session.add(milestone)
    milestone.happened_on = happened_on
    milestone.note = (note or "").strip()
    db.session.flush()
    return milestone


def delete_milestone(milestone: Milestone) -> None:
    db.session.delete(milestone)
    db.session.flush()


# --- well-being and involvement ---------------------------------------------------------------------

SCALES = ("wellbeing", "involvement")
COUNT_FIELDS = [f"{scale}_{n}" for scale in SCALES for n in range(1, 6)]
# The third scale (healthy emotional functioning) is optional: empty counts mean "not screened".
EMOTIONAL_FIELDS = [f"emotional_{n}" for n in range(1, 6)]
# Everything a measurement stores besides its key (school year, moment, group).
STORED_FIELDS = [*COUNT_FIELDS, *EMOTIONAL_FIELDS, "population"]
POPULATION_WORDS = {"": "pupils", "pupils": "pupils", "leerlingen": "pupils", "staff": "staff", "personeel": "staff"}
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
    for name in [*COUNT_FIELDS, *EMOTIONAL_FIELDS]:
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
    # The label is translated only for a refusal: an import checks thousands of rows.
    for scale, label in (("wellbeing", _l("welbevinden")), ("involvement", _l("betrokkenheid"))):
        if sum(counts[f"{scale}_{n}"] for n in range(1, 6)) == 0:
            raise TrackingError(_("Vul voor %(scale)s minstens één leerling in.", scale=str(label)))
    wellbeing, involvement = (sum(counts[f"{scale}_{n}"] for n in range(1, 6)) for scale in SCALES)
    if wellbeing != involvement:
        raise TrackingError(_("Welbevinden en betrokkenheid tellen dezelfde leerlingen, maar nu telt welbevinden "
                              "%(wellbeing)s en betrokkenheid %(involvement)s leerlingen.",
                              wellbeing=wellbeing, involvement=involvement))
    emotional = sum(counts[name] for name in EMOTIONAL_FIELDS)
    if emotional and emotional != wellbeing:
        raise TrackingError(_("Gezond emotioneel functioneren telt dezelfde groep: %(n)s, niet %(e)s. Of laat die "
                              "schaal leeg.", n=wellbeing, e=emotional))
    population = POPULATION_WORDS.get((data.get("population") or "").strip().lower())
    if population is None:
        raise TrackingError(_("Wie werd gescreend: 'leerlingen' of 'personeel'."))
    counts["population"] = population
    if wellbeing > MAX_GROUP_SIZE:
        raise TrackingError(_("Een groep telt hoogstens %(max)s leerlingen, deze %(n)s. Splits ze in kleinere groepen.",
                              max=MAX_GROUP_SIZE, n=wellbeing))
    return {"school_year": year, "moment": moment, "group_name": group, **counts}


def upsert_measurement(school: School, clean: dict, author: User | None) -> tuple[WellbeingMeasurement, bool]:
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
    for name in STORED_FIELDS:
        if getattr(row, name) != clean[name]:
            setattr(row, name, clean[name])
            changed = True
    if changed:
        row.entered_by_id = author.id if author is not None else None
    return row, changed


def save_measurement(school: School, data: dict, author: User) -> WellbeingMeasurement:
    """Enter (or correct) one group's counts at one moment."""
    clean = check_measurement(data)
    row, _changed = upsert_measurement(school, clean, author)
    db.session.flush()
    return row


def delete_measurement(measurement: WellbeingMeasurement) -> None:
    db.session.delete(measurement)
    db.session.flush()

