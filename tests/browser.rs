//! Browser tests: run in headless Chromium by wasm-bindgen-test-runner
//! (`cargo test --target wasm32-unknown-unknown --test browser`). They check
//! the components in a real DOM and the core compiled to wasm32.
#![cfg(target_arch = "wasm32")]

use spatialbench_explorer::routes::{Location, Route};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn tick(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// A fresh container in the page's body.
fn new_host() -> web_sys::HtmlElement {
    let doc = document();
    let host: web_sys::HtmlElement = doc.create_element("div").unwrap().dyn_into().unwrap();
    doc.body().unwrap().append_child(&host).unwrap();
    host
}

/// Mounts the whole app into a fresh container and returns the container.
fn mount_app() -> web_sys::HtmlElement {
    let host = new_host();
    let handle = leptos::mount::mount_to(host.clone(), spatialbench_explorer::app::App);
    handle.forget();
    host
}

#[wasm_bindgen_test]
fn routes_parse_in_wasm() {
    let loc = Location::parse("#/tasks/a%2Fb?platform=xenium");
    assert_eq!(loc.route, Route::Task("a/b".into()));
    assert_eq!(loc.param("platform"), Some("xenium"));
}

#[wasm_bindgen_test]
async fn app_renders_navigation_and_follows_the_hash() {
    web_sys::window()
        .unwrap()
        .location()
        .set_hash("#/about")
        .unwrap();
    let host = mount_app();
    tick(50).await;
    let links = host.query_selector_all("header nav a").unwrap();
    let hrefs: Vec<String> = (0..links.length())
        .filter_map(|i| links.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter_map(|a| a.get_attribute("href"))
        .collect();
    for page in [
        "tasks",
        "results",
        "runs",
        "datasets",
        "case-studies",
        "findings",
        "search",
        "about",
    ] {
        assert!(
            hrefs.iter().any(|h| h.ends_with(&format!("#/{page}"))),
            "{page} is in the navigation: {hrefs:?}"
        );
    }
    let h1 = host
        .query_selector(".page-heading h1")
        .unwrap()
        .expect("a page heading");
    assert_eq!(h1.text_content().unwrap(), "About");

    web_sys::window()
        .unwrap()
        .location()
        .set_hash("#/datasets")
        .unwrap();
    tick(100).await;
    let h1 = host
        .query_selector(".page-heading h1")
        .unwrap()
        .expect("a page heading");
    assert_eq!(h1.text_content().unwrap(), "Datasets");
    let active = host
        .query_selector("header nav a.active")
        .unwrap()
        .expect("an active entry");
    assert_eq!(
        active.get_attribute("data-nav").as_deref(),
        Some("datasets")
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn a_bundle_that_fails_to_load_is_reported_and_the_page_stays_usable() {
    // The test server has no bundle/manifest.json: the error panel must say so.
    web_sys::window()
        .unwrap()
        .location()
        .set_hash("#/")
        .unwrap();
    let host = mount_app();
    let mut panel = None;
    for _ in 0..50 {
        tick(50).await;
        panel = host.query_selector(".error-panel").unwrap();
        if panel.is_some() {
            break;
        }
    }
    let panel = panel.expect("the error panel appears");
    let text = panel.text_content().unwrap();
    assert!(
        text.contains("bundle/manifest.json"),
        "the message names the file: {text}"
    );
    let dismiss: web_sys::HtmlElement = panel
        .query_selector("button.dismiss")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    dismiss.click();
    tick(50).await;
    assert!(
        host.query_selector(".error-panel").unwrap().is_none(),
        "dismissed"
    );
    assert!(
        host.query_selector("header nav").unwrap().is_some(),
        "the page still works"
    );
    host.remove();
}

#[wasm_bindgen_test]
fn the_grader_core_grades_in_wasm() {
    use spatialbench_explorer::grade::{extract_answer_from_text, grade_value, parse};
    let grader = parse(
        r#"{"type": "numeric_tolerance", "config": {"ground_truth": {"n": 100}, "tolerances": {"n": {"type": "absolute", "value": 5}}}}"#,
    )
    .unwrap();
    let inside = extract_answer_from_text("done <EVAL_ANSWER>{\"n\": 103}</EVAL_ANSWER>")
        .expect("answer found");
    let outside = parse(r#"{"n": NaN}"#).expect("Python-style NaN is read");
    let ok = grade_value(&grader, &inside);
    assert!(ok.passed, "{:?}", ok.reasoning);
    assert_eq!(ok.score, 1.0);
    let bad = grade_value(&grader, &outside);
    assert!(!bad.passed);
    assert!(!bad.configuration_error);
}

/// The kernels' SIMD loops (built for this target with simd128) against their scalar
/// reference loops: the same bits, on lengths with and without a remainder, with the
/// values Harmony and the k-NN scan meet and the edge cases (NaN, below exp's range).
#[wasm_bindgen_test]
fn the_simd_loops_give_the_scalar_loops_bits() {
    use sbx_kernels::lanes;
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let same = |a: &[f64], b: &[f64], what: &str| {
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            assert!(x.to_bits() == y.to_bits(), "{what}[{i}]: {x} vs {y}");
        }
    };
    for n in [0usize, 1, 2, 7, 16, 100, 101] {
        let v: Vec<f64> = (0..n).map(|_| next() * 4.0 - 0.5).collect();
        let w: Vec<f64> = (0..n).map(|_| next()).collect();
        let mut arg: Vec<f64> = (0..n).map(|_| -next() * 60.0).collect();
        if n > 3 {
            arg[1] = f64::NAN;
            arg[2] = -720.0;
            arg[3] = 0.0;
        }
        let (mut a, mut b) = (v.clone(), v.clone());
        lanes::axpy(&mut a, -0.37, &w);
        lanes::axpy_scalar(&mut b, -0.37, &w);
        same(&a, &b, "axpy");
        lanes::exp_times(&mut a, &arg, &w);
        lanes::exp_times_scalar(&mut b, &arg, &w);
        same(&a, &b, "exp_times");
        lanes::div_all(&mut a, 3.7);
        lanes::div_all_scalar(&mut b, 3.7);
        same(&a, &b, "div_all");
        lanes::add_sub(&mut a, &v, &w, 0.3);
        lanes::add_sub_scalar(&mut b, &v, &w, 0.3);
        same(&a, &b, "add_sub");
        lanes::affine(&mut a, 2.0, -2.0);
        lanes::affine_scalar(&mut b, 2.0, -2.0);
        same(&a, &b, "affine");
        lanes::shift_by_min(&mut a, &v, 0.1);
        lanes::shift_by_min_scalar(&mut b, &v, 0.1);
        same(&a, &b, "shift_by_min");
        let p: Vec<f32> = (0..n).map(|_| next() as f32).collect();
        let nj: Vec<f32> = (0..n).map(|_| next() as f32 * 0.5).collect();
        let (mut pa, mut pb) = (p.clone(), p.clone());
        let (la, lb) = (
            lanes::sq_dists(&mut pa, 0.8, &nj),
            lanes::sq_dists_scalar(&mut pb, 0.8, &nj),
        );
        assert_eq!(la.to_bits(), lb.to_bits(), "sq_dists smallest (n = {n})");
        assert!(
            pa.iter().zip(&pb).all(|(x, y)| x.to_bits() == y.to_bits()),
            "sq_dists (n = {n})"
        );
    }
}

#[wasm_bindgen_test]
fn a_dataset_round_trips_through_arrow_in_wasm() {
    use spatialbench_explorer::data::{read_ipc, write_ipc, CategoricalColumn, Dataset};
    let mut ds = Dataset {
        x: vec![0.0, 1.0, 2.0],
        y: vec![0.0, 1.0, 4.0],
        ..Default::default()
    };
    ds.categorical.push(CategoricalColumn::from_labels(
        "cell_type",
        &["a", "b", "a"],
    ));
    let bytes = write_ipc(&ds).expect("written");
    let back = read_ipc(&bytes).expect("read back");
    assert_eq!(back.y, ds.y);
    assert_eq!(back.categorical("cell_type").unwrap().codes, vec![0, 1, 0]);
    assert!(
        read_ipc(&bytes[..bytes.len() / 2]).is_err(),
        "a truncated file is an error, not a panic"
    );
}

/// Six units in two samples, three cell types and one numeric column.
fn small_dataset() -> std::sync::Arc<spatialbench_explorer::data::Dataset> {
    use spatialbench_explorer::data::{CategoricalColumn, Dataset, NumericColumn, NumericKind};
    let mut ds = Dataset {
        x: vec![0.0, 10.0, 20.0, 0.0, 10.0, 20.0],
        y: vec![0.0, 0.0, 0.0, 10.0, 10.0, 10.0],
        ..Default::default()
    };
    ds.categorical.push(CategoricalColumn::from_labels(
        "cell_type",
        &["a", "b", "a", "c", "a", "b"],
    ));
    ds.categorical.push(CategoricalColumn::from_labels(
        "sample",
        &["s1", "s1", "s1", "s2", "s2", "s2"],
    ));
    ds.numeric.push(NumericColumn {
        name: "total".into(),
        values: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        kind: NumericKind::Value,
    });
    ds.meta.coord_unit = "um".into();
    std::sync::Arc::new(ds)
}

fn texts(host: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let list = host.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

/// The viewer legend's labels and counts.
fn legend(host: &web_sys::HtmlElement) -> [Vec<String>; 2] {
    let l = "[data-testid=viewer-legend]";
    [
        texts(host, &format!("{l} .legend-label")),
        texts(host, &format!("{l} .legend-count")),
    ]
}

/// Picks `value` in the `<select>` with `data-testid` `id`, as a user would.
fn choose(host: &web_sys::HtmlElement, id: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = host
        .query_selector(&format!("[data-testid={id}]"))
        .unwrap()
        .expect("the select")
        .dyn_into()
        .unwrap();
    select.set_value(value);
    let ev = web_sys::Event::new("change").unwrap();
    select.dispatch_event(&ev).unwrap();
}

#[wasm_bindgen_test]
async fn the_viewer_shows_a_small_dataset_with_its_legend() {
    use leptos::prelude::*;
    use spatialbench_explorer::app::viewer::Viewer;
    let host = new_host();
    let ds = small_dataset();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        spatialbench_explorer::app::AppState::provide();
        view! { <Viewer dataset=ds.clone() /> }
    });
    tick(100).await;

    let viewer = host
        .query_selector("[data-testid=viewer]")
        .unwrap()
        .expect("the viewer");
    assert_eq!(viewer.get_attribute("data-rows").as_deref(), Some("6"));
    assert_eq!(
        viewer.get_attribute("data-color").as_deref(),
        Some("cell_type"),
        "the main category colours first"
    );
    assert!(texts(&host, ".viewer-toolbar .muted").contains(&"6 units".to_string()));
    assert_eq!(legend(&host), [["a", "b", "c"], ["3", "2", "1"]]);
    let draws: u32 = viewer.get_attribute("data-draws").unwrap().parse().unwrap();
    assert!(draws >= 1, "the canvas was drawn");
    assert!(texts(&host, "[data-testid=scale-bar]")[0].ends_with("µm"));

    // a legend click hides a category; the entry stays, marked hidden
    let b: web_sys::HtmlElement = host
        .query_selector("[data-testid=viewer-legend] [data-category=b]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    b.click();
    tick(50).await;
    assert!(b.class_name().split_whitespace().any(|c| c == "hidden"));
    assert_eq!(
        host.query_selector_all(".legend-item.hidden")
            .unwrap()
            .length(),
        1
    );

    // small multiples: one labelled panel per sample
    choose(&host, "facet-by", "sample");
    tick(50).await;
    assert_eq!(texts(&host, ".panel-label"), ["s1", "s2"]);
    assert_eq!(
        viewer.get_attribute("data-facet").as_deref(),
        Some("sample")
    );

    // a numeric colouring swaps the legend for a colour bar over its range
    choose(&host, "color-by", "total");
    tick(50).await;
    assert!(host
        .query_selector("[data-testid=viewer-legend]")
        .unwrap()
        .is_none());
    let ends = texts(&host, ".colorbar-ends span");
    assert_eq!(ends, ["1.000", "linear", "6.000"]);
    drop(handle);
    host.remove();
}

/// A large file arrives in parts: the toolbar says how many of the file's rows are
/// there, and the legend counts follow each part.
#[wasm_bindgen_test]
async fn the_viewer_counts_follow_the_parts_of_a_file() {
    use leptos::prelude::*;
    use spatialbench_explorer::app::viewer::Viewer;
    let host = new_host();
    let whole = small_dataset();
    let first = std::sync::Arc::new(whole.take(&[0, 1, 2]));
    let more = RwSignal::new(None::<std::sync::Arc<spatialbench_explorer::data::Dataset>>);
    let handle = leptos::mount::mount_to(host.clone(), move || {
        spatialbench_explorer::app::AppState::provide();
        view! { <Viewer dataset=first.clone() more=more rows_total=6 /> }
    });
    tick(50).await;
    assert_eq!(texts(&host, "[data-testid=viewer-units]"), ["3 of 6 units"]);
    assert_eq!(legend(&host), [["a", "b", "c"], ["2", "1", "0"]]);
    more.set(Some(whole));
    tick(50).await;
    assert_eq!(texts(&host, "[data-testid=viewer-units]"), ["6 units"]);
    assert_eq!(legend(&host), [["a", "b", "c"], ["3", "2", "1"]]);
    drop(handle);
    host.remove();
}

/// Millions of points before their tiles are built are drawn as a sample (so that no
/// redraw holds the page for long), and the toolbar says so; once the tiles are
/// built, the picture comes from them and the note goes.
#[wasm_bindgen_test]
async fn millions_of_points_are_sampled_until_their_tiles_are_built() {
    use leptos::prelude::*;
    use spatialbench_explorer::app::viewer::Viewer;
    let host = new_host();
    let n = 2_500_000;
    let ds = std::sync::Arc::new(spatialbench_explorer::data::synthetic::synthetic(n, 3));
    let handle = leptos::mount::mount_to(host.clone(), move || {
        spatialbench_explorer::app::AppState::provide();
        view! { <Viewer dataset=ds.clone() /> }
    });
    // The first picture is drawn in the first frame; the tiles are built in steps after it.
    // (The viewer asks for that frame in its effects, which run in microtasks: let them
    // run, so that the frame callback below comes after its draw.)
    for _ in 0..20 {
        let resolved = js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL);
        let _ = wasm_bindgen_futures::JsFuture::from(resolved).await;
    }
    let sample = std::rc::Rc::new(std::cell::RefCell::new(None::<(Option<String>, String)>));
    let (seen, h) = (sample.clone(), host.clone());
    request_animation_frame(move || {
        let attr = |sel: &str, a: &str| {
            h.query_selector(sel)
                .ok()
                .flatten()
                .and_then(|e| e.get_attribute(a))
        };
        *seen.borrow_mut() = Some((
            attr("[data-testid=viewer-sample]", "data-every"),
            attr("[data-testid=lod]", "data-rows").unwrap_or_default(),
        ));
    });
    // let the frame's signals reach the page
    let mut waited = 0;
    while sample.borrow().is_none() && waited < 5000 {
        tick(5).await;
        waited += 5;
    }
    let (every, rows) = sample.borrow().clone().expect("a frame ran");
    assert_eq!(
        every.as_deref(),
        Some("2"),
        "the first picture is one point in two"
    );
    assert_eq!(rows, (n / 2).to_string(), "and draws half the rows");
    // the tiles come within a few seconds; then the picture is redrawn through them
    let mut waited = 0;
    while !texts(&host, "[data-testid=viewer-sample]").is_empty() && waited < 10000 {
        tick(50).await;
        waited += 50;
    }
    assert!(
        texts(&host, "[data-testid=viewer-sample]").is_empty(),
        "the note went once the tiles were built"
    );
    let lod = texts(&host, "[data-testid=lod]");
    assert!(
        lod[0].contains("one per cell"),
        "drawn through the tiles: {lod:?}"
    );
    drop(handle);
    host.remove();
}

/// The WebGL2 path (measured beside the CPU rasterizer) puts each point on the pixel
/// the rasterizer does, in its colour, and leaves out rows not drawn (alpha 0).
#[wasm_bindgen_test]
fn webgl2_draws_the_points_where_the_rasterizer_does() {
    use spatialbench_explorer::app::viewer::webgl::GlPoints;
    use spatialbench_explorer::render::{
        draw_points, Canvas, ColorBy, PointSize, Rgba, Style, View,
    };
    let (w, h) = (8u32, 4u32);
    let el: web_sys::HtmlCanvasElement = document()
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    el.set_width(w);
    el.set_height(h);
    // off pixel centres: a multisampled point would tint its neighbours
    let xs = [0.2f32, 3.8, 7.5, 5.3];
    let ys = [0.7f32, 2.1, 3.5, 1.6];
    let (red, blue, green) = (
        Rgba::new(255, 0, 0, 255),
        Rgba::new(0, 0, 255, 255),
        Rgba::new(0, 160, 0, 255),
    );
    // the third row is not drawn (a hidden category)
    let colors = [red.0, blue.0, 0, green.0];
    let gl = GlPoints::new(&el, &xs, &ys, &colors).expect("a WebGL2 context in the test browser");
    let view = View {
        width: w,
        height: h,
        center_x: 4.0,
        center_y: 2.0,
        scale: 1.0,
        y_down: true,
    };
    gl.draw(&view, 1.0);
    let px = gl.pixels(w, h);
    let white = Rgba::new(255, 255, 255, 255);
    let mut cpu = Canvas::new(w, h, white);
    let style = Style {
        size: PointSize::Pixels(1.0),
        color: ColorBy::Categorical {
            codes: &[0, 1, 2, 3],
            palette: &[red, blue, green, green],
            hidden: Some(&[false, false, true, false]),
        },
        outline: None,
        row_mask: None,
    };
    draw_points(&mut cpu, &xs, &ys, &view, &style);
    assert_eq!(px, cpu.rgba(), "the same pixels as the CPU rasterizer");
    let lit: Vec<usize> = px
        .chunks(4)
        .enumerate()
        .filter(|(_, p)| p[..3] != [255, 255, 255])
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        lit,
        [0, 8 + 5, 2 * 8 + 3],
        "three points drawn, the hidden one left out"
    );
}

/// A viewer closed in the frame of its first picture (a case page swaps in the
/// clustered tissue as soon as it arrives) must not touch its dropped values when
/// the tile build it queued after that picture comes due: in wasm that panic kills
/// the page.
#[wasm_bindgen_test]
async fn a_viewer_closed_right_after_its_first_frame_does_not_panic() {
    use leptos::prelude::*;
    use spatialbench_explorer::app::viewer::Viewer;
    use wasm_bindgen::closure::Closure;
    // A panic in a timer callback is the page's uncaught error (a wasm trap): watch
    // for those rather than hook std's panics (a test that failed before this one
    // leaves std thinking it is still panicking, and the hook cannot be set then).
    let errors = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let seen = errors.clone();
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
        seen.borrow_mut().push(e.message());
    });
    let window = web_sys::window().unwrap();
    window
        .add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref())
        .unwrap();
    let host = new_host();
    let shown = RwSignal::new(small_dataset());
    let handle = leptos::mount::mount_to(host.clone(), move || {
        spatialbench_explorer::app::AppState::provide();
        view! { {move || view! { <Viewer dataset=shown.get() /> }} }
    });
    // The viewer asks for its first frame while it mounts; a frame callback asked
    // for after that runs after its draw, in the same frame, before the timeout the
    // draw queued. It swaps the dataset, which closes the first viewer. (The
    // viewer's effects run in microtasks: let them, but not a frame, pass.)
    for _ in 0..20 {
        let resolved = js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL);
        let _ = wasm_bindgen_futures::JsFuture::from(resolved).await;
    }
    let drawn = std::rc::Rc::new(std::cell::Cell::new(None::<u32>));
    let (d, h) = (drawn.clone(), host.clone());
    request_animation_frame(move || {
        d.set(
            h.query_selector("[data-testid=viewer]")
                .ok()
                .flatten()
                .and_then(|v| v.get_attribute("data-draws"))
                .and_then(|n| n.parse().ok()),
        );
        shown.set(small_dataset());
    });
    tick(100).await;
    let drawn = drawn.get().expect("the frame callback ran");
    assert!(drawn >= 1, "the first viewer had drawn when it was closed");
    window
        .remove_event_listener_with_callback("error", on_error.as_ref().unchecked_ref())
        .unwrap();
    assert_eq!(
        *errors.borrow(),
        Vec::<String>::new(),
        "a closed viewer's queued work read its dropped values"
    );
    drop(handle);
    host.remove();
}

