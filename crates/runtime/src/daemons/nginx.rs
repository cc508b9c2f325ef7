//! nginx: configuration from `/etc/nginx/conf.d/*.conf` (re-read on reload), static files,
//! nginx's own error pages, access and error log lines in the official image's format.

use podplay_api::time::{DateTime, Millis};

use crate::fs::{self, Kind};
use crate::net::{ip_string, HttpRequest, HttpResponse, Ip};
use crate::process::Sys;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Location {
    exact: bool,
    path: String,
    root: Option<String>,
    alias: Option<String>,
    index: Option<Vec<String>>,
    ret: Option<(u16, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Server {
    pub listen: Vec<u16>,
    root: Option<String>,
    index: Vec<String>,
    locations: Vec<Location>,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Conf {
    pub servers: Vec<Server>,
}

impl Conf {
    pub fn ports(&self) -> Vec<u16> {
        let mut p: Vec<u16> = self
            .servers
            .iter()
            .flat_map(|s| s.listen.iter().copied())
            .collect();
        p.sort();
        p.dedup();
        p
    }
}

fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = match line.find('#') {
            Some(i) => &line[..i],
            None => line,
        };
        let mut cur = String::new();
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match quote {
                Some(q) if c == q => {
                    quote = None;
                    out.push(std::mem::take(&mut cur));
                }
                Some(_) => cur.push(c),
                None => match c {
                    '\'' | '"' => quote = Some(c),
                    ';' | '{' | '}' => {
                        if !cur.is_empty() {
                            out.push(std::mem::take(&mut cur));
                        }
                        out.push(c.to_string());
                    }
                    c if c.is_whitespace() => {
                        if !cur.is_empty() {
                            out.push(std::mem::take(&mut cur));
                        }
                    }
                    c => cur.push(c),
                },
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// The listen port of a `listen` directive's address; IPv6-only listeners do not serve the
/// pod's IPv4 address, so `[::]:80` is skipped (the seeds' `sed` to 81 leaves it behind).
fn listen_port(arg: &str) -> Option<u16> {
    if arg.starts_with('[') {
        return None;
    }
    let port = arg.rsplit(':').next()?;
    port.parse().ok()
}

/// Parse `server { ... }` blocks. Returns Err(message) for unbalanced braces.
pub(crate) fn parse_conf(text: &str) -> Result<Conf, String> {
    let t = tokens(text);
    let mut conf = Conf::default();
    let mut i = 0;
    let mut depth = 0i32;
    while i < t.len() {
        match t[i].as_str() {
            "server" if t.get(i + 1).map(String::as_str) == Some("{") => {
                i += 2;
                let mut s = Server {
                    listen: Vec::new(),
                    root: None,
                    index: vec!["index.html".into()],
                    locations: Vec::new(),
                    name: "localhost".into(),
                };
                let mut explicit_listen = false;
                while i < t.len() && t[i] != "}" {
                    let d = t[i].clone();
                    if d == "location" {
                        let (exact, path, body_at) =
                            if t.get(i + 1).map(String::as_str) == Some("=") {
                                (true, t.get(i + 2).cloned().unwrap_or_default(), i + 3)
                            } else {
                                (false, t.get(i + 1).cloned().unwrap_or_default(), i + 2)
                            };
                        if t.get(body_at).map(String::as_str) != Some("{") {
                            return Err("unexpected \"location\"".into());
                        }
                        i = body_at + 1;
                        let mut loc = Location {
                            exact,
                            path,
                            root: None,
                            alias: None,
                            index: None,
                            ret: None,
                        };
                        let mut ld = 0;
                        while i < t.len() && !(t[i] == "}" && ld == 0) {
                            if t[i] == "{" {
                                ld += 1;
                            } else if t[i] == "}" {
                                ld -= 1;
                            }
                            let args = directive_args(&t, i);
                            match t[i].as_str() {
                                "root" => loc.root = args.first().cloned(),
                                "alias" => loc.alias = args.first().cloned(),
                                "index" => loc.index = Some(args.clone()),
                                "return" => {
                                    let code =
                                        args.first().and_then(|c| c.parse().ok()).unwrap_or(200);
                                    loc.ret =
                                        Some((code, args.get(1).cloned().unwrap_or_default()));
                                }
                                _ => {}
                            }
                            i += 1;
                        }
                        if !(loc.path.starts_with('~') || loc.path.starts_with('@')) {
                            s.locations.push(loc);
                        }
                        i += 1;
                        continue;
                    }
                    let args = directive_args(&t, i);
                    match d.as_str() {
                        "listen" => {
                            explicit_listen = true;
                            if let Some(p) = args.first().and_then(|a| listen_port(a)) {
                                s.listen.push(p);
                            }
                        }
                        "root" => s.root = args.first().cloned(),
                        "index" => s.index = args.clone(),
                        "server_name" => s.name = args.first().cloned().unwrap_or_default(),
                        _ => {}
                    }
                    i += 1;
                    while i < t.len() && t[i] != ";" && t[i] != "}" && t[i] != "{" {
                        i += 1;
                    }
                    if i < t.len() && t[i] == ";" {
                        i += 1;
                    }
                }
                if !explicit_listen {
                    s.listen.push(80);
                }
                if i >= t.len() {
                    return Err("unexpected end of file, expecting \"}\"".into());
                }
                conf.servers.push(s);
                i += 1;
            }
            "{" => {
                depth += 1;
                i += 1;
            }
            "}" => {
                depth -= 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    if depth != 0 {
        return Err("unexpected end of file, expecting \"}\"".into());
    }
    Ok(conf)
}

fn directive_args(t: &[String], i: usize) -> Vec<String> {
    t[i + 1..]
        .iter()
        .take_while(|x| !matches!(x.as_str(), ";" | "{" | "}"))
        .cloned()
        .collect()
}

/// Read every `/etc/nginx/conf.d/*.conf` in name order.
pub(crate) fn load(sys: &mut Sys) -> Result<Conf, String> {
    let dir = "/etc/nginx/conf.d";
    let names = sys.files().list(dir).unwrap_or_default();
    let mut conf = Conf::default();
    for n in names.into_iter().filter(|n| n.ends_with(".conf")) {
        let text = sys.files().read(&format!("{dir}/{n}")).unwrap_or_default();
        let c = parse_conf(&text).map_err(|e| format!("{e} in {dir}/{n}"))?;
        conf.servers.extend(c.servers);
    }
    Ok(conf)
}

pub(crate) fn stamp(now: Millis) -> String {
    let d = DateTime::at(now);
    format!(
        "{:04}/{:02}/{:02} {:02}:{:02}:{:02}",
        d.year, d.month, d.day, d.hour, d.minute, d.second
    )
}

fn error_page(status: u16, reason: &str, version: &str) -> String {
    format!("<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx/{version}</center>\r\n</body>\r\n</html>\r\n")
}

fn prefix_root(root: &str) -> String {
    if root.starts_with('/') {
        root.to_string()
    } else {
        format!("/usr/share/nginx/{root}")
    }
}

/// Serve one request. `log` receives the error-log and access-log lines.
#[allow(clippy::too_many_arguments)]
pub(crate) fn serve(
    conf: &Conf,
    version: &str,
    worker: u32,
    conn: u64,
    port: u16,
    req: &HttpRequest,
    from: Ip,
    sys: &mut Sys,
    log: &mut String,
) -> Option<HttpResponse> {
    let server = conf.servers.iter().find(|s| s.listen.contains(&port))?;
    let uri = req.path.split('?').next().unwrap_or("/").to_string();
    let request_line = format!("{} {} HTTP/1.1", req.method, req.path);
    let now = sys.now;
    let err_line = |what: String| {
        format!(
            "{} [error] {worker}#{worker}: *{conn} {what}, client: {}, server: {}, request: \"{request_line}\", host: \"{}\"\n",
            stamp(now),
            ip_string(from),
            server.name,
            req.host
        )
    };
    let loc = server
        .locations
        .iter()
        .find(|l| l.exact && l.path == uri)
        .or_else(|| {
            server
                .locations
                .iter()
                .filter(|l| !l.exact && uri.starts_with(&l.path))
                .max_by_key(|l| l.path.len())
        });
    let mut resp;
    if let Some((code, text)) = loc.and_then(|l| l.ret.clone()) {
        resp = HttpResponse::new(code, text);
    } else {
        let (file, index) = match loc {
            Some(l) if l.alias.is_some() => {
                let alias = l.alias.clone().unwrap_or_default();
                (
                    format!("{alias}{}", &uri[l.path.len().min(uri.len())..]),
                    l.index.clone().unwrap_or(server.index.clone()),
                )
            }
            Some(l) => {
                let root = l
                    .root
                    .clone()
                    .or(server.root.clone())
                    .unwrap_or_else(|| "html".into());
                (
                    format!("{}{uri}", prefix_root(&root)),
                    l.index.clone().unwrap_or(server.index.clone()),
                )
            }
            None => {
                let root = server.root.clone().unwrap_or_else(|| "html".into());
                (format!("{}{uri}", prefix_root(&root)), server.index.clone())
            }
        };
        let abs = fs::normalize("/", &file);
        let kind = sys.files().kind(&abs);
        if uri.ends_with('/') {
            let found = index
                .iter()
                .map(|i| fs::normalize(&abs, i))
                .find(|p| sys.files().kind(p) == Some(Kind::File));
            match (found, kind) {
                (Some(p), _) => {
                    resp = HttpResponse::new(200, sys.files().read(&p).unwrap_or_default())
                }
                (None, Some(Kind::Dir)) => {
                    log.push_str(&err_line(format!(
                        "directory index of \"{file}\" is forbidden"
                    )));
                    resp = HttpResponse::new(403, error_page(403, "Forbidden", version));
                }
                (None, _) => {
                    let first = index.first().cloned().unwrap_or_default();
                    log.push_str(&err_line(format!(
                        "\"{file}{first}\" is not found (2: No such file or directory)"
                    )));
                    resp = HttpResponse::new(404, error_page(404, "Not Found", version));
                }
            }
        } else {
            match kind {
                Some(Kind::File) => {
                    resp = HttpResponse::new(200, sys.files().read(&abs).unwrap_or_default())
                }
                Some(Kind::Dir) => {
                    resp = HttpResponse::new(301, error_page(301, "Moved Permanently", version))
                        .with_header("Location", format!("http://{}{uri}/", req.host));
                }
                None => {
                    log.push_str(&err_line(format!(
                        "open() \"{file}\" failed (2: No such file or directory)"
                    )));
                    resp = HttpResponse::new(404, error_page(404, "Not Found", version));
                }
            }
        }
    }
    let d = DateTime::at(now);
    let date = d.rfc1123z().replace("+0000", "GMT");
    let len = resp.body.len();
    let mut headers = vec![
        ("Server".to_string(), format!("nginx/{version}")),
        ("Date".to_string(), date),
        ("Content-Type".to_string(), "text/html".to_string()),
        ("Content-Length".to_string(), len.to_string()),
        ("Connection".to_string(), "keep-alive".to_string()),
    ];
    headers.append(&mut resp.headers);
    resp.headers = headers;
    let sent = if req.method == "HEAD" { 0 } else { len };
    let ua = if req.user_agent.is_empty() {
        "-".to_string()
    } else {
        req.user_agent.clone()
    };
    // The access line is kept as a value and formatted when the log is read (a probe per
    // container every few seconds adds up).
    *sys.access = Some(crate::container::AccessLine {
        request_line,
        status: resp.status,
        sent,
        user_agent: ua,
    });
    if req.method == "HEAD" {
        resp.body.clear();
    }
    Some(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_conf_listens_on_80_and_ignores_the_ipv6_line() {
        let c = parse_conf("server {\n    listen       81;\n    listen  [::]:80;\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n").unwrap();
        assert_eq!(c.ports(), vec![81]);
    }
}
