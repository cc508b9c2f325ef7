//! kubectl's column layout: a port of Go's `text/tabwriter` as forked by kubectl
//! (`github.com/liggitt/tabwriter`, used by `cli-runtime/pkg/printers.GetNewTabWriter`).
//!
//! kubectl's table writer is `minwidth 6, tabwidth 4, padding 3, padchar ' ', flags RememberWidths`:
//! a column is as wide as its widest cell + 3 spaces (at least 6); the last cell of a line is not
//! padded. `RememberWidths` makes the writer keep the widest width seen per column across
//! `Flush()` calls. That is what `kubectl get -w` relies on: the watch loop flushes after every
//! event, and later rows reuse (or widen) the widths of earlier flushes, so a later row never gets
//! narrower columns than the header had — but a longer cell widens its column for that and later
//! rows only (earlier lines are already printed).
//!
//! `kubectl describe` uses a different writer (`minwidth 0, tabwidth 8, padding 2`, no memory):
//! `TabWriter::describe()`.
//!
//! Go's elastic-tabstop rules are kept exactly, including "column blocks": a column's width is
//! computed over the run of consecutive lines that have a cell in that column, and a line with a
//! single cell (no tab) flushes the writer immediately.

#[derive(Debug, Clone, Default)]
struct Cell {
    text: String,
    /// Width in runes (Go's utf8.RuneCount).
    width: usize,
    /// Terminated by a horizontal tab (as opposed to a vertical tab or a newline).
    htab: bool,
}

/// A stateful tab writer. Write text with `\t` cell separators and `\n` line ends; `flush()`
/// returns what would have been written to the terminal.
#[derive(Debug, Clone)]
pub struct TabWriter {
    minwidth: usize,
    padding: usize,
    remember_widths: bool,
    maxwidths: Vec<usize>,
    lines: Vec<Vec<Cell>>,
    cell: Cell,
    widths: Vec<usize>,
    out: String,
}

impl TabWriter {
    pub fn new(minwidth: usize, padding: usize, remember_widths: bool) -> TabWriter {
        TabWriter {
            minwidth,
            padding,
            remember_widths,
            maxwidths: Vec::new(),
            lines: vec![Vec::new()],
            cell: Cell::default(),
            widths: Vec::new(),
            out: String::new(),
        }
    }

    /// The writer of `kubectl get` (tables and watches).
    pub fn kubectl() -> TabWriter {
        TabWriter::new(6, 3, true)
    }

    /// The writer of `kubectl describe` (`tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)`).
    pub fn describe() -> TabWriter {
        TabWriter::new(0, 2, false)
    }

    /// Write one table row: cells separated by tabs, ended by a newline.
    pub fn write_row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let mut line = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                line.push('\t');
            }
            line.push_str(c.as_ref());
        }
        line.push('\n');
        self.write(&line);
    }

    /// Write raw text (Go `Write`): `\t` and `\v` end a cell, `\n` and `\f` end a line.
    pub fn write(&mut self, text: &str) {
        for ch in text.chars() {
            match ch {
                '\t' | '\x0b' | '\n' | '\x0c' => {
                    let ncells = self.terminate_cell(ch == '\t');
                    if ch == '\n' || ch == '\x0c' {
                        self.lines.push(Vec::new());
                        // A line with a single cell cannot influence later columns: Go flushes here.
                        if ch == '\x0c' || ncells == 1 {
                            self.flush_into_out();
                        }
                    }
                }
                _ => {
                    self.cell.text.push(ch);
                    self.cell.width += 1;
                }
            }
        }
    }

    /// Format everything buffered and return all output produced since the last `flush`.
    pub fn flush(&mut self) -> String {
        self.flush_into_out();
        std::mem::take(&mut self.out)
    }

    /// The remembered widest width per column (`RememberedWidths`).
    pub fn remembered_widths(&self) -> Vec<usize> {
        self.maxwidths.clone()
    }

    fn terminate_cell(&mut self, htab: bool) -> usize {
        let mut cell = std::mem::take(&mut self.cell);
        cell.htab = htab;
        if self.lines.is_empty() {
            self.lines.push(Vec::new());
        }
        let last = self.lines.len() - 1;
        self.lines[last].push(cell);
        self.lines[last].len()
    }

    fn flush_into_out(&mut self) {
        if !self.cell.text.is_empty() {
            self.terminate_cell(false);
        }
        let n = self.lines.len();
        self.format(0, n);
        // Go's reset(): one empty line, no pending cell, no column widths.
        self.lines = vec![Vec::new()];
        self.cell = Cell::default();
        self.widths.clear();
    }

    fn format(&mut self, line0: usize, line1: usize) {
        let mut line0 = line0;
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            // The last cell of a line is text before the newline, not part of a column.
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            self.write_lines(line0, this);
            line0 = this;

            let mut width = self.minwidth;
            while this < line1 {
                let line = &self.lines[this];
                if column + 1 >= line.len() {
                    break;
                }
                let w = line[column].width + self.padding;
                if w > width {
                    width = w;
                }
                this += 1;
            }

            if self.remember_widths {
                if self.maxwidths.len() < self.widths.len() {
                    let from = self.maxwidths.len();
                    let extra: Vec<usize> = self.widths[from..].to_vec();
                    self.maxwidths.extend(extra);
                }
                let k = self.widths.len();
                if self.maxwidths.len() == k {
                    self.maxwidths.push(width);
                } else if self.maxwidths[k] > width {
                    width = self.maxwidths[k];
                } else if self.maxwidths[k] < width {
                    self.maxwidths[k] = width;
                }
            }

            self.widths.push(width);
            self.format(line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(line0, line1);
    }

    fn write_lines(&mut self, line0: usize, line1: usize) {
        for i in line0..line1 {
            let line = &self.lines[i];
            for (j, c) in line.iter().enumerate() {
                self.out.push_str(&c.text);
                if let Some(&w) = self.widths.get(j) {
                    for _ in c.width..w {
                        self.out.push(' ');
                    }
                }
            }
            if i + 1 == self.lines.len() {
                // Last buffered line: no newline yet; its pending text is written as is.
                self.out.push_str(&self.cell.text);
            } else {
                self.out.push('\n');
            }
        }
    }
}

