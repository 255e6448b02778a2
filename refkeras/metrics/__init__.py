"""(being written for issue 5)"""
from refkeras.metrics.metric import Metric

__all__ = ["Metric"]
