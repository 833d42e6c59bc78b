//! Release tags: which tag names are releases, and which are reachable from a revision.
//!
//! A tag is a release when its name fits the tag format (`v{version}`, or `mypkg-v{version}` in
//! a monorepo) and the caller's version parser accepts the `{version}` part. With the default
//! format, bare `1.2.3` tags count too, since many projects tag that way. What a version *is*
//! (PEP 440) is the caller's business: this module only hands it the text.

use std::collections::HashSet;

use super::{CommitId, Error, Repo, git_error};

/// The format every project gets unless `[tool.bumpwise] tag-format` says otherwise.
pub const DEFAULT_FORMAT: &str = "v{version}";

/// A tag that names a release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseTag<V> {
    /// The tag's name (`v1.2.3`).
    pub name: String,
    /// The version part of the name, as the caller's parser read it.
    pub version: V,
    /// The commit the tag points at (annotated tags peeled).
    pub commit: CommitId,
}

/// The version texts a tag name may carry under `tag_format`, best first, each with whether it
/// came from the format itself (`true`) or from the bare-version fallback (`false`).
fn version_candidates<'a>(tag_format: &str, name: &'a str) -> Vec<(&'a str, bool)> {
    let mut found = Vec::with_capacity(2);
    if let Some((prefix, suffix)) = tag_format.split_once("{version}")
        && let Some(version) = name
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
        && !version.is_empty()
    {
        found.push((version, true));
    }
    if tag_format == DEFAULT_FORMAT {
        found.push((name, false));
    }
    found
}

/// The tag names `tag_format` matches, as examples for messages: "`v1.2.3`, `1.2.3`".
/// The version part of `name` when it is a release tag of `tag_format` (`v1.2.3` -> `1.2.3`),
/// for a base the user named with `--from`.
pub fn version_part<'a>(tag_format: &str, name: &'a str) -> Vec<&'a str> {
    version_candidates(tag_format, name)
        .into_iter()
        .map(|(v, _)| v)
        .collect()
}

pub fn describe_format(tag_format: &str) -> String {
    let mut names = vec![format!("`{}`", tag_format.replace("{version}", "1.2.3"))];
    if tag_format == DEFAULT_FORMAT {
        names.push("`1.2.3`".to_owned());
    }
    names.join(", ")
}

impl Repo {
    /// Every release tag under `tag_format` whose version `parse` accepts and whose commit is
    /// `reachable_from` (an ancestor of it or the commit itself; `None` = every tag), newest
    /// *by version* first. Annotated and lightweight tags both count; other tags are ignored.
    ///
    /// When two tags carry the same version (`v1.2.0` and `1.2.0`), the one that fits the
    /// format comes first, then by name, so the order is deterministic.
    pub fn release_tags<V: Ord + Clone>(
        &self,
        tag_format: &str,
        reachable_from: Option<CommitId>,
        parse: impl Fn(&str) -> Option<V>,
    ) -> Result<Vec<ReleaseTag<V>>, Error> {
        let names = self
            .inner
            .tag_names(None)
            .map_err(git_error("list the tags"))?;
        let mut tags: Vec<(ReleaseTag<V>, bool)> = Vec::new();
        for name in names.iter().flatten() {
            let Some((version, exact)) = version_candidates(tag_format, name)
                .into_iter()
                .find_map(|(text, exact)| parse(text).map(|v| (v, exact)))
            else {
                continue;
            };
            // A tag of a tree or a blob is not a release.
            let Some(commit) = self.tag_target(name) else {
                continue;
            };
            tags.push((
                ReleaseTag {
                    name: name.to_owned(),
                    version,
                    commit,
                },
                exact,
            ));
        }
        if let Some(to) = reachable_from
            && !tags.is_empty()
        {
            let reachable = self.reachable_among(to, tags.iter().map(|(t, _)| t.commit))?;
            tags.retain(|(t, _)| reachable.contains(&t.commit));
        }
        tags.sort_by(|(a, a_exact), (b, b_exact)| {
            b.version
                .cmp(&a.version)
                .then(b_exact.cmp(a_exact))
                .then_with(|| a.name.cmp(&b.name))
        });
        Ok(tags.into_iter().map(|(t, _)| t).collect())
    }

