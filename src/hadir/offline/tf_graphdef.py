"""A tiny reader of TensorFlow ``GraphDef`` protobufs, without TensorFlow or its protos.

Only the messages a frozen inference graph needs are decoded: ``GraphDef.node``,
``NodeDef`` (name, op, input, attr), ``AttrValue`` (list, s, i, f, b, type, shape,
tensor), ``TensorShapeProto`` and ``TensorProto`` (dtype, shape, tensor_content and the
typed ``*_val`` fields). Field numbers follow tensorflow/core/framework/*.proto.
The last section interprets the attributes that matter for conversion: NHWC windows
with TF's 'SAME' padding, and reshape targets that hard-code batch 1.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

WIRE_VARINT = 0
WIRE_FIXED64 = 1
WIRE_BYTES = 2
WIRE_FIXED32 = 5

# TensorFlow DataType enum -> numpy dtype (the ones a frozen float graph uses).
TF_DTYPES: dict[int, np.dtype[np.generic]] = {
    1: np.dtype(np.float32),
    2: np.dtype(np.float64),
    3: np.dtype(np.int32),
    4: np.dtype(np.uint8),
    5: np.dtype(np.int16),
    6: np.dtype(np.int8),
    9: np.dtype(np.int64),
    10: np.dtype(np.bool_),
}

FieldValue = int | bytes


class WireFormatError(ValueError):
    """The bytes are not a well-formed protobuf message."""


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """Decode one base-128 varint at ``pos``; returns (value, next position)."""
    result = 0
    shift = 0
    while True:
        if pos >= len(data):
            raise WireFormatError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise WireFormatError("varint too long")


def iter_fields(data: bytes) -> Iterator[tuple[int, int, FieldValue]]:
    """Yield (field number, wire type, raw value) for every field of a message.

    Varints come back as ``int``; fixed32/fixed64 and length-delimited fields as
    ``bytes`` (decode fixed-width ones with :mod:`struct`).
    """
    pos = 0
    end = len(data)
    while pos < end:
        key, pos = read_varint(data, pos)
        number, wire = key >> 3, key & 7
        value: FieldValue
        if wire == WIRE_VARINT:
            value, pos = read_varint(data, pos)
        elif wire == WIRE_FIXED64:
            value, pos = data[pos : pos + 8], pos + 8
        elif wire == WIRE_BYTES:
            size, pos = read_varint(data, pos)
            value, pos = data[pos : pos + size], pos + size
        elif wire == WIRE_FIXED32:
            value, pos = data[pos : pos + 4], pos + 4
        else:
            raise WireFormatError(f"unsupported wire type {wire} for field {number}")
        if pos > end:
            raise WireFormatError(f"field {number} runs past the end of the message")
        yield number, wire, value


def signed64(value: int) -> int:
    """Reinterpret a decoded varint as a two's-complement int64."""
    return value - (1 << 64) if value >= 1 << 63 else value


def _ints(wire: int, value: FieldValue) -> list[int]:
    """A repeated int field: either one varint or a packed run of varints."""
    if isinstance(value, int):
        return [signed64(value)]
    out: list[int] = []
    pos = 0
    while pos < len(value):
        item, pos = read_varint(value, pos)
        out.append(signed64(item))
    return out


def _floats(wire: int, value: FieldValue) -> list[float]:
    """A repeated float field: one fixed32 or a packed run of little-endian floats."""
    if not isinstance(value, bytes) or len(value) % 4:
        raise WireFormatError("malformed float field")
    return list(struct.unpack(f"<{len(value) // 4}f", value))


def _bytes(value: FieldValue) -> bytes:
    if not isinstance(value, bytes):
        raise WireFormatError("expected a length-delimited field")
    return value


