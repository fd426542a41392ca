"""FaceNet .pb -> ONNX conversion: wire-format reader, numerics, batching and the cache."""

from __future__ import annotations

import shutil
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hadir.domain.errors import ModelUnavailableError
from hadir.face.runtime import make_session
from hadir.offline import tf_convert
from hadir.offline.tf_convert import ConvertedModel, ensure_facenet_onnx, load_reference
from hadir.offline.tf_graphdef import (
    AttrList,
    WireFormatError,
    batch_free_shape,
    iter_fields,
    parse_graphdef,
    read_varint,
    same_or_valid,
)


# -- a tiny protobuf encoder, only for building test messages ---------------------------
def varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def key(number: int, wire: int) -> bytes:
    return varint(number << 3 | wire)


def vfield(number: int, value: int) -> bytes:
    return key(number, 0) + varint(value)


def bfield(number: int, payload: bytes) -> bytes:
    return key(number, 2) + varint(len(payload)) + payload


def attr_entry(name: str, value: bytes) -> bytes:
    return bfield(5, bfield(1, name.encode()) + bfield(2, value))


def test_varints_round_trip() -> None:
    for value in (0, 1, 127, 128, 300, 2**31 - 1, 2**63 - 1):
        assert read_varint(varint(value), 0) == (value, len(varint(value)))
    assert read_varint(bytes([0xAC, 0x02]), 0) == (300, 2)
    with pytest.raises(WireFormatError):
        read_varint(bytes([0x80]), 0)


def test_iter_fields_decodes_every_wire_type() -> None:
    message = vfield(1, 150) + bfield(2, b"abc") + key(3, 5) + struct.pack("<f", 1.5)
    message += key(4, 1) + struct.pack("<d", 2.0)
    fields = list(iter_fields(message))
    assert [(n, w) for n, w, _ in fields] == [(1, 0), (2, 2), (3, 5), (4, 1)]
    assert fields[0][2] == 150 and fields[1][2] == b"abc"
    assert struct.unpack("<f", fields[2][2]) == (1.5,)  # type: ignore[arg-type]
    with pytest.raises(WireFormatError):
        list(iter_fields(bfield(2, b"abc")[:-1]))


def test_graphdef_with_packed_values_tensors_and_lists() -> None:
    shape = bfield(2, vfield(1, 2)) + bfield(2, vfield(1, 3))  # TensorShapeProto [2, 3]
    floats = np.arange(6, dtype="<f4") / 4
    packed_tensor = vfield(1, 1) + bfield(2, shape) + bfield(5, floats.tobytes())
    content_tensor = (
        vfield(1, 3) + bfield(2, bfield(2, vfield(1, 2))) + bfield(4, b"\x07\0\0\0\xff\xff\xff\xff")
    )
    fill_tensor = vfield(1, 1) + bfield(2, shape) + key(5, 5) + struct.pack("<f", 0.5)
    ints = b"".join(varint(i) for i in (1, 2, 2, 1))
    node_a = (
        bfield(1, b"w")
        + bfield(2, b"Const")
        + attr_entry("value", bfield(8, packed_tensor))
        + attr_entry("strides", bfield(1, bfield(3, ints)))
        + attr_entry("padding", bfield(2, b"SAME"))
        + attr_entry("epsilon", key(4, 5) + struct.pack("<f", 0.001))
        + attr_entry("is_training", vfield(5, 0))
        + attr_entry("T", vfield(6, 1))
        + attr_entry("neg", vfield(3, -5))
    )
    node_b = (
        bfield(1, b"c")
        + bfield(2, b"Const")
        + bfield(3, b"w")
        + bfield(3, b"^w")
        + attr_entry("value", bfield(8, content_tensor))
        + attr_entry("fill", bfield(8, fill_tensor))
        + attr_entry("shape", bfield(7, shape))
    )
    graph = bfield(1, node_a) + bfield(1, node_b) + vfield(3, 7)  # unknown field skipped
    a, b = parse_graphdef(graph)
    assert (a.name, a.op, a.inputs) == ("w", "Const", ())
    np.testing.assert_array_equal(a.attr["value"], floats.reshape(2, 3))  # type: ignore[arg-type]
    assert a.attr["strides"] == AttrList(i=(1, 2, 2, 1))
    assert a.attr["padding"] == b"SAME" and a.attr["T"] == 1 and a.attr["neg"] == -5
    assert a.attr["is_training"] is False
    assert a.attr["epsilon"] == pytest.approx(0.001)
    assert b.inputs == ("w", "^w") and b.attr["shape"] == (2, 3)
    np.testing.assert_array_equal(b.attr["value"], np.array([7, -1], np.int32))  # type: ignore[arg-type]
    np.testing.assert_array_equal(b.attr["fill"], np.full((2, 3), 0.5, np.float32))  # type: ignore[arg-type]


def test_tf_same_padding_and_batch_free_reshape() -> None:
    assert same_or_valid(160, 3, 2, 1, same=False) == (79, 0, 0)
    assert same_or_valid(35, 3, 1, 1, same=True) == (35, 1, 1)
    assert same_or_valid(160, 3, 2, 1, same=True) == (80, 0, 1)  # extra pixel after
    assert same_or_valid(17, 7, 1, 1, same=True) == (17, 3, 3)
    assert batch_free_shape(np.array([1, -1]), (1, 1, 1792)) == (1792,)
    assert batch_free_shape(np.array([-1, 1, 1, 512]), (512,)) == (1, 1, 512)
    with pytest.raises(ValueError):
        batch_free_shape(np.array([-1]), (3, 3))


