"""``keras.datasets``: small real data sets, fetched once and cached (``mnist``).

``data_utils.get_file`` is the cache (``keras.utils.get_file``); each data set's module
owns its URL and hash.
"""
from refkeras.datasets import data_utils, mnist

__all__ = ["data_utils", "mnist"]
