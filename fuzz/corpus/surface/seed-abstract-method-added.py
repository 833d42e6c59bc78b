from abc import ABC, abstractmethod


class Plugin(ABC):
    @abstractmethod
    def run(self) -> None:  # expect: abstract-method-added (became abstract)
        ...

    @abstractmethod
    def stop(self) -> None:  # expect: abstract-method-added (new abstract method)
        ...

    def name(self) -> str:
        return "plugin"