# -- the real model ------------------------------------------------------------------------
@pytest.fixture(scope="session")
def converted(tmp_path_factory: pytest.TempPathFactory) -> ConvertedModel:
    return ensure_facenet_onnx(tmp_path_factory.mktemp("facenet-cache"))


@pytest.fixture(scope="session")
def session(converted: ConvertedModel) -> Any:
    return make_session(converted.path, threads=2)


def embed(session: Any, images: np.ndarray) -> np.ndarray:
    (out,) = session.run(["embedding"], {"input": np.ascontiguousarray(images, np.float32)})
    return np.asarray(out)


def test_converted_model_is_valid_onnx_with_free_batch(converted: ConvertedModel) -> None:
    import onnx

    model = onnx.load(str(converted.path))
    onnx.checker.check_model(model)
    (inp,), (out,) = model.graph.input, model.graph.output
    dims = [d.dim_param or d.dim_value for d in inp.type.tensor_type.shape.dim]
    assert (inp.name, dims) == ("input", ["N", 160, 160, 3])
    assert (out.name, [d.dim_param or d.dim_value for d in out.type.tensor_type.shape.dim]) == (
        "embedding",
        ["N", 512],
    )
    ops = {node.op_type for node in model.graph.node}
    assert (
        "BatchNormalization" not in ops
        and sum(n.op_type == "Transpose" for n in model.graph.node) == 1
    )
    assert (
        converted.source_sha256
        == "704afe26766ce6215931b0bde68650835be9518613d40ce101e641708c7d5c78"
    )


def test_matches_opencv_reference(session: Any) -> None:
    inputs, expected = load_reference()
    actual = embed(session, inputs)
    assert actual.shape == expected.shape == (3, 512)
    assert np.max(np.abs(actual - expected)) <= 1e-4


def test_batch_equals_single_runs_and_norms_are_one(session: Any) -> None:
    images = np.random.default_rng(7).uniform(-1.5, 1.5, (3, 160, 160, 3)).astype(np.float32)
    batch = embed(session, images)
    singles = np.concatenate([embed(session, image[None]) for image in images])
    assert np.max(np.abs(batch - singles)) <= 1e-5
    np.testing.assert_allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-5)


def test_second_call_uses_the_cache(
    converted: ConvertedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_conversion(_pb: Path) -> bytes:
        raise AssertionError("converted again")

    monkeypatch.setattr(tf_convert, "convert_facenet_pb", no_conversion)
    mtime = converted.path.stat().st_mtime_ns
    assert ensure_facenet_onnx(converted.path.parent) == converted
    assert converted.path.stat().st_mtime_ns == mtime
    assert not [p for p in converted.path.parent.iterdir() if p.suffix == ".tmp"]


def copy_cache(converted: ConvertedModel, tmp_path: Path) -> Path:
    for item in converted.path.parent.iterdir():
        shutil.copy2(item, tmp_path / item.name)
    return tmp_path / converted.path.name


def test_missing_marker_is_rechecked_and_rewritten(
    converted: ConvertedModel, tmp_path: Path
) -> None:
    cached = copy_cache(converted, tmp_path)
    marker = cached.with_name(cached.name + ".ok")
    marker.unlink()
    assert ensure_facenet_onnx(tmp_path).path == cached
    assert marker.read_text() == converted.path.with_name(marker.name).read_text()


def damage_weights(path: Path) -> None:
    """Still a loadable model, but one residual branch's weights are zeroed."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(path))
    for index, init in enumerate(model.graph.initializer):
        if "block35_1/Conv2d_1x1/" in init.name and init.name.endswith("/W"):
            zeros = np.zeros_like(numpy_helper.to_array(init))
            model.graph.initializer[index].CopyFrom(numpy_helper.from_array(zeros, init.name))
            break
    else:
        raise AssertionError("block35_1 weights not found")
    path.write_bytes(model.SerializeToString())


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


@pytest.mark.parametrize("damage", [damage_weights, truncate])
def test_corrupted_cache_is_rejected_and_deleted(
    converted: ConvertedModel, tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    cached = copy_cache(converted, tmp_path)
    damage(cached)
    with pytest.raises(ModelUnavailableError) as info:
        ensure_facenet_onnx(tmp_path)
    assert info.value.code.value == "model_unavailable"
    assert not cached.exists()
    assert not cached.with_name(cached.name + ".ok").exists()
    if damage is damage_weights:
        assert info.value.details["max_abs_diff"] > 1e-3  # type: ignore[operator]


def test_unconvertible_pb_raises_model_unavailable(tmp_path: Path) -> None:
    bogus = tmp_path / "graph.pb"
    bogus.write_bytes(b"\x0a\xff\xff\xff\xff\x0f")  # a node field longer than the file
    with pytest.raises(ModelUnavailableError):
        ensure_facenet_onnx(tmp_path / "cache", bogus)
    assert not list((tmp_path / "cache").glob("*.onnx"))
