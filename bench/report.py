"""Progress lines while work runs, and the figures afterwards."""

from __future__ import annotations

import json
import os
import platform
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO


def say(line: str, out: TextIO | None = None) -> None:
    """Print a line now (on standard output unless ``out`` says otherwise)."""
    print(line, file=out, flush=True)


def say_table(columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]]) -> None:
    """A table of figures, two spaces in: each column is a title and the format of its values (``"<9"``,
    ``">8,"``, ``">8.2f"``); a title is aligned and padded as its column's values are."""
    say("  " + " ".join(format(title, _frame(spec)) for title, spec in columns))
    for row in rows:
        say("  " + " ".join(format(value, spec) for (_, spec), value in zip(columns, row, strict=True)))


def _frame(spec: str) -> str:
    """The alignment and width of a value's format (``>8,`` gives ``>8``): how its column's title is set."""
    found = re.match(r"[<>^]?\d*", spec)
    return found.group(0) if found else ""


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {"system": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count()}


def write_json(path: Path, figures: dict[str, Any]) -> None:
    """The run's figures as JSON, beside the machine they came from; says where."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"machine": machine(), **figures}, indent=2, ensure_ascii=False, default=str),
                    encoding="utf-8")
    say(f"figures written to {path}")


class Progress:
    """Counts events done; prints a line at most every ``every`` seconds (and at the end)."""

    def __init__(self, label: str, total: int, every: float = 2.0, out: TextIO | None = None) -> None:
        self.label = label
        self.out = out
        self.total = total
        self.every = every
        self.done = 0
        self.started = time.perf_counter()
        self._last = self.started

    def add(self, count: int) -> None:
        self.done += count
        now = time.perf_counter()
        if now - self._last >= self.every:
            self._last = now
            elapsed = now - self.started
            share = 100 * self.done / self.total if self.total else 100.0
            say(f"    … {self.label}: {self.done:,}/{self.total:,} events ({share:.0f}%), {elapsed:.1f}s", self.out)


@dataclass(frozen=True, slots=True)
class Figure:
    """One measurement: who, what, where, how many events in how many seconds."""

    system: str  # "ours", "ours-fast", "ours-read_log", "eventsourcing", "prop:…"
    phase: str  # "append" or "replay"
    backend: str  # "sqlite" or "postgres"
    events: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else float("inf")

    def line(self) -> str:
        return (f"  {self.system:<20} {self.phase:<7} {self.backend:<9} {self.events:>8,} events "
                f"{self.seconds:>8.2f} s {self.rate:>11,.0f} events/s")


class Figures:
    def __init__(self) -> None:
        self.items: list[Figure] = []

    def add(self, figure: Figure) -> Figure:
        self.items.append(figure)
        say(figure.line())
        return figure

    def get(self, system: str, phase: str, backend: str) -> Figure | None:
        for figure in self.items:
            if (figure.system, figure.phase, figure.backend) == (system, phase, backend):
                return figure
        return None

    def ratio(self, ours: str, phase: str, backend: str) -> float | None:
        mine = self.get(ours, phase, backend)
        theirs = self.get("eventsourcing", phase, backend)
        if mine is None or theirs is None:
            return None
        return mine.rate / theirs.rate

    def ratio_text(self, phase: str, backends: list[str], ours: str = "ours") -> str:
        parts = []
        for backend in backends:
            value = self.ratio(ours, phase, backend)
            parts.append(f"{backend} {'n/a' if value is None else f'{value:.2f}'}")
        return f"{phase} " + " ".join(parts)
