"""One run from the command line (``ijmond-sim``): what a run measured and the files it writes."""
