"""fit / evaluate / predict reject bad input before any state changes (FIT.BAD_INPUT),
and reject the input tf_keras accepts silently or too late (FIT.BAD_INPUT.EARLY, a
recorded tf_keras quirk).

Every case snapshots the weights and ``optimizer.iterations`` before the failing call
and checks that neither moved.
"""
import numpy as np
import pytest

from conformance import clause
from conformance.tests.training_models import (
    TwoHeads,
    arrays,
    assert_unchanged,
    linear,
    snapshot,
    two_heads_data,
)


def _single(keras, compiled=True):
    kernel, bias = arrays(61, (3, 1), (1,))
    model = linear(keras, kernel, bias, name="linear")
    if compiled:
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return model


def _functional(keras):
    inputs = keras.Input((3,), name="x_in")
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs), name="functional")
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return model


def _heads(keras, **compile_kwargs):
    heads = TwoHeads(keras)
    compile_kwargs.setdefault("loss", ["mse", "categorical_crossentropy"])
    heads.model.compile(optimizer=keras.optimizers.SGD(0.1), **compile_kwargs)
    return heads.model


def _raises(backend, model, error, call, message=None):
    """``call()`` raises ``error`` (with ``message`` in its text) and changes nothing."""
    before = snapshot(backend, model)
    with pytest.raises(error) as info:
        call()
    if message is not None:
        assert message in str(info.value)
    assert_unchanged(backend, model, before)


X, Y = arrays(62, (4, 3), (4, 1))
XH, YH, LABELS = two_heads_data(4)


# ---------------------------------------------------------------- FIT.BAD_INPUT

NOT_COMPILED = ("You must compile your model before training/testing. Use "
                "`model.compile(optimizer, loss)`.")


@clause("FIT.BAD_INPUT")
@pytest.mark.parametrize("method", ["fit", "evaluate", "train_on_batch", "test_on_batch"])
def test_training_or_testing_before_compile(backend, method):
    model = _single(backend.keras, compiled=False)
    kwargs = {"verbose": 0} if method in ("fit", "evaluate") else {}
    _raises(backend, model, RuntimeError, lambda: getattr(model, method)(X, Y, **kwargs),
            NOT_COMPILED)


UNEXPECTED = ("Found unexpected losses or metrics that do not correspond to any Model output: "
              "dict_keys(['bogus']). Valid mode output names: ['score_output', 'class_output']. "
              "Received struct is: ")


@clause("FIT.BAD_INPUT")
@pytest.mark.parametrize("argument, value", [
    ("loss", {"score_output": "mse", "bogus": "mse"}),
    ("metrics", {"bogus": ["mae"]}),
    ("weighted_metrics", {"bogus": ["mae"]}),
    ("loss_weights", {"score_output": 1.0, "bogus": 1.0}),
])
@pytest.mark.parametrize("method", ["fit", "evaluate", "train_on_batch"])
def test_unknown_output_names_in_compile_dicts(backend, argument, value, method):
    keras = backend.keras
    kwargs = {argument: value}
    if argument != "loss":
        kwargs["loss"] = "mse"
    model = _heads(keras, **kwargs)
    extra = {"verbose": 0} if method != "train_on_batch" else {}
    struct = {k: v for k, v in value.items() if k == "bogus"}
    _raises(backend, model, ValueError, lambda: getattr(model, method)(XH, YH, **extra),
            UNEXPECTED + repr(struct))


@clause("FIT.BAD_INPUT")
@pytest.mark.parametrize("method", ["fit", "evaluate"])
def test_unknown_output_names_in_the_targets(backend, method):
    model = _heads(backend.keras)
    targets = {"score_output": YH[0], "class_output": YH[1], "bogus": YH[1]}
    _raises(backend, model, ValueError, lambda: getattr(model, method)(XH, targets, verbose=0),
            UNEXPECTED)


TARGETS_MISSING = ("Target data is missing. Your model was compiled with loss=mse, and therefore "
                   "expects target data to be provided in `fit()`.")


