"""What may be uploaded: PDF, office documents and images, recognised by name *and* content.

The extension chooses the type; the first bytes must match it (a renamed .exe or .html is refused).
The type we store and later send is ours, never the browser's claim. SVG and HTML are not accepted:
they could run script if a browser ever showed them from our origin.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from warmeveranderen.security import shorten_keeping_extension

PDF, ZIP, OLE = b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class FileType:
    content_type: str
    signature: bytes | None = None  # the first bytes; None: an image Pillow must recognise
    image_format: str | None = None


_DOCX = "application/vnd.openxmlformats-officedocument."
TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", PDF),
    "doc": FileType("application/msword", OLE),
    "xls": FileType("application/vnd.ms-excel", OLE),
    "ppt": FileType("application/vnd.ms-powerpoint", OLE),
    "docx": FileType(_DOCX + "wordprocessingml.document", ZIP),
    "xlsx": FileType(_DOCX + "spreadsheetml.sheet", ZIP),
    "pptx": FileType(_DOCX + "presentationml.presentation", ZIP),
    "odt": FileType("application/vnd.oasis.opendocument.text", ZIP),
    "ods": FileType("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    "odp": FileType("application/vnd.oasis.opendocument.presentation", ZIP),
    "jpg": FileType("image/jpeg", image_format="JPEG"),
    "jpeg": FileType("image/jpeg", image_format="JPEG"),
    "png": FileType("image/png", image_format="PNG"),
    "gif": FileType("image/gif", image_format="GIF"),
    "webp": FileType("image/webp", image_format="WEBP"),
}
ACCEPT = ",".join(f".{ext}" for ext in TYPES)
KINDS_TEXT = _l("PDF, Word, Excel, PowerPoint, OpenDocument en afbeeldingen (JPG, PNG, GIF, WebP)")

NAME_MAX = 200
PREVIEW_SIZE = (800, 800)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class RefusedFile(ValueError):
    """The file is refused; the message is Dutch and says why."""


def clean_name(name: str | None) -> str:
    """The name as the person's computer called it, without folders or control characters, at most 200 characters."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").split("/")[-1])
    name = re.sub(r"\s+", " ", _CONTROL.sub(" ", name)).strip().strip(".").strip() or "bestand"
    return shorten_keeping_extension(name, NAME_MAX)


def file_type(name: str, head: bytes) -> FileType:
    """The accepted type of this file, or RefusedFile with a message that lists what is accepted."""
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    kind = TYPES.get(ext)
    if kind is None:
        raise RefusedFile(_l("Dit soort bestand kan niet als bijlage: %(kinds)s gaan wel.", kinds=KINDS_TEXT))
    if kind.signature is not None and not head.startswith(kind.signature):
        raise RefusedFile(_l("Dit bestand is geen echt .%(ext)s-bestand (de inhoud past niet bij de naam).", ext=ext))
    return kind


def image_preview(data: bytes, kind: FileType, max_pixels: int) -> tuple[bytes, str]:
    """A resized copy of an image for the page (JPEG, or PNG when it has transparency), made with Pillow.

    Refuses what is not really an image of the named format, and images of more than `max_pixels`
    (a "decompression bomb" would take the server's memory). The copy carries no EXIF data.
    """
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format != kind.image_format:
                raise RefusedFile(_l("Dit bestand is geen echte afbeelding van dit soort (de inhoud past niet bij de naam)."))
            if img.width * img.height > max_pixels:
                raise RefusedFile(_l("Deze afbeelding heeft te veel pixels (hoogstens %(n)s miljoen).",
                                     n=max_pixels // 1_000_000))
            img.seek(0)
            img = ImageOps.exif_transpose(img)
            img.thumbnail(PREVIEW_SIZE)
            transparent = img.mode in ("RGBA", "LA", "P") and (img.mode != "P" or "transparency" in img.info)
            out = io.BytesIO()
            if transparent:
                img.convert("RGBA").save(out, "PNG", optimize=True)
                return out.getvalue(), "image/png"
            img.convert("RGB").save(out, "JPEG", quality=82, optimize=True)
            return out.getvalue(), "image/jpeg"
    except RefusedFile:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise RefusedFile(_l("Deze afbeelding kan niet gelezen worden. Is het bestand beschadigd?")) from None
