"""Practice on a mock phone screen: did the resident tap where she would tap in the real app?

Pure logic, no Qt: the step screen feeds taps in image pixels and shows what comes back.
"""

from dataclasses import dataclass, field

HIT = "hit"  # found it
MISS = "miss"  # not there; try again
SHOWN = "shown"  # second miss: the spot is shown to her
# Fingers are wider than the drawn buttons: a tap this far outside the target (as a share of
# the picture's width) still counts.
TOLERANCE = 0.06


def is_hit(box: tuple[int, int, int, int], x: float, y: float, image_width: int) -> bool:
    """Whether the tap (x, y) is on the target ``box`` (left, top, right, bottom), with
    ``TOLERANCE`` of the picture's width around it."""
    margin = TOLERANCE * image_width
    left, top, right, bottom = box
    return left - margin <= x <= right + margin and top - margin <= y <= bottom + margin


@dataclass
class PracticeRound:
    """One step practised: at most two misses, then the spot is shown."""

    box: tuple[int, int, int, int]
    image_width: int
    misses: int = 0
    outcome: str | None = None  # HIT or SHOWN once the round is over

    def on_target(self, x: float, y: float) -> bool:
        """Whether (x, y) is on the target; changes nothing (taps after the round's end)."""
        return is_hit(self.box, x, y, self.image_width)

    def tap(self, x: float, y: float) -> str:
        """Record one tap; returns HIT, MISS or SHOWN. Taps after the end change nothing."""
        if self.outcome:
            return self.outcome
        if is_hit(self.box, x, y, self.image_width):
            self.outcome = HIT
            return HIT
        self.misses += 1
        if self.misses >= 2:
            self.outcome = SHOWN
            return SHOWN
        return MISS


@dataclass
class PracticeTally:
    """What a lesson run records of practice: steps tried, found first time, shown."""

    rounds: dict[int, PracticeRound] = field(default_factory=dict)

    def as_fields(self) -> dict:
        """The run's practice fields: totals, and ``practice_results`` per 1-based step (as
        text): ``first_try``, ``found`` (after a miss) or ``shown``."""
        finished = {index: r for index, r in self.rounds.items() if r.outcome}
        return {
            "practice_steps": len(finished),
            "practice_first_try": sum(r.outcome == HIT and r.misses == 0
                                      for r in finished.values()),
            "practice_shown": sum(r.outcome == SHOWN for r in finished.values()),
            "practice_results": {str(index + 1): _result(r) for index, r in finished.items()},
        }


def _result(finished: PracticeRound) -> str:
    if finished.outcome == SHOWN:
        return "shown"
    return "first_try" if finished.misses == 0 else "found"
