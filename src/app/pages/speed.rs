//! The Results page's speed–accuracy section: accuracy against mean time (or
//! cost) per model and harness, from a published table or the loaded runs,
//! successive versions joined by arrows, and one pair of versions compared.

use crate::app::explorer::charts::{chart_view, Speed, SPEED};
use crate::app::explorer::table::{Cell, Column, SortableTable, TableData};
use crate::app::state::AppState;
use leptos::prelude::*;
use sbx_suite::stats::speed::{
    published_speed, run_speed, version_arrows, version_pair, Measure, SpeedPoint,
};
use sbx_suite::RunSummary;

/// A source of points: a published table (by name) or the loaded runs.
#[derive(Clone, Debug, PartialEq)]
struct Source {
    id: String,
    label: String,
    points: Vec<SpeedPoint>,
    from_runs: bool,
}

fn points_table(s: &Speed) -> TableData {
    let e =
        |v: Option<&sbx_suite::Estimate>, f: fn(&sbx_suite::Estimate) -> Option<f64>| v.and_then(f);
    let next = |i: usize| {
        s.arrows
            .iter()
            .find(|a| a.0 == i)
            .map(|a| s.points[a.1].key.label())
            .unwrap_or_default()
    };
    TableData {
        columns: vec![
            Column::text("model", "Model"),
            Column::text("harness", "Harness"),
            Column::num("accuracy", "Accuracy (%)"),
            Column::num("accuracy_lower", "95% CI low"),
            Column::num("accuracy_upper", "95% CI high"),
            Column::num("measure", s.measure.label()),
            Column::num("measure_lower", "95% CI low"),
            Column::num("measure_upper", "95% CI high"),
            Column::text("next_version", "Next version"),
        ],
        rows: s
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let m = p.measure(s.measure);
                vec![
                    Cell::Text(p.key.model.clone()),
                    Cell::Text(p.key.harness.clone()),
                    Cell::num(Some(p.accuracy.mean), 1),
                    Cell::num(p.accuracy.ci_lower, 1),
                    Cell::num(p.accuracy.ci_upper, 1),
                    Cell::num(m.map(|e| e.mean), 3),
                    Cell::num(e(m, |e| e.ci_lower), 3),
                    Cell::num(e(m, |e| e.ci_upper), 3),
                    Cell::Text(next(i)),
                ]
            })
            .collect(),
    }
}

fn interval(v: Option<(f64, f64)>, f: impl Fn(f64) -> String) -> String {
    v.map_or(
        "no interval (fewer than two shared evals)".into(),
        |(a, b)| format!("95% interval {} to {}", f(a), f(b)),
    )
}

/// The chosen pair of versions, in words.
fn pair_text(src: &Source, runs: &[RunSummary], m: Measure, newer: usize, older: usize) -> String {
    let (Some(n), Some(o)) = (src.points.get(newer), src.points.get(older)) else {
        return String::new();
    };
    let what = match m {
        Measure::Time => "time",
        Measure::Cost => "cost",
    };
    let head = format!("{} against {}: ", n.key.label(), o.key.label());
    if src.from_runs {
        let v = version_pair(runs, &n.key, &o.key, m);
        let ratio = v
            .ratio
            .map_or("no shared evals with a recorded value".into(), |r| {
                format!(
                    "{r:.2}× ({}, over {} evals)",
                    interval(v.ratio_interval, |x| format!("{x:.2}×")),
                    v.n_ratio_evals
                )
            });
        format!(
            "{head}accuracy {:+.1} points ({}, bootstrap over {} shared evals); mean {what} {ratio}.",
            v.accuracy_difference,
            interval(v.accuracy_interval, |x| format!("{x:+.1}")),
            v.n_accuracy_evals,
        )
    } else {
        let ratio = match (n.measure(m), o.measure(m)) {
            (Some(a), Some(b)) if b.mean > 0.0 => format!("{:.2}×", a.mean / b.mean),
            _ => "not in this table".into(),
        };
        format!(
            "{head}accuracy {:+.1} points; mean {what} {ratio} (from the table's means). A published table gives no per-eval values, so an interval over evals for a difference or a ratio needs the runs: choose \"loaded runs\" as the source.",
            n.accuracy.mean - o.accuracy.mean
        )
    }
}

