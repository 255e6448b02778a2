"""Float64 numpy oracles of the training loop's numbers (clauses COMPILE.*, FIT.*,
WEIGHTING.* and the weighting PIT.* clauses of docs/spec.md).

Rule: a batch's loss under the default reduction is Σ_i w_i·l_i / n_b (the number
of samples in the batch, not Σ w); the loss ``fit`` logs after batch b, and the one
``evaluate`` returns, is the running mean of the batch losses weighted by batch
size, Σ n_b·loss_b / Σ n_b. A weighted metric divides by Σ w instead. ``sgd_dense``
replays ``fit`` with SGD on one linear Dense unit and mean squared error: every
batch's loss is taken before that batch's update. The models the tests build are
small Dense stacks whose weights the tests set, so ``dense`` and ``softmax`` give
their outputs. Owned by the conformance suite; no backend is imported.

>>> import numpy as np
>>> float(batch_loss(np.array([1.0, 4.0, 9.0, 16.0]), np.array([1.0, 2.0, 0.0, 0.5])))
4.25
>>> running_means([4.5, 4.0], [2, 2])
[4.5, 4.25]
"""
import itertools

import numpy as np


def dense(x, kernel, bias, activation=None):
    """A Dense layer's output: activation(x @ kernel + bias)."""
    z = np.asarray(x, np.float64) @ np.asarray(kernel, np.float64) + np.asarray(bias, np.float64)
    return softmax(z) if activation == "softmax" else z


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def squared_errors(y, p):
    """Per-sample mean squared error (the last axis reduced)."""
    return np.mean((np.asarray(p, np.float64) - np.asarray(y, np.float64)) ** 2, axis=-1)


def absolute_errors(y, p):
    return np.mean(np.abs(np.asarray(p, np.float64) - np.asarray(y, np.float64)), axis=-1)


def crossentropy(y_onehot, p):
    """Per-sample categorical crossentropy of probabilities (no clipping needed for
    the moderate probabilities the tests produce)."""
    return -np.sum(np.asarray(y_onehot, np.float64) * np.log(p), axis=-1)


def batch_loss(losses, weights=None):
    """The default ('sum_over_batch_size') reduction: Σ w·l / n."""
    losses = np.asarray(losses, np.float64)
    weights = np.ones_like(losses) if weights is None else np.asarray(weights, np.float64)
    return np.sum(weights * losses) / losses.size


def weighted_mean(values, weights=None):
    """A weighted metric: Σ w·x / Σ w."""
    values = np.asarray(values, np.float64)
    weights = np.ones_like(values) if weights is None else np.asarray(weights, np.float64)
    return np.sum(weights * values) / np.sum(weights)


def batch_sizes(n, batch_size):
    """The sizes of the batches of n samples: full ones, then the remainder."""
    return [min(batch_size, n - start) for start in range(0, n, batch_size)]


def running_means(batch_values, sizes):
    """What ``fit`` logs after each batch: Σ n_b·v_b / Σ n_b so far."""
    out, total, count = [], 0.0, 0
    for value, size in zip(batch_values, sizes):
        total, count = total + size * float(value), count + size
        out.append(total / count)
    return out


def epoch_loss(losses, weights, batch_size):
    """The epoch (or evaluate) loss of per-sample losses in unshuffled batches."""
    losses = np.asarray(losses, np.float64)
    weights = np.ones_like(losses) if weights is None else np.asarray(weights, np.float64)
    sizes = batch_sizes(len(losses), batch_size)
    bounds = np.cumsum([0] + sizes)
    per_batch = [batch_loss(losses[a:b], weights[a:b]) for a, b in itertools.pairwise(bounds)]
    return running_means(per_batch, sizes)[-1]


def sgd_dense(x, y, kernel, bias, learning_rate, batch_size, epochs=1, weights=None):
    """Replay ``fit(shuffle=False)`` of Dense(1) + MSE + SGD in float64.

    Returns (batch losses per epoch, final kernel, final bias); each batch's loss is
    computed before its update. The gradient of Σ w·r² / n is 2·Σ w·r·x / n.
    """
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64).reshape(-1)
    kernel = np.asarray(kernel, np.float64).reshape(-1).copy()
    bias = float(np.asarray(bias).reshape(-1)[0])
    weights = np.ones(len(x)) if weights is None else np.asarray(weights, np.float64)
    history = []
    for _ in range(epochs):
        losses = []
        for start in range(0, len(x), batch_size):
            xb, yb, wb = (a[start:start + batch_size] for a in (x, y, weights))
            residual = xb @ kernel + bias - yb
            losses.append(np.sum(wb * residual ** 2) / len(xb))
            kernel = kernel - learning_rate * 2.0 * (wb * residual) @ xb / len(xb)
            bias = bias - learning_rate * 2.0 * np.sum(wb * residual) / len(xb)
        history.append(losses)
    return history, kernel, bias


__all__ = ["absolute_errors", "batch_loss", "batch_sizes", "crossentropy", "dense", "epoch_loss",
           "running_means", "sgd_dense", "softmax", "squared_errors", "weighted_mean"]
