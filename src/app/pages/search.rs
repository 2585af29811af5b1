//! The Search page: words, quoted phrases or a regular expression over every
//! loaded trajectory (messages, code, tool outputs, answers), filtered by
//! suite, eval, model, harness, step kind and committed finding class. The
//! index lives in the data worker; each hit opens its step with the match
//! highlighted. The query lives in the address, so a search is a link.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_findings::FailureClass;
use sbx_search::{Filters, Query};

use super::PageHeading;
use crate::app::findings::client::{ensure_loaded, search, status};
use crate::app::findings::{CorpusProgress, Marked};
use crate::app::router::{replace_query, use_location};
use crate::app::state::AppState;
use crate::routes::{run_step_href, StepTarget};
use crate::worker::protocol::CorpusFound;

/// Filter keys in the address, in the order of the form.
const FILTERS: [(&str, &str); 6] = [
    ("suite", "Suite"),
    ("eval", "Eval"),
    ("model", "Model"),
    ("harness", "Harness"),
    ("kind", "Step kind"),
    ("class", "Committed class"),
];
const KINDS: [&str; 5] = [
    "message",
    "tool_call",
    "tool_output",
    "final_answer",
    "unknown",
];
/// Hits listed; the total still counts every matching step.
const LIMIT: usize = 50;

#[derive(Clone, Debug, PartialEq, Default)]
struct Form {
    text: String,
    regex: bool,
    case: bool,
    filters: [String; 6],
}

