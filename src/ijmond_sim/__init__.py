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

from importlib.metadata import PackageNotFoundError, version

from ijmond_sim.api import Parameter, UnknownParameter, mean_outcomes, parameters, simulate
from ijmond_sim.model import RegionModel

try:
    __version__ = version("ijmond-sim")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

__all__ = ["Parameter", "RegionModel", "UnknownParameter", "__version__", "mean_outcomes", "parameters",
           "simulate"]
