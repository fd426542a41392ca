"""TensorFlow GraphDef nodes rewritten as ONNX nodes (the converter's core).

:class:`Converter` walks FaceNet's frozen graph from its output and emits an NCHW ONNX
graph with a free batch dimension. Conv2D/MatMul absorb their BiasAdd, constant scales
and inference batch norm (:class:`Affine`), so the graph is mostly Conv, Relu, Add and
Concat. :mod:`hadir.offline.tf_convert` wraps it into a checked, cached model file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from hadir.offline.tf_graphdef import NodeDef, batch_free_shape, hw_attr, window

F32 = npt.NDArray[np.float32]
Array = npt.NDArray[Any]

INPUT_NAME = "input"
TO_NCHW = (0, 3, 1, 2)
TO_NHWC = (0, 2, 3, 1)


@dataclass(frozen=True)
class Value:
    """A converted tensor: ONNX name, per-sample TF shape (no batch), stored NCHW or not."""

    name: str
    shape: tuple[int, ...]
    nchw: bool = False


@dataclass(frozen=True)
class Affine:
    """A Conv2D (HWIO weight) or MatMul (KxM) still absorbing per-channel scales/biases."""

    name: str
    source: Value
    weight: F32
    bias: F32
    shape: tuple[int, ...]
    conv: dict[str, list[int]] | None = None

    def scaled(self, scale: Array | float, shift: Array | float) -> Affine:
        """``y * scale + shift`` per output channel, folded into weight and bias."""
        weight = (self.weight * scale).astype(np.float32)
        return replace(self, weight=weight, bias=(self.bias * scale + shift).astype(np.float32))


Entry = Value | Affine | Array


class Graph:
    """ONNX nodes and initializers with unique names."""

    def __init__(self) -> None:
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._used: set[str] = set()

    def unique(self, hint: str) -> str:
        name, index = hint, 0
        while name in self._used:
            index += 1
            name = f"{hint}_{index}"
        self._used.add(name)
        return name

    def const(self, array: Array, hint: str) -> str:
        from onnx import numpy_helper

        name = self.unique(hint)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def op(self, op_type: str, inputs: list[str], hint: str, **attrs: Any) -> str:
        from onnx import helper

        out = self.unique(hint)
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out


def _per_channel(const: Array, channels: int) -> F32 | None:
    """A constant that broadcasts along the channel (last) axis only, as a vector."""
    if const.size not in (1, channels) or any(d != 1 for d in const.shape[:-1]):
        return None
    return np.broadcast_to(const.reshape(-1), (channels,)).astype(np.float32)


class Converter:
    """Walks the TF graph in topological order, one handler per op type."""

    def __init__(self, nodes: list[NodeDef]) -> None:
        self.tf = {node.name: node for node in nodes}
        self.g = Graph()
        self.entries: dict[str, Entry] = {}
        self.consumers: Counter[str] = Counter()
        self.input_shape: tuple[int, ...] = ()
        self.handlers: dict[str, Callable[[NodeDef], Entry]] = {
            "Const": lambda n: np.asarray(n.attr["value"]),
            "Identity": lambda n: self.arg(n, 0),
            "Placeholder": self.placeholder,
            "Conv2D": self.conv2d,
            "MatMul": self.matmul,
            "FusedBatchNorm": self.batch_norm,
            "MaxPool": self.pool,
            "AvgPool": self.pool,
            "ConcatV2": self.concat,
            "Reshape": self.reshape,
            "Sum": self.reduce_sum,
            **dict.fromkeys(("BiasAdd", "Add", "AddV2", "Mul", "Maximum"), self.binary),
            **dict.fromkeys(("Relu", "Square", "Rsqrt"), self.unary),
        }

    def run(self, output: str) -> Value:
        """Convert everything ``output`` depends on; returns it in TF layout."""
        for node in self._topological(output):
            handler = self.handlers.get(node.op)
            if handler is None:
                raise ValueError(f"unsupported TF op {node.op!r} ({node.name})")
            self.entries[node.name] = handler(node)
        return self.as_plain(self.materialize(output))

    def _topological(self, output: str) -> list[NodeDef]:
        order: list[NodeDef] = []
        seen: set[str] = set()
        stack: list[tuple[str, bool]] = [(output, False)]
        while stack:
            name, expanded = stack.pop()
            if expanded:
                order.append(self.tf[name])
            elif name not in seen:
                seen.add(name)
                stack.append((name, True))
                for source in self._sources(self.tf[name]):
                    self.consumers[source] += 1
                    stack.append((source, False))
        return order

    @staticmethod
    def _sources(node: NodeDef) -> list[str]:
        if any(i.partition(":")[2] not in ("", "0") for i in node.inputs):
            raise ValueError(f"{node.name}: only first outputs of nodes are supported")
        return [i.split(":")[0] for i in node.inputs if not i.startswith("^")]

    def arg(self, node: NodeDef, index: int) -> Entry:
        return self.entries[self._sources(node)[index]]

    def fusable(self, node: NodeDef, index: int) -> Affine | None:
        """Input ``index`` if it is an Affine used by ``node`` only."""
        entry = self.arg(node, index)
        only_use = self.consumers[self._sources(node)[index]] == 1
        return entry if isinstance(entry, Affine) and only_use else None

    def const(self, node: NodeDef, index: int) -> Array:
        entry = self.arg(node, index)
        if not isinstance(entry, np.ndarray):
            raise ValueError(f"{node.name}: input {index} must be a constant")
        return entry

    def value(self, node: NodeDef, index: int) -> Value:
        return self.materialize(self._sources(node)[index])

    def materialize(self, name: str) -> Value:
        entry = self.entries[name]
        if isinstance(entry, np.ndarray):
            raise ValueError(f"constant {name} used as an activation")
        if isinstance(entry, Affine):
            entry = self.entries[name] = self._emit_affine(entry)
        return entry

    def as_plain(self, v: Value) -> Value:
        if not v.nchw:
            return v
        return Value(self.g.op("Transpose", [v.name], v.name + "/nhwc", perm=TO_NHWC), v.shape)

    def as_nchw(self, v: Value) -> Value:
        if v.nchw:
            return v
        if len(v.shape) != 3:
            raise ValueError(f"{v.name}: expected an NHWC image tensor, got {v.shape}")
        name = self.g.op("Transpose", [v.name], v.name + "/nchw", perm=TO_NCHW)
        return Value(name, v.shape, nchw=True)

    def layout_const(self, const: Array, like: Value, hint: str) -> str:
        """A float constant operand, broadcasting against ``like`` in its stored layout."""
        rank = len(like.shape) + 1
        if const.ndim > rank or (const.ndim == rank and const.shape[0] != 1):
            raise ValueError(f"{hint}: constant {const.shape} broadcasts over the batch")
        if like.nchw and const.ndim > 0:
            const = const.reshape((1,) * (rank - const.ndim) + const.shape).transpose(TO_NCHW)
        return self.g.const(const.astype(np.float32), hint)

    # -- handlers ------------------------------------------------------------------------
    def placeholder(self, node: NodeDef) -> Value:
        shape = node.attr.get("shape")
        if not isinstance(shape, tuple) or len(shape) != 4:
            raise ValueError(f"{node.name}: expected an NHWC image placeholder")
        self.input_shape = tuple(shape[1:])
        return self.as_nchw(Value(INPUT_NAME, tuple(shape[1:])))

    def conv2d(self, node: NodeDef) -> Affine:
        source, weight = self.as_nchw(self.value(node, 0)), self.const(node, 1)
        attrs, size = window(node, source.shape, (weight.shape[0], weight.shape[1]))
        bias = np.zeros(weight.shape[3], np.float32)
        shape = (*size, weight.shape[3])
        return Affine(node.name, source, weight.astype(np.float32), bias, shape, attrs)

    def matmul(self, node: NodeDef) -> Affine:
        source, weight = self.as_plain(self.value(node, 0)), self.const(node, 1)
        if node.attr.get("transpose_a") or len(source.shape) != 1:
            raise ValueError(f"{node.name}: only (N,K) x (K,M) products are supported")
        weight = weight.T if node.attr.get("transpose_b") else weight
        bias = np.zeros(weight.shape[1], np.float32)
        return Affine(node.name, source, weight.astype(np.float32), bias, (weight.shape[1],))

    def binary(self, node: NodeDef) -> Entry:
        """BiasAdd/Add/Mul/Maximum; a per-channel constant folds into a preceding Affine."""
        entries = [self.arg(node, 0), self.arg(node, 1)]
        consts = [i for i, e in enumerate(entries) if isinstance(e, np.ndarray)]
        if len(consts) == 1 and node.op != "Maximum":
            affine = self.fusable(node, 1 - consts[0])
            const = np.asarray(entries[consts[0]])
            vector = _per_channel(const, affine.bias.size) if affine is not None else None
            if affine is not None and vector is not None:
                if node.op == "Mul":
                    return affine.scaled(vector, 0.0)
                return affine.scaled(1.0, vector)
        values = {i: self.value(node, i) for i, e in enumerate(entries) if i not in consts}
        if not values:
            raise ValueError(f"{node.name}: constant folding is not supported")
        if len({v.nchw for v in values.values()}) > 1:
            values = {i: self.as_plain(v) for i, v in values.items()}
        like = next(iter(values.values()))
        names, shapes = [], []
        for i, entry in enumerate(entries):
            if isinstance(entry, np.ndarray):
                names.append(self.layout_const(entry, like, node.name + "/const"))
                shapes.append(entry.shape)
            else:
                names.append(values[i].name)
                shapes.append((1, *values[i].shape))
        shape = tuple(np.broadcast_shapes(*shapes)[1:])
        op = {"Mul": "Mul", "Maximum": "Max"}.get(node.op, "Add")
        return Value(self.g.op(op, names, node.name), shape, like.nchw)

    def unary(self, node: NodeDef) -> Value:
        v = self.value(node, 0)
        if node.op == "Square":
            return replace(v, name=self.g.op("Mul", [v.name, v.name], node.name))
        if node.op == "Rsqrt":
            root = self.g.op("Sqrt", [v.name], node.name + "/sqrt")
            return replace(v, name=self.g.op("Reciprocal", [root], node.name))
        return replace(v, name=self.g.op(node.op, [v.name], node.name))

    def batch_norm(self, node: NodeDef) -> Entry:
        """Inference FusedBatchNorm: folded into a preceding Affine, else Mul + Add."""
        epsilon = node.attr.get("epsilon", 1e-3)
        if node.attr.get("is_training", True) or not isinstance(epsilon, float):
            raise ValueError(f"{node.name}: only inference batch norms are supported")
        if node.attr.get("data_format", b"NHWC") != b"NHWC":
            raise ValueError(f"{node.name}: only NHWC batch norms are supported")
        gamma, beta, mean, var = (self.const(node, i).astype(np.float64) for i in range(1, 5))
        scale = gamma / np.sqrt(var + epsilon)
        shift = beta - mean * scale
        affine = self.fusable(node, 0)
        if affine is not None:
            return affine.scaled(scale, shift)
        v = self.value(node, 0)
        scaled = self.g.op(
            "Mul", [v.name, self.layout_const(scale, v, node.name + "/scale")], node.name + "/mul"
        )
        shifted = self.g.op(
            "Add", [scaled, self.layout_const(shift, v, node.name + "/shift")], node.name
        )
        return replace(v, name=shifted)

    def pool(self, node: NodeDef) -> Value:
        v = self.as_nchw(self.value(node, 0))
        attrs, size = window(node, v.shape, hw_attr(node, "ksize"))
        if node.op == "AvgPool":  # TF averages over the valid (unpadded) pixels only
            name = self.g.op("AveragePool", [v.name], node.name, count_include_pad=0, **attrs)
        else:
            name = self.g.op("MaxPool", [v.name], node.name, **attrs)
        return Value(name, (*size, v.shape[2]), nchw=True)

    def concat(self, node: NodeDef) -> Value:
        count = len(self._sources(node)) - 1
        values = [self.value(node, i) for i in range(count)]
        if len({v.nchw for v in values}) > 1:
            values = [self.as_plain(v) for v in values]
        rank = len(values[0].shape) + 1
        axis = int(self.const(node, count)) % rank
        if axis == 0:
            raise ValueError(f"{node.name}: concatenation along the batch is not supported")
        shape = list(values[0].shape)
        shape[axis - 1] = sum(v.shape[axis - 1] for v in values)
        onnx_axis = TO_NCHW.index(axis) if values[0].nchw else axis
        name = self.g.op("Concat", [v.name for v in values], node.name, axis=onnx_axis)
        return Value(name, tuple(shape), values[0].nchw)

    def reshape(self, node: NodeDef) -> Entry:
        """Reshape with the hard-coded batch replaced by -1; an Affine reshapes for free."""
        target = self.const(node, 1)
        affine = self.fusable(node, 0)
        if affine is not None and affine.conv is None:
            shape = batch_free_shape(target, affine.shape)
            if shape[-1] == affine.bias.size:
                return replace(affine, shape=shape)
        v = self.value(node, 0)
        shape = batch_free_shape(target, v.shape)
        if v.shape[:2] != (1, 1):  # with 1x1 spatial, NCHW and NHWC share one memory order
            v = self.as_plain(v)
        spec = self.g.const(np.array((-1, *shape), np.int64), node.name + "/shape")
        return Value(self.g.op("Reshape", [v.name, spec], node.name), shape)

    def reduce_sum(self, node: NodeDef) -> Value:
        v, keep = self.value(node, 0), bool(node.attr.get("keep_dims", False))
        v = v if keep else self.as_plain(v)
        rank = len(v.shape) + 1
        axes = sorted({int(a) % rank for a in self.const(node, 1).reshape(-1)})
        if 0 in axes:
            raise ValueError(f"{node.name}: reductions over the batch are not supported")
        onnx_axes = np.array([TO_NCHW.index(a) if v.nchw else a for a in axes], np.int64)
        spec = self.g.const(onnx_axes, node.name + "/axes")
        name = self.g.op("ReduceSum", [v.name, spec], node.name, keepdims=int(keep))
        dims = enumerate(v.shape, start=1)
        shape = tuple(1 if i in axes else d for i, d in dims if keep or i not in axes)
        return Value(name, shape, v.nchw)

    def _emit_affine(self, affine: Affine) -> Value:
        hint = affine.name
        w, b = affine.weight, self.g.const(affine.bias, hint + "/B")
        if affine.conv is not None:
            source = self.as_nchw(affine.source)
            w_name = self.g.const(w.transpose(3, 2, 0, 1), hint + "/W")
            out = self.g.op("Conv", [source.name, w_name, b], hint, **affine.conv)
            return Value(out, affine.shape, nchw=True)
        out = self.g.op("Gemm", [affine.source.name, self.g.const(w, hint + "/W"), b], hint)
        if affine.shape == (affine.bias.size,):
            return Value(out, affine.shape)
        spec = self.g.const(np.array((-1, *affine.shape), np.int64), hint + "/shape")
        return Value(self.g.op("Reshape", [out, spec], hint + "/reshape"), affine.shape)
