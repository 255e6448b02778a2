"""The numbers of the built-in layers, against the float64 oracles of
``conformance/oracles/layers.py`` (clauses LAYER.NUMERIC.*).

Every test draws shapes and hyper-parameters with hypothesis and a seed for numpy's
generator, builds the layer, sets its weights with ``set_weights`` to drawn float32
arrays, and checks (a) the forward output against the oracle (float32 value
tolerance) and (b) the gradients of ``sum(output * cotangent)`` with respect to the
input and every trainable weight, taken with ``tf.GradientTape``, against central
finite differences of the oracle in float64 (float32 gradient tolerance).
"""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from conformance import clause
from conformance.numerics import assert_close, finite_difference
from conformance.oracles import layers as oracle

TAPE = ("gradient_tape",)
SEEDS = st.integers(0, 2**32 - 1)


def _normal(rng, shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def check_layer(backend, layer, inputs, weights, reference, rng, *, training=None,
                input_gradients=True):
    """Build ``layer`` on ``inputs`` (an array or a list of arrays), set ``weights``,
    and compare its output and gradients with ``reference(inputs, weights)``.

    The trainable weights must be the first ones of ``layer.weights`` (true of every
    built-in layer: trainable weights are listed before non-trainable ones)."""
    tf = backend.tf
    multi = isinstance(inputs, list)
    xs = inputs if multi else [inputs]
    kwargs = {} if training is None else {"training": training}
    layer(xs if multi else xs[0])       # builds the weights
    if weights:
        layer.set_weights(weights)
    expected = reference([x.astype(np.float64) for x in xs],
                         [w.astype(np.float64) for w in weights])
    cotangent = _normal(rng, np.shape(expected))
    tensors = [tf.constant(x) for x in xs]
    trainable = list(layer.trainable_weights)
    with tf.GradientTape() as tape:
        for t in tensors:
            tape.watch(t)
        out = layer(tensors if multi else tensors[0], **kwargs)
        target = tf.reduce_sum(out * tf.constant(cotangent))
    value = backend.to_numpy(out)
    assert value.dtype == np.float32, f"output dtype {value.dtype}"
    assert_close(value, expected, kind="value", dtype="float32", message="forward")
    sources = (tensors if input_gradients else []) + trainable
    if not sources:
        return
    grads = tape.gradient(target, sources)
    arrays = xs + list(weights)
    n_in = len(xs)
    indices = (list(range(n_in)) if input_gradients else []) + \
        [n_in + i for i in range(len(trainable))]

    def scalar(values):
        return float(np.sum(reference(values[:n_in], values[n_in:]) * cotangent))

    for index, grad in zip(indices, grads):
        what = f"input {index}" if index < n_in else f"weight {trainable[index - n_in].name}"
        assert grad is not None, f"no gradient for {what}"
        expected_grad = finite_difference(scalar, arrays, index)
        assert_close(backend.to_numpy(grad), expected_grad, kind="gradient", dtype="float32",
                     message=what)


# ---------------------------------------------------------------- core


@clause("LAYER.NUMERIC.DENSE", requires=TAPE)
@given(seed=SEEDS, batch=st.integers(1, 3), n_in=st.integers(1, 4), units=st.integers(1, 4),
       use_bias=st.booleans(), extra_axis=st.booleans(),
       act=st.sampled_from(["linear", "relu", "tanh", "sigmoid"]))
def test_dense(backend, seed, batch, n_in, units, use_bias, extra_axis, act):
    rng = np.random.default_rng(seed)
    shape = (batch, 2, n_in) if extra_axis else (batch, n_in)
    x = _normal(rng, shape)
    weights = [_normal(rng, (n_in, units))] + ([_normal(rng, (units,))] if use_bias else [])
    layer = backend.keras.layers.Dense(units, activation=act, use_bias=use_bias)
    check_layer(backend, layer, x, weights,
                lambda xs, ws: oracle.activation(act, oracle.dense(xs[0], *ws)), rng)


ACTIVATION_NAMES = sorted(oracle.ACTIVATIONS)


@clause("LAYER.NUMERIC.ACTIVATION", requires=TAPE)
@given(seed=SEEDS, name=st.sampled_from(ACTIVATION_NAMES),
       shape=st.sampled_from([(2, 3), (1, 5), (2, 2, 3)]))
def test_activation_strings(backend, seed, name, shape):
    rng = np.random.default_rng(seed)
    x = _normal(rng, shape, scale=2.0)
    layer = backend.keras.layers.Activation(name)
    check_layer(backend, layer, x, [], lambda xs, ws: oracle.activation(name, xs[0]), rng)


@clause("LAYER.NUMERIC.ACTIVATION", requires=TAPE)
def test_every_activation_string_is_covered(backend):
    # the names of the clause; each must build an Activation layer and give a float32 output
    x = np.array([[-1.5, 0.5, 2.0]], dtype=np.float32)
    for name in ACTIVATION_NAMES:
        out = backend.to_numpy(backend.keras.layers.Activation(name)(x))
        assert_close(out, oracle.activation(name, x.astype(np.float64)), message=name)


@clause("LAYER.NUMERIC.RESHAPING", requires=TAPE)
@given(seed=SEEDS, batch=st.integers(1, 3), a=st.integers(1, 3), b=st.integers(1, 3),
       c=st.integers(1, 3), which=st.sampled_from(["Flatten", "Reshape", "Permute",
                                                   "RepeatVector"]),
       data=st.data())
def test_reshaping_layers(backend, seed, batch, a, b, c, which, data):
    rng = np.random.default_rng(seed)
    layers = backend.keras.layers
    if which == "Flatten":
        x, layer, ref = _normal(rng, (batch, a, b, c)), layers.Flatten(), oracle.flatten
    elif which == "Reshape":
        target = data.draw(st.sampled_from([(a * b * c,), (c, a * b), (b, -1), (c, b, a)]),
                           label="target_shape")
        x, layer = _normal(rng, (batch, a, b, c)), layers.Reshape(target)
        full = tuple(a * c if d == -1 else d for d in target)   # -1 is inferred

        def ref(v):
            return oracle.reshape(v, full)
    elif which == "Permute":
        dims = data.draw(st.permutations([1, 2, 3]), label="dims")
        x, layer = _normal(rng, (batch, a, b, c)), layers.Permute(dims)

        def ref(v):
            return oracle.permute(v, dims)
    else:
        x, layer = _normal(rng, (batch, a)), layers.RepeatVector(b)

        def ref(v):
            return oracle.repeat_vector(v, b)
    check_layer(backend, layer, x, [], lambda xs, ws: ref(xs[0]), rng)


MERGE_KINDS = sorted(oracle.MERGES)


@clause("LAYER.NUMERIC.MERGING", requires=TAPE)
@given(seed=SEEDS, kind=st.sampled_from(MERGE_KINDS), n=st.integers(2, 3),
       shape=st.sampled_from([(2, 3), (1, 4), (2, 2, 2)]))
def test_merging_layers(backend, seed, kind, n, shape):
    rng = np.random.default_rng(seed)
    n = 2 if kind == "Subtract" else n
    xs = [_normal(rng, shape) for _ in range(n)]
    layer = getattr(backend.keras.layers, kind)()
    check_layer(backend, layer, xs, [], lambda v, ws: oracle.merge(kind, v), rng)


@clause("LAYER.NUMERIC.MERGING", requires=TAPE)
@given(seed=SEEDS, axis=st.sampled_from([-1, 1, 2, -2]), sizes=st.lists(st.integers(1, 3),
                                                                      min_size=2, max_size=3))
def test_concatenate_axis(backend, seed, axis, sizes):
    rng = np.random.default_rng(seed)
    base = [2, 3, 2]
    xs = []
    for size in sizes:
        shape = list(base)
        shape[axis] = size
        xs.append(_normal(rng, tuple(shape)))
    layer = backend.keras.layers.Concatenate(axis=axis)
    check_layer(backend, layer, xs, [], lambda v, ws: oracle.concatenate(v, axis=axis), rng)


# ---------------------------------------------------------------- convolution and pooling


@clause("LAYER.NUMERIC.CONV1D", requires=TAPE)
@given(seed=SEEDS, batch=st.integers(1, 2), length=st.integers(3, 7), cin=st.integers(1, 2),
       filters=st.integers(1, 3), kernel=st.integers(1, 3),
       padding=st.sampled_from(["valid", "same", "causal"]),
       stride_or_dilation=st.sampled_from([(1, 1), (2, 1), (1, 2)]), use_bias=st.booleans())
def test_conv1d(backend, seed, batch, length, cin, filters, kernel, padding,
                stride_or_dilation, use_bias):
    rng = np.random.default_rng(seed)
    stride, dilation = stride_or_dilation
    length = max(length, (kernel - 1) * dilation + 1)   # at least one output position
    x = _normal(rng, (batch, length, cin))
    weights = [_normal(rng, (kernel, cin, filters))] + \
        ([_normal(rng, (filters,))] if use_bias else [])
    layer = backend.keras.layers.Conv1D(filters, kernel, strides=stride, padding=padding,
                                        dilation_rate=dilation, use_bias=use_bias)
    check_layer(backend, layer, x, weights,
                lambda xs, ws: oracle.conv_nd(xs[0], *ws, strides=(stride,), padding=padding,
                                              dilation=(dilation,)), rng)


@clause("LAYER.NUMERIC.CONV2D", requires=TAPE)
@given(seed=SEEDS, batch=st.integers(1, 2), height=st.integers(3, 6), width=st.integers(3, 6),
       cin=st.integers(1, 2), filters=st.integers(1, 2),
       kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
       padding=st.sampled_from(["valid", "same"]),
       stride_or_dilation=st.sampled_from([((1, 1), (1, 1)), ((2, 2), (1, 1)), ((2, 1), (1, 1)),
                                           ((1, 1), (2, 2)), ((1, 1), (1, 2))]),
       use_bias=st.booleans())
def test_conv2d(backend, seed, batch, height, width, cin, filters, kernel, padding,
                stride_or_dilation, use_bias):
    rng = np.random.default_rng(seed)
    strides, dilation = stride_or_dilation
    height = max(height, (kernel[0] - 1) * dilation[0] + 1)   # at least one output position
    width = max(width, (kernel[1] - 1) * dilation[1] + 1)
    x = _normal(rng, (batch, height, width, cin))
    weights = [_normal(rng, (*kernel, cin, filters))] + \
        ([_normal(rng, (filters,))] if use_bias else [])
    layer = backend.keras.layers.Conv2D(filters, kernel, strides=strides, padding=padding,
                                        dilation_rate=dilation, use_bias=use_bias)
    check_layer(backend, layer, x, weights,
                lambda xs, ws: oracle.conv_nd(xs[0], *ws, strides=strides, padding=padding,
                                              dilation=dilation), rng)


@clause("LAYER.NUMERIC.POOLING", requires=TAPE)
@given(seed=SEEDS, rank=st.sampled_from([1, 2]), kind=st.sampled_from(["max", "average"]),
       padding=st.sampled_from(["valid", "same"]), data=st.data())
def test_pooling(backend, seed, rank, kind, padding, data):
    rng = np.random.default_rng(seed)
    spatial = data.draw(st.tuples(*[st.integers(2, 6)] * rank), label="spatial")
    pool = data.draw(st.tuples(*[st.integers(1, 3)] * rank), label="pool_size")
    strides = data.draw(st.none() | st.tuples(*[st.integers(1, 3)] * rank), label="strides")
    if padding == "valid":   # a window larger than the input gives no output at all
        pool = tuple(min(p, n) for p, n in zip(pool, spatial))
    x = _normal(rng, (2, *spatial, 2))
    name = f"{'Max' if kind == 'max' else 'Average'}Pooling{rank}D"
    layer = getattr(backend.keras.layers, name)(pool_size=pool if rank == 2 else pool[0],
                                                strides=strides if rank == 2 or strides is None
                                                else strides[0], padding=padding)
    check_layer(backend, layer, x, [],
                lambda xs, ws: oracle.pool_nd(xs[0], pool, strides, padding, kind), rng)


@clause("LAYER.NUMERIC.GLOBAL_POOLING", requires=TAPE)
@given(seed=SEEDS, rank=st.sampled_from([1, 2]), kind=st.sampled_from(["max", "average"]),
       keepdims=st.booleans(), data=st.data())
def test_global_pooling(backend, seed, rank, kind, keepdims, data):
    rng = np.random.default_rng(seed)
    spatial = data.draw(st.tuples(*[st.integers(1, 4)] * rank), label="spatial")
    x = _normal(rng, (2, *spatial, 3))
    name = f"Global{'Max' if kind == 'max' else 'Average'}Pooling{rank}D"
    layer = getattr(backend.keras.layers, name)(keepdims=keepdims)
    check_layer(backend, layer, x, [],
                lambda xs, ws: oracle.global_pool(xs[0], kind, keepdims), rng)


# ---------------------------------------------------------------- normalization and embedding


@clause("LAYER.NUMERIC.BATCH_NORMALIZATION", requires=TAPE)
@given(seed=SEEDS, training=st.booleans(), shape=st.sampled_from([(4, 2), (3, 3), (3, 2, 2)]))
def test_batch_normalization(backend, seed, training, shape):
    rng = np.random.default_rng(seed)
    x = _normal(rng, shape)
    channels = shape[-1]
    weights = [_normal(rng, (channels,)), _normal(rng, (channels,)),
               _normal(rng, (channels,)), rng.uniform(0.5, 2.0, channels).astype(np.float32)]
    layer = backend.keras.layers.BatchNormalization()
    check_layer(backend, layer, x, weights,
                lambda xs, ws: oracle.batch_normalization(xs[0], *ws, training=training),
                rng, training=training)


@clause("LAYER.NUMERIC.BATCH_NORMALIZATION", requires=TAPE)
@given(seed=SEEDS, momentum=st.sampled_from([0.99, 0.9, 0.5]))
def test_batch_normalization_moving_statistics(backend, seed, momentum):
    rng = np.random.default_rng(seed)
    x = _normal(rng, (4, 3))
    mm, mv = _normal(rng, (3,)), rng.uniform(0.5, 2.0, 3).astype(np.float32)
    layer = backend.keras.layers.BatchNormalization(momentum=momentum)
    layer(x)
    layer.set_weights([np.ones(3, np.float32), np.zeros(3, np.float32), mm, mv])
    layer(x, training=False)
    layer(x)
    np.testing.assert_array_equal(layer.get_weights()[2], mm)   # inference leaves them alone
    layer(x, training=True)
    x64 = x.astype(np.float64)
    assert_close(layer.get_weights()[2], momentum * mm + (1 - momentum) * x64.mean(axis=0))
    assert_close(layer.get_weights()[3], momentum * mv + (1 - momentum) * x64.var(axis=0))


@clause("LAYER.NUMERIC.LAYER_NORMALIZATION", requires=TAPE)
@given(seed=SEEDS, shape=st.sampled_from([(2, 3), (3, 4), (2, 2, 3)]))
def test_layer_normalization(backend, seed, shape):
    rng = np.random.default_rng(seed)
    x = _normal(rng, shape)
    weights = [_normal(rng, shape[-1:]), _normal(rng, shape[-1:])]
    layer = backend.keras.layers.LayerNormalization()
    check_layer(backend, layer, x, weights,
                lambda xs, ws: oracle.layer_normalization(xs[0], *ws), rng)


@clause("LAYER.NUMERIC.EMBEDDING", requires=TAPE)
@given(seed=SEEDS, input_dim=st.integers(1, 5), output_dim=st.integers(1, 3),
       shape=st.sampled_from([(2, 3), (1, 1), (3,)]))
def test_embedding(backend, seed, input_dim, output_dim, shape):
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, input_dim, size=shape).astype(np.int32)
    table = _normal(rng, (input_dim, output_dim))
    layer = backend.keras.layers.Embedding(input_dim, output_dim)
    layer(ids)
    layer.set_weights([table])
    cotangent = _normal(rng, shape + (output_dim,))
    tf = backend.tf
    with tf.GradientTape() as tape:
        out = layer(tf.constant(ids))
        target = tf.reduce_sum(out * tf.constant(cotangent))
    assert_close(backend.to_numpy(out), oracle.embedding(ids, table.astype(np.float64)))
    (grad,) = tape.gradient(target, layer.trainable_weights)
    expected = finite_difference(lambda v: np.sum(oracle.embedding(ids, v[0]) * cotangent),
                                 [table], 0)
    assert_close(backend.to_numpy(grad), expected, kind="gradient", dtype="float32")


