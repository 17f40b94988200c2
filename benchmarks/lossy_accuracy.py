"""The ``lossy`` suite of ``benchmarks/accuracy.py``: the table of ``accuracy_lossy.py``.

``accuracy.py`` imports this module by name; it registers one suite that measures every
lossy chain (8 paragraphs per chain and script group; a few minutes). For a quick look
run ``python benchmarks/accuracy_lossy.py --quick``.
"""

from __future__ import annotations

import sys

import accuracy_lossy

# ``accuracy.py`` run as a script is ``__main__``: register there, not in a second copy.
_main = sys.modules.get("__main__")
if _main is not None and hasattr(_main, "register") and hasattr(_main, "Suite"):
    accuracy = _main
else:
    import accuracy


def lossy_suite() -> list[accuracy.Table]:
    measured = accuracy_lossy.rows()
    return [accuracy.Table(
        "Lossy chains: UTF-8 read by a CJK codec that lost bytes (codec given, failure "
        "mode detected)", accuracy_lossy.HEADER, accuracy_lossy.table_rows(measured))]


accuracy.register(accuracy.Suite("lossy", lossy_suite))
