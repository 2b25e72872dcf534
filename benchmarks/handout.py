"""The take-home guide of every lesson, in both languages: file size and time to make it.

For each lesson and language it writes the PDF (`kiosk.guide.handout.write_handout`: layout, phone
pictures drawn for paper, fonts subset and embedded, written and fsynced) and prints its size
against 300 KB and its time against 1 s (DESIGN.md). Wall time is what a resident waits; CPU time
is shown beside it because on a shared machine the wall clock also counts other people's work.
The first guide of the process is reported apart: it also loads the fonts' measurements.

    .venv/bin/python benchmarks/handout.py [--repeat 3] [--dir DIR]
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from kiosk.guide.handout import write_handout
from kiosk.lessons.library import load_library

MAX_KB, MAX_S = 300, 1.0


def timed(lesson, library, path: Path, language: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, pages) of writing one guide."""
    wall, cpu = time.perf_counter(), time.process_time()
    pages = write_handout(lesson, library, path, language=language)
    return time.perf_counter() - wall, time.process_time() - cpu, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per guide (median shown)")
    parser.add_argument("--dir", type=Path, help="where to write (default: a temporary folder)")
    args = parser.parse_args()
    library = load_library()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="handout-bench-"))
    first = library.lessons[0]
    wall, cpu, _ = timed(first, library, folder / "first.pdf", "vi")
    print(f"first guide of the process ({first.id}, vi): {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(f"{'lesson':24} lang pages    size  (limit {MAX_KB} KB)    wall     CPU  (limit "
          f"{MAX_S:.0f} s)")
    worst_kb = worst_wall = worst_cpu = 0.0
    for lesson in library.lessons:
        for language in ("vi", "en"):
            path = folder / f"{lesson.id}-{language}.pdf"
            runs = [timed(lesson, library, path, language) for _ in range(args.repeat)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            kb = path.stat().st_size / 1024
            worst_kb, worst_wall, worst_cpu = (max(worst_kb, kb), max(worst_wall, wall),
                                               max(worst_cpu, cpu))
            print(f"{lesson.id:24} {language:4} {runs[0][2]:5} {kb:7.0f} KB {kb / MAX_KB:6.0%}"
                  f"        {wall:5.2f} s {cpu:5.2f} s {cpu / MAX_S:5.0%}")
    print(f"largest {worst_kb:.0f} KB ({worst_kb / MAX_KB:.0%} of {MAX_KB} KB); slowest "
          f"{worst_wall:.2f} s wall, {worst_cpu:.2f} s CPU ({worst_cpu / MAX_S:.0%} of "
          f"{MAX_S:.0f} s)")
    return 0 if worst_kb < MAX_KB and worst_cpu < MAX_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
