"""The gate's camera reads: a valid number passes, a misread gets a suggestion one
character away, never applied; appointments keep their state machine."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hubport.domain.gate import Appointment, AppointmentState, GateRefused, WindowRule, read_number
from tests.conftest import T0


def test_a_valid_read_is_the_number() -> None:
    read = read_number("csqu 3054383", 0.97)
    assert read.number == "CSQU3054383" and read.problem is None and read.suggestion is None


def test_a_letter_read_for_a_digit_is_suggested_and_not_applied() -> None:
    read = read_number("CSQU3O54383", 0.95)  # the camera read an O for a 0
    assert read.number is None and read.suggestion == "CSQU3054383"
    assert read.read == "CSQU3O54383", "the read is kept as it was"


def test_a_wrong_check_digit_is_suggested_only_when_one_fix_is_clear() -> None:
    ambiguous = read_number("CSQU3054384", 0.95)
    assert ambiguous.number is None and "check digit" in (ambiguous.problem or "")
    assert ambiguous.suggestion is None, "several one-digit fixes exist: none is suggested"
    booked = read_number("CSQU3054384", 0.95, frozenset({"CSQU3054383"}))
    assert booked.suggestion == "CSQU3054383", "the appointment's number decides among them"


def test_appointment_windows_follow_the_gate_rule() -> None:
    start, end = WindowRule(30, 10).window_of(T0 + timedelta(minutes=47))
    assert (start, end) == (T0 + timedelta(minutes=30), T0 + timedelta(minutes=60))


def test_an_appointment_is_changed_or_cancelled_only_while_booked() -> None:
    booked = Appointment("A1", "渝A12345", "collect", "CSQU3054383", T0, T0 + timedelta(minutes=30))
    moved = booked.moved(T0 + timedelta(hours=1), T0 + timedelta(hours=1, minutes=30))
    assert moved.changes == 1 and moved.state is AppointmentState.BOOKED
    cancelled = moved.to(AppointmentState.CANCELLED)
    with pytest.raises(GateRefused, match="is cancelled"):
        cancelled.moved(T0, T0 + timedelta(minutes=30))
    with pytest.raises(GateRefused, match="is cancelled already"):
        cancelled.to(AppointmentState.USED)
    with pytest.raises(GateRefused, match="kind 'drop'"):
        Appointment("A2", "渝A1", "drop", "CSQU3054383", T0, T0 + timedelta(minutes=30))


def test_the_windows_from_a_moment_carry_their_bookings_and_room() -> None:
    rule = WindowRule(30, 10)
    first = rule.window_of(T0 + timedelta(minutes=47))[0]
    booked = {first: 10, first + timedelta(minutes=60): 4}
    windows = rule.windows(T0 + timedelta(minutes=47), first + timedelta(minutes=90), booked)
    assert [w.start for w in windows] == [first + timedelta(minutes=30 * n) for n in range(3)]
    assert [w.free for w in windows] == [0, 10, 6]
    assert all(w.end - w.start == timedelta(minutes=30) for w in windows)
