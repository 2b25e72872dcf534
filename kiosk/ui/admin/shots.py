"""Screenshots of the admin panel, for ``kiosk screenshot`` (a command-line tool, not the kiosk).

It fills the throw-away screenshot database with a week of demo sessions and a few volunteers
(once), then shows every section, waiting for the database worker before each shot.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

DEMO_SESSIONS = 60
DEMO_PEOPLE = (("Nguyễn Thu Hà", "volunteer", True), ("Trần Minh Đức", "volunteer", True),
               ("Lê Văn Nam", "volunteer", False), ("Phạm Thị Hồng Nhung", "admin", True))


def _fill_demo_data(db) -> None:
    """A few volunteers and a week of sessions, once per screenshot database."""
    from kiosk.core import accounts
    from kiosk.core.demo import record_demo_sessions

    if any(a["name"] == DEMO_PEOPLE[0][0] for a in accounts.list_accounts(db)):
        return
    for name, role, active in DEMO_PEOPLE:
        account = accounts.create_account(db, name=name, role=role, pin="8642")
        if not active:
            accounts.set_active(db, account["id"], active=False)
    list(record_demo_sessions(db, DEMO_SESSIONS, seed=7))


def wait_for_worker(window) -> None:
    """Run Qt's event loop until every task the window submitted (database or background, a
    drive scan included) has answered."""
    if not window.tasks.wait_until_idle():
        raise TimeoutError("the kiosk's background work did not finish in time")


def shoot_admin(window, language: str, shoot) -> None:
    """Every admin section, the steps of adding a volunteer, and an export to a stand-in drive."""
    window.worker.submit(_fill_demo_data, changes=True)
    panel = window.admin
    window.navigator.show(panel)
    for name, in_week in (("counts", False), ("counts", True), ("volunteers", False),
                          ("settings", False), ("diagnostics", False), ("hub", False)):
        panel.show_section(name)
        if in_week:
            panel.counts_section.show_period("week")
        wait_for_worker(window)
        if name == "settings":
            _fill_settings_form(panel.settings_section)
        shoot(f"admin-{name}{'-week' if in_week else ''}")
    _shoot_volunteer_steps(window, panel.volunteers_section, shoot)
    panel.show_section("diagnostics")
    panel.diagnostics_section.check.click()
    wait_for_worker(window)
    shoot("admin-diagnostics-checked")
    with tempfile.TemporaryDirectory(prefix="kiosk-usb-") as scratch:
        _shoot_export(window, panel, Path(scratch), shoot)
    panel.show_section("counts")
    panel.counts_section.show_period("today")


def _fill_settings_form(section) -> None:
    """What an admin would type (shown, not saved: the shot's config stays as it was)."""
    section.help_point.setText("Nhà văn hóa tổ dân phố số 5")
    section.ward.setText("Phường Hoàn Kiếm")
    section.neighbourhoods.setPlainText("\n".join(f"Tổ dân phố số {n}" for n in (5, 6, 7)))


def _shoot_volunteer_steps(window, section, shoot) -> None:
    window.admin.show_section("volunteers")
    wait_for_worker(window)
    section.start_adding()
    section.name_page.name.setText("Đỗ Quỳnh Anh")
    shoot("admin-volunteer-name")
    section.name_page.next.click()
    for digit in "2580":
        section.pin_page.pad.press(digit)
    shoot("admin-volunteer-pin")
    section.show_list()


def _shoot_export(window, panel, folder: Path, shoot) -> None:
    drive = folder / "KINGSTON"
    drive.mkdir()
    section = panel.export_section
    section.drives_provider = lambda: []
    panel.show_section("export")
    wait_for_worker(window)
    shoot("admin-export-no-drive")
    section.drives_provider = lambda: [drive]
    section.reload()
    wait_for_worker(window)
    shoot("admin-export-ready")
    section.start_export()
    wait_for_worker(window)
    shoot("admin-export-done")
    section.drives_provider = lambda: [folder / "gone"]
    section.reload()
    wait_for_worker(window)
    section.start_export()
    wait_for_worker(window)
    shoot("admin-export-failed")
    from kiosk.ui.drives import removable_drives

    section.drives_provider = removable_drives
