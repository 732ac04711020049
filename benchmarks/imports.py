"""Time the well-being CSV import of one school (not part of the tests).

    .venv/bin/python -m benchmarks.imports [--rows 4000,8000] [--db sqlite|postgresql-url]

Each size runs in a fresh database (SQLite file, or the PostgreSQL scratch database given, whose
`public` schema is recreated): the file is read and imported as the upload does, first into an empty
school and then again with every row's counts changed (the replace path).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import text

from warmeveranderen import create_app
from warmeveranderen.extensions import db


def make_csv(rows: int, shift: int = 0) -> bytes:
    from warmeveranderen.tracking.imports import WELLBEING_COLUMNS

    lines = [",".join(WELLBEING_COLUMNS)]
    for i in range(rows):
        year = 2000 + i // 400
        moment = "pre" if i % 2 else "post"
        counts = ",".join(str((i + n + shift) % 9) for n in range(10))
        lines.append(f"{year}-{year + 1},{moment},Groep {i // 2},{counts}")
    return ("\n".join(lines) + "\n").encode()


def run(rows: int, url: str) -> tuple[float, float]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "IMPORT_MAX_ROWS": 100_000})
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        from tests.factories import SchoolFactory, UserFactory
        from warmeveranderen.tracking import imports

        author, school = UserFactory(), SchoolFactory()
        db.session.commit()
        times = []
        for shift in (0, 1):
            start = time.perf_counter()
            result = imports.import_wellbeing(school, imports.read_csv(make_csv(rows, shift), imports.WELLBEING_COLUMNS),
                                              author)
            db.session.commit()
            times.append(time.perf_counter() - start)
            assert result.ok and result.created == rows, result
        db.session.remove()
        db.engine.dispose()
    return times[0], times[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="4000,8000")
    parser.add_argument("--db", default="sqlite")
    args = parser.parse_args()
    for rows in (int(r) for r in args.rows.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}" if args.db == "sqlite" else args.db
            new, replace = run(rows, url)
            print(f"{rows:>6} rows on {url.split(':')[0]}: new {new:6.2f} s, replace {replace:6.2f} s")


if __name__ == "__main__":
    main()
