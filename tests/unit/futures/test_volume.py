"""The GB/T 4814 log volume against the printed table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubport.futures.domain.errors import InvalidMeasure
from hubport.futures.domain.volume import Log, log_volume

# (checked length m, checked diameter cm, the table's value m³), read off the printed
# GB 4814 table that GB/T 4814-2013 keeps: its 2.0 m row, the 1.0–2.8 m rows of 14 and
# 30 cm, the 3.0–6.0 m row of 12 cm, and the 4 cm rows printed with four decimals
TABLE = [
    # short logs (0.8·L·(D + 0.5L)²)
    ("1.0", 8, "0.006"),
    ("1.0", 14, "0.017"),
    ("1.0", 30, "0.074"),
    ("1.0", 40, "0.131"),
    ("1.9", 40, "0.255"),
    # small diameters, 4–12 cm
    ("2.0", 4, "0.0041"),
    ("2.2", 4, "0.0047"),
    ("2.5", 4, "0.0056"),
    ("2.0", 6, "0.0079"),
    ("2.0", 8, "0.013"),
    ("2.0", 10, "0.019"),
    ("2.0", 12, "0.027"),
    ("3.0", 12, "0.043"),
    ("4.0", 12, "0.062"),
    ("5.0", 12, "0.082"),
    ("6.0", 12, "0.105"),
    # 14 cm and more
    ("2.0", 14, "0.036"),
    ("2.2", 14, "0.040"),
    ("2.4", 14, "0.045"),
    ("2.8", 14, "0.054"),
    ("2.0", 20, "0.072"),
    ("2.0", 30, "0.158"),
    ("2.4", 30, "0.193"),
    ("2.8", 30, "0.230"),
    ("2.0", 40, "0.278"),
]


@pytest.mark.parametrize(("length", "diameter", "printed"), TABLE)
def test_volume_equals_the_printed_table(length: str, diameter: int, printed: str) -> None:
    assert log_volume(length, diameter) == Decimal(printed)
    assert str(log_volume(length, diameter)) == printed  # the table's decimals too


def test_over_long_logs_take_their_own_formula() -> None:
    # 0.8·12·(30 + 6)² / 10000 = 1.24416 → 1.244 (the standard formula would give 1.250)
    assert log_volume("12.0", 30) == Decimal("1.244")


@pytest.mark.parametrize(
    ("length", "diameter", "named"),
    [
        ("3.3", 20, "length 3.3"),
        ("0.4", 20, "length 0.4"),
        ("20.2", 20, "length 20.2"),
        ("4.0", 15, "diameter 15"),
        ("4.0", 2, "diameter 2"),
        ("4.0", 122, "diameter 122"),
        ("four", 20, "'four'"),
        ("4.0", "nan", "'nan'"),
    ],
)
def test_a_measure_off_the_standard_is_refused_by_name(
    length: str, diameter: object, named: str
) -> None:
    with pytest.raises(InvalidMeasure, match=named):
        log_volume(length, diameter)


@given(
    st.integers(min_value=20, max_value=50).map(lambda n: Decimal(n) / 5),
    st.integers(min_value=2, max_value=59).map(lambda n: 2 * n),
)
def test_a_longer_or_thicker_log_is_never_smaller(length: Decimal, diameter: int) -> None:
    log = Log.measured(length, diameter)
    longer = Log.measured(min(length + Decimal("0.2"), Decimal(10)), diameter)
    thicker = Log.measured(length, diameter + 2)
    assert longer.exact_volume_m3() >= log.exact_volume_m3()
    assert thicker.exact_volume_m3() > log.exact_volume_m3()
