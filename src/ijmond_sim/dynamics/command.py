"""The ``ijmond-dynamics`` command: the drift study run (resumably), its fixed points, tables and figures.

Usage::

    ijmond-dynamics                                         conf/dynamics.yaml: every rule, 11 levels
    ijmond-dynamics levels=21 runs=80 burn_in=0             any key changed; burn_in=0: a cold start
    ijmond-dynamics --parameter trust.gain=0.01:0.15:8      a parameter added to the bifurcation diagram
    ijmond-dynamics parameters=[]                           the drift at the defaults only
    ijmond-dynamics --launcher parallel --workers 2         the runs in 2 worker processes

A study stopped part-way goes on where it stopped when the command is given
again (the runs stored in ``runs_dir`` are read back); the tables and figures
are then drawn again from them in seconds. Bad input (a setting, an option, a
parameter the model lacks or a value out of its range) ends the command with
one line and exit status 2 before any run.
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

import pandas as pd
from omegaconf import DictConfig, OmegaConf

from ijmond_sim import api, errors
from ijmond_sim.config import ConfigError
from ijmond_sim.dynamics import drift, runs, settings
from ijmond_sim.model.governance import RULES
from ijmond_sim.sweep import launchers
from ijmond_sim.validation.knockouts import KNOCKOUTS

COMMAND = "ijmond-dynamics"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; a bad option raises :class:`ijmond_sim.errors.InputError`."""
    parser = errors.ArgumentParser(
        prog=COMMAND,
        description="The drift of trust: from each trust level, the mean change of trust among the councils "
                    "over the next months, per governance rule, after a burn-in; its fixed points (stable, "
                    "unstable, flat) and a bifurcation diagram of them against parameters. docs/dynamics.md.",
        epilog="The settings and their defaults (conf/dynamics.yaml):\n\n"
               + (files("ijmond_sim.conf") / "dynamics.yaml").read_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("changes", nargs="*", metavar="key=value",
                        help="changes to the settings, e.g. levels=21 runs=80 burn_in=0 parameters=[]")
    parser.add_argument("--settings", type=Path, default=None,
                        help=f"a settings file (default: {settings.DEFAULT_FILE})")
    parser.add_argument("--parameter", action="append", default=[], metavar="KEY=LOW:HIGH:STEPS",
                        help="sweep a config key (or a short name of conf/uncertainties.yaml) in the "
                             "bifurcation diagram, e.g. trust.gain=0.01:0.15:8; replaces the settings' sweep "
                             "of that key; repeat for more")
    launchers.add_options(parser)
    return parser.parse_args(argv)


def _planned(cfg: DictConfig) -> tuple[str, list, list, list]:
    """The region's name and the designed points at the defaults, of the sweeps and of the knockouts.

    Raises:
        errors.InputError: an unknown region or parameter, or a value out of range.
    """
    try:
        region = api.composed(region=cfg.region).region.name
    except Exception as error:  # an unknown region file: Hydra's own message, in one line
        raise errors.InputError(f"region={cfg.region}", str(error).splitlines()[0],
                                "a region file of conf/region/") from None
    try:
        levels = settings.levels(cfg)
        at_defaults = runs.designs(cfg, [(None, None)], levels)
        knockouts = [KNOCKOUTS[name] for name in cfg.knockouts]
        return (region, at_defaults, runs.designs(cfg, settings.arms(cfg), levels),
                runs.knockout_designs(cfg, knockouts, levels))
    except api.UnknownParameter as error:
        raise errors.InputError("parameters", str(error), "see conf/dynamics.yaml") from None
    except ConfigError as error:
        raise errors.InputError(f"parameters {error.key}", f"value {error.value!r} out of range",
                                error.allowed) from None


def _config_keys(cfg: DictConfig) -> dict[str, str]:
    """The config key of each swept parameter: itself, or a short name's first key (uncertainties.yaml)."""
    short = {p.name: p.keys[0] for p in api.parameters_of(cfg.region)}
    return {sweep.key: short.get(sweep.key, sweep.key) for sweep in cfg.parameters}


def _defaults(cfg: DictConfig) -> dict[tuple[str, str], float]:
    """The default value of each swept parameter under each rule."""
    out = {}
    for rule in cfg.rules:
        composed = api.composed(rule, cfg.region)
        for name, key in _config_keys(cfg).items():
            value = OmegaConf.select(composed, key)
            if isinstance(value, int | float):
                out[rule, name] = float(value)
    return out


def write(cfg: DictConfig, region: str, at_defaults: pd.DataFrame, swept: pd.DataFrame,
          knocked: pd.DataFrame) -> dict[Path, str]:
    """The tables and figures of a drift study into ``cfg.out``; each file with what it holds."""
    from ijmond_sim.dynamics import figures
    from ijmond_sim.sweep.figures import axis_label, save

    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    curve = drift.drift_table(at_defaults)
    points = drift.fixed_point_table(curve, cfg.flat_width)
    files = {}
    tables = {"drift.csv": (curve, "the drift per rule and level at the defaults, with its 95% interval"),
              "fixed_points.csv": (points, "the fixed points per rule at the defaults: kind, trust, range")}
    figs = {"drift": (figures.drift_figure(region, curve, points, cfg.horizon, cfg.burn_in),
                      "the drift curve per rule with its band and fixed points")}
    if len(swept):
        sweep_curve = drift.drift_table(swept)
        sweep_points = drift.fixed_point_table(sweep_curve, cfg.flat_width)
        tables["bifurcation_drift.csv"] = (sweep_curve, "the drift per rule, parameter value and level")
        tables["bifurcation.csv"] = (sweep_points, "the fixed points per rule and parameter value")
        axes = {name: axis_label(key) for name, key in _config_keys(cfg).items()}
        figs["bifurcation"] = (figures.bifurcation_figure(region, sweep_curve, sweep_points, axes,
                                                          _defaults(cfg)),
                               "fixed points against each swept parameter, a row per rule")
    if len(knocked):
        tables["links.csv"] = (drift.link_table(at_defaults, knocked, cfg.flat_width),
                               "per rule and knockout: the change of the drift with that link switched off")
        figs["links"] = (figures.links_figure(region, curve, drift.drift_table(knocked), cfg.horizon),
                         "the drift with each link of the loop switched off")
    for name, (frame, what) in tables.items():
        frame.to_csv(out / name, index=False, float_format="%.6g")
        files[out / name] = what
    for name, (fig, what) in figs.items():
        for path in save(fig, out / "figures" / name):
            files[path] = what
    return files


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``ijmond-dynamics`` console script."""
    try:
        args = parse_args(argv)
        launch = launchers.chosen(args)
        cfg = settings.load(args.settings, args.changes, args.parameter)
        region, at_defaults, swept, knockouts = _planned(cfg)
        errors.writable_folder(Path(cfg.out), f"out={cfg.out}")
        errors.writable_folder(Path(cfg.runs_dir), f"runs_dir={cfg.runs_dir}")
    except errors.InputError as problem:
        errors.stop(COMMAND, problem)
    print(f"{COMMAND}: {region}, {len(cfg.rules)} rules x {cfg.levels} trust levels: {cfg.runs} runs each at "
          f"the defaults ({len(at_defaults) * cfg.runs:,} runs) and {cfg.bifurcation_runs} for each of "
          f"{len(settings.arms(cfg))} parameter values ({len(swept) * cfg.bifurcation_runs:,} runs) and "
          f"{len(cfg.knockouts)} knockouts ({len(knockouts) * cfg.runs:,} runs); "
          f"burn-in {cfg.burn_in} months, horizon {cfg.horizon}; into {cfg.out}/, {args.launcher} launcher"
          + (f", {launch.workers} workers" if launch.workers > 1 else ""), flush=True)
    tic = time.perf_counter()
    say = functools.partial(print, flush=True)
    with launchers.pool(launch, Path(cfg.runs_dir), say) as pool:
        common = {"report": say, "workers": launch.workers, "pool": pool, "launcher": launch.provenance}
        table = runs.run(cfg, runs.DEFAULTS, at_defaults, cfg.runs, **common)
        sweep_table = (runs.run(cfg, runs.BIFURCATION, swept, cfg.bifurcation_runs, **common) if swept
                       else table.iloc[:0])
        knocked = (runs.run(cfg, runs.KNOCKOUTS, knockouts, cfg.runs, **common) if knockouts
                   else table.iloc[:0])
    pd.concat([table, sweep_table, knocked]).to_csv(Path(cfg.runs_dir) / "runs.csv", index=False,
                                                    float_format="%.17g")
    files = write(cfg, region, table, sweep_table, knocked)
    print(f"{COMMAND}: done in {time.perf_counter() - tic:.0f} s; wrote", flush=True)
    for path, what in files.items():
        print(f"  {path}  {what}")
    print()
    curve = drift.drift_table(table)
    labels = {key: rule.label for key, rule in RULES.items()}
    for line in drift.describe(curve, drift.fixed_point_table(curve, cfg.flat_width), labels):
        print(line)
