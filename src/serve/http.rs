//! The HTTP side of `serve` (axum): the built site from memory, the live-reload script and
//! its WebSocket.
//!
//! Only files of the built site are served: a request path is looked up in the map of built
//! files, never joined to a folder, so no `..` (plain or percent-encoded) can reach anything
//! else. HTML pages get the live-reload script at the moment they are served, which keeps it
//! out of everything `build` writes.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::{Body as HttpBody, Bytes};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use super::incremental::Body;
use crate::pages::links::percent_decode;

/// Where the live-reload script and its WebSocket live; no site file can be there, since
/// shiji never writes names starting with `__` and `static/` files named so would be shadowed.
pub const LIVE_JS: &str = "/__shiji/live.js";
pub const LIVE_WS: &str = "/__shiji/live";

const SCRIPT: &str = include_str!("live.js");

const NO_SITE: &str = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>shiji serve</title><body><main><h1>No page here yet</h1><p>The site has not built yet.</p></main></body></html>";

/// What the server shares with the rebuilding thread.
pub struct ServerState {
    /// Output file (relative, `/`-separated) → its contents.
    pub files: RwLock<HashMap<String, Body>>,
    /// The message a page gets when it connects: the build it shows, and the problems of the
    /// last rebuild while they last.
    pub hello: RwLock<String>,
    /// Messages to every open page.
    pub events: broadcast::Sender<String>,
}

impl ServerState {
    pub fn new() -> Arc<ServerState> {
        Arc::new(ServerState {
            files: RwLock::new(HashMap::new()),
            hello: RwLock::new(String::from(r#"{"type":"hello","build":""}"#)),
            events: broadcast::channel(16).0,
        })
    }
}

/// The whole application: the live-reload endpoints, then the site for every other path,
/// for requests to the address `served` only.
pub fn app(shared: Arc<ServerState>, served: SocketAddr) -> Router {
    Router::new()
        .route(LIVE_JS, get(script))
        .route(LIVE_WS, get(live))
        .fallback(site_file)
        .with_state(shared)
        .layer(middleware::from_fn_with_state(Served(served), same_origin))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(CatchPanicLayer::new())
}

/// The address `serve` listens on. A web page of any other site must not read the preview
/// (drafts, and the problems, with their lines) through the visitor's browser: not by a
/// WebSocket opened from its own origin, nor by a name of its own made to resolve to
/// 127.0.0.1 (DNS rebinding), so requests name this address in `Host` and, when a browser
/// sends one, in `Origin`.
#[derive(Debug, Clone, Copy)]
pub struct Served(pub SocketAddr);

impl Served {
    /// `Host` is this address, `localhost` for a loopback one, or any address literal when
    /// listening on every interface (a phone on the same network). A host name other than
    /// `localhost` is refused: it is what a rebinding attack uses. The port may be left out.
    pub fn host_ok(&self, host: &str) -> bool {
        let (name, port) = split_port(host);
        if port.is_some_and(|p| p != self.0.port()) {
            return false;
        }
        let ip = self.0.ip();
        if name.eq_ignore_ascii_case("localhost") {
            return ip.is_loopback() || ip.is_unspecified();
        }
        let Ok(asked) = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        else {
            return false;
        };
        asked == ip || ip.is_unspecified() || (ip.is_loopback() && asked.is_loopback())
    }

    /// `Origin` is `http://` and an allowed host with the port.
    pub fn origin_ok(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| split_port(host).1 == Some(self.0.port()) && self.host_ok(host))
    }
}

/// `name:port` → the name and the port, if one is written (`[::1]:80` included).
fn split_port(host: &str) -> (&str, Option<u16>) {
    match host.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && (!name.contains(':') || name.ends_with(']')) => {
            (name, port.parse().ok().or(Some(0)))
        }
        _ => (host, None),
    }
}

/// Refuses (403) a request whose `Host` or `Origin` is not the served address.
async fn same_origin(State(served): State<Served>, request: Request, next: Next) -> Response {
    // Read before the await: a borrowed request is not `Send` (its body is not `Sync`).
    let (host_ok, origin_ok) = {
        let header = |name| {
            request
                .headers()
                .get(name)
                .map(|v: &HeaderValue| v.to_str().unwrap_or("\0"))
        };
        (
            header(header::HOST).is_none_or(|h| served.host_ok(h)),
            header(header::ORIGIN).is_none_or(|o| served.origin_ok(o)),
        )
    };
    if host_ok && origin_ok {
        next.run(request).await
    } else {
        (
            StatusCode::FORBIDDEN,
            "shiji serve answers only its own address\n",
        )
            .into_response()
    }
}

/// How long a connection may take to send a request's headers, and stay idle between two
/// requests, before it is closed: a client that opens connections and sends nothing would
/// otherwise hold them for ever.
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Serves `app` on `listener` until Ctrl-C, each connection over HTTP/1.1 with the header
/// timeout. `axum::serve` sets no timer, so hyper's own header timeout never fires with it.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    let stop = tokio::signal::ctrl_c();
    tokio::pin!(stop);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, say: wait a little rather than spin.
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => return,
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades()
                .await;
        });
    }
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

async fn live(ws: WebSocketUpgrade, State(shared): State<Arc<ServerState>>) -> Response {
    ws.on_upgrade(move |socket| talk(socket, shared))
}

/// One open page: the hello, then every event until either side goes away.
async fn talk(mut socket: WebSocket, shared: Arc<ServerState>) {
    let mut events = shared.events.subscribe();
    let hello = shared.hello.read().map(|h| h.clone()).unwrap_or_default();
    if socket.send(Message::Text(hello.into())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(text) => {
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                // A page too slow to take every message is told to reload.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let reload = r#"{"type":"reload"}"#;
                    if socket.send(Message::Text(reload.into())).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                Some(Ok(_)) => {}
            },
        }
    }
}

