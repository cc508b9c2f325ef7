//! A small static file server for dist/: works offline, needs nothing installed, and serves
//! `.wasm` as `application/wasm` (which `WebAssembly.instantiateStreaming` requires). Text and
//! wasm go out gzip-compressed when the browser accepts it, as a real host would send them, so
//! DevTools' transfer sizes are the ones the bundle budget speaks of.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::SystemTime;

use crate::cmd;

pub const DEFAULT_PORT: u16 = 8080;

pub struct Options {
    pub port: u16,
    pub watch: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            port: DEFAULT_PORT,
            watch: false,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--watch" => options.watch = true,
                "--port" => {
                    let value = args.next().ok_or("--port needs a number")?;
                    options.port = value
                        .parse()
                        .map_err(|_| format!("--port: `{value}` is not a port number"))?;
                }
                other => return Err(format!("unknown option `{other}`")),
            }
        }
        Ok(options)
    }
}

pub fn serve(dist: &Path, port: u16) -> Result<(), String> {
    let address = format!("127.0.0.1:{port}");
    let listener = TcpListener::bind(&address).map_err(|error| {
        format!("cannot listen on {address}: {error} (another server there? try --port)")
    })?;
    println!("\npodplay is served at http://{address}/  (Ctrl-C to stop)");
    let dist = dist.to_path_buf();
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let dist = dist.clone();
        // One thread per connection: a browser opens a few at once, and this is a dev server.
        std::thread::spawn(move || {
            if let Err(error) = respond(stream, &dist) {
                eprintln!("serve: {error}");
            }
        });
    }
    Ok(())
}

fn respond(mut stream: TcpStream, dist: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let accepts_gzip = read_headers(&mut reader)?
        .iter()
        .any(|(name, value)| name == "accept-encoding" && value.contains("gzip"));
    let mut words = request_line.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or("/"));
    if method != "GET" && method != "HEAD" {
        return write_response(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"",
            true,
        );
    }
    let Some(file) = resolve(dist, target) else {
        return write_response(
            &mut stream,
            "404 Not Found",
            "text/plain",
            b"not found\n",
            method == "GET",
        );
    };
    let gzipped = if accepts_gzip && is_compressible(&file) {
        gzipped(&file)
    } else {
        None
    };
    if let Some(body) = gzipped {
        return write_gzip_response(&mut stream, content_type(&file), &body, method == "GET");
    }
    match std::fs::read(&file) {
        Ok(body) => write_response(
            &mut stream,
            "200 OK",
            content_type(&file),
            &body,
            method == "GET",
        ),
        Err(_) => write_response(
            &mut stream,
            "404 Not Found",
            "text/plain",
            b"not found\n",
            method == "GET",
        ),
    }
}

fn write_response(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    with_body: bool,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if with_body {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// The request's headers, names lower-cased, up to the blank line.
fn read_headers(reader: &mut impl BufRead) -> std::io::Result<Vec<(String, String)>> {
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    Ok(headers)
}

fn write_gzip_response(
    stream: &mut TcpStream,
    content_type: &str,
    body: &[u8],
    with_body: bool,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Encoding: gzip\r\n\
         Vary: Accept-Encoding\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if with_body {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// Already-compressed formats (images, fonts) gain nothing from gzip.
fn is_compressible(file: &Path) -> bool {
    matches!(
        file.extension().and_then(|ext| ext.to_str()).unwrap_or(""),
        "html" | "js" | "mjs" | "wasm" | "css" | "json" | "svg" | "txt" | "md" | "yaml" | "yml"
    )
}

/// Compressed files by path, valid while the file's modification time is unchanged: xtask is
/// std-only, so compression is `gzip -6` in a child process, once per file version.
static GZIP_CACHE: Mutex<Vec<(PathBuf, SystemTime, Vec<u8>)>> = Mutex::new(Vec::new());

/// The file gzip-compressed (level 6, what servers use on the fly); None when gzip is missing or
/// fails, and the file then goes out uncompressed.
fn gzipped(file: &Path) -> Option<Vec<u8>> {
    let modified = std::fs::metadata(file)
        .and_then(|meta| meta.modified())
        .ok()?;
    if let Ok(cache) = GZIP_CACHE.lock() {
        if let Some((_, _, body)) = cache
            .iter()
            .find(|(path, time, _)| path == file && *time == modified)
        {
            return Some(body.clone());
        }
    }
    let out = cmd::command("gzip", file.parent()?)
        .args(["-6", "-c", "-n"])
        .arg(file)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    if let Ok(mut cache) = GZIP_CACHE.lock() {
        cache.retain(|(path, _, _)| path != file);
        cache.push((file.to_path_buf(), modified, out.stdout.clone()));
    }
    Some(out.stdout)
}

/// Maps a request target to a file under `dist`. Paths that climb out (`..`) are refused; paths
/// without a file extension get index.html, so the app's own routes survive a reload.
fn resolve(dist: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let relative = Path::new(path.trim_start_matches('/'));
    if relative
        .components()
        .any(|part| !matches!(part, Component::Normal(_)))
    {
        return None;
    }
    let file = dist.join(relative);
    if file.is_file() {
        return Some(file);
    }
    if relative.extension().is_none() {
        return Some(dist.join("index.html"));
    }
    None
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|ext| ext.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" | "md" | "yaml" | "yml" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasm_is_served_as_application_wasm() {
        assert_eq!(content_type(Path::new("x_bg.wasm")), "application/wasm");
    }

    #[test]
    fn paths_that_climb_out_of_dist_are_refused() {
        assert_eq!(
            resolve(Path::new("/nonexistent/dist"), "/../etc/passwd"),
            None
        );
    }

    #[test]
    fn extensionless_routes_fall_back_to_index_html() {
        let dist = Path::new("/nonexistent/dist");
        assert_eq!(
            resolve(dist, "/scenario/probes?x=1"),
            Some(dist.join("index.html"))
        );
        assert_eq!(resolve(dist, "/missing.js"), None);
    }

    #[test]
    fn text_and_wasm_are_compressed_but_images_are_not() {
        assert!(is_compressible(Path::new("x_bg.wasm")));
        assert!(is_compressible(Path::new("editor.js")));
        assert!(!is_compressible(Path::new("logo.png")));
    }

    #[test]
    fn request_headers_are_read_up_to_the_blank_line_with_lower_case_names() {
        let request = "Host: x\r\nAccept-Encoding: gzip, br\r\n\r\nbody";
        let headers = read_headers(&mut request.as_bytes()).unwrap_or_default();
        assert_eq!(
            headers,
            vec![
                ("host".to_string(), "x".to_string()),
                ("accept-encoding".to_string(), "gzip, br".to_string())
            ]
        );
    }

    #[test]
    fn port_option_is_parsed_and_checked() {
        let options = Options::parse(&["--port".into(), "9000".into()]).ok();
        assert_eq!(options.map(|o| o.port), Some(9000));
        assert!(Options::parse(&["--port".into(), "lots".into()]).is_err());
    }
}