#[component]
pub fn SpeedAccuracy(suite: Memo<String>, runs: Memo<Vec<RunSummary>>) -> impl IntoView {
    let state = AppState::get();
    let sources = Memo::new(move |_| {
        let s = suite.get();
        let mut out: Vec<Source> = state.bundles.with(|bs| {
            bs.iter()
                .flat_map(|b| b.manifest.results.iter())
                .filter(|t| t.suite == s)
                .map(|t| Source {
                    id: format!("table:{}", t.table.name),
                    label: format!("published: {}", t.table.path),
                    points: published_speed(&t.table),
                    from_runs: false,
                })
                .filter(|src| {
                    src.points
                        .iter()
                        .any(|p| p.time.is_some() || p.cost.is_some())
                })
                .collect()
        });
        let pts = run_speed(&runs.get());
        if pts.iter().any(|p| p.time.is_some()) {
            out.push(Source {
                id: "runs".into(),
                label: "loaded runs (durations and costs of each run)".into(),
                points: pts,
                from_runs: true,
            });
        }
        out
    });
    let source_q = RwSignal::new(String::new());
    let measure_q = RwSignal::new("time".to_string());
    let source = Memo::new(move |_| {
        let all = sources.get();
        let q = source_q.get();
        all.iter().find(|s| s.id == q).or(all.first()).cloned()
    });
    let measure = move || match measure_q.get().as_str() {
        "cost" => Measure::Cost,
        _ => Measure::Time,
    };
    let speed = Memo::new(move |_| {
        let m = measure();
        let points: Vec<SpeedPoint> = source
            .get()
            .map(|s| s.points)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.measure(m).is_some())
            .collect();
        Speed {
            arrows: version_arrows(&points),
            points,
            measure: m,
        }
    });
    // The pair: (newer, older) indices; by default the arrow with the
    // largest relative saving of time (or cost).
    let pair_q = RwSignal::new(None::<(usize, usize)>);
    let pair = Memo::new(move |_| {
        let s = speed.get();
        let ratio = |&(o, n): &(usize, usize)| {
            let v = |i: usize| s.points[i].measure(s.measure).map_or(1.0, |e| e.mean);
            v(n) / v(o)
        };
        pair_q
            .get()
            .filter(|&(a, b)| a < s.points.len() && b < s.points.len())
            .or_else(|| {
                s.arrows
                    .iter()
                    .min_by(|a, b| ratio(a).total_cmp(&ratio(b)))
                    .map(|&(o, n)| (n, o))
            })
    });
    let table = Signal::derive(move || points_table(&speed.get()));
    let options = move |which: usize| {
        let cur = pair.get();
        speed
            .get()
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let sel = cur.is_some_and(|c| if which == 0 { c.0 == i } else { c.1 == i });
                view! { <option value=i.to_string() selected=sel>{p.key.label()}</option> }
            })
            .collect_view()
    };
    let set_pair = move |which: usize, v: String| {
        let Ok(i) = v.parse::<usize>() else { return };
        let (n, o) = pair.get_untracked().unwrap_or((i, i));
        pair_q.set(Some(if which == 0 { (i, o) } else { (n, i) }));
    };
    let text = move || {
        let (Some(src), Some((n, o))) = (source.get(), pair.get()) else {
            return String::new();
        };
        let pts = &speed.get().points;
        let (Some(pn), Some(po)) = (pts.get(n), pts.get(o)) else {
            return String::new();
        };
        // Indices are into the filtered points; find them in the source.
        let at = |k: &SpeedPoint| src.points.iter().position(|p| p.key == k.key).unwrap_or(0);
        pair_text(&src, &runs.get(), measure(), at(pn), at(po))
    };
    view! {
        <section class="card speed">
            <h2>"Speed against accuracy"</h2>
            <p class="lede">"Accuracy against the mean time (or cost) of a run, per model and harness, each with its 95% interval; an arrow joins each version to the next of the same family under the same harness. Newer versions moving left at the same height got faster, not more accurate."</p>
            {move || sources.with(Vec::is_empty).then(|| view! { <p class="empty">"Neither the published tables nor the loaded runs of this suite give times or costs."</p> })}
            <div class="filters">
                <label>"Source"
                    <select data-filter="speed-source" on:change=move |ev| { source_q.set(event_target_value(&ev)); pair_q.set(None); }>
                        {move || {
                            let cur = source.get().map(|s| s.id);
                            sources.get().into_iter().map(|s| {
                                let sel = Some(&s.id) == cur.as_ref();
                                view! { <option value=s.id.clone() selected=sel>{s.label.clone()}</option> }
                            }).collect_view()
                        }}
                    </select>
                </label>
                <label>"Horizontal axis"
                    <select data-filter="speed-measure" on:change=move |ev| { measure_q.set(event_target_value(&ev)); pair_q.set(None); }>
                        <option value="time" selected=true>"mean time per run"</option>
                        <option value="cost">"mean cost per run"</option>
                    </select>
                </label>
            </div>
            {chart_view(SPEED, speed.into(), format!("speed-{}", suite.get_untracked()),
                view! { <p class="legend chart-key">"● mean · bars: 95% intervals (accuracy vertical, time or cost horizontal) · orange arrow: older → newer version"</p> }.into_any())}
            <div class="filters">
                <label>"Newer"<select data-filter="speed-newer" on:change=move |ev| set_pair(0, event_target_value(&ev))>{move || options(0)}</select></label>
                <label>"Older"<select data-filter="speed-older" on:change=move |ev| set_pair(1, event_target_value(&ev))>{move || options(1)}</select></label>
            </div>
            <p class="speed-pair">{text}</p>
            <SortableTable data=table name=format!("speed-{}", suite.get_untracked()) />
        </section>
    }
}
