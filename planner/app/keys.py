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
the widget that got the previous one and its parents have handled it and
whatever the previous key queued in the app (a focus move, a binding that
came back up, a form it opened being mounted) has run.
"""

from __future__ import annotations

import asyncio
from collections import deque

from textual import events
from textual.message import Message

KEY_WAIT = 2.0  # seconds a widget may take over one key before the next goes on regardless


class KeyHandled(Message):
    """The key in flight went through the widgets; the app lets the next one go after what it queued."""


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
        try:
            await asyncio.wait_for(handled.wait(), KEY_WAIT)
        except TimeoutError:
            pass
        for node in getattr(handled, "chain", ()):
            node.message_signal.unsubscribe(self)
        self.post_message(KeyHandled())  # type: ignore[attr-defined]

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
        try:
            await asyncio.wait_for(screen._mounted_event.wait(), KEY_WAIT)
        except TimeoutError:
            pass
        self.call_later(self._release_next)  # type: ignore[attr-defined]  # after the focus the form's mount asked for

    def _release_next(self) -> None:
        self._key_in_flight = False
        if self._keys_waiting:
            self._key_released = self._keys_waiting.popleft()
            self.post_message(self._key_released)  # type: ignore[attr-defined]
