//! FNV-1a, 64 bits: deterministic across runs, builds and platforms, unlike std's
//! `DefaultHasher`, which shape hashes and the names of cache files need. A few lines, so no
//! crate. (`build.rs` keeps its own copy: a build script cannot use the crate it builds.)

#[derive(Clone, Copy)]
pub(crate) struct Fnv(pub(crate) u64);

impl Fnv {
    pub(crate) const START: Fnv = Fnv(0xcbf2_9ce4_8422_2325);

    pub(crate) fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.byte(b);
        }
    }

    /// A length-prefixed field, so that two fields never read as one.
    pub(crate) fn field(&mut self, bytes: &[u8]) {
        self.bytes(&(bytes.len() as u64).to_le_bytes());
        self.bytes(bytes);
    }

    /// The hash of `bytes` alone.
    pub(crate) fn of(bytes: &[u8]) -> u64 {
        let mut hash = Fnv::START;
        hash.bytes(bytes);
        hash.0
    }
}