    /// The newest release tag reachable from `from`: the base of a comparison. Without one,
    /// [`Error::NoReleaseTag`] names `to_name` (the revision as the user named it) and the tag
    /// names looked for.
    pub fn newest_release_tag<V: Ord + Clone>(
        &self,
        tag_format: &str,
        from: CommitId,
        to_name: &str,
        parse: impl Fn(&str) -> Option<V>,
    ) -> Result<ReleaseTag<V>, Error> {
        match self
            .release_tags(tag_format, Some(from), parse)?
            .into_iter()
            .next()
        {
            Some(tag) => Ok(tag),
            None => Err(Error::NoReleaseTag {
                to: to_name.to_owned(),
                patterns: describe_format(tag_format),
                shallow: self.is_shallow(),
            }),
        }
    }

    /// Which of `wanted` are `to` or its ancestors. One walk of the history from `to`, which
    /// stops as soon as every wanted commit was seen; a shallow clone's walk stops at its edge.
    fn reachable_among(
        &self,
        to: CommitId,
        wanted: impl Iterator<Item = CommitId>,
    ) -> Result<HashSet<CommitId>, Error> {
        let mut remaining: HashSet<git2::Oid> = wanted.map(|c| c.0).collect();
        let mut found = HashSet::new();
        let action = || format!("walk the history of {to}");
        let mut walk = self.inner.revwalk().map_err(git_error(action()))?;
        walk.push(to.0).map_err(git_error(action()))?;
        for oid in walk {
            let oid = oid.map_err(git_error(action()))?;
            if remaining.remove(&oid) {
                found.insert(CommitId(oid));
                if remaining.is_empty() {
                    break;
                }
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::TestRepo;
    use super::*;

    /// A stand-in for the PEP 440 parser: dotted numbers only.
    fn parse(text: &str) -> Option<Vec<u64>> {
        text.split('.').map(|p| p.parse().ok()).collect()
    }

    fn names<V>(tags: &[ReleaseTag<V>]) -> Vec<&str> {
        tags.iter().map(|t| t.name.as_str()).collect()
    }

    #[test]
    fn candidates_by_format() {
        assert_eq!(
            version_candidates("v{version}", "v1.2.3"),
            [("1.2.3", true), ("v1.2.3", false)]
        );
        assert_eq!(
            version_candidates("v{version}", "1.2.3"),
            [("1.2.3", false)]
        );
        assert_eq!(
            version_candidates("mypkg-v{version}", "mypkg-v1.2.3"),
            [("1.2.3", true)]
        );
        assert_eq!(version_candidates("mypkg-v{version}", "1.2.3"), []);
        assert_eq!(version_candidates("mypkg-v{version}", "other-v1.2.3"), []);
        assert_eq!(
            version_candidates("{version}-final", "1.2-final"),
            [("1.2", true)]
        );
        assert_eq!(version_candidates("mypkg-v{version}", "mypkg-v"), []);
    }

    #[test]
    fn describe_lists_what_was_looked_for() {
        assert_eq!(describe_format("v{version}"), "`v1.2.3`, `1.2.3`");
        assert_eq!(describe_format("mypkg-v{version}"), "`mypkg-v1.2.3`");
    }

    #[test]
    fn newest_by_version_not_by_date_v_prefixed_and_bare() {
        let t = TestRepo::new();
        t.write("a.txt", "1");
        let c1 = t.commit("one");
        t.write("a.txt", "2");
        let c2 = t.commit("two");
        t.write("a.txt", "3");
        let c3 = t.commit("three");
        // v1.10.0 was tagged first (a backport branch tagged later would do the same); the
        // dates must not decide the order.
        t.tag_annotated_at("v1.10.0", c2, 100);
        t.tag_annotated_at("v1.9.0", c3, 300);
        t.tag_light("1.2.0", c1);
        t.tag_light("v1.2.0", c1);
        t.tag_light("latest", c3);
        t.tag_light("v-next", c3);
        t.tag_light("nightly-2024", c3);
        let tags = t
            .repo()
            .release_tags("v{version}", Some(TestRepo::id(c3)), parse)
            .unwrap();
        assert_eq!(names(&tags), ["v1.10.0", "v1.9.0", "v1.2.0", "1.2.0"]);
        assert_eq!(tags[0].version, [1, 10, 0]);
        assert_eq!(tags[0].commit, TestRepo::id(c2));
        assert_eq!(tags[3].commit, TestRepo::id(c1));
    }

    #[test]
    fn unreachable_tags_are_ignored() {
        let t = TestRepo::new();
        t.write("a.txt", "1");
        let base = t.commit("base");
        t.write("a.txt", "2");
        let main = t.commit("main work");
        // A side branch from `base` with a higher release tag on it.
        let side_tree = t.git.find_commit(base).unwrap().tree().unwrap();
        let sig = git2::Signature::now("Test", "test@example.com").unwrap();
        let side = t
            .git
            .commit(
                None,
                &sig,
                &sig,
                "side",
                &side_tree,
                &[&t.git.find_commit(base).unwrap()],
            )
            .unwrap();
        t.tag_light("v1.0.0", base);
        t.tag_annotated_at("v2.0.0", side, 10);
        let repo = t.repo();
        let from_main = repo
            .release_tags("v{version}", Some(TestRepo::id(main)), parse)
            .unwrap();
        assert_eq!(names(&from_main), ["v1.0.0"]);
        let from_base = repo
            .release_tags("v{version}", Some(TestRepo::id(base)), parse)
            .unwrap();
        assert_eq!(names(&from_base), ["v1.0.0"]);
        let all = repo.release_tags("v{version}", None, parse).unwrap();
        assert_eq!(names(&all), ["v2.0.0", "v1.0.0"]);
    }

    #[test]
    fn monorepo_format_takes_only_its_own_tags() {
        let t = TestRepo::new();
        t.write("a.txt", "1");
        let c1 = t.commit("one");
        t.tag_light("mypkg-v1.1.0", c1);
        t.tag_annotated_at("mypkg-v1.0.0", c1, 1);
        t.tag_light("otherpkg-v3.0.0", c1);
        t.tag_light("v9.0.0", c1);
        t.tag_light("9.1.0", c1);
        t.tag_light("mypkg-vnext", c1);
        let tags = t
            .repo()
            .release_tags("mypkg-v{version}", Some(TestRepo::id(c1)), parse)
            .unwrap();
        assert_eq!(names(&tags), ["mypkg-v1.1.0", "mypkg-v1.0.0"]);
    }

    #[test]
    fn no_tags_is_an_empty_list() {
        let t = TestRepo::new();
        t.write("a.txt", "1");
        let c1 = t.commit("one");
        let tags = t
            .repo()
            .release_tags("v{version}", Some(TestRepo::id(c1)), parse)
            .unwrap();
        assert!(tags.is_empty());
    }

    #[test]
    fn tags_beyond_a_shallow_edge_are_not_reachable() {
        let t = TestRepo::new();
        t.write("a.txt", "1");
        let c1 = t.commit("one");
        t.write("a.txt", "2");
        let c2 = t.commit("two");
        t.write("a.txt", "3");
        let c3 = t.commit("three");
        t.tag_light("v1.0.0", c1);
        t.tag_light("v1.1.0", c2);
        // History stops at c2, as after `git clone --depth 2`.
        t.make_shallow(c2);
        let tags = t
            .repo()
            .release_tags("v{version}", Some(TestRepo::id(c3)), parse)
            .unwrap();
        assert_eq!(names(&tags), ["v1.1.0"]);
    }
}
