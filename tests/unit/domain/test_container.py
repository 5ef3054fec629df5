from __future__ import annotations

import pytest

from hubport.domain.container import Container, ContainerNumber, CustomsStatus, SizeType
from hubport.domain.errors import InvalidContainer, InvalidContainerNumber, UnknownSizeType


def test_valid_number_is_accepted_and_compacted() -> None:
    assert ContainerNumber("csqu 305438 3").value == "CSQU3054383"
    assert ContainerNumber("CSQU3054383").owner == "CSQ"


def test_wrong_check_digit_names_number_and_expected_digit() -> None:
    with pytest.raises(InvalidContainerNumber) as raised:
        ContainerNumber("CSQU3054384")
    assert raised.value.expected_check_digit == "3"
    assert "CSQU3054384" in str(raised.value)
    assert "expected 3" in str(raised.value)


@pytest.mark.parametrize("text", ["", "CSQ3054383", "CSQX3054383", "1SQU3054383", "CSQU305438"])
def test_malformed_number_is_rejected_with_the_expected_shape(text: str) -> None:
    with pytest.raises(InvalidContainerNumber, match="3 owner letters"):
        ContainerNumber(text)


@pytest.mark.parametrize(
    ("code", "length", "teu", "reefer"),
    [
        ("22G1", 20, 1.0, False),
        ("22R1", 20, 1.0, True),
        ("22U1", 20, 1.0, False),
        ("22T1", 20, 1.0, False),
        ("25G1", 20, 1.0, False),
        ("42G1", 40, 2.0, False),
        ("45G1", 40, 2.0, False),
        ("45R1", 40, 2.0, True),
        ("L5G1", 45, 2.0, False),
    ],
)
def test_size_type_knows_length_teu_and_group(
    code: str, length: int, teu: float, reefer: bool
) -> None:
    size = SizeType.of(code)
    assert (size.length_ft, size.teu, size.is_reefer) == (length, teu, reefer)
    assert size.is_forty == (length >= 40)


def test_size_type_flags_high_cube_tank_and_open_top() -> None:
    assert SizeType.of("45G1").is_high_cube and not SizeType.of("42G1").is_high_cube
    assert SizeType.of("22T1").is_tank
    assert SizeType.of("22U1").is_open_top


def test_unknown_size_type_is_rejected_listing_known_codes() -> None:
    with pytest.raises(UnknownSizeType) as raised:
        SizeType.of("99X9")
    assert "99X9" in str(raised.value) and "45G1" in str(raised.value)


def test_gross_mass_beyond_rating_is_rejected() -> None:
    with pytest.raises(InvalidContainer, match="40000 kg"):
        Container(ContainerNumber("CSQU3054383"), SizeType.of("22G1"), 40_000)


def test_reefer_setpoint_needs_a_reefer() -> None:
    with pytest.raises(InvalidContainer, match="reefer type"):
        Container(ContainerNumber("CSQU3054383"), SizeType.of("22G1"), 20_000, reefer_setpoint_c=5)


def test_reefer_setpoint_outside_range_is_rejected() -> None:
    with pytest.raises(InvalidContainer, match="-60"):
        Container(
            ContainerNumber("CSQU3054383"), SizeType.of("22R1"), 20_000, reefer_setpoint_c=-60
        )


def test_unknown_imdg_class_is_rejected() -> None:
    with pytest.raises(InvalidContainer, match="IMDG"):
        Container(ContainerNumber("CSQU3054383"), SizeType.of("22T1"), 20_000, imdg_class="10")


def test_only_released_or_uncontrolled_boxes_may_leave() -> None:
    leaving = {status for status in CustomsStatus if status.may_leave}
    assert leaving == {CustomsStatus.RELEASED, CustomsStatus.NOT_REQUIRED}
