"""The benchmark's arithmetic (benchmarks/run.py): how a page at 5,000 schools is judged against 50."""

from benchmarks import run


def _page(rps: float, ceiling: float, **more) -> dict:
    return {"kind": "school", "rps": rps, "ceiling_ratio": round(rps / ceiling, 3), "queries": 1, **more}


def _runs(large_page: dict) -> list[dict]:
    return [{"db": "sqlite", "scale": 50, "pages": {"sprint page": _page(500, 4000)}, "sweep": {"skipped": "-"}},
            {"db": "sqlite", "scale": 5000, "pages": {"sprint page": large_page}, "sweep": {"skipped": "-"}}]


def test_side_by_side_pairs_are_compared_repetition_by_repetition():
    # The machine slowed down during the second repetition: both databases felt it.
    small = [{"rps": 500}, {"rps": 300}, {"rps": 480}]
    large = [{"rps": 490}, {"rps": 290}, {"rps": 400}]
    median, ratios = run.paired_ratio(large, small)
    assert ratios == [0.833, 0.967, 0.98] and median == 0.967


def test_a_side_by_side_ratio_decides_the_scale_check():
    # Apart, the large scale looks slow (its ceiling moment was a fast one) ...
    verdicts = run.judge(_runs(_page(400, 5000)))
    apart = next(v for v in verdicts if "vs 50" in v["check"])
    assert apart["verdict"] == "MISS" and "runs apart" in apart["check"]
    # ... side by side, the same page is as fast as at 50 schools.
    verdicts = run.judge(_runs(_page(400, 5000, scale_ratio=0.97)))
    paired = next(v for v in verdicts if "vs 50" in v["check"])
    assert paired["verdict"] == "PASS" and "side by side" in paired["check"] and paired["measured"] == "97%"
    assert next(v for v in verdicts if "queries" in v["check"])["verdict"] == "PASS"
