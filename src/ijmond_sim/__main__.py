"""``python -m ijmond_sim`` runs the same command as ``ijmond-sim``."""

from ijmond_sim.cli import main

main()
