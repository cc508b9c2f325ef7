//! Network applets: nslookup, wget, curl, nc, redis-cli. They reach this container's own
//! servers directly (localhost), and everything else through the engine's `World`.

use super::{CmdOut, Ctx};
use crate::net::{
    ip_string, is_loopback, parse_ip, reason_phrase, HttpRequest, HttpResponse, Ip, NetError,
};
use crate::process::Sys;

/// Resolve a host name as the container's resolver would: IP literals, localhost, cluster DNS.
pub(crate) fn resolve(sys: &mut Sys, host: &str) -> Option<Ip> {
    if let Some(ip) = parse_ip(host) {
        return Some(ip);
    }
    if host == "localhost" || host == "localhost.localdomain" {
        return Some(crate::net::LOCALHOST);
    }
    if host == sys.pod.hostname || host == sys.pod.pod_name {
        return Some(sys.pod.ip);
    }
    let ns = sys.pod.namespace.clone();
    sys.world.resolve(host.trim_end_matches('.'), &ns)
}

/// Send an HTTP request: to a server of this very container without leaving it, else via the World.
pub(crate) fn http(
    sys: &mut Sys,
    ip: Ip,
    port: u16,
    req: &HttpRequest,
) -> Result<HttpResponse, NetError> {
    // A Service address is translated first: its endpoint may be this very container.
    let (ip, port) = if is_loopback(ip) || ip == sys.pod.ip {
        (ip, port)
    } else {
        sys.world.dnat(ip, port)?
    };
    let own = is_loopback(ip) || ip == sys.pod.ip;
    if own {
        if let Some(r) = crate::daemons::serve_local(sys, port, req, sys.pod.ip) {
            return Ok(r);
        }
        if is_loopback(ip) && !sys.pod.listeners.contains_key(&port) {
            return Err(NetError::Refused);
        }
    }
    let to = if is_loopback(ip) { sys.pod.ip } else { ip };
    let from = sys.pod.ip;
    let now = sys.now;
    sys.world.http(from, to, port, req, now)
}

pub(crate) fn tcp(sys: &mut Sys, ip: Ip, port: u16) -> Result<(), NetError> {
    let (ip, port) = if is_loopback(ip) || ip == sys.pod.ip {
        (ip, port)
    } else {
        sys.world.dnat(ip, port)?
    };
    let own = is_loopback(ip) || ip == sys.pod.ip;
    if own && crate::daemons::listens_local(sys, port) {
        return Ok(());
    }
    if is_loopback(ip) && !sys.pod.listeners.contains_key(&port) {
        return Err(NetError::Refused);
    }
    let to = if is_loopback(ip) { sys.pod.ip } else { ip };
    let from = sys.pod.ip;
    let now = sys.now;
    sys.world.tcp_connect(from, to, port, now)
}

pub(crate) struct Url {
    pub host: String,
    pub port: u16,
    pub path: String,
    pub https: bool,
}

pub(crate) fn parse_url(u: &str) -> Option<Url> {
    let (https, rest) = if let Some(r) = u.strip_prefix("http://") {
        (false, r)
    } else if let Some(r) = u.strip_prefix("https://") {
        (true, r)
    } else if u.contains("://") {
        return None;
    } else {
        (false, u)
    };
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse().ok()?),
        None => (hostport.to_string(), if https { 443 } else { 80 }),
    };
    if host.is_empty() {
        return None;
    }
    Some(Url {
        host,
        port,
        path,
        https,
    })
}

fn host_header(url: &Url) -> String {
    if url.port == 80 || url.port == 443 {
        url.host.clone()
    } else {
        format!("{}:{}", url.host, url.port)
    }
}

