"""Partner folders: ``ROOT/PARTNER/in`` is watched, ``ROOT/PARTNER/out`` receives.

A file dropped into ``in`` is processed once: applied (or acknowledged as a repeat) it moves
to ``in/done``; rejected, to ``in/quarantine`` with ``NAME.report.txt`` beside it. A crash
between applying and moving leaves the file in ``in``; the next scan finds the interchange
already applied (the bus keeps its key) and only moves it, so nothing is applied twice.
Names starting with a dot are files still being written and are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol, TypeVar

from hubport.adapters.edi.partners import PROFILE_FILE, profile_template


class Handled(Protocol):
    """What the gateway says of one file: its status and, when quarantined, why."""

    @property
    def status(self) -> str: ...

    @property
    def problems(self) -> list[str]: ...


R = TypeVar("R", bound=Handled)

SUFFIXES = {".edi", ".txt", ".edifact", ".dat", ""}


def partner_inboxes(root: Path) -> Iterator[Path]:
    """Every ``PARTNER/in`` folder under ``root``."""
    if not root.is_dir():
        return
    for partner in sorted(root.iterdir()):
        inbox = partner / "in"
        if partner.is_dir() and inbox.is_dir():
            yield inbox


def pending(inbox: Path) -> list[Path]:
    """Files waiting in ``inbox``, oldest first."""
    files = [
        path
        for path in inbox.iterdir()
        if path.is_file() and not path.name.startswith(".") and path.suffix.lower() in SUFFIXES
    ]
    return sorted(files, key=lambda path: (path.stat().st_mtime, path.name))


def read_text(path: Path) -> str:
    """A message file's text: UTF-8, or Latin-1 (UNOC) when it is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def scan(
    receive: Callable[[str, str, str], R], root: Path, report: Callable[[R], None] | None = None
) -> list[R]:
    """Hand every waiting file of every partner to ``receive(text, name, partner)`` once
    (the gateway, driven from outside the adapters); returns what it said of each."""
    receipts = []
    for inbox in partner_inboxes(root):
        for path in pending(inbox):
            receipt = receive(read_text(path), str(path), inbox.parent.name)
            target = inbox / ("quarantine" if receipt.status == "quarantined" else "done")
            target.mkdir(exist_ok=True)
            if receipt.status == "quarantined":
                (target / f"{path.name}.report.txt").write_text(
                    "\n".join(receipt.problems) + "\n", encoding="utf-8"
                )
            path.replace(target / path.name)
            receipts.append(receipt)
            if report is not None:
                report(receipt)
    return receipts


def ensure_partner(root: Path, partner: str) -> tuple[Path, Path]:
    """Create a partner's in and out folders (and its profile with the default, when it
    has none); returns the folders."""
    inbox, outbox = root / partner / "in", root / partner / "out"
    # a partner's folders are its channel: readable and writable by their owner only
    for folder in (root, root / partner, inbox, outbox):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    profile = root / partner / PROFILE_FILE
    if not profile.exists():
        profile.write_text(profile_template(partner), encoding="utf-8")
    return inbox, outbox
