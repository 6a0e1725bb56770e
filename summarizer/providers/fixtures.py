"""Recorded model answers, keyed by a hash of the request.

Key = sha256 of the canonical JSON of (prompt id, prompt version, rendered
messages, output JSON schema, generation parameters). The model name is not
part of the key, so replay does not depend on which model recorded; the
fixture says which one did. Files are sorted, indented JSON meant to be read
in review. Nothing secret is stored: requests hold only messages and
parameters, never headers or keys.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summarizer.files import content_hash, write_atomic
from summarizer.providers.base import ModelRequest

FIXTURE_FORMAT = 1


def request_identity(request: ModelRequest[Any]) -> dict[str, Any]:
    """The parts of a request that determine its answer."""
    return {
        "prompt_id": request.prompt_id,
        "prompt_version": request.prompt_version,
        "messages": request.messages,
        "schema": request.response_model.model_json_schema(),
        "params": request.params.as_dict(),
    }


def fixture_key(request: ModelRequest[Any]) -> str:
    """The stable hash that names a request's fixture file."""
    return content_hash(request_identity(request))


class FixtureStore:
    """A directory of ``<prompt_id>/<key>.json`` files."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, request: ModelRequest[Any]) -> Path:
        """Where the fixture of ``request`` is (or would be) stored."""
        return self.root / request.prompt_id / f"{fixture_key(request)}.json"

    def read(self, request: ModelRequest[Any]) -> dict[str, Any] | None:
        """The stored fixture for ``request``, or None."""
        path = self.path_for(request)
        if not path.is_file():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    def write(self, request: ModelRequest[Any], record: dict[str, Any]) -> Path:
        """Store a recorded answer for ``request``; returns the file written."""
        path = self.path_for(request)
        identity = request_identity(request)
        document = {
            "format": FIXTURE_FORMAT,
            "key": fixture_key(request),
            "request": {
                "prompt_id": identity["prompt_id"],
                "prompt_version": identity["prompt_version"],
                "messages": identity["messages"],
                "params": identity["params"],
                "schema_sha256": content_hash(identity["schema"], 64),
            },
            **record,
        }
        write_atomic(path, json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n")
        return path

    def all_keys(self) -> set[str]:
        """Keys of every fixture on disk."""
        return {path.stem for path in self.root.glob("*/*.json")}
