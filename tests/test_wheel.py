"""The wheel as users get it: built, installed in a clean venv outside the checkout, every command run.

Slow (a minute of pip, two of ``ijmond-validate --fast``); ``make test`` runs it as a
step of its own after the default run. Each command's line, output, exit status and
time go to ``wheel.log`` in the test's temporary folder, or to the file named by
``IJMOND_WHEEL_LOG``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from browser_support import OffHostGuard, browser_prerequisites_missing, free_port, launch_chromium

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
AD_HOC = ("governance=optional,binding", "trust.initial=0.2,0.8", "replications=2")


class Shell:
    """Runs commands in a folder outside the checkout with a clean environment, logging each one."""

    def __init__(self, folder: Path, log: Path) -> None:
        self.folder, self.log = folder, log
        self.built_from = ""  # the commit the wheel is built from
        self.env = {key: value for key, value in os.environ.items()
                    if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
        self.env["OMP_NUM_THREADS"] = "1"

    def __call__(self, *command: str | Path, cwd: Path | None = None) -> str:
        """Run ``command``; its output, or a failed assertion with the output if it exits non-zero."""
        start = time.perf_counter()
        done = subprocess.run([str(part) for part in command], cwd=cwd or self.folder, env=self.env,
                              capture_output=True, text=True, timeout=900, check=False)
        output = done.stdout + done.stderr
        with self.log.open("a") as log:
            log.write(f"$ {' '.join(map(str, command))}\n{output.rstrip()}\n"
                      f"[exit {done.returncode}, {time.perf_counter() - start:.1f} s]\n\n")
        assert done.returncode == 0, f"{command} exited {done.returncode}:\n{output[-3000:]}"
        return output


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel of this checkout, installed with its ``ema`` and ``workshop`` extras in a fresh venv."""
    folder = tmp_path_factory.mktemp("wheel")
    assert ROOT not in folder.parents
    shell = Shell(folder, Path(os.environ.get("IJMOND_WHEEL_LOG", folder / "wheel.log")))
    shell.built_from = shell("git", "-C", ROOT, "rev-parse", "HEAD").strip()
    leftovers = [ROOT / "build", ROOT / "ijmond_sim.egg-info"]  # setuptools builds in the tree
    before = [path.exists() for path in leftovers]
    shell(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", ROOT, "-w", folder / "dist")
    for path, existed in zip(leftovers, before, strict=True):
        if not existed:  # the tree's metadata would shadow the installed version's for a process run there
            shutil.rmtree(path, ignore_errors=True)
    (wheel,) = (folder / "dist").glob("ijmond_sim-*.whl")
    shell(sys.executable, "-m", "venv", folder / "venv")
    shell(folder / "venv/bin/pip", "install", "--quiet", f"{wheel}[ema,workshop]")
    (folder / "work").mkdir()
    shell.folder = folder / "work"
    return wheel, folder / "venv/bin", shell


def test_the_wheel_holds_the_package_its_configs_experiments_and_hydra_plugins(installed):
    # kills: the Hydra plugins, the conf/ files or the experiments left out of the wheel
    wheel, _, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"hydra_plugins/ijmond_sweeper/ijmond_sweeper.py", "hydra_plugins/ijmond_sweeper/ijmond_pool.py",
            "ijmond_sim/conf/config.yaml", "ijmond_sim/conf/experiment/governance_comparison.yaml",
            "ijmond_sim/conf/region/ijmond.yaml"} <= names


def test_the_package_and_its_plugins_load_from_the_venv_not_the_checkout(installed):
    # kills: a test passing because it imported the checkout's files instead of the installed ones
    _, bin_dir, shell = installed
    out = shell(bin_dir / "python", "-c", "import ijmond_sim, hydra_plugins.ijmond_sweeper as p; "
                                          "print(ijmond_sim.__file__); print(p.__file__)")
    assert all(line.startswith(str(bin_dir.parent)) for line in out.split())


def test_ijmond_sim_tells_the_version_and_commit_it_was_built_from(installed):
    # kills: a wheel without setuptools-scm's version file (commit unknown), or a version by hand
    wheel, bin_dir, shell = installed
    version = wheel.name.split("-")[1]
    line = shell(bin_dir / "ijmond-sim", "--version").strip()
    printed = re.fullmatch(r"ijmond-sim (\S+) \(commit ([0-9a-f]{7,})\)", line)
    assert printed and printed[1] == version and shell.built_from.startswith(printed[2])

