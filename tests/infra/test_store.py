"""What several formats of one build need is made once in it (builder/infra/store.py).

If this broke, a build would lay out the packs' 29 PDFs twice (the packs format and the Moodle room
kit) and take seconds longer, or two formats could get different bytes for the same document."""

from __future__ import annotations

import os
import time

from builder.infra.store import Store


def _make(log, name):
    def make():
        with open(log, "a", encoding="utf-8") as f:     # O_APPEND: one whole line per write
            f.write(f"{os.getpid()} {name}\n")
        time.sleep(0.02)
        return {"name": name, "bytes": name.encode() * 1000}
    return make


def test_two_processes_asking_for_the_same_values_make_each_once_and_get_the_same(tmp_path):
    """Two forked processes ask for the same ten values at the same moment: every value is made by
    exactly one of them, and both get equal values (the second reads what the first made)."""
    store, log, names = Store(tmp_path / "store"), tmp_path / "made.log", [f"doc-{i}" for i in range(10)]
    child = os.fork()
    if child == 0:
        try:
            got = store.get_many([(n, _make(log, n)) for n in names])
            os._exit(0 if [g["name"] for g in got] == names else 3)
        except BaseException:
            os._exit(4)
    got = store.get_many([(n, _make(log, n)) for n in names])
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert [g["name"] for g in got] == names and got[0]["bytes"] == b"doc-0" * 1000
    made = [line.split()[1] for line in log.read_text(encoding="utf-8").splitlines()]
    assert sorted(made) == sorted(names)


def test_a_value_is_made_once_in_one_process_and_read_back_the_same(tmp_path):
    """Asked twice, a value is made once; what comes back the second time equals the first."""
    store, log = Store(tmp_path / "store"), tmp_path / "made.log"
    first = store.get("a" * 5000, _make(log, "a"))
    again = store.get("a" * 5000, _make(log, "a"))
    assert first == again and log.read_text(encoding="utf-8").count("\n") == 1
