"""Conv: the shared machinery of Conv1D and Conv2D (tf_keras's ``base_conv.Conv``).

Clauses: LAYER.CONFIG (docs/spec.md).

A convolution layer holds a kernel of shape ``kernel_size + (input channels,
filters)`` and a bias of shape ``(filters,)``::

    outputs = activation(convolution(inputs, kernel) + bias)     # bias only if use_bias

Spatial output length along each axis (``compute_output_shape``; None stays None)::

    dilated = (k - 1) * dilation + 1
    valid:  out = ceil((length - dilated + 1) / stride)
    same / causal:  out = ceil(length / stride)

Only channels_last data is supported (channels_first raises a ValueError: TensorFlow
on CPU does not run it either), and only ``groups=1``. Inputs with more than one
batch axis are folded into one batch axis for the convolution and unfolded after.

Who owns what: this class checks and stores the arguments, creates the weights and
serializes them; ``refkeras.ops.conv_ops`` computes; subclasses set the rank.
"""
import math

from refkeras import activations, constraints, initializers, ops, regularizers
from refkeras.layers.input_spec import InputSpec
from refkeras.layers.layer import Layer
from refkeras.layers.weight_options import kernel_and_bias_config


def normalize_tuple(value, n, name, allow_zero=False):
    """An int or an iterable of n ints as a tuple of n ints, checked (tf_keras's rule)."""
    message = f"The `{name}` argument must be a tuple of {n} integers. Received: {value}"
    if isinstance(value, int) and not isinstance(value, bool):
        values = (value,) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(message) from None
        if len(values) != n:
            raise ValueError(message)
        for v in values:
            if isinstance(v, bool) or not isinstance(v, int):
                raise ValueError(message + f"including element {v} of type {type(v)}")  # noqa: TRY004 - tf_keras raises ValueError
    bad = {v for v in values if (v < 0 if allow_zero else v <= 0)}
    if bad:
        requirement = ">= 0" if allow_zero else "> 0"
        raise ValueError(message + f" including {bad} that does not satisfy the requirement "
                         f"`{requirement}`.")
    return values


def normalize_padding(value, allowed=("valid", "same", "causal")):
    if not isinstance(value, str) or value.lower() not in allowed:
        raise ValueError('The `padding` argument must be a list/tuple or one of "valid", "same" '
                         f'(or "causal", only for `Conv1D). Received: {value}')
    return value.lower()


def normalize_data_format(value):
    """None or 'channels_last'; channels_first is refused (TensorFlow's CPU kernels do not
    run it either)."""
    data_format = "channels_last" if value is None else str(value).lower()
    if data_format == "channels_first":
        raise ValueError("data_format='channels_first' is not supported by refkeras (TensorFlow "
                         "cannot run it on CPU either); use 'channels_last' and put the channels "
                         f"on the last axis. Received: data_format={value!r}")
    if data_format != "channels_last":
        raise ValueError('The `data_format` argument must be one of "channels_first", '
                         f'"channels_last". Received: {value}')
    return data_format


def check_output_lengths(lengths, input_shape, layer_name):
    """ValueError when a window larger than the input leaves an output length <= 0."""
    if any(n is not None and n <= 0 for n in lengths):
        raise ValueError(f"One of the dimensions in the output is <= 0 due to downsampling in "
                         f"{layer_name}. Consider increasing the input size. Received input "
                         f"shape {list(input_shape)} which would produce output shape with a "
                         "zero or negative value in a dimension.")


def output_length(length, k, padding, stride, dilation=1):
    """The spatial output length of a window sliding over ``length`` cells (None: None)."""
    if length is None:
        return None
    dilated = (k - 1) * dilation + 1
    covered = length if padding in ("same", "causal") else length - dilated + 1
    return math.ceil(covered / stride)


class Conv(Layer):
    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        if isinstance(filters, float):
            filters = int(filters)
        if isinstance(filters, bool) or not isinstance(filters, int) or filters <= 0:
            raise ValueError("Invalid value for argument `filters`. Expected a strictly positive "
                             f"value. Received filters={filters}.")
        self.filters = filters
        if groups not in (None, 1):
            raise ValueError(f"Grouped convolutions are not supported by refkeras; groups must be "
                             f"1. Received: groups={groups}")
        self.groups = 1
        self.kernel_size = normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = normalize_tuple(strides, rank, "strides")
        self.padding = normalize_padding(padding)
        self.data_format = normalize_data_format(data_format)
        self.dilation_rate = normalize_tuple(dilation_rate, rank, "dilation_rate")
        if self.padding == "causal" and rank != 1:
            raise ValueError("Causal padding is only supported for `Conv1D`and `SeparableConv1D`.")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                             f"Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        channels = input_shape[-1]
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. The "
                             f"input_shape received is {input_shape}, where axis -1 (0-based) is "
                             "the channel dimension, which found to be `None`.")
        self.compute_output_shape(input_shape)   # refuses inputs too small for the kernel
        self.kernel = self.add_weight(name="kernel", shape=self.kernel_size + (channels, self.filters),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, trainable=True)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.filters,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint, trainable=True)
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={-1: channels})
        self.built = True

    def call(self, inputs):
        if inputs.dtype != self.dtype:
            inputs = ops.cast(inputs, self.dtype)
        shape = tuple(inputs.shape)
        folded = len(shape) > self.rank + 2      # several batch axes: fold them into one
        if folded:
            inputs = ops.reshape(inputs, (-1,) + shape[-self.rank - 1:])
        if self.use_bias and not folded and self._fusable():
            return self._convolve_biased(inputs)
        outputs = self._convolve(inputs)
        if folded:
            outputs = ops.reshape(outputs, shape[:-self.rank - 1] + tuple(outputs.shape[1:]))
        if self.use_bias:
            outputs = ops.nn.bias_add(outputs, self.bias)
        return self.activation(outputs)

    def _convolve(self, inputs):
        raise NotImplementedError

    def _fusable(self):
        """Whether ``_convolve_biased`` can run the convolution, bias and activation as one
        op (Conv2D can: ``ops.fused_conv2d``)."""
        return False

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        spatial = input_shape[-self.rank - 1:-1]
        out = tuple(output_length(length, k, self.padding, s, d) for length, k, s, d in
                    zip(spatial, self.kernel_size, self.strides, self.dilation_rate))
        check_output_lengths(out, input_shape, self.name)
        return input_shape[:-self.rank - 1] + out + (self.filters,)

    def get_config(self):
        config = super().get_config()
        config.update({
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
            **kernel_and_bias_config(self),
        })
        return config


__all__ = [
    "Conv",
    "normalize_data_format",
    "normalize_padding",
    "normalize_tuple",
    "output_length",
]
