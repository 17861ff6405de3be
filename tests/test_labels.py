"""The dashboard's words: every phase, outcome and IJmond opgave has Dutch and English.

A governance rule without words here falls back to its own label with a warning
(tests/test_dashboard_parts.py), so adding a rule never fails this file.
"""

import pytest

from ijmond_sim.dashboard.labels import LABELS, LANGUAGES, label
from ijmond_sim.model.initiative import Phase, StrandReason

IJMOND_OPGAVEN = ("economy", "air_quality", "mobility", "housing", "facilities",
                  "environmental_service")


def test_every_entry_has_every_language():
    for key, entry in LABELS.items():
        for lang in LANGUAGES:
            assert entry.get(lang), f"{key} has no {lang} text"


@pytest.mark.parametrize("key", [f"phase.{p.value}" for p in Phase]
                         + [f"reason.{r.value}" for r in StrandReason]
                         + [k for k in LABELS if k.startswith(("rule.", "rule_short."))]
                         + [f"opgave.{o}" for o in IJMOND_OPGAVEN])
def test_model_words_are_translated(key):
    assert key in LABELS
    assert label(key, "nl") != label(key, "en") or key.startswith("opgave.")


def test_label_fills_fields_and_falls_back():
    assert "abc" in label("error_seed_text", "en", value="abc")
    assert label("no such key", "nl", default="fallback") == "fallback"
    assert label("title", "fr") == label("title", "nl")
