"""dh-modelcheck: keep machine-learning models in Debian packages honest."""

__version__ = "0.1.0"

# The policy profile used unless one is asked for (data/profiles.desc).
# Here, at the root, because the checks and the front ends both need it.
DEFAULT_PROFILE = "ml-policy"
