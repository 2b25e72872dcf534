"""What `pip install` gets: profiles that keep the hub free of Qt and the kiosk free of the
server stack, complete metadata, import contracts with no back door, resources inside the
package. (.ci/run also builds the wheel and installs it: scripts/check_wheel.py.)"""

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import pytest

import kiosk
from kiosk.core import paths

pytestmark = pytest.mark.timeout(120)
ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PACKAGE = Path(kiosk.__file__).parent


def names(requirements: list[str]) -> set[str]:
    """Normalised distribution names of requirement strings (extras of this project left out)."""
    found = set()
    for requirement in requirements:
        name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0)
        if name.lower() != "kiosk":
            found.add(re.sub(r"[-_.]+", "-", name).lower())
    return found


CORE = names(PROJECT["project"]["dependencies"])
EXTRAS = {extra: names(reqs) for extra, reqs in PROJECT["project"]["optional-dependencies"].items()}


def third_party_imports(files) -> set[str]:
    """Top-level modules imported by ``files`` that are neither stdlib nor ``kiosk``."""
    found = set()
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "kiosk"}


def distributions(modules: set[str]) -> set[str]:
    owners = importlib.metadata.packages_distributions()
    return {re.sub(r"[-_.]+", "-", dist).lower() for m in modules for dist in owners.get(m, [m])}


def test_the_hub_profile_has_no_qt_and_the_kiosk_profile_no_server_stack():
    assert not {n for n in CORE | EXTRAS["hub"] if n.startswith(("pyside6", "shiboken"))}
    assert {"pyside6-essentials", "pyside6-addons", "fpdf2"} <= EXTRAS["app"]
    server = {"fastapi", "uvicorn", "sqlalchemy", "psycopg", "alembic", "openpyxl", "jinja2",
              "python-multipart"}
    assert server <= EXTRAS["hub"] and not server & (CORE | EXTRAS["app"])
    assert {"pytest-timeout", "build"} <= EXTRAS["test"]
    assert "kiosk[app,hub]" in PROJECT["project"]["optional-dependencies"]["test"]


def test_every_package_the_hub_imports_comes_with_kiosk_hub():
    hub_files = (PACKAGE / "hub").rglob("*.py")
    missing = distributions(third_party_imports(hub_files)) - CORE - EXTRAS["hub"]
    assert missing == set(), f"add to [hub] or the core dependencies: {missing}"


def test_every_package_the_kiosk_imports_comes_with_kiosk_app():
    files = [p for p in PACKAGE.rglob("*.py") if "hub" not in p.relative_to(PACKAGE).parts]
    missing = distributions(third_party_imports(files)) - CORE - EXTRAS["app"]
    assert missing == set(), f"add to [app] or the core dependencies: {missing}"


def test_metadata_is_complete_and_current():
    project = PROJECT["project"]
    assert project["license"] == "MIT"  # an SPDX expression, not the deprecated table
    for name in project["license-files"]:
        assert (ROOT / name).is_file()
    assert "Permission is hereby granted" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert project["gui-scripts"]["kiosk-gui"] == "kiosk.cli:gui_main"
    assert {"kiosk", "kiosk-hub"} <= set(project["scripts"])
    assert {"Homepage", "Source", "Issues"} <= set(project["urls"])
    assert not [c for c in project["classifiers"] if c.startswith("License ::")]
    assert "Operating System :: Microsoft :: Windows" in project["classifiers"]


def test_the_gui_script_is_kiosk_run(monkeypatch):
    from kiosk import cli

    seen = []
    monkeypatch.setattr(cli, "main", lambda argv: seen.append(argv) or 0)
    monkeypatch.setattr(sys, "argv", ["kiosk-gui", "--fullscreen"])
    assert cli.gui_main() == 0 and seen == [["run", "--fullscreen"]]


def test_the_import_contracts_have_no_back_door():
    contracts = PROJECT["tool"]["importlinter"]["contracts"]
    assert not [c["name"] for c in contracts if c.get("allow_indirect_imports")]
    hub = [c for c in contracts if c["source_modules"] == ["kiosk.hub"]]
    assert hub and {"PySide6", "kiosk.ui"} <= set(hub[0]["forbidden_modules"])
    core = [c for c in contracts if "kiosk.hub" in c["forbidden_modules"]]
    assert core and {"kiosk.sync", "kiosk.lessons", "kiosk.core", "kiosk.reporting", "kiosk.guide"} <= set(core[0]["source_modules"])
    assert "PySide6" in core[0]["forbidden_modules"]


def test_every_test_has_a_time_limit():
    assert PROJECT["tool"]["pytest"]["ini_options"]["timeout"] > 0


def test_fonts_and_their_licence_are_found_inside_the_package():
    assert PACKAGE in paths.FONTS_DIR.parents
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        assert paths.font_path(name).read_bytes()[:4] == b"\x00\x01\x00\x00"
    assert "SIL OPEN FONT LICENSE" in (paths.FONTS_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert paths.package_path("locale", "ui.json").is_file()
    with pytest.raises(FileNotFoundError, match="bundled font missing"):
        paths.font_path("NoSuchFont.ttf")
    assert not (ROOT / "assets").exists()


def test_the_data_files_keep_their_names_across_releases():
    # An upgraded kiosk must find the database and settings it wrote before; a renamed file
    # would look like an empty kiosk with a new identity.
    assert paths.db_path(ROOT).name == "kiosk.db"
    assert paths.config_path(ROOT).name == "config.toml"
