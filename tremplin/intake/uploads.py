"""Refusing an oversized upload while it is received, not once it is all on disk.

Django receives a whole upload before the view runs; this handler, put first by the upload
view, stops receiving the file once it passes the limit (the rest of the request body is read
and thrown away), and tells the view, which then says the file is too large.
"""

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitUploadHandler(FileUploadHandler):
    def __init__(self, request: Any, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,  # noqa: N803 - Django's name
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        # A declared length well past the limit: no need to receive a byte of it.
        if content_length > self.limit + 64 * 1024:
            self.exceeded = True
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if self.exceeded:
            raise StopUpload(connection_reset=False)
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
