"""A hub on a real SQLite store with a user of each role, a train on its track with two
boxes (one in the yard, one still on its wagon) and their declaration: the app that the
API and console tests drive."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hubport.adapters.database import install_site, load_site, make_engine, migrate
from hubport.adapters.site_file import read_site_file
from hubport.bootstrap import Hub
from hubport.config import Settings
from hubport.domain.access import ROLES, new_token, token_digest
from hubport.domain.customs import Leg
from hubport.domain.places import WagonSlot, YardSlot
from hubport.entrypoints.api.app import create_app
from hubport.services import commands
from hubport.services import customs_commands as customs
from hubport.services.access_commands import AddUser
from hubport.services.clock import ManualClock
from hubport.services.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from hubport.services.messagebus import MessageBus
from hubport.services.sql_unit_of_work import SqlUnitOfWork
from tests.conftest import T0, box, train

MINE, THEIRS = box(1, operator="MSK"), box(2, operator="COS")


@dataclass
class Api:
    client: TestClient
    tokens: dict[str, str]
    hub: Hub

    def get(self, path: str, role: str | None = None, **kwargs: Any) -> Any:
        return self.client.get(path, headers=self._auth(role), **kwargs)

    def post(
        self, path: str, role: str | None = None, text: str | None = None, **kwargs: Any
    ) -> Any:
        headers = self._auth(role)
        if text is not None:
            headers["Content-Type"] = "text/plain"
            kwargs["content"] = text
        return self.client.post(path, headers=headers, **kwargs)

    def _auth(self, role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    engine = make_engine(f"sqlite:///{tmp_path / 'hubport.db'}")
    migrate(engine)
    site, layout, source = read_site_file(None)
    install_site(engine, site, layout, source)
    site = load_site(engine)
    bus = MessageBus(
        lambda: SqlUnitOfWork(engine, site), ManualClock(T0), COMMAND_HANDLERS, EVENT_HANDLERS
    )
    tokens = {}
    for role in ROLES:
        tokens[role] = new_token()
        party = {
            "shipper": "MSK",
            "member": "M0202",
            "department": "planning",
            "enterprise": "E1",
        }.get(role)
        bus.handle(AddUser(f"{role}-user", role, token_digest(tokens[role]), party))
    bus.handle(commands.RegisterTrain(train("T100", wagons=2)))
    for container in (MINE, THEIRS):
        bus.handle(commands.AnnounceContainer(container))
    legs = (Leg("rail", "LAVTE", "CNJGJ"),)
    bus.handle(customs.LodgeDeclaration("D1", "import", (MINE.number, THEIRS.number), legs))
    consist = ((MINE.number, WagonSlot("T100", 1, "A")), (THEIRS.number, WagonSlot("T100", 2, "A")))
    bus.handle(commands.ArriveTrain("T100", "T1", consist))
    bus.handle(commands.MoveContainer(MINE.number, YardSlot("A", 3, 1, 1)))
    hub = Hub(Settings(data_dir=tmp_path), engine, site, bus)
    _a_park_project(hub)
    with TestClient(create_app(hub)) as client:
        yield Api(client, tokens, hub)
    engine.dispose()


def _a_park_project(hub: Hub) -> None:
    """P001 of enterprise E1 (the enterprise user's), signed and on its way."""
    from datetime import date
    from decimal import Decimal

    from hubport.park.domain.projects import Project, StageDates
    from hubport.park.services.commands import RegisterProject

    stages = {
        "signed": StageDates(date(2026, 3, 1), date(2026, 3, 1)),
        "land_supply": StageDates(date(2026, 6, 1), date(2026, 6, 20)),
        "approvals": StageDates(date(2026, 12, 20)),
    }
    project = Project(
        "P001",
        "Gearbox plant",
        "Acme",
        "advanced_equipment",
        Decimal(500_000_000),
        40_000,
        Decimal(800_000_000),
        "E1",
        stages,
    )
    hub.park().bus.handle(RegisterProject(project=project))


__all__ = ["MINE", "THEIRS", "Api", "api"]
