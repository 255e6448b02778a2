"""(being written for issue 5)"""
__all__ = []
