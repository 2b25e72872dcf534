"""Home scales to 15+ lessons in 8 apps: every app a tile on two rows, any lesson's intro at
most two taps from home, every tile fully on screen at each text size on 1366×768."""

import pytest

from conftest import drain
from kiosk.lessons.library import load_library
from kiosk.ui.home_screen import choice_columns, home_columns

LIBRARY = load_library()


def test_columns_keep_apps_on_two_rows_and_long_lists_in_two_columns():
    assert [home_columns(n) for n in (1, 6, 7, 8, 12)] == [3, 3, 4, 4, 4]
    assert [choice_columns(n) for n in (1, 2, 3, 4, 9)] == [1, 1, 2, 2, 2]


def test_every_app_in_use_has_one_tile_and_every_lesson_is_two_taps_away(qtbot, window):
    assert len(LIBRARY.lessons) >= 7
    window.welcome.start.click()
    home = window.home
    assert list(home.tiles) == [app.id for app in LIBRARY.apps_in_use()]
    assert home.columns == home_columns(len(home.tiles))
    for lesson in LIBRARY.lessons:
        window.go_home()
        home.tiles[lesson.app].click()  # tap 1
        taps = 1
        if window.current() is window.choice:
            buttons = window.choice.choice_buttons
            assert len(buttons) == len(LIBRARY.lessons_for(lesson.app)) > 1
            next(b for b in buttons if b.property("lesson_id") == lesson.id).click()  # tap 2
            taps += 1
        assert window.current() is window.intro and window.intro.lesson.id == lesson.id
        assert taps <= 2


@pytest.mark.parametrize("size", ["normal", "large", "larger"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_tile_is_on_screen_at_every_text_size(qtbot, window, size, language):
    window.resize(1366, 768)
    window.show()
    if window.session.language != language:
        window.session.toggle_language()
    window.session.text_size = size
    window.navigator.restyle(window.session.text_size, window.session.high_contrast)
    window.welcome.start.click()
    drain(qtbot, window)
    tiles = window.home.tiles.values()

    def whole(tile) -> bool:
        shown = tile.visibleRegion().boundingRect()
        return (shown.size() == tile.size() and tile.height() >= tile.minimumHeight()
                and tile.height() >= 72 and tile.width() >= 72)

    qtbot.waitUntil(lambda: all(whole(tile) for tile in tiles), timeout=5_000)  # after relayout
    bottom = max(tile.mapTo(window, tile.rect().bottomRight()).y() for tile in tiles)
    assert bottom < 768
