"""Model files that run code when they are loaded, found without loading them.

- ``policy``: the allowlist and denylist of data/pickle-callables.desc, and
  the verdict on one name;
- ``streams``: bounded byte streams over a file, a zip member or a
  decompressor, which the walk reads;
- ``opcodes``: the static walk of one pickle stream (pickletools only);
- ``joblib``: the array bytes joblib writes in the middle of its pickles;
- ``keras``: Lambda layers and custom objects in a Keras model config;
- ``places``: where pickles hide in a file, found by content.

Nothing here unpickles, imports what a pickle names, or executes anything.
"""
