"""The admin part of the kiosk, behind the admin PIN: overview counts, volunteers, settings,
diagnostics and USB export (``panel.AdminPanel``, one module per section)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.core.config import Config
    from kiosk.ui.admin.panel import AdminPanel
    from kiosk.ui.tasks import TaskManager


def build_panel(problems: list, parent, *, tasks: TaskManager, data_dir: Path,
                config: Config, sync) -> AdminPanel:
    """The admin panel; its modules are imported only when it is first needed, not at the
    kiosk's start."""
    from kiosk.ui.admin.panel import AdminPanel

    return AdminPanel(problems, parent, tasks=tasks, data_dir=data_dir, config=config,
                      sync=sync)
