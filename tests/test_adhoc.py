"""An ad-hoc sweep gets its own axes, name and folder; an experiment's command line is left alone."""

from __future__ import annotations

from tests.test_sweep_parts import compose_sweep

from ijmond_sim.sweep import plan
from ijmond_sim.sweep.adhoc import own_name_and_folder


def test_keys_swept_without_an_experiment_get_the_adhoc_experiment_and_their_own_folder():
    assert own_name_and_folder(["decision.noise=0.05,0.3", "replications=2"]) == [
        "decision.noise=0.05,0.3", "replications=2", "experiment=adhoc",
        "hydra.sweep.dir=results/adhoc-decision.noise"]
    assert own_name_and_folder(["governance=optional,binding", "trust.initial=0.2,0.8"])[-1] == \
        "hydra.sweep.dir=results/adhoc-governance-trust.initial"


def test_a_named_experiment_a_plain_run_or_a_chosen_folder_is_kept():
    assert own_name_and_folder([]) == []
    assert own_name_and_folder(["experiment=outside_option", "trust.initial=0.2,0.8"]) == [
        "experiment=outside_option", "trust.initial=0.2,0.8"]
    assert own_name_and_folder(["replications=5", "hydra/launcher=parallel"]) == [
        "replications=5", "hydra/launcher=parallel"]
    assert own_name_and_folder(["decision.noise=0.1,0.2", "hydra.sweep.dir=results/mine"]) == [
        "decision.noise=0.1,0.2", "hydra.sweep.dir=results/mine", "experiment=adhoc"]
    assert own_name_and_folder(["--help"]) == ["--help"]


def test_an_adhoc_sweep_has_exactly_the_swept_axes_not_the_headline_experiments():
    headline = compose_sweep("decision.noise=0.05,0.3")
    assert len(plan.sweep_overrides(headline)) == 66  # what the command line alone would give
    master = compose_sweep(*own_name_and_folder(["decision.noise=0.05,0.3"]))
    assert plan.axes_of(master) == ("decision.noise",)
    assert [job[0] for job in plan.sweep_overrides(master)] == ["decision.noise=0.05", "decision.noise=0.3"]
    assert master.hydra.sweep.dir == "results/adhoc-decision.noise"
