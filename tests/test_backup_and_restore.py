"""BackupAndRestore under fire: a training process killed with SIGKILL, then run again
(clause RESUME.BACKUP), plus the argument checks refkeras adds to tf_keras's.

The trainer script pauses at every *event*: after each training batch, and just before
each ``os.replace`` that commits a backup file (the weights, then training_state.json).
At each pause it prints the event and waits for a line on stdin, so the test kills it
exactly at the event hypothesis picks: between batches, between an epoch's last batch
and its backup, or with a backup written but not yet committed. Run again to the end,
it must finish exactly as an uninterrupted run does, its History covering only the
epochs after the last committed backup, and leave the backup folder empty.
"""
import json
import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from refkeras.callbacks import BackupAndRestore

EPOCHS, STEPS = 6, 4
# Per epoch: STEPS batches, then the backup's two commits (weights, JSON).
EVENTS = EPOCHS * (STEPS + 2)

TRAINER = textwrap.dedent('''
    import json, os, sys
    import numpy as np
    import refkeras as keras

    folder, out, mode = sys.argv[1:4]

    def event(name):
        print("@" + name, flush=True)
        if mode == "pause":
            sys.stdin.readline()          # the test answers, or kills us here

    commit = os.replace
    def replace(src, dst):                # every backup file is committed by os.replace
        if folder != "-" and os.path.dirname(os.path.abspath(dst)) == os.path.abspath(folder):
            event("commit " + os.path.basename(dst))   # (not numba's cache files)
        commit(src, dst)
    os.replace = replace

    class Progress(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch
        def on_train_batch_end(self, batch, logs=None):
            event(f"batch {self.epoch} {batch}")

    x = np.arange(32, dtype="float32").reshape(16, 2) / 32
    y = (x[:, :1] * 2 - x[:, 1:] + 0.5).astype("float32")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="tanh"),
                              keras.layers.Dense(1)])
    rng = np.random.RandomState(0)
    model.set_weights([rng.uniform(-1, 1, w.shape).astype("float32")
                       for w in model.get_weights()])
    model.compile(keras.optimizers.Adam(0.05), "mse")
    callbacks = [keras.callbacks.BackupAndRestore(folder), Progress()] if folder != "-" \\
        else [Progress()]
    history = model.fit(x, y, batch_size=4, epochs=6, shuffle=False, verbose=0,
                        callbacks=callbacks)
    os.replace = commit
    np.savez(out + ".npz", *model.get_weights())
    with open(out + ".json", "w") as f:
        json.dump({"epoch": history.epoch, "loss": history.history.get("loss", []),
                   "iterations": int(model.optimizer.iterations.numpy())}, f)
    print("finished", flush=True)
''')


@pytest.fixture(scope="module")
def trainer(tmp_path_factory):
    path = tmp_path_factory.mktemp("trainer") / "train.py"
    path.write_text(TRAINER)
    return str(path)


@pytest.fixture(scope="module")
def uninterrupted(trainer, tmp_path_factory):
    """The weights and History of a run without BackupAndRestore, never paused."""
    out = str(tmp_path_factory.mktemp("uninterrupted") / "run")
    events = run(trainer, "-", out)
    assert events == [f"@batch {e} {b}" for e in range(EPOCHS) for b in range(STEPS)]
    return result(out)


def events_of_a_full_run():
    return [e for epoch in range(EPOCHS)
            for e in [f"batch {epoch} {b}" for b in range(STEPS)]
            + [f"commit ckpt-{epoch + 1}.weights.h5", "commit training_state.json"]]


def run(trainer, folder, out, kill_at=None):
    """Run the trainer; answer every event, or SIGKILL it at event number ``kill_at``.
    Returns the events it printed (the killed one last)."""
    mode = "run" if kill_at is None else "pause"
    process = subprocess.Popen([sys.executable, trainer, folder, out, mode],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    events = []
    try:
        for line in process.stdout:
            line = line.strip()
            if not line.startswith("@"):
                continue
            events.append(line)
            if len(events) - 1 == kill_at:
                process.send_signal(signal.SIGKILL)
                break
            if mode == "pause":
                process.stdin.write("\n")
                process.stdin.flush()
    finally:
        code = process.wait(timeout=60)
        process.stdin.close()
        process.stdout.close()
    assert code == (-signal.SIGKILL if kill_at is not None else 0)
    return events


def result(out):
    with np.load(out + ".npz") as weights:
        arrays = [weights[f"arr_{i}"] for i in range(len(weights.files))]
    with open(out + ".json") as f:
        return arrays, json.load(f)


@settings(max_examples=3, deadline=None)
@given(kill_at=st.integers(0, EVENTS - 1))
@example(kill_at=STEPS)              # epoch 0 ended; its weights not yet committed
@example(kill_at=2 * (STEPS + 2) - 1)   # epoch 1's weights committed, its JSON not yet
def test_a_killed_training_resumes_and_ends_as_an_uninterrupted_run(
        trainer, uninterrupted, tmp_path_factory, kill_at):
    work = tmp_path_factory.mktemp("killed")
    folder, out = str(work / "backup"), str(work / "run")
    events = run(trainer, folder, out, kill_at=kill_at)
    assert events == ["@" + e for e in events_of_a_full_run()[:kill_at + 1]]
    # The backups committed before the kill: a JSON replace the process got past.
    committed = events[:kill_at].count("@commit training_state.json")

    run(trainer, folder, out)
    weights, history = result(out)
    expected_weights, expected_history = uninterrupted
    for got, want in zip(weights, expected_weights, strict=True):
        np.testing.assert_array_equal(got, want)
    assert history["epoch"] == list(range(committed, EPOCHS))
    assert history["loss"] == expected_history["loss"][committed:]
    assert history["iterations"] == EPOCHS * STEPS
    assert os.listdir(folder) == []           # the backup and any killed write's leftovers


# ------------------------------------------------------------------ arguments
@pytest.mark.parametrize("backup_dir", ["", None])
def test_an_empty_backup_dir_raises(backup_dir):
    with pytest.raises(ValueError, match="Empty `backup_dir`"):
        BackupAndRestore(backup_dir)


@pytest.mark.parametrize("save_freq", [-1, True, 1.5, "batch"])
def test_a_save_freq_neither_epoch_nor_a_positive_int_raises(tmp_path, save_freq):
    with pytest.raises(ValueError, match="save_freq must be 'epoch' or a positive number"):
        BackupAndRestore(str(tmp_path), save_freq=save_freq)


def test_save_before_preemption_is_not_implemented(tmp_path):
    with pytest.raises(NotImplementedError, match="save_before_preemption=True"):
        BackupAndRestore(str(tmp_path), save_before_preemption=True)


def test_a_path_like_backup_dir_is_accepted(tmp_path):
    assert BackupAndRestore(tmp_path).backup_dir == str(tmp_path)
