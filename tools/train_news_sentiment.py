"""Compare the sentiment methods on the real labelled headlines; write the ``minilm_lr`` weights.

Maintainer tooling, not installed: it builds the model file data_core ships
(``data_core/news/sentiment/minilm_lr.npz``, loaded by `data_core.news.sentiment.minilm_lr`).
Run from the repository root (needs the ``nlp`` and ``train`` extras; ~4 min on one thread)::

    HF_HUB_OFFLINE=1 OMP_NUM_THREADS=1 python tools/train_news_sentiment.py [DATA_DIR] \
        [--write-model data_core/news/sentiment/minilm_lr.npz] [--cache DIR] [--json]

Data: ``news/cryptonews_plus.csv.gz`` (7,496 headlines, 2021-10 → 2022-07) whose
``sentiment_class`` comes from TextBlob polarity (a lexicon, not human labels), split by time:
the first 70 % train (the regularisation is chosen on its last 15 points, then refit on all of
it), the last 30 % test. A second, independent check: ``news/cryptopanic.csv.gz`` community
votes; a headline is "liked" when it drew more positive than negative votes (ties dropped), and
each method's score is rated by ROC AUC against that.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.metrics import (  # type: ignore[import-untyped]
    accuracy_score,
    f1_score,
    roc_auc_score,
)

from data_core.news.embeddings import MiniLmEmbedder
from data_core.news.sentiment.minilm_lr import CLASSES
from data_core.news.sentiment.vader import VaderSentiment, join_title_body

TRAIN_FRACTION = 0.70
VALIDATION_FRACTION = 0.15
C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
BOOTSTRAP = 1000
VADER_THRESHOLD = 0.05
_VOTE = re.compile(r"(\d+) (positive|negative): votes")


def read_rows(path: Path) -> list[dict[str, str]]:
    """Return the rows of a ``.csv.gz`` file."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def embed(texts: list[str], cache: Path | None, embedder: MiniLmEmbedder) -> np.ndarray:
    """Embed `texts`, reusing a cached copy keyed by their SHA-256."""
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    target = None if cache is None else cache / f"emb-{digest}.npy"
    if target is not None and target.exists():
        cached: np.ndarray = np.load(target)
        return cached
    vectors = embedder.encode(texts)
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        np.save(target, vectors)
    return vectors


def vader_classes(scores: np.ndarray) -> np.ndarray:
    """Map compound scores to classes with VADER's usual ±0.05 thresholds."""
    return np.where(
        scores >= VADER_THRESHOLD,
        "positive",
        np.where(scores <= -VADER_THRESHOLD, "negative", "neutral"),
    )


