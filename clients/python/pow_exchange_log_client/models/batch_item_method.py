from enum import StrEnum


class BatchItemMethod(StrEnum):
    POST = "POST"

    def __str__(self) -> str:
        return str(self.value)
