"""A whole hub in separate processes on this machine, as it runs in production: a
Mosquitto broker of its own, ``hubport serve``, ``hubport operate`` (one or more, on one
store) and a ``hubport crane-sim`` per crane. For the end-to-end tests and the runtime
benchmark: each process can be killed (``kill -9``) and started again."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from hubport.twin.client import HttpHubClient

HUBPORT = [sys.executable, "-m", "hubport.entrypoints"]
CRANES = ("ARMG1", "ARMG2", "ARMG3", "ARMG4")
ROLES = ("railway", "gate", "operator", "customs", "viewer", "billing")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def mosquitto_binary() -> str | None:
    found = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    return found if Path(found).exists() else None


@dataclass
class Stage:
    """The processes of one hub; ``start`` brings them up, ``stop`` takes all down."""

    directory: Path
    speed: float = 60.0
    database_url: str | None = None
    start_at: str | None = None
    processes: dict[str, subprocess.Popen[str]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    mqtt_port: int = 0
    api_port: int = 0

    @property
    def env(self) -> dict[str, str]:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("HUBPORT_")}
        environment.update(
            HUBPORT_DATA_DIR=str(self.directory / "var"),
            HUBPORT_MQTT_URL=f"mqtt://127.0.0.1:{self.mqtt_port}",
            COLUMNS="120",
        )
        if self.database_url is not None:
            environment["HUBPORT_DATABASE_URL"] = self.database_url
        return environment

    def run_unchecked(self, *args: str) -> subprocess.CompletedProcess[str]:
        """A ``hubport`` command to its end, whatever its exit status."""
        return subprocess.run(
            [*HUBPORT, *args], env=self.env, capture_output=True, text=True, timeout=300
        )

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """A ``hubport`` command to its end (an error names what it printed)."""
        done = self.run_unchecked(*args)
        if done.returncode != 0:
            raise RuntimeError(f"hubport {' '.join(args)} failed: {done.stderr}{done.stdout}")
        return done

    def spawn(self, name: str, *args: str) -> subprocess.Popen[str]:
        with (self.directory / f"{name}.log").open("w") as log:  # the child keeps its own
            process = subprocess.Popen(
                [*HUBPORT, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT, text=True
            )
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.directory / f"{name}.log").read_text()

    # -- the parts ----------------------------------------------------------------------

    def start_broker(self) -> None:
        binary = mosquitto_binary()
        if binary is None:
            raise RuntimeError("the mosquitto binary is not installed")
        self.mqtt_port = free_port()
        config = self.directory / "mosquitto.conf"
        config.write_text(f"listener {self.mqtt_port} 127.0.0.1\nallow_anonymous true\n")
        self.processes["mosquitto"] = subprocess.Popen(  # type: ignore[assignment]
            [binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._wait_for(self.mqtt_port, "mosquitto")

    def start_store(self) -> None:
        self.run("init")
        for role in ROLES:
            added = json.loads(
                self.run("user", "add", f"the-{role}", "--role", role, "--json").stdout
            )
            self.tokens[role] = added["token"]

    def start_server(self) -> None:
        self.api_port = free_port()
        self.spawn("serve", "serve", "--port", str(self.api_port))
        self._wait_for(self.api_port, "serve")

    def start_cranes(self, cranes: tuple[str, ...] = CRANES) -> None:
        for crane in cranes:
            self.spawn(crane, "crane-sim", "--crane", crane, "--speed", f"{self.speed:g}")

    def start_runtime(self, name: str = "operate") -> subprocess.Popen[str]:
        args = ["operate", "--equipment", "mqtt", "--speed", f"{self.speed:g}"]
        if self.start_at is not None:
            args += ["--start", self.start_at]
        return self.spawn(name, *args)

    def start(self) -> HttpHubClient:
        """Broker, store and users, server, cranes and one runtime."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self.start_broker()
        self.start_store()
        self.start_server()
        self.start_cranes()
        self.start_runtime()
        return self.client()

    def client(self) -> HttpHubClient:
        return HttpHubClient(f"http://127.0.0.1:{self.api_port}", self.tokens)

    def kill(self, name: str) -> None:
        """``kill -9``: no goodbye, no clean-up."""
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    def stop(self) -> None:
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                process.send_signal(signal.SIGINT if name in CRANES else signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        self.processes.clear()

    def _wait_for(self, port: int, name: str, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        while not answers(port):
            process = self.processes.get(name)
            if process is not None and process.poll() is not None:
                raise RuntimeError(
                    f"{name} stopped at start: {self.log(name) if name != 'mosquitto' else ''}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} does not answer on port {port}")
            time.sleep(0.1)


__all__ = ["CRANES", "Stage", "free_port", "mosquitto_binary"]