/// One sex test as the worker answers it: `pct` % of 200 genes, housekeeping genes called.
fn de_answer(pct: f64, hk: &[&str]) -> spatialbench_explorer::worker::protocol::DeAnswer {
    spatialbench_explorer::worker::protocol::DeAnswer {
        test: "Wilcoxon".into(),
        pct_genes_significant: pct,
        n_significant: (pct * 2.0).round() as usize,
        housekeeping_called: hk.iter().map(|s| s.to_string()).collect(),
        p: vec![0.001, 0.2, 0.5, 0.9],
    }
}

#[wasm_bindgen_test]
async fn a_case_page_shows_its_wrong_and_right_analysis_side_by_side() {
    use leptos::prelude::*;
    use spatialbench_explorer::app::case_common::Verdict;
    use spatialbench_explorer::app::case_pseudoreplication::Sides;
    use spatialbench_explorer::kernels::cases::spec::spec;
    use spatialbench_explorer::kernels::sim::ScenarioKind;
    use std::sync::Arc;
    let host = new_host();
    let wrong = RwSignal::new(Some(Arc::new(de_answer(93.5, &["ACTB", "GAPDH"]))));
    let right = RwSignal::new(None);
    let verdict = |passed| {
        Signal::derive(move || {
            Some(Verdict {
                passed,
                reasoning: String::new(),
            })
        })
    };
    let handle = leptos::mount::mount_to(host.clone(), move || {
        spatialbench_explorer::app::AppState::provide();
        view! { <Sides wrong=wrong right=right verdicts=[verdict(false), verdict(true)] /> }
    });
    tick(50).await;

    // The headings and methods are the kernels' table's, wrong first.
    let s = spec(ScenarioKind::Pseudoreplication);
    let headings = texts(&host, ".case-side h3");
    assert_eq!(headings.len(), 2);
    assert!(headings[0].starts_with(s.wrong.heading), "{headings:?}");
    assert!(headings[1].starts_with(s.right.heading), "{headings:?}");
    assert_eq!(
        texts(&host, ".case-side > p.muted:first-of-type"),
        [s.wrong.method, s.right.method]
    );
    assert_eq!(texts(&host, "[data-testid=wrong-verdict]"), ["FAIL"]);
    assert_eq!(texts(&host, "[data-testid=right-verdict]"), ["PASS"]);

    // The wrong side shows its numbers; the right one says it is still computing.
    let value = |id: &str| {
        host.query_selector(&format!("[data-testid={id}]"))
            .unwrap()
            .unwrap_or_else(|| panic!("no {id}"))
            .get_attribute("data-value")
            .unwrap_or_default()
    };
    assert_eq!(value("wrong-pct"), "93.5");
    assert_eq!(value("wrong-nsig"), "187");
    assert_eq!(value("wrong-hk"), "2");
    assert_eq!(texts(&host, "[data-testid=wrong-pct]"), ["93.50%"]);
    assert!(texts(&host, ".case-side.wrong")[0].contains("called: ACTB, GAPDH"));
    assert_eq!(value("right-pct"), "");
    assert_eq!(texts(&host, "[data-testid=right-pct]"), ["computing…"]);

    // When the right analysis arrives, its side shows it.
    right.set(Some(Arc::new(de_answer(1.25, &[]))));
    tick(50).await;
    assert_eq!(value("right-pct"), "1.25");
    assert_eq!(value("right-hk"), "0");
    assert!(texts(&host, ".case-side.right")[0].contains("none of ACTB, GAPDH, … called"));
    drop(handle);
    host.remove();
}

