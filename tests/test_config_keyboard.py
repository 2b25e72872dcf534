"""The ``onscreen_keyboard`` setting: on by default, off or auto when set, a bad value ignored."""

from kiosk.core import config


def test_the_keyboard_setting_is_on_by_default_and_read_from_the_file(tmp_path):
    path = tmp_path / "config.toml"
    assert config.load(path).onscreen_keyboard == "on"
    path.write_text('onscreen_keyboard = "off"\n', encoding="utf-8")
    assert config.load(path).onscreen_keyboard == "off"
    config.save(path, config.Config(onscreen_keyboard="auto", help_point="Tổ 5"))
    assert config.load(path).onscreen_keyboard == "auto"


def test_a_wrong_keyboard_value_is_a_problem_and_the_defaults_are_used(tmp_path):
    assert config.Config(onscreen_keyboard="sometimes").problems()
    path = tmp_path / "config.toml"
    path.write_text('onscreen_keyboard = "sometimes"\nward = "Láng"\n', encoding="utf-8")
    assert config.load(path) == config.Config()
