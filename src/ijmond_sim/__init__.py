"""ijmond-sim: an agent-based simulation of cooperation between the four IJmond councils.

Councils weigh local against regional interest and trust each other more or
less; under a governance rule they propose, decide on and carry out joint
initiatives on the region's opgaven (report "Kansenonderzoek IJmond", 2013).

The Python API (:mod:`ijmond_sim.api`)::

    import ijmond_sim
    runs = ijmond_sim.simulate(rule="binding", initial_trust=0.3, replications=10)
    ijmond_sim.mean_outcomes(runs)["completion_rate"]

``ijmond_sim.parameters()`` lists the uncertain parameters with their ranges;
``RegionModel(rule=..., initial_trust=...)`` works with ``mesa.batch_run``;
:mod:`ijmond_sim.ema` gives the model to EMA Workbench.
"""

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

# Where each name of the API lives; imported on first use (PEP 562), so that a tool that needs one
# module of the package (the sweep's figure process) does not wait for the model and Mesa to load.
_API = {**dict.fromkeys(("Parameter", "UnknownParameter", "mean_outcomes", "parameters", "simulate"),
                        "ijmond_sim.api"), "RegionModel": "ijmond_sim.model"}

try:
    __version__ = version("ijmond-sim")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

__all__ = ["Parameter", "RegionModel", "UnknownParameter", "__version__", "mean_outcomes", "parameters",
           "simulate"]


def __getattr__(name: str) -> Any:
    """The API's names, imported on first use."""
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ijmond_sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
