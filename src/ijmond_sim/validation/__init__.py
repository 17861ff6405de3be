"""Validation of the model against the report's patterns, and global sensitivity analysis.

``ijmond-validate`` runs the sweeps each pattern needs in-process, evaluates
every pattern with and without its mechanism (:mod:`.patterns`,
:mod:`.knockouts`) against the versioned criteria (:mod:`.criteria`), checks
the rules' arithmetic against analytic baselines (:mod:`.verification`),
screens and ranks the parameters with SALib (:mod:`.sensitivity`) and writes
``validation/REPORT.md`` with its figures (:mod:`.report`). Pattern-oriented
modelling: Grimm et al. (2005).
"""
