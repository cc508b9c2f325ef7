//! Images: reference normalisation as containerd does it, the catalog (data/images.yaml) and
//! what a registry pull of a name gives.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use podplay_api::time::Millis;
use serde::Deserialize;

use crate::fs::{program_file, Node};
use crate::signal::Signal;

const CATALOG_YAML: &str = include_str!("../data/images.yaml");

/// What a program without a handler does on SIGTERM, for generic images.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub(crate) enum OnTerm {
    Exit0,
    #[default]
    Exit143,
    Ignore,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
struct RawVariant {
    tags: Vec<String>,
    size: Option<u64>,
    musl: Option<bool>,
    gnu: Option<bool>,
    legacy_nslookup: Option<bool>,
    bins: Option<BTreeMap<String, Vec<String>>>,
    version: Option<String>,
    /// Files this variant adds to (or replaces in) the image.
    files: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
struct RawImage {
    name: String,
    /// Other repositories that resolve to this image (an image a tutorial loaded locally under a
    /// short name, like `myapp:v1` for ikubernetes/myapp).
    #[serde(default)]
    aliases: Vec<String>,
    tags: Vec<String>,
    size: u64,
    version: String,
    tag_is_version: bool,
    entrypoint: Vec<String>,
    cmd: Vec<String>,
    stop_signal: Option<String>,
    workdir: Option<String>,
    env: BTreeMap<String, String>,
    memory: u64,
    musl: bool,
    gnu: bool,
    legacy_nslookup: bool,
    ports: Vec<u16>,
    http: Option<bool>,
    http_body: String,
    /// CPU-milliseconds one served request costs (default 2).
    request_cpu: Option<u64>,
    sigterm: OnTerm,
    bins: BTreeMap<String, Vec<String>>,
    programs: BTreeMap<String, String>,
    files: BTreeMap<String, String>,
    file_sets: Vec<String>,
    variants: Vec<RawVariant>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
struct RawCatalog {
    toolsets: BTreeMap<String, Vec<String>>,
    file_sets: BTreeMap<String, BTreeMap<String, String>>,
    images: Vec<RawImage>,
}

/// The image catalog: which repositories and tags exist, and what each image contains.
#[derive(Debug)]
pub struct Catalog {
    raw: RawCatalog,
}

/// Why a pull failed, as the kubelet reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullError {
    /// `ErrImagePull` or `InvalidImageName`.
    pub reason: &'static str,
    /// The runtime's error text (containerd's words), or the kubelet's for a bad name.
    pub message: String,
}

#[derive(Debug)]
pub(crate) struct ImageDef {
    pub reference: String,
    pub repo: String,
    #[allow(dead_code)]
    pub tag: String,
    pub size: u64,
    pub version: String,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub stop_signal: Signal,
    pub workdir: String,
    pub env: Vec<(String, String)>,
    pub memory: u64,
    pub musl: bool,
    pub gnu: bool,
    pub legacy_nslookup: bool,
    pub ports: Vec<u16>,
    pub http: bool,
    pub http_body: String,
    pub request_cpu: u64,
    pub sigterm: OnTerm,
    pub files: Vec<(String, Node)>,
}

/// What a served request costs when the catalog does not say (a static page from nginx).
pub const DEFAULT_REQUEST_CPU: u64 = 2;

/// A pulled image. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Image {
    pub(crate) def: Arc<ImageDef>,
}

impl Image {
    /// Normalised reference, e.g. `docker.io/library/nginx:1.27`.
    pub fn reference(&self) -> &str {
        &self.def.reference
    }
    /// Compressed size: drives pull time and the `Pulled` event's "Image size".
    pub fn size_bytes(&self) -> u64 {
        self.def.size
    }
    /// Deterministic pull time: 300 ms plus the size at 10 MB/s (an [env] value in reality).
    pub fn pull_millis(&self) -> Millis {
        300 + (self.def.size / 10_000) as Millis
    }
    /// The image's STOPSIGNAL (nginx: SIGQUIT).
    pub fn stop_signal(&self) -> Signal {
        self.def.stop_signal
    }
    /// `docker.io/library/nginx@sha256:<64 hex>`, derived from the reference so runs agree.
    pub fn image_id(&self) -> String {
        format!(
            "{}@sha256:{}",
            self.def.repo,
            digest_hex(&self.def.reference)
        )
    }
    pub fn entrypoint(&self) -> &[String] {
        &self.def.entrypoint
    }
    pub fn cmd(&self) -> &[String] {
        &self.def.cmd
    }
    /// Resident memory of the image's program when idle.
    pub fn baseline_memory(&self) -> u64 {
        self.def.memory
    }
    /// CPU-milliseconds one served request costs: the usage model's millicores per request
    /// per second (catalog `request_cpu`).
    pub fn request_cpu(&self) -> u64 {
        self.def.request_cpu
    }
    /// Ports the image's default program listens on.
    pub fn ports(&self) -> Vec<u16> {
        self.def.ports.clone()
    }

