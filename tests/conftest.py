from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from bangfu_eval.pipeline import Outcome, run  # noqa: E402
from casekit import BASE  # noqa: E402


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current output"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def year2022() -> Outcome:
    return run(ROOT / "data" / "2022")


@pytest.fixture(scope="session")
def base_year() -> Outcome:
    return run(BASE)
