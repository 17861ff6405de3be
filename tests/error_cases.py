"""Bad inputs and folder faults, run in-process; `python tests/error_cases.py` writes docs/errors.md.

Each case is a command line run in a fresh folder that holds a few prepared
files (``my_conf/`` with broken region and experiment files, an earlier run,
the plan of an earlier sweep). The test (tests/test_errors.py) checks that each ends with
exit status 2, one line on standard error, nothing written or removed, and
that docs/errors.md shows exactly the line printed, so the page cannot drift.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from hydra import initialize_config_module
from hydra.core.global_hydra import GlobalHydra

from ijmond_sim.sweep import adhoc, plan
from ijmond_sim.sweep.command import sweep_schema

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "errors.md"

REGION = textwrap.dedent("""\
    name: Three villages
    councils:
      Noord: {population: 20000, capacity: 0.8, regional_identification: 0.5,
              interests: {school: 0.9, road: 0.5}}
      Zuid: {population: 5000, capacity: 0.4, regional_identification: 0.2,
             interests: {school: 0.4, road: 0.9}}
    opgaven:
      school: {proposals_per_year: 1.0, surplus: 2.0, sunk_share: 0.2}
      road: {proposals_per_year: 1.0, surplus: 1.8, sunk_share: 0.3}
""")

FRISIAN = "S\u00fadwest-Frysl\u00e2n"  # a council named with other letters than ASCII
FILES = {
    "my_conf/region/good.yaml": REGION,
    "my_conf/region/tab.yaml": REGION.replace("  Zuid:", "\tZuid:"),
    "my_conf/region/bracket.yaml": REGION.replace("road: 0.5}}", "road: 0.5}"),
    "my_conf/region/duplicate.yaml": REGION.replace("  Zuid:", "  Noord:"),
    "my_conf/region/words.yaml": REGION.replace("population: 5000", "population: many"),
    "my_conf/region/infinite.yaml": REGION.replace("surplus: 2.0", "surplus: .inf"),
    "my_conf/region/unknown_opgave.yaml": REGION.replace("road: 0.9}", "roads: 0.9}"),
    "my_conf/experiment/typo.yaml": "# @package _global_\ntrust:\n  initail: 0.3\n",
    "my_conf/experiment/out_of_range.yaml": textwrap.dedent("""\
        # @package _global_
        replications: 1
        years: 1
        hydra:
          sweeper:
            params:
              trust.initial: 0.5,1.5
    """),
    "my_conf/region/empty.yaml": "",
    "my_conf/region/comment.yaml": "# a region, to be written\n",
    "my_conf/region/latin1.yaml": REGION.replace("Three villages", "Caf\u00e9 villages").encode("latin-1"),
    "my_conf/region/binary.yaml": bytes(range(256)),
    "my_conf/region/aliases.yaml": "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]\n" for n in range(1, 9)),
    "my_conf/region/frisian.yaml": REGION.replace("Noord", FRISIAN).replace("Zuid", "Den Haag"),
    "afile": "not a folder\n",
    **{f"calibration/{name}": (ROOT / "calibration" / name).read_text()  # copies: not committed there
       for name in ("bands.yaml", "priors.yaml", "inference.yaml")},
}
CHECKOUT = ("--bands", "checkout/bands.yaml", "--priors", "checkout/priors.yaml",
            "--inference", "checkout/inference.yaml")  # checkout/ links to the committed calibration/
SEARCH = "hydra.searchpath=[file://my_conf]"
EARLIER_SWEEP = ("replications=1", "years=1", "governance=optional,binding", "trust.initial=0.2,0.8")


@dataclass(frozen=True)
class Case:
    """One bad input: what it is, the command and its arguments."""

    what: str
    command: str
    args: tuple[str, ...]


def _sim(what: str, *args: str) -> Case:
    return Case(what, "ijmond-sim", (*args, "hydra.run.dir=run"))


def _sweep(what: str, *args: str) -> Case:
    return Case(what, "ijmond-sweep", ("replications=1", "years=1", *args))


CASES = [
    _sim("typo'd key", "trust.initail=0.5"),
    _sim("typo'd key added with +", "+trust.initail=0.5"),
    _sim("wrong type", "trust.initial=high"),
    _sim("whole number expected", "years=1.5"),
    _sim("unknown group option", "governance=anarchy"),
    _sim("unknown key of a governance rule", "governance=mayoral", "governance.mediaton=1"),
    _sim("override that cannot be parsed", "trust.initial=[1"),
    _sim("value out of range", "trust.initial=1.5"),
    _sim("infinite value", "trust.initial=inf"),
    _sim("not a number", "decision.noise=nan"),
    _sim("rule parameter out of range", "governance=binding", "governance.quota=0.4"),
    _sim("tab in a region file", SEARCH, "region=tab"),
    _sim("unclosed bracket in a region file", SEARCH, "region=bracket"),
    _sim("duplicate council name", SEARCH, "region=duplicate"),
    _sim("words for a number in a region file", SEARCH, "region=words"),
    _sim("infinite number in a region file", SEARCH, "region=infinite"),
    _sim("interest weights that do not match the opgaven", SEARCH, "region=unknown_opgave"),
    _sim("empty region file", SEARCH, "region=empty"),
    _sim("region file of comments only", SEARCH, "region=comment"),
    _sim("Latin-1 region file", SEARCH, "region=latin1"),
    _sim("binary region file", SEARCH, "region=binary"),
    _sim("region file of nested aliases (about a billion values)", SEARCH, "region=aliases"),
    *[_sim("group option that reads as a number, flag or null", f"region={value}")
      for value in ("nan", "true", "1", "null", "1e3")],
    _sim("text for a trust bias on the command line", "region.trust_bias.Beverwijk.Velsen=high"),
    _sim("council the region does not have, named with other letters than ASCII",
         "region.councils.S\u00fadwest-Frysl\u00e2n.capacity=0.5"),
    _sim("council the region does not have, named with a space", "region.councils.Den Haag.capacity=0.5"),
    _sim("run length past its bound", "years=1000000000"),
    _sim("seed past numpy's range", f"seed={2**70}"),
    _sim("seed in other digits than ASCII", "seed=\"\u0663\""),
    _sim("unknown key in an experiment file", SEARCH, "+experiment=typo"),
    Case("run folder that holds another run", "ijmond-sim", ("hydra.run.dir=earlier_run",)),
    Case("run folder under a file", "ijmond-sim", ("hydra.run.dir=afile/run",)),
    _sweep("sweep value of the wrong type", "trust.initial=0.2,high", "hydra.sweep.dir=sweep"),
    _sweep("sweep value out of range (command line)", "governance=optional", "trust.initial=0.5,1.5",
           "hydra.sweep.dir=sweep"),
    _sweep("sweep value out of range (experiment file)", SEARCH, "experiment=out_of_range",
           "hydra.sweep.dir=sweep"),
    _sweep("unknown experiment", "experiment=nonesuch", "hydra.sweep.dir=sweep"),
    _sweep("group option that reads as a number, swept", "region=nan,ijmond", "hydra.sweep.dir=sweep"),
    _sweep("group option that reads as a number beside a swept key", "region=nan", "trust.initial=0.2,0.3",
           "hydra.sweep.dir=sweep"),
    _sweep("council name with other letters than ASCII as a key, in a sweep",
           "region.councils.S\u00fadwest-Frysl\u00e2n.capacity=0.5", "trust.initial=0.2,0.3",
           "hydra.sweep.dir=sweep"),
    _sweep("unknown launcher beside a swept key", "hydra/launcher=nonexistent", "trust.initial=0.2,0.3",
           "hydra.sweep.dir=sweep"),
    Case("no replications", "ijmond-sweep", ("replications=0", "years=1", "trust.initial=0.2,0.3",
                                             "hydra.sweep.dir=sweep")),
    _sweep("another Hydra sweeper", "hydra/sweeper=basic", "governance=optional,binding",
           "hydra.sweep.dir=sweep"),
    _sweep("no workers for the local pool", "hydra/launcher=parallel", "hydra.launcher.n_jobs=0",
           "hydra.sweep.dir=sweep"),
    _sweep("sweep folder of another experiment", "experiment=outside_option",
           "hydra.sweep.dir=earlier_sweep"),
    _sweep("sweep folder of another design", "governance=optional,binding", "trust.initial=0.2,0.9",
           "hydra.sweep.dir=earlier_sweep"),
    _sweep("sweep folder under a file", "governance=optional", "trust.initial=0.2",
           "hydra.sweep.dir=afile/sweep"),
    _sweep("sweep whose jobs/ is a file", *EARLIER_SWEEP[2:], "hydra.sweep.dir=jobs_file_sweep"),
    Case("aggregate a folder that is not a sweep", "ijmond-aggregate", ("my_conf",)),
    Case("aggregate a sweep whose figures/ is a file", "ijmond-aggregate", ("figures_file_sweep",)),
    Case("aggregate with an unknown option", "ijmond-aggregate", ("earlier_sweep", "--bogus")),
    Case("aggregate a sweep whose plan is damaged", "ijmond-aggregate", ("damaged_sweep",)),
    Case("validate with a negative seed", "ijmond-validate", ("--seed", "-1", "--out", "report")),
    Case("validate with a seed in other digits than ASCII", "ijmond-validate",
         ("--seed", "\u0663", "--out", "report")),
    Case("validate with a seed past numpy's range", "ijmond-validate",
         ("--seed", str(2**70), "--out", "report")),
    Case("validate with an unknown option", "ijmond-validate", ("--bogus",)),
    Case("validate into a folder under a file", "ijmond-validate", ("--fast", "--out", "afile/report")),
    Case("validate fast into the committed report", "ijmond-validate", ("--fast", "--report")),
    Case("validate on Slurm with no time", "ijmond-validate", ("--launcher", "slurm", "--time-minutes", "0")),
    Case("drift study with a parameter the model lacks", "ijmond-dynamics",
         ("--parameter", "trust.gian=0.01:0.15:8")),
    Case("calibrate with a seed that is not a number", "ijmond-calibrate", ("--seed", "x")),
    Case("calibrate with no workers", "ijmond-calibrate", ("--workers", "0")),
    Case("calibrate with a bands file that is not one", "ijmond-calibrate",
         ("--bands", "my_conf/region/good.yaml")),
    Case("calibrate with bands, priors and settings not committed", "ijmond-calibrate", ()),
    Case("calibrate into a folder of a calibration with other settings", "ijmond-calibrate",
         (*CHECKOUT, "--out", "earlier_calibration")),
    Case("resume a calibration that is not there", "ijmond-calibrate",
         (*CHECKOUT, "--resume", "--out", "nowhere")),
]


def _main(command: str) -> Callable[[], object]:
    if command == "ijmond-sim":
        from ijmond_sim.run.command import main
    elif command == "ijmond-sweep":
        from ijmond_sim.sweep.command import main
    elif command == "ijmond-aggregate":
        from ijmond_sim.sweep.tables import main
    elif command == "ijmond-dynamics":
        from ijmond_sim.dynamics.command import main
    elif command == "ijmond-calibrate":
        from ijmond_sim.calibration.command import main
    else:
        from ijmond_sim.validation.command import cli as main
    return main


@dataclass(frozen=True)
class Outcome:
    """What a command did: its exit status and what it printed."""

    status: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def inside(folder: Path) -> Iterator[None]:
    """Within the block, the working folder is ``folder``."""
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def run(command: str, *args: str) -> Outcome:
    """Run a command in-process, as its console script would, in the current folder."""
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = [command, *args]
    GlobalHydra.instance().clear()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = _main(command)()
            status = status if isinstance(status, int) else 0
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else 1
    finally:
        sys.argv = argv
        GlobalHydra.instance().clear()
    return Outcome(status, out.getvalue(), err.getvalue())


@functools.cache
def earlier_plan() -> plan.Plan:
    """The plan of the earlier sweep (a sweep folder is known by its plan, ``sweep.json``)."""
    GlobalHydra.instance().clear()
    with sweep_schema(), initialize_config_module("ijmond_sim.conf", version_base="1.3", job_name="sweep"):
        master = plan.master_config(adhoc.own_name_and_folder(EARLIER_SWEEP))  # as ijmond-sweep would
        return plan.make_plan(master, GlobalHydra.instance().config_loader())


def prepare(folder: Path, template: Path | None = None) -> None:
    """Lay out the prepared files in ``folder``: broken configs, an earlier run, an earlier sweep.

    Args:
        folder: an empty folder.
        template: a folder prepared before, to copy rather than run the earlier run and sweep again.
    """
    if template is not None:
        shutil.copytree(template, folder, symlinks=True, dirs_exist_ok=True)
        return
    for name, content in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(content)
    with inside(folder):
        assert run("ijmond-sim", "years=1", "hydra.run.dir=earlier_run").status == 0
    plan.write_manifest(folder / "earlier_sweep", earlier_plan())
    for name in ("damaged_sweep", "jobs_file_sweep", "figures_file_sweep"):
        shutil.copytree(folder / "earlier_sweep", folder / name)
    (folder / "jobs_file_sweep" / "jobs").write_text("a file where the jobs' folder goes\n")
    (folder / "figures_file_sweep" / "figures").write_text("a file where the figures go\n")
    manifest = folder / "damaged_sweep" / "sweep.json"
    manifest.write_bytes(manifest.read_bytes()[:-10])
    (folder / "checkout").symlink_to(ROOT / "calibration", target_is_directory=True)
    earlier_calibration(folder / "earlier_calibration")


def earlier_calibration(out: Path) -> None:
    """An output folder holding the plan of a calibration with the committed files but seed 7."""
    from ijmond_sim.calibration.bands import read
    from ijmond_sim.calibration.command import committed
    from ijmond_sim.calibration.fixed import read_priors, read_settings
    from ijmond_sim.calibration.inference import Plan, write_plan

    bands = read(ROOT / "calibration" / "bands.yaml")
    priors = read_priors(ROOT / "calibration" / "priors.yaml", bands)
    settings = read_settings(ROOT / "calibration" / "inference.yaml")
    commit = committed(ROOT / "calibration" / "bands.yaml") or ("uncommitted",)
    write_plan(out, Plan.of(7, settings, priors, [], commit[0]))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (lock files aside: they stay, empty, by design)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock")}


def table(rows: list[tuple[Case, Outcome]]) -> str:
    """docs/errors.md: the table of cases with command, exit status and the line printed."""
    lines = [
        "# Errors: one line, exit status 2, nothing written",
        "",
        "Every command (`ijmond-sim`, `ijmond-sweep`, `ijmond-aggregate`, `ijmond-validate`,",
        "`ijmond-dynamics`, `ijmond-calibrate`) stops on bad input with one line on standard error,",
        "`command: file or key: what is wrong; what is allowed`, and exit status 2, before it writes or",
        "removes anything.",
        "`HYDRA_FULL_ERROR=1` or `--debug` shows the full traceback instead. The contract lives in",
        "`src/ijmond_sim/errors.py`.",
        "",
        "The table is generated by `python tests/error_cases.py` from the cases in that file, run in a",
        "folder holding broken files under `my_conf/`, an earlier run (`earlier_run/`) and an earlier",
        "sweep (`earlier_sweep/`); `tests/test_errors.py` fails if it no longer matches what the",
        "commands print.",
        "",
        "`ijmond-validate --launcher slurm` also checks, before any run, that `sbatch` is on the PATH",
        "(`--launcher slurm: sbatch not found on PATH ...`) and that `--partition` names a partition",
        "`sinfo` lists (`--partition gpu: no such partition on this cluster; one of ...`); what those",
        "lines say depends on the machine, so they are tested in tests/test_validation_runs.py instead.",
        "",
        "| case | command | exit | line printed |",
        "|---|---|---|---|",
    ]
    for case, outcome in rows:
        command = " ".join([case.command, *case.args]).replace("|", "\\|")
        printed = outcome.stderr.strip().replace("|", "\\|")
        lines.append(f"| {case.what} | `{command}` | {outcome.status} | `{printed}` |")
    return "\n".join(lines) + "\n"


def run_all(folder: Path) -> list[tuple[Case, Outcome]]:
    """Run every case in ``folder`` (prepared), each on a fresh copy of it."""
    rows = []
    template = folder / "template"
    template.mkdir()
    prepare(template)
    for number, case in enumerate(CASES):
        work = folder / f"case{number}"
        prepare(work, template)
        with inside(work):
            rows.append((case, run(case.command, *case.args)))
    return rows


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        DOC.write_text(table(run_all(Path(scratch))))
    print(f"wrote {DOC}")