/// The forest plot as SVG: every model label in full, one panel title per
/// group, a chevron (a three-point line) for each bound clipped to [0, 100]
/// and a hollow point for a model without an interval.
#[wasm_bindgen_test]
fn the_forest_plot_marks_clipped_bounds_and_single_eval_points() {
    use sbx_suite::stats::forest::{forest, IntervalKind};
    use sbx_suite::stats::{AccuracyRow, ModelKey};
    use sbx_suite::Estimate;
    use spatialbench_explorer::app::explorer::charts::FOREST;
    let row = |model: &str, group: &str, mean: f64, ci: Option<(f64, f64)>| AccuracyRow {
        key: ModelKey::new(model, "mini-swe-agent"),
        group: Some(group.into()),
        n_evals: 2,
        n_runs: 6,
        accuracy: Estimate {
            mean,
            ci_lower: ci.map(|c| c.0),
            ci_upper: ci.map(|c| c.1),
        },
        bootstrap: None,
    };
    let rows = vec![
        row(
            "grok-4.20-beta-0309-reasoning",
            "xenium",
            80.0,
            Some((40.0, 120.0)),
        ),
        row("gpt-5.5", "xenium", 20.0, Some((-10.0, 50.0))),
        row("gpt-5.5", "visium", 30.0, None),
        row(
            "grok-4.20-beta-0309-reasoning",
            "visium",
            50.0,
            Some((20.0, 80.0)),
        ),
    ];
    let svg = (FOREST.svg)(&forest(&rows, IntervalKind::T)).unwrap();
    assert!(svg.contains("grok-4.20-beta-0309-reasoning (mini-swe-agent)"));
    // one title per panel, as a text element of its own
    let texts: Vec<&str> = svg
        .split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>').map(|(_, rest)| rest))
        .map(|t| t.split("</text").next().unwrap_or("").trim())
        .collect();
    assert!(
        texts.contains(&"xenium") && texts.contains(&"visium"),
        "{texts:?}"
    );
    let chevrons = svg
        .split("<polyline")
        .skip(1)
        .filter(|p| {
            let pts = p.split("points=\"").nth(1).unwrap_or("");
            pts.split('"')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .count()
                == 3
        })
        .count();
    assert_eq!(
        chevrons, 2,
        "one clipped upper bound, one clipped lower bound"
    );
    let circles: Vec<&str> = svg
        .split("<circle")
        .skip(1)
        .map(|c| c.split("/>").next().unwrap_or(""))
        .collect();
    assert_eq!(circles.len(), 4);
    let hollow = circles
        .iter()
        .filter(|c| c.contains("fill=\"none\""))
        .count();
    assert_eq!(hollow, 1, "gpt-5.5 on visium has no interval");
}
