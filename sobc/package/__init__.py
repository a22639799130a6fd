"""Writing packages: the manifest writer, one program's package, the output folder and its
atomic swap, and the build that decides what to compile (with its digests and cache)."""