# ---------------------------------------------------------------- activation layers


@clause("LAYER.NUMERIC.LEAKY_RELU", requires=TAPE)
@given(seed=SEEDS, alpha=st.sampled_from([None, 0.1, 0.5, 1.5]),
       shape=st.sampled_from([(2, 3), (3, 2, 2)]))
def test_leaky_relu(backend, seed, alpha, shape):
    rng = np.random.default_rng(seed)
    x = _normal(rng, shape)
    layers = backend.keras.layers
    layer = layers.LeakyReLU() if alpha is None else layers.LeakyReLU(alpha=alpha)
    a = 0.3 if alpha is None else alpha
    check_layer(backend, layer, x, [], lambda xs, ws: oracle.leaky_relu(xs[0], a), rng)


@clause("LAYER.NUMERIC.RELU", requires=TAPE)
@given(seed=SEEDS, max_value=st.sampled_from([None, 0.5, 1.0, 6.0]),
       negative_slope=st.sampled_from([0.0, 0.1, 0.5]),
       threshold=st.sampled_from([0.0, 0.3, 1.0]), shape=st.sampled_from([(2, 3), (4, 4)]))
def test_relu_layer(backend, seed, max_value, negative_slope, threshold, shape):
    rng = np.random.default_rng(seed)
    x = _normal(rng, shape)
    layer = backend.keras.layers.ReLU(max_value=max_value, negative_slope=negative_slope,
                                      threshold=threshold)
    check_layer(backend, layer, x, [],
                lambda xs, ws: oracle.relu(xs[0], max_value, negative_slope, threshold), rng)


