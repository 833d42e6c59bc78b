//! Arbitrary bytes as a package's `__init__.py` (and `_impl.py`): errors, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| bumpwise::fuzz::surface(data));
