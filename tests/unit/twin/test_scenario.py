"""Twin scenarios: the shipped files load with every figure sourced, the 2024 year's
generated traffic totals the site's figures, and wrong figures are named."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from stdnum import iso6346

from hubport.twin import scenario as scenarios
from hubport.twin.scenario import ScenarioError
from hubport.twin.traffic import generate_day


def test_every_shipped_scenario_loads_with_its_sources() -> None:
    names = scenarios.shipped()
    assert {"xiaonanya-2024", "design-capacity", "customs-advance", "customs-after-arrival"} <= set(
        names
    )
    for name in names:
        loaded = scenarios.load(name)
        assert loaded.name == name
        assert loaded.source_of("volume.corridor_trains")


def test_the_2024_year_generates_the_sites_trains_and_teu_within_one_percent() -> None:
    year = scenarios.load("xiaonanya-2024")
    plan = year.plan()
    trains, teu = 0, 0.0
    by_month = [0] * 12
    for day in range(1, year.days + 1):
        traffic = generate_day(day, year.seed, year.first_day, plan)
        trains += len(traffic.outbound)
        teu += traffic.outbound_teu
        by_month[traffic.start.month - 1] += len(traffic.outbound)
    assert trains == 1_804
    assert abs(teu - 90_000) / 90_000 <= 0.01
    # the Spring Festival dip: February's trains a day well below January's
    assert by_month[1] / 29 < 0.75 * by_month[0] / 31
    assert year.first_day.isoformat() == "2024-01-01T06:00:00+08:00"


def test_the_volume_multiplier_scales_the_years_trains() -> None:
    year = scenarios.load("design-capacity").with_param("volume", 6.7)
    plan = year.plan()
    assert sum(plan.outbound_daily) == round(1_804 * 6.7)
    assert sum(plan.inbound_daily) == round(round(1_804 * 6.7) * 0.8)


def test_a_busy_day_at_design_capacity_has_unique_valid_box_numbers() -> None:
    year = scenarios.load("design-capacity").with_param("volume", 6.7)
    traffic = generate_day(3, year.seed, year.first_day, year.plan())
    numbers = [c.number.value for t in traffic.inbound for c, _ in t.consist]
    numbers += [n for t in traffic.outbound for n in t.boxes]
    assert len(traffic.outbound) >= 30
    assert len(numbers) == len(set(numbers)) > 1_000
    assert all(iso6346.is_valid(number) for number in numbers)


def test_a_sweep_parameter_changes_only_its_figure() -> None:
    base = scenarios.load("xiaonanya-2024")
    assert base.with_param("cranes", 4).cranes == 4
    assert base.with_param("gate", 30).trucks_per_window == 30
    assert base.with_param("customs_release_min", 90).customs.release_after_min == 90
    assert base.with_param("volume", 2).plan().outbound_daily != base.plan().outbound_daily
    assert base.planning.load_plan_s == 3.0  # the live runtime's budget
    faster = base.with_param("load_plan_s", 0.5)
    assert faster.planning.load_plan_s == 0.5 and faster.plan() == base.plan()


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("cranes", 2.5, "cranes"),
        ("cranes", 0, "cranes"),
        ("volume", 0, "volume"),
        ("tracks", 3, "tracks"),
        ("load_plan_s", 0, "load_plan_s"),
    ],
)
def test_a_wrong_parameter_is_refused_by_name(name: str, value: float, named: str) -> None:
    with pytest.raises(ScenarioError, match=named):
        scenarios.load("tiny").with_param(name, value)


def test_a_figure_without_a_source_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        '[scenario]\nname = "mine"\nstart = 2024-01-01\ndays = 3\n[site]\ncranes = 3\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match=r"site\.cranes has no entry in \[sources\]"):
        scenarios.load(str(path))


def test_a_planning_budget_is_read_sourced_and_checked(tmp_path: Path) -> None:
    head = '[scenario]\nextends = "tiny"\nname = "mine"\nstart = 2024-01-01\ndays = 3\n'
    path = tmp_path / "mine.toml"
    path.write_text(
        head + '[planning]\nload_plan_s = 1.0\n[sources]\n"planning.load_plan_s" = "assumption"\n',
        encoding="utf-8",
    )
    assert scenarios.load(str(path)).planning.load_plan_s == 1.0
    path.write_text(
        head + '[planning]\nload_plan_s = -1\n[sources]\n"planning.load_plan_s" = "assumption"\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match=r"planning\.load_plan_s must be above 0"):
        scenarios.load(str(path))


def test_a_warm_up_is_read_from_the_file_and_the_command_line_and_must_leave_days(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        '[scenario]\nextends = "tiny"\nname = "mine"\nstart = 2024-01-01\ndays = 3\n'
        "warmup_days = 2\n",
        encoding="utf-8",
    )
    mine = scenarios.load(str(path))
    assert mine.warmup_days == 2
    assert mine.cut(5).warmup_days == 2 and mine.cut(5, 0).warmup_days == 0
    assert mine.cut(None, 1).days == 3
    with pytest.raises(ScenarioError, match="leaves none of the run's 2 to measure"):
        mine.cut(2)
    with pytest.raises(ScenarioError, match="--warmup must be 0 or more"):
        mine.cut(4, -1)
    path.write_text(path.read_text(encoding="utf-8").replace("= 2\n", "= 3\n"), "utf-8")
    with pytest.raises(ScenarioError, match="warmup_days 3 leaves none of its 3 days"):
        scenarios.load(str(path))


def test_an_unknown_scenario_names_the_shipped_ones() -> None:
    with pytest.raises(ScenarioError, match="xiaonanya-2024"):
        scenarios.load("no-such-scenario")


def test_a_scenario_extends_another_key_by_key() -> None:
    advance, after = scenarios.load("customs-advance"), scenarios.load("customs-after-arrival")
    assert advance.customs.lodge == "advance" and after.customs.lodge == "after_arrival"
    assert advance.plan() == after.plan()  # the same traffic: only customs differs
    assert advance.traffic.import_share == scenarios.load("xiaonanya-2024").traffic.import_share


def test_a_part_of_a_run_plays_its_days_with_the_whole_runs_traffic() -> None:
    year = scenarios.load("xiaonanya-2024")
    part = year.shard(32, 29, 3)  # February, after 3 days of January
    assert (part.skip_days, part.days, part.warmup_days) == (28, 32, 3)
    assert part.played_from == year.first_day + timedelta(days=28)
    whole, own = year.plan(), part.plan()
    assert own.outbound_daily == whole.outbound_daily
    assert own.inbound_daily == whole.inbound_daily
    day = generate_day(40, year.seed, year.first_day, own)
    assert day == generate_day(40, year.seed, year.first_day, whole)
    first = year.shard(1, 10, 3)
    assert (first.skip_days, first.warmup_days) == (0, 0)  # nothing before day 1
    with pytest.raises(ScenarioError, match="not in the run's 366"):
        year.shard(360, 10, 3)
