"""Scenario discovery (``ijmond-discover``): which uncertainties make cooperation fail, per rule.

:mod:`.settings` reads ``conf/discover.yaml``; :mod:`.experiments` samples the
uncertainties and runs them through the sweep engine (resumable, in a pool of
workers if asked); :mod:`.analysis` applies PRIM
and feature scoring per governance rule; :mod:`.report` writes the tables,
figures and the answer; :mod:`.command` is the command line.
"""
