#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    gatehouse::server::main().await
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The binary is built with `ssr`; the `hydrate` build only produces the WASM library.
}
