"""``keras.callbacks``: hooks into fit, evaluate and predict.

Clauses: CALLBACKS.ORDER, CALLBACKS.ATTRS, CALLBACKS.STOP, CALLBACKS.HISTORY,
CALLBACKS.PROGBAR, PIT.HOOK_ORDER, MODEL_CHECKPOINT, RESUME, RESUME.BACKUP (docs/spec.md).

Module map: ``callback.py`` (Callback, the base with every hook), ``callback_list.py``
(CallbackList: order, defaults, dispatch), ``logs.py`` (what ``logs`` holds),
``history.py`` (History), ``progbar_logger.py`` (ProgbarLogger; the text itself is
``utils/progbar.py``), ``model_checkpoint.py`` (ModelCheckpoint; the files themselves
are ``saving/``), ``backup_and_restore.py`` (BackupAndRestore: fit resumes after a
crash). The built-in callbacks beyond these (EarlyStopping, CSVLogger,
LearningRateScheduler, ...) come with a later issue.

Who owns what: the trainer (``trainers/trainer.py``) calls the hooks; this package
owns what happens inside them.

>>> cbs = CallbackList(add_history=True, add_progbar=True, verbose=1, epochs=1, steps=1)
>>> [type(c).__name__ for c in cbs]
['History', 'ProgbarLogger']
"""
from refkeras.callbacks.backup_and_restore import BackupAndRestore
from refkeras.callbacks.callback import Callback
from refkeras.callbacks.callback_list import CallbackList
from refkeras.callbacks.history import History
from refkeras.callbacks.model_checkpoint import ModelCheckpoint
from refkeras.callbacks.progbar_logger import ProgbarLogger

__all__ = ["BackupAndRestore", "Callback", "CallbackList", "History", "ModelCheckpoint", "ProgbarLogger"]