/// busybox nslookup. Busybox before 1.29 printed `Address 1:` lines; later ones print the
/// BIND-like format. Which one an image has is catalog data.
pub(super) fn nslookup(args: &[String], sys: &mut Sys) -> CmdOut {
    let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let Some(name) = names.first().map(|s| s.to_string()) else {
        return CmdOut::fail(
            1,
            "BusyBox v1.36.1 multi-call binary.\n\nUsage: nslookup HOST [DNS_SERVER]\n".into(),
        );
    };
    let dns = ip_string(sys.pod.dns_server);
    let legacy = sys.image.legacy_nslookup();
    let ns = sys.pod.namespace.clone();
    let all: Vec<Ip> = if let Some(ip) = parse_ip(&name) {
        vec![ip]
    } else {
        sys.world.resolve_all(name.trim_end_matches('.'), &ns)
    };
    let found = all.first().copied();
    let fqdn = if name.contains('.') || parse_ip(&name).is_some() {
        name.clone()
    } else {
        format!("{name}.{ns}.svc.cluster.local")
    };
    if legacy {
        let head = format!(
            "Server:    {dns}\nAddress 1: {dns} kube-dns.kube-system.svc.cluster.local\n\n"
        );
        match found {
            Some(ip) if all.len() == 1 => CmdOut::ok(format!(
                "{head}Name:      {fqdn}\nAddress 1: {} {fqdn}\n",
                ip_string(ip)
            )),
            Some(_) => {
                // Several A records (a headless Service): each address with its reverse name.
                let mut out = format!("{head}Name:      {fqdn}\n");
                for (i, ip) in all.iter().enumerate() {
                    let ptr = sys.world.ptr(*ip).unwrap_or_else(|| fqdn.clone());
                    out.push_str(&format!("Address {}: {} {ptr}\n", i + 1, ip_string(*ip)));
                }
                CmdOut::ok(out)
            }
            None => CmdOut {
                status: 1,
                out: head,
                err: format!("nslookup: can't resolve '{name}'\n"),
                then: super::Then::Done,
            },
        }
    } else {
        let head = format!("Server:\t\t{dns}\nAddress:\t{dns}:53\n\n");
        match found {
            Some(_) => {
                let mut out = head;
                for ip in &all {
                    out.push_str(&format!("Name:\t{fqdn}\nAddress: {}\n", ip_string(*ip)));
                }
                out.push('\n');
                CmdOut::ok(out)
            }
            None => CmdOut {
                status: 1,
                out: head,
                err: format!("** server can't find {name}: NXDOMAIN\n\n** server can't find {name}: NXDOMAIN\n\n"),
                then: super::Then::Done,
            },
        }
    }
}

/// busybox wget: `-q`, `-O file|-`, `-O-`, `--spider`, `-T secs`, `-S`.
pub(super) fn wget(args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let mut quiet = false;
    let mut output: Option<String> = None;
    let mut spider = false;
    let mut url: Option<String> = None;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "-q" | "--quiet" => quiet = true,
            "-O" | "--output-document" => {
                output = args.get(i + 1).cloned();
                i += 1;
            }
            "--spider" => spider = true,
            "-T" | "--timeout" | "-U" | "--header" | "--user-agent" => i += 1,
            s if s.starts_with("-qO") => {
                quiet = true;
                output = Some(s[3..].to_string());
            }
            s if s.starts_with("-O") => output = Some(s[2..].to_string()),
            s if s.starts_with("--timeout=")
                || s.starts_with("-T")
                || s == "-S"
                || s == "-s"
                || s == "-c" => {}
            s if s.starts_with('-') && s.len() > 1 && s[1..].chars().all(|c| "qSc".contains(c)) => {
                quiet |= s.contains('q')
            }
            s => url = Some(s.to_string()),
        }
        i += 1;
    }
    let Some(raw) = url else {
        return CmdOut::fail(1, "BusyBox v1.36.1 multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n".into());
    };
    let Some(u) = parse_url(&raw) else {
        return CmdOut::fail(1, format!("wget: not an http or ftp url: {raw}\n"));
    };
    let mut out = CmdOut::ok(String::new());
    let Some(ip) = resolve(sys, &u.host) else {
        return CmdOut::fail(1, format!("wget: bad address '{}'\n", u.host));
    };
    if !quiet {
        out.err.push_str(&format!(
            "Connecting to {} ({}:{})\n",
            host_header(&u),
            ip_string(ip),
            u.port
        ));
    }
    if u.https {
        out.status = 1;
        out.err.push_str("wget: note: TLS certificate validation not implemented\nwget: error getting response: Connection reset by peer\n");
        return out;
    }
    let req = HttpRequest {
        method: if spider { "HEAD".into() } else { "GET".into() },
        path: u.path.clone(),
        host: host_header(&u),
        headers: vec![("Accept".into(), "*/*".into())],
        user_agent: "Wget".into(),
    };
    match http(sys, ip, u.port, &req) {
        Err(e) => {
            out.status = 1;
            out.err.push_str(&match e {
                NetError::Refused => format!(
                    "wget: can't connect to remote host ({}): Connection refused\n",
                    ip_string(ip)
                ),
                NetError::NoRoute => format!(
                    "wget: can't connect to remote host ({}): Host is unreachable\n",
                    ip_string(ip)
                ),
                NetError::Timeout => "wget: download timed out\n".to_string(),
                NetError::Unresolved => format!("wget: bad address '{}'\n", u.host),
            });
        }
        Ok(r) if !(200..300).contains(&r.status) => {
            out.status = 1;
            out.err.push_str(&format!(
                "wget: server returned error: HTTP/1.1 {} {}\n",
                r.status,
                reason_phrase(r.status)
            ));
        }
        Ok(r) => {
            if spider {
                if !quiet {
                    out.err.push_str("remote file exists\n");
                }
                return out;
            }
            let target = output.unwrap_or_else(|| {
                let last = crate::fs::basename(u.path.split('?').next().unwrap_or("/"));
                if last.is_empty() {
                    "index.html".to_string()
                } else {
                    last.to_string()
                }
            });
            if target == "-" {
                out.out.push_str(&r.body);
            } else {
                if !quiet {
                    out.err.push_str(&format!("saving to '{target}'\n"));
                }
                if let Err(e) = sys.files().write(&ctx.abs(&target), &r.body, false) {
                    out.status = 1;
                    out.err
                        .push_str(&format!("wget: can't open '{target}': {}\n", e.strerror()));
                    return out;
                }
                if !quiet {
                    out.err.push_str(&format!(
                        "{target:<20} 100% |********************************| {:>5}  0:00:00 ETA\n'{target}' saved\n",
                        r.body.len()
                    ));
                }
            }
        }
    }
    out
}

