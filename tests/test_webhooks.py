"""Webhooks: events queued in the same unit of work as the change, delivered signed by the sweep to a
real receiver on 127.0.0.1, exactly once even when the first attempt fails; private networks refused
in production; the pages."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories_forum import AdviceRoundFactory, DecisionFactory
from warmeveranderen.extensions import db
from warmeveranderen.notifications import webhooks
from warmeveranderen.notifications.webhook_delivery import deliver_webhooks
from warmeveranderen.notifications.webhooks import Webhook, WebhookDelivery
from warmeveranderen.timeutil import utcnow


class Receiver:
    """An HTTP server on 127.0.0.1 that records each POST and answers from a script (then 200)."""

    def __init__(self, answers=()):
        self.answers = list(answers)
        self.received: list[tuple[dict, bytes, int]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receiver.answers.pop(0) if receiver.answers else 200
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body, status))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def arrived(self):
        return [(h, b) for h, b, status in self.received if 200 <= status < 300]

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _hook(world, url, events=("decision_recorded",), school=True):
    hook, secret = webhooks.create(world.school.id if school else None, url, list(events), world.users["director"])
    db.session.commit()
    return hook, secret


def test_a_signed_decision_arrives_exactly_once_even_when_the_first_delivery_fails(world, receiver):
    receiver.answers = [500]
    _hook_row, secret = _hook(world, receiver.url)
    decision = DecisionFactory(round=AdviceRoundFactory(school=world.school), reasons="We doen het.")

    now = utcnow()
    assert deliver_webhooks(now) == 0  # the receiver answered 500
    [delivery] = db.session.scalars(db.select(WebhookDelivery)).all()
    assert delivery.status == "pending" and delivery.attempts == 1 and delivery.last_status_code == 500
    assert deliver_webhooks(now + timedelta(seconds=30)) == 0 and len(receiver.received) == 1  # not due yet
    assert deliver_webhooks(now + timedelta(minutes=2)) == 1
    for later in (5, 60, 600):
        assert deliver_webhooks(now + timedelta(minutes=later)) == 0

    [(headers, body)] = receiver.arrived()
    assert len(receiver.received) == 2 and receiver.received[0][0]["webhook-id"] == headers["webhook-id"]
    assert webhooks.verify(secret, headers, body)
    assert not webhooks.verify(secret, headers, body.replace(b"We doen het.", b"We doen niets"))
    payload = json.loads(body)
    assert payload["type"] == "decision_recorded" and payload["data"]["decision_id"] == decision.id
    assert payload["data"]["reasons"] == "We doen het." and payload["school_id"] == world.school.id


def test_other_schools_and_unchosen_events_are_not_sent_and_programme_hooks_hear_every_school(world, receiver):
    _hook(world, receiver.url, events=("sprint_started",))
    programme_hook, _secret = _hook(world, receiver.url + "/alle", school=False)
    DecisionFactory(round=AdviceRoundFactory(school=world.other_school))
    assert deliver_webhooks(utcnow()) == 1
    [(headers, body)] = receiver.arrived()
    assert json.loads(body)["school_id"] == world.other_school.id
    assert db.session.scalar(db.select(WebhookDelivery.webhook_id)) == programme_hook.id


def test_a_rolled_back_change_sends_nothing(world, receiver):
    from warmeveranderen.forum.models import Decision

    _hook(world, receiver.url)
    round_ = AdviceRoundFactory(school=world.school)
    db.session.add(Decision(round=round_, school_id=world.school.id, outcome="adopt", reasons="Toch niet.",
                            subject_kind=round_.subject_kind, subject_title=round_.subject_title))
    db.session.flush()  # the event is queued with the change ...
    assert any(isinstance(o, WebhookDelivery) for o in db.session.new)
    db.session.rollback()  # ... and goes with it
    assert deliver_webhooks(utcnow()) == 0 and receiver.received == []
    assert db.session.scalar(db.select(db.func.count()).select_from(WebhookDelivery)) == 0


@pytest.mark.postgres
def test_two_sweeps_at_once_send_each_delivery_once(app, world, receiver):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("runs when the suite itself runs on PostgreSQL (WARMEVERANDEREN_TEST_DATABASE_URL)")
    _hook(world, receiver.url)
    for _ in range(20):
        DecisionFactory(round=AdviceRoundFactory(school=world.school))
    barrier = threading.Barrier(2)
    counts = []

    def sweep():
        with app.app_context():
            barrier.wait()
            counts.append(deliver_webhooks(utcnow()))
            db.session.remove()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == 20 and len(receiver.arrived()) == 20
    assert len({h["webhook-id"] for h, _b in receiver.arrived()}) == 20


def test_private_networks_are_refused_in_production(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "ENV", "production")
    with app.test_request_context():
        for url in ("https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://[::1]/hook", "https://169.254.169.254/",
                    "http://example.org/hook", "https://user:pw@example.org/"):
            assert webhooks.url_problem(url), url
        with pytest.raises(webhooks.WebhookError):
            webhooks.create(world.school.id, "https://localhost/hook", ["decision_recorded"], world.users["director"])


def test_the_director_adds_a_webhook_sends_a_test_and_sees_the_log(client, auth, world, receiver):
    auth.login(client, world.users["director"].email)
    bad = client.post_form(f"/scholen/{world.school.id}/koppelingen", {"url": "ftp://x", "events": "decision_recorded"})
    assert bad.status_code == 422 and "ftp://x" in bad.get_data(as_text=True)
    added = client.post_form(f"/scholen/{world.school.id}/koppelingen",
                             {"url": receiver.url, "events": ["decision_recorded", "idea_answered"]})
    assert added.status_code == 302
    hook = db.session.scalar(db.select(Webhook))
    assert hook.events == ["decision_recorded", "idea_answered"]
    page = client.get(added.location).get_data(as_text=True)
    assert webhooks.secret_of(hook) in page
    tested = client.post_form(f"/scholen/{world.school.id}/koppelingen/{hook.id}/test", {})
    assert "aangekomen" in client.get(tested.location).get_data(as_text=True)
    [(headers, body)] = receiver.arrived()
    assert json.loads(body)["type"] == "ping" and webhooks.verify(webhooks.secret_of(hook), headers, body)

    other = client.application.test_client()
    auth.login(other, world.users["outsider"].email)
    assert other.get(f"/scholen/{world.school.id}/koppelingen/{hook.id}").status_code == 403
