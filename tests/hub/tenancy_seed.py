"""Two wards with distinct, recognisable data for the tenancy tests, and accounts of each kind.

Ward A ("Phường Ba Đình") has two help points with 17 sessions each; ward B ("Phường Long
Biên") one point with 61 sessions. B's names, point and device ids are what a ward A account
must never be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.hub.dashboard.users import add_user
from kiosk.hub.enrollment import make_code
from tests.hub.dashboard_seed import Seeded, seed_hub

WARD_A, WARD_B = "Phường Ba Đình", "Phường Long Biên"
POINTS_A = ("Nhà văn hóa tổ 5", "Nhà văn hóa tổ 12 Phúc Xá")
POINTS_B = ("Điểm lưu động chợ Gia Lâm",)
SESSIONS_A, SESSIONS_B = 17, 61
PASSWORD = "mật khẩu đủ dài 1"
USERS = {"a.viewer": ("viewer", WARD_A), "a.admin": ("admin", WARD_A),
         "b.viewer": ("viewer", WARD_B), "city.viewer": ("viewer", None),
         "city.admin": ("admin", None)}


@dataclass
class TwoWards:
    a: Seeded
    b: Seeded

    def secrets_of_b(self) -> list[str]:
        """Text that names ward B or its kiosks: none of it may reach a ward A account."""
        return [WARD_B, "Long Biên", "Gia Lâm", *POINTS_B, *self.b.device_ids]


def seed_two_wards(engine, folder: Path) -> TwoWards:
    """Both wards' points placed, data sent through the hub's ingest path, ``USERS`` added."""
    for ward, points in ((WARD_A, POINTS_A), (WARD_B, POINTS_B)):
        for point in points:
            make_code(engine, point, ward=ward)
    a = seed_hub(engine, folder / "a", points=POINTS_A, sessions_per_point=SESSIONS_A,
                 runs_per_point=5, seed=11, name_note=False)
    b = seed_hub(engine, folder / "b", points=POINTS_B, sessions_per_point=SESSIONS_B,
                 runs_per_point=9, seed=13, name_note=False)
    for name, (role, ward) in USERS.items():
        add_user(engine, name, role, PASSWORD, ward=ward)
    return TwoWards(a, b)