def agreement(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Accuracy and macro-F1 of `predicted` against `labels`."""
    return {
        "accuracy": round(float(accuracy_score(labels, predicted)), 3),
        "macro_f1": round(float(f1_score(labels, predicted, average="macro")), 3),
    }


def fit_lr(x: np.ndarray, y: np.ndarray) -> tuple[LogisticRegression, float]:
    """Choose C on the last part of the training span by macro-F1, then refit on all of it."""
    cut = int(len(y) * (1 - VALIDATION_FRACTION / TRAIN_FRACTION))
    best = max(
        C_GRID,
        key=lambda c: f1_score(
            y[cut:], _lr(c).fit(x[:cut], y[:cut]).predict(x[cut:]), average="macro"
        ),
    )
    return _lr(best).fit(x, y), best


def _lr(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced")


def lr_score(model: LogisticRegression, x: np.ndarray) -> np.ndarray:
    """P(positive) - P(negative)."""
    probs = model.predict_proba(x)
    order = list(model.classes_)
    score: np.ndarray = probs[:, order.index("positive")] - probs[:, order.index("negative")]
    return score


def bootstrap_diff(metric: Any, truth: np.ndarray, a: np.ndarray, b: np.ndarray) -> list[float]:
    """95 % interval of ``metric(truth, a) - metric(truth, b)`` over paired resamples."""
    rng = np.random.default_rng(0)
    diffs = []
    for _ in range(BOOTSTRAP):
        pick = rng.integers(0, len(truth), len(truth))
        diffs.append(metric(truth[pick], a[pick]) - metric(truth[pick], b[pick]))
    low, high = np.percentile(diffs, [2.5, 97.5])
    return [round(float(low), 3), round(float(high), 3)]


def macro_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    """Macro-F1 over the three classes."""
    return float(f1_score(truth, predicted, average="macro", labels=list(CLASSES)))


def _auc(truth: np.ndarray, score: np.ndarray) -> float:
    return float(roc_auc_score(truth, score))


def vote_labels(rows: list[dict[str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """Return (mask of headlines with a vote majority, 1 where positive votes win)."""
    margin = []
    for row in rows:
        votes = {kind: int(n) for n, kind in _VOTE.findall(row["votes"])}
        margin.append(votes.get("positive", 0) - votes.get("negative", 0))
    diff = np.array(margin)
    return diff != 0, (diff[diff != 0] > 0).astype(int)


def write_model(path: Path, model: LogisticRegression, meta: dict[str, Any]) -> None:
    """Store the weights as (384, 3) float32 in CLASSES order, plus provenance."""
    order = [list(model.classes_).index(c) for c in CLASSES]
    np.savez_compressed(
        path,
        weights=model.coef_[order].T.astype(np.float32),
        bias=model.intercept_[order].astype(np.float32),
        classes=np.array(CLASSES),
        meta=np.array(json.dumps(meta, sort_keys=True)),
    )


def run(data_dir: Path, cache: Path | None, model_path: Path | None) -> dict[str, Any]:
    """Measure every method; return the figures."""
    started = time.perf_counter()
    news_file = data_dir / "news" / "cryptonews_plus.csv.gz"
    rows = read_rows(news_file)
    labels = np.array([r["sentiment_class"] for r in rows])
    n, cut = len(rows), int(len(rows) * TRAIN_FRACTION)
    titles = [r["title"] for r in rows]
    bodies = [r["body"] or None for r in rows]
    test = slice(cut, n)
    vader = VaderSentiment()
    texts = {
        "title": titles,
        "body": [b or "" for b in bodies],
        "title+body": [join_title_body(t, b) for t, b in zip(titles, bodies, strict=True)],
    }
    out: dict[str, Any] = {"rows": n, "train_rows": cut, "test_rows": n - cut}
    out["test_span_ms"] = [int(rows[cut]["timestamp"]), int(rows[-1]["timestamp"])]
    out["label_counts_test"] = {c: int((labels[test] == c).sum()) for c in CLASSES}
    out["majority"] = agreement(labels[test], np.full(n - cut, "positive"))
    predicted = {}
    for name, batch in texts.items():
        predicted[f"vader[{name}]"] = vader_classes(np.array(vader.score(batch[cut:])))
        out[f"vader[{name}]"] = agreement(labels[test], predicted[f"vader[{name}]"])
    embedder = MiniLmEmbedder()
    models = {}
    for name in ("title", "title+body"):
        x = embed(texts[name], cache, embedder)
        model, c = fit_lr(x[:cut], labels[:cut])
        models[name] = (model, x)
        predicted[f"minilm_lr[{name}]"] = model.predict(x[test])
        out[f"minilm_lr[{name}]"] = {
            **agreement(labels[test], predicted[f"minilm_lr[{name}]"]),
            "C": c,
        }
    out["f1_diff_ci95"] = {
        "vader[title+body] - minilm_lr[title]": bootstrap_diff(
            macro_f1, labels[test], predicted["vader[title+body]"], predicted["minilm_lr[title]"]
        ),
        "minilm_lr[title] - vader[title]": bootstrap_diff(
            macro_f1, labels[test], predicted["minilm_lr[title]"], predicted["vader[title]"]
        ),
    }
    panic = read_rows(data_dir / "news" / "cryptopanic.csv.gz")
    mask, liked = vote_labels(panic)
    panic_titles = [r["title"] for r in panic]
    vader_panic = np.array(vader.score(panic_titles))[mask]
    lr_panic = lr_score(models["title"][0], embed(panic_titles, cache, embedder))[mask]
    out["votes"] = {"headlines": int(mask.sum()), "liked": int(liked.sum())}
    out["votes"]["vader[title]_auc"] = round(float(roc_auc_score(liked, vader_panic)), 3)
    out["votes"]["vader[title]_zero_share"] = round(float(np.mean(vader_panic == 0)), 3)
    out["votes"]["minilm_lr[title]_auc"] = round(float(roc_auc_score(liked, lr_panic)), 3)
    out["votes"]["auc_diff_ci95"] = bootstrap_diff(_auc, liked, vader_panic, lr_panic)
    if model_path is not None:
        sha = hashlib.sha256(news_file.read_bytes()).hexdigest()
        meta = {
            "training_data": f"news/cryptonews_plus.csv.gz sha256={sha}",
            "rows": f"first {cut} of {n} by timestamp (up to {rows[cut - 1]['timestamp']} ms)",
            "labels": "sentiment_class (TextBlob-derived)",
            "input": "title embedding, all-MiniLM-L6-v2, normalised",
            "C": out["minilm_lr[title]"]["C"],
            "class_weight": "balanced",
            "test": out["minilm_lr[title]"],
        }
        write_model(model_path, models["title"][0], meta)
    out["wall_s"] = round(time.perf_counter() - started, 1)
    return out


def main() -> int:
    """Parse arguments, run, print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "data_dir", nargs="?", default=os.environ.get("NTX_DATA_DIR"),
        help="the recorded data folder (news/*.csv.gz); default NTX_DATA_DIR",
    )  # fmt: skip
    parser.add_argument("--write-model", type=Path, default=None)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.data_dir:
        parser.error("give the recorded data folder as DATA_DIR or NTX_DATA_DIR")
    figures = run(Path(args.data_dir), args.cache, args.write_model)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print("| method | accuracy | macro-F1 | C |\n|---|---|---|---|")
    for key, value in figures.items():
        if isinstance(value, dict) and "macro_f1" in value:
            print(f"| {key} | {value['accuracy']} | {value['macro_f1']} | {value.get('C', '')} |")
    print(
        json.dumps(
            {k: v for k, v in figures.items() if not isinstance(v, dict) or "macro_f1" not in v}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
