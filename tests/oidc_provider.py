"""A real OpenID Connect provider for the tests: npm's oidc-provider run by Node on 127.0.0.1.

`OidcTestProvider(redirect_uris).start()` runs tests/oidc/provider.mjs (installing its npm package
on first use); `login(auth_url, email)` walks its own login and consent pages with plain HTTP, as
a browser would, and returns the redirect back to the app (with code and state). Skipped with a
message where Node.js or npm is missing, except on CI.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

HERE = Path(__file__).resolve().parent / "oidc"
CLIENT_ID = "warmeveranderen"
CLIENT_SECRET = "test-geheim"


def _need(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (the OpenID Connect tests must run on CI)")
    pytest.skip(f"{reason}: the single sign-on tests with a real OpenID Connect provider are skipped")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_installed() -> None:
    """`npm ci` in tests/oidc once; with pytest -n, one worker installs while the others wait (a file lock)."""
    import fcntl

    if not shutil.which("node") or not shutil.which("npm"):
        _need("Node.js and npm are not installed")
    with open(HERE / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (HERE / "node_modules" / "oidc-provider" / "package.json").is_file():
            result = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, capture_output=True,
                                    text=True, timeout=300)
            if result.returncode != 0:
                _need(f"npm could not install oidc-provider ({result.stderr.strip()[-200:]})")


class OidcTestProvider:
    def __init__(self, redirect_uris: list[str]):
        self.redirect_uris = redirect_uris
        self.port = _free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> OidcTestProvider:
        ensure_installed()
        import json

        env = {**os.environ, "PORT": str(self.port), "REDIRECT_URIS": json.dumps(self.redirect_uris),
               "CLIENT_SECRET": CLIENT_SECRET, "NODE_ENV": "test"}
        self.process = subprocess.Popen(["node", "provider.mjs"], cwd=HERE, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(self.issuer + "/.well-known/openid-configuration", timeout=1).ok:
                    return self
            except requests.ConnectionError:
                time.sleep(0.1)
            if self.process.poll() is not None:
                break
        output = self.process.stdout.read() if self.process.poll() is not None else ""
        self.stop()
        raise RuntimeError(f"the test OpenID Connect provider did not start: {output}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def login(self, auth_url: str, email: str) -> str:
        """Sign in as `email` on the provider's pages and consent; the URL it sends the browser back to."""
        http = requests.Session()
        url = auth_url
        for _step in range(12):
            response = http.get(url, allow_redirects=False, timeout=10)
            if response.is_redirect:
                target = urljoin(url, response.headers["Location"])
                if not target.startswith(self.issuer):
                    return target
                url = target
                continue
            form = re.search(r'<form[^>]*action="([^"]+)"', response.text)
            prompt = re.search(r'name="prompt" value="([^"]+)"', response.text)
            assert form and prompt, f"unexpected provider page: {response.status_code} {response.text[:300]}"
            data = {"prompt": prompt.group(1)}
            if prompt.group(1) == "login":
                data.update(login=email, password="wat-dan-ook")
            posted = http.post(urljoin(url, unescape(form.group(1))), data=data, allow_redirects=False, timeout=10)
            assert posted.is_redirect, posted.text[:300]
            url = urljoin(url, posted.headers["Location"])
        raise AssertionError("the provider's login did not end in a redirect back")
