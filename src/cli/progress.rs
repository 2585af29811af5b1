//! How far `sbx prepare` got: a bar on a terminal, plain lines otherwise (logs, CI),
//! nothing with --quiet.

use sbx_data::Progress;
use std::io::IsTerminal;

pub struct Reporter {
    bar: Option<indicatif::ProgressBar>,
    plain: bool,
    /// Last tenth printed as a plain line, per stage.
    last: Option<(&'static str, usize)>,
}

impl Reporter {
    pub fn new(quiet: bool) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let bar = (!quiet && terminal).then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} [{bar:20}] {pos}/{len} {msg} ({elapsed})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        Reporter {
            bar,
            plain: !quiet && !terminal,
            last: None,
        }
    }

    /// A step without a count.
    pub fn stage(&mut self, what: &str) {
        if let Some(bar) = &self.bar {
            bar.set_length(0);
            bar.set_position(0);
            bar.set_message(what.to_string());
        } else if self.plain {
            eprintln!("sbx prepare: {what}");
        }
    }

    /// Rows (or genes) read so far of the total, in one pass over X.
    pub fn progress(&mut self, p: &Progress) {
        if let Some(bar) = &self.bar {
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
            bar.set_message(format!("{} read: {}", p.unit, p.stage));
            return;
        }
        if !self.plain {
            return;
        }
        let tenth = (p.done * 10).checked_div(p.total).unwrap_or(10);
        if self.last == Some((p.stage, tenth)) {
            return;
        }
        self.last = Some((p.stage, tenth));
        eprintln!(
            "sbx prepare: {}: {} of {} {} read",
            p.stage, p.done, p.total, p.unit
        );
    }

    pub fn finish(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
