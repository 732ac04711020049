"""Loading the programme's structure (warm cities, learning networks, schools) from CSV rows.

Used by the demo and by `flask import structure`; importing the same rows twice changes nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from warmeveranderen.extensions import db
from warmeveranderen.programme.models import LearningNetwork, School, WarmCity
from warmeveranderen.programme.services import current_programme

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=lambda: {"cities": 0, "networks": 0, "schools": 0})
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)


def guess_level(name: str) -> str | None:
    """The school level where the name says it; otherwise unknown."""
    lowered = name.lower()
    if "buitengewoon" in lowered:
        return "buitengewoon"
    if "basis" in lowered or "gemeenteschool" in lowered:
        return "basis"
    return None


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_structure(rows: list[dict[str, str]]) -> ImportReport:
    """Create the cities, networks and schools of the rows (warm_city, network, school) that are missing.

    Every row is validated first; if any row is refused nothing is written.
    """
    report = ImportReport()
    clean = []
    seen: dict[str, tuple[str, str]] = {}
    for number, row in enumerate(rows, start=2):
        city = " ".join((row.get("warm_city") or "").split())
        network = " ".join((row.get("network") or "").split())
        school = " ".join((row.get("school") or "").split())
        if not city or not school:
            report.refused.append((number, "warm_city en school zijn verplicht"))
            continue
        if school.lower() in seen and seen[school.lower()] != (city, network):
            report.refused.append((number, f"school '{school}' staat al in een andere stad of ander netwerk"))
            continue
        seen[school.lower()] = (city, network)
        clean.append((city, network, school))
    if report.refused:
        return report

    programme = current_programme()
    cities = {c.name: c for c in db.session.scalars(db.select(WarmCity))}
    networks = {n.name: n for n in db.session.scalars(db.select(LearningNetwork))}
    schools = {s.name.lower(): s for s in db.session.scalars(db.select(School))}
    for city_name, network_name, school_name in clean:
        city = cities.get(city_name)
        if city is None:
            city = cities[city_name] = WarmCity(programme=programme, name=city_name)
            db.session.add(city)
            report.created["cities"] += 1
        network = None
        if network_name:
            network = networks.get(network_name)
            if network is None:
                network = networks[network_name] = LearningNetwork(programme=programme, name=network_name)
                db.session.add(network)
                report.created["networks"] += 1
        if school_name.lower() not in schools:
            schools[school_name.lower()] = School(
                programme=programme, name=school_name, city=city, network=network, level=guess_level(school_name)
            )
            db.session.add(schools[school_name.lower()])
            report.created["schools"] += 1
    db.session.flush()
    return report
