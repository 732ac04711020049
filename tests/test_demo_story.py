"""The demo tells the programme's true story: seed 001's session table, its warm cities, no invented figures."""

import csv
import io
from pathlib import Path

from warmeveranderen.demo import load_demo
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import WarmCity
from warmeveranderen.tracking.models import IndicatorDefinition, IndicatorRating

DATA = Path(__file__).parent / "data"


def read(name: str) -> list[dict]:
    with (DATA / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_demo_report_reproduces_the_session_table_of_the_impact_report(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    result = runner.invoke(args=["report", "sessions", "--from", "2017-09-01", "--to", "2020-08-31",
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    report = list(csv.DictReader(io.StringIO(result.output)))
    collective = {r["network"]: int(r["collective_sessions"]) for r in report if not r["school"]}
    individual = {r["school"]: int(r["individual_sessions"]) for r in report if r["school"]}
    assert collective == {r["network"]: int(r["collective_sessions"]) for r in read("session_counts_networks.csv")}
    assert individual == {r["school"]: int(r["individual_sessions"]) for r in read("session_counts_schools.csv")}
    assert individual["Atheneum Voskenslaan"] == 23 and individual["GO! Lyceum Gent"] == 37
    assert sum(collective.values()) == 52 and sum(individual.values()) == 446
    assert not any(int(r["collective_planned"]) or int(r["individual_planned"]) for r in report)


def test_the_demo_has_the_programmes_six_warm_cities():
    load_demo()
    assert set(db.session.scalars(db.select(WarmCity.name))) == {
        "Gent", "Genk", "Turnhout", "Brugge", "Leuven", "Kortrijk"}


def test_the_demo_invents_no_ratings_for_the_indicators_the_report_gives_no_figures_for():
    load_demo()
    numbers = set(db.session.scalars(
        db.select(IndicatorDefinition.number).join(IndicatorRating, IndicatorRating.indicator_id == IndicatorDefinition.id)))
    assert numbers == {1, 2, 3, 4, 5, 6, 9}
