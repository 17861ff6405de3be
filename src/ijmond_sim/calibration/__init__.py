"""Calibration as a procedure: pattern-oriented search of the uncertain parameters (``ijmond-calibrate``).

The bands (``calibration/bands.yaml``) are fixed and committed before the runs;
:mod:`.bands` reads them and computes the patterns' statistics, :mod:`.search`
draws and runs the parameter sets, :mod:`.report` writes ``REPORT.md`` and
:mod:`.command` is the command line.
"""
