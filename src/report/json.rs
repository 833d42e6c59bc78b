//! The JSON report: exactly the [`Report`] struct, pretty-printed, field order = struct order.
//!
//! Other tools and CI parse this, so its shape is a contract (`schema_version` 1): fields are
//! only ever added, and optional ones (`check`, `warnings`, a change's extras) are left out when
//! empty rather than written as `null`.

use std::io::{self, Write};

use super::Report;

/// Writes `report` as pretty JSON with a trailing newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{sample, sample_empty};

    fn json(report: &Report) -> String {
        let mut buf = Vec::new();
        render(report, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn sample_report() {
        insta::assert_snapshot!(json(&sample()));
    }

    #[test]
    fn no_api_changes() {
        insta::assert_snapshot!(json(&sample_empty(false)));
    }

    #[test]
    fn follows_the_contract() {
        let value: serde_json::Value = serde_json::from_str(&json(&sample())).unwrap();
        let keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        // serde_json's map is sorted unless preserve_order is on, so compare as a set here; the
        // snapshot pins the order.
        let mut expected = vec![
            "schema_version",
            "package",
            "from",
            "to",
            "current_version",
            "declared_version",
            "required_bump",
            "next_version",
            "changes",
            "check",
            "warnings",
            "packages",
        ];
        expected.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(value["schema_version"], 1);
        assert_eq!(value["required_bump"], "major");
        let first = &value["changes"][0];
        assert_eq!(first["kind"], "parameter-became-keyword-only");
        assert_eq!(first["bump"], "major");
        assert_eq!(first["line"], 12);
        // Optional extras are absent, not null.
        assert!(value["changes"][3].get("before").is_none());
        assert!(json(&sample_empty(true)).ends_with("]\n}\n"));
    }

    #[test]
    fn field_order_is_struct_order() {
        let text = json(&sample());
        let order = [
            "\"schema_version\"",
            "\"package\"",
            "\"from\"",
            "\"to\"",
            "\"current_version\"",
            "\"declared_version\"",
            "\"required_bump\"",
            "\"next_version\"",
            "\"changes\"",
            "\"check\"",
            "\"warnings\"",
            "\"packages\"",
        ];
        let positions: Vec<usize> = order.iter().map(|k| text.find(k).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
        let change = [
            "\"kind\"",
            "\"bump\"",
            "\"path\"",
            "\"message\"",
            "\"file\"",
            "\"line\"",
        ];
        let positions: Vec<usize> = change.iter().map(|k| text.find(k).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    }
}
