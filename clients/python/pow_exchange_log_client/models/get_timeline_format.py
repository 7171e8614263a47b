from enum import StrEnum


class GetTimelineFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    TIMELINEJS = "timelinejs"

    def __str__(self) -> str:
        return str(self.value)
