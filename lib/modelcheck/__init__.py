"""dh-modelcheck: keep machine-learning models in Debian packages honest."""

__version__ = "0.1.0"
