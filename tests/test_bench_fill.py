"""The benchmark's filler stores what the app itself would store (issue 15: invalid vision content once
made 17 of the benchmark's 500s)."""

from benchmarks.fill import vision_content
from warmeveranderen.vision.content import PARTS, VALUES, normalise, part_text


def test_the_fillers_vision_content_has_the_apps_shape():
    for suffix in ("", " Aangescherpt."):
        content = vision_content(suffix)
        assert normalise(content) == content
        for part in PARTS:
            value = content[part.key]
            if part.kind == VALUES:
                assert isinstance(value, list) and all(set(row) == {"name", "meaning"} for row in value)
            else:
                assert isinstance(value, str) and value
            assert part_text(content, part)
