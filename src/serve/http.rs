//! The HTTP side of `serve` (axum): the built site from memory, the live-reload script and
//! its WebSocket.
//!
//! Only files of the built site are served: a request path is looked up in the map of built
//! files, never joined to a folder, so no `..` (plain or percent-encoded) can reach anything
//! else. HTML pages get the live-reload script at the moment they are served, which keeps it
//! out of everything `build` writes.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::{Body as HttpBody, Bytes};
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
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
pub struct Shared {
    /// Output file (relative, `/`-separated) → its contents.
    pub files: RwLock<HashMap<String, Body>>,
    /// The message a page gets when it connects: the build it shows, and the problems of the
    /// last rebuild while they last.
    pub hello: RwLock<String>,
    /// Messages to every open page.
    pub events: broadcast::Sender<String>,
}

impl Shared {
    pub fn new() -> Arc<Shared> {
        Arc::new(Shared {
            files: RwLock::new(HashMap::new()),
            hello: RwLock::new(String::from(r#"{"type":"hello","build":""}"#)),
            events: broadcast::channel(16).0,
        })
    }
}

/// The whole application: the live-reload endpoints, then the site for every other path.
pub fn app(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(LIVE_JS, get(script))
        .route(LIVE_WS, get(live))
        .fallback(site_file)
        .with_state(shared)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(CatchPanicLayer::new())
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

async fn live(ws: WebSocketUpgrade, State(shared): State<Arc<Shared>>) -> Response {
    ws.on_upgrade(move |socket| talk(socket, shared))
}

/// One open page: the hello, then every event until either side goes away.
async fn talk(mut socket: WebSocket, shared: Arc<Shared>) {
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

async fn site_file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
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

fn lookup(shared: &Shared, key: &str, path: &str) -> Found {
    let Ok(files) = shared.files.read() else {
        return Found::Missing;
    };
    if let Some(body) = files.get(key) {
        return Found::File(key.to_string(), body.clone());
    }
    // `/items/x` for the page `/items/x/`, as static servers do.
    if files.contains_key(&format!("{key}/index.html")) {
        return Found::Redirect(format!("{path}/"));
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
