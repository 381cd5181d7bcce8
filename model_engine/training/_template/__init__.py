"""Template of a model family: copy this folder's class into ``training/modules.py`` (or a module
beside it), rename it, fill in ``encode``, and register it.

Checklist:

1. A ``Classifier`` subclass whose ``__init__`` builds the encoder and whose ``encode`` maps a
   normalised ``(batch, window, features)`` window to a ``(batch, config.hidden)`` summary. The
   base class owns clamping, the classification head, the optional wide path, the loss, logging
   and the optimiser: do not repeat them.
2. Register it: ``FAMILIES["<name>"] = <Name>Classifier`` in ``training/modules.py`` and add
   ``"<name>"`` to ``ModelFamily`` in ``training/config.py`` (``ntx train --model <name>``
   validates against it).
3. Only ONNX-exportable operators, with dynamic batch size (export:
   ``training/export.py``); serving runs onnxruntime only, never torch.
4. Add the family to the parametrised ONNX parity test
   (``tests/unit/model_engine/training/test_fit_and_parity.py``: torch and onnxruntime agree on
   real windows, with and without the wide path).
5. To compare it with the others, add it to ``DL_MODELS`` in ``evaluation/config.py`` and
   measure it on the dev fold as a declared stage first (``docs/evaluation/dev/README.md``,
   ``ntx evaluate --dev --set 'models=["<name>", "logreg"]'``).
"""

from __future__ import annotations

from torch import Tensor, nn

from model_engine.training.config import TrainConfig
from model_engine.training.modules import Classifier


class TemplateClassifier(Classifier):
    """<One line: the encoder, and which state of it is classified.>"""

    def __init__(
        self, config: TrainConfig, window: int, n_features: int, clip: float = 10.0
    ) -> None:
        super().__init__(config, window, n_features, clip)
        self.encoder = nn.Linear(n_features, config.hidden)  # replace with the family's encoder

    def encode(self, x: Tensor) -> Tensor:
        """Return the ``(batch, hidden)`` summary of normalised windows ``(batch, window, f)``."""
        raise NotImplementedError("fill in the family's encoder")
