"""Scenario sweeps (``ijmond-sweep``, ``ijmond-aggregate``): plan, replicate, store, aggregate, draw.

Data flows one way: the plan (:mod:`.plan`) names the scenario points; each
point's replications (:mod:`.replicate`) go into one checksummed results file
with provenance (:mod:`.store`, :mod:`.provenance`); the tables (:mod:`.tables`)
read those files, with confidence intervals (:mod:`.intervals`), and the
figures (:mod:`.figures`) read the tables.
"""
