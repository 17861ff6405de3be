"""The ``ijmond-discover`` command: sample, run (resumably), PRIM per rule, tables, figures, answer.

Usage::

    ijmond-discover                                   conf/discover.yaml: IJmond, 300 points per rule
    ijmond-discover samples=100 failure.below=0.3     any key changed on the command line
    ijmond-discover --settings my_discovery.yaml out=results/mine
    ijmond-discover --launcher parallel --workers 2   the runs in 2 worker processes

Running the same command again resumes: the points whose results are on disk
(``<out>/runs/``) are read back, the others run. A bad setting or option stops
it before anything runs, with one line and exit status 2.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from ijmond_sim import api, errors
from ijmond_sim.config import ConfigError
from ijmond_sim.config.settings_files import SettingsError
from ijmond_sim.discovery import settings
from ijmond_sim.sweep import launchers

COMMAND = "ijmond-discover"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; a bad option raises :class:`ijmond_sim.errors.InputError`."""
    parser = errors.ArgumentParser(
        prog=COMMAND,
        description="Scenario discovery: which combinations of the uncertain parameters "
                    "(conf/uncertainties.yaml) make cooperation fail under each governance rule.")
    parser.add_argument("changes", nargs="*", metavar="key=value",
                        help="changes to the settings, e.g. samples=100 failure.below=0.3")
    parser.add_argument("--settings", type=Path, default=None,
                        help=f"a settings file (default: {settings.DEFAULT_FILE})")
    launchers.add_options(parser)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``ijmond-discover`` console script."""
    try:
        args = parse_args(argv)
        launch = launchers.chosen(args)
    except errors.InputError as problem:
        errors.stop(COMMAND, problem)
    if importlib.util.find_spec("ema_workbench") is None:
        print(f"{COMMAND}: needs EMA Workbench: pip install 'ijmond-sim[ema]'", file=sys.stderr)
        sys.exit(errors.EXIT_STATUS)
    from ijmond_sim.discovery import analysis, experiments, report  # they need EMA Workbench
    from ijmond_sim.ema import OUTCOMES

    try:
        cfg = settings.load(args.settings, args.changes, outcomes=list(OUTCOMES))
        params = api.parameters(cfg.region)
        region = api.composed(region=cfg.region).region.name
    except (SettingsError, ConfigError) as error:
        print(f"ijmond-discover: invalid settings: {error}", file=sys.stderr)
        sys.exit(2)
    except Exception as error:  # an unknown region file: Hydra's own message, in one line
        print(f"ijmond-discover: invalid settings: region={cfg.region}: {str(error).splitlines()[0]}",
              file=sys.stderr)
        sys.exit(2)
    out = Path(cfg.out)
    print(f"ijmond-discover: {region}, {len(params)} uncertainties x {cfg.samples} Latin-hypercube points x "
          f"{len(cfg.rules)} rules x {cfg.replications} replications = "
          f"{cfg.samples * len(cfg.rules) * cfg.replications:,} runs, into {out}/, {args.launcher} launcher"
          + (f", {launch.workers} workers" if launch.workers > 1 else ""), flush=True)
    tic = time.perf_counter()
    say = functools.partial(print, flush=True)
    with launchers.pool(launch, out / experiments.RUNS, say) as pool:
        table = experiments.run(cfg, list(OUTCOMES), report=say, workers=launch.workers, pool=pool,
                                launcher=launch.provenance)
    failed = analysis.failed(table, cfg.failure)
    results = analysis.discover(table, cfg, params)
    files = report.write(out, region, table, failed, results, cfg)
    print(f"ijmond-discover: done in {time.perf_counter() - tic:.0f} s; wrote", flush=True)
    for path, what in files.items():
        print(f"  {path}  {what}")
    print()
    print((out / "answer.txt").read_text(), end="")
