//! The parts every case page lays out the same way: the wrong and right analysis side
//! by side (their headings and methods from the kernels' table), and the controls of
//! the reader's choice. Each page fills them with what its case shows.

use super::common::{Verdict, VerdictBadge};
use leptos::prelude::*;
use sbx_kernels::cases::spec::{CaseSpec, Control, SideSpec};

/// Which side of the comparison a card shows; also the prefix of its test ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Wrong,
    Right,
}

impl Which {
    pub fn id(self) -> &'static str {
        match self {
            Which::Wrong => "wrong",
            Which::Right => "right",
        }
    }

    /// The test id of one of this side's numbers, e.g. `wrong-pct`.
    pub fn testid(self, what: &str) -> String {
        format!("{}-{what}", self.id())
    }

    pub fn of(self, spec: &CaseSpec) -> &SideSpec {
        match self {
            Which::Wrong => &spec.wrong,
            Which::Right => &spec.right,
        }
    }
}

/// The heading "Wrong and right analysis, side by side" and the two cards.
#[component]
pub fn SideBySide(children: Children) -> impl IntoView {
    view! {
        <h2>"Wrong and right analysis, side by side"</h2>
        <div class="grid-2 case-sides">{children()}</div>
    }
}

/// One side's card: the heading with the eval's verdict, the method, then what the
/// page shows of the result (`children`).
#[component]
pub fn Side(
    which: Which,
    spec: &'static CaseSpec,
    verdict: Signal<Option<Verdict>>,
    children: Children,
) -> impl IntoView {
    let s = which.of(spec);
    view! {
        <div class=format!("card case-side {}", which.id())>
            <h3>{s.heading} " " <VerdictBadge testid=which.testid("verdict") verdict=verdict /></h3>
            <p class="muted">{s.method}</p>
            {children()}
        </div>
    }
}

/// The controls of `spec.choices`; a change sets the pick (`pick(i, value)`) and
/// runs `changed`. Two controls or more sit in a row.
pub fn choice_controls(
    spec: &'static CaseSpec,
    picked: impl Fn(usize) -> String + Copy + Send + Sync + 'static,
    pick: impl Fn(usize, String) + Copy + 'static,
    changed: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let controls = spec
        .choices
        .iter()
        .enumerate()
        .map(|(i, c)| match *c {
            Control::Select {
                label,
                testid,
                options,
                ..
            } => view! {
                <label>{label}
                    <select data-testid=testid prop:value=move || picked(i) on:change=move |ev| { pick(i, event_target_value(&ev)); changed(); }>
                        {options.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect::<Vec<_>>()}
                    </select>
                </label>
            }
            .into_any(),
            Control::Range {
                label,
                testid,
                min,
                max,
                step,
                unit,
                ..
            } => view! {
                <label>{label} <strong>{move || format!("{}{unit}", picked(i))}</strong>
                    <input type="range" min=min.to_string() max=max.to_string() step=step.to_string() data-testid=testid prop:value=move || picked(i)
                        on:change=move |ev| { let v = event_target_value(&ev); if v.parse::<f64>().is_ok() { pick(i, v); changed(); } } />
                </label>
            }
            .into_any(),
        })
        .collect::<Vec<_>>();
    if spec.choices.len() > 1 {
        view! { <div class="filters">{controls}</div> }.into_any()
    } else {
        controls.into_any()
    }
}
