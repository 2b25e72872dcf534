"""Colours, text sizes and the application style sheet; the bundled font.

Two themes (normal and high contrast) and three text sizes. Text colours meet WCAG contrast
ratios: at least 4.5:1 in the normal theme and 7:1 in the high-contrast one (checked by tests).
"""

from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontDatabase

from kiosk.core.paths import FONTS_DIR

FONT_FAMILY = "Noto Sans"
BODY_PT = {"normal": 22, "large": 26, "larger": 30}
TOUCH_MIN_PX = 72


@dataclass(frozen=True)
class Palette:
    background: str
    surface: str
    text: str
    muted: str
    primary: str
    on_primary: str
    accent: str
    on_accent: str
    border: str
    tip_bg: str
    warning_bg: str
    warning_text: str
    help_bg: str
    on_help: str
    success_bg: str
    success_text: str


NORMAL = Palette(background="#f6f2e8", surface="#ffffff", text="#1b1b1b", muted="#4a4a4a",
                 primary="#0b4f9c", on_primary="#ffffff", accent="#1f6f3f", on_accent="#ffffff",
                 border="#6b6b6b", tip_bg="#fff4c2", warning_bg="#fde3e1", warning_text="#8a1c12",
                 help_bg="#b3261e", on_help="#ffffff", success_bg="#dff3e4",
                 success_text="#14532d")
HIGH_CONTRAST = Palette(background="#000000", surface="#111111", text="#ffffff", muted="#f0f0f0",
                        primary="#ffd400", on_primary="#000000", accent="#7dffb0",
                        on_accent="#000000", border="#ffffff", tip_bg="#1c1c00",
                        warning_bg="#2a0000", warning_text="#ffb3ad", help_bg="#ffd400",
                        on_help="#000000", success_bg="#002a10", success_text="#7dffb0")


def palette_for(high_contrast: bool) -> Palette:
    return HIGH_CONTRAST if high_contrast else NORMAL


def load_bundled_fonts() -> str:
    """Register the bundled fonts with Qt; returns the family name. Call once after QApplication."""
    for file in sorted(FONTS_DIR.glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(file))
    return FONT_FAMILY


def body_font(text_size: str) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPointSize(BODY_PT[text_size])
    return font


