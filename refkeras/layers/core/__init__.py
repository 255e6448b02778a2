"""Core layers: Dense, Activation, Embedding, Lambda, the TF-op layer and the input layer.

One file per class, named as in Keras. Who owns what: each layer owns its weights and
its call; ``Layer`` (``layers/layer.py``) owns building, naming and the graph.
"""
from refkeras.layers.core.activation import Activation
from refkeras.layers.core.dense import Dense
from refkeras.layers.core.embedding import Embedding
from refkeras.layers.core.input_layer import Input, InputLayer
from refkeras.layers.core.lambda_layer import Lambda
from refkeras.layers.core.tf_op_layer import TFOpLambda, symbolic_apply

__all__ = ["Activation", "Dense", "Embedding", "Input", "InputLayer", "Lambda", "TFOpLambda",
           "symbolic_apply"]