def test_ijmond_sim_runs_one_simulation(installed):
    _, bin_dir, shell = installed
    shell(bin_dir / "ijmond-sim", "hydra.run.dir=one")
    assert (shell.folder / "one" / "summary.json").is_file()


def test_an_ad_hoc_sweep_runs_through_the_plugins_and_is_aggregated_again(installed):
    # kills: the sweeper missing from the wheel (Hydra: "Ambiguous value for argument")
    _, bin_dir, shell = installed
    shell(bin_dir / "ijmond-sweep", *AD_HOC, "hydra.sweep.dir=adhoc")
    summary = pd.read_csv(shell.folder / "adhoc" / "summary.csv")
    assert sorted(zip(summary["governance"], summary["trust.initial"], strict=True)) == [
        ("binding", 0.2), ("binding", 0.8), ("optional", 0.2), ("optional", 0.8)]
    assert (summary["runs"] == 2).all()
    shell(bin_dir / "ijmond-aggregate", "adhoc", "--no-figures")


def test_a_named_experiment_sweeps_with_the_parallel_launcher(installed):
    # kills: the experiments or the pool launcher missing from the wheel
    _, bin_dir, shell = installed
    shell(bin_dir / "ijmond-sweep", "experiment=trust_asymmetry", "replications=2", "hydra/launcher=parallel",
          "hydra.launcher.n_jobs=2", "hydra.sweep.dir=named")
    assert len(pd.read_csv(shell.folder / "named" / "runs.csv")) == 3 * 9 * 2


def test_the_fast_validation_writes_its_report(installed):
    _, bin_dir, shell = installed
    shell(bin_dir / "ijmond-validate", "--fast", "--quiet", "--out", "validation")
    assert "PASS" in (shell.folder / "validation" / "REPORT.md").read_text()


def test_a_small_discovery_finds_its_boxes(installed):
    _, bin_dir, shell = installed
    shell(bin_dir / "ijmond-discover", "samples=8", "replications=1", "out=discovery")
    assert len(pd.read_csv(shell.folder / "discovery" / "experiments.csv")) == 8 * 3


def test_uv_tool_install_gives_the_same_commands(installed):
    # kills: a wheel that works only through pip's own install (entry points, plugin discovery)
    wheel, _, shell = installed
    uv = shutil.which("uv", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if uv is None:
        pytest.skip("uv is not installed (pip install uv)")
    tools = shell.folder.parent / "uv"
    shell.env.update(UV_TOOL_DIR=str(tools / "tools"), UV_TOOL_BIN_DIR=str(tools / "bin"))
    shell(uv, "tool", "install", "--quiet", "--python", sys.executable, wheel)
    shell(tools / "bin" / "ijmond-sweep", *AD_HOC, "hydra.sweep.dir=uv_adhoc")
    assert len(pd.read_csv(shell.folder / "uv_adhoc" / "runs.csv")) == 8


def test_the_workshop_command_serves_the_dashboard_offline_without_npm(installed):
    # kills: the workshop extra or its front-end files missing (the page would wait for a CDN), or a
    # command that does not say where to point the browser
    _, bin_dir, shell = installed
    missing = browser_prerequisites_missing()
    if missing:
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**shell.env, "PATH": str(bin_dir)}  # the venv's commands only: no npm, no make
    server = subprocess.Popen([bin_dir / "ijmond-workshop", "--port", str(port)], cwd=shell.folder, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = server.stdout.readline()
        with shell.log.open("a") as log:
            log.write(f"$ ijmond-workshop --port {port}\n{line}\n")
        url = f"http://127.0.0.1:{port}/"
        assert f"open {url} in a browser" in line
        deadline = time.monotonic() + 180
        while True:  # the server answers once Solara has started: a condition, with a deadline
            try:
                with urllib.request.urlopen(url, timeout=10) as answer:
                    assert answer.status == 200
                    break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline and server.poll() is None, "the server never answered"
                time.sleep(0.2)
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            page = browser.new_page()
            guard = OffHostGuard().install(page)
            page.goto(url + "?lang=en")
            page.wait_for_selector("[data-testid=month]", timeout=120_000)
            guard.assert_clean()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
