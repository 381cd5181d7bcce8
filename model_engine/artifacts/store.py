"""Write, verify and list versioned artifacts under ``NTX_HOME/models/<name>/<version>/``."""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from feature_spec import FeatureSpec
from model_engine.artifacts.manifest import (
    EXPLAINER_FILES,
    EXPLAINER_ONNX,
    MANIFEST_FILE,
    MODEL_FILE,
    Manifest,
)
from model_engine.errors import OperationalError

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_VERSION = re.compile(r"^v(\d{4,})$")


class ArtifactError(OperationalError):
    """An artifact is missing, tampered with, or made for another feature spec."""


@dataclass(frozen=True)
class LoadedArtifact:
    """A verified artifact: its folder, manifest and the path of its ONNX graph."""

    path: Path
    manifest: Manifest

    @property
    def model_path(self) -> Path:
        """Return the path of ``model.onnx``."""
        return self.path / MODEL_FILE

    @property
    def explainer_path(self) -> Path | None:
        """Return ``explainer.onnx`` when the artifact ships a usable amortised explainer.

        Usable: the manifest has an ``explainer`` block, both explainer files are hashed in it,
        and the block was built for this artifact's ``model.onnx`` (its sha256); else None.
        """
        info = self.manifest.explainer
        if info is None or not all(f in self.manifest.sha256 for f in EXPLAINER_FILES):
            return None
        if info.model_sha256 != self.manifest.sha256.get(MODEL_FILE):
            return None
        return self.path / EXPLAINER_ONNX


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def models_dir(home: Path) -> Path:
    """Return ``<home>/models``."""
    return home / "models"


def _next_version(folder: Path) -> str:
    taken = [int(m.group(1)) for p in folder.glob("v*") if (m := _VERSION.match(p.name))]
    return f"v{max(taken, default=0) + 1:04d}"


def write_artifact(home: Path, name: str, model: Path, manifest: Manifest) -> Path:
    """Publish a new version of artifact `name`.

    Parameters
    ----------
    home
        NTX_HOME.
    name
        Artifact name (letters, digits, ``.``, ``_``, ``-``).
    model
        A staging folder holding ``model.onnx`` and any extra files (explainer background, ...);
        every file in it is copied and hashed into ``manifest.sha256``.
    manifest
        The manifest without ``version`` and ``sha256`` (both are filled in here).

    Returns
    -------
    pathlib.Path
        ``<home>/models/<name>/<version>/``; written to a temporary folder first and renamed, so
        a reader never sees half an artifact.

    Raises
    ------
    ArtifactError
        If the name is invalid or the staging folder has no ``model.onnx``.
    """
    if not _NAME.match(name):
        raise ArtifactError(f"invalid artifact name {name!r}")
    if not (model / MODEL_FILE).is_file():
        raise ArtifactError(f"{model} holds no {MODEL_FILE}")
    folder = models_dir(home) / name
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    try:
        files = {}
        for source in sorted(p for p in model.iterdir() if p.is_file()):
            if source.name != MANIFEST_FILE:
                shutil.copy2(source, staging / source.name)
                files[source.name] = sha256_file(staging / source.name)
        version = _next_version(folder)
        final = manifest.model_copy(update={"version": version, "sha256": files, "name": name})
        (staging / MANIFEST_FILE).write_text(final.model_dump_json(indent=2) + "\n")
        target = folder / version
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def read_manifest(path: Path) -> Manifest:
    """Parse ``<path>/manifest.json`` without verifying files.

    Raises
    ------
    ArtifactError
        If it is missing or invalid.
    """
    try:
        return Manifest.model_validate_json((path / MANIFEST_FILE).read_bytes())
    except (OSError, ValidationError) as exc:
        raise ArtifactError(f"{path}: unreadable manifest: {exc}") from exc


def load_artifact(
    path: Path, spec: FeatureSpec | None = None, *, names: Sequence[str] | None = None
) -> LoadedArtifact:
    """Verify an artifact against its hashes and, when given, the live feature spec.

    This is the one verification path: training, the CLI and serving's bundle loader use it.

    Parameters
    ----------
    path
        The version folder.
    spec
        The live feature spec: names and version must equal the manifest's.
    names
        Feature names only (serving passes the names it was configured with).

    Raises
    ------
    ArtifactError
        If a listed file is missing or its sha256 differs, an unlisted file is present, there
        is no ``model.onnx``, or the feature names or spec version differ.
    """
    manifest = read_manifest(path)
    if not (path / MODEL_FILE).is_file() or MODEL_FILE not in manifest.sha256:
        raise ArtifactError(f"{path}: no {MODEL_FILE} (or not listed in the manifest)")
    present = {p.name for p in path.iterdir() if p.is_file() and p.name != MANIFEST_FILE}
    if present != set(manifest.sha256):
        listed = sorted(manifest.sha256)
        raise ArtifactError(f"{path}: files {sorted(present)} != manifest {listed}")
    for file, expected in manifest.sha256.items():
        if sha256_file(path / file) != expected:
            raise ArtifactError(f"{path}: sha256 of {file} does not match the manifest")
    wanted = list(spec.names) if spec is not None else None if names is None else list(names)
    if wanted is not None and manifest.feature_names != wanted:
        raise ArtifactError(f"{path}: the model's features differ from the live feature spec")
    if spec is not None and manifest.spec_version != spec.version:
        raise ArtifactError(
            f"{path}: trained on feature spec {manifest.spec_version}, live is {spec.version}"
        )
    return LoadedArtifact(path, manifest)


def list_artifacts(home: Path) -> list[LoadedArtifact]:
    """Return every readable artifact under ``<home>/models`` (manifests parsed, not verified),
    sorted by name then version."""
    found = []
    for manifest_path in sorted(models_dir(home).glob(f"*/v*/{MANIFEST_FILE}")):
        try:
            found.append(LoadedArtifact(manifest_path.parent, read_manifest(manifest_path.parent)))
        except ArtifactError:
            continue
    return found


__all__ = [
    "ArtifactError",
    "LoadedArtifact",
    "list_artifacts",
    "load_artifact",
    "models_dir",
    "read_manifest",
    "sha256_file",
    "write_artifact",
]
