//! Calls in tokenized Python/R code, with import aliases resolved:
//! `import scanpy as sc; sc.pp.normalize_total(a)` and
//! `from scanpy import pp; pp.normalize_total(a)` both give
//! `scanpy.pp.normalize_total`. Calls split over lines are one call.

use std::collections::HashMap;

use crate::lex::{tokenize, Tok, Token};

/// One call in the code.
#[derive(Clone, Debug)]
pub struct Call {
    /// The resolved dotted name (`scanpy.pp.normalize_total`); a method on an
    /// expression starts with a dot (`.groupby`).
    pub name: String,
    /// Byte span in the code, from the callee to the closing parenthesis.
    pub start: usize,
    pub end: usize,
    /// Token index range of the arguments (between the parentheses).
    pub args: (usize, usize),
}

impl Call {
    /// The last component of the name (`normalize_total`).
    pub fn last(&self) -> &str {
        self.name.rsplit(['.', ':']).next().unwrap_or(&self.name)
    }
    /// The first component after alias resolution (`scanpy`).
    pub fn root(&self) -> &str {
        self.name.split(['.', ':']).next().unwrap_or("")
    }
}

/// Tokenized code with its calls.
#[derive(Debug, Default)]
pub struct Code {
    pub src: String,
    pub tokens: Vec<Token>,
    pub calls: Vec<Call>,
}

/// Conventional aliases, used when the import is in another cell or script.
const DEFAULT_ALIASES: &[(&str, &str)] = &[
    ("sc", "scanpy"),
    ("np", "numpy"),
    ("pd", "pandas"),
    ("ad", "anndata"),
    ("sq", "squidpy"),
    ("dc", "decoupler"),
    ("plt", "matplotlib.pyplot"),
    ("sns", "seaborn"),
];

impl Code {
    pub fn new(src: &str) -> Code {
        let tokens = tokenize(src);
        let aliases = imports(src, &tokens);
        let calls = calls(src, &tokens, &aliases);
        Code {
            src: src.to_string(),
            tokens,
            calls,
        }
    }

    /// Text of a token range.
    pub fn text(&self, from: usize, to: usize) -> &str {
        let s = self.tokens.get(from).map_or(0, |t| t.start);
        let e = if to > from {
            self.tokens.get(to - 1).map_or(s, |t| t.end)
        } else {
            s
        };
        self.src.get(s..e).unwrap_or("")
    }

    /// The value text of keyword argument `key=` (`key = value` in R too).
    pub fn kwarg(&self, c: &Call, key: &str) -> Option<&str> {
        let toks = self.tokens.get(c.args.0..c.args.1)?;
        let mut depth = 0i32;
        for (k, t) in toks.iter().enumerate() {
            match t.text(&self.src) {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => depth -= 1,
                _ => {}
            }
            if depth == 0
                && t.kind == Tok::Name
                && t.text(&self.src) == key
                && toks.get(k + 1).is_some_and(|n| n.is_op(&self.src, "="))
            {
                let from = c.args.0 + k + 2;
                let mut to = from;
                let mut d = 0i32;
                while to < c.args.1 {
                    let tt = self.tokens[to].text(&self.src);
                    match tt {
                        "(" | "[" | "{" => d += 1,
                        ")" | "]" | "}" => d -= 1,
                        "," if d == 0 => break,
                        _ => {}
                    }
                    to += 1;
                }
                return Some(self.text(from, to));
            }
        }
        None
    }

    /// Tokens that are names (identifiers), with their text.
    pub fn names(&self) -> impl Iterator<Item = (&Token, &str)> {
        self.tokens
            .iter()
            .filter(|t| t.kind == Tok::Name)
            .map(|t| (t, t.text(&self.src)))
    }

    /// String literal contents.
    pub fn strings(&self) -> impl Iterator<Item = (&Token, &str)> {
        self.tokens
            .iter()
            .filter(|t| t.kind == Tok::Str)
            .map(|t| (t, t.inner_text(&self.src)))
    }
}

