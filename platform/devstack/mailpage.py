"""The mail catcher's page for `make run`: http://localhost:8025 lists what the loopback SMTP server received.

Development only: it reads the .eml files of .devdata/mail/ (also openable in any mail program).
"""

import email
import email.policy
import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

STYLE = ("body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;font-size:1rem}"
         "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ccc;padding:.4rem;text-align:left}"
         "pre{white-space:pre-wrap;background:#f4f4f4;padding:1rem}a{color:#0645ad}")


def _page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>'
            f"<body>{body}</body></html>").encode()


class _Handler(BaseHTTPRequestHandler):
    folder: Path

    def log_message(self, format, *args):
        pass

    def _send(self, status: int, content: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Cache-Control", "no-store")
        # An e-mail's HTML is shown as it came, but may run nothing and fetch nothing.
        self.send_header("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'")
        self.end_headers()
        self.wfile.write(content)

    def do_GET(self):
        files = sorted(self.folder.glob("*.eml"), reverse=True)
        names = {path.name: path for path in files}
        parts = self.path.strip("/").split("/")
        if self.path == "/":
            rows = []
            for path in files[:500]:
                message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                rows.append(f'<tr><td>{html.escape(str(message["Date"] or ""))}</td>'
                            f'<td>{html.escape(str(message["To"] or ""))}</td>'
                            f'<td><a href="/{html.escape(path.name)}">{html.escape(str(message["Subject"] or "—"))}'
                            "</a></td></tr>")
            body = (f"<h1>Mail catcher</h1><p>{len(files)} message(s) in <code>{html.escape(str(self.folder))}"
                    "</code>, newest first.</p><table><thead><tr><th>Date</th><th>To</th><th>Subject</th></tr>"
                    f"</thead><tbody>{''.join(rows)}</tbody></table>")
            return self._send(200, _page("Mail catcher", body))
        if parts[0] not in names:
            return self._send(404, _page("Not found", "<p>No such message. <a href='/'>All messages</a></p>"))
        raw = names[parts[0]].read_bytes()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        if parts[1:] == ["html"]:
            part = message.get_body(preferencelist=("html",))
            return self._send(200, part.get_content().encode() if part else b"")
        if parts[1:] == ["raw"]:
            return self._send(200, raw, "message/rfc822")
        plain = message.get_body(preferencelist=("plain",))
        headers = "".join(f"<tr><th>{html.escape(name)}</th><td>{html.escape(str(value))}</td></tr>"
                          for name, value in message.items())
        body = (f'<p><a href="/">← All messages</a> · <a href="/{parts[0]}/html">HTML version</a> · '
                f'<a href="/{parts[0]}/raw">.eml</a></p><h1>{html.escape(str(message["Subject"] or ""))}</h1>'
                f"<table>{headers}</table><h2>Text</h2><pre>{html.escape(plain.get_content() if plain else '')}</pre>")
        return self._send(200, _page(str(message["Subject"] or ""), body))


def mail_page_start(*, folder: Path, port: int) -> ThreadingHTTPServer:
    handler = type("MailPageHandler", (_Handler,), {"folder": folder})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