/// curl: `-s`, `-S`, `-f`, `-X METHOD`, `-o FILE`, `-I`, `-i`, `-w '%{http_code}'`, `-H`, `-m`, `-L`, `-v`.
pub(super) fn curl(args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let mut silent = false;
    let mut show_err = false;
    let mut fail = false;
    let mut method: Option<String> = None;
    let mut output: Option<String> = None;
    let mut head = false;
    let mut include = false;
    let mut write_out: Option<String> = None;
    let mut headers = Vec::new();
    let mut url: Option<String> = None;
    let mut data: Option<String> = None;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let next = args.get(i + 1).cloned();
        match a.as_str() {
            "-X" | "--request" => {
                method = next;
                i += 1;
            }
            "-o" | "--output" => {
                output = next;
                i += 1;
            }
            "-w" | "--write-out" => {
                write_out = next;
                i += 1;
            }
            "-H" | "--header" => {
                if let Some((k, v)) = next.as_deref().and_then(|h| h.split_once(':')) {
                    headers.push((k.trim().to_string(), v.trim().to_string()));
                }
                i += 1;
            }
            "-d" | "--data" | "--data-raw" => {
                data = next;
                i += 1;
            }
            "-m" | "--max-time" | "--connect-timeout" | "-u" | "-A" | "--retry" => i += 1,
            "-I" | "--head" => head = true,
            "-i" | "--include" => include = true,
            "-s" | "--silent" => silent = true,
            "-S" | "--show-error" => show_err = true,
            "-f" | "--fail" => fail = true,
            s if s.starts_with("--") => {}
            s if s.starts_with('-') && s.len() > 1 => {
                silent |= s.contains('s');
                show_err |= s.contains('S');
                fail |= s.contains('f');
                head |= s.contains('I');
                include |= s.contains('i');
            }
            s => url = Some(s.to_string()),
        }
        i += 1;
    }
    let quiet_errors = silent && !show_err;
    let err = |code: i32, msg: String| -> CmdOut {
        CmdOut::fail(
            code,
            if quiet_errors {
                String::new()
            } else {
                format!("curl: ({code}) {msg}\n")
            },
        )
    };
    let Some(raw) = url else {
        return CmdOut::fail(
            2,
            "curl: try 'curl --help' or 'curl --manual' for more information\n".into(),
        );
    };
    let Some(u) = parse_url(&raw) else {
        return err(
            1,
            format!(
                "Protocol \"{}\" not supported",
                raw.split("://").next().unwrap_or("")
            ),
        );
    };
    let Some(ip) = resolve(sys, &u.host) else {
        return err(6, format!("Could not resolve host: {}", u.host));
    };
    let method = method.unwrap_or_else(|| {
        if head {
            "HEAD".into()
        } else if data.is_some() {
            "POST".into()
        } else {
            "GET".into()
        }
    });
    let req = HttpRequest {
        method,
        path: u.path.clone(),
        host: host_header(&u),
        headers: {
            let mut h = vec![("Accept".to_string(), "*/*".to_string())];
            h.extend(headers);
            h
        },
        user_agent: "curl/7.88.1".into(),
    };
    let resp = match http(sys, ip, u.port, &req) {
        Ok(r) => r,
        Err(NetError::Refused) => {
            return err(
                7,
                format!(
                    "Failed to connect to {} port {} after 0 ms: Connection refused",
                    u.host, u.port
                ),
            )
        }
        Err(NetError::NoRoute) => {
            return err(
                7,
                format!(
                    "Failed to connect to {} port {} after 0 ms: No route to host",
                    u.host, u.port
                ),
            )
        }
        Err(NetError::Timeout) => {
            return err(
                28,
                format!(
                    "Failed to connect to {} port {} after 10000 ms: Timeout was reached",
                    u.host, u.port
                ),
            )
        }
        Err(NetError::Unresolved) => return err(6, format!("Could not resolve host: {}", u.host)),
    };
    if fail && resp.status >= 400 {
        let mut o = err(
            22,
            format!("The requested URL returned error: {}", resp.status),
        );
        if let Some(w) = &write_out {
            o.out.push_str(
                &w.replace("%{http_code}", &resp.status.to_string())
                    .replace("\\n", "\n"),
            );
        }
        return o;
    }
    let mut body = String::new();
    if head || include {
        body.push_str(&format!(
            "HTTP/1.1 {} {}\r\n",
            resp.status,
            reason_phrase(resp.status)
        ));
        for (k, v) in &resp.headers {
            body.push_str(&format!("{k}: {v}\r\n"));
        }
        if !resp
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        {
            body.push_str(&format!("Content-Length: {}\r\n", resp.body.len()));
        }
        body.push_str("\r\n");
    }
    if !head {
        body.push_str(&resp.body);
    }
    let mut out = CmdOut::ok(String::new());
    match output.as_deref() {
        Some("-") | None => out.out.push_str(&body),
        Some(f) => {
            if let Err(e) = sys.files().write(&ctx.abs(f), &body, false) {
                return err(
                    23,
                    format!("Failure writing output to destination: {}", e.strerror()),
                );
            }
        }
    }
    if let Some(w) = write_out {
        out.out.push_str(
            &w.replace("%{http_code}", &resp.status.to_string())
                .replace("\\n", "\n"),
        );
    }
    out
}

