"""User-facing errors: one type, each message naming what failed and the next step."""


class AssistantError(Exception):
    """An error a user can act on. The CLI prints it as one line; the UI shows it as a message."""


class ConfigError(AssistantError):
    """A setting or argument is out of range or inconsistent."""


class CorpusError(AssistantError):
    """The corpus folder or a document in it cannot be used."""


class IndexMissingError(AssistantError):
    """No index has been built for the current settings."""


class QuestionError(AssistantError):
    """The question itself cannot be answered as given (empty, too long...)."""


class StoreError(AssistantError):
    """The vector store cannot be reached or opened."""
