"""Guangong (关工): the work platform of the 关心下一代工作委员会 network."""

__version__ = "0.1.0"
