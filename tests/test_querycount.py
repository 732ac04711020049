"""The X-Query-Count header the benchmark reads: off by default, a true count when switched on."""

from sqlalchemy import event

from warmeveranderen import create_app
from warmeveranderen.extensions import db


def test_no_header_by_default(client):
    assert "X-Query-Count" not in client.get("/inloggen").headers


def test_header_counts_the_queries_of_the_request(app, database_url, tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url,
                      "COUNT_QUERIES": True, "MAIL_OUTBOX_DIR": str(tmp_path), "WTF_CSRF_ENABLED": False})
    seen = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    response = app.test_client().post("/inloggen", data={"email": "niemand@example.org", "password": "x"})
    assert response.status_code == 401
    assert int(response.headers["X-Query-Count"]) == len(seen) > 0
    with app.app_context():
        db.engine.dispose()
