from enum import StrEnum


class ProposalFormat(StrEnum):
    ALL_FOR_ALL = "all_for_all"
    CATEGORIES = "categories"
    ISTANBUL_FORMAT = "istanbul_format"
    MEDICAL = "medical"
    NUMBERS = "numbers"

    def __str__(self) -> str:
        return str(self.value)
