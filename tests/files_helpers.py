"""Small real files for the attachment tests: a PDF, a PNG photo, and an upload as a browser sends it."""

from __future__ import annotations

import io

from PIL import Image
from werkzeug.datastructures import FileStorage

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png_bytes(size=(1600, 1200), color=(200, 80, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def attach(kind: str, parent_id: int, user, data: bytes, name: str):
    """Attach through the service, as the upload route does (flushes; the test commits when it needs to)."""
    from warmeveranderen.files import registry, services

    return services.attach(kind, parent_id, registry.parent(kind, parent_id), user, upload(data, name))
