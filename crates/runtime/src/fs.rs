//! File trees: a container's own tree (fresh from the image at every start) and volume trees
//! (owned by the pod, so they outlive container restarts), joined through mounts.

use std::collections::BTreeMap;

/// One entry. Programs are files whose content starts with [`PROGRAM_MAGIC`]: `cat /bin/sh`
/// prints binary noise, `rm /bin/cat` really removes the command, `cp` copies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    File { data: String, exec: bool },
    Dir,
}

pub(crate) const PROGRAM_MAGIC: &str = "\u{7f}ELF\u{2}\u{1}\u{1}podplay:";

pub(crate) fn program_file(program: &str) -> Node {
    Node::File {
        data: format!("{PROGRAM_MAGIC}{program}\n"),
        exec: true,
    }
}

/// The program a file runs, if it is one of ours.
pub(crate) fn program_of(data: &str) -> Option<&str> {
    data.strip_prefix(PROGRAM_MAGIC).map(|s| s.trim_end())
}

/// Paths are absolute and normalised (`/a/b`, root is `/`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tree {
    nodes: BTreeMap<String, Node>,
}

impl Tree {
    pub fn new() -> Tree {
        let mut nodes = BTreeMap::new();
        nodes.insert("/".to_string(), Node::Dir);
        Tree { nodes }
    }

    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }

    /// Put a file, making missing parent directories (image layers and volume projections do).
    pub fn put_file(&mut self, path: &str, data: &str, exec: bool) {
        let path = normalize("/", path);
        self.mkdir_all(parent(&path));
        self.nodes.insert(
            path,
            Node::File {
                data: data.to_string(),
                exec,
            },
        );
    }

    pub fn put_node(&mut self, path: &str, node: Node) {
        let path = normalize("/", path);
        self.mkdir_all(parent(&path));
        self.nodes.insert(path, node);
    }

    pub fn mkdir_all(&mut self, path: &str) {
        let mut cur = String::new();
        for comp in path.split('/').filter(|c| !c.is_empty()) {
            cur.push('/');
            cur.push_str(comp);
            self.nodes.entry(cur.clone()).or_insert(Node::Dir);
        }
    }

    fn children(&self, dir: &str) -> Vec<String> {
        let prefix = if dir == "/" {
            "/".to_string()
        } else {
            format!("{dir}/")
        };
        self.nodes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter(|(k, _)| k.len() > prefix.len() && !k[prefix.len()..].contains('/'))
            .map(|(k, _)| k[prefix.len()..].to_string())
            .collect()
    }

    fn subtree(&self, path: &str) -> Vec<(String, Node)> {
        let prefix = format!("{path}/");
        self.nodes
            .iter()
            .filter(|(k, _)| k.as_str() == path || k.starts_with(&prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    fn remove_subtree(&mut self, path: &str) {
        let prefix = format!("{path}/");
        self.nodes
            .retain(|k, _| !(k.as_str() == path || k.starts_with(&prefix)));
    }
}

pub(crate) fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

pub(crate) fn basename(path: &str) -> &str {
    let p = path.trim_end_matches('/');
    match p.rfind('/') {
        Some(i) => &p[i + 1..],
        None => p,
    }
}

/// Resolve `path` against `cwd`, collapsing `.`, `..` and repeated slashes.
pub(crate) fn normalize(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for comp in joined.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    if parts.is_empty() {
        "/".to_string()
    } else {
        format!("/{}", parts.join("/"))
    }
}

/// Errors as errno; `strerror` gives the text that busybox and coreutils print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FsError {
    NotFound,
    IsDir,
    NotDir,
    ReadOnly,
    NotEmpty,
    Exists,
    Busy,
}

impl FsError {
    pub fn strerror(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::IsDir => "Is a directory",
            FsError::NotDir => "Not a directory",
            FsError::ReadOnly => "Read-only file system",
            FsError::NotEmpty => "Directory not empty",
            FsError::Exists => "File exists",
            FsError::Busy => "Resource busy",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    File,
    Dir,
}

/// Where a mount's files live: a volume of the pod, seen from `sub_path` inside it.
#[derive(Debug, Clone)]
pub(crate) struct MountPoint {
    pub path: String,
    pub volume: String,
    pub sub_path: Option<String>,
    pub read_only: bool,
}

/// A volume's files. ConfigMap and Secret volumes are read-only projections.
#[derive(Debug, Clone)]
pub(crate) struct VolumeTree {
    pub tree: Tree,
    pub read_only: bool,
}

/// A container's view of its files: its own tree plus mounted volumes (the longest mount wins).
pub(crate) struct Files<'a> {
    pub root: &'a mut Tree,
    pub mounts: &'a [MountPoint],
    pub volumes: &'a mut BTreeMap<String, crate::pod::Volume>,
}

enum Loc {
    Root(String),
    Vol {
        volume: String,
        inner: String,
        read_only: bool,
    },
}

impl Files<'_> {
    fn locate(&self, abs: &str) -> Loc {
        let mut best: Option<&MountPoint> = None;
        for m in self.mounts {
            let hit =
                abs == m.path || (abs.starts_with(&m.path) && abs[m.path.len()..].starts_with('/'));
            if hit && best.is_none_or(|b| m.path.len() > b.path.len()) {
                best = Some(m);
            }
        }
        match best {
            None => Loc::Root(abs.to_string()),
            Some(m) => {
                let rest = &abs[m.path.len()..];
                let base = match &m.sub_path {
                    Some(sp) => normalize("/", sp),
                    None => "/".to_string(),
                };
                let inner = normalize("/", &format!("{base}/{rest}"));
                let vol_ro = self
                    .volumes
                    .get(&m.volume)
                    .is_some_and(|v| v.files.read_only);
                Loc::Vol {
                    volume: m.volume.clone(),
                    inner,
                    read_only: m.read_only || vol_ro,
                }
            }
        }
    }

    fn tree(&self, loc: &Loc) -> Option<(&Tree, String)> {
        match loc {
            Loc::Root(p) => Some((&*self.root, p.clone())),
            Loc::Vol { volume, inner, .. } => self
                .volumes
                .get(volume)
                .map(|v| (&v.files.tree, inner.clone())),
        }
    }

    fn tree_mut(&mut self, loc: &Loc) -> Result<(&mut Tree, String), FsError> {
        match loc {
            Loc::Root(p) => Ok((&mut *self.root, p.clone())),
            Loc::Vol {
                read_only: true, ..
            } => Err(FsError::ReadOnly),
            Loc::Vol { volume, inner, .. } => match self.volumes.get_mut(volume) {
                Some(v) => Ok((&mut v.files.tree, inner.clone())),
                None => Err(FsError::NotFound),
            },
        }
    }

    /// The node at `abs`, borrowed: looking at a file's kind must not copy its contents.
    fn node(&self, abs: &str) -> Option<&Node> {
        let loc = self.locate(abs);
        let (tree, p) = self.tree(&loc)?;
        tree.get(&p)
    }

    pub fn kind(&self, abs: &str) -> Option<Kind> {
        match self.node(abs)? {
            Node::File { .. } => Some(Kind::File),
            Node::Dir => Some(Kind::Dir),
        }
    }

    pub fn is_exec(&self, abs: &str) -> bool {
        matches!(self.node(abs), Some(Node::File { exec: true, .. }))
    }

    pub fn read(&self, abs: &str) -> Result<String, FsError> {
        match self.node(abs) {
            Some(Node::File { data, .. }) => Ok(data.clone()),
            Some(Node::Dir) => Err(FsError::IsDir),
            None => Err(FsError::NotFound),
        }
    }

    fn parent_ok(&self, abs: &str) -> Result<(), FsError> {
        match self.kind(parent(abs)) {
            Some(Kind::Dir) => Ok(()),
            Some(Kind::File) => Err(FsError::NotDir),
            None => Err(FsError::NotFound),
        }
    }

    pub fn write(&mut self, abs: &str, data: &str, append: bool) -> Result<(), FsError> {
        if abs == "/dev/null" {
            return Ok(());
        }
        let old = match self.node(abs) {
            Some(Node::Dir) => return Err(FsError::IsDir),
            Some(Node::File { data, exec }) => Some((data.clone(), *exec)),
            None => {
                self.parent_ok(abs)?;
                None
            }
        };
        let loc = self.locate(abs);
        let (tree, p) = self.tree_mut(&loc)?;
        let (mut content, exec) = match (old, append) {
            (Some((d, e)), true) => (d, e),
            (Some((_, e)), false) => (String::new(), e),
            (None, _) => (String::new(), false),
        };
        content.push_str(data);
        tree.nodes.insert(
            p,
            Node::File {
                data: content,
                exec,
            },
        );
        Ok(())
    }

    pub fn set_exec(&mut self, abs: &str, exec: bool) -> Result<(), FsError> {
        let loc = self.locate(abs);
        let (tree, p) = self.tree_mut(&loc)?;
        match tree.nodes.get_mut(&p) {
            Some(Node::File { exec: e, .. }) => {
                *e = exec;
                Ok(())
            }
            Some(Node::Dir) => Ok(()),
            None => Err(FsError::NotFound),
        }
    }

    pub fn mkdir(&mut self, abs: &str, parents: bool) -> Result<(), FsError> {
        match self.kind(abs) {
            Some(Kind::Dir) if parents => return Ok(()),
            Some(_) => return Err(FsError::Exists),
            None => {}
        }
        if parents {
            let mut cur = String::new();
            for comp in abs.split('/').filter(|c| !c.is_empty()) {
                cur.push('/');
                cur.push_str(comp);
                match self.kind(&cur) {
                    Some(Kind::Dir) => continue,
                    Some(Kind::File) => return Err(FsError::NotDir),
                    None => {
                        let loc = self.locate(&cur);
                        let (tree, p) = self.tree_mut(&loc)?;
                        tree.nodes.insert(p, Node::Dir);
                    }
                }
            }
            return Ok(());
        }
        self.parent_ok(abs)?;
        let loc = self.locate(abs);
        let (tree, p) = self.tree_mut(&loc)?;
        tree.nodes.insert(p, Node::Dir);
        Ok(())
    }

    /// Names in a directory, including mount points that sit directly in it.
    pub fn list(&self, abs: &str) -> Result<Vec<String>, FsError> {
        match self.kind(abs) {
            Some(Kind::Dir) => {}
            Some(Kind::File) => return Err(FsError::NotDir),
            None => return Err(FsError::NotFound),
        }
        let loc = self.locate(abs);
        let mut names = match self.tree(&loc) {
            Some((tree, p)) => tree.children(&p),
            None => Vec::new(),
        };
        for m in self.mounts {
            if parent(&m.path) == abs && m.path != abs {
                names.push(basename(&m.path).to_string());
            }
        }
        names.sort();
        names.dedup();
        Ok(names)
    }

    fn is_mount_point(&self, abs: &str) -> bool {
        self.mounts.iter().any(|m| m.path == abs)
    }

    pub fn remove(&mut self, abs: &str, recursive: bool) -> Result<(), FsError> {
        if self.is_mount_point(abs) {
            return Err(FsError::Busy);
        }
        match self.kind(abs) {
            None => return Err(FsError::NotFound),
            Some(Kind::Dir) if !recursive => return Err(FsError::IsDir),
            _ => {}
        }
        let loc = self.locate(abs);
        let (tree, p) = self.tree_mut(&loc)?;
        tree.remove_subtree(&p);
        Ok(())
    }

    pub fn rmdir(&mut self, abs: &str) -> Result<(), FsError> {
        match self.kind(abs) {
            None => return Err(FsError::NotFound),
            Some(Kind::File) => return Err(FsError::NotDir),
            Some(Kind::Dir) => {}
        }
        if !self.list(abs)?.is_empty() {
            return Err(FsError::NotEmpty);
        }
        self.remove(abs, true)
    }

    /// Copy (or with `remove_source`, move) a file or directory tree.
    pub fn copy(&mut self, from: &str, to: &str, remove_source: bool) -> Result<(), FsError> {
        let loc = self.locate(from);
        let entries = match self.tree(&loc) {
            Some((tree, p)) => {
                if tree.get(&p).is_none() {
                    return Err(FsError::NotFound);
                }
                tree.subtree(&p)
                    .into_iter()
                    .map(|(k, v)| (k[p.len()..].to_string(), v))
                    .collect::<Vec<_>>()
            }
            None => return Err(FsError::NotFound),
        };
        if matches!(self.kind(to), Some(Kind::Dir))
            && entries.len() == 1
            && matches!(entries[0].1, Node::File { .. })
        {
            return Err(FsError::IsDir);
        }
        self.parent_ok(to)?;
        if remove_source {
            self.remove(from, true)?;
        }
        let loc_to = self.locate(to);
        let (tree, base) = self.tree_mut(&loc_to)?;
        tree.remove_subtree(&base);
        for (rel, node) in entries {
            let p = normalize("/", &format!("{base}/{rel}"));
            tree.nodes.insert(p, node);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_collapses_dots_and_slashes() {
        assert_eq!(
            normalize("/usr/share", "nginx//html/./a/../index.html"),
            "/usr/share/nginx/html/index.html"
        );
        assert_eq!(normalize("/", ".."), "/");
        assert_eq!(normalize("/tmp", "/etc/hosts"), "/etc/hosts");
    }

    #[test]
    fn a_mount_shadows_the_image_files_below_it() {
        let mut root = Tree::new();
        root.put_file("/usr/share/nginx/html/index.html", "hi", false);
        let mut vols = BTreeMap::new();
        vols.insert(
            "web".to_string(),
            crate::pod::Volume::new(crate::pod::VolumeSource::EmptyDir),
        );
        let mounts = vec![MountPoint {
            path: "/usr/share/nginx/html".into(),
            volume: "web".into(),
            sub_path: None,
            read_only: false,
        }];
        let mut f = Files {
            root: &mut root,
            mounts: &mounts,
            volumes: &mut vols,
        };
        assert_eq!(
            f.read("/usr/share/nginx/html/index.html"),
            Err(FsError::NotFound)
        );
        f.write("/usr/share/nginx/html/index.html", "vol", false)
            .unwrap();
        assert_eq!(
            vols["web"].files.tree.get("/index.html"),
            Some(&Node::File {
                data: "vol".into(),
                exec: false
            })
        );
    }
}