impl Form {
    fn from_query(q: &[(String, String)]) -> Form {
        let get = |k: &str| {
            q.iter()
                .find(|(x, _)| x == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Form {
            text: get("q"),
            regex: get("re") == "1",
            case: get("case") == "1",
            filters: FILTERS.map(|(k, _)| get(k)),
        }
    }
    fn to_query(&self) -> Vec<(String, String)> {
        let mut q = vec![("q".to_string(), self.text.clone())];
        if self.regex {
            q.push(("re".into(), "1".into()));
        }
        if self.case {
            q.push(("case".into(), "1".into()));
        }
        for ((k, _), v) in FILTERS.iter().zip(&self.filters) {
            if !v.is_empty() {
                q.push((k.to_string(), v.clone()));
            }
        }
        q
    }
    fn query(&self) -> Query {
        let f = |i: usize| Some(self.filters[i].clone()).filter(|v| !v.is_empty());
        Query {
            text: self.text.clone(),
            regex: self.regex,
            case_sensitive: self.case,
            filters: Filters {
                suite: f(0),
                eval: f(1),
                model: f(2),
                harness: f(3),
                step_kind: f(4),
                class: f(5),
            },
            limit: LIMIT,
        }
    }
}

fn results_view(found: CorpusFound) -> impl IntoView {
    let r = &found.results;
    let summary = format!(
        "{}{} matching steps in {} runs ({:.1} ms in the worker){}",
        r.total,
        if r.capped { "+" } else { "" },
        r.runs_matched,
        found.ms,
        if r.hits.len() < r.total {
            format!("; the first {} are listed", r.hits.len())
        } else {
            String::new()
        },
    );
    let hits = r
        .hits
        .iter()
        .map(|h| {
            let meta = found.runs.iter().find(|(n, _)| *n == h.run).map(|(_, m)| m.clone()).unwrap_or_default();
            let href = run_step_href(&meta.suite, &meta.run, StepTarget { step: h.step, span: Some((h.start, h.end)) });
            let label = format!("{} · {} / {} · step {} ({})", meta.eval, meta.model, meta.harness, h.step + 1, h.kind.replace('_', " "));
            view! {
                <li class="hit" data-run=meta.run.clone() data-step=h.step.to_string()>
                    <a class="hit-link" href=href>{label}</a>
                    <span class="muted">{format!(" {}", meta.suite)}</span>
                    <pre class="snippet"><Marked text=h.snippet.clone() spans=h.spans.clone() /></pre>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="count search-count" data-total=r.total.to_string() data-capped=r.capped.to_string()>{summary}</p>
        <ol class="hits">{hits}</ol>
    }
}

#[component]
pub fn Search() -> impl IntoView {
    let state = AppState::get();
    Effect::new(move |_| {
        state.bundles.track();
        state.manifest.track();
        ensure_loaded();
    });
    let form = RwSignal::new(Form::from_query(&use_location().get_untracked().query));
    let found = RwSignal::new(None::<Result<CorpusFound, String>>);
    let busy = RwSignal::new(false);
    let generation = StoredValue::new(0u64);
    let run_search = move || {
        let f = form.get_untracked();
        replace_query(f.to_query());
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        busy.set(true);
        spawn_local(async move {
            let r = search(f.query()).await;
            // Only the newest search is shown.
            if generation.try_get_value() == Some(mine) {
                let _ = found.try_set(Some(r));
                let _ = busy.try_set(false);
            }
        });
    };
    // Searches once every trajectory is indexed, and again on each submit.
    let st = status();
    Effect::new(move |_| {
        if st.with(|s| s.finished) && !form.with_untracked(|f| f.text.is_empty()) {
            run_search();
        }
    });
    let options = move |i: usize| -> Vec<(String, String)> {
        let mut v: Vec<String> = state
            .runs()
            .into_iter()
            .filter(|r| r.trajectory_format.is_some())
            .map(|r| match i {
                0 => r.suite,
                1 => r.eval_id,
                2 => r.model,
                _ => r.harness,
            })
            .collect();
        match i {
            4 => {
                return KINDS
                    .iter()
                    .map(|k| (k.to_string(), k.replace('_', " ")))
                    .collect()
            }
            5 => {
                return FailureClass::ALL
                    .iter()
                    .map(|c| (c.id().to_string(), c.label().to_string()))
                    .collect()
            }
            _ => {}
        }
        v.sort();
        v.dedup();
        v.into_iter().map(|o| (o.clone(), o)).collect()
    };
    view! {
        <PageHeading title="Search" lede="Every loaded trajectory: messages, code, tool outputs and answers." />
        <form class="search-form" on:submit=move |ev| { ev.prevent_default(); run_search(); }>
            <input type="search" data-filter="q" placeholder="words, \"a phrase\" or a regular expression" aria-label="Search"
                prop:value=move || form.with(|f| f.text.clone())
                on:input=move |ev| form.update(|f| f.text = event_target_value(&ev)) />
            <label class="check"><input type="checkbox" data-filter="re" prop:checked=move || form.with(|f| f.regex)
                on:change=move |ev| form.update(|f| f.regex = event_target_checked(&ev)) />" regular expression"</label>
            <label class="check"><input type="checkbox" data-filter="case" prop:checked=move || form.with(|f| f.case)
                on:change=move |ev| form.update(|f| f.case = event_target_checked(&ev)) />" match case"</label>
            <button type="submit">"Search"</button>
        </form>
        <div class="filters">
            {(0..FILTERS.len()).map(|i| view! {
                <label>{FILTERS[i].1}
                    <select data-filter=FILTERS[i].0 on:change=move |ev| {
                        form.update(|f| f.filters[i] = event_target_value(&ev));
                        run_search();
                    }>
                        <option value="">"(all)"</option>
                        {move || {
                            let cur = form.with(|f| f.filters[i].clone());
                            options(i).into_iter().map(|(v, l)| {
                                let sel = v == cur;
                                view! { <option value=v selected=sel>{l}</option> }
                            }).collect_view()
                        }}
                    </select>
                </label>
            }).collect_view()}
        </div>
        <CorpusProgress />
        {move || busy.get().then(|| view! { <p class="loading">"Searching…"</p> })}
        {move || match found.get() {
            None => None,
            Some(Err(e)) => Some(view! { <p class="notice error" data-testid="search-error">{e}</p> }.into_any()),
            Some(Ok(f)) => Some(results_view(f).into_any()),
        }}
    }
}
