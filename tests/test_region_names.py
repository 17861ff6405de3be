"""A sweep's answer and figure titles name the region from its file, not IJmond by default."""

from __future__ import annotations

import pandas as pd

import ijmond_sim
from ijmond_sim.sweep import figures, plan, store, tables


def write_job(folder, name, region_file, region_name):
    store.write(folder / "jobs" / name / store.FILENAME,
                {"kind": "job results", "key": f"region={region_file}",
                 "provenance": {"config": {"region": {"name": region_name}}}})


def test_the_region_name_comes_from_the_results_one_per_region_on_the_axis(tmp_path):
    points = tuple(plan.Point(key=f"region={r}", scenario={"region": r}, base_seed=42, replications=1,
                              fingerprint="f") for r in ("zaan", "kennemerland"))
    write_job(tmp_path, "a", "zaan", "Zaanstreek")
    write_job(tmp_path, "b", "kennemerland", "Zuid-Kennemerland")
    assert tables.region_names(tmp_path, plan.Plan("test", ("region",), points)) == \
        "Zaanstreek, Zuid-Kennemerland"
    assert tables.region_names(tmp_path, plan.Plan("test", ("trust.initial",), points[:1])) == "Zaanstreek"
    (tmp_path / "jobs" / "a" / store.FILENAME).write_text("damaged")
    assert tables.region_names(tmp_path, plan.Plan("test", ("region",), points)) == "Zuid-Kennemerland"


def test_the_question_and_every_figure_title_name_the_region(tmp_path, monkeypatch):
    assert "are Zaanstreek's initiatives completed?" in tables.question("Zaanstreek")
    assert "IJmond" not in tables.question("Zaanstreek")
    axes = ["governance", "trust.initial"]
    runs = pd.DataFrame([{"governance": rule, "trust.initial": x, **run}
                         for rule in ("optional", "binding") for x in (0.2, 0.8)
                         for run in ijmond_sim.simulate(rule=rule, initial_trust=x, replications=2, years=2,
                                                        uitgeest_outside_option=0.6)])
    drawn = []
    monkeypatch.setattr(figures, "save", lambda fig, stem: drawn.append(fig) or [stem.with_suffix(".pdf")])
    figures.draw_all(runs, tables.summarise(runs, axes), axes, tmp_path, region="Zaanstreek")
    assert len(drawn) >= 3
    titles = [fig.get_suptitle() for fig in drawn]
    assert all(title.startswith("Zaanstreek: ") for title in titles), titles
