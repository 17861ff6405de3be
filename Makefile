# The verbs of ijmond-sim. `make run` and `make test` set up everything they need first.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The first interpreter on PATH that is Python 3.12 or newer (pyenv reads .python-version).
PYTHON_BOOT ?= $(shell for p in python3.12 python3.13 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then echo $$p; break; fi; done)
export OMP_NUM_THREADS ?= 1
export SOLARA_TELEMETRY_MIXPANEL_ENABLE ?= False
PORT ?= 8765

.PHONY: help setup setup-dashboard setup-test run one-run sweep aggregate test test-slow slurm-test lint workshop bench validate calibrate dynamics mutation room clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

# The Hydra plugins (plugins/hydra_plugins/) ship in ijmond-sim's own wheel. Hydra finds plugins only by
# walking the hydra_plugins namespace package's folders, which an editable install hides from it: the
# development install adds the folder plugins/ to the venv's path with a .pth file of its own.
$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON_BOOT)" || { echo "Python 3.12 or newer is needed (none found on PATH)"; exit 1; }
	$(PYTHON_BOOT) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	$(BIN)/pip uninstall --quiet --yes hydra-ijmond-sweeper 2>/dev/null || true  # the plugins' former package
	$(BIN)/python -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_path("purelib"), \
		"ijmond_sim_hydra_plugins.pth").write_text("$(CURDIR)/plugins\n")'
	touch $@

setup: $(VENV)/.installed  ## create .venv and install the package

setup-dashboard: setup  ## the dashboard's packages, its front-end assets (offline), Playwright, Chromium
	scripts/install_frontend.sh $(VENV)

setup-test: setup setup-dashboard  ## everything the tests need

run: setup  ## the main job: the governance_comparison sweep (1,650 runs) into results/governance_comparison/
	$(BIN)/ijmond-sweep experiment=governance_comparison

one-run: setup  ## one default IJmond run (optional cooperation, ten years)
	$(BIN)/ijmond-sim

EXPERIMENT ?= governance_comparison
LAUNCHER ?= basic
sweep: setup  ## any experiment: make sweep EXPERIMENT=trust_asymmetry [LAUNCHER=parallel]; see docs/experiments.md
	$(BIN)/ijmond-sweep experiment=$(EXPERIMENT) hydra/launcher=$(LAUNCHER)

SWEEP ?= results/$(EXPERIMENT)
aggregate: setup  ## tables and figures of a sweep folder again: make aggregate SWEEP=results/outside_option
	$(BIN)/ijmond-aggregate $(SWEEP)

test: setup-test  ## the default test run, one worker per core (pytest-xdist, a module's tests on one worker so its fixtures run once); then the wheel from a clean venv and the citation
	$(BIN)/python -m pytest -m "not slow" -n auto --dist loadscope
	$(BIN)/python -m pytest -m slow tests/test_wheel.py tests/test_citation.py

test-slow: setup-test  ## the slow, thorough checks
	$(BIN)/python -m pytest -m slow

slurm-test: setup  ## the headline sweep and the fast validation on a real one-node Slurm cluster here (root; apt-get install slurm-wlm munge)
	scripts/slurm_local.sh start
	$(BIN)/python -m pytest -m slow tests/test_slurm.py -v

validate: setup  ## the full validation: patterns, knockouts, verification, sensitivity (15-20 min of CPU; VALIDATE_ARGS="--launcher parallel --workers 2"): validation/REPORT.md
	$(BIN)/ijmond-validate --report $(VALIDATE_ARGS)

CALIBRATE_ARGS ?= --workers 2
calibrate: setup  ## the ABC-SMC calibration (hours on 2 cores; run again to continue a stopped one): calibration/REPORT.md; docs/calibration.md
	$(BIN)/ijmond-calibrate $(CALIBRATE_ARGS)

DYNAMICS_ARGS ?=
dynamics: setup  ## the drift of trust and its fixed points per rule, and the bifurcation diagram (minutes; DYNAMICS_ARGS="--launcher parallel --workers 2"): docs/dynamics/
	nice -n 10 $(BIN)/ijmond-dynamics out=docs/dynamics runs_dir=results/dynamics/runs $(DYNAMICS_ARGS)

mutation: setup  ## mutation testing of the model core with mutmut (minutes to an hour on 2 cores; not in `make test`): docs/mutation.md
	$(BIN)/pip install --quiet -e ".[test,mutation]"
	rm -rf mutants
	nice -n 10 $(BIN)/mutmut run || true
	$(BIN)/mutmut export-cicd-stats && cat mutants/mutmut-cicd-stats.json && echo
	$(BIN)/mutmut results

REGIONS ?=
workshop: setup-dashboard  ## the workshop dashboard on http://127.0.0.1:8765 (PORT=...; REGIONS=dir[:dir] adds region folders; works offline)
	IJMOND_REGIONS="$(REGIONS)" $(BIN)/ijmond-workshop --host 127.0.0.1 --port $(PORT)

ROOM_HOST ?= 127.0.0.1
ROOM_TOKEN ?=
room: setup-dashboard  ## participatory rooms on http://127.0.0.1:8765/?token=... (printed at start); ROOM_HOST=0.0.0.0 for phones (docs/workshop.md)
	IJMOND_ROOM_TOKEN="$(ROOM_TOKEN)" $(BIN)/ijmond-room --host $(ROOM_HOST) --port $(PORT)

bench: setup  ## speed benchmarks (about 15 minutes), appended to benchmarks/results/results.csv, printed to benchmarks/results/last_run.txt; docs/benchmarks.md
	set -o pipefail; $(BIN)/python benchmarks/run.py | tee benchmarks/results/last_run.txt

lint: setup  ## ruff
	$(BIN)/ruff check src tests conf

clean:  ## remove the virtual environment and outputs
	rm -rf $(VENV) outputs multirun mutants
