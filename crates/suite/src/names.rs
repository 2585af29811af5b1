//! Suite names are unique within what is loaded, so `(suite, eval id)` names
//! one eval. A second folder with a taken name becomes `name-2`, then
//! `name-3`, …: the same rule for `sbx bundle`, the loader and the page.

/// `name` if `is_taken` says it is free, else the first free `name-k` for k = 2, 3, ….
pub fn unique_suite_name(name: &str, is_taken: impl Fn(&str) -> bool) -> String {
    if !is_taken(name) {
        return name.to_string();
    }
    (2u64..)
        .map(|k| format!("{name}-{k}"))
        .find(|n| !is_taken(n))
        .expect("finitely many names are taken")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_names_are_kept_and_taken_ones_numbered_from_two() {
        let taken = [
            "bench".to_string(),
            "bench-2".to_string(),
            "x-3".to_string(),
        ];
        let is_taken = |n: &str| taken.iter().any(|t| t == n);
        assert_eq!(unique_suite_name("other", is_taken), "other");
        assert_eq!(unique_suite_name("bench", is_taken), "bench-3");
        assert_eq!(unique_suite_name("x", is_taken), "x");
        assert_eq!(unique_suite_name("bench-2", is_taken), "bench-2-2");
    }
}
