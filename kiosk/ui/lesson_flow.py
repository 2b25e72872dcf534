"""The resident's path through a lesson: app, lesson, introduction, each step, the end, the
rating and the take-home guide. Screens only say what the resident did; ``LessonFlow`` decides
which screen comes next and tells the session what happened.
"""

from __future__ import annotations

from PySide6.QtCore import QObject


class LessonFlow(QObject):
    """Moves the resident through a lesson on ``window``'s screens (built on first use)."""

    def __init__(self, window):
        super().__init__(window)
        self._window, self._session = window, window.session
        self.handout_dialog = None

    def _show(self, screen) -> None:
        self._window.navigator.show(screen)

    def choose_app(self, app_id: str) -> None:
        lessons = self._window.library.lessons_for(app_id)
        if len(lessons) == 1:
            self.open_lesson(lessons[0].id)
        else:
            self._window.choice.show_app(app_id, self._session.language)
            self._show(self._window.choice)

    def open_lesson(self, lesson_id: str) -> None:
        lesson = self._window.library.lesson(lesson_id)
        self._window.intro.show_lesson(lesson, self._session.language)
        self._window.illustrations.prefetch(lesson, self._session.language)
        self._show(self._window.intro)

    def start_lesson(self) -> None:
        self._session.start_lesson(self._window.intro.lesson)
        self._show_step(0)

    def next_step(self) -> None:
        s = self._session
        if s.step + 1 < len(s.lesson.steps):
            self._show_step(s.step + 1)
        else:
            lesson = s.lesson
            s.complete_lesson()
            self._window.finish.show_lesson(lesson, s.language)
            self._show(self._window.finish)

    def previous_step(self) -> None:
        if self._session.step == 0:
            self._window.intro.show_lesson(self._session.lesson, self._session.language)
            self._show(self._window.intro)
        else:
            self._show_step(self._session.step - 1)

    def _show_step(self, index: int) -> None:
        s = self._session
        s.go_to_step(index)
        self._window.step.show_step(s.lesson, s.step, s.language)
        self._show(self._window.step)

    def offer_handout(self) -> None:
        """"In / Lưu hướng dẫn": print the guide of the lesson just finished, or save it."""
        from kiosk.ui.handout_dialog import HandoutDialog

        lesson = self._window.finish.lesson
        if lesson is not None:
            self.handout_dialog = HandoutDialog.ask(self._window, lesson, self._window.library,
                                                    self._session.language,
                                                    self._window.tasks)
            self.handout_dialog.help_was_tapped.connect(self._session.request_help)

    def rate(self, rating: str) -> None:
        self._session.rate(rating)
        self._session.end_lesson()
        self._show(self._window.thanks)
