//! A case page's state: the case's row of the kernels' table
//! (`sbx_kernels::cases::spec`), the wrong, right and chosen results, the eval, the
//! timings and the reader's choices, with the steps every case page takes (wrong →
//! right → headline, then the reader's choice).

use super::common::{grade, EvalPanel, Verdict};
use super::side::choice_controls;
use crate::worker::client::case::{always, is_open, Choice, Client, Got};
use crate::worker::protocol::{Analysis, FromCaseAnswer};
use leptos::prelude::*;
use sbx_kernels::cases::spec::{spec, CaseSpec, Control};
use sbx_kernels::sim::ScenarioKind;
use serde_json::Value;
use std::sync::Arc;

/// `W`, `R`, `M`: what the page keeps of the wrong, right and chosen analysis.
pub struct CaseState<W: 'static, R: 'static = W, M: 'static = R> {
    pub spec: &'static CaseSpec,
    pub client: Client,
    pub wrong: RwSignal<Option<Arc<W>>>,
    pub right: RwSignal<Option<Arc<R>>>,
    pub mine: RwSignal<Option<Arc<M>>>,
    pub eval: RwSignal<Option<Value>>,
    /// How long the wrong and the right analysis took in the worker.
    pub wrong_ms: RwSignal<Option<f64>>,
    pub right_ms: RwSignal<Option<f64>>,
    /// The value of each control of `spec.choices`, in order.
    pub picks: RwSignal<Vec<String>>,
    /// The analysis the picks ask for (None while a value does not parse).
    ask: fn(&[String]) -> Option<Analysis>,
    choice: Choice,
}

impl<W, R, M> Clone for CaseState<W, R, M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<W, R, M> Copy for CaseState<W, R, M> {}

impl<W, R, M> CaseState<W, R, M>
where
    W: Send + Sync + 'static,
    R: Send + Sync + 'static,
    M: Send + Sync + 'static,
{
    /// The state of `kind`'s page, with every choice at its default.
    pub fn new(kind: ScenarioKind, client: Client, ask: fn(&[String]) -> Option<Analysis>) -> Self {
        let spec = spec(kind);
        let picks = spec
            .choices
            .iter()
            .map(|c| match *c {
                Control::Select { default, .. } => default.to_string(),
                Control::Range { default, .. } => default.to_string(),
            })
            .collect();
        CaseState {
            spec,
            client,
            wrong: RwSignal::new(None),
            right: RwSignal::new(None),
            mine: RwSignal::new(None),
            eval: RwSignal::new(None),
            wrong_ms: RwSignal::new(None),
            right_ms: RwSignal::new(None),
            picks: RwSignal::new(picks),
            ask,
            choice: Choice::new(),
        }
    }

    /// The fixed steps: the wrong analysis, the right one, then the headline (the
    /// eval). `read_wrong` and `read_right` turn the answers into what the page keeps.
    /// None when the wrong or right step failed or the page was closed; else what
    /// `CaseClient::headline` gives: None when the headline step failed, else its
    /// bytes (the tissue with the computed columns, for the clustering cases).
    pub async fn wrong_right_headline<A: FromCaseAnswer, B: FromCaseAnswer>(
        self,
        read_wrong: impl FnOnce(Got<A>) -> W,
        read_right: impl FnOnce(Got<B>) -> R,
    ) -> Option<Option<Option<Vec<u8>>>> {
        let c = self.client.get_value();
        let w = self.spec.wrong;
        let got = c
            .run::<A>(w.step, w.analysis.into(), always, Some(self.wrong_ms))
            .await?;
        self.wrong.set(Some(Arc::new(read_wrong(got))));
        let r = self.spec.right;
        let got = c
            .run::<B>(r.step, r.analysis.into(), always, Some(self.right_ms))
            .await?;
        self.right.set(Some(Arc::new(read_right(got))));
        Some(c.headline(self.spec.headline_step, self.eval).await)
    }

    /// Runs the reader's choice (the picks) as the newest choice: `mine` is cleared,
    /// then set from the answer unless a newer choice was made meanwhile.
    pub fn choose<T: FromCaseAnswer + 'static>(self, read: impl FnOnce(Got<T>) -> M + 'static) {
        if !is_open(self.client) {
            return;
        }
        let Some(Some(analysis)) = self.picks.try_with_untracked(|p| (self.ask)(p)) else {
            return;
        };
        self.mine.set(None);
        let mine = self.mine;
        self.choice
            .run(self.client, self.spec.choice_step, analysis, move |got| {
                mine.set(Some(Arc::new(read(got))))
            });
    }

    /// Sets the value of control `i` (a change of the reader's).
    pub fn pick(self, i: usize, value: String) {
        self.picks.update(|p| {
            if let Some(v) = p.get_mut(i) {
                *v = value;
            }
        });
    }

    /// The value of control `i`, tracked.
    pub fn picked(self, i: usize) -> String {
        self.picks.with(|p| p.get(i).cloned().unwrap_or_default())
    }

    /// The verdict of the case's eval on `value` of a result, once both are there.
    pub fn verdict<T: Send + Sync + 'static>(
        self,
        result: RwSignal<Option<Arc<T>>>,
        value: fn(&T) -> f64,
    ) -> Signal<Option<Verdict>> {
        let (eval, key) = (self.eval, self.spec.key);
        Signal::derive(move || grade(&eval.get()?, key, value(&*result.get()?)).ok())
    }

    /// A number of a result, for `Num`.
    pub fn num<T: Send + Sync + 'static>(
        result: RwSignal<Option<Arc<T>>>,
        value: impl Fn(&T) -> Option<f64> + Send + Sync + 'static,
    ) -> Signal<Option<f64>> {
        Signal::derive(move || result.with(|r| r.as_deref().and_then(&value)))
    }

    /// The "your choice" section: its heading, the case's controls (a change runs
    /// `changed`, the page's call of `choose`) and what the page shows of the choice.
    pub fn choice_section(
        self,
        changed: impl Fn() + Copy + 'static,
        body: impl IntoView + 'static,
    ) -> impl IntoView {
        let controls = choice_controls(
            self.spec,
            move |i| self.picked(i),
            move |i, v| self.pick(i, v),
            changed,
        );
        view! {
            <section class="card case-try" data-testid="case-try">
                <h2>{self.spec.choice_heading}</h2>
                {controls}
                {body}
            </section>
        }
    }

    /// The eval and the published answers regraded, once the headline is there.
    pub fn eval_panel(self) -> impl IntoView {
        let (eval, key) = (self.eval, self.spec.key);
        move || {
            eval.get()
                .map(|e| view! { <EvalPanel eval=e key=key.to_string() /> })
        }
    }
}
