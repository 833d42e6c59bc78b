//! The facts cache (issue 12): what [`super::exports`] extracts from a file, kept on disk
//! between runs, so that a re-run on the same repository (a pre-commit hook, a second `diff`, a
//! gate against the same release tag) reads each file's facts back instead of parsing it again.
//!
//! An entry is keyed by everything the facts depend on ([`ParseKey`]: the blob id, the module
//! and its flags), and its folder's name carries a fingerprint of the code that extracts them
//! (`build.rs`), so an entry written by other code is never read. Each entry holds its full key
//! and a checksum, both checked on read. The cache is best effort: any failed read is a miss
//! (the file is parsed and its entry written again), any failed write is ignored. Entries are
//! written to a temporary file beside them and renamed into place, so that two runs at once
//! never read half an entry.
//!
//! Layout: `<dir>/facts-<fingerprint>/<2 hex>/<14 hex>`, one file per key, named by a hash of
//! the key. A Django-sized package is about 1,100 entries: 2 MB, 6 MB on disk in 4 kB blocks.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::exports::{Extracted, ParseKey};

/// A fingerprint of the code that extracts facts, from `build.rs`.
const FINGERPRINT: &str = env!("BUMPWISE_FACTS_FINGERPRINT");

/// The first bytes of every entry (`f`acts, format `1`).
const MAGIC: &[u8; 4] = b"bwf1";

/// One fingerprint's folder of entries.
pub(crate) struct DiskCache {
    dir: PathBuf,
    writable: bool,
}

impl DiskCache {
    /// The cache under `root` (`.git/bumpwise/cache`). A writable cache creates its folder,
    /// and on creating it removes the folders of other fingerprints (older builds' entries,
    /// which no build reads again). `None` when there is no folder to read.
    pub(crate) fn open(root: &Path, writable: bool) -> Option<DiskCache> {
        let dir = root.join(format!("facts-{FINGERPRINT}"));
        if writable && !dir.is_dir() && std::fs::create_dir_all(&dir).is_ok() {
            prune(root, &dir);
        }
        dir.is_dir().then_some(DiskCache { dir, writable })
    }

    /// The facts stored for `key`, when a sound entry holds them.
    pub(crate) fn load(&self, key: &ParseKey) -> Option<Extracted> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        let (stored, extracted) = decode(&bytes)?;
        (stored == *key).then_some(extracted)
    }

    /// Stores the facts of `key`, when the cache is writable; a failure only loses the entry.
    pub(crate) fn store(&self, key: &ParseKey, extracted: &Extracted) {
        if self.writable {
            let _ = self.write(key, extracted);
        }
    }

    fn write(&self, key: &ParseKey, extracted: &Extracted) -> std::io::Result<()> {
        let payload = postcard::to_stdvec(&(key, extracted)).map_err(std::io::Error::other)?;
        let mut bytes = Vec::with_capacity(MAGIC.len() + 8 + payload.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&fnv1a(&payload).to_le_bytes());
        bytes.extend_from_slice(&payload);
        let path = self.path(key);
        let dir = path.parent().unwrap_or(&self.dir);
        let mut file = match tempfile::NamedTempFile::new_in(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir)?;
                tempfile::NamedTempFile::new_in(dir)?
            }
            other => other?,
        };
        file.write_all(&bytes)?;
        file.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }

    fn path(&self, key: &ParseKey) -> PathBuf {
        let mut hash = Fnv::new();
        hash.field(&key.blob);
        hash.field(key.module.as_bytes());
        hash.field(&[
            u8::from(key.is_package),
            u8::from(key.is_stub),
            u8::from(key.public),
        ]);
        let hex = format!("{:016x}", hash.0);
        self.dir.join(&hex[..2]).join(&hex[2..])
    }
}

/// An entry's key and facts, when its bytes are whole.
fn decode(bytes: &[u8]) -> Option<(ParseKey, Extracted)> {
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let (sum, payload) = rest.split_at_checked(8)?;
    if sum != fnv1a(payload).to_le_bytes() {
        return None;
    }
    let (entry, rest) = postcard::take_from_bytes(payload).ok()?;
    rest.is_empty().then_some(entry)
}

