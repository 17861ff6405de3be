"""ijmond-sim's Hydra plugins: the sweeper ``ijmond`` and the launcher ``ijmond_pool``.

The sweeper's work is in ``ijmond_sim.sweep.engine``.
"""
