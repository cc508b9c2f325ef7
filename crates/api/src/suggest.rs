//! "did you mean" for misspelt field names.

/// The known field closest to `unknown`: equal ignoring case, or within Damerau-Levenshtein
/// (optimal string alignment) distance 2. Ties go to the first in `known`.
pub fn did_you_mean<'k>(unknown: &str, known: &[&'k str]) -> Option<&'k str> {
    if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(unknown)) {
        return Some(k);
    }
    let mut best: Option<(usize, &'k str)> = None;
    for k in known {
        let d = osa_distance(unknown, k);
        if d <= 2 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

/// Optimal string alignment distance (Damerau-Levenshtein without substring re-edits).
pub fn osa_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Long names cannot be within 2 edits of each other if their lengths differ by more.
    if a.len().abs_diff(b.len()) > 2 && a.len().max(b.len()) > 64 {
        return usize::MAX;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for j in 0..=b.len() {
        d[j] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_matches_case_insensitively_and_within_two_edits() {
        let known = ["livenessProbe", "readinessProbe", "initialDelaySeconds"];
        assert_eq!(did_you_mean("livenessprobe", &known), Some("livenessProbe"));
        assert_eq!(
            did_you_mean("initialDelaySecands", &known),
            Some("initialDelaySeconds")
        );
        assert_eq!(
            did_you_mean("readinesProbe", &known),
            Some("readinessProbe")
        );
        assert_eq!(did_you_mean("foo", &known), None);
    }

    #[test]
    fn transposition_counts_as_one_edit() {
        assert_eq!(osa_distance("imgae", "image"), 1);
    }
}
