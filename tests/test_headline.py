"""The headline answer: every line it prints is true of the table it was printed from.

Each line is parsed back into its claim (from which level half or more is
completed, at no level, or at which levels of a curve that is not monotone)
and every claim and every printed percentage is checked against the curve.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ijmond_sim.model.governance import rule_label
from ijmond_sim.sweep import tables
from sweep_support import fake_runs

AXES = ["governance", "trust.initial"]
AT = r"(\d+)% at trust ([0-9.e+-]+), 95% CI (\d+)%-(\d+)%"
NONE = re.compile(r"less than half of the initiatives completed at any initial trust "
                  r"\(at most (\d+)%, at trust ([0-9.e+-]+)\)")
FROM = re.compile(rf"half or more completed from initial trust ([0-9.e+-]+) on \(lowest {AT}\)"
                  r"(?:; less at every lower level \((\d+)% at trust ([0-9.e+-]+)\)|; no lower level swept)")
SOME = re.compile(r"not monotone in initial trust: half or more completed at (\d+) of (\d+) levels only "
                  r"\((.*)\), less at every other level")
# a share the curve may hold: anywhere in [0, 1], or just either side of one half
SHARES = st.one_of(st.floats(0, 1), st.sampled_from([0.5, 0.4996, 0.49999999999, 0.5000001, 0.495, 0.505]))


def _shown(printed: str, share: float) -> bool:
    """A printed whole percentage lies within one point of the share and on the same side of one half."""
    exact = Decimal(repr(float(share))) * 100
    return abs(exact - int(printed)) <= 1 and (int(printed) >= 50) == (share >= tables.THRESHOLD)


def _row(curve: pd.DataFrame, level: str) -> pd.Series:
    rows = curve[[tables._level(x) == level for x in curve["trust.initial"]]]
    assert len(rows) == 1, f"trust {level} is not one level of the curve"
    return rows.iloc[0]


def _check_at(curve: pd.DataFrame, rate: str, level: str, low: str, high: str) -> pd.Series:
    row = _row(curve, level)
    for printed, column in ((rate, ""), (low, "_low"), (high, "_high")):
        assert _shown(printed, row[f"completion_rate{column}"]), (printed, column, row)
    return row


def check_line(line: str, curve: pd.DataFrame) -> None:
    """Assert that ``line`` says only what ``curve`` (one rule's rows of the summary) holds."""
    reached = curve[curve["completion_rate"] >= tables.THRESHOLD]
    levels = sorted(curve["trust.initial"])
    if match := NONE.fullmatch(line):
        assert reached.empty
        best = _row(curve, match[2])
        assert _shown(match[1], best["completion_rate"])
        assert best["completion_rate"] == curve["completion_rate"].max()
    elif match := FROM.fullmatch(line):
        start = _row(curve, match[1])["trust.initial"]
        assert set(reached["trust.initial"]) == {x for x in levels if x >= start}
        weakest = _check_at(curve, *match.groups()[1:5])
        assert weakest["completion_rate"] == reached["completion_rate"].min()
        if match[6] is None:
            assert start == levels[0]
        else:
            lowest = _row(curve, match[7])
            assert lowest["trust.initial"] == levels[0] < start
            assert _shown(match[6], lowest["completion_rate"])
    elif match := SOME.fullmatch(line):
        named = [_check_at(curve, *at)["trust.initial"] for at in re.findall(AT, match[3])]
        assert named == sorted(reached["trust.initial"]) and int(match[1]) == len(named)
        assert int(match[2]) == len(levels)
        assert named != levels[len(levels) - len(named):], "the curve is monotone: say from which level"
    else:
        raise AssertionError(f"a line of no known form: {line}")


@st.composite
def summaries(draw) -> pd.DataFrame:
    rows = []
    for rule in draw(st.lists(st.sampled_from(["optional", "mayoral", "binding"]), min_size=1, max_size=3,
                              unique=True)):
        levels = draw(st.lists(st.integers(0, 1000), min_size=1, max_size=8, unique=True))
        for level in levels:
            rate = draw(SHARES)
            low, high = draw(st.floats(0, rate)), draw(st.floats(rate, 1))
            rows.append({"governance": rule, "trust.initial": level / 1000, "completion_rate": rate,
                         "completion_rate_low": low, "completion_rate_high": high})
    return pd.DataFrame(rows)


@settings(max_examples=400, deadline=None)
@given(summaries())
def test_every_headline_line_is_true_of_its_curve(summary):
    """Kills: a line judged from the highest level only (the old headline), ``>`` for ``>=`` at exactly
    one half, rounding to nearest (0.4996 printed as 50%), "from X on" when a higher level falls below
    half, the weakest level or the best level picked wrongly, a level missing from the not-monotone list."""
    lines = tables.headline(summary, AXES)
    rules = list(dict.fromkeys(summary["governance"]))
    assert len(lines) == len(rules)
    for rule, line in zip(rules, lines, strict=True):
        name, _, claim = line.partition(":")
        assert name == rule_label(rule)
        check_line(claim.strip(), summary[summary["governance"] == rule])


def test_the_issue_s_curves_print_what_they_hold():
    """The curves of issue 26: a peak below the top level is no "less than half at any trust"; a level
    below the top that reaches half makes the curve not monotone; 0.4996 is not 50%.
    Kills: the old headline (highest level only), rounding to nearest."""
    summary = tables.summarise(fake_runs({
        ("mayoral", 0.8): [0.4] * 2, ("mayoral", 0.9): [0.63] * 2, ("mayoral", 1.0): [0.45] * 2,
        ("binding", 0.6): [0.4] * 2, ("binding", 0.7): [0.53] * 2, ("binding", 0.8): [0.4] * 2,
        ("binding", 1.0): [0.57] * 2,
        ("optional", 0.5): [0.3] * 2, ("optional", 1.0): [0.4996] * 2,
    }), AXES)
    mayoral, binding, optional = tables.headline(summary, AXES)
    assert "not monotone" in mayoral and "63% at trust 0.9" in mayoral
    assert "2 of 4 levels only (53% at trust 0.7" in binding and "57% at trust 1.0" in binding
    assert optional.endswith("less than half of the initiatives completed at any initial trust (at most 49%, "
                             "at trust 1.0)")
