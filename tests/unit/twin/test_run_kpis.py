"""The KPIs of a twin run against a hand calculation, and the sweep's statistics."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest

from hubport.entrypoints.twin_shards import split
from hubport.twin.run_kpis import (
    Move,
    RunLog,
    Sample,
    Timed,
    TrainLog,
    by_month,
    joined,
    kpis,
    percentile,
)
from hubport.twin.scenario import ScenarioError
from hubport.twin.sweep_stats import bottlenecks, capacity_answer, mean_ci95, summarise


def _log() -> RunLog:
    log = RunLog(cranes=2, tracks=2, hours=10.0, gate_trucks_per_hour=6.0)
    # train A: moves from 0 s to 3,600 s; train B: 7,200 s to 9,000 s (+ a relocation)
    log.moves = [
        Move("ARMG1", "discharge", 0.0, 600.0, "A"),
        Move("ARMG2", "discharge", 3_000.0, 600.0, "A"),
        Move("ARMG1", "load", 7_200.0, 900.0, "B"),
        Move("ARMG1", "relocation", 8_100.0, 300.0, None),
        Move("ARMG2", "load", 8_400.0, 600.0, "B"),
    ]
    log.trains = [
        TrainLog("A", "inbound", 0.0, 0.0, 10_800.0, 4_000.0, 40.0),
        # B got its track an hour late and left 10 min after its due time: not on time
        TrainLog("B", "outbound", 3_600.0, 7_200.0, 8_400.0, 9_000.0, 50.0),
    ]
    log.truck_turns = [Timed(100.0, 600.0), Timed(4_000.0, 1_200.0), Timed(7_500.0, 1_800.0)]
    log.releases = [Timed(0.0, 1_800.0), Timed(7_200.0, 5_400.0)]
    log.turned_away_s = [3_000.0]
    log.samples = [Sample(0.0, 10.0, 0.1, 0), Sample(2.0, 30.0, 0.3, 4)]
    return log


def test_the_kpis_of_a_small_run_match_the_hand_calculation() -> None:
    figures = kpis(_log())
    assert figures["trains_handled"] == 2
    assert figures["trains_on_time_share"] == 0.5
    assert figures["teu_out"] == 50 and figures["teu_in"] == 40
    assert figures["crane_moves"] == 5
    assert figures["moves_per_crane_hour"] == pytest.approx(5 / 20)
    assert figures["crane_utilisation"] == pytest.approx((3_000 / 3600) / 20)
    assert figures["relocations_per_retrieval"] == pytest.approx(1 / 2)
    assert figures["train_handling_h_mean"] == pytest.approx((1.0 + 0.5) / 2)
    assert figures["train_dwell_h_mean"] == pytest.approx((4_000 / 3600 + 1_800 / 3600) / 2)
    assert figures["train_track_wait_h_mean"] == pytest.approx(0.5)
    assert figures["track_utilisation"] == pytest.approx((5_800 / 3600) / 20)
    assert figures["truck_turn_min_mean"] == pytest.approx(20.0)
    assert figures["truck_turn_min_p95"] == pytest.approx(30.0)
    assert figures["gate_queue_mean"] == 2 and figures["gate_queue_max"] == 4
    assert figures["gate_utilisation"] == pytest.approx(3 / 60)  # 3 trucks, 6 an hour
    assert figures["yard_occupancy_max"] == pytest.approx(0.3)
    assert figures["customs_release_h_mean"] == pytest.approx(1.0)
    assert figures["trucks_turned_away"] == 1


def test_a_warm_up_leaves_out_what_began_in_it_and_its_hours() -> None:
    # measured from 2 h on: train B, its two moves and the relocation, the last truck,
    # the second release and the second sample; 8 of the 10 hours
    figures = kpis(_log().after(7_200.0))
    assert figures["trains_handled"] == 1 and figures["teu_out"] == 50
    assert figures["teu_in"] == 0
    assert figures["crane_moves"] == 3
    assert figures["moves_per_crane_hour"] == pytest.approx(3 / 16)
    assert figures["crane_utilisation"] == pytest.approx((1_800 / 3600) / 16)
    assert figures["train_handling_h_mean"] == pytest.approx(0.5)
    assert figures["truck_turn_min_mean"] == pytest.approx(30.0)
    assert figures["customs_release_h_mean"] == pytest.approx(1.5)
    assert figures["trucks_turned_away"] == 0
    assert figures["gate_queue_mean"] == 4
    assert figures["gate_utilisation"] == pytest.approx(1 / 48)


def test_no_warm_up_measures_the_whole_run() -> None:
    assert kpis(_log().after(0.0)) == kpis(_log())


def test_an_empty_run_has_zero_kpis_not_errors() -> None:
    figures = kpis(RunLog(cranes=2, tracks=2, hours=0.0))
    assert all(value == 0 for value in figures.values())


def test_the_nearest_rank_percentile() -> None:
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.95) == 5.0
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.5) == 3.0
    assert percentile([], 0.9) == 0.0


def test_the_confidence_interval_uses_students_t() -> None:
    mean, (low, high) = mean_ci95([1.0, 2.0, 3.0])
    # sd 1, n 3: half-width t(2) 4.303 / sqrt(3)
    assert mean == 2.0
    assert high - mean == pytest.approx(4.303 / 3**0.5)
    assert low == pytest.approx(2.0 - 4.303 / 3**0.5)
    assert mean_ci95([7.0]) == (7.0, (7.0, 7.0))


def test_a_cell_summary_and_its_bottleneck_ranking() -> None:
    runs = [
        {"crane_utilisation": 0.9, "track_utilisation": 0.2},
        {"crane_utilisation": 0.7, "track_utilisation": 0.4},
    ]
    summary = summarise(runs)
    assert summary["crane_utilisation"]["mean"] == pytest.approx(0.8)
    ranked = bottlenecks(summary)
    assert ranked[0]["resource"] == "cranes"


def test_the_gate_ranks_by_its_share_of_capacity_not_by_a_count_of_trucks() -> None:
    # many trucks inside a gate that lets in a tenth of what it could is no bottleneck
    run = {"crane_utilisation": 0.7, "gate_utilisation": 0.1, "gate_queue_mean": 25.0}
    ranked = bottlenecks(summarise([run, run]))
    assert [row["resource"] for row in ranked[:2]] == ["cranes", "gate"]
    assert ranked[1]["load_kpi"] == "gate_utilisation"


def _cell(cranes: int, volume: float, mean: float, half: float) -> dict[str, object]:
    kpi = {"mean": mean, "ci95": [mean - half, mean + half]}
    return {"params": {"cranes": cranes, "volume": volume}, "kpis": {"turn": kpi}}


def test_the_capacity_answer_finds_where_each_crane_count_breaks_its_target() -> None:
    cells = [
        _cell(4, 2.0, 40.0, 2.0),  # listed out of order: sorted by volume
        _cell(4, 1.0, 20.0, 2.0),
        _cell(6, 1.0, 10.0, 1.0),
        _cell(6, 2.0, 20.0, 1.0),
        _cell(8, 1.0, 35.0, 10.0),
    ]
    four, six, eight = capacity_answer(cells, [("turn", 30.0)])
    assert four["params"] == {"cranes": 4}
    assert four["holds_up_to"] == 1.0 and four["breaks_at"] == 2.0
    assert four["crossing"] == pytest.approx(1.5)  # 20 -> 40 crosses 30 half-way
    assert four["sure"] is True  # 38..42 lies above 30
    assert six["holds_up_to"] == 2.0 and six["breaks_at"] is None
    # broken at the lowest volume, with an interval that reaches below the target
    assert eight["holds_up_to"] is None and eight["breaks_at"] == 1.0
    assert eight["crossing"] is None and eight["sure"] is False


def test_a_sweep_without_volume_gives_no_capacity_answer() -> None:
    cells = [{"params": {"cranes": 2}, "kpis": {"turn": {"mean": 50.0, "ci95": [50, 50]}}}]
    assert capacity_answer(cells, [("turn", 30.0)]) == []


def test_a_log_cut_in_two_and_joined_again_gives_the_same_kpis() -> None:
    # cut between train A (arrived at 0 s, moves to 3,600 s) and train B (7,200 s)
    whole = _log()
    parts = [whole.during(0.0, 5_000.0), whole.during(5_000.0, math.inf)]
    assert [len(part.moves) for part in parts] == [2, 3]
    assert sum(part.hours for part in parts) == pytest.approx(whole.hours)
    assert kpis(joined(parts)) == pytest.approx(kpis(whole))


def test_a_period_counts_its_hours_even_where_the_run_ended_before_it() -> None:
    # a part of a long run whose world was done at 10 h still measures its whole day
    assert _log().during(0.0, 86_400.0).hours == 24.0
    assert _log().after(7_200.0).hours == 8.0


def test_a_train_counts_with_all_its_moves_in_the_period_it_arrived_in() -> None:
    # cut at 3,000 s: train A's second move starts after the cut, yet belongs to A
    first, second = _log().during(0.0, 3_000.0), _log().during(3_000.0, math.inf)
    assert [move.start_s for move in first.moves] == [0.0, 3_000.0]
    assert [move.train for move in second.moves] == ["B", None, "B"]


def test_a_log_on_a_later_clock_has_the_same_kpis_and_keeps_an_unfinished_visit() -> None:
    log = _log()
    log.trains.append(TrainLog("C", "inbound", 9_000.0, 9_000.0, 12_000.0, -1.0, 10.0))
    later = log.shifted(86_400.0)
    assert later.moves[0].start_s == 86_400.0 and later.trains[-1].departed_s == -1.0
    assert kpis(later) == pytest.approx(kpis(log))


def test_a_run_of_four_days_splits_into_parts_of_whole_days() -> None:
    assert split(4, 1, 2) == [(1, 2), (3, 2)]
    assert split(10, 3, 3) == [(3, 3), (6, 2), (8, 3)]  # days 1-2 warm the first part
    assert split(366, 1, 12)[-1][0] + split(366, 1, 12)[-1][1] - 1 == 366
    with pytest.raises(ScenarioError, match="between 1 and the 2 measured days"):
        split(4, 3, 3)


def test_the_corridor_trains_are_counted_by_the_month_they_reached_the_hub_in() -> None:
    log = _log()
    log.trains.append(TrainLog("C", "outbound", 0.0, 2 * 86_400.0, 0.0, -1.0, 60.0))
    first = datetime(2024, 1, 30, 6, tzinfo=timezone(timedelta(hours=8)))
    assert by_month(log, first) == {
        "2024-01": {"corridor_trains": 1, "teu": 50.0},
        "2024-02": {"corridor_trains": 1, "teu": 0.0},  # C had not left at the run's end
    }
