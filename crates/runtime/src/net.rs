//! The network as a container sees it: pod IPs, HTTP and TCP through the engine's `World`.

use podplay_api::time::Millis;

/// Pod and Service IPs are IPv4.
pub type Ip = [u8; 4];

pub const LOCALHOST: Ip = [127, 0, 0, 1];

pub fn ip_string(ip: Ip) -> String {
    format!("{}.{}.{}.{}", ip[0], ip[1], ip[2], ip[3])
}

pub fn parse_ip(s: &str) -> Option<Ip> {
    let mut out = [0u8; 4];
    let mut parts = s.split('.');
    for slot in out.iter_mut() {
        *slot = parts.next()?.parse().ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(out)
}

pub fn is_loopback(ip: Ip) -> bool {
    ip[0] == 127
}

/// What a container can reach outside itself. The engine implements it (DNS of Services, other pods).
pub trait World {
    /// Resolve a name as cluster DNS would, from a pod in `from_namespace` (search path
    /// `<ns>.svc.cluster.local svc.cluster.local cluster.local`): Service ClusterIPs, headless pod IPs.
    fn resolve(&mut self, name: &str, from_namespace: &str) -> Option<Ip>;
    /// Every A record of the name (a headless Service has one per ready endpoint), in the order
    /// the DNS server returns them.
    fn resolve_all(&mut self, name: &str, from_namespace: &str) -> Vec<Ip> {
        self.resolve(name, from_namespace).into_iter().collect()
    }
    /// kube-proxy's destination NAT: a Service IP (or a node's NodePort) becomes the endpoint
    /// chosen for this connection; other addresses pass unchanged.
    fn dnat(&mut self, to: Ip, port: u16) -> Result<(Ip, u16), NetError> {
        Ok((to, port))
    }
    /// The PTR name of an address (`10-244-1-5.web.default.svc.cluster.local`), if DNS has one.
    fn ptr(&mut self, _ip: Ip) -> Option<String> {
        None
    }
    /// An HTTP request from `from` to ip:port. The engine routes Service IPs to a ready endpoint and pod
    /// IPs to the pod's container that listens on that port (calling `Container::serve_http`), at `now`.
    fn http(
        &mut self,
        from: Ip,
        to: Ip,
        port: u16,
        req: &HttpRequest,
        now: Millis,
    ) -> Result<HttpResponse, NetError>;
    fn tcp_connect(&mut self, from: Ip, to: Ip, port: u16, now: Millis) -> Result<(), NetError>;
}

/// A world with nothing in it: no DNS, every connection refused. Handy for tests and for pods
/// whose network the engine has not wired yet.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoWorld;

impl World for NoWorld {
    fn resolve(&mut self, _name: &str, _from_namespace: &str) -> Option<Ip> {
        None
    }
    fn http(
        &mut self,
        _: Ip,
        _: Ip,
        _: u16,
        _: &HttpRequest,
        _: Millis,
    ) -> Result<HttpResponse, NetError> {
        Err(NetError::Refused)
    }
    fn tcp_connect(&mut self, _: Ip, _: Ip, _: u16, _: Millis) -> Result<(), NetError> {
        Err(NetError::Refused)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: String,
    /// Path with query, e.g. `/healthz?x=1`.
    pub path: String,
    /// Host header value, e.g. `10.244.1.5:8080`.
    pub host: String,
    pub headers: Vec<(String, String)>,
    pub user_agent: String,
}

impl HttpRequest {
    pub fn get(path: &str) -> HttpRequest {
        HttpRequest {
            method: "GET".into(),
            path: path.into(),
            host: String::new(),
            headers: Vec::new(),
            user_agent: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

impl HttpResponse {
    pub fn new(status: u16, body: impl Into<String>) -> HttpResponse {
        HttpResponse {
            status,
            body: body.into(),
            headers: Vec::new(),
        }
    }
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> HttpResponse {
        self.headers.push((name.to_string(), value.into()));
        self
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a connection failed. The engine (and the runtime's wget/curl) format these in the
/// words of the client that saw them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetError {
    /// Nothing listens there (or kube-proxy rejects a Service without endpoints): ECONNREFUSED.
    Refused,
    /// Packets vanish (dead pod, NetworkPolicy drop): the client's timeout fires.
    Timeout,
    /// No route to host: EHOSTUNREACH.
    NoRoute,
    /// DNS name did not resolve.
    Unresolved,
}

/// The reason phrase HTTP/1.1 clients print (`HTTP/1.1 404 Not Found`).
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}
