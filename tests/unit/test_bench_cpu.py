"""bench/cpu.py's accounting of a step's CPU (this process, its children, a server's
processes, the machine's idle share), and bench/tools.py's table of it against the CPU the
machine's cores give in the time a target allows."""

from __future__ import annotations

import multiprocessing
import os
import time

from bench.cpu import Spent, machine_ticks, measured, process_cpu
from bench.tools import cpu_table


def _burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def _burn_in_child(seconds: float) -> None:
    child = multiprocessing.get_context("fork").Process(target=_burn, args=(seconds,))
    child.start()
    child.join()


def test_this_process_cpu_is_counted_as_its_own() -> None:
    spent = measured(lambda: _burn(0.2))
    assert 0.15 <= spent.own <= spent.seconds + 0.05
    assert spent.children == 0.0 and spent.server == 0.0
    assert 0.0 <= spent.idle <= 1.0


def test_a_waited_for_child_counts_as_the_child() -> None:
    spent = measured(lambda: _burn_in_child(0.2))
    assert spent.children >= 0.15
    assert spent.own < 0.15  # the parent only waited


def test_a_server_process_is_counted_from_before_to_after() -> None:
    """A process named as the server's: its CPU during the step, not since it started."""
    _burn(0.1)  # CPU before the step, which must not count
    spent = measured(lambda: _burn(0.2), server_pids=lambda: [os.getpid()])
    assert 0.15 <= spent.server <= spent.seconds + 0.05
    assert spent.cpu == spent.own + spent.children + spent.server


def test_a_process_that_is_gone_counts_nothing() -> None:
    child = multiprocessing.get_context("fork").Process(target=_burn, args=(0.01,))
    child.start()
    child.join()
    assert process_cpu(child.pid) is None
    assert process_cpu(os.getpid()) is not None


def test_machine_ticks_grow_and_idle_is_part_of_them() -> None:
    idle, total = machine_ticks()
    _burn(0.05)
    idle_after, total_after = machine_ticks()
    assert total_after > total and 0 <= idle_after - idle <= total_after - total


def test_the_table_holds_cpu_against_what_the_target_allows() -> None:
    """50,000 events at 20,000/s allow 2.5 s: the cores' CPU in that time in all, and one
    core's to each process."""
    cores = os.cpu_count() or 1
    fits = Spent(seconds=3.0, own=1.4, children=0.5, server=0.5, idle=0.2)  # 2.4: one core's
    one_process_over = Spent(seconds=3.5, own=2.6, children=0.0, server=0.0, idle=0.5)
    all_over = Spent(seconds=3.5, own=2.5, children=2.5, server=0.1, idle=0.1)
    rows = [
        ("raw insert, 100 rows/tx", "postgresql", 1.0, None, None),
        ("import", "postgresql", 3.0, 1.0, fits),
        ("rebuild", "sqlite", 3.5, 0.2, one_process_over),
        ("import", "sqlite", 3.5, 0.2, all_over),
    ]
    body = [line for line in cpu_table(rows, 50_000).splitlines() if line.startswith("| ")]
    body = body[1:]  # the header
    assert len(body) == 3  # the baseline has no accounting
    cores_cpu = f"{cores * 2.5:.2f}"
    assert body[0].endswith(f"| 20% | 2.50 | {cores_cpu} | yes |")
    assert f"| {fits.cpu:.2f} |" in body[0]
    assert body[1].endswith(f"| 50% | 2.50 | {cores_cpu} | no |")
    expected = "yes" if all_over.cpu <= cores * 2.5 else "no"  # 5.1 s: over on two cores
    assert body[2].endswith(f"| 10% | 2.50 | {cores_cpu} | {expected} |")
