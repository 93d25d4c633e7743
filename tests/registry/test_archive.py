"""Reproducible layers and flattening (no registry needed)."""

from __future__ import annotations

import gzip
import io
import tarfile

import pytest

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
