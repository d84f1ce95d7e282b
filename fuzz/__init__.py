"""Fuzz targets for the parsers and decoders that read what a peer or a user wrote.

``python -m fuzz TARGET`` runs one (see ``fuzz/__main__.py`` and the README's Fuzzing
section); ``fuzz/engine.py`` holds the engines (atheris, coverage-guided; hypothesis, the
fallback) and the crash rules common to every target; ``fuzz/targets/<name>.py`` each state
what a crash is for that target; ``fuzz/corpus/<name>/`` are the committed seed corpora
(``python -m fuzz seeds`` rewrites them); ``fuzz/channel.py`` runs the channel end to end
against a server that sends random and mutated frames.

Nothing here is imported by the components: this package is a development tool, like bench/.
"""

BYTE_TARGETS = ("frames", "handshake", "deflate", "uri", "idl", "prefs")
