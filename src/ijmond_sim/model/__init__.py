"""The model: councils, opgaven, initiatives, trust and the governance rules, and nothing else.

Everything the simulation computes lives here; the rest of the package reads
a model (``run``, ``sweep``, ``dashboard``, ``validation``) or builds one from
config (``config``). The decision, trust and meeting rules are small pure
functions (:mod:`.decision`, :mod:`.trust`, :mod:`.meetings`); :mod:`.agents` and
:mod:`.model` are the Mesa frame around them.
"""

from typing import TYPE_CHECKING, Any

from ijmond_sim.model.scenario import Region, Scenario

if TYPE_CHECKING:
    from ijmond_sim.model.model import RegionModel

__all__ = ["Region", "RegionModel", "Scenario"]


def __getattr__(name: str) -> Any:
    """``RegionModel`` on first use: it imports Mesa (about 2 s), which planning a sweep does not need."""
    if name == "RegionModel":
        from ijmond_sim.model.model import RegionModel

        return RegionModel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
