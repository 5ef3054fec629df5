"""Who may deliver an interchange: identity is the authenticated caller, never the UNB
sender the message writes of itself.

- A file in a partner's folder speaks for that partner only (the folder is the partner's
  channel; the file system's owner-only permissions guard it): its own UNB id, or the
  other ids its profile lists as ``senders``.
- On the API, an account bound to the partner (its profile's ``accounts``) speaks for it.
  An operator or admin may relay a trading partner's interchange (what it carries they
  may send through the API themselves), but never a customs response.
- A customs response (CUSRES) comes only from the customs office: its folder, an account
  of the customs role, or the office's own bound account; and the sender's profile must
  give it the customs role.
- The command line runs with the store's own rights, and relays like an operator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: The channels an interchange reaches the hub by.
CHANNELS = ("api", "folder", "cli")
#: The roles that may relay a trading partner's interchange on its behalf.
RELAYING_ROLES = ("operator", "admin")


@dataclass(frozen=True)
class Speaker:
    """The authenticated deliverer of an interchange: the channel, the account (a user,
    or the partner whose folder it is) and the account's role."""

    channel: str
    account: str
    role: str

    def __post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise ValueError(f"channel {self.channel!r} is not one of {', '.join(CHANNELS)}")

    @classmethod
    def folder(cls, partner: str) -> Speaker:
        return cls("folder", partner, "partner")

    @property
    def label(self) -> str:
        return f"{self.channel}:{self.account}"


def refusal(
    speaker: Speaker,
    sender: str,
    bound: frozenset[str],
    customs_responses: bool,
    folder_carries: Callable[[str], bool] | None = None,
) -> str | None:
    """Why ``speaker`` may not deliver an interchange from UNB ``sender`` whose profile
    binds the accounts ``bound`` (None: it may); ``folder_carries`` says which senders the
    speaker's folder may carry (default: its own partner's id only)."""
    if speaker.channel == "folder":
        carries = folder_carries or (lambda unb: unb == speaker.account)
        if not carries(sender):
            return (
                f"a file in {speaker.account}'s folder names UNB sender {sender}: a folder "
                "carries only its own partner's interchanges"
            )
        return None
    own = speaker.account in bound
    if customs_responses:
        if own or speaker.role == "customs" or speaker.channel == "cli":
            return None
        return (
            f"account {speaker.account} ({speaker.role}) may not send customs responses: "
            "only the customs role or the customs office's own account may"
        )
    if own or speaker.role in RELAYING_ROLES or speaker.channel == "cli":
        return None
    return f"account {speaker.account} ({speaker.role}) is not bound to partner {sender}"


__all__ = ["CHANNELS", "RELAYING_ROLES", "Speaker", "refusal"]
