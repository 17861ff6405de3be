"""The validation: its verdicts with and without each mechanism, its criteria, baselines and bookkeeping."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from conftest import compose_config
from ijmond_sim import api, errors
from ijmond_sim.model.governance import RULES
from ijmond_sim.model.scenario import Region
from ijmond_sim.sweep.replicate import replication_seeds, scenario_key
from ijmond_sim.validation import command, criteria, knockouts, power, scenarios, sensitivity
from ijmond_sim.validation.patterns import PATTERNS, PatternResult
from ijmond_sim.validation.sensitivity import Factor
from ijmond_sim.validation.verification import vote_of_all

REPO = Path(__file__).resolve().parents[1]
IJMOND_2013 = [40000, 39000, 13000, 67000]  # Beverwijk, Heemskerk, Uitgeest, Velsen (CBS, rounded)


def _region(population: np.ndarray) -> Region:
    """The IJmond region with these populations (the rule's weights)."""
    return dataclasses.replace(api.scenario().region, population=population)
# Every empirical pattern; the report must show each with a verdict and its knockout.
PATTERN_KEYS = [
    "statutory-vs-voluntary", "statutory-mostly-completed", "voluntary-mostly-strand",
    "trust-trends-down", *(f"circles-{rule}" for rule in RULES),
    "decision-time-grows", "aligned-calendars-faster", "governance-ordering",
    "weakest-turns-away", "identification-decides",
]
# The analytic baselines: verification, not patterns.
CHECK_KEYS = [*(f"vote-{rule}" for rule in RULES), "banzhaf-velsen"]
# Patterns the model must show through their mechanism, even in the fast validation: each passes,
# and fails when its mechanism is knocked out. A broken mechanism breaks one of these verdicts.
# The full validation of the current model (validation/REPORT.md) has these six diagnostic passes but
# for governance-ordering, which the fast validation's few points cannot show; voluntary-mostly-strand
# and weakest-turns-away pass there but hold under their knockouts too, and identification-decides fails.
DIAGNOSTIC = [
    "statutory-vs-voluntary", "statutory-mostly-completed", "trust-trends-down", "decision-time-grows",
    "aligned-calendars-faster",
]


# -- Banzhaf power and vote probabilities -------------------------------------------------------------


def test_banzhaf_of_the_1958_council_of_the_eec():
    # France, Germany, Italy 4; Belgium, Netherlands 2; Luxembourg 1; 12 of 17 votes carry.
    # Known result: 5/21 for each large member, 3/21 for each middle one, none for Luxembourg.
    index = power.banzhaf_index(power.weighted_vote([4, 4, 4, 2, 2, 1], 12 / 17), 6)
    assert np.allclose(index, np.array([5, 5, 5, 3, 3, 0]) / 21)


@pytest.mark.parametrize(("weights", "quota", "expected"), [
    ([2, 1, 1, 1], 0.6, [1 / 2, 1 / 6, 1 / 6, 1 / 6]),  # the game [3; 2, 1, 1, 1]
    ([3, 1, 1], 0.6, [1, 0, 0]),  # a dictator
    ([5, 3, 2], 1.0, [1 / 3, 1 / 3, 1 / 3]),  # unanimity: everyone is a veto player
    ([50, 49, 1], 0.51, [3 / 5, 1 / 5, 1 / 5]),
])
def test_banzhaf_of_small_games(weights, quota, expected):
    assert np.allclose(power.banzhaf_index(power.weighted_vote(weights, quota), len(weights)), expected)


def test_velsen_has_three_times_the_power_under_a_simple_majority_of_residents():
    index = power.banzhaf_index(power.weighted_vote(IJMOND_2013, 0.501), 4)
    assert np.allclose(index, [1 / 6, 1 / 6, 1 / 6, 1 / 2])
    assert power.quota_intervals(IJMOND_2013)[0] == pytest.approx((0.5, 80 / 159))


def test_the_binding_rule_object_plays_the_same_weighted_game():
    pop = np.array(IJMOND_2013, dtype=float)
    for _, quota in power.quota_intervals(pop):
        rule = RULES["binding"](quota=quota, vote_weight="population")
        by_rule = power.banzhaf_index(vote_of_all(rule, _region(pop)), 4)
        assert np.allclose(by_rule, power.banzhaf_index(power.weighted_vote(pop, quota), 4))


def test_quota_intervals_cover_everything_above_one_half():
    intervals = power.quota_intervals([1, 2, 3])
    assert intervals[0][0] == 0.5 and intervals[-1][1] == 1.0
    assert all(a < b for a, b in intervals)
    assert all(b == a2 for (_, b), (a2, _) in zip(intervals, intervals[1:], strict=False))


@pytest.mark.parametrize(("rule", "expected"), [
    (RULES["optional"](), Fraction(1, 16)),
    (RULES["mayoral"](), Fraction(1, 16)),
    (RULES["binding"](quota=0.75, vote_weight="equal"), Fraction(5, 16)),
])
def test_vote_probabilities_through_the_rule_objects(rule, expected):
    pop = np.array(IJMOND_2013, dtype=float)
    assert power.carry_probability(vote_of_all(rule, _region(pop)), 4) == expected


# -- replications averaged in sample order --------------------------------------------------------------


def test_means_in_sample_order_groups_runs_by_their_sample_row():
    index = np.array([2, 0, 1, 2, 0, 1])  # replication-major, as a launcher might return them
    values = np.array([[20.0], [0.0], [10.0], [22.0], [2.0], [12.0]])
    assert np.allclose(sensitivity.means_in_sample_order(index, values, 3), [[1.0], [11.0], [21.0]])
    shuffled = np.random.default_rng(1).permutation(6)
    assert np.allclose(sensitivity.means_in_sample_order(index[shuffled], values[shuffled], 3),
                       [[1.0], [11.0], [21.0]])


def test_means_in_sample_order_leaves_out_nan_and_refuses_empty_rows():
    values = np.array([[1.0], [np.nan], [3.0]])
    assert np.allclose(sensitivity.means_in_sample_order(np.array([0, 0, 1]), values, 2), [[1.0], [3.0]])
    with pytest.raises(ValueError, match="without a result"):
        sensitivity.means_in_sample_order(np.array([0, 0]), values[:2], 2)


def _noisy_first_factor(rows, replications):
    """Fake model: completion = a + noise, final trust = b + noise; each replication seeded by its row."""
    def outputs(settings):
        seeds = replication_seeds(7, scenario_key(settings), replications)
        noise = np.array([np.random.default_rng(s).normal(0, 0.05, 2) for s in seeds])
        return np.array([settings["a"], settings["b"]]) + noise
    return [outputs(settings) for settings in rows]


FACTORS = [Factor("a", ("a",), 0.0, 1.0, 0.5, ""), Factor("b", ("b",), 0.0, 1.0, 0.5, ""),
           Factor("c", ("c",), 0.0, 1.0, 0.5, "")]


def test_sobol_reads_each_sample_rows_own_replication_mean():
    """Averaging in any other order than the sample's would scramble y against X and fail here."""
    prob = sensitivity.problem(FACTORS)
    sample = sobol_sample.sample(prob, 64, calc_second_order=False, seed=3)
    y = sensitivity.evaluate(FACTORS, sample, _noisy_first_factor, replications=5)
    assert y.shape == (len(sample), 2)
    assert np.abs(y[:, 0] - sample[:, 0]).max() < 0.15
    s1 = sobol_analyze.analyze(prob, y[:, 0], calc_second_order=False, seed=1)["S1"]
    assert s1[0] > 0.9 and abs(s1[1]) < 0.1 and abs(s1[2]) < 0.1
    # The same runs averaged over the wrong rows (replication-major reshape) lose the signal.
    wrong = y[:, 0].reshape(-1, 2).T.reshape(-1)
    s1_wrong = sobol_analyze.analyze(prob, wrong, calc_second_order=False, seed=1)["S1"]
    assert s1_wrong[0] < 0.5


def test_sobol_indices_belong_to_the_right_output():
    result = sensitivity.sobol(FACTORS, _noisy_first_factor, n=64, replications=3, seed=5)
    assert result.ranking("completion_rate")[0][0].name == "a"
    assert result.ranking("mean_trust_end")[0][0].name == "b"


def test_a_choice_factor_maps_the_unit_range_to_its_options():
    rule = Factor("governance", ("governance",), 0, 1, "optional", "",
                  levels=("optional", "mayoral", "binding"))
    assert [rule.value(x) for x in (0.0, 0.34, 0.67, 1.0)] == ["optional", "mayoral", "binding", "binding"]
    months = Factor("m", ("m",), 2, 8, 4, "", integer=True)
    assert months.value(4.6) == 5


# -- knockouts and criteria ---------------------------------------------------------------------------


def test_statutory_as_voluntary_gives_the_statutory_opgave_the_voluntary_means():
    base = compose_config("collect=false")
    settings = knockouts.statutory_as_voluntary(base)
    voluntary = [k for k, o in base.region.opgaven.items() if not o.statutory]
    assert settings["region.opgaven.environmental_service.statutory"] is False
    assert settings["region.opgaven.environmental_service.sunk_share"] == pytest.approx(
        np.mean([base.region.opgaven[k].sunk_share for k in voluntary]))
    assert settings["region.opgaven.environmental_service.surplus"] == pytest.approx(
        np.mean([base.region.opgaven[k].surplus for k in voluntary]))
    uitgeest = base.region.councils.Uitgeest.interests
    assert settings["region.councils.Uitgeest.interests.environmental_service"] == pytest.approx(
        np.mean([uitgeest[k] for k in voluntary]))
    assert not any(k.startswith("region.opgaven.economy") for k in settings)


def test_every_knockout_gives_settings_the_config_accepts():
    for rule in RULES:
        base = compose_config(f"governance={rule}", "collect=false")
        for knockout in knockouts.KNOCKOUTS.values():
            scenarios.scenario(base, knockout.settings(base))  # range-checked; raises if not allowed


def test_knockout_settings_switch_their_mechanism_off():
    base = compose_config("collect=false")
    assert knockouts.trust_never_falls(base) == {"trust.fall_ratio": 0.0}
    equal = knockouts.identification_equal(base)
    assert set(equal.values()) == {min(c.regional_identification for c in base.region.councils.values())}
    assert set(knockouts.region_first(base).values()) == {1.0}
    calendar = knockouts.one_calendar(base)
    assert {v for k, v in calendar.items() if k.endswith("meeting_offset")} == {0}
    assert {v for k, v in calendar.items() if k.endswith("meeting_cycle")} == {2}
    binding = knockouts.rules_without_their_means(compose_config("governance=binding", "collect=false"))
    assert binding == {"governance.quota": 1.0, "governance.mandate": False, "governance.exit_cost": 0.0}


def test_criteria_file_covers_every_pattern_and_has_a_history_per_version():
    crit = criteria.load()
    assert set(PATTERNS) == set(crit.patterns)
    assert [h.version for h in crit.history] == list(range(1, crit.version + 1))
    assert all(h.run.startswith(("before", "after")) for h in crit.history)
    assert crit["trust-trends-down"].knockout.key == "trust-never-falls"
    assert crit["statutory-vs-voluntary"].text.endswith(">= 2")


def test_criteria_refuse_an_unknown_knockout_and_a_version_without_history():
    text = (Path(criteria.__file__).parent / "criteria.yaml").read_text()
    with pytest.raises(ValueError, match="patterns.trust-trends-down.knockout: 'no-such'"):
        criteria.load(text.replace("knockout: trust-never-falls", "knockout: no-such", 1))
    with pytest.raises(ValueError, match="no history entry"):
        criteria.load(text.replace("version: 3\n", "version: 4\n", 1))


def _result(passed: bool, knockout_passed: bool | None) -> PatternResult:
    twin = None if knockout_passed is None else _result(knockout_passed, None)
    knockout = knockouts.KNOCKOUTS["trust-never-falls"] if twin else None
    return PatternResult("k", "", "", "", "", 0.5, None, passed, knockout=knockout, knocked_out=twin)


def test_a_pass_counts_only_if_the_knockout_fails():
    assert (_result(True, False).verdict, _result(True, False).counts) == ("PASS", True)
    assert (_result(True, True).verdict, _result(True, True).counts) == ("NOT DIAGNOSTIC", False)
    assert (_result(False, False).verdict, _result(False, False).counts) == ("FAIL", False)
    assert (_result(False, True).verdict, _result(False, True).counts) == ("FAIL", False)


def test_the_report_reads_a_knockout_only_for_a_pattern_that_passes():
    from ijmond_sim.validation.report import _pattern_sections

    def knockout_line(result: PatternResult) -> str:
        return next(line for line in _pattern_sections([result]) if line.startswith("- **Knockout**"))

    assert "so the pattern is diagnostic." in knockout_line(_result(True, False))
    assert "so the pattern is **not diagnostic**" in knockout_line(_result(True, True))
    failing = knockout_line(_result(False, False))
    assert "fails with its mechanism" in failing and "diagnostic" not in failing


def test_the_validation_runs_every_governance_rule_found_from_least_to_most_binding():
    assert set(scenarios.RULES) == set(RULES)
    order = scenarios.RULES
    assert order.index("optional") < order.index("mayoral") < order.index("binding")


# -- the command ---------------------------------------------------------------------------------------


def _check_report(out: Path) -> str:
    text = (out / "REPORT.md").read_text()
    summary = text.split("## Verification:")[0]
    for key in PATTERN_KEYS:
        row = next((line for line in summary.splitlines() if f"[{key}]" in line), None)
        assert row is not None, f"pattern {key} missing from the summary table"
        assert re.search(r"\*\*(PASS|FAIL|NOT DIAGNOSTIC)\*\* \|.*\| [a-z-]+ \| .*: (PASS|FAIL) \|", row), row
        section = text.split(f". {key}\n")[1].split("\n### ")[0]
        assert re.search(r"- \*\*Result\.\*\* .*: \*\*(PASS|FAIL|NOT DIAGNOSTIC)\*\*", section), key
        assert re.search(r"- \*\*Knockout\*\* .*\*\*(PASS|FAIL)\*\*", section), key
        assert re.search(r"\d\.\d", section), f"no numbers for {key}"
    verification = text.split("## Verification:")[1].split("## Pass criteria")[0]
    for key in CHECK_KEYS:
        assert f"[{key}]" in verification, key
    for heading in ("## Pass criteria and their history", "## Global sensitivity analysis",
                    "### Morris screening", "### Sobol indices", "## The validated parameter set",
                    "## Timing", "Commit `"):
        assert heading in text
    for rule in RULES:
        assert f"`conf/governance/{rule}.yaml`" in text, rule
    for change in criteria.load().history:
        assert f"| {change.version} | {change.date} |" in text
    for figure in re.findall(r"!\[[^]]*\]\(([^)]+)\)", text):
        assert (out / figure).is_file(), figure
    return text


@pytest.fixture(scope="module")
def fast_validation(tmp_path_factory):
    """The fast validation, run once: its folder and its verdicts."""
    out = tmp_path_factory.mktemp("validation")
    cpu = time.process_time()
    assert command.main(["--fast", "--out", str(out), "--quiet"]) == 0
    return out, json.loads((out / "verdicts.json").read_text()), time.process_time() - cpu


def test_fast_validation_writes_a_report_with_every_pattern_and_its_knockout(fast_validation):
    out, _, cpu = fast_validation
    assert cpu < 120  # CPU seconds: wall time on a shared machine says little
    text = _check_report(out)
    assert "Fast version" in text
    assert re.search(r"\| `trust.fall_ratio` \| [\d.]+ \| .*5\.3", text)  # the parameter set, from the YAML


@pytest.mark.parametrize("key", DIAGNOSTIC)
def test_the_pattern_holds_through_its_mechanism(fast_validation, key):
    pattern = fast_validation[1]["patterns"][key]
    assert pattern["passed"], f"{key} fails with its mechanism"
    assert not pattern["knockout_passed"], f"{key} still holds under knockout {pattern['knockout']}"
    assert pattern["verdict"] == "PASS"


def test_at_least_two_knockouts_flip_a_verdict(fast_validation):
    patterns = fast_validation[1]["patterns"]
    flipped = [k for k, p in patterns.items() if p["passed"] and not p["knockout_passed"]]
    assert len({patterns[k]["knockout"] for k in flipped}) >= 2, flipped


def test_verification_checks_are_reported_apart_from_the_patterns(fast_validation):
    verdicts = fast_validation[1]
    assert sorted(verdicts["patterns"]) == sorted(PATTERN_KEYS)
    assert sorted(verdicts["verification"]) == sorted(CHECK_KEYS)
    assert verdicts["verification"]["banzhaf-velsen"]["passed"]


def _numbers(out: Path) -> str:
    """REPORT.md without what says when, by which command and how fast it was written."""
    before_timing = (out / "REPORT.md").read_text().split("## Timing")[0]
    return "\n".join(line for line in before_timing.splitlines() if not line.startswith("Written by `"))


def _results_files(out: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in (out / "runs").rglob("results.json")}


def test_a_killed_validation_resumes_in_two_workers_with_the_same_numbers(fast_validation, tmp_path):
    """Killed mid-run (basic launcher), run again (parallel, 2 workers): only what had no results runs."""
    reference = fast_validation[0]
    out = tmp_path / "v"
    job = subprocess.Popen([sys.executable, "-m", "ijmond_sim.validation.command", "--fast", "--quiet",
                            "--out", str(out)])
    deadline = time.monotonic() + 600
    while job.poll() is None and len(_results_files(out)) < 150 and time.monotonic() < deadline:
        time.sleep(0.1)
    job.kill()
    assert job.wait() != 0 and not (out / "REPORT.md").exists()  # stopped before the end
    finished = _results_files(out)
    again = ["--fast", "--out", str(out), "--quiet", "--launcher", "parallel", "--workers", "2"]
    assert command.main(again) == 0
    assert (out / "verdicts.json").read_text() == (reference / "verdicts.json").read_text()
    assert _numbers(out) == _numbers(reference)
    assert {p: p.stat().st_mtime_ns for p in finished} == finished  # what had finished did not run again
    assert len(_results_files(out)) > len(finished)


def test_validate_command_has_help():
    out = subprocess.run([sys.executable, "-m", "ijmond_sim.validation.command", "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "--fast" in out and "--out" in out


def test_committed_report_is_a_full_validation_of_every_pattern():
    report = REPO / "validation" / "REPORT.md"
    text = _check_report(report.parent)
    assert "(full validation)" in text


@pytest.mark.slow
def test_full_validation(tmp_path):
    assert command.main(["--out", str(tmp_path), "--quiet"]) == 0
    assert "(full validation)" in _check_report(tmp_path)


def test_the_validation_writes_the_committed_report_only_when_asked(tmp_path):
    """Kills: a default --out of validation/ (a fast run replacing the committed full report); --out
    naming the committed folder let through without --report; --report writing anywhere else."""
    assert command.out_folder(None, False, "fast", 7) == Path("outputs/validation/fast-seed7")
    assert command.out_folder(tmp_path, False, "fast", 7) == tmp_path
    assert command.out_folder(None, True, "full", 2013) == command.COMMITTED
    with pytest.raises(errors.InputError, match="add --report"):
        command.out_folder(command.COMMITTED, False, "full", 2013)
    with pytest.raises(errors.InputError, match="the committed report is the full validation"):
        command.out_folder(None, True, "fast", 2013)
    with pytest.raises(errors.InputError, match="leave --out off"):
        command.out_folder(tmp_path, True, "full", 2013)