async fn site_file(State(shared): State<Arc<ServerState>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let found = match key(uri.path()) {
        Some(key) => lookup(&shared, &key, uri.path()),
        None => Found::Missing,
    };
    let (status, name, body) = match found {
        Found::File(name, body) => (StatusCode::OK, name, body),
        Found::Redirect(to) => {
            return (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, to)]).into_response();
        }
        Found::Missing => match shared
            .files
            .read()
            .ok()
            .and_then(|f| f.get("404.html").cloned())
        {
            Some(body) => (StatusCode::NOT_FOUND, "404.html".to_string(), body),
            // No site built yet: a page that can still show the problems.
            None => (
                StatusCode::NOT_FOUND,
                "404.html".to_string(),
                Body::Bytes(Bytes::from_static(NO_SITE.as_bytes())),
            ),
        },
    };
    let bytes = match body {
        Body::Bytes(b) => b,
        Body::File(path) => match tokio::fs::read(&path).await {
            Ok(b) => Bytes::from(b),
            Err(_) => return StatusCode::NOT_FOUND.into_response(),
        },
    };
    let kind = content_type(&name);
    let bytes = if kind.starts_with("text/html") {
        with_script(&bytes)
    } else {
        bytes
    };
    let mut response = Response::new(if method == Method::HEAD {
        HttpBody::empty()
    } else {
        HttpBody::from(bytes)
    });
    *response.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(&kind) {
        response.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    response
}

enum Found {
    File(String, Body),
    Redirect(String),
    Missing,
}

fn lookup(shared: &ServerState, key: &str, path: &str) -> Found {
    let Ok(files) = shared.files.read() else {
        return Found::Missing;
    };
    if let Some(body) = files.get(key) {
        return Found::File(key.to_string(), body.clone());
    }
    // `/items/x` for the page `/items/x/`, as static servers do; always one leading slash,
    // since `//units/` would send the browser to the host `units`.
    if files.contains_key(&format!("{key}/index.html")) {
        return Found::Redirect(format!("/{}/", path.trim_start_matches('/')));
    }
    Found::Missing
}

/// The output file a request path names, or `None` for a path that could name something
/// outside the site (`..`, `.`, backslashes, NUL), however encoded.
pub fn key(path: &str) -> Option<String> {
    let decoded = percent_decode(path);
    let rel = decoded.trim_start_matches('/');
    let bad = |s: &str| s == ".." || s == "." || s.contains(['\\', '\0']);
    if rel.split('/').any(bad) || rel.contains("//") {
        return None;
    }
    Some(if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    })
}

/// The Content-Type of a served file; text in UTF-8, as shiji writes it.
pub fn content_type(name: &str) -> String {
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let text = mime.type_() == "text"
        || matches!(mime.subtype().as_str(), "xml" | "json" | "javascript")
        || mime.suffix().is_some_and(|s| s == "xml");
    if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// The page with the live-reload script before its last `</body>` (or at its end).
fn with_script(html: &[u8]) -> Bytes {
    let tag = format!("<script src=\"{LIVE_JS}\"></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_stay_inside_the_site() {
        assert_eq!(key("/").as_deref(), Some("index.html"));
        assert_eq!(key("/items/a/").as_deref(), Some("items/a/index.html"));
        assert_eq!(key("/style.css").as_deref(), Some("style.css"));
        assert_eq!(
            key("/photos/%E7%85%A7.jpg").as_deref(),
            Some("photos/照.jpg")
        );
        for bad in [
            "/../etc/passwd",
            "/items/../../x",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/a/%2e%2e%2f%2e%2e%2fx",
            "/..%5c..%5cx",
            "/a//b",
            "/./x",
            "/x%00",
        ] {
            assert_eq!(key(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_the_served_address_is_answered() {
        let loopback = Served("127.0.0.1:1111".parse().unwrap());
        for ok in [
            "127.0.0.1:1111",
            "127.0.0.1",
            "localhost:1111",
            "LOCALHOST",
            "[::1]:1111",
        ] {
            assert!(loopback.host_ok(ok), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "evil.example",
            "127.0.0.1:2222",
            "192.168.1.5:1111",
            "localhost.evil.example:1111",
            "127.0.0.1:x",
            "",
        ] {
            assert!(!loopback.host_ok(bad), "{bad}");
        }
        assert!(
            loopback.origin_ok("http://127.0.0.1:1111")
                && loopback.origin_ok("http://localhost:1111")
        );
        for bad in [
            "http://evil.example",
            "http://evil.example:1111",
            "http://127.0.0.1",
            "https://127.0.0.1:1111",
            "null",
        ] {
            assert!(!loopback.origin_ok(bad), "{bad}");
        }
        let everywhere = Served("0.0.0.0:1111".parse().unwrap());
        assert!(everywhere.host_ok("192.168.1.5:1111") && everywhere.host_ok("localhost:1111"));
        assert!(!everywhere.host_ok("evil.example:1111"));
        let lan = Served("192.168.1.5:1111".parse().unwrap());
        assert!(lan.host_ok("192.168.1.5:1111") && !lan.host_ok("localhost:1111"));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("a.jpg"), "image/jpeg");
        assert_eq!(content_type("a.pdf"), "application/pdf");
        assert_eq!(
            content_type("data/years/2018.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let out = with_script(b"<html><body><p>x</p></body></html>");
        assert_eq!(
            std::str::from_utf8(&out).unwrap(),
            "<html><body><p>x</p><script src=\"/__shiji/live.js\"></script></body></html>"
        );
    }
}
