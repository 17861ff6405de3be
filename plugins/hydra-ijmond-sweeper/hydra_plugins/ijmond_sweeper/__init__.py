"""The Hydra sweeper (``hydra/sweeper=ijmond``; its work is in ``ijmond_sim.sweep.engine``) and local pool
launcher (``hydra/launcher=ijmond_pool``) of ijmond-sim."""
