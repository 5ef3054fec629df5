from __future__ import annotations

import pytest

from hubport.adapters.site_file import default_site_text, read_site_file, site_from_text
from hubport.domain.errors import SiteError
from hubport.domain.site import Site


def test_default_site_is_the_xiaonanya_zone_with_four_cranes_on_one_rail(site: Site) -> None:
    assert site.locode == "CNJGJ"
    assert len(site.cranes) == 4
    assert {crane.rail for crane in site.cranes.values()} == {"R1"}
    assert len(site.tracks) == 2 and site.reefer_areas and site.dangerous_goods_areas


def test_every_yard_bay_is_worked_by_exactly_one_crane(site: Site) -> None:
    for block in site.blocks.values():
        for bay in [*block.ground_bays, *block.forty_bays]:
            x = block.x_of(bay)
            covering = [crane.id for crane in site.cranes.values() if crane.covers(x)]
            assert covering, f"no crane reaches block {block.id} bay {bay}"


def test_toml_syntax_error_names_the_file() -> None:
    with pytest.raises(SiteError, match=r"my-site\.toml: not valid TOML"):
        site_from_text("[site\nname=", "my-site.toml")


def test_missing_key_names_the_table_and_key() -> None:
    text = default_site_text().replace("max_tiers = 5\nrail_start_m = 8.0", "rail_start_m = 8.0", 1)
    with pytest.raises(SiteError, match=r"\[\[blocks\]\] #1: missing key 'max_tiers'"):
        site_from_text(text, "x.toml")


def test_wrong_type_is_named() -> None:
    text = default_site_text().replace("rows = 8", 'rows = "eight"', 1)
    with pytest.raises(SiteError, match="rows = 'eight' should be a int"):
        site_from_text(text, "x.toml")


def test_overlapping_crane_zones_are_refused() -> None:
    text = default_site_text().replace("zone_start_m = 100.0", "zone_start_m = 90.0", 1)
    with pytest.raises(SiteError, match="zones of ARMG1 and ARMG2 overlap"):
        site_from_text(text, "x.toml")


def test_area_in_an_unknown_block_is_refused() -> None:
    text = default_site_text().replace(
        'block = "B"\nbays = [53, 59]', 'block = "Q"\nbays = [53, 59]'
    )
    with pytest.raises(SiteError, match="block 'Q' is not defined"):
        site_from_text(text, "x.toml")


def test_unreadable_file_is_named(tmp_path: object) -> None:
    from pathlib import Path

    missing = Path(str(tmp_path)) / "nope.toml"
    with pytest.raises(SiteError, match=r"nope\.toml"):
        read_site_file(missing)


def test_the_site_and_its_river_port_have_their_chinese_names(site: Site) -> None:
    assert site.names == {"zh": "小南垭铁路集装箱中心站自动化作业区"}
    assert site.name == "Xiaonanya automated container zone"
    assert site.river_port is not None and site.river_port.names == {"zh": "珞璜港"}


def test_names_that_are_not_a_table_of_texts_are_refused() -> None:
    text = default_site_text().replace(
        'names = { zh = "小南垭铁路集装箱中心站自动化作业区" }', "names = { zh = 3 }", 1
    )
    with pytest.raises(SiteError, match=r"\[site\]: names must be a table"):
        site_from_text(text, "x.toml")
