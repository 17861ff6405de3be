"""ijmond_sim.ema: the model as EMA Workbench objects, with the real package."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ema_workbench import IntegerParameter, RealParameter, perform_experiments

import ijmond_sim
from ijmond_sim import UnknownParameter, ema
from ijmond_sim.model.governance import RULES


def test_uncertainties_are_the_parameters_with_their_ranges_and_kinds():
    params = ijmond_sim.parameters()
    uncertainties = ema.uncertainties()
    assert [u.name for u in uncertainties] == [p.name for p in params]
    for u, p in zip(uncertainties, params, strict=True):
        assert isinstance(u, IntegerParameter if p.integer else RealParameter)
        assert (u.lower_bound, u.upper_bound) == (p.low, p.high)


def test_the_levers_and_policies_are_discovered_from_the_rules(monkeypatch):
    monkeypatch.setitem(RULES, "fourth", RULES["binding"])
    assert [c.value for c in ema.levers()[0].categories] == list(RULES)
    assert [p.name for p in ema.policies()] == list(RULES)
    assert [p["rule"] for p in ema.policies()] == list(RULES)


def test_an_experiment_is_the_mean_outcomes_of_its_runs():
    values = {"initial_trust": np.float64(0.6), "execution_months": np.int64(12)}
    out = ema.experiment(None, 2, 9, rule="mayoral", **values)
    means = ijmond_sim.mean_outcomes(ijmond_sim.simulate(rule="mayoral", seed=9, replications=2,
                                                         initial_trust=0.6, execution_months=12))
    assert out == {name: means[name] for name in ema.OUTCOMES}


def test_by_rule_gives_each_rule_its_uncertainties_as_floats():
    experiments = pd.DataFrame({"initial_trust": [0.1, 0.2, 0.3], "review_months": [6, 7, 8],
                                "rule": pd.Categorical(["optional", "binding", "optional"]),
                                "scenario": [0, 1, 2], "policy": ["optional", "binding", "optional"],
                                "model": ["ijmond"] * 3})
    parts = {rule: (x, y) for rule, x, y in ema.by_rule(experiments, np.array([True, False, False]))}
    assert set(parts) == {"optional", "binding"}
    x, y = parts["optional"]
    assert list(x.columns) == ["initial_trust", "review_months"]
    assert all(dtype.kind == "f" for dtype in x.dtypes) and x["review_months"].tolist() == [6.0, 8.0]
    assert y.tolist() == [True, False]


def test_a_small_study_runs_through_perform_experiments_and_repeats_exactly():
    def study():
        return perform_experiments(ema.model(replications=1), scenarios=3, policies=ema.policies(),
                                   uncertainty_sampling_kwargs={"rng": 4})
    experiments, outcomes = study()
    assert len(experiments) == 3 * len(RULES)
    assert set(outcomes) == set(ema.OUTCOMES)
    row = experiments.iloc[0]
    values = {u.name: row[u.name] for u in ema.uncertainties()}
    direct = ema.experiment(None, 1, None, rule=str(row["rule"]), **values)
    assert outcomes["completion_rate"][0] == pytest.approx(direct["completion_rate"], nan_ok=True)
    again = study()[1]
    assert all(np.array_equal(outcomes[k], again[k], equal_nan=True) for k in outcomes)


def test_a_study_of_two_uncertainties_varies_and_records_only_what_it_names():
    # kills: the names ignored (all twelve uncertainties varied, as assigning a subset to an EMA model does)
    # and the outcomes not narrowed (every outcome recorded)
    names = ["uitgeest_outside_option", "initial_trust"]
    model = ema.model(replications=1, uncertainties=names, outcomes=["completion_rate"])
    assert [u.name for u in model.uncertainties] == names
    assert [o.name for o in model.outcomes] == ["completion_rate"]
    experiments, outcomes = perform_experiments(model, scenarios=2, policies=ema.policies()[:1],
                                                uncertainty_sampling_kwargs={"rng": 4})
    assert [c for c in experiments.columns if c not in (*ema.EMA_COLUMNS, "rule")] == names
    assert set(outcomes) == {"completion_rate"}
    row = experiments.iloc[0]
    direct = ema.experiment(None, 1, None, rule=str(row["rule"]), **{n: row[n] for n in names})
    assert outcomes["completion_rate"][0] == pytest.approx(direct["completion_rate"], nan_ok=True)


@pytest.mark.parametrize(("kind", "name", "listed"), [("uncertainties", "initial_trst", "initial_trust"),
                                                       ("outcomes", "completion", "completion_rate")])
def test_an_unknown_name_is_one_clear_error_that_lists_the_known_ones(kind, name, listed):
    # kills: an unknown name silently dropped (a study of fewer uncertainties than asked)
    with pytest.raises(UnknownParameter, match=f"{kind}=.*unknown name '{name}'.*{listed}"):
        ema.model(**{kind: [name]})
