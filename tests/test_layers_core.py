"""Core layers: Activation, Embedding, Lambda, TFOpLambda / symbolic_apply.

Values against numpy, gradients against central finite differences in float64,
symbolic shapes on ``Input``, configs and error messages (tf_keras 2.21's, measured).
"""
import operator

import numpy as np
import pytest

from conformance.numerics import finite_difference
from refkeras import GradientTape, ops
from refkeras.backend import session
from refkeras.framework.errors import InvalidArgumentError
from refkeras.layers import Activation, Embedding, Input, Lambda
from refkeras.layers.core.tf_op_layer import TFOpLambda, symbolic_apply

RNG = np.random.default_rng(7)


def input_gradient(layer, x, cotangent):
    t = ops.constant(x)
    with GradientTape() as tape:
        tape.watch(t)
        target = ops.reduce_sum(layer(t) * ops.constant(cotangent))
    return tape.gradient(target, t).numpy()


def check_input_gradient(layer, x):
    """The tape's gradient of sum(layer(x) * c) equals the finite difference (float64)."""
    cotangent = RNG.standard_normal(np.shape(layer(x))).astype(x.dtype)
    got = input_gradient(layer, x, cotangent)
    expected = finite_difference(lambda v: float(np.sum(layer(v[0]).numpy() * cotangent)), [x], 0)
    np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-8)


# ----------------------------------------------------------------------------- Activation

def test_activation_values_and_gradient():
    x = RNG.standard_normal((3, 4))
    np.testing.assert_allclose(Activation("tanh")(x).numpy(), np.tanh(x).astype(np.float32),
                               rtol=1e-6)
    assert Activation("relu")(x).dtype.name == "float32"
    check_input_gradient(Activation("tanh", dtype="float64"), x)


def test_activation_config_and_shapes():
    layer = Activation("relu", name="act")
    assert layer.get_config() == {"name": "act", "trainable": True, "dtype": "float32",
                                  "activation": "relu"}
    assert Activation.from_config(layer.get_config())(np.array([[-1.0, 2.0]])).numpy().tolist() \
        == [[0.0, 2.0]]
    assert Activation(None).get_config()["activation"] == "linear"
    assert Activation("relu")(Input((3, 5))).shape == (None, 3, 5)


def test_activation_unknown_name():
    with pytest.raises(ValueError, match="Unknown activation function 'nope'"):
        Activation("nope")


# ------------------------------------------------------------------------------ Embedding

def test_embedding_lookup_and_gradient_accumulates_repeated_ids():
    table = RNG.standard_normal((5, 3)).astype(np.float32)
    layer = Embedding(5, 3)
    ids = np.array([[0, 4, 4], [2, 0, 4]], dtype=np.int32)
    layer(ids)
    layer.set_weights([table])
    np.testing.assert_array_equal(layer(ids).numpy(), table[ids])
    cotangent = RNG.standard_normal((2, 3, 3)).astype(np.float32)
    with GradientTape() as tape:
        target = ops.reduce_sum(layer(ids) * ops.constant(cotangent))
    (grad,) = tape.gradient(target, layer.trainable_weights)
    expected = np.zeros_like(table)
    np.add.at(expected, ids, cotangent)
    np.testing.assert_allclose(ops.convert_to_tensor(grad).numpy(), expected, rtol=1e-6)


def test_embedding_float_ids_truncate_toward_zero():
    layer = Embedding(5, 2, embeddings_initializer="glorot_uniform")
    layer(np.zeros((1, 1), dtype=np.int32))
    table = layer.get_weights()[0]
    out = layer(np.array([[1.7, 2.2, -0.5]])).numpy()      # tf_keras: rows 1, 2, 0
    np.testing.assert_array_equal(out[0], table[[1, 2, 0]])
    assert out.dtype == np.float32


