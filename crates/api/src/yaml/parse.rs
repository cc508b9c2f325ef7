//! Text → positioned node trees, one per document, with limits on size, depth and alias expansion.
//!
//! saphyr-parser gives events with spans; we build the tree with an explicit stack (no recursion on
//! input depth) and expand aliases by copying the anchored subtree while counting nodes, so that a
//! "billion laughs" document stops at the budget instead of exhausting memory.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle, ScanError};

use super::error::{YamlError, YamlErrorKind};
use super::node::{Node, NodeKind, Pos, ScalarStyle, Span};

/// Bounds on what one input may cost.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The API server's request size limit (3 MiB).
    pub max_bytes: usize,
    /// Nodes per stream, counting every alias expansion.
    pub max_nodes: usize,
    /// Nesting depth of collections.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 3 * 1024 * 1024,
            max_nodes: 100_000,
            max_depth: 100,
        }
    }
}

/// Parses a YAML stream into its documents. An empty document (or a stream of only comments)
/// yields no documents.
pub fn parse_stream(text: &str) -> Result<Vec<Node>, Vec<YamlError>> {
    parse_stream_with(text, Limits::default())
}

pub fn parse_stream_with(text: &str, limits: Limits) -> Result<Vec<Node>, Vec<YamlError>> {
    if text.len() > limits.max_bytes {
        return Err(vec![YamlError::new(
            YamlErrorKind::Limit,
            format!("Request entity too large: limit is {}", limits.max_bytes),
            Pos { line: 1, column: 1 },
        )]);
    }
    let mut b = Builder::new(limits);
    let mut parser = Parser::new_from_str(text);
    loop {
        match parser.next_event() {
            None => break,
            Some(Err(e)) => {
                return Err(vec![unknown_anchor(text, &e)
                    .unwrap_or_else(|| missing_colon(text, syntax_error(&e)))])
            }
            Some(Ok((event, span))) => {
                let span = to_span(&span);
                if let Err(e) = b.event(event, span) {
                    return Err(vec![e]);
                }
            }
        }
    }
    if b.duplicates.is_empty() {
        Ok(b.docs)
    } else {
        Err(b.duplicates)
    }
}

fn to_pos(m: &saphyr_parser::Marker) -> Pos {
    Pos {
        line: u32::try_from(m.line()).unwrap_or(u32::MAX),
        column: u32::try_from(m.col().saturating_add(1)).unwrap_or(u32::MAX),
    }
}

fn to_span(s: &saphyr_parser::Span) -> Span {
    Span {
        start: to_pos(&s.start),
        end: to_pos(&s.end),
    }
}

enum Frame {
    Seq {
        items: Vec<Node>,
        start: Span,
        anchor: usize,
        size: usize,
    },
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        start: Span,
        anchor: usize,
        size: usize,
    },
}

struct Builder {
    limits: Limits,
    docs: Vec<Node>,
    stack: Vec<Frame>,
    /// anchor id → (subtree, its node count)
    anchors: BTreeMap<usize, (Node, usize)>,
    nodes: usize,
    doc_root: Option<Node>,
    doc_start: Span,
    duplicates: Vec<YamlError>,
}

impl Builder {
    fn new(limits: Limits) -> Builder {
        Builder {
            limits,
            docs: Vec::new(),
            stack: Vec::new(),
            anchors: BTreeMap::new(),
            nodes: 0,
            doc_root: None,
            doc_start: Span::default(),
            duplicates: Vec::new(),
        }
    }

