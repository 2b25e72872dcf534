"""Only kiosk.ui may import Qt (DESIGN.md "Parts"), enforced with import-linter."""

import subprocess
import sys
import tomllib
from pathlib import Path

import kiosk

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contract_holds():
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_contract_covers_every_package_but_the_ui():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = config["tool"]["importlinter"]["contracts"][0]
    covered = set(contract["source_modules"])
    package = Path(kiosk.__file__).parent
    modules = {f"kiosk.{p.stem}" for p in package.glob("*.py") if p.stem not in ("__init__",
                                                                               "__main__")}
    modules |= {f"kiosk.{p.parent.name}" for p in package.glob("*/__init__.py")}
    assert modules - {"kiosk.ui"} == covered