/// Removes the folders of other fingerprints beside `keep`; what cannot be removed stays.
fn prune(root: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let ours = entry.file_name().to_string_lossy().starts_with("facts-");
        if ours && path != keep {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash = Fnv::new();
    hash.bytes(bytes);
    hash.0
}

/// FNV-1a, 64 bits: stable across builds and platforms, which file names need.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// A length-prefixed field, so that two fields never read as one.
    fn field(&mut self, bytes: &[u8]) {
        self.bytes(&(bytes.len() as u64).to_le_bytes());
        self.bytes(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(module: &str) -> ParseKey {
        ParseKey {
            blob: [7; 20],
            module: module.to_owned(),
            is_package: false,
            is_stub: false,
            public: true,
        }
    }

    #[test]
    fn an_entry_is_read_only_under_its_own_key() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = DiskCache::open(tmp.path(), true).unwrap();
        let (a, b) = (key("mypkg.a"), key("mypkg.b"));
        cache.store(&a, &Extracted::default());
        assert!(cache.load(&a).is_some());
        assert!(cache.load(&b).is_none());
        // A hash collision: `a`'s entry where `b`'s would be.
        let (from, to) = (cache.path(&a), cache.path(&b));
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, &to).unwrap();
        assert!(cache.load(&b).is_none());
        for flag in 0..3 {
            let mut other = a.clone();
            match flag {
                0 => other.is_package = true,
                1 => other.is_stub = true,
                _ => other.public = false,
            }
            assert_ne!(cache.path(&other), cache.path(&a));
        }
    }

    #[test]
    fn creating_the_folder_removes_other_fingerprints_only() {
        let tmp = tempfile::tempdir().unwrap();
        let old = tmp.path().join("facts-0123456789abcdef");
        std::fs::create_dir_all(old.join("ab")).unwrap();
        std::fs::write(old.join("ab/cdef"), b"old entry").unwrap();
        std::fs::write(tmp.path().join("notes.txt"), b"not ours").unwrap();
        // Reading creates and removes nothing.
        assert!(DiskCache::open(tmp.path(), false).is_none());
        assert!(old.exists());
        let cache = DiskCache::open(tmp.path(), true).unwrap();
        assert!(!old.exists());
        assert!(cache.dir.is_dir());
        assert!(tmp.path().join("notes.txt").exists());
    }

    #[test]
    fn a_read_only_cache_reads_and_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("cache");
        assert!(DiskCache::open(&root, false).is_none());
        assert!(!root.exists());
        let writable = DiskCache::open(&root, true).unwrap();
        writable.store(&key("mypkg.a"), &Extracted::default());
        let read_only = DiskCache::open(&root, false).unwrap();
        assert!(read_only.load(&key("mypkg.a")).is_some());
        read_only.store(&key("mypkg.b"), &Extracted::default());
        assert!(!read_only.path(&key("mypkg.b")).exists());
    }

    /// Reading and decoding every entry of a real cache in parallel, as a warm run does: run
    /// `BUMPWISE_CACHE=<repo>/.git/bumpwise/cache cargo test --release --lib
    /// api::cache::tests::load_time -- --ignored --nocapture` after a run of the same source.
    #[test]
    #[ignore]
    #[allow(clippy::print_stderr)]
    fn load_time() {
        use rayon::prelude::*;
        use std::time::Instant;

        let root = PathBuf::from(std::env::var_os("BUMPWISE_CACHE").expect("BUMPWISE_CACHE"));
        let cache = DiskCache::open(&root, false).expect("a cache written by this source");
        let paths: Vec<PathBuf> = std::fs::read_dir(&cache.dir)
            .unwrap()
            .flatten()
            .flat_map(|d| std::fs::read_dir(d.path()).unwrap().flatten())
            .map(|e| e.path())
            .collect();
        for _ in 0..5 {
            let start = Instant::now();
            let bytes: Vec<Vec<u8>> = paths
                .par_iter()
                .map(|p| std::fs::read(p).unwrap())
                .collect();
            let read = start.elapsed();
            let decoded: Vec<_> = bytes.par_iter().map(|b| decode(b)).collect();
            let total = start.elapsed();
            let size: usize = bytes.iter().map(Vec::len).sum();
            assert!(decoded.iter().all(Option::is_some));
            eprintln!(
                "{} entries, {:.1} MB: read {:.1} ms, decode {:.1} ms, total {:.1} ms",
                paths.len(),
                size as f64 / 1e6,
                read.as_secs_f64() * 1e3,
                (total - read).as_secs_f64() * 1e3,
                total.as_secs_f64() * 1e3
            );
            // Freeing is not loading: a run keeps the facts.
            drop(decoded);
        }
    }

    #[test]
    fn a_cache_that_cannot_be_created_is_no_cache() {
        let tmp = tempfile::tempdir().unwrap();
        // `.git/bumpwise` is a file: nothing can be created under it, even by root.
        let file = tmp.path().join("bumpwise");
        std::fs::write(&file, b"").unwrap();
        assert!(DiskCache::open(&file.join("cache"), true).is_none());
    }
}
