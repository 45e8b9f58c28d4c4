"""``python -m bench --pipeline``: what a user feels, a command in one service seen in another's read model.

The whole system runs as ``thidua up`` runs it (the embedded broker, four service processes, SQLite, loopback
only). A province of ``--blocs`` blocs of ten units is registered; then, step by step at rising steady rates,
bloc secretariats' final scores are sent to scoring (``POST …/blocs/{bloc}/years/{year}/scores``) and, for each,
the time is measured until the awards service's read model (``GET …/scores``, polled every ``POLL`` seconds)
shows it: scoring's unit of work, its relay, Kafka, awards' consumer and its read-model transaction.

Every step is bounded in count and time. A bloc-year is one aggregate: two commands on one bloc at once would
race for its version, so the generator keeps at most one command in flight per bloc (a province has many blocs;
a rate the blocs cannot carry shows as a shortfall of the rate achieved). A rate is *sustained* when the rate
achieved is at least 95% of the rate asked, no command failed, every command was seen, and p99 is under one
second. The services' peak resident memory (VmHWM) is printed beside the table. The last line is
``pipeline: p99 at 100 commands/s X ms; highest sustained rate R commands/s``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import gc
import io
import tempfile
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

from bench.report import say, write_json
from thidua_cli.client import Api
from thidua_cli.system import LocalSystem

PROVINCE = "BEN"
YEAR = 2025
UNITS_PER_BLOC = 10
POLL = 0.02
"""How often the awards read model is looked at: a latency is known to this much. Looking costs the awards service
a query and a page of every unit's score each time: every 10 ms, that alone tripled the p95 at 50 commands/s."""
SUSTAINED_P99 = 1.0
RATES = (50, 100, 200, 300, 400, 600, 800)


@dataclass
class Step:
    rate: int
    seconds: float
    sent: int = 0
    seen: int = 0
    failed: int = 0
    latencies: list[float] = field(default_factory=list)
    answers: list[float] = field(default_factory=list)
    """How long scoring took to answer each command that it accepted (the rest of a latency is the way to awards)."""
    sending_took: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def achieved(self) -> float:
        return self.sent / self.sending_took if self.sending_took else 0.0

    def percentile(self, share: float) -> float:
        """The latency below which ``share`` of the commands were seen; a command never seen counts as endless."""
        return _percentile(sorted(self.latencies) + [float("inf")] * (self.sent - len(self.latencies)), share)

    def answered(self, share: float) -> float:
        return _percentile(sorted(self.answers), share)

    @property
    def sustained(self) -> bool:
        return (self.achieved >= 0.95 * self.rate and self.failed == 0 and self.seen == self.sent
                and self.percentile(0.99) < SUSTAINED_P99)

    def line(self) -> str:
        def ms(value: float) -> str:
            return f"{value * 1000:>8.0f}" if value != float("inf") else "       ∞"

        return (f"  {self.rate:>5} /s asked {self.achieved:>7.1f} /s sent {self.sent:>6,} seen {self.seen:>6,} "
                f"failed {self.failed:>4}  p50 {ms(self.percentile(0.5))} ms  p95 {ms(self.percentile(0.95))} ms  "
                f"p99 {ms(self.percentile(0.99))} ms  (scoring answered: p50 {ms(self.answered(0.5)).strip()} ms)  "
                f"{'sustained' if self.sustained else 'NOT sustained'}")


