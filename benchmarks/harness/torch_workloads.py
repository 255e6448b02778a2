"""The PyTorch reference: bare eager training loops on the same models and data.

No spec clauses. Owned by the harness; PyTorch is a reference column, not a backend
(it has no Keras API, so it has no adapter). Each loop is what a PyTorch user writes
by hand, one step per batch of a freshly shuffled epoch (Keras's ``fit`` shuffles too)::

    order = torch.randperm(samples)
    for each batch b of order:
        optimizer.zero_grad(); loss = loss_fn(model(x[b]), y[b]); loss.backward(); optimizer.step()

Same shapes, data, batch (64) and sample counts as the Keras workloads. The models
return logits and ``CrossEntropyLoss`` applies the softmax (PyTorch's idiom; the same
loss as Keras's softmax + crossentropy). The optimizers get Keras's defaults: RMSprop
lr 1e-3, rho 0.9 (torch's ``alpha``), epsilon 1e-7; Adam lr 1e-3, betas 0.9/0.999,
epsilon 1e-7. Unlike Keras, the loop computes no accuracy metric. ``import torch``
happens only when a workload is built, and raises ImportError when torch is not installed.

>>> sorted(TORCH_WORKLOADS)
['cnn_fit', 'mlp_fit']
"""
from benchmarks.workloads import BATCH, Timed, random_data, steps_of, warm_up_count


def _mlp(torch, samples):
    """The guide's MLP 784 -> 64 relu -> 64 relu -> 10, RMSprop; (model, optimizer, x, y)."""
    nn = torch.nn
    model = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                          nn.Linear(64, 10))
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    x, y = random_data(samples, (784,))
    return model, optimizer, *_tensors(torch, x, y)


def _cnn(torch, samples):
    """The seed 004 CNN in PyTorch's NCHW layout, Adam; (model, optimizer, x, y)."""
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 32, 5), nn.ReLU(),                     # valid: 28 -> 24
        nn.Conv2d(32, 32, 5, padding=2), nn.ReLU(),         # same: 24 -> 24
        nn.MaxPool2d(2), nn.Dropout(0.5), nn.Flatten(),     # 24 -> 12
        nn.Linear(32 * 12 * 12, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    x, y = random_data(samples, (28, 28, 1))
    return model, optimizer, *_tensors(torch, x.transpose(0, 3, 1, 2).copy(), y)  # NHWC -> NCHW


def _tensors(torch, x, y):
    return torch.from_numpy(x), torch.from_numpy(y.astype("int64"))


# workload -> (model builder, the SIZES entry giving its sample count)
MODELS = {"mlp_fit": (_mlp, "fit_samples"), "cnn_fit": (_cnn, "cnn_samples")}


def _step(torch, model, optimizer, xb, yb):
    """One training step; the batch's loss, detached (no sync: it is only read in checks)."""
    optimizer.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.step()
    return loss.detach()


def _epochs(torch, model, optimizer, x, y, batch):
    """``run(samples)``: one shuffled epoch over the first ``samples`` samples."""
    def run(samples):
        model.train()
        order = torch.randperm(samples)
        for start in range(0, samples, batch):
            b = order[start:start + batch]
            _step(torch, model, optimizer, x[b], y[b])
    return run


def _timed(name, size):
    import torch
    torch.manual_seed(0)
    make, samples_key = MODELS[name]
    samples = size[samples_key]
    model, optimizer, x, y = make(torch, samples)
    run = _epochs(torch, model, optimizer, x, y, BATCH)
    w = warm_up_count(samples, BATCH)
    return Timed("step", steps_of(samples, BATCH), lambda: run(w), lambda: run(samples),
                 {"samples": samples, "batch": BATCH, "shuffled": True,
                  "torch_threads": torch.get_num_threads()})


def mlp_fit(size):
    return _timed("mlp_fit", size)


def cnn_fit(size):
    return _timed("cnn_fit", size)


TORCH_WORKLOADS = {"mlp_fit": mlp_fit, "cnn_fit": cnn_fit}


def first_losses(name, steps=20):
    """The losses of ``steps`` steps on one fixed batch: they fall when the loop trains.

    A sanity check of the loops (the test suite runs it when torch is installed).
    """
    import torch
    torch.manual_seed(0)
    make, _ = MODELS[name]
    model, optimizer, x, y = make(torch, BATCH)
    model.train()
    return [float(_step(torch, model, optimizer, x, y)) for _ in range(steps)]


def torch_version():
    import torch
    return torch.__version__


__all__ = ["MODELS", "TORCH_WORKLOADS", "cnn_fit", "first_losses", "mlp_fit", "torch_version"]
