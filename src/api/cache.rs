//! The facts cache (issue 12): what [`super::exports`] extracts from a file, kept on disk
//! between runs, so that a re-run on the same repository (a pre-commit hook, a second `diff`, a
//! gate against the same release tag) reads each file's facts back instead of parsing it again.
//!
//! An entry is keyed by everything the facts depend on ([`ParseKey`]: the blob id, the module
//! and its flags), and its folder's name carries a fingerprint of the code that extracts them
//! (`build.rs`), so an entry written by other code is never read. Each entry holds its full key
//! and a checksum, both checked on read. The cache is best effort: any failed read is a miss
//! (the file is parsed, and its entry written again), any failed write is ignored.
//!
//! Layout: `<dir>/facts-<fingerprint>/*.pack`. A run writes what it parsed as one pack (a
//! temporary file renamed into place, so two runs at once never read half of one), and reads
//! every pack when it opens the cache. One file a run, not one a module: creating a file costs
//! about 0.2 ms on the ext4 disks this project runs on, which for Django's 1,100 modules was
//! more than half the time of the diff; reading its 2 MB of packs costs about 1 ms. Past
//! [`MAX_PACKS`] packs, a run writes one pack of everything instead, and past [`MAX_BYTES`]
//! only what it used.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, RwLock};

use super::exports::{Extracted, ParseKey};
use super::fnv::Fnv;

/// A fingerprint of the code that extracts facts, from `build.rs`.
const FINGERPRINT: &str = env!("BUMPWISE_FACTS_FINGERPRINT");

/// The first bytes of every pack (`p`ack, format `1`).
const MAGIC: &[u8; 4] = b"bwp1";

/// A record's header: the payload's length (u32), the key's hash and the payload's checksum
/// (u64 each), little-endian; the payload is the postcard encoding of `(ParseKey, Extracted)`.
const HEADER: usize = 4 + 8 + 8;

/// More packs than this are merged into one when a run writes.
const MAX_PACKS: usize = 8;

/// A merge that would be larger than this keeps only the entries the run used or wrote: old
/// revisions' entries go, and reading the cache stays cheap.
const MAX_BYTES: usize = 64 << 20;

/// Temporary files older than this were left by a run that died: a merge removes them.
const STALE_SECS: u64 = 3600;

/// The facts cache of one repository, opened once a run and shared by its parses.
pub struct FactsCache {
    dir: PathBuf,
    writable: bool,
    packs: RwLock<Packs>,
    /// Records parsed by this run and not yet written, after the magic bytes: a pack.
    fresh: Mutex<Vec<u8>>,
    /// Records this run read (pack, start), which a merge past `max_bytes` keeps.
    used: Mutex<HashSet<(usize, usize)>>,
    /// [`MAX_BYTES`], but in tests.
    max_bytes: usize,
}

/// The packs read, and where each record sits in them, by key hash.
#[derive(Default)]
struct Packs {
    files: Vec<(PathBuf, Vec<u8>)>,
    index: HashMap<u64, Vec<(usize, Range<usize>)>>,
}

impl Packs {
    fn add(&mut self, path: PathBuf, bytes: Vec<u8>) {
        let i = self.files.len();
        for record in records(&bytes) {
            self.index
                .entry(record.hash)
                .or_default()
                .push((i, record.span));
        }
        self.files.push((path, bytes));
    }
}

/// One record of a pack, as its header says; its payload is checked when it is read.
struct Record {
    span: Range<usize>,
    hash: u64,
    sum: u64,
}

/// The records of a pack, up to the first that is cut short. A pack without the magic bytes
/// has none.
fn records(pack: &[u8]) -> impl Iterator<Item = Record> + '_ {
    let mut at = if pack.starts_with(MAGIC) {
        MAGIC.len()
    } else {
        pack.len()
    };
    std::iter::from_fn(move || {
        let header = pack.get(at..at.checked_add(HEADER)?)?;
        let len = u32::from_le_bytes(header[..4].try_into().ok()?) as usize;
        let hash = u64::from_le_bytes(header[4..12].try_into().ok()?);
        let sum = u64::from_le_bytes(header[12..20].try_into().ok()?);
        let end = (at + HEADER)
            .checked_add(len)
            .filter(|&e| e <= pack.len())?;
        let record = Record {
            span: at..end,
            hash,
            sum,
        };
        at = end;
        Some(record)
    })
}

