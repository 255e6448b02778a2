"""Training: the Trainer mixin of Model (``trainer.py``), what compile() builds
(``compile_utils.py``), and how data becomes batches (``epoch_iterator.py``,
``data_adapters/``)."""
