"""Regularization layers: Dropout and ActivityRegularization.

One file per class. Who owns what: each layer owns when it applies (training or
not); the random numbers come from the session (``refkeras.backend.session``), the
penalties from ``refkeras.regularizers``.
"""
from refkeras.layers.regularization.activity_regularization import (
    ActivityRegularization,
)
from refkeras.layers.regularization.dropout import Dropout

__all__ = ["ActivityRegularization", "Dropout"]