/// The record of `key` and `extracted`.
fn encode(key: &ParseKey, extracted: &Extracted) -> Option<Vec<u8>> {
    let mut record = postcard::to_extend(&(key, extracted), vec![0; HEADER]).ok()?;
    let len = u32::try_from(record.len() - HEADER).ok()?;
    let sum = Fnv::of(&record[HEADER..]);
    record[..4].copy_from_slice(&len.to_le_bytes());
    record[4..12].copy_from_slice(&key_hash(key).to_le_bytes());
    record[12..20].copy_from_slice(&sum.to_le_bytes());
    Some(record)
}

/// The key and facts of a record, when its payload is whole.
fn decode(record: &[u8]) -> Option<(ParseKey, Extracted)> {
    let (header, payload) = record.split_at_checked(HEADER)?;
    let sum = u64::from_le_bytes(header[12..20].try_into().ok()?);
    if sum != Fnv::of(payload) {
        return None;
    }
    let (entry, rest) = postcard::take_from_bytes(payload).ok()?;
    rest.is_empty().then_some(entry)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A poisoned lock only means another thread panicked holding it: the data is whole.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl FactsCache {
    /// The cache under `root` (`.git/bumpwise/cache`), its packs read. A writable cache creates
    /// its folder, and on creating it removes the folders of other fingerprints (older builds'
    /// entries, which no build reads again). `None` when there is no folder to read.
    pub fn open(root: &Path, writable: bool) -> Option<FactsCache> {
        let dir = root.join(format!("facts-{FINGERPRINT}"));
        if writable && !dir.is_dir() && std::fs::create_dir_all(&dir).is_ok() {
            prune(root, &dir);
        }
        let mut packs = Packs::default();
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "pack"))
            .collect();
        paths.sort();
        for path in paths {
            if let Ok(bytes) = std::fs::read(&path) {
                packs.add(path, bytes);
            }
        }
        Some(FactsCache {
            dir,
            writable,
            packs: RwLock::new(packs),
            fresh: Mutex::default(),
            used: Mutex::default(),
            max_bytes: MAX_BYTES,
        })
    }

    /// The facts stored for `key`, when a sound record holds them.
    pub(crate) fn load(&self, key: &ParseKey) -> Option<Extracted> {
        let packs = self.packs.read().unwrap_or_else(|e| e.into_inner());
        for (pack, span) in packs.index.get(&key_hash(key))? {
            let record = &packs.files[*pack].1[span.clone()];
            if let Some((stored, extracted)) = decode(record)
                && stored == *key
            {
                lock(&self.used).insert((*pack, span.start));
                return Some(extracted);
            }
        }
        None
    }

    /// Keeps the facts of `key` for [`FactsCache::save`], when the cache is writable.
    pub(crate) fn store(&self, key: &ParseKey, extracted: &Extracted) {
        if self.writable
            && let Some(record) = encode(key, extracted)
        {
            let mut fresh = lock(&self.fresh);
            if fresh.is_empty() {
                fresh.extend_from_slice(MAGIC);
            }
            fresh.extend_from_slice(&record);
        }
    }

    /// Writes what was stored since the last save as one pack (with the other packs, past
    /// [`MAX_PACKS`]); a failure only loses the entries.
    pub(crate) fn save(&self) {
        let fresh = std::mem::take(&mut *lock(&self.fresh));
        if !self.writable || fresh.is_empty() {
            return;
        }
        let mut packs = self.packs.write().unwrap_or_else(|e| e.into_inner());
        let merge = packs.files.len() >= MAX_PACKS;
        // Below the limit the fresh records are the pack as they are.
        let bytes = if merge {
            merged(&packs, &fresh, &lock(&self.used), self.max_bytes)
        } else {
            fresh
        };
        let Ok(path) = self.write(&bytes) else {
            return;
        };
        if merge {
            for (old, _) in std::mem::take(&mut *packs).files {
                if old != path {
                    let _ = std::fs::remove_file(old);
                }
            }
            lock(&self.used).clear();
            remove_stale_temporaries(&self.dir);
        }
        packs.add(path, bytes);
    }

    /// Writes a pack under a name no other run picks, through a temporary file renamed into
    /// place.
    fn write(&self, bytes: &[u8]) -> std::io::Result<PathBuf> {
        let mut file = tempfile::NamedTempFile::new_in(&self.dir)?;
        file.write_all(bytes)?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!("{nanos:x}-{}.pack", std::process::id());
        let path = self.dir.join(name);
        file.persist(&path).map_err(|e| e.error)?;
        Ok(path)
    }
}

