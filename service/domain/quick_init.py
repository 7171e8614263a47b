"""A faster ``__init__`` for the frozen, slotted dataclasses made once per event.

A frozen dataclass's generated ``__init__`` sets each field with ``object.__setattr__``,
looked up afresh for every field (its own ``__setattr__`` refuses): ~1.2 µs for ``Fact``'s
eleven fields, ~1.5 µs for ``RecordedEvent``'s fourteen, against ~0.3 µs for a class that is
not frozen. Every append, batch, restore and rebuild makes a ``RecordedEvent``, a ``Fact`` and
a ``FactChange`` per event. ``quick_init`` writes the same ``__init__`` (same parameters,
defaults and default factories, same order) setting each slot through its descriptor instead
(~0.75 µs for ``Fact``). The instances stay frozen: assigning a field afterwards still raises
``FrozenInstanceError``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")
_NO_VALUE = object()


def quick_init(cls: type[T]) -> type[T]:
    """Replace the frozen, slotted dataclass ``cls``'s ``__init__`` (apply it above
    ``@dataclass``). Anything else is refused: the slots' descriptors are what it sets."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__} is not a frozen, slotted dataclass")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has a __post_init__, which quick_init does not call")
    namespace: dict[str, Any] = {"_NO_VALUE": _NO_VALUE}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for f in dataclasses.fields(cls):
        name = f.name
        if not f.init:
            raise TypeError(f"{cls.__name__}.{name} is not an __init__ parameter")
        namespace[f"_set_{name}"] = cls.__dict__[name].__set__
        if f.default is not dataclasses.MISSING:
            namespace[f"_default_{name}"] = f.default
            param = f"{name}=_default_{name}"
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{name}"] = f.default_factory
            param = f"{name}=_NO_VALUE"
            body.append(f"    if {name} is _NO_VALUE:\n        {name} = _factory_{name}()")
        else:
            param = name
        (keyword if f.kw_only else positional).append(param)
        body.append(f"    _set_{name}(self, {name})")
    signature = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    source = f"def __init__({signature}) -> None:\n" + "\n".join(body or ["    pass"]) + "\n"
    exec(source, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    cls.__init__ = init  # type: ignore[misc]
    return cls
