"""The audit hook refuses reads under ../shared and fails the test that tried one."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from tests.data_paths import candle_file, data_dir
from tests.shared_guard import GUARD, REPO


def test_the_guard_watches_the_folder_beside_the_repository() -> None:
    assert GUARD.roots[0] == os.path.realpath(REPO.parent / "shared")
    assert data_dir() == REPO / "tests" / "fixtures" / "data"
    assert GUARD.forbidden(candle_file("BTC", "1h")) is None


def test_opening_under_a_forbidden_root_raises_and_is_recorded(tmp_path: Path) -> None:
    root = tmp_path / "shared"
    (root / "data" / "news").mkdir(parents=True)
    inside = root / "data" / "news" / "x.csv.gz"
    inside.write_bytes(gzip.compress(b"timestamp,title\n"))
    sideways = tmp_path / "link"
    sideways.symlink_to(root / "data")
    with GUARD.forbidding(root):
        for attempt in (
            lambda: gzip.open(inside, "rt"),  # noqa: SIM115 - it must fail
            lambda: open(sideways / "news" / "x.csv.gz", "rb"),  # noqa: SIM115 - it must fail
            lambda: os.listdir(root / "data"),
        ):
            with pytest.raises(PermissionError, match=r"tests must not read .*shared"):
                attempt()
        assert list((root / "data").glob("*")) == []  # pathlib swallows the error...
        touched = GUARD.take()  # ...but the guard has seen it
    assert touched == [str(inside), str(inside), str(root / "data"), str(root / "data")]
    assert gzip.decompress(inside.read_bytes()) == b"timestamp,title\n"  # free again
    assert GUARD.take() == []


def test_a_test_reading_under_the_root_fails_naming_the_path(pytester: pytest.Pytester) -> None:
    shared = pytester.path / "shared"
    (shared / "data").mkdir(parents=True)
    (shared / "data" / "a.csv").write_text("1\n")
    pytester.makeconftest(
        f"""
        import pytest
        from pathlib import Path
        from tests.shared_guard import GUARD

        pytest_plugins = ("tests.shared_guard",)  # the root conftest's plugin, as it is

        @pytest.fixture(autouse=True)
        def _fake_shared():
            with GUARD.forbidding(Path({str(shared)!r})):
                yield
        """
    )
    pytester.makepyfile(
        f"""
        def test_swallows_the_error():
            try:
                open({str(shared / "data" / "a.csv")!r}).read()
            except OSError:
                pass

        def test_reads_elsewhere(tmp_path):
            (tmp_path / "b").write_text("2")
            assert (tmp_path / "b").read_text() == "2"
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:asyncio")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([f"*test_swallows_the_error tried to read {shared}/data/a.csv*"])