/// One pack of every record of `packs` and of `fresh` (a pack too), each key and content once;
/// past `max_bytes`, of `fresh` and the records this run used only. A record whose payload is
/// damaged is left out.
fn merged(
    packs: &Packs,
    fresh: &[u8],
    used: &HashSet<(usize, usize)>,
    max_bytes: usize,
) -> Vec<u8> {
    let total: usize = packs.files.iter().map(|(_, b)| b.len()).sum::<usize>() + fresh.len();
    let mut bytes = MAGIC.to_vec();
    let mut seen = HashSet::new();
    for (i, (_, pack)) in packs.files.iter().enumerate() {
        for record in records(pack) {
            let body = &pack[record.span.clone()];
            let keep = total <= max_bytes || used.contains(&(i, record.span.start));
            // Sound first: a damaged copy must not hide a sound one of the same record.
            if keep
                && Fnv::of(&body[HEADER..]) == record.sum
                && seen.insert((record.hash, record.sum))
            {
                bytes.extend_from_slice(body);
            }
        }
    }
    for record in records(fresh) {
        if seen.insert((record.hash, record.sum)) {
            bytes.extend_from_slice(&fresh[record.span]);
        }
    }
    bytes
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

/// Removes temporary files (`.tmp*`, tempfile's names) that a run which died left behind.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > STALE_SECS);
        if stale && entry.file_name().to_string_lossy().starts_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn key_hash(key: &ParseKey) -> u64 {
    let mut hash = Fnv::START;
    hash.field(&key.blob);
    hash.field(key.module.as_bytes());
    hash.field(&[
        u8::from(key.is_package),
        u8::from(key.is_stub),
        u8::from(key.public),
    ]);
    hash.0
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

    fn pack_files(dir: &Path) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "pack"))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn an_entry_is_read_only_under_its_own_key() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (key("mypkg.a"), key("mypkg.b"));
        let cache = FactsCache::open(tmp.path(), true).unwrap();
        cache.store(&a, &Extracted::default());
        cache.save();
        let cache = FactsCache::open(tmp.path(), true).unwrap();
        assert!(cache.load(&a).is_some());
        assert!(cache.load(&b).is_none());
        // A hash collision: `a`'s record under `b`'s hash.
        {
            let mut packs = cache.packs.write().unwrap();
            let found = packs.index[&key_hash(&a)].clone();
            packs.index.insert(key_hash(&b), found);
        }
        assert!(cache.load(&b).is_none());
        for flag in 0..3 {
            let mut other = a.clone();
            match flag {
                0 => other.is_package = true,
                1 => other.is_stub = true,
                _ => other.public = false,
            }
            assert_ne!(key_hash(&other), key_hash(&a));
        }
    }

    #[test]
    fn creating_the_folder_removes_other_fingerprints_only() {
        let tmp = tempfile::tempdir().unwrap();
        let old = tmp.path().join("facts-0123456789abcdef");
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join("1-1.pack"), b"old pack").unwrap();
        std::fs::write(tmp.path().join("notes.txt"), b"not ours").unwrap();
        // Reading creates and removes nothing.
        assert!(FactsCache::open(tmp.path(), false).is_none());
        assert!(old.exists());
        let cache = FactsCache::open(tmp.path(), true).unwrap();
        assert!(!old.exists());
        assert!(cache.dir.is_dir());
        assert!(tmp.path().join("notes.txt").exists());
    }

    #[test]
    fn a_read_only_cache_reads_and_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("cache");
        assert!(FactsCache::open(&root, false).is_none());
        assert!(!root.exists());
        let writable = FactsCache::open(&root, true).unwrap();
        writable.store(&key("mypkg.a"), &Extracted::default());
        writable.save();
        let read_only = FactsCache::open(&root, false).unwrap();
        assert!(read_only.load(&key("mypkg.a")).is_some());
        read_only.store(&key("mypkg.b"), &Extracted::default());
        read_only.save();
        assert_eq!(pack_files(&read_only.dir).len(), 1);
    }

    #[test]
    fn a_cache_that_cannot_be_created_is_no_cache() {
        let tmp = tempfile::tempdir().unwrap();
        // `.git/bumpwise` is a file: nothing can be created under it, even by root.
        let file = tmp.path().join("bumpwise");
        std::fs::write(&file, b"").unwrap();
        assert!(FactsCache::open(&file.join("cache"), true).is_none());
    }

    #[test]
    fn packs_past_the_limit_are_merged_and_stale_temporaries_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = FactsCache::open(tmp.path(), true).unwrap();
        let old = cache.dir.join(".tmpdead");
        std::fs::write(&old, b"left by a run that died").unwrap();
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
        let young = cache.dir.join(".tmplive");
        std::fs::write(&young, b"another run's, being written").unwrap();
        for i in 0..MAX_PACKS {
            cache.store(&key(&format!("mypkg.m{i}")), &Extracted::default());
            cache.save();
        }
        assert_eq!(pack_files(&cache.dir).len(), MAX_PACKS);
        cache.store(&key("mypkg.last"), &Extracted::default());
        cache.save();
        assert_eq!(pack_files(&cache.dir).len(), 1);
        assert!(!old.exists());
        assert!(young.exists());
        let cache = FactsCache::open(tmp.path(), true).unwrap();
        for i in 0..MAX_PACKS {
            assert!(cache.load(&key(&format!("mypkg.m{i}"))).is_some());
        }
        assert!(cache.load(&key("mypkg.last")).is_some());
    }

    #[test]
    fn a_merge_past_the_size_limit_keeps_what_the_run_used() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = FactsCache::open(tmp.path(), true).unwrap();
        for i in 0..MAX_PACKS {
            cache.store(&key(&format!("mypkg.m{i}")), &Extracted::default());
            cache.save();
        }
        let mut cache = FactsCache::open(tmp.path(), true).unwrap();
        cache.max_bytes = 0;
        assert!(cache.load(&key("mypkg.m1")).is_some());
        cache.store(&key("mypkg.new"), &Extracted::default());
        cache.save();
        let cache = FactsCache::open(tmp.path(), true).unwrap();
        assert!(cache.load(&key("mypkg.m1")).is_some());
        assert!(cache.load(&key("mypkg.new")).is_some());
        assert!(cache.load(&key("mypkg.m2")).is_none());
    }

    #[test]
    fn damaged_packs_give_what_is_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = FactsCache::open(tmp.path(), true).unwrap();
        for name in ["mypkg.a", "mypkg.b"] {
            cache.store(&key(name), &Extracted::default());
        }
        cache.save();
        let path = pack_files(&cache.dir).remove(0);
        let whole = std::fs::read(&path).unwrap();
        let load = |bytes: &[u8]| {
            std::fs::write(&path, bytes).unwrap();
            let cache = FactsCache::open(tmp.path(), false).unwrap();
            [
                cache.load(&key("mypkg.a")).is_some(),
                cache.load(&key("mypkg.b")).is_some(),
            ]
        };
        assert_eq!(load(&whole), [true, true]);
        // Cut inside the second record: the first is still whole.
        assert_eq!(load(&whole[..whole.len() - 3]), [true, false]);
        // One flipped byte in the second record's facts: only its checksum sees it.
        let mut flipped = whole.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(load(&flipped), [true, false]);
        assert_eq!(load(&vec![0x5a; whole.len()]), [false, false]);
        assert_eq!(load(b""), [false, false]);
    }

    /// Opening a real cache and decoding every entry in parallel, as a warm run does: run
    /// `BUMPWISE_CACHE=<repo>/.git/bumpwise/cache cargo test --release --lib
    /// api::cache::tests::load_time -- --ignored --nocapture` after a run of the same source.
    #[test]
    #[ignore]
    #[allow(clippy::print_stderr)]
    fn load_time() {
        use rayon::prelude::*;
        use std::time::Instant;

        let root = PathBuf::from(std::env::var_os("BUMPWISE_CACHE").expect("BUMPWISE_CACHE"));
        for _ in 0..5 {
            let start = Instant::now();
            let cache = FactsCache::open(&root, false).expect("a cache written by this source");
            let opened = start.elapsed();
            let packs = cache.packs.read().unwrap();
            let spans: Vec<&(usize, Range<usize>)> = packs.index.values().flatten().collect();
            let decoded: Vec<_> = spans
                .par_iter()
                .map(|(pack, span)| decode(&packs.files[*pack].1[span.clone()]))
                .collect();
            let total = start.elapsed();
            assert!(decoded.iter().all(Option::is_some));
            let size: usize = packs.files.iter().map(|(_, b)| b.len()).sum();
            eprintln!(
                "{} entries in {} packs, {:.1} MB: open (read and index) {:.1} ms, decode {:.1} ms, total {:.1} ms",
                spans.len(),
                packs.files.len(),
                size as f64 / 1e6,
                opened.as_secs_f64() * 1e3,
                (total - opened).as_secs_f64() * 1e3,
                total.as_secs_f64() * 1e3
            );
            // Freeing is not loading: a run keeps the facts.
            drop(decoded);
        }
    }
}
