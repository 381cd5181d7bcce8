"""The dedup store: ids and validators persist in the SQLite file."""

from __future__ import annotations

from pathlib import Path

from data_core.news.fetch import Validators
from data_core.news.seen import SeenStore


def test_ids_survive_reopening_the_file(tmp_path: Path) -> None:
    db = tmp_path / "home" / "data_core" / "news.sqlite"
    with SeenStore(db) as seen:
        assert seen.unseen(["a", "b"]) == {"a", "b"}
        assert seen.mark([("a", "cn", 1), ("b", "cn", 2)], seen_ms=10) == 2
        assert seen.mark([("a", "cn", 1)], seen_ms=11) == 0
    with SeenStore(db) as seen:
        assert seen.unseen(["a", "b", "c"]) == {"c"}
        assert seen.count() == 2


def test_validators_round_trip_and_prune(tmp_path: Path) -> None:
    with SeenStore(tmp_path / "n.sqlite") as seen:
        assert seen.validators("cn") == Validators()
        seen.save_validators("cn", Validators('"abc"', "Tue, 05 Jul 2022 04:24:00 GMT"), 5)
        seen.save_validators("cn", Validators('"def"', None), 6)
        assert seen.validators("cn") == Validators('"def"', None)
        seen.mark([("old", "cn", 1)], seen_ms=100)
        seen.mark([("new", "cn", 1)], seen_ms=200)
        assert seen.prune(seen_before_ms=150) == 1
        assert seen.unseen(["old", "new"]) == {"old"}
