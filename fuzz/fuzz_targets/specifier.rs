//! Arbitrary strings as specifier sets and PEP 508 requirements, widened to new versions.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| bumpwise::fuzz::specifier(text));
