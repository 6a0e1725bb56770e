"""A fake OpenAI batch API on loopback: /v1/files (upload, list, content) and /v1/batches (create, retrieve, list,
cancel), with status changing as it is polled, failed requests in an error file, and expired batches."""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from summarizer.testing import lead_answer

PROGRESS = ("validating", "in_progress", "finalizing")


class FakeBatchAPI:
    """Serves the batch endpoints; ``answer(body)`` is the model (None: that request fails); counts every upload."""

    def __init__(self, answer: Callable[[dict[str, Any]], dict[str, Any] | None] = lead_answer, expire: bool = False) -> None:
        self.answer, self.expire = answer, expire
        self.files: dict[str, dict[str, Any]] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.uploads = 0
        self.created = 0
        self.synchronous = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                api.get(self)

            def do_POST(self) -> None:  # noqa: N802
                api.post(self)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeBatchAPI:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()

    def _id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    def _file(self, content: bytes, filename: str, purpose: str) -> dict[str, Any]:
        record = {"id": self._id("file"), "object": "file", "bytes": len(content), "created_at": 0, "filename": filename,
                  "purpose": purpose, "status": "processed", "content": content}  # fmt: skip
        self.files[record["id"]] = record
        return record

    @staticmethod
    def _public(record: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in record.items() if key != "content"}

    def get(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?")[0]
        with self._lock:
            if path == "/v1/files":
                return _send(
                    handler, {"object": "list", "data": [self._public(f) for f in self.files.values()], "has_more": False}
                )
            if path.startswith("/v1/files/") and path.endswith("/content"):
                record = self.files[path.split("/")[3]]
                return _send(handler, record["content"], raw=True)
            if path == "/v1/batches":
                return _send(handler, {"object": "list", "data": list(self.batches.values()), "has_more": False})
            if path.startswith("/v1/batches/"):
                return _send(handler, self._advance(self.batches[path.split("/")[3]]))
        _send(handler, {"error": {"message": f"no route {path}"}}, status=404)

    def post(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("content-length", 0))
        body = handler.rfile.read(length)
        path = handler.path.split("?")[0]
        with self._lock:
            if path == "/v1/files":
                message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                    b"content-type: " + handler.headers["content-type"].encode() + b"\r\n\r\n" + body
                )
                parts = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
                upload = parts["file"]
                self.uploads += 1
                record = self._file(
                    upload.get_payload(decode=True), upload.get_filename(), parts["purpose"].get_content().strip()
                )
                return _send(handler, self._public(record))
            if path == "/v1/batches":
                request = json.loads(body)
                self.created += 1
                batch = {"id": self._id("batch"), "object": "batch", "endpoint": request["endpoint"], "errors": None,
                         "input_file_id": request["input_file_id"], "completion_window": "24h", "status": "validating",
                         "created_at": 0, "output_file_id": None, "error_file_id": None, "metadata": request.get("metadata"),
                         "request_counts": {"total": 0, "completed": 0, "failed": 0}, "polls": 0}  # fmt: skip
                self.batches[batch["id"]] = batch
                return _send(handler, batch)
            if path == "/v1/chat/completions":  # the synchronous path, for --finish-sync
                self.synchronous += 1
                request = json.loads(body)
                answer = self.answer(request)
                if answer is None:
                    return _send(handler, {"error": {"message": "the model failed"}}, status=500)
                message = {"role": "assistant", "content": json.dumps(answer)}
                usage = {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}
                choice = {"index": 0, "finish_reason": "stop", "message": message}
                completion = {"id": "c", "object": "chat.completion", "created": 0, "model": request["model"]}
                return _send(handler, {**completion, "choices": [choice], "usage": usage})
            if path.startswith("/v1/batches/") and path.endswith("/cancel"):
                batch = self.batches[path.split("/")[3]]
                batch["status"] = "cancelled"
                return _send(handler, batch)
        _send(handler, {"error": {"message": f"no route {path}"}}, status=404)

    def _advance(self, batch: dict[str, Any]) -> dict[str, Any]:
        """Each poll moves a batch one state on; at the end its output and error files are written."""
        if batch["status"] in ("completed", "expired", "cancelled", "failed"):
            return batch
        batch["polls"] += 1
        if batch["polls"] < len(PROGRESS):
            batch["status"] = PROGRESS[batch["polls"]]
            return batch
        lines = self.files[batch["input_file_id"]]["content"].decode().splitlines()
        done, failed = [], []
        for number, line in enumerate(lines):
            request = json.loads(line)
            if self.expire and number >= len(lines) // 2:
                continue  # an expired batch answers only part of its requests
            answer = self.answer(request["body"])
            if answer is None:
                failed.append({"id": f"r{number}", "custom_id": request["custom_id"], "response": None,
                               "error": {"code": "server_error", "message": "the model failed"}})  # fmt: skip
                continue
            body = {"id": f"c{number}", "object": "chat.completion", "model": request["body"]["model"],
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": json.dumps(answer)},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}}  # fmt: skip
            done.append({"id": f"r{number}", "custom_id": request["custom_id"],
                         "response": {"status_code": 200, "request_id": f"q{number}", "body": body}, "error": None})  # fmt: skip
        if done:
            batch["output_file_id"] = self._file(_jsonl(done), "output.jsonl", "batch_output")["id"]
        if failed:
            batch["error_file_id"] = self._file(_jsonl(failed), "errors.jsonl", "batch_output")["id"]
        batch["status"] = "expired" if self.expire else "completed"
        batch["request_counts"] = {"total": len(lines), "completed": len(done), "failed": len(failed)}
        return batch


def _jsonl(records: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(record) + "\n" for record in records).encode()


def _send(handler: BaseHTTPRequestHandler, body: Any, status: int = 200, raw: bool = False) -> None:
    payload = body if raw else json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("content-type", "application/octet-stream" if raw else "application/json")
    handler.send_header("content-length", str(len(payload)))
    handler.end_headers()
    handler.wfile.write(payload)