    fn count(&mut self, n: usize, at: Pos) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_nodes {
            // go-yaml's words for the same protection.
            return Err(YamlError::new(
                YamlErrorKind::Limit,
                "yaml: document contains excessive aliasing",
                at,
            ));
        }
        Ok(())
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), YamlError> {
        match event {
            Event::DocumentStart(_) => {
                self.doc_root = None;
                self.doc_start = span;
                self.anchors.clear();
            }
            Event::DocumentEnd => {
                if let Some(root) = self.doc_root.take() {
                    // An empty document (`---` alone, or only comments) is no document.
                    if !root.is_null() {
                        self.docs.push(root);
                    }
                }
            }
            Event::Scalar(value, style, anchor, _tag) => {
                self.count(1, span.start)?;
                let kind = if style == SaphyrStyle::Plain && value == "~" && span.start == span.end
                {
                    NodeKind::Null
                } else {
                    NodeKind::Scalar(value.into_owned(), convert_style(style))
                };
                let node = Node::new(kind, span);
                if anchor > 0 {
                    self.anchors.insert(anchor, (node.clone(), 1));
                }
                self.complete(node, 1)?;
            }
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id).cloned() else {
                    return Err(YamlError::new(
                        YamlErrorKind::Syntax,
                        format!("yaml: line {}: found undefined alias", span.start.line),
                        span.start,
                    ));
                };
                self.count(size, span.start)?;
                // The copy keeps the anchor's positions: errors inside point at the definition.
                self.complete(node, size)?;
            }
            Event::SequenceStart(anchor, _) => {
                self.count(1, span.start)?;
                self.push(
                    Frame::Seq {
                        items: Vec::new(),
                        start: span,
                        anchor,
                        size: 1,
                    },
                    span,
                )?;
            }
            Event::MappingStart(anchor, _) => {
                self.count(1, span.start)?;
                self.push(
                    Frame::Map {
                        entries: Vec::new(),
                        key: None,
                        start: span,
                        anchor,
                        size: 1,
                    },
                    span,
                )?;
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq {
                    items,
                    start,
                    anchor,
                    size,
                }) = self.stack.pop()
                {
                    let node = Node::new(
                        NodeKind::Seq(items),
                        Span {
                            start: start.start,
                            end: span.end,
                        },
                    );
                    if anchor > 0 {
                        self.anchors.insert(anchor, (node.clone(), size));
                    }
                    self.complete(node, size)?;
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map {
                    entries,
                    start,
                    anchor,
                    size,
                    ..
                }) = self.stack.pop()
                {
                    self.check_duplicates(&entries);
                    let node = Node::new(
                        NodeKind::Map(entries),
                        Span {
                            start: start.start,
                            end: span.end,
                        },
                    );
                    if anchor > 0 {
                        self.anchors.insert(anchor, (node.clone(), size));
                    }
                    self.complete(node, size)?;
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(())
    }

    fn push(&mut self, frame: Frame, span: Span) -> Result<(), YamlError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(YamlError::new(
                YamlErrorKind::Limit,
                format!("yaml: exceeded max depth of {}", self.limits.max_depth),
                span.start,
            ));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn complete(&mut self, node: Node, node_size: usize) -> Result<(), YamlError> {
        match self.stack.last_mut() {
            None => {
                self.doc_root = Some(node);
            }
            Some(Frame::Seq { items, size, .. }) => {
                *size = size.saturating_add(node_size);
                items.push(node);
            }
            Some(Frame::Map {
                entries, key, size, ..
            }) => {
                *size = size.saturating_add(node_size);
                match key.take() {
                    None => *key = Some(node),
                    Some(k) => entries.push((k, node)),
                }
            }
        }
        Ok(())
    }

    /// sigs.k8s.io/yaml converts strictly: a key set twice in one mapping is an error
    /// (`line 5: key "name" already set in map`), reported at the second occurrence.
    fn check_duplicates(&mut self, entries: &[(Node, Node)]) {
        for (i, (k, _)) in entries.iter().enumerate() {
            let Some(text) = k.as_str() else { continue };
            if entries[..i]
                .iter()
                .any(|(prev, _)| prev.as_str() == Some(text))
            {
                let shown = match &k.kind {
                    NodeKind::Scalar(s, ScalarStyle::Plain)
                        if super::scalar::resolve(s).is_number() =>
                    {
                        s.clone()
                    }
                    _ => go_quote(text),
                };
                let mut e = YamlError::new(
                    YamlErrorKind::DuplicateKey,
                    format!(
                        "line {}: key {} already set in map",
                        k.span.start.line, shown
                    ),
                    k.span.start,
                );
                e.path = text.to_string();
                self.duplicates.push(e);
            }
        }
    }
}

