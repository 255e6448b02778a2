"""AddLoss and AddMetric: how ``model.add_loss(tensor)`` joins a functional graph.

Clauses: MODEL.LOSSES.SYMBOLIC, ADD_METRIC (docs/spec.md).

``model.add_loss(tf.reduce_sum(x1) * 0.1)`` cannot store a number: ``x1`` is
symbolic. As in tf_keras, the loss tensor is fed to an ``AddLoss`` layer appended
to the model's graph; every call of the model computes the tensor and the layer
adds it to its ``losses`` (``model.losses`` gathers all layers' losses).
``AddMetric`` does the same for ``model.add_metric(tensor, name)``.

    AddLoss.call(x):   self.add_loss(x);           return x
    AddMetric.call(x): self.add_metric(x, name);   return x
"""
from refkeras.layers.layer import Layer


class AddLoss(Layer):
    def __init__(self, unconditional=False, **kwargs):
        super().__init__(**kwargs)
        self.unconditional = unconditional

    def call(self, inputs):
        self.add_loss(inputs)
        return inputs

    def get_config(self):
        return {**super().get_config(), "unconditional": self.unconditional}


class AddMetric(Layer):
    def __init__(self, aggregation=None, metric_name=None, **kwargs):
        super().__init__(**kwargs)
        self.aggregation = aggregation
        self.metric_name = metric_name

    def call(self, inputs):
        self.add_metric(inputs, name=self.metric_name, aggregation=self.aggregation)
        return inputs

    def get_config(self):
        return {**super().get_config(), "aggregation": self.aggregation,
                "metric_name": self.metric_name}


__all__ = ["AddLoss", "AddMetric"]
