"""Practice hit/miss logic (no Qt)."""

from kiosk.lessons.practice import HIT, MISS, SHOWN, PracticeRound, PracticeTally, is_hit

BOX = (100, 300, 300, 360)


def test_a_tap_on_or_near_the_target_hits():
    assert is_hit(BOX, 200, 330, image_width=450)
    assert is_hit(BOX, 95, 295, image_width=450)  # within the finger tolerance
    assert not is_hit(BOX, 200, 100, image_width=450)
    assert not is_hit(BOX, 40, 330, image_width=450)


def test_first_tap_right():
    round_ = PracticeRound(BOX, 450)
    assert round_.tap(150, 320) == HIT
    assert (round_.outcome, round_.misses) == (HIT, 0)


def test_one_miss_then_right():
    round_ = PracticeRound(BOX, 450)
    assert round_.tap(10, 10) == MISS
    assert round_.tap(150, 320) == HIT
    assert round_.misses == 1


def test_second_miss_shows_the_spot_and_ends_the_round():
    round_ = PracticeRound(BOX, 450)
    assert round_.tap(10, 10) == MISS
    assert round_.tap(10, 700) == SHOWN
    assert round_.tap(150, 320) == SHOWN  # over: later taps change nothing
    assert round_.misses == 2


def test_tally_fields():
    tally = PracticeTally()
    for step, taps in {0: [(150, 320)], 1: [(0, 0), (150, 320)], 2: [(0, 0), (0, 0)],
                       3: [(0, 0)]}.items():
        tally.rounds[step] = PracticeRound(BOX, 450)
        for x, y in taps:
            tally.rounds[step].tap(x, y)
    assert tally.as_fields() == {"practice_steps": 3, "practice_first_try": 1,
                                 "practice_shown": 1,  # step 4 was left unfinished
                                 "practice_results": {"1": "first_try", "2": "found",
                                                      "3": "shown"}}
