"""Every key lands where the user typed it, however fast the keys come.

Textual routes a key to the widget focused when the key is read, and a key
that no widget takes comes back to the app, which then runs the binding of
the widget focused *at that time*. Both steps go through message queues, and
a binding that moves the focus (``e`` in the overview, Tab, opening a form)
moves it only once the app gets to the callback it queued. Keys that arrive
together (a paste without bracketed paste, a slow SSH link, key repeat) are
read before that: they went to the widget that had the focus before, or to a
binding of the field they were meant for, and were lost or misapplied.

`KeyInOrder` takes the keys one at a time: the next key is routed only once
the widget that got the previous one and its parents have handled it, the
messages it set off went through the widgets' queues (Enter's `Submitted`
reaching the view that moves the focus, a tab's activation reaching the app
that shows the view), and whatever it queued in the app (a focus move, a
binding that came back up, a form it opened being mounted) has run.

A widget that takes long over a key (a large form being mounted on a busy
machine) holds the next keys back for up to `KEY_WAIT` seconds; when the
widget closes (the key saved or cancelled a form), the next key goes on at
once.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable

from textual import events
from textual.message import Message

KEY_WAIT = 10.0  # seconds a widget may take over one key before the next goes on regardless
DRAIN_ROUNDS = 12  # rounds of messages set off by one key (each handled message may post the next)


class KeyHandled(Message):
    """The key in flight went through the widgets; the app lets the next one go after what it queued."""


class _Countdown:
    """An event set once `one` has been called ``left`` times."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.left = 0

    def one(self) -> None:
        self.left -= 1
        if not self.left:
            self.event.set()


class KeyInOrder:
    """Mixin for the `App`: keys are routed one after the other, each after the last one's effects."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._keys_waiting: deque[events.Key] = deque()
        self._key_in_flight = False
        self._key_released: events.Key | None = None
        self._key_tasks: set[asyncio.Task] = set()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if event is not self._key_released and (self._key_in_flight or self._keys_waiting):
                self._keys_waiting.append(event)
                return
            self._key_released = None
            self._key_in_flight = True
            handled = self._follow(event)
            await super().on_event(event)  # type: ignore[misc]
            if not event.is_forwarded:  # a priority binding took it
                handled.set()
            task = asyncio.create_task(self._after_key(handled))
            self._key_tasks.add(task)
            task.add_done_callback(self._key_tasks.discard)
            return
        await super().on_event(event)  # type: ignore[misc]

    def _follow(self, key: events.Key) -> asyncio.Event:
        """An event set once ``key`` went through the widgets it is routed to (the focused one up to the screen)."""
        handled = asyncio.Event()
        chain = []
        node = self.focused or self.screen  # type: ignore[attr-defined]
        while node is not None and node is not self:
            chain.append(node)
            node = node._parent
        if not chain:
            handled.set()
            return handled

        def seen(node, message: Message) -> None:
            if message is key and (message._stop_propagation or node is chain[-1]):
                handled.set()  # taken here, or on its way back to the app (which runs after what is queued now)

        for node in chain:
            node.message_signal.subscribe(self, lambda message, node=node: seen(node, message), immediate=True)
        handled.chain = chain  # type: ignore[attr-defined]
        return handled

    async def _after_key(self, handled: asyncio.Event) -> None:
        chain = getattr(handled, "chain", ())
        await _until(handled, lambda: any(not node.is_attached for node in chain))
        for node in chain:
            node.message_signal.unsubscribe(self)
        await self._drain()
        self.post_message(KeyHandled())  # type: ignore[attr-defined]

    async def _drain(self) -> None:
        """Wait until the messages waiting in the app's and the screen's queues are handled, and those they post in turn."""
        for _ in range(DRAIN_ROUNDS):
            nodes = [self, *self.screen.walk_children(with_self=True)]  # type: ignore[attr-defined]
            busy = [node for node in nodes if node.message_queue_size or node._pending_message is not None]
            if not busy:
                return
            drained = _Countdown()  # one per round: a late callback of an earlier round cannot end this one
            for node in busy:
                drained.left += bool(node.call_later(drained.one))
            if not drained.left:
                return
            await _until(drained.event, lambda: self._exit)  # type: ignore[attr-defined]

    def _on_key_handled(self, message: KeyHandled) -> None:
        message.stop()
        screen = self.screen  # type: ignore[attr-defined]
        if not screen._mounted_event.is_set():  # the key opened a form: the next keys are for its fields
            task = asyncio.create_task(self._release_when_mounted(screen))
            self._key_tasks.add(task)
            task.add_done_callback(self._key_tasks.discard)
            return
        self._release_next()

    async def _release_when_mounted(self, screen) -> None:
        await _until(screen._mounted_event, lambda: screen not in self.screen_stack)  # type: ignore[attr-defined]
        self.call_later(self._release_next)  # type: ignore[attr-defined]  # after the focus the form's mount asked for

    def _release_next(self) -> None:
        self._key_in_flight = False
        if self._keys_waiting:
            self._key_released = self._keys_waiting.popleft()
            self.post_message(self._key_released)  # type: ignore[attr-defined]


async def _until(event: asyncio.Event, gone: Callable[[], bool]) -> None:
    """Wait for ``event``, at most `KEY_WAIT` seconds, and no longer once ``gone()`` (the widget waited for closed)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + KEY_WAIT
    while not event.is_set() and not gone() and (left := deadline - loop.time()) > 0:
        try:
            await asyncio.wait_for(event.wait(), min(left, 0.1))
        except TimeoutError:
            pass
