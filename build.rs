//! Fingerprints the code that extracts a module's facts, for the facts cache
//! (`src/api/cache.rs`): every file under `src/`, Cargo.lock, the package version and the
//! compiler. The cache folder carries the fingerprint in its name, so any change to the code,
//! in development too, starts a fresh cache and an entry written by other code is never read.
//!
//! The hash is FNV-1a 64, written here: std's `DefaultHasher` may change between Rust
//! releases, and a build dependency for twenty lines is not worth its compile time.

use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut files = Vec::new();
    collect(&root, &root.join("src"), &mut files);
    files.sort();
    let mut hash = Fnv::new();
    for (name, path) in &files {
        hash.field(name.as_bytes());
        hash.field(&std::fs::read(path).unwrap_or_default());
    }
    // Absent when the crate is built from a published package without its lock file.
    hash.field(&std::fs::read(root.join("Cargo.lock")).unwrap_or_default());
    hash.field(
        std::env::var("CARGO_PKG_VERSION")
            .unwrap_or_default()
            .as_bytes(),
    );
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("-V")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    hash.field(&version);
    println!("cargo:rustc-env=BUMPWISE_FACTS_FINGERPRINT={:016x}", hash.0);
    // A folder is scanned as a whole: any file added, changed or removed under it reruns this.
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-changed=build.rs");
}

/// Every file under `dir`, by its path relative to `root` with `/` (the same on every system).
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, path));
        }
    }
}

/// FNV-1a, 64 bits.
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

    /// A length-prefixed field, so that two fields never read as one (`ab`+`c` vs `a`+`bc`).
    fn field(&mut self, bytes: &[u8]) {
        self.bytes(&(bytes.len() as u64).to_le_bytes());
        self.bytes(bytes);
    }
}
