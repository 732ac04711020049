"""The follow-up's charts (pygal SVG via warmeveranderen.charts); every page that shows one also has its table."""

from __future__ import annotations

from flask_babel import gettext as _

from warmeveranderen import charts
from warmeveranderen.domain import WELLBEING_SCALES
from warmeveranderen.tracking.dashboards import distribution, whole_shares


def _moment(code: str) -> str:
    return _("voormeting") if code == "pre" else _("nameting")


def indicator_chart(definitions, counts: dict[int, dict[str, int]]):
    """One stacked bar per indicator: the share of rated schools at each of the four levels."""
    labels = [_("Indicator %(n)s", n=d.number) for d in definitions]
    levels = definitions[0].levels if definitions else []
    shares = {d.id: whole_shares([counts.get(d.id, {}).get(code, 0) for code, _label in levels]) for d in definitions}
    series = {label: [shares[d.id][i] for d in definitions] for i, (_code, label) in enumerate(levels)}
    return charts.horizontal_bar(
        _("Scholen per niveau, per indicator (% van de gescoorde scholen)"), labels, series, stacked=True,
        range=(0, 100), height=460, truncate_label=-1,
    )


def wellbeing_trend_chart(totals: list[dict], title: str):
    """Per school year and moment: the share of pupils at levels 4–5 for both scales."""
    labels = [f"{t['school_year']} {_moment(t['moment'])}" for t in totals]
    series = {
        _("Welbevinden 4–5 (%)"): [t["wellbeing"]["high"] for t in totals],
        _("Betrokkenheid 4–5 (%)"): [t["involvement"]["high"] for t in totals],
        _("Welbevinden 1–2 (%)"): [t["wellbeing"]["low"] for t in totals],
        _("Betrokkenheid 1–2 (%)"): [t["involvement"]["low"] for t in totals],
        _("Emotioneel functioneren 1–2 (%)"): [t["emotional"]["low"] for t in totals],
    }
    return charts.bar(title, labels, series, range=(0, 100), truncate_label=-1, x_label_rotation=20)


def group_distribution_chart(rows, scale: str, year: str, moment: str):
    """Per group: the share of pupils at each of the five levels of one scale."""
    labels = [r.group_name for r in rows]
    dists = [distribution(r.counts(scale)) for r in rows]
    series = {_("niveau %(n)s", n=n): [d["percent"][n - 1] for d in dists] for n in range(1, 6)}
    title = _("%(scale)s per groep, %(moment)s %(year)s (%% van de leerlingen)",
              scale=WELLBEING_SCALES[scale], moment=_moment(moment), year=year)
    return charts.horizontal_bar(title, labels, series, stacked=True, range=(0, 100), truncate_label=-1,
                                 height=max(240, 60 + 40 * len(rows)))


def evolution_chart(pairs: list[tuple[str, dict | None, dict | None]], scale: str, year: str):
    """Per group: share at levels 4–5 before and after (pre -> post)."""
    labels = [name for name, _pre, _post in pairs]
    series = {
        _("voormeting 4–5 (%)"): [pre["high"] if pre else None for _n, pre, _p in pairs],
        _("nameting 4–5 (%)"): [post["high"] if post else None for _n, _pr, post in pairs],
        _("voormeting 1–2 (%)"): [pre["low"] if pre else None for _n, pre, _p in pairs],
        _("nameting 1–2 (%)"): [post["low"] if post else None for _n, _pr, post in pairs],
    }
    title = _("%(scale)s van voormeting naar nameting, %(year)s", scale=WELLBEING_SCALES[scale], year=year)
    return charts.bar(title, labels, series, range=(0, 100), truncate_label=-1)

