"""The static walk of one pickle stream.

pickletools.genops decodes the opcodes; this module keeps just enough of the
unpickler's stack and memo to know what every call would call: the constant
strings and numbers, tuples and dictionaries of them, the globals named by
GLOBAL, STACK_GLOBAL and INST, and what calling a global returned (REDUCE,
NEWOBJ, NEWOBJ_EX, OBJ, INST).  Nothing is unpickled or imported.

Every name a stream can reach is recorded, called or not (find_class
imports it either way).  The walk fails closed: whatever it cannot resolve
to a constant name is a problem, and a problem makes the stream dangerous:
a STACK_GLOBAL whose strings are computed, a call of something that is not
a named global (a getattr chain), extension codes (resolved from copyreg's
registry at load time), a BUILD that changes a global itself, a memo read
before it is written, an unknown opcode, a truncated stream, a protocol
beyond pickle's, a stack that underflows, and a stream beyond the bounds.

Bytes that hold a whole pickle of their own are walked too, and what they
reach is added: a nested pickle is loaded by a call the outer one names.
"""

from __future__ import annotations

import io
import pickle
import pickletools
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, NamedTuple, Optional

from .sniff import PROTOCOLS
from .streams import READ_ERRORS, Budget, Source

MAX_OPCODES = 10_000_000
MAX_MEMO = 1_000_000
MAX_DEPTH = 4


class Global(NamedTuple):
    name: str  # module.qualname


class Made(NamedTuple):
    """What calling a named global returned."""

    origin: str
    args: Any


class Persistent(NamedTuple):
    pid: Any


class _Mark:
    def __repr__(self) -> str:
        return "MARK"


MARK = _Mark()
OTHER = None  # a value whose content does not matter to the walk


@dataclass
class Walked:
    """What a walk found: names by the byte they are first reached at."""

    reached: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # each one fails the stream closed
    unresolved: list[str] = field(default_factory=list)  # unknown, but not names
    storages: int = 0  # PyTorch storages named by persistent ids
    stopped: bool = False  # reached STOP
    result: Any = None  # what STOP returns, as far as the walk tracks it

    def reach(self, name: str, at: int) -> None:
        self.reached.setdefault(name, at)

    def merge(self, other: "Walked", where: str = "") -> None:
        for name, at in other.reached.items():
            self.reach(name, at)
        self.problems += [f"{p} ({where})" if where else p for p in other.problems]
        self.unresolved += other.unresolved
        self.storages += other.storages


# What joblib-like loaders do after a BUILD of one of their classes: read
# more of the file (the array bytes).  Called with the state, the source and
# the walk so far; returns nothing, records problems itself.
BuildHook = Callable[[Any, Source, Walked, int], None]


class Malformed(Exception):
    """The stream cannot be an unpickler's input."""


