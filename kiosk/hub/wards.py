"""Wards as tenants of the hub (DESIGN.md invariant 12): which ward each help point belongs to.

A help point is placed in its ward when its first enrollment code is made (``place_point``) and
stays there: a code for the same point naming another ward is refused. A point's name is unique
across the hub. A ward's numbers are those of its points (``points_of``), which every view of a
number filters by: the report layer, the devices list, the dashboard. Staff accounts name their
ward in ``users.ward`` (NULL: the city).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.hub.database import now_iso
from kiosk.hub.schema import help_points, wards

DEFAULT_WARD = "Phường"  # the one ward of a hub that never named one (also in 0004_wards)
MAX_WARD_CHARS = 120


class WardError(ValueError):
    """A ward name or placement was refused; ``reason`` is ``bad_ward`` or ``other_ward``."""

    MESSAGES = {"bad_ward": f"a ward needs a name of 1 to {MAX_WARD_CHARS} characters",
                "other_ward": "this help point belongs to another ward"}

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(self.MESSAGES[reason])


def ward_name(name) -> str:
    """A ward's name as the hub keeps it: trimmed, inner spaces collapsed, control characters
    removed, 1 to ``MAX_WARD_CHARS`` characters. Raises ``WardError("bad_ward")``."""
    text = " ".join("".join(c if c.isprintable() else " " for c in str(name or "")).split())
    if not 1 <= len(text) <= MAX_WARD_CHARS:
        raise WardError("bad_ward")
    return text


def _insert(connection: Connection, table, **values):
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).values(**values).on_conflict_do_nothing()


def place_point(connection: Connection, point: str, ward: str | None) -> str:
    """Place help ``point`` in ``ward`` (made if new) in the caller's write transaction and
    return the point's ward. A point already placed keeps its ward; ``ward`` naming another one
    raises ``WardError("other_ward")``. Without ``ward`` a new point joins the hub's only ward,
    else ``DEFAULT_WARD``. Safe against a racing placement (insert-or-ignore, then read)."""
    current = ward_of_point(connection, point)
    wanted = ward_name(ward) if ward is not None else None
    if current is not None:
        if wanted is not None and wanted != current:
            raise WardError("other_ward")
        return current
    if wanted is None:
        names = connection.execute(select(wards.c.name).limit(2)).scalars().all()
        wanted = names[0] if len(names) == 1 else DEFAULT_WARD
    now = now_iso()
    connection.execute(_insert(connection, wards, name=wanted, created_at=now))
    connection.execute(_insert(connection, help_points, name=point, ward=wanted, created_at=now))
    placed = ward_of_point(connection, point)
    if placed != wanted:
        raise WardError("other_ward")
    return placed


def ward_of_point(connection: Connection, point: str | None) -> str | None:
    """The ward help ``point`` belongs to, or ``None`` (not placed, or no point)."""
    if not point:
        return None
    return connection.execute(select(help_points.c.ward).where(
        help_points.c.name == point)).scalar_one_or_none()


def points_of(ward: str):
    """A sub-query of the names of ``ward``'s help points, for ``column.in_(points_of(w))``."""
    return select(help_points.c.name).where(help_points.c.ward == ward)


def ward_points(connection: Connection, ward: str) -> list[str]:
    return connection.execute(points_of(ward).order_by(help_points.c.name)).scalars().all()


def list_wards(engine: Engine) -> list[dict]:
    """Every ward with its number of help points: ``[{"name", "points"}]`` by name."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(wards.c.name, func.count(help_points.c.name))
            .select_from(wards.outerjoin(help_points, help_points.c.ward == wards.c.name))
            .group_by(wards.c.name).order_by(wards.c.name))
        return [{"name": name, "points": n} for name, n in rows]


def ward_names(connection: Connection) -> list[str]:
    return connection.execute(select(wards.c.name).order_by(wards.c.name)).scalars().all()


def ward_exists(engine: Engine, ward: str) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(wards.c.name).where(wards.c.name == ward)).first() \
            is not None
