"""A minimal LSP client for redhat's yaml-language-server (npm), the engine of VS Code's YAML
extension: open a file, get the diagnostics the editor would underline.

The schemas are written for this server (draft-07, its glob and date-time rules); the tests
ask it directly instead of trusting that another validator agrees with it.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import IO, Any

SERVER = (
    Path(__file__).resolve().parent.parent / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
)


class YamlLanguageServer:
    """One server process over stdio, settings as in .vscode/settings.json."""

    def __init__(self, root: Path, settings: dict[str, Any]) -> None:
        self.root = root
        self.settings = {"yaml": {"validate": True, "schemaStore": {"enable": False}, **settings}}
        self.process = subprocess.Popen(
            ["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()
        self.request("initialize", {
            "processId": None,
            "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": {"workspace": {"configuration": True},
                             "textDocument": {"publishDiagnostics": {}}},
        })  # fmt: skip
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            self.messages.put(json.loads(stream.read(length)))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self._send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self._next(30)
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")

    def _next(self, timeout: float) -> dict[str, Any]:
        message = self.messages.get(timeout=timeout)
        if "method" in message and "id" in message:  # the server asks: configuration, registrations
            result: Any = None
            if message["method"] == "workspace/configuration":
                result = [self._section(item.get("section")) for item in message["params"]["items"]]
            self._send({"id": message["id"], "result": result})
        return message

    def _section(self, name: str | None) -> Any:
        value: Any = self.settings
        for part in name.split(".") if name else []:
            value = value.get(part) if isinstance(value, dict) else None
        return value

    def diagnostics(self, files: dict[Path, str], settle: float = 2.0) -> dict[Path, list[dict[str, Any]]]:
        """What the editor underlines in each file (path → its text), opened all at once. The
        last diagnostics of each file count, once every file has some and the server is quiet."""
        uris = {path.resolve().as_uri(): path for path in files}
        for uri, path in uris.items():
            self.notify("textDocument/didOpen", {
                "textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": files[path]},
            })  # fmt: skip
        found: dict[Path, list[dict[str, Any]]] = {}
        deadline = time.monotonic() + 120
        last = time.monotonic()
        while time.monotonic() < deadline:
            try:
                message = self._next(0.2)
            except queue.Empty:
                if len(found) == len(uris) and time.monotonic() - last > settle:
                    break
                continue
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] in uris:
                found[uris[message["params"]["uri"]]] = message["params"]["diagnostics"]
                last = time.monotonic()
        for uri in uris:
            self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        self._drain(settle)  # closing publishes empty diagnostics: not for the next call to read
        if len(found) < len(uris):
            missing = sorted(str(path) for uri, path in uris.items() if path not in found)
            raise TimeoutError(f"yaml-language-server sent no diagnostics for {missing}")
        return found

    def _drain(self, quiet: float) -> None:
        while True:
            try:
                self._next(quiet)
            except queue.Empty:
                return

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(timeout=5)
        except Exception:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