class _Walk:
    def __init__(self, source: Source, out: Walked, hooks: Mapping[str, BuildHook], depth: int) -> None:
        self.source, self.out, self.hooks, self.depth = source, out, hooks, depth
        self.stack: list[Any] = []
        self.memo: dict[int, Any] = {}
        self.at = 0

    # --- the stack -----------------------------------------------------------------

    def pop(self) -> Any:
        if not self.stack or self.stack[-1] is MARK:
            raise Malformed(f"stack underflow at byte {self.at}")
        return self.stack.pop()

    def pop_mark(self) -> list[Any]:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index] is MARK:
                items = self.stack[index + 1:]
                del self.stack[index:]
                return items
        raise Malformed(f"no MARK to pop at byte {self.at}")

    def top(self) -> Any:
        if not self.stack or self.stack[-1] is MARK:
            raise Malformed(f"stack underflow at byte {self.at}")
        return self.stack[-1]

    def generic(self, opcode: pickletools.OpcodeInfo) -> None:
        """Any opcode whose values do not matter: pop and push per its
        documented stack effect."""
        before = opcode.stack_before
        if pickletools.markobject in before:
            self.pop_mark()
            before = before[:before.index(pickletools.markobject)]
        for _ in before:
            self.pop()
        self.stack.extend(OTHER for _ in opcode.stack_after)

    # --- calls -----------------------------------------------------------------------

    def named(self, value: Any, how: str) -> Optional[str]:
        if isinstance(value, Global):
            return value.name
        self.problem(f"{how} calls a computed value, not a named global, at byte {self.at}")
        return None

    def call(self, callee: Any, args: Any, how: str) -> None:
        name = self.named(callee, how)
        self.stack.append(Made(name, args) if name else OTHER)

    def glob(self, module: Any, qualname: Any, how: str) -> None:
        if not isinstance(module, str) or not isinstance(qualname, str):
            self.problem(f"{how} with a computed name at byte {self.at}")
            self.stack.append(OTHER)
            return
        name = f"{module}.{qualname}"
        self.out.reach(name, self.at)
        self.stack.append(Global(name))

    def build(self) -> None:
        state = self.pop()
        target = self.top()
        if isinstance(target, Global):
            self.problem(f"BUILD changes the attributes of {target.name} itself at byte {self.at}")
        elif isinstance(target, Made):
            self.out.reach(f"{target.origin}.__setstate__", self.at)
            hook = self.hooks.get(target.origin)
            if hook is not None:
                hook(state, self.source, self.out, self.depth)

    def persistent(self, pid: Any) -> None:
        if isinstance(pid, tuple) and pid and pid[0] == "storage":
            self.out.storages += 1
        else:
            kind = pid[0] if isinstance(pid, tuple) and pid and isinstance(pid[0], str) else "?"
            self.out.unresolved.append(f"persistent id {kind!r} (resolved by the loading program)")
        self.stack.append(Persistent(pid))

    def nested(self, data: bytes) -> None:
        """Bytes that are a whole pickle: walked, and merged if they decode."""
        if len(data) < 4 or data[0] != 0x80 or data[1] not in PROTOCOLS:
            return
        if self.depth >= MAX_DEPTH:
            self.problem(f"pickles nested more than {MAX_DEPTH} deep at byte {self.at}")
            return
        inner = walk(Source(io.BytesIO(data).read), self.hooks, self.depth + 1)
        if inner.stopped:
            self.out.merge(inner, f"in a pickle nested in bytes at byte {self.at}")

    def problem(self, text: str) -> None:
        self.out.problems.append(text)

    # --- one opcode --------------------------------------------------------------------

    def step(self, opcode: pickletools.OpcodeInfo, arg: Any) -> None:
        handler = HANDLERS.get(opcode.name)
        if handler is None:
            self.generic(opcode)
        else:
            handler(self, opcode.name, arg)

    # --- values: constants, containers, the memo --------------------------------------

    def constant(self, _name: str, arg: Any) -> None:
        self.stack.append(arg)

    def data(self, _name: str, arg: Any) -> None:
        self.nested(arg)
        self.stack.append(OTHER)

    def mark(self, _name: str, _arg: Any) -> None:
        self.stack.append(MARK)

    def empty(self, name: str, _arg: Any) -> None:
        self.stack.append(() if name == "EMPTY_TUPLE" else {})

    def small_tuple(self, name: str, _arg: Any) -> None:
        items = [self.pop() for _ in range(TUPLES[name])][::-1]
        self.stack.append(tuple(items))

    def marked(self, name: str, _arg: Any) -> None:
        items = self.pop_mark()
        self.stack.append(tuple(items) if name == "TUPLE" else _pairs(items))

    def setitems(self, name: str, _arg: Any) -> None:
        items = self.pop_mark() if name == "SETITEMS" else [self.pop() for _ in range(2)][::-1]
        _set(self.top(), items)

    def dup(self, _name: str, _arg: Any) -> None:
        self.stack.append(self.top())

    def put(self, name: str, arg: Any) -> None:
        self.memoize(len(self.memo) if name == "MEMOIZE" else arg)

    def get(self, _name: str, arg: Any) -> None:
        if arg not in self.memo:
            raise Malformed(f"memo slot {arg} read before it is written at byte {self.at}")
        self.stack.append(self.memo[arg])

    # --- names and calls ----------------------------------------------------------------

    def global_(self, _name: str, arg: Any) -> None:
        self.glob(*arg.split(" ", 1), how="GLOBAL")

    def stack_global(self, _name: str, _arg: Any) -> None:
        qualname, module = self.pop(), self.pop()
        self.glob(module, qualname, how="STACK_GLOBAL")

    def inst(self, _name: str, arg: Any) -> None:
        args = tuple(self.pop_mark())
        module, qualname = arg.split(" ", 1)
        self.glob(module, qualname, how="INST")
        self.call(self.pop(), args, "INST")

    def obj(self, _name: str, _arg: Any) -> None:
        items = self.pop_mark()
        if not items:
            raise Malformed(f"OBJ without a class at byte {self.at}")
        self.call(items[0], tuple(items[1:]), "OBJ")

    def reduce(self, name: str, _arg: Any) -> None:
        if name == "NEWOBJ_EX":
            self.pop()  # the keyword arguments: values, not callables
        args = self.pop()
        self.call(self.pop(), args, name)

    def build_(self, _name: str, _arg: Any) -> None:
        self.build()

    def persid(self, name: str, arg: Any) -> None:
        self.persistent((arg,) if name == "PERSID" else self.pop())

    def extension(self, name: str, arg: Any) -> None:
        self.problem(f"extension code {arg} ({name}), resolved only at load time, at byte {self.at}")
        self.stack.append(OTHER)

    def proto(self, _name: str, arg: Any) -> None:
        if arg not in PROTOCOLS and arg not in (0, 1):
            raise Malformed(f"protocol {arg} at byte {self.at}")

    def frame(self, _name: str, _arg: Any) -> None:
        pass  # framing only groups opcodes for reading

    def memoize(self, index: int) -> None:
        if len(self.memo) >= MAX_MEMO:
            raise Malformed(f"a memo of more than {MAX_MEMO} entries")
        self.memo[index] = self.top()

    def run(self) -> None:
        ops = pickletools.genops(self.source)  # type: ignore[arg-type]
        for count in range(MAX_OPCODES):
            self.at = self.source.tell()
            try:
                opcode, arg, _pos = next(ops)
            except StopIteration:
                return
            except (ValueError, UnicodeDecodeError, EOFError, KeyError):
                self.problem(self.undecodable())
                return
            if opcode.name == "STOP":
                self.out.result = self.pop()
                self.out.stopped = True
                return
            self.step(opcode, arg)
        self.problem(f"more than {MAX_OPCODES} opcodes")

    def undecodable(self) -> str:
        """Why genops stopped, in our words: its messages are its own."""
        if self.source.tell() == self.at:
            return f"truncated at byte {self.at}, before STOP"
        code = self.source.last[:1] if self.source.tell() == self.at + 1 else b""
        if code and code.decode("latin-1") not in pickletools.code2op:
            return f"unknown opcode 0x{code[0]:02x} at byte {self.at}"
        return f"truncated or malformed argument at byte {self.at}"


