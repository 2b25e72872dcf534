"""Lessons: the format, its validator and loader, the bundled content, the mock-screen renderer."""

from pathlib import Path

BUNDLED_DIR = Path(__file__).resolve().parent / "content"
