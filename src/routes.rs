//! Page addresses. The app routes on the URL fragment (`#/tasks?platform=xenium`)
//! so that every page works from any static host, under any sub-path, with no
//! server-side rewrite rules. Parsing is pure so it is tested natively.

use std::fmt;

/// One page of the explorer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Overview,
    Tasks,
    Task(String),
    Runs,
    Run(String),
    Results,
    Regrade(String),
    Compare,
    Datasets,
    CaseStudies,
    CaseStudy(String),
    /// Failure classes found in the loaded trajectories, per model.
    Findings,
    /// Search over every loaded trajectory.
    Search,
    About,
    NotFound(String),
}

/// A parsed fragment: the page and its query parameters in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub route: Route,
    pub query: Vec<(String, String)>,
}

impl Location {
    /// Parses `#/path?k=v&…` (the leading `#` and `/` are optional).
    pub fn parse(fragment: &str) -> Location {
        let s = fragment.trim_start_matches('#');
        let (path, query) = match s.split_once('?') {
            Some((p, q)) => (p, q),
            None => (s, ""),
        };
        let segments: Vec<String> = path
            .split('/')
            .filter(|p| !p.is_empty())
            .map(percent_decode)
            .collect();
        let route = match segments
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            [] => Route::Overview,
            ["tasks"] => Route::Tasks,
            ["tasks", id] => Route::Task(id.to_string()),
            ["runs"] => Route::Runs,
            ["runs", id] => Route::Run(id.to_string()),
            ["results"] => Route::Results,
            ["regrade", id] => Route::Regrade(id.to_string()),
            ["compare"] => Route::Compare,
            ["datasets"] => Route::Datasets,
            ["case-studies"] => Route::CaseStudies,
            ["case-studies", id] => Route::CaseStudy(id.to_string()),
            ["findings"] => Route::Findings,
            ["search"] => Route::Search,
            ["about"] => Route::About,
            _ => Route::NotFound(path.to_string()),
        };
        let query = query
            .split('&')
            .filter(|kv| !kv.is_empty())
            .map(|kv| match kv.split_once('=') {
                Some((k, v)) => (percent_decode(k), percent_decode(v)),
                None => (percent_decode(kv), String::new()),
            })
            .collect();
        Location { route, query }
    }

    /// The first value of query parameter `key`.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The fragment for this location, `#/…?…`.
    pub fn href(&self) -> String {
        let mut s = self.route.href();
        if !self.query.is_empty() {
            s.push('?');
            let parts: Vec<String> = self
                .query
                .iter()
                .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
                .collect();
            s.push_str(&parts.join("&"));
        }
        s
    }
}

impl Route {
    /// The fragment that opens this page.
    pub fn href(&self) -> String {
        let path = match self {
            Route::Overview => String::new(),
            Route::Tasks => "tasks".into(),
            Route::Task(id) => format!("tasks/{}", percent_encode(id)),
            Route::Runs => "runs".into(),
            Route::Run(id) => format!("runs/{}", percent_encode(id)),
            Route::Results => "results".into(),
            Route::Regrade(id) => format!("regrade/{}", percent_encode(id)),
            Route::Compare => "compare".into(),
            Route::Datasets => "datasets".into(),
            Route::CaseStudies => "case-studies".into(),
            Route::CaseStudy(id) => format!("case-studies/{}", percent_encode(id)),
            Route::Findings => "findings".into(),
            Route::Search => "search".into(),
            Route::About => "about".into(),
            Route::NotFound(p) => p.clone(),
        };
        format!("#/{path}")
    }

    /// The navigation entry this page belongs under.
    pub fn section(&self) -> &'static str {
        match self {
            Route::Overview => "overview",
            Route::Tasks | Route::Task(_) | Route::Regrade(_) => "tasks",
            Route::Runs | Route::Run(_) | Route::Compare => "runs",
            Route::Results => "results",
            Route::Datasets => "datasets",
            Route::CaseStudies | Route::CaseStudy(_) => "case-studies",
            Route::Findings => "findings",
            Route::Search => "search",
            Route::About => "about",
            Route::NotFound(_) => "",
        }
    }
}

/// A step of a run's trajectory to open, with a character span of its text
/// to highlight: the run page's `step=N&hl=S-E` query (`N` counts from 0,
/// as the normalised trajectory does; the span's end is exclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepTarget {
    pub step: usize,
    pub span: Option<(usize, usize)>,
}