def parse_shape(data: bytes) -> tuple[int, ...] | None:
    """A ``TensorShapeProto`` as a tuple (-1 for unknown dims), None if rank is unknown."""
    dims: list[int] = []
    for number, _wire, value in iter_fields(data):
        if number == 2:  # dim
            size = 0
            for dnum, _dwire, dvalue in iter_fields(_bytes(value)):
                if dnum == 1 and isinstance(dvalue, int):
                    size = signed64(dvalue)
            dims.append(size)
        elif number == 3 and value:  # unknown_rank
            return None
    return tuple(dims)


def parse_tensor(data: bytes) -> npt.NDArray[np.generic]:
    """A ``TensorProto`` as a numpy array (scalar fills broadcast like TensorFlow)."""
    dtype_code = 1
    shape: tuple[int, ...] = ()
    content = b""
    floats: list[float] = []
    ints: list[int] = []
    for number, wire, value in iter_fields(data):
        if number == 1 and isinstance(value, int):
            dtype_code = value
        elif number == 2:
            shape = parse_shape(_bytes(value)) or ()
        elif number == 4:
            content = _bytes(value)
        elif number == 5:  # float_val
            floats.extend(_floats(wire, value))
        elif number in (7, 10, 11):  # int_val, int64_val, bool_val
            ints.extend(_ints(wire, value))
    if dtype_code not in TF_DTYPES:
        raise WireFormatError(f"unsupported tensor dtype {dtype_code}")
    dtype = TF_DTYPES[dtype_code]
    count = int(np.prod(shape, dtype=np.int64))
    if content:
        return np.frombuffer(content, dtype=dtype.newbyteorder("<")).astype(dtype).reshape(shape)
    values = floats if dtype.kind == "f" else ints
    if not values:
        return np.zeros(shape, dtype=dtype)
    array = np.asarray(values, dtype=dtype)
    if array.size == count:
        return array.reshape(shape)
    # TensorFlow repeats the last value to fill the tensor.
    filled = np.full(count, array[-1], dtype=dtype)
    filled[: array.size] = array[:count]
    return filled.reshape(shape)


@dataclass(frozen=True)
class AttrList:
    """``AttrValue.ListValue``: the repeated variants that graphs actually use."""

    s: tuple[bytes, ...] = ()
    i: tuple[int, ...] = ()
    f: tuple[float, ...] = ()
    b: tuple[bool, ...] = ()
    type: tuple[int, ...] = ()
    shape: tuple[tuple[int, ...] | None, ...] = ()


AttrScalar = bytes | int | float | bool | tuple[int, ...] | None
Attr = AttrScalar | AttrList | npt.NDArray[np.generic]


def parse_list(data: bytes) -> AttrList:
    """Decode an ``AttrValue.ListValue``."""
    s: list[bytes] = []
    i: list[int] = []
    f: list[float] = []
    b: list[bool] = []
    types: list[int] = []
    shapes: list[tuple[int, ...] | None] = []
    for number, wire, value in iter_fields(data):
        if number == 2:
            s.append(_bytes(value))
        elif number == 3:
            i.extend(_ints(wire, value))
        elif number == 4:
            f.extend(_floats(wire, value))
        elif number == 5:
            b.extend(bool(v) for v in _ints(wire, value))
        elif number == 6:
            types.extend(_ints(wire, value))
        elif number == 7:
            shapes.append(parse_shape(_bytes(value)))
    return AttrList(tuple(s), tuple(i), tuple(f), tuple(b), tuple(types), tuple(shapes))


def parse_attr(data: bytes) -> Attr:
    """Decode one ``AttrValue`` (the ``oneof value``) to a Python / numpy value."""
    result: Attr = None
    for number, wire, value in iter_fields(data):
        if number == 1:
            result = parse_list(_bytes(value))
        elif number == 2:
            result = _bytes(value)
        elif number == 3 and isinstance(value, int):
            result = signed64(value)
        elif number == 4:
            result = _floats(wire, value)[0]
        elif number == 5 and isinstance(value, int):
            result = bool(value)
        elif number == 6 and isinstance(value, int):
            result = value
        elif number == 7:
            result = parse_shape(_bytes(value))
        elif number == 8:
            result = parse_tensor(_bytes(value))
    return result


