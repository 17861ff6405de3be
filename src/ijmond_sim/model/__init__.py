"""The model: councils, opgaven, initiatives, trust and the governance rules, and nothing else.

Everything the simulation computes lives here; the rest of the package reads
a model (``run``, ``sweep``, ``dashboard``, ``validation``) or builds one from
config (``config``). The decision, trust and meeting rules are small pure
functions (:mod:`.decision`, :mod:`.trust`, :mod:`.meetings`); :mod:`.agents` and
:mod:`.model` are the Mesa frame around them.
"""

from ijmond_sim.model.model import RegionModel
from ijmond_sim.model.scenario import Region, Scenario

__all__ = ["Region", "RegionModel", "Scenario"]
