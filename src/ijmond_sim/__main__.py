"""``python -m ijmond_sim`` runs the same command as ``ijmond-sim``."""

from ijmond_sim.run.command import main

main()