@dataclass(frozen=True)
class NodeDef:
    """One node of a GraphDef."""

    name: str
    op: str
    inputs: tuple[str, ...]
    attr: dict[str, Attr] = field(default_factory=dict)


def parse_node(data: bytes) -> NodeDef:
    """Decode a ``NodeDef`` (device and experimental fields are skipped)."""
    name = op = ""
    inputs: list[str] = []
    attr: dict[str, Attr] = {}
    for number, _wire, value in iter_fields(data):
        if number == 1:
            name = _bytes(value).decode()
        elif number == 2:
            op = _bytes(value).decode()
        elif number == 3:
            inputs.append(_bytes(value).decode())
        elif number == 5:  # map<string, AttrValue> entry
            key = ""
            attr_value: Attr = None
            for enum, _ewire, evalue in iter_fields(_bytes(value)):
                if enum == 1:
                    key = _bytes(evalue).decode()
                elif enum == 2:
                    attr_value = parse_attr(_bytes(evalue))
            attr[key] = attr_value
    return NodeDef(name=name, op=op, inputs=tuple(inputs), attr=attr)


def parse_graphdef(data: bytes) -> list[NodeDef]:
    """The nodes of a serialized ``GraphDef``, in file order (function library ignored)."""
    return [parse_node(_bytes(value)) for number, _w, value in iter_fields(data) if number == 1]


# -- what node attributes mean -----------------------------------------------------------
def hw_attr(node: NodeDef, key: str, default: tuple[int, int] = (1, 1)) -> tuple[int, int]:
    """The H and W entries of an NHWC int-list attribute (strides, ksize, dilations)."""
    attr = node.attr.get(key)
    if attr is None:
        return default
    if not isinstance(attr, AttrList) or len(attr.i) != 4:
        raise ValueError(f"{node.name}: bad {key} attribute {attr!r}")
    return attr.i[1], attr.i[2]


def same_or_valid(
    size: int, kernel: int, stride: int, dilation: int, same: bool
) -> tuple[int, ...]:
    """(output size, pad before, pad after) along one axis; TF 'SAME' pads extra after."""
    reach = (kernel - 1) * dilation + 1
    if not same:
        return (size - reach) // stride + 1, 0, 0
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + reach - size, 0)
    return out, total // 2, total - total // 2


def window(
    node: NodeDef, size: tuple[int, ...], kernel: tuple[int, int]
) -> tuple[dict[str, list[int]], tuple[int, int]]:
    """ONNX attributes (explicit pads) and output H, W of an NHWC Conv2D or pool."""
    padding = node.attr.get("padding")
    if node.attr.get("data_format", b"NHWC") != b"NHWC" or padding not in (b"SAME", b"VALID"):
        raise ValueError(f"{node.name}: only NHWC with SAME/VALID padding is supported")
    strides, dilations = hw_attr(node, "strides"), hw_attr(node, "dilations")
    (oh, top, bottom), (ow, left, right) = (
        same_or_valid(*args, same=padding == b"SAME")
        for args in zip(size[:2], kernel, strides, dilations, strict=True)
    )
    attrs = {"kernel_shape": list(kernel), "strides": list(strides)}
    attrs["pads"] = [top, left, bottom, right]
    if dilations != (1, 1):
        attrs["dilations"] = list(dilations)
    return attrs, (oh, ow)


def batch_free_shape(target: npt.NDArray[np.generic], in_shape: tuple[int, ...]) -> tuple[int, ...]:
    """A TF reshape target (batch hard-coded to 1, or -1) as a per-sample shape."""
    total = math.prod(in_shape)
    dims = [int(d) for d in target.reshape(-1)]
    known = math.prod(d for d in dims if d != -1)
    dims = [total // known if d == -1 else d for d in dims]
    if not dims or dims[0] != 1 or math.prod(dims[1:]) != total:
        raise ValueError(f"reshape {target.tolist()} of {in_shape} does not keep the batch axis")
    return tuple(dims[1:])
