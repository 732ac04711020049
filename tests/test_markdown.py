"""The |markdown filter: XSS payloads are neutralised, ordinary Markdown still renders."""

import pytest

from warmeveranderen.markdown import render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](jav&#x61;script:alert(1))",
    "[klik](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[klik]( javascript:alert(1))",
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="java\tscript:alert(1)">klik</a>',
    "<img src=x onerror=alert(1)>",
    "![beeld](x\" onerror=\"alert(1))",
    '<p onclick="alert(1)">tekst</p>',
    '<div onmouseover="alert(1)">tekst</div>',
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">tekst</p>',
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    '<form action="https://evil.example"><input name="x"></form>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "[vb](vbscript:msgbox(1))",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<!-- <script>alert(1)</script> -->",
]

FORBIDDEN = ["<script", "javascript:", "vbscript:", "data:", "onerror", "onclick", "onload", "onmouseover",
             "<iframe", "<style", "style=", "<object", "<embed", "<svg", "<form", "<input", "<img", "<meta", "<math"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_xss_payloads_are_neutralised(payload):
    html = str(render_markdown(payload)).lower()
    for bad in FORBIDDEN:
        assert bad not in html, f"{bad!r} survived in {html!r}"


def test_the_filter_is_what_templates_use(app):
    template = app.jinja_env.from_string("{{ text|markdown }}")
    html = template.render(text="<script>alert(1)</script>**vet**")
    assert "<script" not in html and "<strong>vet</strong>" in html


def test_ordinary_markdown_still_renders():
    text = """# Titel

Een **vette** en *schuine* zin met `code`.

- een
- twee

1. eerst
2. dan

| kolom | waarde |
|---|---:|
| a | 1 |

```python
print("hallo")
```

> een citaat

[website](https://warmescholen.be) · [oud](http://example.org) · [mail](mailto:info@example.org)
"""
    html = str(render_markdown(text))
    assert "<h1>Titel</h1>" in html
    assert "<strong>vette</strong>" in html and "<em>schuine</em>" in html
    assert "<ul>" in html and "<li>een</li>" in html and "<ol>" in html
    assert "<table>" in html and "<th>kolom</th>" in html and '<td align="right">1</td>' in html
    assert '<pre><code class="language-python">' in html and "print(\"hallo\")" in html
    assert "<blockquote>" in html
    assert 'href="https://warmescholen.be"' in html
    assert 'href="http://example.org"' in html
    assert 'href="mailto:info@example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_empty_text_renders_nothing():
    assert render_markdown(None) == "" and render_markdown("") == ""
