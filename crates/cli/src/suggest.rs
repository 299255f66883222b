//! "Did you mean …?" for a mistyped entry name. The names come from the entries the person may see, the same list
//! `coffre entry list` shows them, so a suggestion tells nothing they could not read there.

use coffre_i18n::t;
use coffre_proto::v1::ListEntriesRequest;

use crate::{
    client::Daemon,
    exit::{Failure, Kind},
};

/// Most names read to look for a suggestion (a few pages of the list).
const MAX_NAMES: usize = 5_000;

/// How alike two names must be to suggest one for the other: normalised Damerau–Levenshtein similarity, case
/// ignored ("Facebok" and "Facebook": 0.875; "X" and "Y": 0).
const MIN_SIMILARITY: f64 = 0.7;

/// The name among `names` closest to `typed`, when it is close enough to be a typo of it and is not `typed` itself
/// (in any case).
pub(crate) fn closest<'a>(typed: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    names
        .into_iter()
        .filter_map(|name| {
            let lower = name.to_lowercase();
            (lower != typed).then(|| (strsim::normalized_damerau_levenshtein(&typed, &lower), name))
        })
        .filter(|(similarity, _)| *similarity >= MIN_SIMILARITY)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

/// `failure`, with a suggestion added when it says that no entry is named `typed` and a visible entry has a close
/// name. If the list cannot be read, the failure is returned as it was.
pub(crate) async fn entry_not_found(daemon: &Daemon, failure: Failure, typed: &str) -> Failure {
    if failure.kind() != Kind::NotFound {
        return failure;
    }
    let Ok(names) = visible_names(daemon).await else { return failure };
    match closest(typed, names.iter().map(String::as_str)) {
        Some(name) => failure.with_suggestion(&t!("did-you-mean", name = name)),
        None => failure,
    }
}

async fn visible_names(daemon: &Daemon) -> Result<Vec<String>, Failure> {
    let mut names = Vec::new();
    let mut page_token = String::new();
    loop {
        let request = ListEntriesRequest { include_archived: false, page_size: 0, page_token };
        let page =
            daemon.entries().list_entries(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?.into_inner();
        names.extend(page.entries.into_iter().map(|entry| entry.platform));
        if page.next_page_token.is_empty() || names.len() >= MAX_NAMES {
            return Ok(names);
        }
        page_token = page.next_page_token;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_finds_the_closest_name_and_nothing_far_or_identical_is_suggested() {
        let names = ["Facebook", "Instagram", "X", "Banque Nationale"];
        assert_eq!(closest("Facebok", names), Some("Facebook"));
        assert_eq!(closest("facebook ", names), Some("Facebook"));
        assert_eq!(closest("instagarm", names), Some("Instagram"));
        assert_eq!(closest("Y", names), None, "one letter against another is no typo");
        assert_eq!(closest("YouTube", names), None);
        assert_eq!(closest("FACEBOOK", names), None, "the same name is not a suggestion");
        assert_eq!(closest("Facebok", []), None);
    }
}
