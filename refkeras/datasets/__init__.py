"""``keras.datasets``: small real data sets, fetched once and cached (``mnist``).

``refkeras.utils.data_utils.get_file`` is the cache (``keras.utils.get_file``); each data set's module
owns its URL and hash.
"""
from refkeras.datasets import mnist

__all__ = ["mnist"]