    pub(crate) fn gnu(&self) -> bool {
        self.def.gnu
    }
    pub(crate) fn musl(&self) -> bool {
        self.def.musl
    }
    pub(crate) fn legacy_nslookup(&self) -> bool {
        self.def.legacy_nslookup
    }
    pub(crate) fn version(&self) -> String {
        self.def.version.clone()
    }
    pub(crate) fn speaks_http(&self) -> bool {
        self.def.http
    }
    pub(crate) fn http_body(&self) -> String {
        self.def.http_body.clone()
    }
    pub(crate) fn sigterm(&self) -> OnTerm {
        self.def.sigterm
    }
}

/// 64 hex digits from a string (FNV-1a seeded splitmix): stable across platforms.
fn digest_hex(s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = String::new();
    for _ in 0..4 {
        h = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = h;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        out.push_str(&format!("{z:016x}"));
    }
    out
}

/// A parsed image reference: registry domain, repository path, tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ref {
    pub domain: String,
    pub path: String,
    #[allow(dead_code)]
    pub tag: String,
}

impl Ref {
    pub fn repo(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }
    pub fn full(&self) -> String {
        format!("{}/{}:{}", self.domain, self.path, self.tag)
    }
}

fn valid_component(c: &str) -> bool {
    !c.is_empty()
        && c.starts_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
        && c.ends_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
        && c.chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || "._-".contains(ch))
}

