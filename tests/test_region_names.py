"""A sweep's answer and figure titles name the region from its file, not IJmond by default."""

from __future__ import annotations

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


def test_the_question_and_titles_name_the_region():
    assert "are Zaanstreek's initiatives completed?" in tables.question("Zaanstreek")
    assert "IJmond" not in tables.question("Zaanstreek")
    assert figures._titled("Zaanstreek", "Trust over time") == "Zaanstreek: Trust over time"
