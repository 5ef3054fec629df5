from pathlib import Path

import pytest

from hubport.domain.errors import BayFileError
from hubport.planning.bay_files import parse_bay, read_bay

DATA = Path(__file__).parents[2] / "data" / "bays"


def test_a_caserta_voss_file_reads_bottom_to_top_with_two_spare_tiers():
    bay = read_bay(DATA / "data3-3-1.dat")
    assert bay.stacks == ((3, 7, 1), (2, 6, 5), (8, 9, 4))
    assert bay.max_height == 5


def test_a_bortfeldt_forster_file_takes_its_height_from_the_name():
    bay = read_bay(DATA / "cpmp_16_5_48_10_29_1.bay")
    assert (len(bay.stacks), bay.boxes, bay.max_height) == (16, 48, 5)
    assert bay.badly_placed() == 29


def test_an_explicit_height_overrides_the_default():
    assert read_bay(DATA / "data3-3-1.dat", max_height=4).max_height == 4


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("", 1, "the file is empty"),
        ("3\n", 1, "the header must be 'stacks boxes'"),
        ("2 x\n", 1, "the header must be whole numbers"),
        ("2 3\n2 1 2\n", 2, "announces 2 stacks but only 1 follow"),
        ("1 2\n2 1 2\n1 3\n", 3, "text after the 1 stacks"),
        ("1 3\n3 1 2\n", 2, "3 does not match the 2 boxes"),
        ("2 3\n2 1 2\n1 3 4\n", 3, "1 does not match the 2 boxes"),
        ("1 3\n2 1 2\n", 1, "announces 3 boxes but 2 are listed"),
        ("1 2\n2 1 0\n", 2, "priorities must be 1 or more"),
        ("1 8\n8 1 2 3 4 5 6 7 8\n", 1, "above the maximum height"),
    ],
)
def test_a_malformed_file_names_the_line_and_the_problem(text, line, problem):
    with pytest.raises(BayFileError, match=problem) as caught:
        parse_bay(text, Path("bay.dat"), max_height=7 if "8 1 2" in text else None)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"bay.dat:{line}:")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(BayFileError, match="cannot read the file"):
        read_bay(tmp_path / "nope.dat")
