"""Answering a survey without an account: the link is the permission.

Nothing about the person is looked at or kept: no login, no address, no browser, no time with the
answer. A link that is unknown, used or closed gives the same kind of page (410) without saying
more than needed.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import get_locale

from warmeveranderen import uow
from warmeveranderen.forms_common import field_error
from warmeveranderen.permissions import public
from warmeveranderen.surveys import queries, services
from warmeveranderen.surveys.forms import answer_form
from warmeveranderen.timeutil import today

bp = Blueprint("survey_answers", __name__, url_prefix="/bevraging")


def _gone(reason: str):
    return render_template("surveys/answer_gone.html", reason=reason), 410


@bp.route("/<token>", methods=["GET", "POST"])
@public
def answer(token: str):
    survey, invite = services.find_link(token)
    if survey is None:
        return _gone("unknown")
    if invite is not None and invite.used:
        return _gone("used")
    if not survey.is_open(today()):
        return _gone("closed")
    questions = queries.questions_to_answer(survey)
    form = answer_form(questions)
    if form.validate_on_submit():
        values = {q.id: form[f"q{q.id}"].data for q in questions}
        try:
            services.submit(survey, invite, questions, values)
        except services.SurveyError as exc:
            field_error(form, exc)
        else:
            return redirect(url_for("survey_answers.thanks"))
    return uow.form_page("surveys/answer.html", form, survey=survey, questions=questions,
                         locale=str(get_locale() or "nl"), failed=bool(form.errors) or form.is_submitted())


@bp.route("/bedankt")
@public
def thanks():
    return render_template("surveys/answer_thanks.html")
