//! Reading a shell command the way the shell would, far enough to find the
//! Python and R in it: heredoc bodies fed to an interpreter or written to a
//! file, `python -c` / `Rscript -e` strings, and scripts run by path.

use crate::mapped::Mapped;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Python,
    R,
    Shell,
}

impl Lang {
    /// The language of a file from its extension.
    pub fn of_path(path: &str) -> Option<Lang> {
        let ext = path.rsplit('.').next()?.to_ascii_lowercase();
        match ext.as_str() {
            "py" | "ipynb" => Some(Lang::Python),
            "r" | "rmd" | "qmd" => Some(Lang::R),
            "sh" | "bash" => Some(Lang::Shell),
            _ => None,
        }
    }
}

/// Code found in one shell command.
#[derive(Debug, Default)]
pub struct ShellParts {
    /// Code run by this command itself (heredoc to an interpreter, `-c`, `-e`).
    pub inline: Vec<(Lang, Mapped)>,
    /// Files written by this command (`cat > x.py <<EOF`): path and content.
    pub writes: Vec<(String, Mapped)>,
    /// Script paths this command runs (`python x.py`, `Rscript x.R`, `bash x.sh`).
    pub runs: Vec<String>,
    /// The command with heredoc bodies blanked out (same byte offsets).
    pub rest: String,
}

fn interpreter(word: &str) -> Option<Lang> {
    let base = word.rsplit('/').next().unwrap_or(word);
    let py = base
        .strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    if py || base == "ipython" || base == "ipython3" {
        Some(Lang::Python)
    } else if base == "Rscript" || base == "R" {
        Some(Lang::R)
    } else if base == "bash" || base == "sh" || base == "zsh" {
        Some(Lang::Shell)
    } else {
        None
    }
}

/// Splits a shell text into code pieces.
pub fn parse(cmd: &Mapped) -> ShellParts {
    let mut parts = ShellParts::default();
    let text = &cmd.text;
    let mut rest = String::with_capacity(text.len());
    let mut pos = 0;
    // Heredocs, line by line.
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |e| pos + e);
        let line = &text[pos..line_end];
        rest.push_str(line);
        if line_end < text.len() {
            rest.push('\n');
        }
        let Some((delim, strip_tabs)) = heredoc_delim(line) else {
            pos = line_end + 1;
            continue;
        };
        let body_start = (line_end + 1).min(text.len());
        let mut end = body_start;
        let mut next = text.len();
        let mut found = false;
        while end < text.len() {
            let le = text[end..].find('\n').map_or(text.len(), |e| end + e);
            let l = &text[end..le];
            let l = if strip_tabs {
                l.trim_start_matches('\t')
            } else {
                l
            };
            if l.trim_end() == delim {
                next = le + 1;
                found = true;
                break;
            }
            end = le + 1;
        }
        let body_end = if found { end } else { text.len() };
        let body = cmd.slice(body_start, body_end);
        let words = shell_words(line);
        if let Some(path) = redirect_target(&words) {
            parts.writes.push((path, body));
        } else if let Some(lang) = words.iter().find_map(|w| interpreter(w)) {
            parts.inline.push((lang, body));
        }
        // Blank the body but keep byte offsets, so `rest` lines up with the command.
        rest.extend(
            text.as_bytes()[body_start..next.min(text.len())]
                .iter()
                .map(|&c| if c == b'\n' { '\n' } else { ' ' }),
        );
        pos = next;
    }
    inline_flags(cmd, &mut parts);
    parts.runs = script_runs(&rest);
    parts.rest = rest;
    parts
}

/// `<<EOF`, `<< 'EOF'`, `<<-"PY"` on a line (not `<<<`).
fn heredoc_delim(line: &str) -> Option<(String, bool)> {
    let mut from = 0;
    while let Some(p) = line[from..].find("<<") {
        let at = from + p;
        from = at + 2;
        if line[at + 2..].starts_with('<') {
            from += 1;
            continue;
        }
        let mut r = &line[at + 2..];
        let strip = r.starts_with('-');
        if strip {
            r = &r[1..];
        }
        let r = r.trim_start();
        let (q, r) = match r.chars().next() {
            Some(c @ ('\'' | '"')) => (Some(c), &r[1..]),
            _ => (None, r),
        };
        let d: String = r
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !d.is_empty() && (q.is_none() || r[d.len()..].starts_with(q.unwrap_or('\''))) {
            return Some((d, strip));
        }
    }
    None
}

