import contextlib


class Engine:
    @contextlib.asynccontextmanager
    async def begin(self):
        yield self
