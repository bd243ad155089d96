"""The preview's web server: the shell page, its LMS script, the build status and the served build.

It binds to 127.0.0.1 only and answers only requests addressed to it by that name (or
localhost), so neither another machine nor a web page using DNS rebinding can read the course
being edited. Nothing is used without asking: the course's files are revalidated on every request
(ETag), everything else is never stored.
"""

from __future__ import annotations

import functools
import json
import os
import stat
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from builder.render.templating import environment
from builder.preview.rebuild import Rebuilder
from builder.formats.scorm.editions import SCORM12, Edition
from builder.preview.texts import language, texts

HOST = "127.0.0.1"
COURSE = "/course/"
LMS_SCRIPT = Path(__file__).parent / "preview-lms.js"


def editor_link() -> str:
    """"vscode" when the preview runs in VS Code's terminal or VS Code is the editor in $VISUAL/$EDITOR:
    then the overlay's «Open in VS Code» link works. Elsewhere a vscode:// link opens nothing (or asks to
    install VS Code), so the overlay offers only the file's path to copy (like Vite's overlay, which opens
    files through the editor it finds, never a fixed one)."""
    if os.environ.get("TERM_PROGRAM") == "vscode":
        return "vscode"
    for name in ("VISUAL", "EDITOR"):
        program = os.environ.get(name, "").split(" ")[0]
        if Path(program).stem.lower() in ("code", "code-insiders"):
            return "vscode"
    return ""


def render_shell(edition: Edition, storage_key: str) -> bytes:
    ui = texts()
    version = edition.version
    config = {"version": version, "api": edition.api, "limit": edition.suspend_limit, "storageKey": storage_key,
              "course": COURSE, "strings": ui, "editorLink": editor_link()}
    return environment(Path(__file__).parent / "templates").get_template("shell.html").render(
        ui=ui, version=version, config=config, language=language()).encode("utf-8")


class Handler(SimpleHTTPRequestHandler):
    preview: "Preview"

    def do_GET(self):  # noqa: N802 (http.server API)
        if not self._addressed_to_us():
            return
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            return self._send(render_shell(self.preview.edition, self.preview.storage_key), "text/html; charset=utf-8")
        if path == "/__preview/status":
            # ?after=N waits (up to 20 s) for a build later than attempt N: the shell hears of it at once.
            query = parse_qs(urlsplit(self.path).query)
            after = int(query["after"][0]) if query.get("after", [""])[0].isdigit() else -1
            state = self.preview.rebuilder.state(after, 20.0 if after >= 0 else 0.0)
            return self._send(json.dumps(state).encode(), "application/json")
        if path == "/__preview/lms.js":
            return self._send(LMS_SCRIPT.read_bytes(), "text/javascript; charset=utf-8")
        if path == "/favicon.ico":
            self.send_response(204)
            return self.end_headers()
        current = self.preview.rebuilder.current
        if path.startswith(COURSE) and current is not None:
            inner = unquote(path[len(COURSE) - 1:])
            if "\x00" in inner or "\\" in inner or any(part == ".." for part in inner.split("/")):
                return self.send_error(400, "a path inside the course may not contain NUL, backslashes or '..'")
            try:
                return self._send_course_file(current, inner)    # the build of this moment, even if a newer one lands
            except (OSError, ValueError):           # a name the file system refuses (too long, not text)
                return self.send_error(404)
        self.send_error(404)

    def _send_course_file(self, build: Path, inner: str) -> None:
        """A file of the build, revalidated on every request: its ETag is its inode, size and time,
        and a file a rebuild left as it was is a hard link to the same inode, so after a save the
        browser fetches the changed pages and gets «304 Not Modified» for the stylesheets, scripts
        and pictures (a reload of the page on screen re-downloaded all of them)."""
        path = os.path.join(build, inner.lstrip("/"))
        if inner.endswith("/"):
            path = os.path.join(path, "index.html")
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return self.send_error(404)
        etag = f'"{st.st_ino:x}-{st.st_size:x}-{st.st_mtime_ns:x}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            return self.end_headers()
        with open(path, "rb") as f:
            body = f.read()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self):  # noqa: N802
        self.send_error(405)

    def _addressed_to_us(self) -> bool:
        port = self.server.server_address[1]
        if self.headers.get("Host", "") in (f"{HOST}:{port}", f"localhost:{port}"):
            return True
        self.send_error(403, "the preview answers only on " + f"http://{HOST}:{port}/")
        return False

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self):
        # The shell and the status are never kept; the course's files are kept but asked again each time.
        self.send_header("Cache-Control", "no-cache" if urlsplit(self.path).path.startswith(COURSE) else "no-store")
        super().end_headers()

    def log_message(self, *args):
        pass                                        # the terminal is for build results, not for every request


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser that goes away mid-response, or a request we cannot parse: one line, never a traceback.
        import sys
        err = sys.exc_info()[1]
        if not isinstance(err, (ConnectionError, TimeoutError)):
            from builder.messages import tr
            print(tr(f"preview: a request from {client_address[0]} failed ({err!r})"), file=sys.stderr)


class Preview:
    """The rebuilder and the server together; start() serves in a thread, serve_forever() in this one."""

    def __init__(self, course_dir: Path, *, edition: Edition = SCORM12, port: int = 8000,
                 say: Callable[[str], None] = print, interval: float = 0.05):
        self.edition = edition
        self.storage_key = f"kulturskole-preview:{edition.name}:{Path(course_dir).resolve()}"
        self.rebuilder = Rebuilder(Path(course_dir), edition, say, texts(), interval)
        handler = type("PreviewHandler", (Handler,), {"preview": self})
        self._thread: threading.Thread | None = None
        try:
            self.httpd = _Server((HOST, port), functools.partial(handler, directory=str(self.rebuilder.workdir)))
            self.httpd.daemon_threads = True
            self.url = f"http://{HOST}:{self.httpd.server_address[1]}/"
            self.rebuilder.watch()
        except BaseException:          # a port in use, or Ctrl-C right now: the temporary folder goes too
            self.rebuilder.stop()
            raise

    def start(self) -> "Preview":
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="kulturskole-preview-http", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def close(self) -> None:
        if self._thread is not None:                # serve_forever() in this thread ends by Ctrl-C instead
            self.httpd.shutdown()
            self._thread.join()
        self.httpd.server_close()
        self.rebuilder.stop()
