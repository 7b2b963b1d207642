"""Holding no patient data after answering.

The query memoises answers per process (``CompiledIndex.memo``) so repeated checks build each answer
once. Pair answers, keyed ``("pair", a, b, contexts, route, min_severity)``, hold table ids and filters
only and are worth keeping; but a typed name is memoised as ``("name", text)`` and a whole regimen as
``("regimen", names, ...)``, and in a request those texts come from a patient's record. So every request
forgets the name and regimen entries it added: nothing from a request outlives its answer, and memory
stays flat however many distinct texts clients send.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from ketinteract.compiled import CompiledIndex


@contextmanager
def forgetting(index: CompiledIndex, texts: Iterable[str]) -> Iterator[None]:
    """Within the block, answer as usual; afterwards drop the ``("name", text)`` memo entries for any of
    ``texts`` that the block added (entries that were there before are left alone).

    Requests run one at a time on the event loop (the handlers are synchronous inside ``async def``), so
    no other request adds or reads entries while the block runs.
    """
    wanted = set(texts)
    before = set(index.memo)
    try:
        yield
    finally:
        # Name entries for the request's texts, and whole-regimen entries (keyed by the typed names),
        # both carry text from a patient's record; pair entries hold table ids only.
        for key in set(index.memo) - before:
            kind = key[0] if isinstance(key, tuple) and key else None
            if kind == "regimen" or (kind == "name" and isinstance(key, tuple) and key[1] in wanted):
                index.memo.pop(key, None)
