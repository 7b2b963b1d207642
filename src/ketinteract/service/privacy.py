"""Holding no patient data after answering.

The query memoises answers per process (``TableIndex.memo``) so bulk checks build each pair once. Pair
answers hold table vocabulary only and are worth keeping; but a typed name is memoised under the name
itself, and in a hook request that text comes from a patient's record. So every request forgets the
memo entries it added under its own texts: nothing from a request outlives its answer, and memory stays
flat however many distinct texts clients send.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from ketinteract.index import TableIndex


@contextmanager
def forgetting(index: TableIndex, texts: Iterable[str]) -> Iterator[None]:
    """Within the block, answer as usual; afterwards drop the memo entries added under any of ``texts``.

    Requests run one at a time on the event loop (the handlers are synchronous inside ``async def``), so
    the entries added during the block are exactly the newest ones.
    """
    memo = getattr(index, "memo", None)
    before = len(memo) if isinstance(memo, dict) else 0
    try:
        yield
    finally:
        if isinstance(memo, dict):
            # Table ids are vocabulary, not patient data, and pair entries are filed under them.
            vocabulary = {*index.drugs, *index.classes, *index.products}
            private = {t for t in texts if t not in vocabulary}
            added = list(itertools.islice(reversed(memo), max(0, len(memo) - before)))
            for key in added:
                if any(isinstance(part, str) and part in private for part in key):
                    del memo[key]
