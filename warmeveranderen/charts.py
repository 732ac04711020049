"""Server-rendered charts (pygal SVG), served as images; every chart also gets a data table on its page.

pygal's SVG carries its own <style>; served as a separate image it runs no script and the page's
CSP stays strict (security.SVG_CSP applies to image/svg+xml responses). Use:

    chart = charts.bar(title, labels, {"Gedaan": [1, 2, 3]})
    return charts.svg_response(chart)

and on the page: <img src="..." alt="short description"> plus a <table> with the same numbers.
"""

from __future__ import annotations

import hashlib

import pygal
from flask import Response, request
from pygal.style import Style

# Colour-blind-safe palette (Okabe-Ito), dark enough for 3:1 contrast against white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#595959",
    colors=PALETTE,
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    title_font_size=16,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
)


def _config(**overrides) -> dict:
    base = dict(
        style=STYLE,
        js=[],  # pygal loads tooltips from the internet by default: never
        disable_xml_declaration=False,
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        print_values=False,
        show_legend=True,
        width=720,
        height=360,
        explicit_size=False,
        no_data_text="Nog geen gegevens",
    )
    base.update(overrides)
    return base


def bar(title: str, labels: list[str], series: dict[str, list[float]], stacked: bool = False, **kw):
    """A (stacked) vertical bar chart: one bar group per label, one series per key."""
    cls = pygal.StackedBar if stacked else pygal.Bar
    chart = cls(**_config(title=title, **kw))
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    return chart


def horizontal_bar(title: str, labels: list[str], series: dict[str, list[float]], stacked: bool = False, **kw):
    cls = pygal.HorizontalStackedBar if stacked else pygal.HorizontalBar
    chart = cls(**_config(title=title, **kw))
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    return chart


def line(title: str, labels: list[str], series: dict[str, list[float]], **kw):
    chart = pygal.Line(**_config(title=title, **kw))
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    return chart


def svg_response(chart) -> Response:
    """The chart as an SVG image, revalidated on every use so it never lags behind the table under it.

    The ETag is a hash of the SVG, so it changes exactly when the chart's data (or labels) change;
    an unchanged chart costs the browser a 304 without a body.
    """
    chart.uuid = "warmeveranderen"  # pygal's random id per rendering would make every ETag differ
    body = chart.render()
    if isinstance(body, str):
        body = body.encode("utf-8")
    response = Response(body, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    return response.make_conditional(request)


def svg_data_uri(chart) -> str:
    """The chart inlined as a data: URI, for documents that cannot fetch the chart's URL (the PDF)."""
    import base64

    chart.uuid = "warmeveranderen"
    body = chart.render()
    if isinstance(body, str):
        body = body.encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(body).decode("ascii")