def test_embedding_out_of_range_ids():
    layer = Embedding(5, 2)
    with pytest.raises(InvalidArgumentError, match=r"indices\[0,1\] = 5 is not in \[0, 5\)"):
        layer(np.array([[1, 5]]))
    with pytest.raises(InvalidArgumentError, match=r"indices\[1\] = -1 is not in \[0, 5\)"):
        layer(np.array([0, -1]))


def test_embedding_config_matches_tf_keras():
    config = Embedding(5, 2, name="emb").get_config()
    assert list(config) == ["name", "trainable", "dtype", "batch_input_shape", "input_dim",
                            "output_dim", "embeddings_initializer", "embeddings_regularizer",
                            "activity_regularizer", "embeddings_constraint", "mask_zero",
                            "input_length"]
    assert config["batch_input_shape"] == (None, None)
    assert config["embeddings_initializer"]["class_name"] == "RandomUniform"
    assert config["embeddings_initializer"]["config"]["minval"] == -0.05
    assert Embedding(5, 2, input_length=4).get_config()["batch_input_shape"] == (None, 4)
    again = Embedding.from_config(Embedding(5, 2, mask_zero=True).get_config())
    assert (again.input_dim, again.output_dim, again.mask_zero) == (5, 2, True)


def test_embedding_weight_and_shapes():
    layer = Embedding(5, 2, name="words")
    layer(np.array([[0]]))
    assert [w.name for w in layer.weights] == ["words/embeddings:0"]
    assert Embedding(5, 2)(Input((3, 4), dtype="int32")).shape == (None, 3, 4, 2)
    assert Embedding(5, 2, input_length=4)(Input((4,))).shape == (None, 4, 2)
    assert Embedding(5, 2).compute_output_shape((None, 3)) == (None, 3, 2)
    with pytest.raises(ValueError, match='"input_length" is 4, but received input has shape'):
        Embedding(5, 2, input_length=4).compute_output_shape((None, 3))


@pytest.mark.parametrize("dims", [(0, 2), (3, -1)])
def test_embedding_dimensions_must_be_positive(dims):
    with pytest.raises(ValueError, match=f"Received input_dim = {dims[0]} and output_dim = "
                                         f"{dims[1]}"):
        Embedding(*dims)


def test_embedding_dimension_type():
    with pytest.raises(TypeError, match="input_dim=2.5"):
        Embedding(2.5, 3)


# --------------------------------------------------------------------------------- Lambda

def square(t):
    return t * t


def test_lambda_values_arguments_and_gradient():
    x = RNG.standard_normal((2, 3))
    x32 = x.astype(np.float32)      # the layer computes in float32
    np.testing.assert_array_equal(Lambda(square)(x).numpy(), x32 * x32)
    scaled = Lambda(lambda t, k: t * k, arguments={"k": 3.0})(x).numpy()
    np.testing.assert_allclose(scaled, (3.0 * x).astype(np.float32), rtol=1e-6)
    check_input_gradient(Lambda(lambda t: ops.tanh(t) * t, dtype="float64"), x)


def test_lambda_passes_training_only_when_accepted():
    seen = []

    def with_training(t, training=None):
        seen.append(training)
        return t

    layer = Lambda(with_training)
    layer(np.ones((1, 2)), training=True)
    layer(np.ones((1, 2)))
    assert seen == [True, None]
    assert Lambda(lambda t: t)(np.ones((1, 2)), training=True).shape == (1, 2)


def test_lambda_symbolic_shape_comes_from_running_the_function():
    # tf_keras traces the function: output_shape is not consulted on symbolic inputs
    assert Lambda(lambda t: t[:, :2], output_shape=(7,))(Input((5,))).shape == (None, 2)


def test_lambda_compute_output_shape():
    assert Lambda(lambda t: t[:, :2], output_shape=(7,)).compute_output_shape((4, 5)) == (4, 7)
    assert Lambda(square, output_shape=lambda s: (s[0], 9)).compute_output_shape((4, 5)) == (4, 9)
    assert Lambda(lambda t: t[:, :2]).compute_output_shape((4, 5)) == (4, 2)
    assert Lambda(lambda t: [t, t[:, :1]]).compute_output_shape((None, 5)) == \
        [(None, 5), (None, 1)]