/// Lay out a whole table at once, as `kubectl get` does for a list (one flush).
pub fn render<S: AsRef<str>>(rows: &[Vec<S>]) -> String {
    let mut w = TabWriter::kubectl();
    for r in rows {
        w.write_row(r);
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_widest_cell_plus_three_and_last_column_unpadded() {
        // Golden from kubectl v1.32 against a fake apiserver returning this Table.
        let out = render(&[
            vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            vec!["web", "1/1", "Running", "0", "9s"],
            vec![
                "liveness-exec",
                "0/1",
                "CrashLoopBackOff",
                "3 (11s ago)",
                "2m",
            ],
        ]);
        assert_eq!(
            out,
            "NAME            READY   STATUS             RESTARTS      AGE\n\
             web             1/1     Running            0             9s\n\
             liveness-exec   0/1     CrashLoopBackOff   3 (11s ago)   2m\n"
        );
    }

    #[test]
    fn minimum_column_width_is_six() {
        let out = render(&[vec!["A", "B", "C"], vec!["x", "y", "z"]]);
        assert_eq!(out, "A     B     C\nx     y     z\n");
    }

    #[test]
    fn watch_rows_reuse_remembered_widths_and_widen_only_later_rows() {
        // kubectl get -w flushes after each event; RememberWidths keeps the header's widths.
        let mut w = TabWriter::kubectl();
        w.write_row(&["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
        w.write_row(&["web", "0/1", "Pending", "0", "0s"]);
        let first = w.flush();
        assert_eq!(
            first,
            "NAME   READY   STATUS    RESTARTS   AGE\nweb    0/1     Pending   0          0s\n"
        );
        w.write_row(&["web", "0/1", "ContainerCreating", "0", "0s"]);
        assert_eq!(
            w.flush(),
            "web    0/1     ContainerCreating   0          0s\n"
        );
        // The STATUS column stays as wide as ContainerCreating made it.
        w.write_row(&["web", "1/1", "Running", "0", "2s"]);
        assert_eq!(
            w.flush(),
            "web    1/1     Running             0          2s\n"
        );
        // A longer name widens NAME from this row on (recorded from kubectl v1.32 with a fake watch).
        w.write_row(&["a-very-long-pod-name", "1/1", "Running", "0", "2s"]);
        assert_eq!(
            w.flush(),
            "a-very-long-pod-name   1/1     Running             0          2s\n"
        );
        w.write_row(&["web", "1/1", "Running", "0", "3s"]);
        assert_eq!(
            w.flush(),
            "web                    1/1     Running             0          3s\n"
        );
    }

    #[test]
    fn a_line_without_tabs_flushes_and_splits_column_blocks() {
        let mut w = TabWriter::describe();
        w.write("Name:\tweb\nNamespace:\tdefault\nContainers:\n  web:\n    Image:\tnginx\n");
        assert_eq!(
            w.flush(),
            "Name:       web\nNamespace:  default\nContainers:\n  web:\n    Image:  nginx\n"
        );
    }

    #[test]
    fn widths_count_runes_not_bytes() {
        let out = render(&[vec!["名字", "X"], vec!["ab", "Y"]]);
        assert_eq!(out, "名字    X\nab    Y\n");
    }
}
