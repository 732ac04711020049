"""The programme's structure out and in: one row per school (warm city, learning network, level, net),
and a row for a warm city or learning network without schools, so that everything comes back.

Re-importing an export changes nothing. A school already known in another city or network is refused
(moving a school is done on its page); a level or net that differs is updated.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from warmeveranderen.domain import SCHOOL_LEVELS, UMBRELLAS
from warmeveranderen.exchange.common import ExchangeResult, words
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import LearningNetwork, School, WarmCity
from warmeveranderen.programme.services import current_programme
from warmeveranderen.tracking.tabular import Column

COLUMNS = [
    Column("warm_city", _l("Warme stad")), Column("network", _l("Lerend netwerk")), Column("school", _l("School")),
    Column("level", _l("Onderwijsniveau")), Column("umbrella", _l("Net / koepel")),
]
REQUIRED = ["warm_city", "network", "school"]


def export_rows() -> list[list]:
    schools = db.session.scalars(
        db.select(School).options(selectinload(School.city), selectinload(School.network))
    ).all()
    rows = [[s.city.name, s.network.name if s.network else "", s.name, s.level or "", s.umbrella or ""] for s in schools]
    used_cities = {s.city_id for s in schools}
    used_networks = {s.network_id for s in schools if s.network_id}
    rows += [[c.name, "", "", "", ""] for c in db.session.scalars(db.select(WarmCity)) if c.id not in used_cities]
    rows += [["", n.name, "", "", ""] for n in db.session.scalars(db.select(LearningNetwork)) if n.id not in used_networks]
    return sorted(rows, key=lambda r: (r[0].casefold(), r[1].casefold(), r[2].casefold()))


def _code(row: dict, key: str, allowed: dict, reasons: list[str]) -> str | None:
    value = words(row, key)
    if not value:
        return None
    by_label = {str(label).lower(): code for code, label in allowed.items()}
    code = value if value in allowed else by_label.get(value.lower())
    if code is None:
        reasons.append(_("%(column)s '%(value)s' is niet een van: %(allowed)s", column=key, value=value,
                         allowed=", ".join(allowed)))
    return code


def import_rows(rows: list[dict[str, str]]) -> ExchangeResult:
    result = ExchangeResult()
    cities = {c.name.lower(): c for c in db.session.scalars(db.select(WarmCity))}
    networks = {n.name.lower(): n for n in db.session.scalars(db.select(LearningNetwork))}
    schools = {s.name.lower(): s for s in db.session.scalars(
        db.select(School).options(selectinload(School.city), selectinload(School.network)))}
    clean, seen = [], {}
    for number, row in enumerate(rows, start=2):
        reasons: list[str] = []
        city, network, school = words(row, "warm_city"), words(row, "network"), words(row, "school")
        level = _code(row, "level", SCHOOL_LEVELS, reasons)
        umbrella = _code(row, "umbrella", UMBRELLAS, reasons)
        if not city and not network:
            reasons.append(_("vul minstens een warme stad of een lerend netwerk in"))
        if school and not city:
            reasons.append(_("een school hoort bij een warme stad"))
        for value in (city, network, school):
            if len(value) > 160:
                reasons.append(_("'%(value)s…' is langer dan 160 tekens", value=value[:40]))
        known = schools.get(school.lower()) if school else None
        if known is not None and (known.city.name.lower() != city.lower()
                                  or (known.network.name.lower() if known.network else "") != network.lower()):
            reasons.append(_("school '%(school)s' bestaat al in %(city)s / %(network)s",
                             school=known.name, city=known.city.name,
                             network=known.network.name if known.network else "—"))
        if school and seen.setdefault(school.lower(), (city.lower(), network.lower())) != (city.lower(), network.lower()):
            reasons.append(_("school '%(school)s' staat twee keer in het bestand, met een andere stad of ander netwerk",
                             school=school))
        if reasons:
            result.refused.append((number, "; ".join(reasons)))
        else:
            clean.append((city, network, school, level, umbrella))
    if result.refused:
        return result
    programme = None
    for city_name, network_name, school_name, level, umbrella in clean:
        created = changed = False
        city = cities.get(city_name.lower()) if city_name else None
        if city_name and city is None:
            programme = programme or current_programme()
            city = cities[city_name.lower()] = WarmCity(programme=programme, name=city_name)
            db.session.add(city)
            created = True
        network = networks.get(network_name.lower()) if network_name else None
        if network_name and network is None:
            programme = programme or current_programme()
            network = networks[network_name.lower()] = LearningNetwork(programme=programme, name=network_name)
            db.session.add(network)
            created = True
        if school_name:
            school = schools.get(school_name.lower())
            if school is None:
                programme = programme or current_programme()
                school = schools[school_name.lower()] = School(programme=programme, name=school_name, city=city,
                                                               network=network, level=level, umbrella=umbrella)
                db.session.add(school)
                created = True
            else:
                for attribute, value in (("level", level), ("umbrella", umbrella)):
                    if value is not None and getattr(school, attribute) != value:
                        setattr(school, attribute, value)
                        changed = True
        if created:
            result.created += 1
        elif changed:
            result.changed += 1
        else:
            result.unchanged += 1
    db.session.flush()
    return result
