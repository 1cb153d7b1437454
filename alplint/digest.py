"""The one hash alplint uses for what it must recognise again (cached files, fixed texts, rule sources)."""

try:  # hashlib would load OpenSSL as well, which a run over one form need not pay for
    from _blake2 import blake2b
except ImportError:  # pragma: no cover (a Python built without it)
    from hashlib import blake2b

__all__ = ["blake2b"]
