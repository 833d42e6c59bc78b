def main() -> None: ...

#@@ _impl
# expect: name-moved (`pkg.utils.slugify` now lives at `pkg.text.slugify`)


def strip_tags(html: str) -> str:
    return html
