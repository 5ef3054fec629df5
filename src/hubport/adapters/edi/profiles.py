"""The message types and versions the gateway speaks, and what each must contain."""

from __future__ import annotations

from dataclasses import dataclass

#: The message types the hub writes.
OUTBOUND_TYPES = ("COARRI", "CODECO", "IFTSTA", "COPRAR", "BAPLIE")


@dataclass(frozen=True)
class Profile:
    """One message type: the directories accepted and the segments it cannot do without."""

    type: str
    title: str
    directories: tuple[str, ...]
    required: tuple[str, ...]
    #: Applied to the inventory (commands) or only read and recorded.
    applied: bool
    #: SMDG association codes written on outbound messages, per directory.
    association: dict[str, str]


PROFILES: dict[str, Profile] = {
    profile.type: profile
    for profile in (
        Profile(
            "BAPLIE",
            "bay plan of a vessel or barge (SMDG 2.x / 3.1)",
            ("D.95B", "D.13B"),
            ("BGM", "TDT"),
            True,
            {"D.95B": "SMDG22", "D.13B": "SMDG31"},
        ),
        Profile(
            "COPRAR",
            "discharge / loading order for a train or vessel visit",
            ("D.95B", "D.00B"),
            ("BGM", "TDT", "EQD"),
            True,
            {"D.95B": "SMDG16", "D.00B": "SMDG20"},
        ),
        Profile(
            "COARRI",
            "discharge / loading report",
            ("D.95B", "D.00B"),
            ("BGM", "TDT", "EQD"),
            False,
            {"D.95B": "SMDG16", "D.00B": "SMDG20"},
        ),
        Profile(
            "CODECO",
            "gate-in / gate-out report",
            ("D.95B", "D.00B"),
            ("BGM", "EQD"),
            False,
            {"D.95B": "SMDG16", "D.00B": "SMDG20"},
        ),
        Profile(
            "CUSCAR",
            "customs cargo report",
            ("D.95B", "D.00B", "D.03B"),
            ("BGM",),
            False,
            {},
        ),
        Profile(
            "IFTSTA",
            "transport status events",
            ("D.96A", "D.99B", "D.00B"),
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
    return "; ".join(f"{p.type} {'/'.join(p.directories)}" for p in PROFILES.values())
