"""Partner profiles: which deviations from the standard hubport accepts from a partner,
with a warning, instead of rejecting the interchange.

A partner's profile is ``EDI_DIR/PARTNER/profile.toml`` (PARTNER: its UNB sender id)::

    # what hubport accepts from this partner, with a warning
    accept = ["empty-recipient", "other-directory"]
    # the partner is the customs office: its CUSRES responses are applied
    role = "customs"
    # the platform's accounts that speak for this partner (its machine accounts)
    accounts = ["cqjj-edi"]
    # the UNB sender ids the files in this partner's folder may carry (default: its own)
    senders = ["CQJJ"]

Without a file a partner gets the default: an empty UNB recipient is accepted. Only the
deviations below can be accepted, because each keeps the message's meaning; real defects
(a wrong UNT or UNZ count, a bad check digit, a file cut short, a value the hub cannot
read) are rejected whatever a profile says.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from hubport.adapters.edi.profiles import FIRST_DIRECTORY, LAST_DIRECTORY
from hubport.domain.errors import HubportError

#: The deviations a profile may accept, and why each keeps the message's meaning.
DEVIATIONS = {
    "empty-recipient": "UNB names no recipient: the interchange reached the hub's own folder "
    "or gateway, so the hub is its recipient",
    "other-directory": f"a UN/EDIFACT directory outside {FIRST_DIRECTORY} to {LAST_DIRECTORY}: "
    "read as those are (the partner vouches that the segments hubport maps are unchanged)",
}
DEFAULT_ACCEPT = frozenset({"empty-recipient"})
PROFILE_FILE = "profile.toml"


class PartnerProfileError(HubportError):
    """A partner profile that cannot be read or names an unknown deviation."""


#: The roles a partner may have: a trading partner, or the customs office.
PARTNER_ROLES = ("partner", "customs")


@dataclass(frozen=True)
class PartnerProfile:
    partner: str
    accept: frozenset[str] = DEFAULT_ACCEPT
    #: The file it came from, or "default".
    source: str = "default"
    #: ``customs`` for the customs office, whose responses (CUSRES) are applied.
    role: str = "partner"
    #: The platform's user accounts bound to the partner: they speak for it on the API.
    accounts: frozenset[str] = frozenset()
    #: Other UNB sender ids the partner's folder may carry (a terminal writing "LBCTI"
    #: into the folder of "LBCT"); its own id always.
    senders: frozenset[str] = frozenset()

    def sends_as(self, sender: str) -> bool:
        return sender == self.partner or sender in self.senders


def read_profile(root: Path, partner: str) -> PartnerProfile:
    """The profile of ``partner`` under the EDI folder ``root`` (the default without one)."""
    if not partner or "/" in partner or partner.startswith("."):
        return PartnerProfile(partner)
    path = root / partner / PROFILE_FILE
    if not path.is_file():
        return PartnerProfile(partner)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise PartnerProfileError(f"{path}: cannot be read: {error}") from None
    accept = data.get("accept", sorted(DEFAULT_ACCEPT))
    if not isinstance(accept, list) or not all(isinstance(item, str) for item in accept):
        raise PartnerProfileError(f"{path}: accept: expected a list of deviation names")
    unknown = sorted(set(accept) - DEVIATIONS.keys())
    if unknown:
        raise PartnerProfileError(
            f"{path}: accept: {', '.join(map(repr, unknown))} cannot be accepted; the "
            f"deviations a profile may accept are {', '.join(sorted(DEVIATIONS))}"
        )
    role = data.get("role", "partner")
    if role not in PARTNER_ROLES:
        roles = ", ".join(PARTNER_ROLES)
        raise PartnerProfileError(f"{path}: role: {role!r} is not one of {roles}")
    accounts = data.get("accounts", [])
    if not isinstance(accounts, list) or not all(isinstance(item, str) for item in accounts):
        raise PartnerProfileError(f"{path}: accounts: expected a list of user names")
    senders = data.get("senders", [])
    if not isinstance(senders, list) or not all(isinstance(item, str) for item in senders):
        raise PartnerProfileError(f"{path}: senders: expected a list of UNB sender ids")
    return PartnerProfile(
        partner, frozenset(accept), str(path), role, frozenset(accounts), frozenset(senders)
    )


def profile_template(partner: str) -> str:
    """A documented profile file with the default, for a new partner folder."""
    lines = [
        f"# Partner profile of {partner}: the deviations from the standard that hubport",
        "# accepts from this partner with a warning rather than rejecting the interchange.",
        "# Real defects (wrong UNT/UNZ counts, bad check digits, files cut short) are",
        "# rejected whatever this file says. The deviations that may be accepted:",
        *(f"#   {name}: {why}" for name, why in sorted(DEVIATIONS.items())),
        "",
        f"accept = {json.dumps(sorted(DEFAULT_ACCEPT))}",
        '# role = "customs"   # only for the customs office: its CUSRES are applied',
        "# the platform's accounts that speak for this partner on the API (machine accounts)",
        '# accounts = ["crct-edi"]',
        "# other UNB sender ids the files in this folder may carry (its own always)",
        '# senders = ["CRCT1"]',
        "",
    ]
    return "\n".join(lines)


__all__ = [
    "DEFAULT_ACCEPT",
    "DEVIATIONS",
    "PartnerProfile",
    "PartnerProfileError",
    "profile_template",
    "read_profile",
]
