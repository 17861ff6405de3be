"""The run summary's measures: completion over started and over ended, trust in the region, progress."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import NO_PROPOSALS, make_scenario
from ijmond_sim.model import RegionModel
from ijmond_sim.model.initiative import Phase
from ijmond_sim.run.measures import opgave_progress, run_summary

UITGEEST, VELSEN = 2, 3
ECONOMY, ENVIRONMENTAL_SERVICE = 0, 5


def quiet_model(*overrides: str) -> RegionModel:
    return RegionModel(make_scenario(*NO_PROPOSALS, "initiatives.delivery_risk=0", *overrides), seed=0)


def test_mean_trust_in_the_region_leaves_out_a_council_that_turned_away():
    model = quiet_model()
    model.trust = np.full((4, 4), 0.6)
    model.trust[UITGEEST, :] = model.trust[:, UITGEEST] = 0.0
    np.fill_diagonal(model.trust, 1.0)
    model.turn_away(model.councils[UITGEEST])
    summary = run_summary(model)
    assert summary["mean_trust_end_in_region"] == pytest.approx(0.6)
    assert summary["mean_trust_end"] == pytest.approx(0.6 * 6 / 12)


def test_completion_over_ended_leaves_out_what_is_still_under_way():
    model = quiet_model()
    done = model.propose(VELSEN, ENVIRONMENTAL_SERVICE)
    done.mood[:] = 50.0
    while not done.phase.ended:
        model.step()
    model.propose(VELSEN, ECONOMY)  # still in preparation at the end
    summary = run_summary(model)
    assert done.phase is Phase.COMPLETED
    assert summary["completion_rate"] == 0.5 and summary["completion_rate_ended"] == 1.0
    assert summary["completion_rate_statutory_ended"] == 1.0
    assert summary["started_voluntary"] == 1 and summary["ended_voluntary"] == 0
    assert np.isnan(summary["completion_rate_voluntary_ended"])


def test_progress_counts_the_years_with_a_completion_per_opgave():
    model = quiet_model()
    first = model.propose(VELSEN, ENVIRONMENTAL_SERVICE)
    first.mood[:] = 50.0
    model.run_for(48)
    assert first.phase is Phase.COMPLETED and first.ended <= 48
    progress = opgave_progress(model)
    assert progress["environmental_service"] == pytest.approx(1 / 4)
    assert progress["economy"] == 0
    assert run_summary(model)["opgaven_progressed_per_year"] == pytest.approx(1 / 4)
