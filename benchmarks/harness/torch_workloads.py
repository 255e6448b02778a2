"""The PyTorch reference: bare eager training loops on the same models and data.

No spec clauses. Owned by the harness; PyTorch is a reference column, not a backend
(it has no Keras API, so it has no adapter). Each loop is what a PyTorch user writes
by hand, one step per batch::

    for xb, yb in batches:
        optimizer.zero_grad(); loss = loss_fn(model(xb), yb); loss.backward(); optimizer.step()

The models return logits and ``CrossEntropyLoss`` applies the softmax (PyTorch's
idiom); the optimizers get Keras's defaults (RMSprop rho 0.9, epsilons 1e-7, lr 1e-3),
so the work per step matches the Keras workloads. ``import torch`` happens only when a
workload is built, and raises ImportError when torch is not installed.

>>> sorted(TORCH_WORKLOADS)
['cnn_fit', 'mlp_fit']
"""
from benchmarks.workloads import BATCH, Timed, random_data, steps_of, warm_up_count


def _train_loop(torch, model, optimizer, x, y, batch):
    loss_fn = torch.nn.CrossEntropyLoss()

    def run(samples):
        model.train()
        for start in range(0, samples, batch):
            xb, yb = x[start:start + batch], y[start:start + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
    return run


def _tensors(torch, x, y):
    return torch.from_numpy(x), torch.from_numpy(y.astype("int64"))


def mlp_fit(size):
    import torch
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                          nn.Linear(64, 10))
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    samples = size["fit_samples"]
    x, y = _tensors(torch, *random_data(samples, (784,)))
    run = _train_loop(torch, model, optimizer, x, y, BATCH)
    w = warm_up_count(samples, BATCH)
    return Timed("step", steps_of(samples, BATCH), lambda: run(w), lambda: run(samples),
                 {"samples": samples, "batch": BATCH, "torch_threads": torch.get_num_threads()})


def cnn_fit(size):
    import torch
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 32, 5), nn.ReLU(),                     # valid: 28 -> 24
        nn.Conv2d(32, 32, 5, padding=2), nn.ReLU(),         # same: 24 -> 24
        nn.MaxPool2d(2), nn.Dropout(0.5), nn.Flatten(),     # 24 -> 12
        nn.Linear(32 * 12 * 12, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    samples = size["cnn_samples"]
    x, y = random_data(samples, (28, 28, 1))
    x, y = _tensors(torch, x.transpose(0, 3, 1, 2).copy(), y)   # NHWC -> NCHW
    run = _train_loop(torch, model, optimizer, x, y, BATCH)
    w = warm_up_count(samples, BATCH)
    return Timed("step", steps_of(samples, BATCH), lambda: run(w), lambda: run(samples),
                 {"samples": samples, "batch": BATCH, "torch_threads": torch.get_num_threads()})


TORCH_WORKLOADS = {"mlp_fit": mlp_fit, "cnn_fit": cnn_fit}


def torch_version():
    import torch
    return torch.__version__


__all__ = ["TORCH_WORKLOADS", "cnn_fit", "mlp_fit", "torch_version"]
