from enum import StrEnum


class CorrectionEntryType(StrEnum):
    EVENT_CORRECTED = "event.corrected"
    EVENT_RETRACTED = "event.retracted"

    def __str__(self) -> str:
        return str(self.value)
