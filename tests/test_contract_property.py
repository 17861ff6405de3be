"""Property: any region file and command line either runs with every output, or stops with one line.

Hypothesis writes region files with council and opgave names in any script,
valid or broken in one way (YAML syntax, a type, a range, a name), and a
command line, valid or not. ``ijmond-sim`` runs in-process on each. A valid
input must run and write every output file; a broken one must exit with
status 2, print one line naming the file or override, and leave no run folder.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from error_cases import inside, run
from ijmond_sim.run.files import FILES

EXAMPLES_PER_CASE = 2  # default run: 15 cases (every fault, every override) x 2 = 30 examples
SLOW_EXAMPLES = 150  # the slow test: faults and overrides drawn at random

NAME = st.text(st.characters(categories=("L", "M", "N", "Zs", "Pd", "Po")), min_size=1, max_size=12).map(
    str.strip).filter(bool)

# one way to break a region file, with the words its one line must hold
FAULTS = {
    "none": None,
    "tab": "a tab character",
    "unclosed bracket": "valid YAML",
    "duplicate council": "a duplicate key",
    "text for a number": "is not a whole number",
    "capacity out of range": "capacity",
    "infinite surplus": "must be a finite number",
    "not-a-number interest": "must be a finite number",
    "unknown key": "unknown key",
    "interest in an unknown opgave": "must give one weight for each",
}
ANY_FAULT = st.sampled_from(sorted(FAULTS))
OVERRIDES = {  # a command-line override, valid or not, with the words its one line must hold
    "trust.initial=0.3": None,
    "governance=mayoral": None,
    "trust.initial=1.5": "must be in [0, 1]",
    "trust.initial=inf": "must be a finite number",
    "trust.initial=high": "is not a number",
    "governance=anarchy": "no option 'anarchy'",
}


def quoted(name: str) -> str:
    """A name as a YAML scalar: a JSON string is a valid double-quoted YAML string."""
    return json.dumps(name, ensure_ascii=False)


@st.composite
def regions(draw, faults: st.SearchStrategy[str] = ANY_FAULT) -> tuple[str, str | None]:
    """A region file's text, broken in one of ``faults``, and the words its error line must hold (if any)."""
    councils = draw(st.lists(NAME, min_size=2, max_size=3, unique_by=str.casefold))
    opgaven = draw(st.lists(NAME, min_size=1, max_size=2, unique_by=str.casefold))
    fault = draw(faults)
    lines = [f"name: {quoted(draw(NAME))}", "councils:"]
    for number, council in enumerate(councils):
        population = draw(st.integers(1, 10**6))
        capacity = draw(st.floats(0.05, 1.0))
        interests = {o: draw(st.floats(0.1, 1.0)) for o in opgaven}
        fields = {"population": str(population), "capacity": repr(capacity),
                  "regional_identification": repr(draw(st.floats(0.0, 1.0)))}
        if number == 0:
            if fault == "text for a number":
                fields["population"] = "many"
            elif fault == "capacity out of range":
                fields["capacity"] = "1.5"
            elif fault == "not-a-number interest":
                interests[opgaven[0]] = float("nan")
            elif fault == "unknown key":
                fields["popularity"] = "3"
            elif fault == "interest in an unknown opgave":
                interests[f"{opgaven[0]} bis"] = interests.pop(opgaven[0])
        weights = ", ".join(f"{quoted(o)}: {'.nan' if w != w else repr(w)}" for o, w in interests.items())
        body = ", ".join(f"{k}: {v}" for k, v in fields.items())
        lines.append(f"  {quoted(council)}: {{{body}, interests: {{{weights}}}}}")
    if fault == "duplicate council":
        lines.append(lines[2])
    if fault == "tab":
        lines[2] = "\t" + lines[2].lstrip()
    if fault == "unclosed bracket":
        lines[2] = lines[2][:-1]
    lines.append("opgaven:")
    for opgave in opgaven:
        surplus = ".inf" if fault == "infinite surplus" else repr(draw(st.floats(1.0, 3.0)))
        lines.append(f"  {quoted(opgave)}: {{proposals_per_year: 1.0, surplus: {surplus}, sunk_share: 0.2}}")
    return "\n".join(lines) + "\n", FAULTS[fault]


def check_contract(region: tuple[str, str | None], override: str) -> None:
    """Run ijmond-sim on the region file with ``override``; assert the contract."""
    text, region_error = region
    override_error = OVERRIDES[override]
    with tempfile.TemporaryDirectory() as scratch, inside(Path(scratch)):
        (Path("my_conf") / "region").mkdir(parents=True)
        (Path("my_conf") / "region" / "gen.yaml").write_text(text)
        outcome = run("ijmond-sim", "hydra.searchpath=[file://my_conf]", "region=gen", "years=1",
                      override, "hydra.run.dir=run")
        if region_error is None and override_error is None:
            assert outcome.status == 0, (text, override, outcome.stderr)
            assert all((Path("run") / name).stat().st_size > 0 for name in FILES)
            return
        assert outcome.status == 2, (text, override, outcome)
        assert len(outcome.stderr.splitlines()) == 1 and outcome.stdout == "", outcome
        expected = [words for words in (region_error, override_error) if words is not None]
        assert any(words in outcome.stderr for words in expected), (text, outcome.stderr)
        if region_error is not None and override_error is None:
            assert "my_conf/region/gen.yaml" in outcome.stderr, outcome.stderr
        assert not Path("run").exists()


# every fault with a valid command line, and every override with a valid region file
CASES = [(fault, "trust.initial=0.3") for fault in FAULTS] + [("none", o) for o in OVERRIDES
                                                               if o != "trust.initial=0.3"]


@pytest.mark.parametrize("fault, override", CASES)
@settings(max_examples=EXAMPLES_PER_CASE, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_region_file_and_command_line_runs_or_stops_with_one_line(fault, override, data):
    check_contract(data.draw(regions(st.just(fault))), override)


@pytest.mark.slow
@settings(max_examples=SLOW_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(region=regions(), override=st.sampled_from(sorted(OVERRIDES)))
def test_many_region_files_and_command_lines_run_or_stop_with_one_line(region, override):
    check_contract(region, override)
