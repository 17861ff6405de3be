"""The Hydra sweeper of ijmond-sim (``hydra/sweeper=ijmond``); its work is in ``ijmond_sim.sweep.engine``."""
