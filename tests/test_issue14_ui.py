"""Issue 14: multi-checkboxes ask for "at least one", not for every box."""

from __future__ import annotations

import re

from flask import render_template_string
from flask_wtf import FlaskForm

from tests.factories_vision import VisionFactory, VisionVersionFactory
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import AtLeastOne, MultiCheckboxField
from warmeveranderen.timeutil import today
from warmeveranderen.vision.models import Endorsement

CHECKBOX = re.compile(r"<input[^>]*type=\"checkbox\"[^>]*>")


def test_endorsement_by_two_groups_is_recorded_and_no_box_is_required(world, auth):
    VisionVersionFactory(vision=VisionFactory(school=world.school), number=1)
    fly = auth.client_for(world.users["flywheel"])
    url = f"/scholen/{world.school.id}/visie/versies/1/endorsement"
    boxes = [b for b in CHECKBOX.findall(fly.get(url).get_data(as_text=True)) if 'name="groups"' in b]
    assert len(boxes) == 6
    assert not any(re.search(r"\brequired\b", b) for b in boxes), boxes

    none = fly.post_form(url, {"groups": [], "endorsed_on": today().isoformat(), "changes": "Mijn notities"})
    assert none.status_code == 422
    page = none.get_data(as_text=True)
    assert "Duid minstens één stakeholdergroep aan." in page and "Mijn notities" in page

    two = fly.post_form(url, {"groups": ["parent", "pupil"], "endorsed_on": today().isoformat()})
    assert two.status_code == 302
    endorsement = db.session.scalar(db.select(Endorsement))
    assert sorted(endorsement.groups) == ["parent", "pupil"]


def test_the_forms_macro_never_marks_a_checkbox_of_a_list_required(app):
    class Form(FlaskForm):
        class Meta:
            csrf = False

        picked = MultiCheckboxField("Kies", choices=[("a", "A"), ("b", "B")], validators=[AtLeastOne()])

    with app.test_request_context():
        form = Form(formdata=None)
        html = render_template_string('{% import "_macros/forms.html" as forms %}{{ forms.field(form.picked) }}',
                                      form=form)
        assert form.validate() is False and form.picked.errors == ["Duid minstens één keuze aan."]
    boxes = CHECKBOX.findall(html)
    assert len(boxes) == 2 and not any("required" in b for b in boxes)
    assert re.search(r"<legend[^>]*>Kies <span class=\"text-danger\" aria-hidden=\"true\">\*</span></legend>", html)


def test_the_amore_chart_changes_as_soon_as_scores_are_given(world, auth):
    from tests.test_vision import scores

    VisionVersionFactory(vision=VisionFactory(school=world.school), number=1)
    fly = auth.client_for(world.users["flywheel"])
    chart_url = f"/scholen/{world.school.id}/visie/versies/1/amore.svg"
    before = fly.get(chart_url)
    assert before.status_code == 200 and before.headers["ETag"]
    assert "no-cache" in before.headers["Cache-Control"] and "max-age" not in before.headers["Cache-Control"]
    # Unchanged data: the browser's copy is still good (304, no body).
    again = fly.get(chart_url, headers={"If-None-Match": before.headers["ETag"]})
    assert again.status_code == 304 and not again.data

    assert fly.post_form(f"/scholen/{world.school.id}/visie/versies/1/amore", scores(5, 4, 3, 5, 4)).status_code == 302
    after = fly.get(chart_url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert "Vliegwiel (1)" in after.get_data(as_text=True)