/// Words of one line, quotes removed (no expansion).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => quote = Some(c),
            (None, c) if c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')') => {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                if !c.is_whitespace() {
                    words.push(c.to_string());
                }
            }
            (None, '>') => {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                words.push(">".into());
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// `cat > path`, `cat <<EOF > path`, `tee path`: the file a heredoc goes to.
fn redirect_target(words: &[String]) -> Option<String> {
    let is_cat = words.iter().any(|w| w == "cat" || w == "tee");
    if !is_cat {
        return None;
    }
    let mut it = words.iter().peekable();
    while let Some(w) = it.next() {
        if (w == ">" || w == "tee") && it.peek().is_some() {
            let mut p = it.next()?;
            if p == ">" {
                p = it.next()?;
            }
            if p.starts_with('-') {
                continue;
            }
            return Some(p.clone());
        }
    }
    None
}

/// `python -c '...'`, `python3 -c "..."`, `Rscript -e '...'`.
fn inline_flags(cmd: &Mapped, parts: &mut ShellParts) {
    let text = &cmd.text;
    let b = text.as_bytes();
    for flag in [" -c ", " -e "] {
        let mut from = 0;
        while let Some(p) = text[from..].find(flag) {
            let at = from + p;
            from = at + flag.len();
            let word_start = text[..at]
                .rfind(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '(')
                .map_or(0, |s| s + 1);
            let Some(lang) = interpreter(&text[word_start..at]) else {
                continue;
            };
            let lang = match (flag, lang) {
                (" -c ", Lang::Python) | (" -e ", Lang::R) => lang,
                (" -c ", Lang::Shell) => Lang::Shell,
                _ => continue,
            };
            let q = at + flag.len();
            match b.get(q) {
                Some(b'\'') => {
                    let end = text[q + 1..].find('\'').map_or(text.len(), |e| q + 1 + e);
                    parts.inline.push((lang, cmd.slice(q + 1, end)));
                    from = end;
                }
                Some(b'"') => {
                    let end = dq_end(b, q + 1);
                    parts
                        .inline
                        .push((lang, cmd.shell_double_quoted(q + 1, end)));
                    from = end;
                }
                _ => {}
            }
        }
    }
}

fn dq_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    b.len()
}

/// Script files run by an interpreter or a notebook runner in `rest`.
fn script_runs(rest: &str) -> Vec<String> {
    let mut runs = Vec::new();
    for line in rest.lines() {
        let words = shell_words(line);
        let mut runner = false;
        for w in &words {
            if matches!(w.as_str(), ";" | "&" | "|") {
                runner = false;
                continue;
            }
            let nb_runner = matches!(
                w.as_str(),
                "nbconvert" | "papermill" | "execute" | "quarto" | "source" | "."
            );
            if interpreter(w).is_some() || nb_runner {
                runner = true;
                continue;
            }
            if runner && !w.starts_with('-') && Lang::of_path(w).is_some() {
                runs.push(w.clone());
                runner = false;
            }
        }
    }
    runs
}

/// The file name a path refers to, for matching writes with runs across
/// `cd` and relative paths.
pub fn file_key(path: &str) -> String {
    path.trim().rsplit('/').next().unwrap_or(path).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ShellParts {
        parse(&Mapped::verbatim(s, 0))
    }

    #[test]
    fn heredoc_to_python_is_inline_code() {
        let s = "cd /w && python - <<'PY'\nimport scanpy as sc\nsc.pp.log1p(a)\nPY\necho done";
        let parts = p(s);
        assert_eq!(parts.inline.len(), 1);
        assert_eq!(parts.inline[0].0, Lang::Python);
        assert_eq!(
            parts.inline[0].1.text,
            "import scanpy as sc\nsc.pp.log1p(a)\n"
        );
        assert!(parts.rest.contains("echo done") && !parts.rest.contains("scanpy"));
        let (a, b) = parts.inline[0].1.raw_span(0, 6);
        assert_eq!(&s[a..b], "import");
    }

    #[test]
    fn heredoc_written_to_a_file_then_run() {
        let s = "cat > /w/run.R <<EOF\nlibrary(Seurat)\nEOF\nRscript /w/run.R";
        let parts = p(s);
        assert!(parts.inline.is_empty());
        assert_eq!(parts.writes[0].0, "/w/run.R");
        assert_eq!(parts.runs, ["/w/run.R"]);
        let s2 = "cat <<-'EOF' > a.py\n\tx=1\n\tEOF\npython3 -u a.py && ls";
        let parts = p(s2);
        assert_eq!(parts.writes[0].0, "a.py");
        assert_eq!(parts.runs, ["a.py"]);
    }

    #[test]
    fn dash_c_and_dash_e_strings() {
        let parts =
            p(r#"python3 -c "import scanpy as sc; print(\"x\")" && Rscript -e 'library(DESeq2)'"#);
        assert_eq!(parts.inline.len(), 2);
        assert_eq!(parts.inline[0].1.text, r#"import scanpy as sc; print("x")"#);
        assert_eq!(parts.inline[1].0, Lang::R);
        assert_eq!(parts.inline[1].1.text, "library(DESeq2)");
        assert!(p("grep -c foo x.py").inline.is_empty());
    }

    #[test]
    fn unterminated_and_odd_commands() {
        for s in [
            "python <<EOF\nx",
            "cat > <<",
            "python -c '",
            "python -c \"",
            "<<<",
            "<< ''",
            "python -c",
        ] {
            let _ = p(s);
        }
        assert_eq!(p("python <<EOF\nx = 1").inline[0].1.text, "x = 1");
    }
}
