"""The message types and versions the gateway speaks, and what each must contain."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The message types the hub writes.
OUTBOUND_TYPES = ("COARRI", "CODECO", "IFTSTA", "COPRAR", "BAPLIE")


#: A UN/EDIFACT directory as UNH writes it (``D:95B`` is read as ``D.95B``).
DIRECTORY = re.compile(r"^D\.(?P<year>\d{2})(?P<release>[AB])$")
#: The directories in use that the gateway reads, for every type: the segments and data
#: elements it maps (BGM, TDT, LOC, DTM, EQD, MEA, RFF, NAD, SEL, DGS, TMP, FTX, STS) keep
#: their tags, qualifiers and element positions from D.95B to D.23A.
FIRST_DIRECTORY, LAST_DIRECTORY = "D.95B", "D.23A"


def directory_order(directory: str) -> tuple[int, str] | None:
    """A directory's place in time (D.95B before D.00A before D.23A), None when it is not
    one."""
    found = DIRECTORY.match(directory)
    if found is None:
        return None
    year = int(found["year"])
    return (1900 + year if year >= 90 else 2000 + year, found["release"])


@dataclass(frozen=True)
class Profile:
    """One message type: the directories accepted and the segments it cannot do without."""

    type: str
    title: str
    required: tuple[str, ...]
    #: Applied to the inventory (commands) or only read and recorded.
    applied: bool
    #: SMDG association codes written on outbound messages, per directory.
    association: dict[str, str]
    first_directory: str = FIRST_DIRECTORY
    last_directory: str = LAST_DIRECTORY

    def reads(self, directory: str) -> bool:
        at = directory_order(directory)
        first, last = directory_order(self.first_directory), directory_order(self.last_directory)
        return at is not None and first is not None and last is not None and first <= at <= last

    @property
    def directory_range(self) -> str:
        return f"{self.first_directory} to {self.last_directory}"


PROFILES: dict[str, Profile] = {
    profile.type: profile
    for profile in (
        Profile(
            "BAPLIE",
            "bay plan of a vessel or barge (SMDG 2.x / 3.1)",
            ("BGM", "TDT"),
            True,
            {"D.95B": "SMDG22", "D.13B": "SMDG31"},
        ),
        Profile(
            "COPRAR",
            "discharge / loading order for a train or vessel visit",
            ("BGM", "TDT", "EQD"),
            True,
            {"D.95B": "SMDG16", "D.00B": "SMDG20"},
        ),
        Profile(
            "COARRI",
            "discharge / loading report",
            ("BGM", "TDT", "EQD"),
            False,
            {"D.95B": "SMDG16", "D.00B": "SMDG20"},
        ),
        Profile(
            "CODECO",
            "gate-in / gate-out report",
            ("BGM", "EQD"),
            False,
            {"D.95B": "SMDG16", "D.00B": "SMDG20"},
        ),
        Profile(
            "CUSCAR",
            "customs cargo report",
            ("BGM",),
            False,
            {},
        ),
        Profile(
            "CUSRES",
            "customs response: release, hold, inspection or lift (hubport's profile; only "
            "from a partner whose profile gives it the customs role)",
            ("BGM", "GIS"),
            False,
            {},
        ),
        Profile(
            "MOVINS",
            "stowage instructions of a vessel call (read and recorded: vessel calls come "
            "with the river port)",
            ("BGM", "TDT"),
            False,
            {},
        ),
        Profile(
            "IFTSTA",
            "transport status events",
            ("BGM",),
            False,
            {"D.00B": "SMDG10"},
        ),
    )
}

#: BGM document name codes (1001) of the loading and discharge orders (SMDG COPRAR).
COPRAR_LOADING = "45"
COPRAR_DISCHARGE = "121"
#: COARRI: discharge report, loading report (as in the SMDG and ITG profiles).
COARRI_DISCHARGE = "44"
COARRI_LOADING = "46"
#: CODECO: gate-in and gate-out reports.
CODECO_GATE_IN = "34"
CODECO_GATE_OUT = "36"

#: BGM message function codes (1225): what a message does to an earlier one.
FUNCTION_ORIGINAL = "9"
FUNCTION_REPLACE = "5"
FUNCTION_CANCEL = "1"
FUNCTION_CHANGE = "4"
FUNCTIONS = {
    "9": "original",
    "5": "replacement",
    "4": "change",
    "1": "cancellation",
    "2": "addition",
    "3": "deletion",
    "31": "copy",
    "7": "duplicate",
    "43": "additional transmission",
}


def supported() -> str:
    """The profiles as one line, for error messages."""
    types = "/".join(PROFILES)
    return f"{types}, directories {FIRST_DIRECTORY} to {LAST_DIRECTORY}"
