"""Where the bytes of attachments live: a folder under instance/ (default) or S3-compatible object storage.

Both backends store an object under a key the app chooses (`<school or 'programma'>/<random hex>`),
never a name a person typed. The database row (`Attachment`) is the truth about what exists; a
stored object without a row is an orphan that `flask files orphans` removes (see services).

S3 is used when `FILES_S3_BUCKET` is set, with `FILES_S3_ENDPOINT_URL` (e.g. `https://s3.eu-west-1.amazonaws.com`
or a MinIO address), `FILES_S3_ACCESS_KEY`, `FILES_S3_SECRET_KEY` and optionally `FILES_S3_REGION`,
so several web servers share the files. The client is the MinIO SDK, which speaks plain S3.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import urlsplit

from flask import current_app

CHUNK = 64 * 1024


class Missing(LookupError):
    """The stored file is not there (removed by hand, or a backup restored without the files)."""


class Storage(Protocol):
    name: str

    def put(self, key: str, data: BinaryIO, size: int, content_type: str) -> None: ...

    def chunks(self, key: str) -> Iterator[bytes]: ...

    def read(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...

    def keys(self) -> Iterator[tuple[str, float]]: ...


class LocalStorage:
    """Files in a folder (instance/files by default); keys become relative paths."""

    name = "local"

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"key outside the storage folder: {key!r}")
        return path

    def put(self, key: str, data: BinaryIO, size: int, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written to a temporary file first, so a half-written file never carries the key.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                while block := data.read(CHUNK):
                    out.write(block)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def chunks(self, key: str) -> Iterator[bytes]:
        """The file's blocks; opened now, so a missing file fails before a response starts."""
        try:
            fh = self._path(key).open("rb")
        except FileNotFoundError:
            raise Missing(key) from None

        def blocks() -> Iterator[bytes]:
            with fh:
                while block := fh.read(CHUNK):
                    yield block

        return blocks()

    def read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise Missing(key) from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self) -> Iterator[tuple[str, float]]:
        """Every stored key with its modification time (epoch seconds)."""
        if not self.root.exists():
            return
        for path in self.root.rglob("*"):
            if path.is_file() and not path.name.startswith(".upload-"):
                yield path.relative_to(self.root).as_posix(), path.stat().st_mtime


class S3Storage:
    """Objects in one bucket of an S3-compatible service (AWS S3, MinIO, Ceph, Scaleway, ...)."""

    name = "s3"

    def __init__(self, bucket: str, endpoint_url: str, access_key: str | None, secret_key: str | None,
                 region: str | None = None, prefix: str = "") -> None:
        from minio import Minio

        parts = urlsplit(endpoint_url)
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = Minio(parts.netloc, access_key=access_key, secret_key=secret_key,
                            region=region or None, secure=parts.scheme == "https")

    def _key(self, key: str) -> str:
        return self.prefix + key

    def ensure_bucket(self) -> None:
        if not self.client.bucket_exists(bucket_name=self.bucket):
            self.client.make_bucket(bucket_name=self.bucket)

    def put(self, key: str, data: BinaryIO, size: int, content_type: str) -> None:
        self.client.put_object(bucket_name=self.bucket, object_name=self._key(key), data=data, length=size,
                               content_type=content_type)

    def chunks(self, key: str) -> Iterator[bytes]:
        """The object's blocks; requested now, so a missing object fails before a response starts."""
        from minio.error import S3Error

        try:
            response = self.client.get_object(bucket_name=self.bucket, object_name=self._key(key))
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject"):
                raise Missing(key) from None
            raise

        def blocks() -> Iterator[bytes]:
            try:
                yield from response.stream(CHUNK)
            finally:
                response.close()
                response.release_conn()

        return blocks()

    def read(self, key: str) -> bytes:
        return b"".join(self.chunks(key))

    def delete(self, key: str) -> None:
        self.client.remove_object(bucket_name=self.bucket, object_name=self._key(key))

    def keys(self) -> Iterator[tuple[str, float]]:
        for obj in self.client.list_objects(bucket_name=self.bucket, prefix=self.prefix or None, recursive=True):
            modified = obj.last_modified.timestamp() if obj.last_modified else 0.0
            yield obj.object_name[len(self.prefix):], modified


def backend() -> Storage:
    """The storage the app's configuration names (one client per app and configuration)."""
    config = current_app.config
    bucket = config.get("FILES_S3_BUCKET")
    if bucket:
        settings = (bucket, config.get("FILES_S3_ENDPOINT_URL") or "https://s3.amazonaws.com",
                    config.get("FILES_S3_ACCESS_KEY"), config.get("FILES_S3_SECRET_KEY"),
                    config.get("FILES_S3_REGION"), config.get("FILES_S3_PREFIX") or "")
    else:
        settings = (config.get("FILES_DIR") or os.path.join(current_app.instance_path, "files"),)
    cache = current_app.extensions.setdefault("warmeveranderen_files", {})
    if settings not in cache:
        cache.clear()
        cache[settings] = S3Storage(*settings) if bucket else LocalStorage(*settings)
    return cache[settings]