def test_lambda_config_stores_the_function_by_name():
    config = Lambda(square, name="sq").get_config()
    assert config == {"name": "sq", "trainable": True, "dtype": "float32", "function": "square",
                      "function_type": "lambda", "module": __name__, "output_shape": None,
                      "output_shape_type": "raw", "output_shape_module": None,
                      "arguments": {}}
    assert Lambda(lambda t: t).get_config()["function"] == "<lambda>"


def test_lambda_from_config_finds_named_functions():
    config = Lambda(square, arguments={"k": 1}).get_config()
    assert Lambda.from_config(config).function is square
    assert Lambda.from_config(config).arguments == {"k": 1}
    config["module"] = "no.such.module"

    def other(t):
        return t

    assert Lambda.from_config(config, custom_objects={"square": other}).function is other
    with pytest.raises(ValueError, match="'square' .* was not found"):
        Lambda.from_config(config)


def test_lambda_from_config_refuses_anonymous_lambdas():
    with pytest.raises(ValueError, match="anonymous Python lambda"):
        Lambda.from_config(Lambda(lambda t: t).get_config())


def test_lambda_needs_a_callable():
    with pytest.raises(TypeError, match="unsupported callable.*function=3"):
        Lambda(3)


# ------------------------------------------------------------------- TFOpLambda, symbolic_apply

def test_symbolic_arithmetic_layer_names():
    session.clear_session()
    x, y = Input((3,)), Input((3,))
    outputs = [x + y, x - y, x * y, 1.0 - x, x + 1.0]
    names = [out._keras_history[0].name for out in outputs]
    assert names == ["tf.__operators__.add", "tf.math.subtract", "tf.math.multiply",
                     "tf.math.subtract_1", "tf.__operators__.add_1"]
    assert all(out.shape == (None, 3) for out in outputs)
    assert outputs[2]._keras_history[0].get_config() == {
        "name": "tf.math.multiply", "trainable": True, "dtype": "float32",
        "function": "math.multiply"}


def test_symbolic_apply_replays_on_values():
    x, y = Input((3,)), Input((3,))
    out = symbolic_apply("tf.math.subtract", operator.sub, (x, y), {})
    a, b = np.ones((2, 3), np.float32), np.full((2, 3), 0.25, np.float32)
    np.testing.assert_array_equal(out.node.run({id(x): a, id(y): b}).numpy(), a - b)


def test_symbolic_apply_with_a_number_first():
    x = Input((2,))
    out = symbolic_apply("tf.math.add", operator.add, (2.0, x), {})
    assert out.shape == (None, 2) and out.dtype.name == "float32"
    np.testing.assert_array_equal(out.node.run({id(x): np.ones((1, 2), np.float32)}).numpy(),
                                  [[3.0, 3.0]])


def test_symbolic_getitem_shape():
    x = Input((4, 3))
    assert x[:, 0].shape == (None, 3)


def test_tf_op_lambda_config_round_trip():
    layer = TFOpLambda.from_config({"name": "tf.math.multiply_9", "trainable": True,
                                    "dtype": "float32", "function": "math.multiply"})
    assert layer.name == "tf.math.multiply_9"
    assert layer(np.array([2.0]), np.array([3.0])).numpy().tolist() == [6.0]
    assert TFOpLambda.from_config({"name": "t", "function": "__operators__.add"}).function \
        is operator.add
    with pytest.raises(ValueError, match="TF symbol `math.no_such_op` could not be found"):
        TFOpLambda.from_config({"name": "t", "function": "math.no_such_op"})


def test_tf_op_lambda_without_symbol_cannot_be_serialized():
    with pytest.raises(ValueError, match="not publicly exposed"):
        TFOpLambda(lambda t: t).get_config()
