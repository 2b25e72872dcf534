"""The kiosk's screens: how each is made and how its signals are wired to the window, the
lesson flow, the session and the admin gate. Screens are made the first time they are shown.
"""

from __future__ import annotations


class Screens:
    """The window's screens by name, each built and wired the first time it is asked for
    (only the welcome screen exists at start-up, which keeps the cold start quick)."""

    def __init__(self, window):
        self._window = window
        self._made: dict = {}

    def get(self, name: str):
        """Screen ``name``, built, added to the stack and wired if it was not yet."""
        screen = self._made.get(name)
        if screen is None:
            screen = build_screen(self._window, name)
            self._window.stack.addWidget(screen)
            wire_screen(self._window, name, screen)
            self._made[name] = screen
        return screen

    def made(self, name: str):
        """Screen ``name`` if it was built, else None (never builds it)."""
        return self._made.get(name)

    def drop(self, name: str) -> None:
        """Forget screen ``name`` (it is built afresh when next asked for)."""
        screen = self._made.pop(name, None)
        if screen is not None:
            self._window.stack.removeWidget(screen)
            screen.deleteLater()


def lazy_screen(name: str) -> property:
    """A window attribute that is screen ``name``, built on first use."""
    return property(lambda window: window.screens.get(name))


def build_screen(window, name: str):
    """Make screen ``name`` (its modules are imported only now)."""
    from kiosk.ui import admin, finish_screen, home_screen, intro_screen, pin_pad
    from kiosk.ui import step_screen
    from kiosk.ui.volunteer.panel import VolunteerPanel

    library, stack = window.library, window.stack
    return {
        "home": lambda: home_screen.HomeScreen(library, stack),
        "choice": lambda: home_screen.LessonChoiceScreen(library, stack),
        "intro": lambda: intro_screen.IntroScreen(stack),
        "step": lambda: step_screen.StepScreen(window.illustrations, window.narrator, stack),
        "finish": lambda: finish_screen.FinishScreen(stack),
        "thanks": lambda: finish_screen.ThanksScreen(stack),
        "gate": lambda: pin_pad.AdminGateScreen(stack),
        "first_run": lambda: pin_pad.FirstRunScreen(stack),
        "volunteer": lambda: VolunteerPanel(
            window.worker, lambda: window.config.neighbourhoods,
            lambda: {lesson.id: lesson.title for lesson in window.library.lessons}, stack),
        "admin": lambda: admin.build_panel(library.problems, stack, tasks=window.tasks,
                                           data_dir=window.data_dir, config=window.config,
                                           sync=window.sync_service),
    }[name]()


def wire_screen(window, name: str, screen) -> None:
    """Every screen's signals, connected once, when the screen is first built."""
    s, nav, flow = window.session, window.navigator, window.flow
    if hasattr(screen, "bar"):
        screen.bar.home_was_tapped.connect(window.go_home)
        screen.bar.language_was_tapped.connect(s.toggle_language)
        screen.bar.text_size_was_tapped.connect(s.cycle_text_size)
        screen.bar.contrast_was_tapped.connect(s.toggle_contrast)
        screen.bar.help_was_tapped.connect(s.request_help)
    match name:
        case "home":
            screen.app_was_chosen.connect(flow.choose_app)
        case "choice":
            screen.lesson_was_chosen.connect(flow.open_lesson)
        case "intro":
            screen.start_was_tapped.connect(flow.start_lesson)
        case "step":
            screen.next_was_tapped.connect(flow.next_step)
            screen.back_was_tapped.connect(flow.previous_step)
            screen.practice_did_finish.connect(s.record_practice)
        case "finish":
            screen.rating_was_chosen.connect(flow.rate)
            screen.handout_was_tapped.connect(flow.offer_handout)
        case "thanks":  # the resident is done: the next one starts afresh
            nav.thanks_screen = screen
            screen.home.clicked.connect(window.go_welcome)
        case "gate":
            nav.afresh.add(screen)
            screen.pin_was_entered.connect(
                lambda pin: window.admin_gate.check_pin(pin, window.session.language))
            screen.cancel_was_tapped.connect(window.go_welcome)
        case "volunteer":
            nav.afresh.add(screen)
            screen.back_was_tapped.connect(window.leave_volunteer)
        case "first_run":
            screen.pin_was_chosen.connect(window.admin_gate.create_admin)
        case "admin":
            screen.back_was_tapped.connect(window.go_welcome)
            screen.exit_was_tapped.connect(window.unlock_and_close)
            screen.config_did_change.connect(window.apply_config)
            screen.lessons_did_change.connect(window.reload_lessons)
