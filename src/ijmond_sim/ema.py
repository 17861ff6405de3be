"""The model as EMA Workbench sees it: uncertainties, levers (the governance rules), outcomes and a Model.

A study with PRIM is a few lines (``pip install ijmond-sim[ema]``; the README adds the analysis)::

    from ema_workbench import perform_experiments
    from ema_workbench.analysis import prim
    from ijmond_sim import ema
    experiments, outcomes = perform_experiments(ema.model(), scenarios=100, policies=ema.policies())
    failed = outcomes["completion_rate"] < 0.3
    boxes = {rule: prim.Prim(x, y).find_box() for rule, x, y in ema.by_rule(experiments, failed)}

A study of some uncertainties and outcomes names them:
``ema.model(uncertainties=["initial_trust", "trust_gain"], outcomes=["completion_rate"])``
varies only those two (the others keep their defaults) and records only that outcome.

The uncertainties are :func:`ijmond_sim.parameters` (ranges from
``conf/uncertainties.yaml``); the one lever, ``rule``, takes every governance
rule the model has (:data:`ijmond_sim.model.governance.RULES`); each outcome is
the mean over the replications of one experiment (:func:`ijmond_sim.mean_outcomes`).
Every experiment's runs are seeded from the base seed and its own values, so the
same experiments give the same outcomes whatever the evaluator or the order.

EMA Workbench 3.0 has two limits that :func:`by_rule` works around: PRIM's
``inspect`` raises on a box that restricts a categorical (the rule), and PRIM's
pasting fails on an integer-coded column. So PRIM runs once per rule, on the
uncertainties alone, with every column as float.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd

with warnings.catch_warnings():  # EMA Workbench warns on import that an optional evaluator is missing
    warnings.filterwarnings("ignore", message="ipyparallel not installed")
    from ema_workbench import (
        CategoricalParameter,
        IntegerParameter,
        Model,
        RealParameter,
        Sample,
        ScalarOutcome,
    )

from ijmond_sim.api import UnknownParameter, mean_outcomes, parameters, simulate
from ijmond_sim.model.governance import RULES

LEVER = "rule"
EMA_COLUMNS = ("scenario", "policy", "model")  # what EMA adds to the experiments table
OUTCOMES = {
    "completion_rate": "share of the initiatives started that were completed",
    "completion_rate_voluntary": "the same, for voluntary opgaven",
    "completion_rate_statutory": "the same, for statutory opgaven",
    "stranded": "initiatives stranded",
    "mean_trust_end": "mean trust among the councils at the end",
    "turned_away_share": "share of the runs in which a council turned away from the region",
    "median_months_to_decision": "median months from proposal to decision",
}


def pick(kind: str, names: Sequence[str] | None, known: Sequence[str]) -> list[str]:
    """The names asked for, in the order asked, or every known one if ``names`` is None.

    Raises:
        UnknownParameter: a name that is not one of ``known``, with the names that are.
    """
    if names is None:
        return list(known)
    if isinstance(names, str):
        names = [names]
    for name in names:
        if name not in known:
            raise UnknownParameter(f"ema.model({kind}=...): unknown name {name!r}; the {kind} are "
                                   f"{', '.join(known)}")
    return list(dict.fromkeys(names))


def uncertainties(region: str | None = None, names: Sequence[str] | None = None
                  ) -> list[RealParameter | IntegerParameter]:
    """The uncertain parameters of ``region`` (:func:`ijmond_sim.parameters`) as EMA parameters.

    Args:
        region: a region file of ``conf/region/``; the default region if None.
        names: only these parameters, by short name; all of them if None.
    """
    params = {p.name: p for p in parameters(region)}
    return [IntegerParameter(p.name, int(p.low), int(p.high)) if p.integer
            else RealParameter(p.name, float(p.low), float(p.high))
            for p in (params[name] for name in pick("uncertainties", names, list(params)))]


def levers() -> list[CategoricalParameter]:
    """The one lever: the governance rule, over every rule the model has."""
    return [CategoricalParameter(LEVER, list(RULES))]


def policies() -> list[Sample]:
    """One policy per governance rule, named by its key (sampling three of three rules may repeat one)."""
    return [Sample(rule, **{LEVER: rule}) for rule in RULES]


def outcomes(names: Sequence[str] | None = None) -> list[ScalarOutcome]:
    """The outcomes of :data:`OUTCOMES` (only ``names``, if given): means over the replications."""
    return [ScalarOutcome(name) for name in pick("outcomes", names, list(OUTCOMES))]


def experiment(region: str | None, replications: int, seed: int | None, *,
               wanted: Sequence[str] = tuple(OUTCOMES), **values: Any) -> dict[str, float]:
    """One EMA experiment: the mean outcomes ``wanted`` of ``replications`` runs under a rule and values.

    The parameters not among ``values`` keep their defaults from ``conf/``.
    """
    rule = values.pop(LEVER)
    runs = simulate(rule=rule, region=region, seed=seed, replications=replications, **values)
    means = mean_outcomes(runs)
    return {name: means[name] for name in wanted}


def model(region: str | None = None, replications: int = 5, seed: int | None = None, name: str = "ijmond",
          uncertainties: Sequence[str] | None = None, outcomes: Sequence[str] | None = None) -> Model:
    """The model as an EMA Workbench ``Model`` with its uncertainties, levers and outcomes.

    A study of some uncertainties or outcomes names them here: EMA Workbench adds to
    a model's lists when they are assigned (``model.uncertainties = [...]`` keeps the
    others), so a subset needs a model built with only those.

    Args:
        region: a region file of ``conf/region/``; the default region if None.
        replications: runs per experiment (their outcomes are averaged).
        seed: base seed of every experiment's runs; ``seed`` of ``conf/config.yaml`` if None.
        name: the model's name in EMA's results (letters, digits and underscores).
        uncertainties: short names of :func:`ijmond_sim.parameters` to vary; every one if None.
            The others keep their defaults.
        outcomes: names of :data:`OUTCOMES` to record; every one if None.

    Raises:
        UnknownParameter: a name in ``uncertainties`` or ``outcomes`` that the model does not have.
    """
    varied = _uncertainties(region, uncertainties)
    recorded = _outcomes(outcomes)
    ema_model = Model(name, function=functools.partial(experiment, region, replications, seed,
                                                       wanted=tuple(o.name for o in recorded)))
    ema_model.uncertainties = varied
    ema_model.levers = levers()
    ema_model.outcomes = recorded
    return ema_model


_uncertainties, _outcomes = uncertainties, outcomes  # model()'s arguments of the same names hide them


def by_rule(experiments: pd.DataFrame, failed: np.ndarray | pd.Series
            ) -> Iterator[tuple[str, pd.DataFrame, np.ndarray]]:
    """The experiments of each governance rule, ready for PRIM or feature scoring.

    Args:
        experiments: EMA's experiments table (one column per uncertainty, ``rule``, ...).
        failed: one bool per experiment, aligned with ``experiments`` (the case of interest).

    Yields:
        ``(rule, x, y)``: the rule, its experiments' uncertainties as float columns, and
        ``failed`` for those experiments as a bool array.
    """
    failed = np.asarray(failed, dtype=bool)
    columns = [c for c in experiments.columns if c not in (LEVER, *EMA_COLUMNS)]
    rules = experiments[LEVER].astype(str).to_numpy()
    for rule in RULES:
        mask = rules == rule
        if mask.any():
            x = experiments.loc[mask, columns].astype(float).reset_index(drop=True)
            yield rule, x, failed[mask]
