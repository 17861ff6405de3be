"""ijmond-sim: an agent-based simulation of cooperation between the four IJmond councils.

Councils weigh local against regional interest and trust each other more or
less; under a governance rule they propose, decide on and carry out joint
initiatives on the region's opgaven (report "Kansenonderzoek IJmond", 2013).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ijmond-sim")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"