/// A forgotten ':' (`image nginx` followed by another key at the same indentation) is, for
/// libyaml, a required simple key that never found its ':' — `could not find expected ':'` on the
/// next line. saphyr reports it as a misplaced mapping value; give it libyaml's words.
fn missing_colon(text: &str, e: YamlError) -> YamlError {
    if !e
        .message
        .ends_with("mapping values are not allowed in this context")
    {
        return e;
    }
    let lines: Vec<&str> = text.lines().collect();
    let at = e.pos.line as usize; // 1-based
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let Some(cur) = at.checked_sub(1).and_then(|i| lines.get(i)) else {
        return e;
    };
    let prev = (0..at.saturating_sub(1))
        .rev()
        .filter_map(|i| lines.get(i))
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let Some(prev) = prev else { return e };
    let p = prev.trim();
    let plain_without_colon =
        !p.contains(':') && !p.starts_with(['-', '"', '\'', '[', '{', '|', '>', '&', '*', '!']);
    if plain_without_colon && indent(prev) == indent(cur) {
        let mut fixed = e;
        fixed.message = format!("yaml: line {at}: could not find expected ':'");
        return fixed;
    }
    e
}

/// go-yaml's decoder names the anchor: `yaml: unknown anchor 'nothing' referenced` (no line).
fn unknown_anchor(text: &str, e: &ScanError) -> Option<YamlError> {
    if !e.info().contains("unknown anchor") {
        return None;
    }
    let m = e.marker();
    let name = alias_name_at(text, m.index())?;
    Some(YamlError::new(
        YamlErrorKind::Syntax,
        format!("yaml: unknown anchor '{name}' referenced"),
        Pos {
            line: m.line() as u32,
            column: m.col() as u32 + 1,
        },
    ))
}

/// The name of the alias `*name` at (or just after) character `index` of `text`.
fn alias_name_at(text: &str, index: usize) -> Option<String> {
    let rest: String = text
        .chars()
        .skip(index.saturating_sub(1))
        .take(512)
        .collect();
    let star = rest.find('*')?;
    let name: String = rest[star + 1..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
        .collect();
    (!name.is_empty()).then_some(name)
}

fn convert_style(s: SaphyrStyle) -> ScalarStyle {
    match s {
        SaphyrStyle::Plain => ScalarStyle::Plain,
        SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        SaphyrStyle::Literal => ScalarStyle::Literal,
        SaphyrStyle::Folded => ScalarStyle::Folded,
    }
}

/// Go's `%q`/`%#v` for a string, close enough for keys (JSON escaping agrees for printable text).
pub fn go_quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// Maps saphyr's error text to go-yaml's (libyaml's) words, and the line go-yaml would print:
/// go-yaml adds 1 to the 0-based line only for *scanner* errors, so parser errors name the line
/// before the offending token — a quirk kubectl users see every day, reproduced here.
fn syntax_error(e: &ScanError) -> YamlError {
    let info = e.info();
    // libyaml keeps the "while parsing ..." context separately; go-yaml prints only the problem.
    let problem = match info.split_once(", ") {
        Some((ctx, rest)) if ctx.starts_with("while ") => rest,
        _ => info,
    };
    let (text, scanner) = match problem {
        "simple key expect ':'" => ("could not find expected ':'", true),
        "mapping values are not allowed in this context" => (problem, true),
        "block sequence entries are not allowed in this context" => (problem, true),
        "did not find expected key" => (problem, false),
        "did not find expected '-' indicator" => (problem, false),
        "did not find expected node content" => (problem, false),
        "did not find expected ',' or '}'" => (problem, false),
        "expected ',' or ']'" => ("did not find expected ',' or ']'", false),
        "found unknown anchor" => ("found undefined alias", false),
        "found unexpected end of stream" => (problem, true),
        "found unknown escape character" => (problem, true),
        "found a tab"
        | "tabs disallowed in this context"
        | "tab cannot be used as indentation"
        | "a block scalar content cannot start with a tab"
        | "tabs disallowed within this context (block indentation)" => {
            ("found character that cannot start any token", true)
        }
        p if p.starts_with("unexpected character") => {
            ("found character that cannot start any token", true)
        }
        "found unprintable character" => ("control characters are not allowed", true),
        "invalid indentation"
        | "wrongly indented line in block scalar"
        | "invalid indentation in flow construct" => ("did not find expected key", false),
        "unexpected eof" => ("did not find expected node content", false),
        _ => (problem, true),
    };
    let pos = to_pos(e.marker());
    let go_line = if scanner {
        pos.line
    } else {
        pos.line.saturating_sub(1)
    };
    let message = if go_line == 0 {
        format!("yaml: {text}")
    } else {
        format!("yaml: line {go_line}: {text}")
    };
    YamlError::new(YamlErrorKind::Syntax, message, pos)
}
