"""The README documents every command the programs offer (as sqlite-utils checks its docs)."""

import argparse
from pathlib import Path

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands(parser: argparse.ArgumentParser, prefix: str) -> list[str]:
    """Every command line ``prefix sub [subsub]`` the parser accepts."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = commands(sub, f"{prefix} {name}")
                found.extend(nested or [f"{prefix} {name}"])
    return found


def test_every_kiosk_command_is_in_the_readme():
    from kiosk.cli import _parser

    listed = commands(_parser(), "kiosk")
    assert len(listed) >= 10
    missing = [command for command in listed if f"`{command}" not in README]
    assert missing == []


def test_the_readme_opens_with_the_two_set_up_commands():
    head = README[:800]
    assert "./run-kiosk.sh" in head and "./run-tests.sh" in head
