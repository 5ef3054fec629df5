"""Who this runtime is: its holder id in the lease, and the account its own commands are
recorded under."""

from __future__ import annotations

import os
import socket
import uuid

from hubport.domain.lease import Holder
from hubport.services.commands import Author


def this_process() -> Holder:
    """This process as a lease holder: host, pid and a random tail (a pid is reused)."""
    host = socket.gethostname()
    return Holder(f"{host}:{os.getpid()}:{uuid.uuid4().hex[:8]}", host, os.getpid())


def runtime_author() -> Author:
    """The runtime's own account: what it does by itself is recorded under it."""
    return Author(f"runtime@{socket.gethostname()}:{os.getpid()}"[:80], "runtime", "runtime")


__all__ = ["runtime_author", "this_process"]
