"""`make run` on a clean clone in a temporary folder: the newcomer's first minute. It sets
up, initialises SQLite, prints the console's address and a first admin token, and serves
the console with the simulated hub running."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.test_api_serve import _free_port

ROOT = Path(__file__).resolve().parents[2]


def _lines(stream: object, into: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.put(line)


@pytest.mark.slow
def test_make_run_on_a_clean_clone_serves_the_console_with_a_first_admin_token(
    tmp_path: Path,
) -> None:
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("git and make are needed to clone and run")
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "clean"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUBPORT_", "VIRTUAL_ENV"))}
    port = _free_port()
    server = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=_lines, args=(server.stdout, lines), daemon=True)
    reader.start()
    seen: list[str] = []
    token = None
    try:
        deadline = time.monotonic() + 1200  # the first run installs the project
        while token is None and time.monotonic() < deadline and server.poll() is None:
            try:
                seen.append(lines.get(timeout=1).rstrip("\n"))
            except queue.Empty:
                continue
            if len(seen) > 1 and "with this token, shown once" in seen[-2]:
                token = seen[-1].strip()
        assert token, "\n".join(seen[-40:])
        assert f"http://127.0.0.1:{port}/console/" in "\n".join(seen)
        assert (clone / "var" / "hubport.db").exists()
        base = f"http://127.0.0.1:{port}"
        me = urllib.request.Request(f"{base}/api/me")
        me.add_header("Authorization", f"Bearer {token}")
        for _attempt in range(100):
            try:
                with urllib.request.urlopen(me, timeout=5) as answer:
                    assert json.loads(answer.read())["role"] == "admin"
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        else:
            raise AssertionError("the console did not answer:\n" + "\n".join(seen[-40:]))
        login = urllib.request.Request(
            f"{base}/console/login",
            data=urllib.parse.urlencode({"token": token}).encode(),
            method="POST",
        )

        class Keep(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: object, **kwargs: object) -> None:
                return None

        try:
            urllib.request.build_opener(Keep).open(login, timeout=10)
        except urllib.error.HTTPError as answer:
            with answer:
                assert answer.code == 303
                cookie = answer.headers["set-cookie"].split(";")[0]
        control = urllib.request.Request(f"{base}/console/control")
        control.add_header("Cookie", cookie)
        with urllib.request.urlopen(control, timeout=10) as answer:
            page = answer.read().decode()
        assert "Cranes along the rail" in page and page.count('data-crane="ARMG') == 4
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        reader.join(timeout=30)  # the pipe ends with the server
        if server.stdout is not None:
            server.stdout.close()
