"""The drift of trust (``ijmond-dynamics``): is there a tipping point, and where?

:mod:`.settings` reads ``conf/dynamics.yaml``; :mod:`.runs` runs each rule
from every trust level after a burn-in, through the sweep engine;
:mod:`.drift` estimates the drift and finds its fixed points (pure functions);
:mod:`.figures` draws the drift curves and the bifurcation diagram;
:mod:`.command` is the command line. docs/dynamics.md says how to read them.
"""
