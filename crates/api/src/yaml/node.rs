//! The positioned YAML tree: what every later stage (decoding, validation, diagnostics) points into.

/// A position in the source, both 1-based (as editors and `podplay check` print them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// Where a node starts and ends (end exclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

impl ScalarStyle {
    /// Quoted and block scalars are always strings; only plain scalars are resolved to
    /// bool/int/float/null.
    pub fn is_plain(self) -> bool {
        self == ScalarStyle::Plain
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Scalar(String, ScalarStyle),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
    /// An empty value (`key:` with nothing after it), or an empty document.
    Null,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

impl Node {
    pub fn new(kind: NodeKind, span: Span) -> Node {
        Node { kind, span }
    }

    pub fn start(&self) -> Pos {
        self.span.start
    }

    /// The value of `key` in a mapping (first occurrence).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value node of `key` in a mapping.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// The scalar text, for any scalar style.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(s, _) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// Whether this node stands for JSON null (empty value, `~`, `null`).
    pub fn is_null(&self) -> bool {
        match &self.kind {
            NodeKind::Null => true,
            NodeKind::Scalar(s, ScalarStyle::Plain) => {
                matches!(s.as_str(), "" | "~" | "null" | "Null" | "NULL")
            }
            _ => false,
        }
    }

    /// Follows a field path such as `spec.containers[0].livenessProbe` as far as it goes.
    /// Returns the deepest node reached and whether the whole path was found, plus the key node
    /// of the last map step (diagnostics about a field point at its key when the value is absent).
    pub fn locate(&self, path: &str) -> Located<'_> {
        let mut node = self;
        let mut key: Option<&Node> = None;
        let mut complete = true;
        for step in path_steps(path) {
            let next = match step {
                Step::Field(name) => node.entry(name).map(|(k, v)| {
                    key = Some(k);
                    v
                }),
                Step::Index(i) => node.as_seq().and_then(|s| s.get(i)).inspect(|_| key = None),
            };
            match next {
                Some(n) => node = n,
                None => {
                    complete = false;
                    break;
                }
            }
        }
        Located {
            node,
            key,
            complete,
        }
    }
}

pub struct Located<'a> {
    pub node: &'a Node,
    pub key: Option<&'a Node>,
    pub complete: bool,
}

enum Step<'a> {
    Field(&'a str),
    Index(usize),
}

/// Splits `a.b[0].c` (and `metadata.labels[app]`-style keys) into steps.
fn path_steps(path: &str) -> Vec<Step<'_>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            let (head, tail) = rest.split_at(i);
            if !head.is_empty() {
                steps.push(Step::Field(head));
            }
            rest = tail;
            while let Some(stripped) = rest.strip_prefix('[') {
                let Some(end) = stripped.find(']') else { break };
                let inner = &stripped[..end];
                match inner.parse::<usize>() {
                    Ok(n) => steps.push(Step::Index(n)),
                    Err(_) => steps.push(Step::Field(inner)),
                }
                rest = &stripped[end + 1..];
            }
        } else if !rest.is_empty() {
            steps.push(Step::Field(rest));
        }
    }
    steps
}
