"""Pooling layers (channels_last): windowed max / average, and global max / average."""
from refkeras.layers.pooling.average_pooling1d import AveragePooling1D, AvgPool1D
from refkeras.layers.pooling.average_pooling2d import AveragePooling2D, AvgPool2D
from refkeras.layers.pooling.base_global_pooling import GlobalPooling1D, GlobalPooling2D
from refkeras.layers.pooling.base_pooling import Pooling1D, Pooling2D
from refkeras.layers.pooling.global_average_pooling1d import (
                                                              GlobalAveragePooling1D,
                                                              GlobalAvgPool1D,
)
from refkeras.layers.pooling.global_average_pooling2d import (
                                                              GlobalAveragePooling2D,
                                                              GlobalAvgPool2D,
)
from refkeras.layers.pooling.global_max_pooling1d import (
                                                              GlobalMaxPool1D,
                                                              GlobalMaxPooling1D,
)
from refkeras.layers.pooling.global_max_pooling2d import (
                                                              GlobalMaxPool2D,
                                                              GlobalMaxPooling2D,
)
from refkeras.layers.pooling.max_pooling1d import MaxPool1D, MaxPooling1D
from refkeras.layers.pooling.max_pooling2d import MaxPool2D, MaxPooling2D

__all__ = ["AveragePooling1D", "AveragePooling2D", "AvgPool1D", "AvgPool2D", "GlobalAveragePooling1D",
           "GlobalAveragePooling2D", "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalMaxPool1D",
           "GlobalMaxPool2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalPooling1D",
           "GlobalPooling2D", "MaxPool1D", "MaxPool2D", "MaxPooling1D", "MaxPooling2D",
           "Pooling1D", "Pooling2D"]