def _percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return float("inf")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def registry_csv(blocs: int) -> bytes:
    """A province of ``blocs`` blocs of ten units each, in the registry's import format."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["unit_id", "unit_name", "unit_short_name", "unit_kind", "parent_unit_id", "unit_emails",
                     "bloc_id", "bloc_name", "bloc_kind", "bloc_decision_ref", "joined_on",
                     "membership_decision_ref"])
    for bloc in range(blocs):
        for unit in range(UNITS_PER_BLOC):
            writer.writerow([f"don-vi-{bloc}-{unit}", f"Đơn vị {unit + 1} của khối {bloc + 1}", "", "other", "",
                             "", f"khoi-{bloc}", f"Khối thi đua số {bloc + 1}", "khoi", f"QĐ {bloc + 1}/QĐ-BEN",
                             f"{YEAR}-01-01", ""])
    return out.getvalue().encode()


def units_of(bloc: int) -> list[str]:
    return [f"don-vi-{bloc}-{unit}" for unit in range(UNITS_PER_BLOC)]


async def set_up(system: LocalSystem, token: str, blocs: int) -> None:
    registry, scoring = Api(system.urls["registry"], token), Api(system.urls["scoring"], token)
    base = f"/provinces/{PROVINCE}"
    try:
        await registry.post(f"{base}/registration", {"name": "Tỉnh đo thử"})
        await registry.upload(f"{base}/imports", registry_csv(blocs), "text/csv")
        deadline = time.monotonic() + 120
        for bloc in range(blocs):
            while len((await scoring.get(f"{base}/blocs/khoi-{bloc}/years/{YEAR}/scoreboard"))["members"]) \
                    < UNITS_PER_BLOC:
                if time.monotonic() > deadline:
                    raise TimeoutError("scoring did not learn the blocs' members from the registry in 120 s")
                await asyncio.sleep(0.2)
    finally:
        await registry.close()
        await scoring.close()


class Pipeline:
    """Sends scores at a steady rate and watches the awards read model for each."""

    def __init__(self, system: LocalSystem, token: str, blocs: int) -> None:
        self.system = system
        self.blocs = blocs
        self.headers = {"Authorization": f"Bearer {token}"}
        self.base = f"/provinces/{PROVINCE}"
        self.count: dict[str, int] = {}
        """The number of scores sent to each unit so far: its n-th score totals n points, so the read model's
        total says which of the unit's commands it reflects."""
        self.waiting: dict[str, deque[tuple[int, float]]] = {}
        self.all_seen = asyncio.Event()

    async def step(self, rate: int, seconds: float, drain_seconds: float = 15.0) -> Step:
        step = Step(rate, seconds)
        free: deque[int] = deque(range(self.blocs))
        next_unit = dict.fromkeys(range(self.blocs), 0)
        bloc_free = asyncio.Condition()
        limits = httpx.Limits(max_connections=self.blocs, max_keepalive_connections=self.blocs)
        async with httpx.AsyncClient(base_url=self.system.urls["scoring"], headers=self.headers, timeout=30,
                                     limits=limits) as scoring, \
                httpx.AsyncClient(base_url=self.system.urls["awards"], headers=self.headers, timeout=30) as awards:
            watching = asyncio.create_task(self._watch(awards, step))

            async def send(bloc: int) -> None:
                unit = units_of(bloc)[next_unit[bloc] % UNITS_PER_BLOC]
                next_unit[bloc] += 1
                number = self.count.get(unit, 0) + 1
                self.count[unit] = number
                sent_at = time.perf_counter()
                self.waiting.setdefault(unit, deque()).append((number, sent_at))
                try:
                    answer = await scoring.post(f"{self.base}/blocs/khoi-{bloc}/years/{YEAR}/scores",
                                                json={"unit_id": unit, "breakdown": {"tong": float(number)}})
                    failure = "" if answer.status_code == 201 else f"{answer.status_code} {answer.text[:200]}"
                    step.answers.append(time.perf_counter() - sent_at)
                except httpx.HTTPError as error:
                    failure = repr(error)
                if failure:  # nothing to wait for (the bloc's next command is sent only after this one)
                    step.failed += 1
                    step.failures.append(failure)
                    self.waiting[unit].remove((number, sent_at))
                async with bloc_free:
                    free.append(bloc)
                    bloc_free.notify()

            started = time.perf_counter()
            sending: set[asyncio.Task[None]] = set()
            for index in range(int(rate * seconds)):
                delay = started + index / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                async with bloc_free:
                    await bloc_free.wait_for(lambda: bool(free))
                    bloc = free.popleft()
                task = asyncio.create_task(send(bloc))
                sending.add(task)
                task.add_done_callback(sending.discard)
                step.sent += 1
            step.sending_took = max(time.perf_counter() - started, seconds)
            if sending:
                await asyncio.wait(sending)
            self.all_seen.clear()  # the watcher sets it again at its next look if nothing is waiting
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.all_seen.wait(), drain_seconds)
            watching.cancel()
            await asyncio.gather(watching, return_exceptions=True)
        self.waiting.clear()  # what is left was never seen: it counts as endless in the percentiles
        return step

    async def _watch(self, awards: httpx.AsyncClient, step: Step) -> None:
        while True:
            answer = await awards.get(f"{self.base}/scores")
            now = time.perf_counter()
            for row in answer.json():
                waiting = self.waiting.get(row["unit_id"])
                while waiting and waiting[0][0] <= row["total"]:
                    _, sent_at = waiting.popleft()
                    step.latencies.append(now - sent_at)
                    step.seen += 1
            if not any(self.waiting.values()):
                self.all_seen.set()
            await asyncio.sleep(POLL)


