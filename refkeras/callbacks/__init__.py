"""``keras.callbacks``: hooks into fit, evaluate and predict.

Clauses: CALLBACKS.ORDER, CALLBACKS.ATTRS, CALLBACKS.STOP, CALLBACKS.HISTORY,
CALLBACKS.PROGBAR, PIT.HOOK_ORDER, MODEL_CHECKPOINT, RESUME, RESUME.BACKUP (docs/spec.md).

Module map: ``callback.py`` (Callback, the base with every hook), ``callback_list.py``
(CallbackList: order, defaults, dispatch), ``logs.py`` (what ``logs`` holds),
``history.py`` (History), ``progbar_logger.py`` (ProgbarLogger; the text itself is
``utils/progbar.py``), ``model_checkpoint.py`` (ModelCheckpoint; the files themselves
are ``saving/``), ``backup_and_restore.py`` (BackupAndRestore: fit resumes after a
crash), ``early_stopping.py`` (EarlyStopping), ``reduce_lr_on_plateau.py``
(ReduceLROnPlateau), ``monitor.py`` (the min/max/auto rules of these two and
ModelCheckpoint; PIT.MODE_AUTO), ``csv_logger.py`` (CSVLogger),
``learning_rate_scheduler.py`` (LearningRateScheduler), ``terminate_on_nan.py``
(TerminateOnNaN) and ``lambda_callback.py`` (LambdaCallback); CALLBACKS.CSV_LOGGER,
CALLBACKS.LR_SCHEDULER, CALLBACKS.TERMINATE_ON_NAN, CALLBACKS.LAMBDA, PIT.LR_IN_LOGS.

Who owns what: the trainer (``trainers/trainer.py``) calls the hooks; this package
owns what happens inside them.

>>> cbs = CallbackList(add_history=True, add_progbar=True, verbose=1, epochs=1, steps=1)
>>> [type(c).__name__ for c in cbs]
['History', 'ProgbarLogger']
"""
from refkeras.callbacks.backup_and_restore import BackupAndRestore
from refkeras.callbacks.callback import Callback
from refkeras.callbacks.callback_list import CallbackList
from refkeras.callbacks.csv_logger import CSVLogger
from refkeras.callbacks.early_stopping import EarlyStopping
from refkeras.callbacks.history import History
from refkeras.callbacks.lambda_callback import LambdaCallback
from refkeras.callbacks.learning_rate_scheduler import LearningRateScheduler
from refkeras.callbacks.model_checkpoint import ModelCheckpoint
from refkeras.callbacks.progbar_logger import ProgbarLogger
from refkeras.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from refkeras.callbacks.remote_monitor import RemoteMonitor
from refkeras.callbacks.tensorboard import TensorBoard
from refkeras.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = ["BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping",
           "History", "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint",
           "ProgbarLogger", "ReduceLROnPlateau", "RemoteMonitor", "TensorBoard", "TerminateOnNaN"]
