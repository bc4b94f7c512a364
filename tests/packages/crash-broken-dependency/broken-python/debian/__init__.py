# Stands for a broken python3-debian: build-env puts this directory first on
# Python's path, so importing the "debian" package fails.
raise RuntimeError("broken python3-debian installation")
