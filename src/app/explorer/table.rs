//! A sortable data table with CSV / JSON export of what it shows.

use leptos::prelude::*;

use crate::app::download::{download_text, file_stem};
use crate::app::state::AppState;
use crate::view::csv::csv_field;

/// One cell: its text, a sort key, and how it is drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    /// A number (None shown as "–") with its display text.
    Num(Option<f64>, String),
    /// Text linking to an address in the app.
    Link(String, String),
    /// A number (sorted and exported as one) shown as text linking to an address.
    NumLink(f64, String, String),
    /// A recorded or live verdict; `differs` marks a live verdict that
    /// disagrees with the recorded one.
    Verdict(Option<bool>, bool),
}

impl Cell {
    pub fn num(v: Option<f64>, digits: usize) -> Cell {
        Cell::Num(
            v,
            v.map_or_else(|| "–".to_string(), |x| format!("{x:.digits$}")),
        )
    }
    pub fn int(v: usize) -> Cell {
        Cell::Num(Some(v as f64), v.to_string())
    }
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) | Cell::Num(_, s) | Cell::Link(s, _) | Cell::NumLink(_, s, _) => {
                s.clone()
            }
            Cell::Verdict(v, _) => verdict_word(*v).to_string(),
        }
    }
    fn json(&self) -> serde_json::Value {
        match self {
            Cell::Num(Some(v), _) => {
                serde_json::Number::from_f64(*v).map_or(serde_json::Value::Null, Into::into)
            }
            Cell::Num(None, _) => serde_json::Value::Null,
            Cell::NumLink(v, _, _) => {
                serde_json::Number::from_f64(*v).map_or(serde_json::Value::Null, Into::into)
            }
            Cell::Verdict(v, _) => v.map_or(serde_json::Value::Null, serde_json::Value::Bool),
            other => serde_json::Value::String(other.text()),
        }
    }
    fn cmp(&self, other: &Cell) -> std::cmp::Ordering {
        match (self, other) {
            (Cell::Num(a, _), Cell::Num(b, _)) => match (a, b) {
                (Some(a), Some(b)) => a.total_cmp(b),
                (a, b) => a.is_some().cmp(&b.is_some()),
            },
            (Cell::Verdict(a, _), Cell::Verdict(b, _)) => a.cmp(b),
            (Cell::NumLink(a, _, _), Cell::NumLink(b, _, _)) => a.total_cmp(b),
            (a, b) => a.text().to_lowercase().cmp(&b.text().to_lowercase()),
        }
    }
}

pub fn verdict_word(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "pass",
        Some(false) => "fail",
        None => "not graded",
    }
}

/// A verdict badge.
pub fn verdict_view(v: Option<bool>, differs: bool) -> impl IntoView {
    let class = match v {
        Some(true) => "verdict pass",
        Some(false) => "verdict fail",
        None => "verdict none",
    };
    view! { <span class=class class:differs=differs>{verdict_word(v)}</span> }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub key: String,
    pub label: String,
    pub numeric: bool,
}

impl Column {
    pub fn text(key: &str, label: &str) -> Column {
        Column {
            key: key.into(),
            label: label.into(),
            numeric: false,
        }
    }
    pub fn num(key: &str, label: &str) -> Column {
        Column {
            key: key.into(),
            label: label.into(),
            numeric: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct TableData {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl TableData {
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        out.push_str(
            &self
                .columns
                .iter()
                .map(|c| csv_field(&c.key))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
        for r in &self.rows {
            out.push_str(
                &r.iter()
                    .map(|c| csv_field(&c.text()))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            out.push('\n');
        }
        out
    }
    pub fn to_json(&self) -> String {
        let rows: Vec<serde_json::Value> = self
            .rows
            .iter()
            .map(|r| {
                let mut m = serde_json::Map::new();
                for (c, v) in self.columns.iter().zip(r) {
                    m.insert(c.key.clone(), v.json());
                }
                serde_json::Value::Object(m)
            })
            .collect();
        serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into())
    }
    fn sorted(&self, sort: Option<(usize, bool)>) -> Vec<Vec<Cell>> {
        let mut rows = self.rows.clone();
        if let Some((col, asc)) = sort {
            rows.sort_by(|a, b| {
                let o = match (a.get(col), b.get(col)) {
                    (Some(x), Some(y)) => x.cmp(y),
                    _ => std::cmp::Ordering::Equal,
                };
                if asc {
                    o
                } else {
                    o.reverse()
                }
            });
        }
        rows
    }
}

fn cell_view(c: Cell) -> AnyView {
    match c {
        Cell::Text(s) => view! { <td>{s}</td> }.into_any(),
        Cell::Num(_, s) => view! { <td class="num">{s}</td> }.into_any(),
        Cell::Link(s, href) => view! { <td><a href=href>{s}</a></td> }.into_any(),
        Cell::NumLink(_, s, href) => view! { <td class="num"><a href=href>{s}</a></td> }.into_any(),
        Cell::Verdict(v, d) => view! { <td>{verdict_view(v, d)}</td> }.into_any(),
    }
}

/// A table whose headers sort it (click again to reverse) with buttons to
/// download the rows shown, in their order, as CSV or JSON.
#[component]
pub fn SortableTable(
    #[prop(into)] data: Signal<TableData>,
    /// Names the table in the page (`data-table`) and in download file names.
    #[prop(into)]
    name: String,
) -> impl IntoView {
    let sort = RwSignal::new(None::<(usize, bool)>);
    let rows = Memo::new(move |_| data.with(|d| d.sorted(sort.get())));
    let export_name = file_stem(&name);
    let (n1, n2) = (export_name.clone(), export_name);
    let export = move |json: bool, stem: &str| {
        let d = TableData {
            columns: data.get_untracked().columns,
            rows: rows.get_untracked(),
        };
        let r = if json {
            download_text(&format!("{stem}.json"), "application/json", &d.to_json())
        } else {
            download_text(&format!("{stem}.csv"), "text/csv", &d.to_csv())
        };
        if let Err(e) = r {
            AppState::get().report(format!("Export failed: {e}"));
        }
    };
    view! {
        <div class="sortable" data-table=name.clone()>
            <div class="table-tools">
                <span class="row-count">{move || format!("{} rows", rows.with(Vec::len))}</span>
                <button class="secondary export-csv" on:click=move |_| export(false, &n1)>"Export CSV"</button>
                <button class="secondary export-json" on:click=move |_| export(true, &n2)>"Export JSON"</button>
            </div>
            <div class="table-wrap">
                <table class="data">
                    <thead>
                        <tr>
                            {move || {
                                data.with(|d| d.columns.clone())
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, c)| {
                                        let mark = move || match sort.get() {
                                            Some((j, true)) if j == i => " ▲",
                                            Some((j, false)) if j == i => " ▼",
                                            _ => "",
                                        };
                                        view! {
                                            <th
                                                class:num=c.numeric
                                                data-key=c.key.clone()
                                                on:click=move |_| {
                                                    sort.update(|s| {
                                                        *s = match *s {
                                                            Some((j, asc)) if j == i => Some((i, !asc)),
                                                            _ => Some((i, !c.numeric)),
                                                        }
                                                    })
                                                }
                                            >
                                                {c.label.clone()}
                                                {mark}
                                            </th>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            rows.get()
                                .into_iter()
                                .map(|r| view! { <tr>{r.into_iter().map(cell_view).collect_view()}</tr> })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
        </div>
    }
}