STRINGS = frozenset({"STRING", "BINSTRING", "SHORT_BINSTRING", "UNICODE", "BINUNICODE", "SHORT_BINUNICODE",
                     "BINUNICODE8"})
NUMBERS = frozenset({"INT", "BININT", "BININT1", "BININT2", "LONG", "LONG1", "LONG4"})
BYTES = frozenset({"BINBYTES", "SHORT_BINBYTES", "BINBYTES8", "BYTEARRAY8"})
TUPLES = {"TUPLE1": 1, "TUPLE2": 2, "TUPLE3": 3}


# The opcodes whose values or names matter; any other goes through generic().
HANDLERS: dict[str, Callable[[_Walk, str, Any], None]] = {
    **{name: _Walk.constant for name in STRINGS | NUMBERS},
    **{name: _Walk.data for name in BYTES},
    **{name: _Walk.small_tuple for name in TUPLES},
    **{name: _Walk.put for name in ("PUT", "BINPUT", "LONG_BINPUT", "MEMOIZE")},
    **{name: _Walk.get for name in ("GET", "BINGET", "LONG_BINGET")},
    **{name: _Walk.reduce for name in ("REDUCE", "NEWOBJ", "NEWOBJ_EX")},
    **{name: _Walk.extension for name in ("EXT1", "EXT2", "EXT4")},
    "MARK": _Walk.mark, "EMPTY_TUPLE": _Walk.empty, "EMPTY_DICT": _Walk.empty, "TUPLE": _Walk.marked,
    "DICT": _Walk.marked, "SETITEM": _Walk.setitems, "SETITEMS": _Walk.setitems, "DUP": _Walk.dup,
    "GLOBAL": _Walk.global_, "STACK_GLOBAL": _Walk.stack_global, "INST": _Walk.inst, "OBJ": _Walk.obj,
    "BUILD": _Walk.build_, "PERSID": _Walk.persid, "BINPERSID": _Walk.persid, "PROTO": _Walk.proto,
    "FRAME": _Walk.frame,
}


def _pairs(items: list[Any]) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    _set(result, items)
    return result


def _set(target: Any, items: list[Any]) -> None:
    """Keep the string-keyed items of a tracked dictionary (joblib's
    wrapper state); anything else is not needed."""
    if isinstance(target, dict):
        for key, value in zip(items[::2], items[1::2]):
            if isinstance(key, str):
                target[key] = value


def walk(source: Source, hooks: Mapping[str, BuildHook] = {}, depth: int = 0, out: Optional[Walked] = None) -> Walked:
    """Walk one pickle from the source's position to its STOP."""
    out = out if out is not None else Walked()
    state = _Walk(source, out, hooks, depth)
    try:
        state.run()
    except Malformed as exc:
        out.problems.append(str(exc))
    except Budget as exc:
        out.problems.append(f"stops at byte {source.tell()}: {exc}")
    except READ_ERRORS as exc:
        out.problems.append(f"unreadable at byte {source.tell()}: {type(exc).__name__}")
    return out


def starts_pickle(head: bytes) -> bool:
    """Whether bytes start with a binary pickle's PROTO opcode."""
    return len(head) >= 3 and head[0] == pickle.PROTO[0] and head[1] in PROTOCOLS


def walk_all(source: Source, hooks: Mapping[str, BuildHook] = {}) -> Walked:
    """Every pickle in a row (legacy PyTorch files, or a loader that calls
    pickle.load again): the next one starts where the last one stopped."""
    out = walk(source, hooks)
    while out.stopped and not out.problems and starts_pickle(source.peek(3)):
        out.stopped = False
        walk(source, hooks, out=out)
    return out
