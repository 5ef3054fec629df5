"""The futures errors: one subclass of the hub's root per concept."""

from __future__ import annotations

from hubport.domain.errors import HubportError


class FuturesError(HubportError):
    """Root of the futures context's errors."""


class InvalidMeasure(FuturesError):
    """A log's measured length or diameter outside the standard's steps or range."""


class InvalidTally(FuturesError):
    """A tally (a measuring station's file, or pieces typed in) that cannot be read."""


class DeliveryRefused(FuturesError):
    """A step of a delivery that its state, its deadlines or the caller's role forbid."""


class DeliveryNotFound(DeliveryRefused):
    """No delivery of that id (or none the caller may see)."""


class SlotRefused(FuturesError):
    """A booking that would exceed the site's capacity or collide with other track use."""


class SiteFileError(FuturesError):
    """A delivery site file that is missing a figure or holds a wrong one."""
