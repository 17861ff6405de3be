"""The test run treats deprecation and future warnings (Mesa's among them) as errors."""

import mesa
import pytest


def test_a_mesa_future_warning_fails_the_test_run():
    with pytest.raises(FutureWarning, match="rng"):
        mesa.Model(seed=1)  # deprecated in Mesa 3.5 in favour of rng=
