"""The package keeps the funnel's public API and stays free of Django."""

import subprocess
import sys

import tremplin.engine.indicators as indicators
from tremplin.engine.indicators import STAGES, CandidacyFacts, Funnel, funnels
from tremplin.engine.indicators import funnel as funnel_module


def test_funnel_api_is_re_exported_unchanged():
    assert (CandidacyFacts, Funnel, funnels, STAGES) == (
        funnel_module.CandidacyFacts,
        funnel_module.Funnel,
        funnel_module.funnels,
        funnel_module.STAGES,
    )
    assert sorted(indicators.__all__) == sorted(set(indicators.__all__))
    assert all(hasattr(indicators, name) for name in indicators.__all__)


def test_importing_the_indicators_loads_no_django():
    code = (
        "import sys, tremplin.engine.indicators; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
