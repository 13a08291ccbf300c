//! With the `embedded-site` feature (`scripts/release.sh`), the built site — `target/site`, or
//! `GATEHOUSE_SITE_DIR` — is compiled into the server binary: every file with its content type and
//! an ETag, text and WASM as brotli and gzip made here once (embedded instead of the original).
//! The bundle's files (`pkg/`) are named by a hash of their content so browsers may cache them for
//! good: the stylesheet by its own, the JS and WASM by one hash of them all, as a folder
//! (`/pkg/<hash>/gatehouse.js`), because they load each other by relative names (the islands'
//! chunks). Without the feature this does nothing.

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
        println!("cargo:rerun-if-env-changed=LEPTOS_OUTPUT_NAME");
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

        let output_name = std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "gatehouse".into());
        let script_folder = script_folder_digest(&files);
        let mut table = String::from("&[\n");
        let mut bundle = String::new();
        for (index, (url, path)) in files.iter().enumerate() {
            println!("cargo:rerun-if-changed={}", path.display());
            let content = std::fs::read(path).unwrap();
            let digest = format!("{:x}", Sha256::digest(&content))[..16].to_string();
            let url = match url.strip_prefix("/pkg/") {
                Some(name) => {
                    let hashed = if name.ends_with(".css") {
                        hashed_name(name, &digest)
                    } else {
                        format!("{script_folder}/{name}")
                    };
                    for kind in ["js", "wasm", "css"] {
                        if name == format!("{output_name}.{kind}") {
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

    /// Every file under `dir` with the URL path it is served at (`/pkg/gatehouse.wasm`), except
    /// what the build leaves for tools (see [`is_build_by_product`]).
    fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
        println!("cargo:rerun-if-changed={}", dir.display());
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("embedded-site: {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect(root, &path, files);
            } else if !is_build_by_product(&path) {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((format!("/{relative}"), path));
            }
        }
    }

    /// Type declarations that wasm-bindgen writes beside the bundle, and the map of the islands'
    /// chunks that cargo-leptos writes for Leptos' lazy routes (Gatehouse has none).
    fn is_build_by_product(path: &Path) -> bool {
        let name = path.to_string_lossy();
        name.ends_with(".d.ts") || name.ends_with("__wasm_split_manifest.json")
    }

    /// One hash over the names and contents of the bundle's scripts and WASM (everything in `pkg/`
    /// but the stylesheet).
    fn script_folder_digest(files: &[(String, PathBuf)]) -> String {
        let mut hasher = Sha256::new();
        for (url, path) in files {
            if url.starts_with("/pkg/") && !url.ends_with(".css") {
                hasher.update(url.as_bytes());
                hasher.update(std::fs::read(path).unwrap());
            }
        }
        format!("{:x}", hasher.finalize())[..16].to_string()
    }

    /// `gatehouse.css` → `gatehouse.3f9a0c1d2e4b5a6f.css`.
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