def style_sheet(text_size: str, high_contrast: bool) -> str:
    """The whole application's style sheet for a text size and theme."""
    p = palette_for(high_contrast)
    body = BODY_PT[text_size]
    big, title, small = round(body * 1.25), round(body * 1.5), max(18, round(body * 0.8))
    return f"""
    QWidget {{ font-family: "{FONT_FAMILY}"; font-size: {body}pt; color: {p.text}; }}
    QMainWindow, QStackedWidget, QDialog {{ background: {p.background}; }}
    QLabel[align="center"] {{ qproperty-alignment: AlignCenter; }}
    QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; border: none; }}
    QLabel[role="title"] {{ font-size: {title}pt; font-weight: bold; }}
    QLabel[role="heading"] {{ font-size: {big}pt; font-weight: bold; }}
    QLabel[role="muted"] {{ color: {p.muted}; }}
    QLabel[role="small"] {{ font-size: {small}pt; color: {p.muted}; }}
    QLabel[role="tip"] {{ background: {p.tip_bg}; border-left: 8px solid #e0a800;
                          padding: 12px; border-radius: 6px; }}
    QLabel[role="warning"] {{ background: {p.warning_bg}; color: {p.warning_text};
                              border-left: 8px solid {p.warning_text}; padding: 12px;
                              border-radius: 6px; font-weight: bold; }}
    QLabel[role="success"] {{ background: {p.success_bg}; color: {p.success_text};
                              border-left: 8px solid {p.success_text}; padding: 12px;
                              border-radius: 6px; font-weight: bold; }}
    QLabel[role="pin"] {{ font-size: {big}pt; font-weight: bold; background: {p.surface};
                          border: 3px solid {p.border}; border-radius: 10px; padding: 4px;
                          min-height: 56px; }}
    QLabel[role="error"] {{ color: {p.warning_text}; font-weight: bold; }}
    QFrame[role="dialog"] {{ background: {p.background}; border: 5px solid {p.border};
                             border-radius: 18px; }}
    QPushButton[role="cue"] {{ background: {p.tip_bg}; border: 2px dashed {p.border};
                               font-weight: bold; font-size: {small}pt; min-height: 0px;
                               padding: 4px 12px; }}
    QLabel[role="instruction"] {{ font-size: {body + 2}pt; font-weight: bold; }}
    QFrame[role="bar"] {{ background: {p.surface}; border-bottom: 2px solid {p.border}; }}
    QFrame[role="bar"] QPushButton {{ font-size: {small}pt; padding: 6px 12px; }}
    QFrame[role="bar"] QPushButton:focus {{ padding: 5px 11px; }}
    QFrame[role="bar"] QPushButton[role="help"] {{ font-size: {body}pt; }}
    QPushButton {{ min-height: {TOUCH_MIN_PX}px; min-width: {TOUCH_MIN_PX}px; padding: 6px 20px;
                   border-radius: 12px; border: 3px solid {p.border}; background: {p.surface};
                   color: {p.text}; }}
    QPushButton:focus {{ border: 4px solid {p.accent}; padding: 5px 19px; }}
    QPushButton:pressed {{ background: {p.border}; color: {p.background}; }}
    QPushButton[role="primary"] {{ background: {p.primary}; color: {p.on_primary};
                                   border-color: {p.primary}; font-weight: bold; }}
    QPushButton[role="go"] {{ background: {p.accent}; color: {p.on_accent};
                              border-color: {p.accent}; font-weight: bold; }}
    QPushButton[role="help"] {{ background: {p.help_bg}; color: {p.on_help};
                                border-color: {p.help_bg}; font-weight: bold; }}
    QPushButton[role="tile"] {{ font-weight: bold; text-align: left;
                                padding: 16px 24px; border-width: 4px; }}
    QPushButton[role="choice"] {{ padding: 6px 10px; font-size: {small}pt; }}
    QPushButton[role="choice"]:checked {{ background: {p.primary}; color: {p.on_primary};
                                          border-color: {p.primary}; font-weight: bold; }}
    QListView[role="journal"] {{ background: {p.surface}; border: 2px solid {p.border};
                                 border-radius: 8px; }}
    QListView[role="journal"]::item {{ padding: 14px; border-bottom: 1px solid {p.border}; }}
    QLineEdit, QComboBox {{ background: {p.surface}; border: 2px solid {p.border};
                            border-radius: 8px; padding: 6px 12px; min-height: 60px; }}
    QPlainTextEdit {{ background: {p.surface}; border: 2px solid {p.border};
                      border-radius: 8px; padding: 6px 12px; }}
    QListView[role="accounts"] {{ background: {p.surface}; border: 2px solid {p.border};
                                  border-radius: 8px; }}
    QListView[role="accounts"]::item {{ padding: 12px 14px; border-bottom: 1px solid {p.border}; }}
    QListView::item:selected {{ background: {p.primary}; color: {p.on_primary}; }}
    QProgressBar {{ background: {p.surface}; border: 2px solid {p.border}; border-radius: 8px;
                    min-height: 40px; }}
    QProgressBar::chunk {{ background: {p.accent}; border-radius: 6px; }}
    QPushButton[role="face"] {{ min-height: 104px; text-align: left; }}
    QPushButton[role="quiet"] {{ border-color: transparent; background: transparent;
                                 color: {p.muted}; font-size: {small}pt; }}
    QPushButton:disabled {{ color: {p.muted}; border-color: {p.muted}; background: transparent; }}
    QPushButton[role]:disabled {{ color: {p.muted}; border: 3px dashed {p.muted};
                                  background: transparent; font-weight: normal; }}
    """