/// Normalise like `reference.ParseNormalizedNamed` + `TagNameOnly`. Err = the parse error text.
pub(crate) fn parse_ref(image: &str) -> Result<Ref, String> {
    let (name, _digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last_slash = name.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (name, tag) = match name[last_slash..].rfind(':') {
        Some(i) => (
            &name[..last_slash + i],
            name[last_slash + i + 1..].to_string(),
        ),
        None => (name, "latest".to_string()),
    };
    if name.is_empty() {
        return Err("invalid reference format".into());
    }
    let (domain, rest) = match name.split_once('/') {
        Some((d, r)) if d.contains('.') || d.contains(':') || d == "localhost" => {
            (d.to_string(), r.to_string())
        }
        _ => ("docker.io".to_string(), name.to_string()),
    };
    let domain = if domain == "index.docker.io" {
        "docker.io".to_string()
    } else {
        domain
    };
    let path = if domain == "docker.io" && !rest.contains('/') {
        format!("library/{rest}")
    } else {
        rest
    };
    if path.to_lowercase() != path {
        return Err(format!(
            "invalid reference format: repository name ({path}) must be lowercase"
        ));
    }
    if !path.split('/').all(valid_component) {
        return Err("invalid reference format".into());
    }
    let tag_ok = !tag.is_empty()
        && tag.len() <= 128
        && tag.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    if !tag_ok {
        return Err("invalid reference format".into());
    }
    Ok(Ref { domain, path, tag })
}

fn glob(pat: &str, s: &str) -> bool {
    crate::shell::vm::glob_match(pat, s)
}

/// Registries whose repositories we know all of; an unknown repository there does not exist.
const PUBLIC_REGISTRIES: &[&str] = &[
    "docker.io",
    "registry.k8s.io",
    "k8s.gcr.io",
    "gcr.io",
    "quay.io",
    "ghcr.io",
    "mcr.microsoft.com",
    "public.ecr.aws",
];

impl Catalog {
    /// Parse a catalog text (the bundled one is `data/images.yaml`).
    pub fn parse(text: &str) -> Result<Catalog, String> {
        let raw: RawCatalog = podplay_api::yaml::from_str(text).map_err(|e| format!("{e:?}"))?;
        Ok(Catalog { raw })
    }

    /// The bundled catalog, parsed once. A unit test guarantees the bundled file parses.
    pub fn builtin() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| match Catalog::parse(CATALOG_YAML) {
            Ok(c) => c,
            Err(e) => panic!("bundled data/images.yaml is broken: {e}"),
        })
    }

    /// Every repository the catalog knows (normalised names).
    pub fn repositories(&self) -> Vec<String> {
        self.raw.images.iter().map(|i| i.name.clone()).collect()
    }

    /// What a registry pull of `image` would do.
    pub fn pull(&self, image: &str) -> Result<Image, PullError> {
        let r = parse_ref(image).map_err(|e| PullError {
            reason: "InvalidImageName",
            message: format!("Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": {e}"),
        })?;
        let full = r.full();
        let not_found = || {
            PullError {
            reason: "ErrImagePull",
            message: format!("rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found"),
        }
        };
        let repo = r.repo();
        match self
            .raw
            .images
            .iter()
            .find(|i| i.name == repo || i.aliases.contains(&repo))
        {
            Some(raw) => {
                if !raw.tags.iter().any(|p| glob(p, &r.tag)) {
                    return Err(not_found());
                }
                Ok(self.build(raw, &r))
            }
            None if PUBLIC_REGISTRIES.contains(&r.domain.as_str()) => {
                if r.domain == "docker.io" {
                    Err(PullError {
                        reason: "ErrImagePull",
                        message: format!("rpc error: code = Unknown desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"),
                    })
                } else {
                    Err(not_found())
                }
            }
            None => {
                // A private registry we cannot see into: assume the image exists and runs a server.
                let generic = self
                    .raw
                    .images
                    .iter()
                    .find(|i| i.name == "podplay/generic-server");
                match generic {
                    Some(g) => Ok(self.build(g, &r)),
                    None => Err(not_found()),
                }
            }
        }
    }

    fn build(&self, raw: &RawImage, r: &Ref) -> Image {
        // Every variant whose tags match applies, in file order (later ones win).
        let matching: Vec<&RawVariant> = raw
            .variants
            .iter()
            .filter(|v| v.tags.iter().any(|p| glob(p, &r.tag)))
            .collect();
        let mut bins = raw.bins.clone();
        let mut size = raw.size;
        let mut musl = raw.musl;
        let mut gnu = raw.gnu;
        let mut legacy = raw.legacy_nslookup;
        let mut version = raw.version.clone();
        for v in &matching {
            if let Some(b) = &v.bins {
                bins = b.clone();
            }
            size = v.size.unwrap_or(size);
            musl = v.musl.unwrap_or(musl);
            gnu = v.gnu.unwrap_or(gnu);
            legacy = v.legacy_nslookup.unwrap_or(legacy);
            version = v.version.clone().unwrap_or(version);
        }
        if raw.tag_is_version && r.tag.starts_with(|c: char| c.is_ascii_digit()) {
            let numeric: String = r
                .tag
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            let numeric = numeric.trim_end_matches('.').to_string();
            version = match numeric.matches('.').count() {
                0 => format!("{numeric}.0.0"),
                1 => format!("{numeric}.0"),
                _ => numeric,
            };
        }
        let mut files: Vec<(String, Node)> = Vec::new();
        for (dir, names) in &bins {
            for n in names {
                let list: Vec<String> = match n.strip_prefix("toolset:") {
                    Some(set) => self.raw.toolsets.get(set).cloned().unwrap_or_default(),
                    None => vec![n.clone()],
                };
                for prog in list {
                    files.push((
                        format!("{}/{}", dir.trim_end_matches('/'), prog),
                        program_file(&prog),
                    ));
                }
            }
        }
        for (path, prog) in &raw.programs {
            files.push((path.clone(), program_file(prog)));
        }
        for set in &raw.file_sets {
            if let Some(fs) = self.raw.file_sets.get(set) {
                for (p, d) in fs {
                    files.push((
                        p.clone(),
                        Node::File {
                            data: d.clone(),
                            exec: false,
                        },
                    ));
                }
            }
        }
        for (p, d) in raw
            .files
            .iter()
            .chain(matching.iter().flat_map(|v| v.files.iter()))
        {
            files.push((
                p.clone(),
                Node::File {
                    data: d.clone(),
                    exec: false,
                },
            ));
        }
        let env: Vec<(String, String)> = raw
            .env
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let env = if env.iter().any(|(k, _)| k == "PATH") {
            env
        } else {
            let mut e = vec![("PATH".to_string(), crate::cmds::DEFAULT_PATH.to_string())];
            e.extend(env);
            e
        };
        Image {
            def: Arc::new(ImageDef {
                reference: r.full(),
                repo: r.repo(),
                tag: r.tag.clone(),
                size,
                version,
                entrypoint: raw.entrypoint.clone(),
                cmd: raw.cmd.clone(),
                stop_signal: raw
                    .stop_signal
                    .as_deref()
                    .and_then(Signal::parse)
                    .unwrap_or(Signal::Term),
                workdir: raw.workdir.clone().unwrap_or_else(|| "/".into()),
                env,
                memory: raw.memory,
                musl,
                gnu,
                legacy_nslookup: legacy,
                ports: raw.ports.clone(),
                http: raw.http.unwrap_or(true),
                http_body: raw.http_body.clone(),
                request_cpu: raw.request_cpu.unwrap_or(DEFAULT_REQUEST_CPU),
                sigterm: raw.sigterm,
                files,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_normalise_like_containerd() {
        assert_eq!(
            parse_ref("nginx").map(|r| r.full()),
            Ok("docker.io/library/nginx:latest".to_string())
        );
        assert_eq!(
            parse_ref("luksa/kiada:0.2").map(|r| r.full()),
            Ok("docker.io/luksa/kiada:0.2".to_string())
        );
        assert_eq!(
            parse_ref("registry.k8s.io/e2e-test-images/agnhost:2.40").map(|r| r.repo()),
            Ok("registry.k8s.io/e2e-test-images/agnhost".to_string())
        );
        assert_eq!(
            parse_ref("Nginx"),
            Err(
                "invalid reference format: repository name (library/Nginx) must be lowercase"
                    .to_string()
            )
        );
    }

    #[test]
    fn image_ids_are_stable_64_hex() {
        let h = digest_hex("docker.io/library/nginx:1.27");
        assert_eq!(h.len(), 64);
        assert_eq!(h, digest_hex("docker.io/library/nginx:1.27"));
    }
}
