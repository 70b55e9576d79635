"""Ctrl-C that always arrives: an interrupt lost in a garbage-collection callback is delivered again.

Python runs a signal handler at the next bytecode it executes, which can be inside a weakref callback or a
``__del__`` method (matplotlib builds many of them). A ``KeyboardInterrupt`` raised there is "unraisable": it is
printed and dropped, and the program runs on as if Ctrl-C had never been pressed. :func:`interrupts_delivered`
catches such a dropped interrupt and raises it again in the main program (docs/architecture.md, "The floor").
"""

from __future__ import annotations

import _thread
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator

__all__ = ["interrupts_delivered"]

#: Seconds before a dropped interrupt is raised again: long after the burst of callbacks it landed in.
RETRY_SECONDS = 0.01


class _State:
    """Whether the context is open and whether an interrupt was dropped and not yet raised again."""

    active = False
    dropped = False


def _on_sigint(signum, frame) -> None:
    """The context's Ctrl-C handler: a KeyboardInterrupt, as Python's own, that clears the dropped mark."""
    _State.dropped = False
    raise KeyboardInterrupt


def _retry() -> None:
    if _State.active and _State.dropped:
        _thread.interrupt_main(signal.SIGINT)


def _deliver_again(hook):
    """An unraisable hook that schedules a dropped KeyboardInterrupt again and passes everything else on."""

    def unraisable(info) -> None:
        if info.exc_type is not None and issubclass(info.exc_type, KeyboardInterrupt):
            _State.dropped = True
            timer = threading.Timer(RETRY_SECONDS, _retry)  # not from here: the hook's own code would drop it
            timer.daemon = True
            timer.start()
            return
        hook(info)

    return unraisable


@contextlib.contextmanager
def interrupts_delivered() -> Iterator[None]:
    """Within this context, a Ctrl-C that Python drops inside a callback is raised again in the main program.

    The dropped interrupt is raised again about ``RETRY_SECONDS`` later, or when the context closes, whichever
    comes first. Other unraisable exceptions go to the hook that was there before, and an interrupt raised in
    ordinary code propagates as always. Outside the main thread the context does nothing (Python delivers
    signals only there). The command line runs every command inside it.

    Examples
    --------
    >>> import signal, weakref
    >>> class Node:
    ...     pass
    >>> def callback(_):  # Ctrl-C while a garbage-collection callback runs
    ...     signal.raise_signal(signal.SIGINT)
    >>> caught = False
    >>> try:
    ...     with interrupts_delivered():
    ...         node = Node()
    ...         ref = weakref.ref(node, callback)
    ...         del node  # the callback runs here; plain Python would print the interrupt and go on
    ... except KeyboardInterrupt:
    ...     caught = True
    >>> caught
    True
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    hook, handler = sys.unraisablehook, signal.signal(signal.SIGINT, _on_sigint)
    sys.unraisablehook, _State.active, _State.dropped = _deliver_again(hook), True, False
    try:
        yield
        if _State.dropped:
            _State.dropped = False
            raise KeyboardInterrupt
    finally:
        _State.active = False
        sys.unraisablehook = hook
        signal.signal(signal.SIGINT, handler)
