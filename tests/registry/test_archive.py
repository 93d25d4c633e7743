"""Reproducible layers and flattening (no registry needed)."""

from __future__ import annotations

import gzip
import io
import tarfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.registry import archive
from harness.registry.errors import RegistryError
from harness.registry.images import build_image


def _tar(entries):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_same_files_give_the_same_layer_bytes_whatever_the_order():
    first = archive.build_layer({"a.txt": b"1", "b/c.txt": b"2"})
    second = archive.build_layer({"b/c.txt": b"2", "a.txt": b"1"})
    assert first == second


def test_layer_headers_carry_no_timestamps():
    layer = archive.build_layer({"a": b"x"})
    assert layer[4:8] == b"\x00\x00\x00\x00"  # gzip MTIME field
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(layer))) as tar:
        assert [m.mtime for m in tar] == [0]


def test_same_files_and_labels_give_the_same_manifest_digest():
    files = {"version.json": b'{"version": "v1.2.3"}'}
    assert build_image(files, labels={"t": "1"}).digest == build_image(files, labels={"t": "1"}).digest
    assert build_image(files, labels={"t": "1"}).digest != build_image(files, labels={"t": "2"}).digest


def test_layers_flatten_in_order_with_whiteouts():
    files: dict[str, bytes] = {}
    archive.apply_layer(
        files, archive.read_layer(archive.build_layer({"a": b"1", "d/x": b"2", "keep": b"k"}))
    )
    archive.apply_layer(files, archive.read_layer(_tar([("a", b"new"), ("d/.wh.x", b""), ("./e", b"3")])))
    assert files == {"a": b"new", "keep": b"k", "e": b"3"}


def test_opaque_whiteout_clears_a_directory():
    files = {"d/x": b"1", "d/y": b"2", "z": b"3"}
    archive.apply_layer(files, archive.read_layer(_tar([("d/.wh..wh..opq", b"")])))
    assert files == {"z": b"3"}


def test_uncompressed_tar_layers_are_read_too():
    assert archive.read_layer(_tar([("f", b"v")])) == [("f", b"v")]


def test_a_broken_gzip_stream_reports_gzip_error():
    with pytest.raises(RegistryError, match=r"^gzip: invalid header$|^unexpected EOF$"):
        archive.read_layer(b"\x1f\x8b" + b"garbage" * 10)


def test_a_blob_that_is_not_a_tar_reports_tar_error():
    with pytest.raises(RegistryError, match=r"^archive/tar: invalid tar header$"):
        archive.read_layer(gzip.compress(b"not a tar file at all" * 40, mtime=0))


# --- the plain-ustar reader reads exactly what tarfile reads ---------------------------------------

_NAMES = st.sampled_from(
    [
        "a.txt",
        "dir/b.json",
        "dir/",
        ".wh.gone",
        "dir/.wh..wh..opq",
        "x" * 120,
        "d" * 60 + "/" + "e" * 60,
        "é/ü.txt",
    ]
)
_KINDS = st.sampled_from([tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.DIRTYPE, tarfile.SYMTYPE])
_FORMATS = st.sampled_from([tarfile.USTAR_FORMAT, tarfile.PAX_FORMAT, tarfile.GNU_FORMAT])


def _tarfile_reading(tar_bytes: bytes):
    """What read_layer returned before the plain-ustar reader: tarfile alone, or its error."""
    try:
        with tarfile.open(fileobj=io.BytesIO(tar_bytes), mode="r:") as tar:
            return list(archive._entries(tar))
    except tarfile.TarError:
        return "archive/tar: invalid tar header"


def _read(tar_bytes: bytes):
    try:
        return archive.read_layer(tar_bytes)
    except RegistryError as exc:
        return str(exc)


@st.composite
def _archives(draw):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=draw(_FORMATS)) as tar:
        for name, kind, data in draw(
            st.lists(st.tuples(_NAMES, _KINDS, st.binary(max_size=700)), max_size=4)
        ):
            info = tarfile.TarInfo(name)
            info.type = kind
            if kind == tarfile.SYMTYPE:
                info.linkname, data = "a.txt", b""
            if kind == tarfile.DIRTYPE:
                data = b""
            info.size = len(data)
            try:
                tar.addfile(info, io.BytesIO(data))
            except ValueError:  # a name this format cannot hold
                continue
    raw = bytearray(buffer.getvalue())
    if draw(st.booleans()) and raw:  # corrupt one byte, or cut the archive short
        if draw(st.booleans()):
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
        else:
            del raw[draw(st.integers(0, len(raw) - 1)) :]
    return bytes(raw)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_archives())
def test_the_plain_ustar_reader_agrees_with_tarfile_on_any_archive(tar_bytes):
    assert _read(tar_bytes) == _tarfile_reading(tar_bytes)


def test_the_harness_layers_are_read_without_tarfile(monkeypatch):
    layer = archive.build_layer({"version.json": b"{}", "openapi/config-values.yaml": b"type: object\n"})

    def refuse(*args, **kwargs):
        raise AssertionError("tarfile was used for a plain ustar layer")

    monkeypatch.setattr(archive.tarfile, "open", refuse)
    assert archive.read_layer(layer) == [
        ("openapi/config-values.yaml", b"type: object\n"),
        ("version.json", b"{}"),
    ]
