"""`ntx bench` finds the repository's bench/ folder, and says where it lives when there is none."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from neurotradex.cli import bench as bench_cli
from neurotradex.cli.app import app

REPO = Path(__file__).resolve().parents[3]


def test_an_editable_install_finds_the_checkout_beside_its_source() -> None:
    assert bench_cli.checkout() == REPO
    assert bench_cli.harness("bus", REPO).__name__ == "bench.bus"


def test_a_folder_without_bench_is_no_checkout(tmp_path: Path) -> None:
    assert bench_cli.checkout((tmp_path,)) is None
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "__init__.py").write_text("")
    assert bench_cli.checkout((tmp_path / "elsewhere", tmp_path)) == tmp_path


def test_without_a_checkout_one_line_says_where_benchmarks_live(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bench_cli, "checkout", lambda: None)
    result = CliRunner().invoke(app, ["bench", "features", "--streams", "1"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "bench/ folder" in lines[0]
    assert "python -m bench.features" in lines[0]
    assert "Traceback" not in result.output
