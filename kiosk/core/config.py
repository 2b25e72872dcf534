"""The kiosk's small TOML configuration: help point, ward, language, idle timeout."""

import os
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path


LANGUAGES = ("vi", "en")
TEXT_SIZES = ("normal", "large", "larger")
KEYBOARD_MODES = ("on", "off", "auto")  # auto: on when a touch screen is present


@dataclass
class Config:
    help_point: str = ""
    ward: str = ""
    language: str = "vi"
    idle_timeout_s: int = 120
    text_size: str = "normal"
    high_contrast: bool = False
    neighbourhoods: list[str] = field(default_factory=list)
    onscreen_keyboard: str = "on"

    def problems(self) -> list[str]:
        """Plain-words problems with the values; empty when the config is usable."""
        found = []
        if self.language not in LANGUAGES:
            found.append(f"language must be one of {', '.join(LANGUAGES)}")
        if self.text_size not in TEXT_SIZES:
            found.append(f"text_size must be one of {', '.join(TEXT_SIZES)}")
        if self.onscreen_keyboard not in KEYBOARD_MODES:
            found.append(f"onscreen_keyboard must be one of {', '.join(KEYBOARD_MODES)}")
        if not 15 <= int(self.idle_timeout_s) <= 3600:
            found.append("idle_timeout_s must be between 15 and 3600 seconds")
        return found


def load(path: Path) -> Config:
    """Read the config; a missing file gives the defaults, unknown keys are ignored.

    A damaged file also gives the defaults (and is left in place for an admin to look at), so a
    typo never stops the kiosk from starting.
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return Config()
    known = {k: v for k, v in raw.items() if k in Config.__dataclass_fields__}
    config = Config(**known)
    return config if not config.problems() else Config()


def save(path: Path, config: Config) -> None:
    """Write the config atomically (temporary file, flush, rename)."""
    import tomli_w  # only needed when saving; kept out of the kiosk's start

    tmp = path.with_suffix(".toml.tmp")
    with open(tmp, "wb") as out:
        tomli_w.dump(asdict(config), out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