@clause("FIT.BAD_INPUT")
@pytest.mark.parametrize("call", ["fit", "train_on_batch"])
def test_training_without_targets(backend, call):
    model = _single(backend.keras)
    run = (lambda: model.fit(X, verbose=0)) if call == "fit" else (lambda: model.train_on_batch(X))
    _raises(backend, model, ValueError, run, TARGETS_MISSING)


@clause("FIT.BAD_INPUT")
def test_training_without_targets_on_a_multi_output_model(backend):
    model = _heads(backend.keras, loss="mse")
    _raises(backend, model, ValueError, lambda: model.fit(XH, verbose=0), TARGETS_MISSING)


@clause("FIT.BAD_INPUT")
@pytest.mark.parametrize("method", ["fit", "evaluate"])
def test_fewer_targets_than_outputs(backend, method):
    model = _heads(backend.keras)
    _raises(backend, model, ValueError, lambda: getattr(model, method)(XH, [YH[0]], verbose=0))


@clause("FIT.BAD_INPUT")
@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_an_input_of_the_wrong_shape_names_the_input_and_the_shape(backend, method):
    model = _single(backend.keras)
    args = (np.ones((4, 5), np.float32),) + ((Y,) if method != "predict" else ())
    _raises(backend, model, ValueError, lambda: getattr(model, method)(*args, verbose=0),
            'Input 0 of layer "linear" is incompatible with the layer: expected shape=(None, 3), '
            "found shape=(None, 5)")


@clause("FIT.BAD_INPUT")
@pytest.mark.parametrize("kind", ["linear", "functional"])
def test_an_input_of_a_higher_rank(backend, kind):
    model = _single(backend.keras) if kind == "linear" else _functional(backend.keras)
    _raises(backend, model, ValueError,
            lambda: model.fit(np.ones((4, 1, 3), np.float32), Y, verbose=0),
            f'Input 0 of layer "{kind}" is incompatible with the layer: expected '
            "shape=(None, 3), found shape=(None, 1, 3)")


@clause("FIT.BAD_INPUT")
def test_train_on_batch_shows_the_batch_shape(backend):
    model = _single(backend.keras)
    _raises(backend, model, ValueError,
            lambda: model.train_on_batch(np.ones((4, 5), np.float32), Y),
            'Input 0 of layer "linear" is incompatible with the layer: expected shape=(None, 3), '
            "found shape=(4, 5)")


@clause("FIT.BAD_INPUT")
@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_a_second_input_of_the_wrong_shape(backend, method):
    model = _heads(backend.keras)
    x = {"a_in": XH[0], "b_in": np.ones((4, 4), np.float32)}
    args = (x, YH) if method != "predict" else (x,)
    _raises(backend, model, ValueError, lambda: getattr(model, method)(*args, verbose=0),
            'Input 1 of layer "two_heads" is incompatible with the layer: expected '
            "shape=(None, 2), found shape=(None, 4)")


@clause("FIT.BAD_INPUT")
@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
@pytest.mark.parametrize("keys", [["a_in"], ["a_in", "b"]])
def test_a_missing_input_key_names_the_input(backend, method, keys):
    model = _heads(backend.keras)
    x = {key: XH[i] for i, key in enumerate(keys)}
    args = (x, YH) if method != "predict" else (x,)
    _raises(backend, model, ValueError, lambda: getattr(model, method)(*args, verbose=0),
            f'Missing data for input "b_in". You passed a data dictionary with keys {keys}. '
            "Expected the following keys: ['a_in', 'b_in']")


@clause("FIT.BAD_INPUT")
def test_too_few_inputs(backend):
    model = _heads(backend.keras)
    _raises(backend, model, ValueError, lambda: model.fit([XH[0]], YH, verbose=0),
            'Layer "two_heads" expects 2 input(s), but it received 1 input tensors.')