def peak_memory(system: LocalSystem) -> dict[str, float]:
    """Each service process's resident memory high-water mark (VmHWM), in MB; empty where /proc is missing."""
    peaks: dict[str, float] = {}
    processes = {**system.processes}
    for name, process in processes.items():
        status = Path(f"/proc/{process.pid}/status")
        if not status.exists():
            continue
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks[name] = int(line.split()[1]) / 1024
    return peaks


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench --pipeline", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pipeline", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rates", default=",".join(map(str, RATES)),
                        help="the steady rates to try, in commands/s, lowest first (stops at the first not sustained "
                             "above 200)")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long each rate is sent")
    parser.add_argument("--blocs", type=int, default=60, help="blocs of ten units in the province")
    parser.add_argument("--json", type=Path, default=Path("bench/results/pipeline.json"),
                        help="where the figures are written")
    return parser.parse_args(argv)


async def run(options: argparse.Namespace) -> list[Step]:
    with tempfile.TemporaryDirectory(prefix="thidua-pipeline-") as folder:
        system = LocalSystem(Path(folder), PROVINCE, log_level="WARNING")
        say(f"pipeline: starting the system (embedded broker, four services) in {folder}")
        await system.start(progress=False)
        try:
            token = await system.issue_token("admin")
            say(f"pipeline: registering {options.blocs} blocs of {UNITS_PER_BLOC} units")
            await set_up(system, token, options.blocs)
            pipeline = Pipeline(system, token, options.blocs)
            gc.collect()
            gc.freeze()  # the generator's own full collections would show as latency (see runtime.settle_heap)
            say("pipeline: warming up (20 commands/s for 2 s)")
            await pipeline.step(20, 2)
            steps: list[Step] = []
            for rate in (int(rate) for rate in options.rates.split(",")):
                say(f"    … {rate} commands/s for {options.seconds:g} s")
                step = await pipeline.step(rate, options.seconds)
                steps.append(step)
                say(step.line())
                for failure in step.failures[:3]:
                    say(f"      failed: {failure}")
                if not step.sustained and rate >= 200:
                    break
            memory = peak_memory(system)
            say("peak resident memory: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in memory.items()))
            write_figures(options.json, steps, memory)
            return steps
        finally:
            system.stop()


def write_figures(path: Path, steps: list[Step], memory: dict[str, float]) -> None:
    write_json(path, {
        "steps": [{**{key: value for key, value in asdict(step).items()
                      if key not in ("latencies", "answers")},
                   "achieved": step.achieved, "p50_ms": step.percentile(0.5) * 1000,
                   "p95_ms": step.percentile(0.95) * 1000, "p99_ms": step.percentile(0.99) * 1000,
                   "answered_p50_ms": step.answered(0.5) * 1000,
                   "sustained": step.sustained} for step in steps],
        "peak_rss_mb": memory})


def summary(steps: list[Step]) -> str:
    at_100 = next((step for step in steps if step.rate == 100), None)
    p99 = f"{at_100.percentile(0.99) * 1000:.0f} ms" if at_100 else "not measured"
    sustained = [step.rate for step in steps if step.sustained]
    highest = f"{max(sustained)} commands/s" if sustained else "none of the rates tried"
    return f"pipeline: p99 at 100 commands/s {p99}; highest sustained rate {highest}"


def main(argv: list[str]) -> int:
    options = parse(argv)
    steps = asyncio.run(run(options))
    say(summary(steps))
    return 0
