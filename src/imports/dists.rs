//! Which top-level modules a declared distribution provides, without installing it: its name
//! normalized (`typing-extensions` gives `typing_extensions`, `zope.interface` gives
//! `zope.interface`), a few spelling habits (`python-dateutil`, `psycopg2-binary`), a table of
//! well-known names that differ (`PyYAML` gives `yaml`), and the project's own
//! `module-names`.
//!
//! The gate errs towards silence: a module that any of these readings allows is accepted.

use std::collections::{BTreeMap, BTreeSet};

/// Distributions whose modules are not named after them (normalized names, PEP 503).
const KNOWN: &[(&str, &[&str])] = &[
    ("attrs", &["attr", "attrs"]),
    ("beautifulsoup4", &["bs4"]),
    ("django-environ", &["environ"]),
    ("djangorestframework", &["rest_framework"]),
    ("dnspython", &["dns"]),
    ("docker-py", &["docker"]),
    ("email-validator", &["email_validator"]),
    ("faiss-cpu", &["faiss"]),
    ("faiss-gpu", &["faiss"]),
    ("gitpython", &["git"]),
    ("google-api-python-client", &["googleapiclient"]),
    ("grpcio", &["grpc"]),
    ("grpcio-status", &["grpc_status"]),
    ("ipython", &["IPython"]),
    ("msgpack-python", &["msgpack"]),
    ("mysql-connector-python", &["mysql"]),
    ("mysqlclient", &["MySQLdb"]),
    ("opencv-contrib-python", &["cv2"]),
    ("opencv-python", &["cv2"]),
    ("opencv-python-headless", &["cv2"]),
    ("pillow", &["PIL"]),
    ("protobuf", &["google.protobuf"]),
    ("pycryptodome", &["Crypto"]),
    ("pycryptodomex", &["Cryptodome"]),
    ("pygithub", &["github"]),
    ("pyjwt", &["jwt"]),
    ("pymupdf", &["fitz", "pymupdf"]),
    ("pyopenssl", &["OpenSSL"]),
    ("pyserial", &["serial"]),
    ("python-dotenv", &["dotenv"]),
    ("python-jose", &["jose"]),
    ("python-magic", &["magic"]),
    ("python-multipart", &["multipart", "python_multipart"]),
    ("python-socketio", &["socketio"]),
    ("pytz-deprecation-shim", &["pytz_deprecation_shim"]),
    (
        "pywin32",
        &[
            "win32api",
            "win32con",
            "win32com",
            "pywintypes",
            "win32file",
        ],
    ),
    ("pyyaml", &["yaml"]),
    ("pyzmq", &["zmq"]),
    ("scikit-image", &["skimage"]),
    ("scikit-learn", &["sklearn"]),
    (
        "setuptools",
        &[
            "setuptools",
            "pkg_resources",
            "distutils",
            "_distutils_hack",
        ],
    ),
    ("sqlalchemy", &["sqlalchemy"]),
    ("tensorflow-cpu", &["tensorflow"]),
    ("tensorflow-gpu", &["tensorflow"]),
    ("types-requests", &["requests"]),
    ("websocket-client", &["websocket"]),
];

/// The modules a project's declared distributions may provide.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provided {
    /// Dotted module names, each allowing itself and its submodules.
    modules: BTreeSet<String>,
    /// Distribution names with `-` for every separator: `google-cloud-storage` allows
    /// `google.cloud.storage`.
    dists: BTreeSet<String>,
}

impl Provided {
    /// What `dists` (normalized distribution names) provide, with the project's
    /// `module-names` (distribution to modules) on top.
    pub fn new<'a>(
        dists: impl IntoIterator<Item = &'a str>,
        module_names: &BTreeMap<String, Vec<String>>,
    ) -> Provided {
        let mut out = Provided::default();
        for dist in dists {
            let dist = crate::project::requirement::normalize(dist);
            if let Some(mods) = module_names.get(&dist) {
                out.modules.extend(mods.iter().cloned());
            }
            if let Ok(i) = KNOWN.binary_search_by(|(d, _)| d.cmp(&dist.as_str())) {
                out.modules
                    .extend(KNOWN[i].1.iter().map(|m| (*m).to_owned()));
            }
            for variant in variants(&dist) {
                out.dists.insert(variant);
            }
        }
        out
    }

    /// Also accepts `modules` (the `allow-modules` setting).
    pub fn with_modules(mut self, modules: &[String]) -> Provided {
        self.modules.extend(modules.iter().cloned());
        self
    }

    /// Whether the dotted `module` comes from one of the distributions.
    pub fn provides(&self, module: &str) -> bool {
        let parts: Vec<&str> = module.split('.').collect();
        (1..=parts.len()).any(|n| {
            let prefix = &parts[..n];
            self.modules.contains(&prefix.join("."))
                || self
                    .dists
                    .contains(&prefix.join("-").to_lowercase().replace('_', "-"))
        })
    }
}

/// `python-dateutil` also as `dateutil`, `psycopg2-binary` as `psycopg2`, `pyyaml` as `yaml`.
fn variants(dist: &str) -> Vec<String> {
    let mut out = vec![dist.to_owned()];
    for prefix in ["python-", "py-", "py"] {
        if let Some(rest) = dist.strip_prefix(prefix)
            && !rest.is_empty()
        {
            out.push(rest.to_owned());
        }
    }
    for suffix in [
        "-binary",
        "-python",
        "-py",
        "-cpu",
        "-gpu",
        "-headless",
        "-slim",
    ] {
        if let Some(rest) = dist.strip_suffix(suffix)
            && !rest.is_empty()
        {
            out.push(rest.to_owned());
        }
    }
    // `django-filter` provides `django_filters`, `types-x` only stubs: neither is guessable,
    // `module-names` says it.
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provided(dists: &[&str]) -> Provided {
        Provided::new(dists.iter().copied(), &BTreeMap::new())
    }

    #[test]
    fn known_table_is_sorted_and_normalized() {
        assert!(KNOWN.windows(2).all(|w| w[0].0 < w[1].0));
        for (d, _) in KNOWN {
            assert_eq!(crate::project::requirement::normalize(d), *d);
        }
    }

    #[test]
    fn names_spellings_and_the_table() {
        let p = provided(&[
            "Requests",
            "typing_extensions",
            "python-dateutil",
            "PyYAML",
            "google-cloud-storage",
            "zope.interface",
            "psycopg2-binary",
            "protobuf",
        ]);
        for m in [
            "requests",
            "requests.adapters",
            "typing_extensions",
            "dateutil.parser",
            "yaml",
            "google.cloud.storage",
            "zope.interface",
            "psycopg2",
            "google.protobuf.message",
        ] {
            assert!(p.provides(m), "{m}");
        }
        for m in [
            "google",
            "google.cloud.bigquery",
            "zope",
            "numpy",
            "request",
        ] {
            assert!(!p.provides(m), "{m}");
        }
    }

    #[test]
    fn module_names_setting_adds_to_a_distribution() {
        let names = BTreeMap::from([("acme-sdk".to_owned(), vec!["acmelib".to_owned()])]);
        let p = Provided::new(["Acme_SDK"], &names);
        assert!(p.provides("acmelib.client"));
    }
}
