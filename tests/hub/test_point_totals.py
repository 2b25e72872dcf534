"""A help point's line of the report: the short path (``_point_totals``) that a city of 2,000
points takes gives exactly the totals the full figures give, whatever values kiosks sent."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.hub.reports import _figures, _point_totals
from kiosk.reporting.figures import APP_COLUMNS

VALUES = st.sampled_from([None, "good", "ok", "bad", "unrated", "60-74", "75+", "18-39", "new"])
GROUPS = st.lists(st.tuples(VALUES, VALUES, VALUES, VALUES, st.integers(1, 50)), max_size=12)
APPS = st.lists(st.tuples(st.sampled_from(["vneid", "etax", "future-app"]),
                          st.sampled_from([None, "otp_not_received", "strange"]),
                          st.fixed_dictionaries({c: st.integers(0, 9) for c in APP_COLUMNS})),
                max_size=8)


@settings(max_examples=300, deadline=None)
@given(GROUPS, APPS, st.tuples(st.integers(0, 9), st.integers(0, 9)),
       st.tuples(st.integers(0, 9), st.integers(0, 9)))
def test_point_totals_match_the_full_figures(groups, apps, runs, requests):
    full = _figures(groups, [apps], [runs], [requests])["totals"]
    assert _point_totals(groups, apps, runs, requests) == full
