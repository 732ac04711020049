"""From screening to action: notable results suggest offer-basket items that address them.

A signal is either a group (pupils or staff) of the latest screening with a notable share at levels
1–2 on a scale (SCREENING_NOTABLE_LOW_SHARE, 25 % by default), or a survey question whose mean fell
clearly from the pre- to the post-measurement (SURVEY_CLEAR_FALL, 0.5 on the scale of 1 to 5; only
where both moments reached the minimum group size). Basket items carry the scales and themes they
address (BasketItem.addresses); those matching a signal are suggested, most matches first, leaving
out what the school already took from the basket.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_

from warmeveranderen.domain import ADDRESSED_THEMES, WELLBEING_SCALES
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_average
from warmeveranderen.sprints.models import BasketItem, Initiative
from warmeveranderen.surveys import queries
from warmeveranderen.surveys.models import MOMENTS
from warmeveranderen.tracking.models import WellbeingMeasurement

MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class Signal:
    code: str  # a key of domain.ADDRESSED_THEMES
    text: str


_SETTING_KEYS = {"SCREENING_NOTABLE_LOW_SHARE": "notable_low_share", "SURVEY_CLEAR_FALL": "clear_fall"}


def _setting(name: str, default: float) -> float:
    """A threshold of the programme's survey settings (queries.settings: the coordinator's, else the config's)."""
    return float(queries.settings().get(_SETTING_KEYS[name], default))


def screening_signals(school) -> list[Signal]:
    """Groups of the school's latest screening moment with a notable share at levels 1–2."""
    latest = (db.select(WellbeingMeasurement.school_year, WellbeingMeasurement.moment)
              .where(WellbeingMeasurement.school_id == school.id)
              .order_by(WellbeingMeasurement.school_year.desc(), WellbeingMeasurement.moment.desc())
              .limit(1).subquery())
    rows = db.session.scalars(db.select(WellbeingMeasurement).join(latest, and_(
        WellbeingMeasurement.school_year == latest.c.school_year, WellbeingMeasurement.moment == latest.c.moment,
    )).where(WellbeingMeasurement.school_id == school.id).order_by(WellbeingMeasurement.group_name)).all()
    threshold = _setting("SCREENING_NOTABLE_LOW_SHARE", 25)
    found = []
    for row in rows:
        for scale in ("wellbeing", "involvement", "emotional"):
            counts = row.counts(scale)
            total = sum(counts)
            if not total:
                continue
            share = round(100 * (counts[0] + counts[1]) / total)
            if share >= threshold:
                found.append(Signal(scale, _("%(group)s: %(share)s %% op niveau 1–2 van %(scale)s (%(moment)s %(year)s)",
                                             group=row.group_name, share=share,
                                             scale=str(WELLBEING_SCALES[scale]).lower(),
                                             moment=str(MOMENTS[row.moment]).lower(), year=row.school_year)))
    return found


def survey_signals(school) -> list[Signal]:
    """Questions of the school's latest post-measurements whose mean fell clearly since the pre-measurement."""
    fall = _setting("SURVEY_CLEAR_FALL", 0.5)
    surveys = queries.surveys_of_once(school)
    posts = sorted((s for s in surveys if s.moment == "post"), key=lambda s: s.school_year, reverse=True)[:6]
    if not posts:
        return []
    latest = [p for p in posts if p.school_year == posts[0].school_year]
    found = []
    for pre, post in queries.pairs(latest, among=surveys):
        for change in queries.comparison(pre, post):
            if change.delta <= -fall and change.question.theme:
                found.append(Signal(change.question.theme, _(
                    "%(group)s: “%(question)s” daalde van %(before)s naar %(after)s",
                    group=post.survey.group_name, question=change.question.text,
                    before=format_average(change.before), after=format_average(change.after))))
    return found


def suggestions(school) -> tuple[list[Signal], list[tuple[BasketItem, list[str]]]]:
    """The signals, and the matching basket items with the codes each one addresses."""
    signals = screening_signals(school) + survey_signals(school)
    codes = {s.code for s in signals}
    if not codes:
        return signals, []
    # The programme's active items the school has not taken from the basket yet.
    taken = db.select(Initiative.basket_item_id).where(Initiative.school_id == school.id,
                                                       Initiative.basket_item_id.is_not(None))
    items = db.session.scalars(db.select(BasketItem).where(
        BasketItem.programme_id == school.programme_id, BasketItem.active.is_(True), BasketItem.id.not_in(taken),
    ).order_by(BasketItem.title)).all()
    matches = []
    for item in items:
        hits = [c for c in ADDRESSED_THEMES if c in (item.addresses or []) and c in codes]
        if hits:
            matches.append((item, hits))
    matches.sort(key=lambda m: -len(m[1]))
    return signals, matches[:MAX_SUGGESTIONS]