@clause("FIT.BAD_INPUT")
@pytest.mark.parametrize("method", ["fit", "evaluate", "train_on_batch"])
@pytest.mark.parametrize("case, sizes", [
    ("y", "  x sizes: 4\n  y sizes: 3\n"),
    ("sample_weight", "  x sizes: 4\n  y sizes: 4\n  sample_weight sizes: 3\n"),
])
def test_mismatched_sample_counts(backend, method, case, sizes):
    model = _single(backend.keras)
    y = Y[:3] if case == "y" else Y
    kwargs = {"sample_weight": np.ones(3, np.float32)} if case == "sample_weight" else {}
    if method != "train_on_batch":
        kwargs["verbose"] = 0
    _raises(backend, model, ValueError, lambda: getattr(model, method)(X, y, **kwargs),
            f"Data cardinality is ambiguous:\n{sizes}Make sure all arrays contain the same "
            "number of samples.")


@clause("FIT.BAD_INPUT")
def test_mismatched_sample_counts_across_inputs(backend):
    model = _heads(backend.keras)
    _raises(backend, model, ValueError, lambda: model.fit([XH[0], XH[1][:3]], YH, verbose=0),
            "Data cardinality is ambiguous:\n  x sizes: 4, 3\n  y sizes: 4, 4\nMake sure all "
            "arrays contain the same number of samples.")


# ---------------------------------------------------------------- FIT.BAD_INPUT.EARLY

@clause("FIT.BAD_INPUT.EARLY")
@pytest.mark.parametrize("targets", ["none_in_list", "missing_dict_key"])
@pytest.mark.parametrize("method", ["fit", "evaluate"])
def test_a_missing_target_for_an_output_with_a_loss(backend, targets, method):
    model = _heads(backend.keras)
    y = [YH[0], None] if targets == "none_in_list" else {"score_output": YH[0]}
    _raises(backend, model, ValueError, lambda: getattr(model, method)(XH, y, verbose=0),
            "class_output")


@clause("FIT.BAD_INPUT.EARLY")
def test_evaluate_without_targets(backend):
    model = _single(backend.keras)
    _raises(backend, model, ValueError, lambda: model.evaluate(X, verbose=0))


@clause("FIT.BAD_INPUT.EARLY")
def test_a_metric_for_an_output_without_a_target(backend):
    model = _heads(backend.keras, loss=[None, "categorical_crossentropy"],
                   metrics=[["mae"], []])
    _raises(backend, model, ValueError, lambda: model.evaluate(XH, [None, YH[1]], verbose=0),
            "score_output")


@clause("FIT.BAD_INPUT.EARLY")
@pytest.mark.parametrize("argument, value", [("loss", ["mse"]), ("loss", ["mse", "mse", "mse"]),
                                             ("loss_weights", [1.0]),
                                             ("loss_weights", [1.0, 2.0, 3.0])])
def test_a_list_of_the_wrong_length(backend, argument, value):
    keras = backend.keras
    heads = TwoHeads(keras)
    model = heads.model
    kwargs = {"loss": "mse", argument: value}
    before = snapshot(backend, model)
    with pytest.raises(ValueError) as info:
        model.compile(optimizer=keras.optimizers.SGD(0.1), **kwargs)
        model.fit(XH, YH, verbose=0)
    assert argument in str(info.value)
    assert [np.array_equal(a, b) for a, b in zip(model.get_weights(), before[0])] == [True] * 4


@clause("FIT.BAD_INPUT.EARLY")
@pytest.mark.parametrize("case", ["swapped_inputs", "higher_rank"])
def test_a_wrong_input_shape_is_rejected_after_a_correct_call_too(backend, case):
    keras = backend.keras
    if case == "swapped_inputs":
        model, good, bad, y = _heads(keras), XH, [XH[1], XH[0]], YH
        message = ('Input 0 of layer "two_heads" is incompatible with the layer: expected '
                   "shape=(None, 3), found shape=(None, 2)")
    else:
        model, good, bad, y = _functional(keras), X, np.ones((4, 1, 3), np.float32), Y
        message = ('Input 0 of layer "functional" is incompatible with the layer: expected '
                   "shape=(None, 3), found shape=(None, 1, 3)")
    model.fit(good, y, verbose=0)
    _raises(backend, model, ValueError, lambda: model.fit(bad, y, verbose=0), message)