/// `import a.b as c`, `import a`, `from a.b import c as d, e`.
fn imports(src: &str, toks: &[Token]) -> HashMap<String, String> {
    let mut map: HashMap<String, String> = DEFAULT_ALIASES
        .iter()
        .map(|(a, m)| (a.to_string(), m.to_string()))
        .collect();
    let text = |t: &Token| t.text(src);
    let mut i = 0;
    while i < toks.len() {
        let at_line_start = i == 0 || toks[i - 1].kind == Tok::Newline;
        if !at_line_start || toks[i].kind != Tok::Name {
            i += 1;
            continue;
        }
        match text(&toks[i]) {
            "import" => {
                i += 1;
                while i < toks.len() && toks[i].kind != Tok::Newline {
                    let (module, next) = dotted(src, toks, i);
                    i = next;
                    let alias = if toks.get(i).is_some_and(|t| text(t) == "as") {
                        i += 1;
                        toks.get(i).map(|t| text(t).to_string())
                    } else {
                        None
                    };
                    match alias {
                        Some(a) => {
                            map.insert(a, module);
                            i += 1;
                        }
                        None => {
                            let head = module.split('.').next().unwrap_or("").to_string();
                            map.insert(head.clone(), head);
                        }
                    }
                    if toks.get(i).is_some_and(|t| text(t) == ",") {
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
            "from" => {
                let (module, next) = dotted(src, toks, i + 1);
                i = next;
                if toks.get(i).is_some_and(|t| text(t) == "import") {
                    i += 1;
                    while i < toks.len() && toks[i].kind != Tok::Newline {
                        let t = &toks[i];
                        if t.kind == Tok::Name && text(t) != "as" {
                            let name = text(t).to_string();
                            if toks.get(i + 1).is_some_and(|n| text(n) == "as") {
                                if let Some(a) = toks.get(i + 2) {
                                    map.insert(text(a).to_string(), format!("{module}.{name}"));
                                }
                                i += 3;
                                continue;
                            }
                            map.insert(name.clone(), format!("{module}.{name}"));
                        }
                        i += 1;
                    }
                }
            }
            _ => i += 1,
        }
    }
    map
}

/// A dotted name starting at token `i`: the name and the index after it.
fn dotted(src: &str, toks: &[Token], mut i: usize) -> (String, usize) {
    let mut name = String::new();
    while let Some(t) = toks.get(i) {
        if t.kind == Tok::Name {
            name.push_str(t.text(src));
            i += 1;
            if toks.get(i).is_some_and(|n| n.is_op(src, "."))
                && toks.get(i + 1).is_some_and(|n| n.kind == Tok::Name)
            {
                name.push('.');
                i += 1;
                continue;
            }
        }
        break;
    }
    (name, i)
}

fn calls(src: &str, toks: &[Token], aliases: &HashMap<String, String>) -> Vec<Call> {
    // Matching closing bracket of every opening one.
    let mut close = vec![usize::MAX; toks.len()];
    let mut stack = Vec::new();
    for (k, t) in toks.iter().enumerate() {
        if t.kind != Tok::Op {
            continue;
        }
        match t.text(src) {
            "(" | "[" | "{" => stack.push(k),
            ")" | "]" | "}" => {
                if let Some(o) = stack.pop() {
                    close[o] = k;
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for k in 1..toks.len() {
        if !toks[k].is_op(src, "(") || toks[k - 1].kind != Tok::Name {
            continue;
        }
        // Walk back over `a.b.c` / `pkg::f`.
        let mut s = k - 1;
        while s >= 2
            && (toks[s - 1].is_op(src, ".")
                || toks[s - 1].is_op(src, "::")
                || toks[s - 1].is_op(src, ":::"))
            && toks[s - 2].kind == Tok::Name
        {
            s -= 2;
        }
        if s >= 1
            && toks[s - 1].kind == Tok::Name
            && matches!(toks[s - 1].text(src), "def" | "class")
        {
            continue;
        }
        let method = s >= 1 && toks[s - 1].is_op(src, ".");
        let chain: String = toks[s..k].iter().map(|t| t.text(src)).collect();
        let name = if method {
            format!(".{chain}")
        } else {
            resolve(&chain, aliases)
        };
        let c = close[k];
        let end_tok = if c == usize::MAX { toks.len() - 1 } else { c };
        out.push(Call {
            name,
            start: toks[s].start,
            end: toks[end_tok].end,
            args: (k + 1, end_tok.max(k + 1)),
        });
    }
    out
}

fn resolve(chain: &str, aliases: &HashMap<String, String>) -> String {
    let (head, tail) = match chain.find(['.', ':']) {
        Some(p) => (&chain[..p], &chain[p..]),
        None => (chain, ""),
    };
    match aliases.get(head) {
        Some(m) => format!("{m}{tail}"),
        None => chain.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(src: &str) -> Vec<String> {
        Code::new(src).calls.into_iter().map(|c| c.name).collect()
    }

    #[test]
    fn aliases_resolve() {
        assert!(names("import scanpy as scp\nscp.pp.normalize_total(a)")
            .contains(&"scanpy.pp.normalize_total".to_string()));
        assert!(
            names("from scanpy import pp\npp.log1p(a)").contains(&"scanpy.pp.log1p".to_string())
        );
        assert!(names("from scanpy.pp import normalize_total as nt\nnt(a)")
            .contains(&"scanpy.pp.normalize_total".to_string()));
        assert!(names("sc.tl.leiden(a)").contains(&"scanpy.tl.leiden".to_string()));
        assert!(names("import harmonypy, numpy\nharmonypy.run_harmony(x)")
            .contains(&"harmonypy.run_harmony".to_string()));
    }

    #[test]
    fn multi_line_calls_methods_and_r() {
        let src = "sc.pp.normalize_total(\n    adata,\n    target_sum=1e4,\n)\ndf.groupby(['donor','cond']).sum()";
        let code = Code::new(src);
        let c = &code.calls[0];
        assert_eq!(c.name, "scanpy.pp.normalize_total");
        assert_eq!(
            &src[c.start..c.end],
            "sc.pp.normalize_total(\n    adata,\n    target_sum=1e4,\n)"
        );
        assert_eq!(code.kwarg(c, "target_sum"), Some("1e4"));
        assert!(code.calls.iter().any(|c| c.name == ".sum"));
        assert!(code.calls.iter().any(|c| c.name == "df.groupby"));
        let r = names("obj <- obj %>% NormalizeData()\nres <- DESeq2::DESeq(dds)");
        assert!(
            r.contains(&"NormalizeData".to_string()) && r.contains(&"DESeq2::DESeq".to_string())
        );
    }

    #[test]
    fn definitions_strings_and_comments_are_not_calls() {
        let n =
            names("def normalize_total(x):\n    pass\n# sc.tl.leiden(a)\ns = 'sc.tl.leiden(a)'");
        assert!(n.is_empty(), "{n:?}");
        let _ = Code::new("f(((");
        let _ = Code::new(")))(");
        let _ = Code::new("import\nfrom x import\nimport a as");
    }
}
