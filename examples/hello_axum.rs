//! A ceiling for `scripts/bench.sh`: a bare axum "hello" on the same runtime, so the server-rendered
//! `GET /login` can be compared with the least a Rust HTTP server does.
//! `cargo run --release --example hello_axum --features ssr -- 127.0.0.1:3960`

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:3960".into());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
    axum::serve(listener, app).await
}
