"""The Flemish school calendar, checked rule by rule for 2024–25 up to 2030–31, and the sprint cadence built on it."""

from datetime import date, timedelta

import pytest
from dateutil.easter import easter

from warmeveranderen.schoolcalendar import (
    LABELS,
    FlemishRules,
    Holiday,
    SchoolCalendar,
    SchoolYear,
    plan_sprints,
    start_year_of,
)

YEARS = range(2024, 2031)  # 2024–25 up to 2030–31
CAL = SchoolCalendar()
D = timedelta(days=1)


def _days(h: Holiday) -> int:
    return (h.last - h.first).days + 1


def _by_code(year: int) -> dict[str, Holiday]:
    sy = CAL.year(year)
    return {h.name_code: h for h in sy.holidays + sy.free_days}


def _gauss_easter(y: int) -> date:
    """Anonymous Gregorian algorithm, to check dateutil rather than trust it."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l_) // 433
    month = (h + l_ - 7 * m + 90) // 25
    return date(y, month, (h + l_ - 7 * m + 33 * month + 19) % 32)


# --- the rules, year by year ---------------------------------------------------------------------------------------


def test_the_2025_26_dates_from_the_issue():
    h = _by_code(2025)
    assert (h["herfstvakantie"].first, h["herfstvakantie"].last) == (date(2025, 10, 27), date(2025, 11, 2))
    assert (h["kerstvakantie"].first, h["kerstvakantie"].last) == (date(2025, 12, 22), date(2026, 1, 4))
    assert (h["krokusvakantie"].first, h["krokusvakantie"].last) == (date(2026, 2, 16), date(2026, 2, 22))
    assert (h["paasvakantie"].first, h["paasvakantie"].last) == (date(2026, 4, 6), date(2026, 4, 19))
    assert (h["zomervakantie"].first, h["zomervakantie"].last) == (date(2026, 7, 1), date(2026, 8, 31))
    sy = CAL.year(2025)
    assert (sy.first_day, sy.last_day) == (date(2025, 9, 1), date(2026, 6, 30))
    assert [(f.name_code, f.first) for f in sy.free_days] == [
        ("wapenstilstand", date(2025, 11, 11)),
        ("paasmaandag", date(2026, 4, 6)),
        ("dag van de arbeid", date(2026, 5, 1)),
        ("hemelvaart", date(2026, 5, 14)),
        ("brugdag na hemelvaart", date(2026, 5, 15)),
        ("pinkstermaandag", date(2026, 5, 25)),
    ]


def test_dateutil_easter_agrees_with_an_independent_computation():
    for y in range(1990, 2100):
        assert easter(y) == _gauss_easter(y), y


def test_the_range_covers_every_easter_case():
    cases = {y: easter(y + 1) for y in YEARS}
    assert [y for y, e in cases.items() if e.month == 3] == [2026]  # Easter 28 March 2027
    assert [y for y, e in cases.items() if e > date(y + 1, 4, 15)] == [2024, 2027, 2029]  # 20/4/2025, 16/4/2028, 21/4/2030
    assert [y for y, e in cases.items() if date(y + 1, 4, 1) <= e <= date(y + 1, 4, 15)] == [2025, 2028, 2030]


@pytest.mark.parametrize("y", YEARS)
def test_first_and_last_school_day(y):
    sy = CAL.year(y)
    sept1, june30 = date(y, 9, 1), date(y + 1, 6, 30)
    if sept1.weekday() < 5:
        assert sy.first_day == sept1
    else:
        assert sy.first_day.weekday() == 0 and sept1 < sy.first_day <= sept1 + 2 * D
    if june30.weekday() < 5:
        assert sy.last_day == june30
    else:
        assert sy.last_day.weekday() == 4 and june30 - 2 * D <= sy.last_day < june30
    assert CAL.is_school_day(sy.first_day) and CAL.is_school_day(sy.last_day)
    assert not CAL.is_school_day(sy.first_day - D) and not CAL.is_school_day(sy.last_day + D)


@pytest.mark.parametrize("y", YEARS)
def test_holiday_periods(y):
    h, e = _by_code(y), easter(y + 1)
    assert [x.name_code for x in CAL.year(y).holidays] == [
        "herfstvakantie", "kerstvakantie", "krokusvakantie", "paasvakantie", "zomervakantie"]
    for code, length in [("herfstvakantie", 7), ("kerstvakantie", 14), ("krokusvakantie", 7), ("paasvakantie", 14)]:
        assert h[code].first.weekday() == 0, code
        assert _days(h[code]) == length, code
    all_saints = date(y, 11, 1)
    if all_saints.weekday() == 6:
        assert h["herfstvakantie"].first == date(y, 11, 2)
    else:
        assert all_saints in h["herfstvakantie"]
    christmas = date(y, 12, 25)
    if christmas.weekday() >= 5:
        assert christmas < h["kerstvakantie"].first <= christmas + 2 * D  # the Monday after
    else:
        assert h["kerstvakantie"].first <= christmas <= h["kerstvakantie"].first + 4 * D
    krokus = h["krokusvakantie"].first
    assert sum(1 for i in range((e - krokus).days) if (krokus + i * D).weekday() == 0) == 7  # the 7th Monday before Easter
    paas = h["paasvakantie"].first
    if e.month == 3:
        assert paas == e + D
    elif e > date(y + 1, 4, 15):
        assert paas == e - 13 * D and sum(1 for i in range((e - paas).days) if (paas + i * D).weekday() == 0) == 2
        assert h["paasmaandag"].first not in h["paasvakantie"]  # added as a free day after the holiday
    else:
        assert paas.month == 4 and paas.day <= 7
    assert (h["zomervakantie"].first, h["zomervakantie"].last) == (date(y + 1, 7, 1), date(y + 1, 8, 31))
    for x in CAL.year(y).holidays:
        assert not any(CAL.is_school_day(d) for d in x.days()), x
        assert all(CAL.holiday_on(d) == x for d in x.days())


def test_the_easter_cases_in_dates():
    assert (_by_code(2026)["paasvakantie"].first, _by_code(2026)["paasvakantie"].last) == (date(2027, 3, 29), date(2027, 4, 11))
    assert (_by_code(2024)["paasvakantie"].first, _by_code(2024)["paasvakantie"].last) == (date(2025, 4, 7), date(2025, 4, 20))
    assert not CAL.is_school_day(date(2025, 4, 21))  # Easter Monday after the holiday
    assert CAL.is_school_day(date(2025, 4, 22))
    assert _by_code(2027)["paasvakantie"].first == date(2028, 4, 3)  # Easter 16 April 2028: the second Monday before


@pytest.mark.parametrize("y", YEARS)
def test_free_days(y):
    h, e = _by_code(y), easter(y + 1)
    expected = {
        "wapenstilstand": date(y, 11, 11),
        "paasmaandag": e + D,
        "dag van de arbeid": date(y + 1, 5, 1),
        "hemelvaart": e + 39 * D,
        "brugdag na hemelvaart": e + 40 * D,
        "pinkstermaandag": e + 50 * D,
    }
    assert {code: h[code].first for code in expected} == expected
    assert all(h[code].first == h[code].last and h[code].kind == "free_day" for code in expected)
    assert h["hemelvaart"].first.weekday() == 3 and h["brugdag na hemelvaart"].first.weekday() == 4
    assert h["paasmaandag"].first.weekday() == 0 and h["pinkstermaandag"].first.weekday() == 0
    for code in expected:
        assert not CAL.is_school_day(h[code].first), code
        assert CAL.free_day_on(h[code].first).name_code == code


@pytest.mark.parametrize("y", YEARS)
def test_school_days_are_exactly_the_weekdays_outside_holidays_and_free_days(y):
    sy = CAL.year(y)
    off = {d for x in sy.holidays + sy.free_days for d in x.days()}
    d = date(y, 9, 1)
    while d <= date(y + 1, 8, 31):
        expected = d.weekday() < 5 and sy.first_day <= d <= sy.last_day and d not in off
        assert CAL.is_school_day(d) == expected, d
        d += D
    assert 170 <= len(CAL.school_days(date(y, 9, 1), date(y + 1, 8, 31))) <= 185


def test_school_year_of_a_date_and_the_cache():
    assert CAL.school_year(date(2026, 7, 15)).start_year == 2025  # summer belongs to the year that just ended
    assert CAL.school_year(date(2026, 8, 31)).start_year == 2025
    assert CAL.school_year(date(2026, 9, 1)).start_year == 2026
    assert start_year_of(date(2026, 1, 1)) == 2025
    assert FlemishRules().school_year(2025) is FlemishRules().school_year(2025)


def test_spot_checks_2025_26():
    school = [date(2025, 9, 1), date(2025, 10, 24), date(2025, 11, 3), date(2025, 11, 10), date(2025, 12, 19),
              date(2026, 1, 5), date(2026, 5, 13), date(2026, 6, 30)]
    off = [date(2025, 8, 29), date(2025, 9, 6), date(2025, 10, 27), date(2025, 11, 11), date(2025, 12, 31),
           date(2026, 2, 18), date(2026, 4, 7), date(2026, 5, 1), date(2026, 5, 15), date(2026, 5, 25), date(2026, 7, 1)]
    assert all(CAL.is_school_day(d) for d in school)
    assert not any(CAL.is_school_day(d) for d in off)
    assert CAL.holiday_on(date(2025, 12, 25)).label == "Kerstvakantie"
    assert CAL.holiday_on(date(2025, 11, 11)) is None and CAL.free_day_on(date(2025, 11, 11)).label == "Wapenstilstand"


# --- the school's own days -----------------------------------------------------------------------------------------


def test_own_days_are_days_off_for_that_school_only():
    own = SchoolCalendar(own_days=[(date(2025, 10, 1), "pedagogische studiedag"), (date(2026, 3, 6), "facultatieve vrije dag")])
    assert CAL.is_school_day(date(2025, 10, 1)) and not own.is_school_day(date(2025, 10, 1))
    assert not own.is_school_day(date(2026, 3, 6)) and own.is_school_day(date(2026, 3, 5))
    day = own.free_day_on(date(2025, 10, 1))
    assert (day.kind, day.label, day.first) == ("own_day", "pedagogische studiedag", date(2025, 10, 1))
    assert own.last_school_day_of_week(date(2026, 3, 2)) == date(2026, 3, 5)  # the forum moves to Thursday
    assert own.previous_school_day(date(2025, 10, 2)) == date(2025, 9, 30)
    assert [e.name_code for e in own.events(date(2025, 9, 15), date(2025, 10, 15))] == ["pedagogische studiedag"]
    assert own.year(2024).free_days == CAL.year(2024).free_days  # other years are untouched
    assert own.school_weeks_between(date(2025, 9, 1), date(2026, 7, 6)) == 38


def test_a_region_is_a_replaceable_part():
    class NoHolidays:
        def school_year(self, start_year: int) -> SchoolYear:
            return SchoolYear(start_year, date(start_year, 9, 1), date(start_year + 1, 6, 30), (), ())

    other = SchoolCalendar(NoHolidays())
    assert other.is_school_day(date(2025, 12, 24)) and not CAL.is_school_day(date(2025, 12, 24))
    assert other.add_school_weeks(date(2025, 12, 15), 1) == date(2025, 12, 22)


# --- days and weeks ------------------------------------------------------------------------------------------------


def test_day_arithmetic():
    assert CAL.next_school_day(date(2025, 12, 19)) == date(2026, 1, 5)
    assert CAL.previous_school_day(date(2026, 1, 5)) == date(2025, 12, 19)
    assert CAL.next_school_day(date(2026, 6, 30)) == date(2026, 9, 1)
    assert CAL.subtract_school_days(date(2025, 11, 12), 3) == date(2025, 11, 6)  # skips 11 November and the weekend
    assert CAL.subtract_school_days(date(2026, 5, 18), 1) == date(2026, 5, 13)  # skips Ascension and the bridge day
    assert CAL.subtract_school_days(date(2026, 1, 7), 3) == date(2025, 12, 19)  # across Christmas
    assert CAL.subtract_school_days(date(2026, 1, 7), 0) == date(2026, 1, 7)
    assert CAL.school_days(date(2026, 5, 11), date(2026, 5, 17)) == [date(2026, 5, 11), date(2026, 5, 12), date(2026, 5, 13)]
    with pytest.raises(ValueError):
        CAL.subtract_school_days(date(2026, 1, 7), -1)


def test_week_arithmetic_across_christmas_and_easter():
    assert CAL.add_school_weeks(date(2025, 12, 15), 1) == date(2026, 1, 5)
    assert CAL.add_school_weeks(date(2025, 12, 17), 1) == date(2026, 1, 7)  # same weekday
    assert CAL.add_school_weeks(date(2026, 3, 30), 1) == date(2026, 4, 20)
    assert CAL.add_school_weeks(date(2025, 12, 22), 0) == date(2026, 1, 5)  # from inside the holiday
    assert CAL.add_school_weeks(date(2025, 12, 22), 1) == date(2026, 1, 12)
    assert CAL.add_school_weeks(date(2025, 12, 1), 10) == date(2026, 3, 2)  # 13 calendar weeks: 2 Christmas + 1 krokus skipped
    assert CAL.school_weeks_between(date(2025, 12, 15), date(2026, 1, 5)) == 1
    assert CAL.school_weeks_between(date(2026, 3, 30), date(2026, 4, 20)) == 1
    assert CAL.school_weeks_between(date(2026, 4, 20), date(2026, 3, 30)) == -1
    assert CAL.school_weeks_between(date(2025, 9, 1), date(2026, 7, 6)) == 38  # 44 calendar weeks - 6 holiday weeks
    assert CAL.school_weeks_between(date(2025, 9, 1), date(2026, 7, 1)) == 37  # b's own week is not counted
    assert CAL.is_school_week(date(2026, 5, 14)) and not CAL.is_school_week(date(2025, 12, 29))
    assert CAL.last_school_day_of_week(date(2026, 5, 11)) == date(2026, 5, 13)
    assert CAL.last_school_day_of_week(date(2025, 12, 24)) is None
    start = date(2024, 9, 1)
    for i in range(0, 700, 5):
        a = start + i * D
        for n in (0, 1, 3, 10):
            b = CAL.add_school_weeks(a, n)
            assert CAL.school_weeks_between(a, b) == n and b.weekday() == a.weekday() and CAL.is_school_week(b), (a, n)


def test_events_for_a_calendar():
    assert [e.name_code for e in CAL.events(date(2025, 12, 1), date(2026, 1, 31))] == ["kerstvakantie"]
    assert [e.name_code for e in CAL.events(date(2026, 6, 1), date(2026, 11, 5))] == ["zomervakantie", "herfstvakantie"]
    year = CAL.events(date(2025, 9, 1), date(2026, 8, 31))
    assert len(year) == 11 and set(LABELS) == {e.name_code for e in year}
    assert [e.first for e in year] == sorted(e.first for e in year)


# --- the sprint cadence --------------------------------------------------------------------------------------------


def _school_weeks_of(cal: SchoolCalendar, begin: date, end: date) -> int:
    n = len(cal.school_week_mondays(begin, end))
    return n - 1 if cal.first_school_day_of_week(begin) != begin else n


def _last_school_day(cal: SchoolCalendar, d: date) -> date:
    last = cal.school_year(d).last_day
    return last if cal.is_school_day(last) else cal.previous_school_day(last)


def _check_plan(cal: SchoolCalendar, start: date, weeks: int, mode: str) -> list[tuple[date, date]]:
    sprints = plan_sprints(cal, start, weeks, 14, mode)
    assert len(sprints) == 14
    assert sprints[0][0] == (start if cal.is_school_day(start) else cal.next_school_day(start))
    assert start_year_of(sprints[-1][1]) - start_year_of(sprints[0][0]) >= 2  # three school years
    for i, (begin, end) in enumerate(sprints):
        forum = cal.last_school_day_of_week(end)
        assert forum == end
        for d in (begin, end, forum):
            assert cal.is_school_day(d) and cal.holiday_on(d) is None and cal.free_day_on(d) is None, (i, d)
        assert begin <= end and start_year_of(begin) == start_year_of(end)  # no sprint runs through a summer
        n = _school_weeks_of(cal, begin, end)
        if end != _last_school_day(cal, end):
            assert n == weeks, (i, begin, end)
        elif mode == "merge":
            assert n <= weeks or 2 * (n - weeks) < weeks, (i, begin, end, n)
        else:
            assert n <= weeks, (i, begin, end, n)
        if i:
            prev_end = sprints[i - 1][1]
            assert cal.school_days(prev_end + D, begin - D) == []  # contiguous in school time
            assert begin == cal.first_school_day_of_week(begin)
            if begin.weekday() != 0:
                assert not cal.is_school_day(begin - begin.weekday() * D)  # a Monday whenever Monday is a school day
    ends = [e for _, e in sprints]
    for y in range(start_year_of(sprints[0][0]), start_year_of(sprints[-1][1])):
        assert _last_school_day(cal, date(y, 9, 1)) in ends  # the summer ends a sprint
    return sprints


@pytest.mark.parametrize("mode", ["merge", "shorten"])
@pytest.mark.parametrize("weeks", [10, 8, 12])
def test_plan_sprints_from_any_day_of_the_year(weeks, mode):
    for i in range(0, 366, 4 if weeks == 10 else 11):
        _check_plan(CAL, date(2025, 3, 1) + i * D, weeks, mode)


@pytest.mark.parametrize("start", [date(2025, 9, 1), date(2025, 12, 24), date(2026, 4, 6), date(2026, 5, 14), date(2026, 7, 20),
                                   date(2026, 6, 26), date(2025, 11, 11), date(2027, 9, 4)])
def test_plan_sprints_named_start_dates(start):
    _check_plan(CAL, start, 10, "merge")
    own = SchoolCalendar(own_days=[(date(2026, 6, 30), "pedagogische studiedag"), (date(2026, 11, 13), "facultatieve vrije dag")])
    _check_plan(own, start, 10, "shorten")


def test_plan_sprints_2025_26_in_dates():
    assert plan_sprints(CAL, date(2025, 9, 1), 10, 5) == [
        (date(2025, 9, 1), date(2025, 11, 14)),
        (date(2025, 11, 17), date(2026, 2, 6)),
        (date(2026, 2, 9), date(2026, 5, 8)),
        (date(2026, 5, 11), date(2026, 6, 30)),  # 8 weeks left: a short sprint of its own in both modes
        (date(2026, 9, 1), date(2026, 11, 13)),
    ]
    assert plan_sprints(CAL, date(2025, 9, 1), 10, 5, "shorten") == plan_sprints(CAL, date(2025, 9, 1), 10, 5)


def test_a_short_remainder_before_summer_is_merged_or_kept():
    merged = plan_sprints(CAL, date(2025, 9, 1), 12, 4, "merge")  # 38 school weeks = 3 x 12 + 2
    shortened = plan_sprints(CAL, date(2025, 9, 1), 12, 5, "shorten")
    assert merged[2][1] == date(2026, 6, 30) and merged[3][0] == date(2026, 9, 1)
    assert shortened[2][1] != date(2026, 6, 30) and shortened[3][1] == date(2026, 6, 30)
    assert CAL.school_weeks_between(shortened[3][0], shortened[3][1] + 7 * D) == 2
    assert shortened[4][0] == date(2026, 9, 1)
    assert merged[:2] == shortened[:2]


def test_a_late_first_week_is_extra_and_bad_arguments_are_refused():
    begin, end = plan_sprints(CAL, date(2025, 9, 3), 10, 1)[0]
    assert (begin, end) == (date(2025, 9, 3), date(2025, 11, 21))  # Wed 3 Sept + 10 full school weeks
    with pytest.raises(ValueError):
        plan_sprints(CAL, date(2025, 9, 1), 10, 3, "stretch")
    with pytest.raises(ValueError):
        plan_sprints(CAL, date(2025, 9, 1), 0, 3)
