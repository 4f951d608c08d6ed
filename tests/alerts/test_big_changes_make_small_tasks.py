"""A big import queues alert evaluation as several bounded tasks, covering every id once."""

from types import SimpleNamespace

from telly.alerts import receivers, tasks
from telly.catalog.signals import Changes


def _queued(monkeypatch, changes: Changes) -> list[dict]:
    payloads: list[dict] = []
    monkeypatch.setattr(receivers, "TASK_IDS", 3)
    recorder = SimpleNamespace(enqueue=payloads.append)
    monkeypatch.setattr(tasks, "evaluate_changes", recorder)
    receivers.on_changes("test", changes)
    return payloads


def test_ids_are_split_into_tasks_of_bounded_size(monkeypatch):
    changes = Changes(source="xmltv", airings=set(range(1, 8)), episodes={40, 41}, titles={9})
    payloads = _queued(monkeypatch, changes)
    assert len(payloads) == 3
    assert all(len(p[name]) <= 3 for p in payloads for name in ("airings", "episodes"))
    assert sorted(i for p in payloads for i in p["airings"]) == list(range(1, 8))
    assert sorted(i for p in payloads for i in p["episodes"]) == [40, 41]
    assert {p["source"] for p in payloads} == {"xmltv"}
    assert all("titles" not in p for p in payloads)  # alerts never read title ids


def test_changes_alerts_do_not_read_queue_nothing(monkeypatch):
    assert _queued(monkeypatch, Changes(source="imdb", titles={1, 2, 3, 4})) == []
