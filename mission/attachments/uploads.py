"""An upload handler that stops keeping a file once it passes the size limit: a file of gigabytes is
neither held in memory nor written to a temporary file, and the page says it was too large."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler
from django.http import HttpRequest

TOO_LARGE = "_attachment_too_large"


class LimitedUploadHandler(TemporaryFileUploadHandler):
    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            setattr(self.request, TOO_LARGE, True)
            raise SkipFile
        return super().receive_data_chunk(raw_data, start)


def too_large(request: HttpRequest) -> bool:
    return bool(getattr(request, TOO_LARGE, False))
