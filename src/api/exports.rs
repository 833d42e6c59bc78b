//! What each module exports: API-RULES.md section 2.

use super::{Error, PackageRoot, SourceFile, Surface, Warning};

/// Builds the surface of `package` from its files.
pub fn build(
    package: &PackageRoot,
    files: &[SourceFile],
    exclude: &globset::GlobSet,
) -> Result<(Surface, Vec<Warning>), Error> {
    let _ = (files, exclude);
    Ok((
        Surface {
            package: package.import_name.clone(),
            ..Surface::default()
        },
        Vec::new(),
    ))
}
