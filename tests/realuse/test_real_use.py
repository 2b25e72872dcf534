"""The kiosk run for real: Xvfb + openbox, real X clicks, every screen checked and kept.

Screenshots and a list of problems per journey go to ``$KIOSK_ARTIFACTS_DIR`` (default
``artifacts/realuse/``). A failing test lists every problem it saw, screen by screen.
"""

import pytest

from realuse import journeys
from realuse.conftest import ADMIN_PIN, VOLUNTEER

COMBINATIONS = [(size, language) for size in journeys.SIZES for language in ("vi", "en")]


@pytest.mark.parametrize("size,language", COMBINATIONS)
def test_resident_walks_two_lessons_and_rates(start_kiosk, data_dir, size, language):
    kiosk = start_kiosk(f"resident-{size}-{language}")
    journeys.resident_walk(kiosk, data_dir, size, language)
    problems = kiosk.report()
    assert not problems, "\n" + problems


@pytest.mark.parametrize("language", ["vi", "en"])
def test_admin_opens_every_section_at_the_largest_size(start_kiosk, language):
    kiosk = start_kiosk(f"admin-larger-{language}")
    journeys.admin_walk(kiosk, language, ADMIN_PIN)
    problems = kiosk.report()
    assert not problems, "\n" + problems


@pytest.mark.parametrize("language", ["vi", "en"])
def test_volunteer_records_one_person_at_the_largest_size(start_kiosk, artifacts, language):
    kiosk = start_kiosk(f"volunteer-larger-{language}")
    taps = journeys.volunteer_walk(kiosk, language, *VOLUNTEER)
    (artifacts / f"volunteer-larger-{language}-taps.txt").write_text(f"{taps}\n")
    problems = kiosk.report()
    assert not problems, "\n" + problems