/// busybox nc, port-check form: `nc -z [-v] [-w N] HOST PORT`.
pub(super) fn nc(args: &[String], sys: &mut Sys) -> CmdOut {
    let mut verbose = false;
    let mut pos = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "-w" || a == "-W" {
            i += 2;
            continue;
        }
        if a.starts_with('-') {
            verbose |= a.contains('v');
        } else {
            pos.push(a.clone());
        }
        i += 1;
    }
    let (Some(host), Some(port)) = (pos.first(), pos.get(1).and_then(|p| p.parse::<u16>().ok()))
    else {
        return CmdOut::fail(
            1,
            "BusyBox v1.36.1 multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\n"
                .into(),
        );
    };
    let Some(ip) = resolve(sys, host) else {
        return CmdOut::fail(1, format!("nc: bad address '{host}'\n"));
    };
    match tcp(sys, ip, port) {
        Ok(()) => CmdOut {
            status: 0,
            out: String::new(),
            err: if verbose {
                format!("{host} ({}:{port}) open\n", ip_string(ip))
            } else {
                String::new()
            },
            then: super::Then::Done,
        },
        Err(NetError::Timeout) => CmdOut::fail(
            1,
            if verbose {
                "nc: timed out\n".into()
            } else {
                String::new()
            },
        ),
        Err(_) => CmdOut::fail(
            1,
            if verbose {
                format!(
                    "nc: {host} ({}:{port}): Connection refused\n",
                    ip_string(ip)
                )
            } else {
                String::new()
            },
        ),
    }
}

/// redis-cli: `ping`, `quit`, `set`, `get`, `info` against a redis-server (`-h`, `-p`).
pub(super) fn redis_cli(args: &[String], sys: &mut Sys) -> CmdOut {
    let mut host = "127.0.0.1".to_string();
    let mut port: u16 = 6379;
    let mut cmd = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "-h" => {
                host = args.get(i + 1).cloned().unwrap_or(host);
                i += 1;
            }
            "-p" => {
                port = args.get(i + 1).and_then(|p| p.parse().ok()).unwrap_or(port);
                i += 1;
            }
            "-a" | "-n" => i += 1,
            s => cmd.push(s.to_string()),
        }
        i += 1;
    }
    let refused = || {
        CmdOut::fail(
            1,
            format!("Could not connect to Redis at {host}:{port}: Connection refused\n"),
        )
    };
    let Some(ip) = resolve(sys, &host) else {
        return CmdOut::fail(
            1,
            format!("Could not connect to Redis at {host}:{port}: Name or service not known\n"),
        );
    };
    if tcp(sys, ip, port).is_err() {
        return refused();
    }
    let reply = match cmd.first().map(|c| c.to_ascii_lowercase()).as_deref() {
        None | Some("ping") => "PONG".to_string(),
        Some("quit") | Some("set") | Some("flushall") => "OK".to_string(),
        Some("get") => String::new(),
        Some("info") => "# Server\r\nredis_version:7.2.4\r\nredis_mode:standalone\r".to_string(),
        Some(other) => format!("ERR unknown command '{other}', with args beginning with: "),
    };
    CmdOut::ok(format!("{reply}\n"))
}
