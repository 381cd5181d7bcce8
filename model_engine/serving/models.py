"""Served models: each artifact with its explainer, OOD scorer and drift monitor; hot-swap."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from model_engine.artifacts import MANIFEST_FILE
from model_engine.evaluation.gate import GateResult, GateThresholds, may_trade_live
from model_engine.explain.drift import DriftMonitor
from model_engine.explain.ood import OodScorer
from model_engine.explain.runtime import BundleExplainer
from model_engine.serving.bundle import ModelBundle, load_bundle, newest_versions, sha256_of
from signal_schema import ModelRef

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GuardConfig:
    """OOD and drift thresholds and the live-trading gate's thresholds (from settings)."""

    ood_threshold: float = 1.0
    drift_threshold: float = 0.3
    drift_window: int = 500
    drift_min_signals: int = 100
    explainer: str = "auto"
    gate: GateThresholds = field(default_factory=GateThresholds)


def gate_verdict(bundle: ModelBundle, thresholds: GateThresholds) -> GateResult:
    """Return the walk-forward gate's verdict on `bundle`'s manifest (no metrics: fails)."""
    return may_trade_live(bundle.manifest.get("walk_forward"), thresholds)


class ServedModel:
    """One artifact ready to score: explainer, OOD scorer, drift monitor and gate, built once.

    ``ref`` is the `ModelRef` every signal of this artifact carries; its ``live_eligible`` is
    the gate's verdict (``gate``), taken once per load.
    """

    def __init__(self, bundle: ModelBundle, guard: GuardConfig) -> None:
        self.bundle = bundle
        self.gate = gate_verdict(bundle, guard.gate)
        self.ref = ModelRef(
            name=bundle.name,
            version=bundle.version,
            manifest_sha256=bundle.manifest_sha256,
            live_eligible=self.gate.passed,
        )
        self.explainer = BundleExplainer(bundle, sampled=guard.explainer == "permutation")
        reference = bundle.extras.get("ood_reference")
        self.ood = None if reference is None else OodScorer(reference.astype(np.float64))
        ref_phi = bundle.extras.get("reference_abs_phi")
        if ref_phi is None:
            ref_phi = np.ones(len(bundle.features))
        self.drift = DriftMonitor(
            ref_phi.astype(np.float64),
            guard.drift_window,
            guard.drift_threshold,
            guard.drift_min_signals,
        )


class ModelRegistry:
    """The models being served, by name; `swap` replaces one between two batches.

    A batch takes its `ServedModel` references once, so a swap never drops or splits a bar:
    bars before the swap are scored by the old artifact, later ones by the new.
    """

    def __init__(self, guard: GuardConfig, spec_names: tuple[str, ...] | None = None) -> None:
        self.guard = guard
        self.spec_names = spec_names
        self.models: dict[str, ServedModel] = {}

    def swap(self, bundle: ModelBundle) -> None:
        """Serve `bundle` under its name (fully built before it replaces the old one)."""
        served = ServedModel(bundle, self.guard)
        self.models = {**self.models, bundle.name: served}
        log.info("serving %s %s (%s)", bundle.name, bundle.version, served.explainer.method)
        if served.gate.passed:
            log.info(
                "%s %s passed the walk-forward gate: live eligible", bundle.name, bundle.version
            )
        else:
            log.warning(
                "%s %s failed the walk-forward gate (paper only): %s",
                bundle.name,
                bundle.version,
                "; ".join(served.gate.reasons),
            )

    def refresh(self, home: Path, names: tuple[str, ...] = ()) -> list[str]:
        """Load the newest version of each model that is newer than, or whose manifest changed
        since, the served one (``ntx evaluate --artifact`` rewrites it: a new gate verdict).

        Returns the names swapped; an artifact that fails verification is skipped and logged.
        """
        swapped = []
        for name, folder in newest_versions(home).items():
            if names and name not in names:
                continue
            current = self.models.get(name)
            if (
                current is not None
                and current.bundle.path == folder
                and current.bundle.manifest_sha256 == sha256_of(folder / MANIFEST_FILE)
            ):
                continue  # unchanged; a re-evaluated manifest reloads (new gate verdict)
            try:
                self.swap(load_bundle(folder, self.spec_names))
            except Exception:
                log.exception("cannot serve %s", folder)
                continue
            swapped.append(name)
        return swapped

    @property
    def max_window(self) -> int:
        """The longest input window among served models (1 when none)."""
        return max((m.bundle.window for m in self.models.values()), default=1)