impl StepTarget {
    /// Reads `step` and `hl` from a location; a malformed `hl` is ignored
    /// (the step still opens), a malformed `step` gives `None`.
    pub fn from_location(loc: &Location) -> Option<StepTarget> {
        let step = loc.param("step")?.parse().ok()?;
        let span = loc.param("hl").and_then(|hl| {
            let (a, b) = hl.split_once('-')?;
            let (a, b) = (a.parse().ok()?, b.parse().ok()?);
            (a <= b).then_some((a, b))
        });
        Some(StepTarget { step, span })
    }

    /// The query parameters that open this step.
    pub fn query(&self) -> Vec<(String, String)> {
        let mut q = vec![("step".to_string(), self.step.to_string())];
        if let Some((a, b)) = self.span {
            q.push(("hl".into(), format!("{a}-{b}")));
        }
        q
    }
}

/// `#/runs/<id>?suite=<suite>&step=N&hl=S-E`: a run opened at one step.
pub fn run_step_href(suite: &str, id: &str, target: StepTarget) -> String {
    let mut query = vec![("suite".to_string(), suite.to_string())];
    query.extend(target.query());
    Location {
        route: Route::Run(id.to_string()),
        query,
    }
    .href()
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.href())
    }
}

/// Encodes everything but unreserved characters (RFC 3986), so ids with `/`,
/// spaces or `#` survive the round trip.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes `%XX` escapes and `+` as space; malformed escapes are kept as text.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_page() {
        let cases = [
            ("", Route::Overview),
            ("#/", Route::Overview),
            ("#/tasks", Route::Tasks),
            ("#/tasks/abc%2Fdef", Route::Task("abc/def".into())),
            ("#/runs/r1", Route::Run("r1".into())),
            ("#/results", Route::Results),
            ("#/regrade/e1", Route::Regrade("e1".into())),
            ("#/compare", Route::Compare),
            ("#/datasets", Route::Datasets),
            ("#/case-studies", Route::CaseStudies),
            (
                "#/case-studies/pseudoreplication",
                Route::CaseStudy("pseudoreplication".into()),
            ),
            ("#/findings", Route::Findings),
            ("#/search", Route::Search),
            ("#/about", Route::About),
            ("#/nope/x", Route::NotFound("/nope/x".into())),
        ];
        for (frag, want) in cases {
            assert_eq!(Location::parse(frag).route, want, "{frag}");
        }
    }

    #[test]
    fn round_trips_ids_and_query() {
        let loc = Location {
            route: Route::Task("weird id/#?&".into()),
            query: vec![
                ("q".into(), "a b&c".into()),
                ("platform".into(), "xenium".into()),
            ],
        };
        let back = Location::parse(&loc.href());
        assert_eq!(back, loc);
        assert_eq!(back.param("platform"), Some("xenium"));
        assert_eq!(back.param("missing"), None);
    }

    #[test]
    fn run_step_targets_round_trip() {
        let t = StepTarget {
            step: 14,
            span: Some((3, 25)),
        };
        let href = run_step_href("scbench", "DE01/openai/gpt-5.5/openai-codex/r1", t);
        assert_eq!(
            href,
            "#/runs/DE01%2Fopenai%2Fgpt-5.5%2Fopenai-codex%2Fr1?suite=scbench&step=14&hl=3-25"
        );
        let loc = Location::parse(&href);
        assert_eq!(
            loc.route,
            Route::Run("DE01/openai/gpt-5.5/openai-codex/r1".into())
        );
        assert_eq!(loc.param("suite"), Some("scbench"));
        assert_eq!(StepTarget::from_location(&loc), Some(t));
        let plain = StepTarget {
            step: 0,
            span: None,
        };
        let loc = Location::parse(&run_step_href("s", "r", plain));
        assert_eq!(StepTarget::from_location(&loc), Some(plain));
        assert_eq!(loc.param("hl"), None);
    }

    #[test]
    fn malformed_step_targets() {
        let target = |f: &str| StepTarget::from_location(&Location::parse(f));
        assert_eq!(target("#/runs/r"), None);
        assert_eq!(target("#/runs/r?step=x&hl=1-2"), None);
        assert_eq!(target("#/runs/r?step=-1"), None);
        for hl in ["9-3", "3", "a-b", "1-", "-4", "1-2-3"] {
            assert_eq!(
                target(&format!("#/runs/r?step=2&hl={hl}")),
                Some(StepTarget {
                    step: 2,
                    span: None
                }),
                "{hl}"
            );
        }
    }

    #[test]
    fn malformed_escapes_are_kept() {
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%41"), "A");
        assert_eq!(percent_decode("%e2%82%ac"), "€");
    }
}
