"""The Ray engine makes the same files as the local engine, on a local Ray cluster of 2 CPUs (replayed fixtures)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import brief_files
from summarizer.cli import app
from summarizer.errors import UsageError
from summarizer.settings import Settings
from summarizer.testing import FunctionProvider
from tests.conftest import SEEDS

ray = pytest.importorskip("ray", reason='the Ray engine is an extra: pip install -e ".[dev]" installs it')
pytestmark = pytest.mark.ray
runner = CliRunner()
M000 = Path(__file__).parent / "data" / "M000"


@pytest.fixture(scope="module", autouse=True)
def local_cluster() -> Iterator[None]:
    """One small local cluster for the module, shut down after it."""
    ray.init(num_cpus=2, include_dashboard=False, configure_logging=False, log_to_driver=False)
    yield
    ray.shutdown()


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_briefs_of_the_seeds_are_the_same_files_on_ray(tmp_path: Path) -> None:
    outputs = {}
    for engine in ("local", "ray"):
        result = runner.invoke(
            app, ["brief", "seeds/", "-o", str(tmp_path / engine), "--provider", "replay", "--engine", engine, "-q"]
        )
        assert result.exit_code == 0, result.stderr
        outputs[engine] = _files(tmp_path / engine)
    assert len(outputs["ray"]) == len(SEEDS)
    assert outputs["ray"] == outputs["local"]


def test_a_days_briefing_of_m000_is_the_same_on_ray(tmp_path: Path) -> None:
    briefings = {}
    for engine in ("local", "ray"):
        out = tmp_path / f"{engine}.md"
        result = runner.invoke(
            app,
            ["daily", str(M000), "-o", str(out), "--date", "2026-11-22", "--provider", "replay", "--no-cache", "-q"]
            + ["--engine", engine],
        )
        assert result.exit_code == 0, result.stderr
        briefings[engine] = out.read_text(encoding="utf-8")
    assert "## " in briefings["ray"] and briefings["ray"] == briefings["local"]


def test_the_ray_engine_reuses_the_brief_cache_the_local_engine_filled(tmp_path: Path) -> None:
    args = ["brief", str(SEEDS[0]), "-o", str(tmp_path), "--provider", "replay"]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, [*args, "--engine", "ray"])
    assert again.exit_code == 0, again.stderr
    assert "cached" in again.stderr


def test_a_provider_object_cannot_travel_to_ray_workers() -> None:
    provider = FunctionProvider(lambda request: {})
    with pytest.raises(UsageError, match="builds its provider on each worker"):
        list(brief_files([SEEDS[0]], provider=provider, settings=Settings(engine="ray")))
