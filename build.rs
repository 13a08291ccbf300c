//! With the `embedded-site` feature (`scripts/release.sh`), the built site — `target/site`, or
//! `GATEHOUSE_SITE_DIR` — is compiled into the server binary: every file with its content type and
//! an ETag, text and WASM as brotli and gzip made here once (embedded instead of the original); the
//! bundle's files (`pkg/`) are renamed by a hash of their content so browsers may cache them for
//! good. Without the feature this does nothing.

fn main() {
    // Migrations are embedded into the binary by `sqlx::migrate!`; rebuild when they change.
    println!("cargo:rerun-if-changed=migrations");
    #[cfg(feature = "embedded-site")]
    embed::site();
}

#[cfg(feature = "embedded-site")]
mod embed {
    use std::{
        fmt::Write as _,
        io::Write as _,
        path::{Path, PathBuf},
    };

    use sha2::{Digest, Sha256};

    /// Below this, compression saves less than its header costs.
    const MIN_COMPRESSIBLE_BYTES: usize = 256;

    pub fn site() {
        println!("cargo:rerun-if-env-changed=GATEHOUSE_SITE_DIR");
        let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
        let site = std::env::var_os("GATEHOUSE_SITE_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| manifest_dir.join("target/site"));
        let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
        let mut files = Vec::new();
        collect(&site, &site, &mut files);
        files.sort();
        assert!(
            files.iter().any(|(url, _)| url.ends_with(".wasm")),
            "embedded-site: no WASM bundle under {}; build the site first (scripts/release.sh does)",
            site.display()
        );

        let mut table = String::from("&[\n");
        let mut bundle = String::new();
        for (index, (url, path)) in files.iter().enumerate() {
            println!("cargo:rerun-if-changed={}", path.display());
            let content = std::fs::read(path).unwrap();
            let digest = format!("{:x}", Sha256::digest(&content))[..16].to_string();
            let url = match url.strip_prefix("/pkg/") {
                Some(name) => {
                    let hashed = hashed_name(name, &digest);
                    for kind in ["js", "wasm", "css"] {
                        if name.ends_with(&format!(".{kind}")) {
                            writeln!(
                                bundle,
                                "pub const {}: &str = \"/pkg/{hashed}\";",
                                kind.to_uppercase()
                            )
                            .unwrap();
                        }
                    }
                    format!("/pkg/{hashed}")
                }
                None => url.clone(),
            };
            let content_type = content_type(&url);
            let compressed = (content.len() >= MIN_COMPRESSIBLE_BYTES && is_compressible(content_type))
                .then(|| (brotli(&content), gzip(&content)))
                .filter(|(brotli, gzip)| brotli.len() < content.len() && gzip.len() < content.len());
            let embed = |suffix: &str, bytes: &[u8]| -> String {
                let file = out.join(format!("site-{index}.{suffix}"));
                std::fs::write(&file, bytes).unwrap();
                format!("include_bytes!({:?})", file.display().to_string())
            };
            // A compressed file is embedded twice, not three times: the few clients that accept
            // neither encoding get the gzip inflated on the way out.
            let content = match compressed {
                Some((brotli, gzip)) => format!(
                    "Content::Compressed {{ brotli: {}, gzip: {} }}",
                    embed("br", &brotli),
                    embed("gz", &gzip)
                ),
                None => format!("Content::Plain(include_bytes!({:?}))", path.display().to_string()),
            };
            writeln!(
                table,
                "    SiteFile {{ url: {url:?}, content_type: {content_type:?}, etag: \"\\\"{digest}\\\"\", \
                 immutable: {immutable}, content: {content} }},",
                immutable = url.starts_with("/pkg/"),
            )
            .unwrap();
        }
        table.push(']');
        for kind in ["JS", "WASM", "CSS"] {
            assert!(
                bundle.contains(&format!("pub const {kind}:")),
                "embedded-site: the site has no {kind} file under pkg/"
            );
        }
        std::fs::write(out.join("site_files.rs"), table).unwrap();
        std::fs::write(out.join("site_bundle.rs"), bundle).unwrap();
    }

    /// Every file under `dir` with the URL path it is served at (`/pkg/gatehouse.wasm`). Type
    /// declarations that wasm-bindgen writes beside the bundle are not served.
    fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
        println!("cargo:rerun-if-changed={}", dir.display());
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("embedded-site: {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect(root, &path, files);
            } else if !path.to_string_lossy().ends_with(".d.ts") {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((format!("/{relative}"), path));
            }
        }
    }

    /// `gatehouse.wasm` → `gatehouse.3f9a0c1d2e4b5a6f.wasm`.
    fn hashed_name(name: &str, digest: &str) -> String {
        match name.rsplit_once('.') {
            Some((stem, extension)) => format!("{stem}.{digest}.{extension}"),
            None => format!("{name}.{digest}"),
        }
    }

    fn content_type(url: &str) -> &'static str {
        match url.rsplit_once('.').map(|(_, extension)| extension) {
            Some("wasm") => "application/wasm",
            Some("js") => "text/javascript; charset=utf-8",
            Some("css") => "text/css; charset=utf-8",
            Some("svg") => "image/svg+xml",
            Some("html") => "text/html; charset=utf-8",
            Some("txt") => "text/plain; charset=utf-8",
            Some("json") => "application/json",
            Some("png") => "image/png",
            Some("ico") => "image/x-icon",
            Some("woff2") => "font/woff2",
            _ => "application/octet-stream",
        }
    }

    fn is_compressible(content_type: &str) -> bool {
        content_type.starts_with("text/")
            || matches!(
                content_type,
                "application/wasm" | "image/svg+xml" | "application/json"
            )
    }

    fn brotli(content: &[u8]) -> Vec<u8> {
        let mut compressed = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut &content[..], &mut compressed, &params).unwrap();
        compressed
    }

    fn gzip(content: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(content).unwrap();
        encoder.finish().unwrap()
    }
}
