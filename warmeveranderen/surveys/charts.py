"""The surveys' charts (pygal SVG via warmeveranderen.charts); the page shows the same figures as a table."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _

from warmeveranderen import charts as base
from warmeveranderen.surveys.models import LIKERT


def _label(question) -> str:
    text = question.wording(str(get_locale() or "nl"))
    return text if len(text) <= 60 else text[:57] + "…"


def distribution_chart(result):
    """One stacked bar per Likert question: the share of respondents at each point."""
    rows = result.likert
    series = {str(LIKERT[p]): [r.percents[p - 1] for r in rows] for p in range(1, 6)}
    return base.horizontal_bar(_("Antwoorden per vraag (% van wie de vraag beantwoordde)"),
                               [_label(r.question) for r in rows], series, stacked=True, range=(0, 100),
                               truncate_label=-1, height=max(260, 80 + 48 * len(rows)))


def change_chart(changes):
    """Per question: the mean at the pre- and at the post-measurement (1 to 5)."""
    return base.horizontal_bar(
        _("Gemiddelde per vraag, voormeting en nameting (1 tot 5)"), [_label(c.question) for c in changes],
        {_("Voormeting"): [round(c.before, 2) for c in changes], _("Nameting"): [round(c.after, 2) for c in changes]},
        range=(1, 5), truncate_label=-1, height=max(260, 80 + 56 * len(changes)))


svg = base.svg_response