@clause("LAYER.NUMERIC.SOFTMAX", requires=TAPE)
@given(seed=SEEDS, axis=st.sampled_from([-1, 1, 2, -2]), shape=st.sampled_from([(2, 3, 2),
                                                                              (1, 2, 4)]))
def test_softmax_layer(backend, seed, axis, shape):
    rng = np.random.default_rng(seed)
    x = _normal(rng, shape, scale=2.0)
    layer = backend.keras.layers.Softmax(axis=axis)
    check_layer(backend, layer, x, [], lambda xs, ws: oracle.softmax(xs[0], axis=axis), rng)


# ---------------------------------------------------------------- regularization and Lambda


@clause("LAYER.NUMERIC.ACTIVITY_REGULARIZATION", requires=TAPE)
@given(seed=SEEDS, l1=st.sampled_from([0.0, 0.01, 0.5]), l2=st.sampled_from([0.0, 0.02, 1.0]),
       batch=st.integers(1, 4))
def test_activity_regularization(backend, seed, l1, l2, batch):
    rng = np.random.default_rng(seed)
    x = _normal(rng, (batch, 3))
    layer = backend.keras.layers.ActivityRegularization(l1=l1, l2=l2)
    check_layer(backend, layer, x, [], lambda xs, ws: xs[0], rng)
    x64 = x.astype(np.float64)
    (loss,) = layer.losses
    expected = (l1 * np.abs(x64).sum() + l2 * np.square(x64).sum()) / batch
    assert_close(backend.to_numpy(loss), np.asarray(expected))


@clause("LAYER.NUMERIC.LAMBDA", requires=TAPE)
@given(seed=SEEDS, which=st.sampled_from(["square", "scale_and_shift", "tf_op"]),
       shape=st.sampled_from([(2, 3), (1, 2, 2)]))
def test_lambda(backend, seed, which, shape):
    rng = np.random.default_rng(seed)
    tf = backend.tf
    x = _normal(rng, shape)
    functions = {
        "square": (lambda t: t * t, lambda v: v * v),
        "scale_and_shift": (lambda t: 3.0 * t - 1.0, lambda v: 3.0 * v - 1.0),
        "tf_op": (lambda t: tf.reduce_sum(tf.tanh(t), axis=-1, keepdims=True),
                  lambda v: np.sum(np.tanh(v), axis=-1, keepdims=True)),
    }
    fn, ref = functions[which]
    layer = backend.keras.layers.Lambda(fn)
    check_layer(backend, layer, x, [], lambda xs, ws: ref(xs[0]), rng)
