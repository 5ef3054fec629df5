from collections.abc import Iterator
from contextlib import contextmanager

from hubport.planning import _bay


@contextmanager
def switched_off(flags: int) -> Iterator[None]:
    """Parts of the search core switched by its test flags (see the top of _bay.c)."""
    _bay._debug(flags)
    try:
        yield
    finally:
        _bay._debug(0)
