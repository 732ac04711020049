"""Issue 15: rendering user Markdown is bounded whatever is stored; the render cache is bounded too.

No timings are asserted: the bounds are checked through what the link parser gets to see (how many `[` stay
unescaped, how far it would scan) and through what the cache holds.
"""

import re

import pytest

from warmeveranderen import markdown as mdmod
from warmeveranderen.markdown import neutralise_brackets, render_markdown

UNESCAPED_OPENER = re.compile(r"(?<!\\)\[")

PATHOLOGICAL = {
    "open brackets": "[" * 20_000,
    "images": "![" * 10_000,
    "links without )": "[a](" * 5_000,
    "empty links without )": "[](" * 6_000,
    "nested brackets": "[" * 10_000 + "]" * 10_000,
    "brackets closed in code": "[`]`" * 5_000,
    "nested link brackets": "[[x](" * 4_000,
    "references": "[x][" * 5_000,
}


def _scan_steps(text: str) -> int:
    """Characters Python-Markdown's getText would scan from every unescaped `[` (its quadratic path), counted
    in linear time: from each `[` to its matching `]`, or to the end of the text if there is none."""
    steps, stack, escaped = 0, [], False
    for pos, c in enumerate(text):
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == "[":
            stack.append(pos)
        elif c == "]" and stack:
            steps += pos - stack.pop()
    return steps + sum(len(text) - pos for pos in stack)


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_the_pre_pass_leaves_the_link_parser_linear_work(name):
    text = PATHOLOGICAL[name]
    before = len(UNESCAPED_OPENER.findall(text))
    after = neutralise_brackets(text)
    # Without the pre-pass these inputs cost the parser 10^7–10^8 steps (8,000 `[` took 25 s).
    assert _scan_steps(text.replace("`", "")) > 10 * mdmod.BRACKET_SCAN_BUDGET or before > 4_000
    assert _scan_steps(after.replace("`", "")) <= 3 * mdmod.BRACKET_SCAN_BUDGET


def test_twenty_thousand_open_brackets_keep_at_most_a_few_unescaped():
    after = neutralise_brackets("[" * 20_000)
    assert len(UNESCAPED_OPENER.findall(after)) == 0  # none of them is ever closed
    html = str(render_markdown("[" * 20_000))
    assert html.count("[") == 20_000 and "\\" not in html  # shown as literal brackets, no backslashes


def test_texts_above_the_limit_render_as_escaped_plain_text():
    text = "<script>alert(1)</script>\n" + "[" * mdmod.MAX_RENDER_CHARS
    html = str(render_markdown(text))
    assert "<script" not in html and "&lt;script&gt;" in html and "<br>" in html
    assert html.count("[") == mdmod.MAX_RENDER_CHARS


def test_lists_nested_thousands_deep_render_as_plain_text_instead_of_failing():
    html = str(render_markdown("- " * 5_000 + "x"))
    assert html.startswith("<p>") and html.endswith("x</p>")


ORDINARY = [
    "Zie [de website](https://warmescholen.be) en [mail](mailto:info@example.org).",
    "Een **vette**, *schuine* en `[code]` zin met [link](https://example.org/a_(b) \"titel\").",
    "- [een](https://e.org/1)\n- [twee](https://e.org/2)\n\n1. [drie][ref]\n\n[ref]: https://e.org/3",
    "Lijst van bronnen:\n\n" + "".join(f"- [bron {i}](https://example.org/{i}) [opm]\n" for i in range(200)),
    "Arrays in code: `x[0][1]` and\n\n```python\nprint(a[[1, 2], [3, 4]])\n```\n",
    "Losse haak [ in tekst ] en [[dubbel]] en \\[ontsnapt\\].",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_texts_pass_the_pre_pass_unchanged(text):
    assert neutralise_brackets(text) == text


def test_links_emphasis_and_lists_still_render():
    html = str(render_markdown(ORDINARY[3]))
    assert html.count("<li>") == 200 and 'href="https://example.org/199"' in html
    html = str(render_markdown(ORDINARY[1]))
    assert "<strong>vette</strong>" in html and "<em>schuine</em>" in html and "<code>[code]</code>" in html
    assert 'href="https://example.org/a_(b)"' in html


def test_a_pathological_block_does_not_break_links_in_other_blocks():
    text = "[goed](https://example.org)\n\n" + "[" * 10_000 + "\n\n*nog* [goed](https://example.org/2)"
    html = str(render_markdown(text))
    assert 'href="https://example.org"' in html and 'href="https://example.org/2"' in html
    assert "<em>nog</em>" in html


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_the_sanitiser_still_applies_to_pathological_texts(name):
    html = str(render_markdown(PATHOLOGICAL[name][:15_000] + "<script>alert(1)</script>[x](javascript:alert(1))"))
    assert "<script" not in html.lower() and 'href="javascript' not in html.lower()


def test_the_cache_keeps_short_texts_but_not_long_ones():
    mdmod._render_cached.cache_clear()
    short = "Een **kort** advies."
    render_markdown(short)
    render_markdown(short)
    info = mdmod._render_cached.cache_info()
    assert info.hits == 1 and info.currsize == 1
    big = "woord " * 175_000  # ~1 MB
    render_markdown(big)
    medium = "x" * (mdmod.CACHE_MAX_CHARS + 1)
    render_markdown(medium)
    assert mdmod._render_cached.cache_info().currsize == 1
    assert mdmod._render_cached.cache_info().maxsize == mdmod.CACHE_ENTRIES
