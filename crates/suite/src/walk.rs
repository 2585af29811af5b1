//! The one way the command line and the tests list a folder on disk: every
//! file below it, hidden entries (a name starting with `.`, such as `.git`)
//! skipped with everything inside them, symbolic links followed, sorted by
//! path. An entry that cannot be read is an error naming its path rather
//! than a file silently left out. (The page gets its files from the browser.)

use std::io;
use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

fn is_hidden(entry: &DirEntry) -> bool {
    // The folder given is never hidden, even when it is `.` or `..`.
    entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.')
}

/// Every file under `dir` (not folders), sorted by path.
pub fn walk_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| !is_hidden(e))
    {
        let entry = entry.map_err(|e| {
            let kind = e.io_error().map_or(io::ErrorKind::Other, io::Error::kind);
            io::Error::new(kind, e)
        })?;
        if !entry.file_type().is_dir() {
            out.push(entry.into_path());
        }
    }
    out.sort();
    Ok(out)
}

/// Files under `dir` whose name ends in `.<ext>`, sorted by path.
pub fn walk_files_with_extension(dir: &Path, ext: &str) -> io::Result<Vec<PathBuf>> {
    let mut files = walk_files(dir)?;
    files.retain(|p| p.extension().is_some_and(|e| e == ext));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("sbx-walk-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        for f in [
            "b/z.json",
            "a.json",
            ".hidden/x.json",
            "b/.secret.json",
            "c/d/e.txt",
        ] {
            let p = d.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, b"{}").unwrap();
        }
        d
    }

    fn rel(d: &Path, files: &[PathBuf]) -> Vec<String> {
        files
            .iter()
            .map(|p| {
                p.strip_prefix(d)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }

    #[test]
    fn lists_files_sorted_and_skips_hidden_entries() {
        let d = tree("all");
        assert_eq!(
            rel(&d, &walk_files(&d).unwrap()),
            ["a.json", "b/z.json", "c/d/e.txt"]
        );
        assert_eq!(
            rel(&d, &walk_files_with_extension(&d, "json").unwrap()),
            ["a.json", "b/z.json"]
        );
        // A hidden folder given explicitly is still walked.
        assert_eq!(
            rel(&d.join(".hidden"), &walk_files(&d.join(".hidden")).unwrap()),
            ["x.json"]
        );
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_it() {
        let d = std::env::temp_dir().join("sbx-walk-does-not-exist");
        let e = walk_files(&d).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
        assert!(e.to_string().contains("sbx-walk-does-not-exist"), "{e}");
    }
}
