//! Arbitrary strings as PEP 440 versions, with every next version computed from them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| bumpwise::fuzz::version(text));
