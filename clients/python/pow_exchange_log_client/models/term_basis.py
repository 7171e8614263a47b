from enum import StrEnum


class TermBasis(StrEnum):
    ALL_FOR_ALL = "all_for_all"
    NUMBERS = "numbers"

    def __str__(self) -> str:
        return str(self.value)
