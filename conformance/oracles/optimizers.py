"""Float64 numpy oracles of the optimizers' update rules (clauses OPT.* of docs/spec.md).

Rule: ``run(name, hyper, var, grads)`` applies the optimizer ``name`` with the
hyper-parameters ``hyper`` (tf_keras's argument names and defaults) to one variable,
one gradient per step, in float64, and returns the variable after every step and the
final slots under tf_keras's slot names. The formulas are the clauses' rules; only
the precision differs (the backends compute in float32). Owned by the conformance
suite; no backend is imported.

>>> import numpy as np
>>> values, slots = run("SGD", {"learning_rate": 0.1, "momentum": 0.9}, np.ones(1),
...                     [np.ones(1), np.ones(1)])
>>> [round(float(v[0]), 6) for v in values], round(float(slots["m"][0]), 6)
([0.9, 0.71], -0.19)
"""
import numpy as np

DEFAULTS = {
    "SGD": {"learning_rate": 0.01, "momentum": 0.0, "nesterov": False},
    "RMSprop": {"learning_rate": 0.001, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7,
                "centered": False},
    "Adam": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
             "amsgrad": False},
    "AdamW": {"learning_rate": 0.001, "weight_decay": 0.004, "beta_1": 0.9, "beta_2": 0.999,
              "epsilon": 1e-7, "amsgrad": False},
    "Adagrad": {"learning_rate": 0.001, "initial_accumulator_value": 0.1, "epsilon": 1e-7},
    "Adadelta": {"learning_rate": 0.001, "rho": 0.95, "epsilon": 1e-7},
    "Adamax": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
    "Nadam": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
    "Ftrl": {"learning_rate": 0.001, "learning_rate_power": -0.5,
             "initial_accumulator_value": 0.1, "l1_regularization_strength": 0.0,
             "l2_regularization_strength": 0.0, "l2_shrinkage_regularization_strength": 0.0,
             "beta": 0.0},
}


def initial_slots(name, h, var):
    zeros = np.zeros_like(var)
    table = {
        "SGD": {"m": zeros},
        "RMSprop": {"velocity": zeros, "momentum": zeros, "average_gradient": zeros},
        "Adam": {"m": zeros, "v": zeros, "vhat": zeros},
        "Adagrad": {"accumulator": np.full_like(var, h.get("initial_accumulator_value", 0))},
        "Adadelta": {"accumulated_grad": zeros, "accumulated_delta_var": zeros},
        "Adamax": {"m": zeros, "u": zeros},
        "Nadam": {"m": zeros, "v": zeros, "u_product": 1.0},
        "Ftrl": {"accumulator": np.full_like(var, h.get("initial_accumulator_value", 0)),
                 "linear": zeros},
    }
    return dict(table["Adam" if name == "AdamW" else name])


def step(name, h, var, g, s, t):
    """One update of ``var`` (t = 1 for the first step); returns (var, slots)."""
    lr = h["learning_rate"]
    s = dict(s)
    if h.get("weight_decay") is not None:
        var = var - var * h["weight_decay"] * lr
    if name == "SGD":
        s["m"] = h["momentum"] * s["m"] - lr * g
        var = var + (h["momentum"] * s["m"] - lr * g if h["nesterov"] else s["m"])
    elif name == "RMSprop":
        rho = h["rho"]
        s["velocity"] = rho * s["velocity"] + (1 - rho) * g * g
        denominator = s["velocity"] + h["epsilon"]
        if h["centered"]:
            s["average_gradient"] = rho * s["average_gradient"] + (1 - rho) * g
            denominator = denominator - s["average_gradient"] ** 2
        increment = lr * g / np.sqrt(denominator)
        if h["momentum"] > 0:
            s["momentum"] = h["momentum"] * s["momentum"] + increment
            increment = s["momentum"]
        var = var - increment
    elif name in ("Adam", "AdamW"):
        b1, b2 = h["beta_1"], h["beta_2"]
        s["m"] = s["m"] + (g - s["m"]) * (1 - b1)
        s["v"] = s["v"] + (g * g - s["v"]) * (1 - b2)
        v = s["v"]
        if h["amsgrad"]:
            s["vhat"] = v = np.maximum(s["vhat"], v)
        alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        var = var - s["m"] * alpha / (np.sqrt(v) + h["epsilon"])
    elif name == "Adagrad":
        s["accumulator"] = s["accumulator"] + g * g
        var = var - lr * g / np.sqrt(s["accumulator"] + h["epsilon"])
    elif name == "Adadelta":
        rho, eps = h["rho"], h["epsilon"]
        s["accumulated_grad"] = rho * s["accumulated_grad"] + (1 - rho) * g * g
        delta = -np.sqrt(s["accumulated_delta_var"] + eps) * g / np.sqrt(s["accumulated_grad"] + eps)
        s["accumulated_delta_var"] = rho * s["accumulated_delta_var"] + (1 - rho) * delta ** 2
        var = var + lr * delta
    elif name == "Adamax":
        s["m"] = s["m"] + (g - s["m"]) * (1 - h["beta_1"])
        s["u"] = np.maximum(h["beta_2"] * s["u"], np.abs(g))
        var = var - lr * s["m"] / ((1 - h["beta_1"] ** t) * (s["u"] + h["epsilon"]))
    elif name == "Nadam":
        b1, b2 = h["beta_1"], h["beta_2"]
        u_t = b1 * (1 - 0.5 * 0.96 ** t)
        u_next = b1 * (1 - 0.5 * 0.96 ** (t + 1))
        s["u_product"] = product = s["u_product"] * u_t
        s["m"] = s["m"] + (g - s["m"]) * (1 - b1)
        s["v"] = s["v"] + (g * g - s["v"]) * (1 - b2)
        m_hat = u_next * s["m"] / (1 - product * u_next) + (1 - u_t) * g / (1 - product)
        v_hat = s["v"] / (1 - b2 ** t)
        var = var - m_hat * lr / (np.sqrt(v_hat) + h["epsilon"])
    elif name == "Ftrl":
        p = -h["learning_rate_power"]
        l1 = h["l1_regularization_strength"]
        l2 = h["l2_regularization_strength"] + h["beta"] / (2 * lr)
        grad_to_use = g + 2 * h["l2_shrinkage_regularization_strength"] * var
        new_accumulator = s["accumulator"] + g * g
        s["linear"] = s["linear"] + grad_to_use - (
            new_accumulator ** p - s["accumulator"] ** p) / lr * var
        quadratic = new_accumulator ** p / lr + 2 * l2
        var = (np.clip(s["linear"], -l1, l1) - s["linear"]) / quadratic
        s["accumulator"] = new_accumulator
    else:
        raise ValueError(f"no oracle for {name!r}")
    return var, s


def run(name, hyper, var, grads):
    h = {**DEFAULTS[name], **hyper}
    var = np.asarray(var, np.float64)
    slots = initial_slots(name, h, var)
    values = []
    for t, g in enumerate(grads, start=1):
        var, slots = step(name, h, var, np.asarray(g, np.float64), slots, t)
        values.append(var)
    return values, slots


__all__ = ["DEFAULTS", "run", "step"]
